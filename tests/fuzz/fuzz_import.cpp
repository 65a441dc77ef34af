// Fuzz target: arbitrary bytes as an import document (user export, catalog, open exercise database)
// and as a user id to export. The first byte picks the format; 0xF0 and above: a Strong (even) or
// Hevy (odd) CSV history for a user, then that user's history exported.
#include <gainsly/gainsly.h>

#include <cstdint>
#include <string>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gs_db* db = fuzz_db();
    if (size == 0) return 0;
    std::string doc(reinterpret_cast<const char*>(data + 1), size - 1);
    char* out = nullptr;
    gs_db_begin(db);
    if (data[0] >= 0xF0) {
        int64_t user = 0;
        gs_row_insert(db, "users", "{\"email\":\"fuzz@example.com\"}", &user);
        const auto format = data[0] % 2 ? GS_HISTORY_HEVY : GS_HISTORY_STRONG;
        if (gs_history_import(db, user, format, doc.c_str(), nullptr, &out) == GS_OK) gs_string_free(out);
        if (gs_history_export(db, user, GS_HISTORY_STRONG, &out) == GS_OK) gs_string_free(out);
        gs_db_rollback(db);
        fuzz_check_no_leak();
        return 0;
    }
    if (gs_db_import(db, static_cast<gs_import_format>(data[0] % 4), doc.c_str(), &out) == GS_OK) gs_string_free(out);
    if (gs_user_export(db, int64_t(data[0]), &out) == GS_OK) gs_string_free(out);
    gs_db_rollback(db);
    fuzz_check_no_leak();
    return 0;
}
