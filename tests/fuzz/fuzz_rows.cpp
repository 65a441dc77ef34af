// Fuzz target: arbitrary bytes as the JSON and table of gs_row_insert / gs_row_update / gs_row_select / gs_row_get.
// The first byte picks the table; the rest is the document. Nothing may crash, leak or abort.
#include <gainsly/gainsly.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_common.hpp"

static const char* const tables[] = {"users", "user_profiles", "programs", "sessions", "session_exercises", "top_set_logs",
                                     "movements", "user_injuries", "recovery_signals", "heuristic_configs", "no_such_table", ""};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gs_db* db = fuzz_db();
    if (size == 0) return 0;
    const char* table = tables[data[0] % (sizeof tables / sizeof *tables)];
    std::string doc(reinterpret_cast<const char*>(data + 1), size - 1);
    int64_t id = 0;
    char* out = nullptr;
    gs_db_begin(db);  // roll back afterwards so the file stays small and runs stay independent
    if (gs_row_insert(db, table, doc.c_str(), &id) == GS_OK) {
        if (gs_row_get(db, table, id, &out) == GS_OK) gs_string_free(out);
        gs_row_update(db, table, id, doc.c_str());
        gs_row_delete(db, table, id);
    }
    if (gs_row_select(db, table, doc.c_str(), &out) == GS_OK) gs_string_free(out);
    gs_db_rollback(db);
    fuzz_check_no_leak();
    return 0;
}
