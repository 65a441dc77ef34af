// Fuzz target: the plan request of gs_program_generate, then re-planning, describing and
// substitution on whatever plan comes out. Nothing may crash, leak or abort.
//
// Input: the first byte is a mode, the rest the request document.
//   bit 0: if the document is a JSON object, point its "user_id" at a fixture user (bit 2 picks
//          which), so most inputs reach the solver instead of stopping at NOT_FOUND;
//   bit 1: after a successful plan, also replan, describe and list/apply a substitute.
// A JSON object's time limit is capped (absent or above kMaxTimeMs -> kMaxTimeMs) so that one input
// stays fast; other values, such as 0 or "x", go through untouched to exercise the validation.
// Everything runs inside gs_db_begin/gs_db_rollback, so the file stays small and inputs independent.
#include <gainsly/gainsly.h>

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_common.hpp"

namespace {

constexpr int64_t kMaxTimeMs = 60;

struct Fixture {
    int64_t users[2] = {0, 0};
};

const Fixture& fixture() {
    static Fixture f = [] {
        Fixture x;
        gs_db* db = fuzz_db();
        const char* rows[2] = {R"({"name":"Fuzz A","experience_level":"intermediate","persona_aggression":3})",
                               R"({"name":"Fuzz B","experience_level":"advanced","persona_aggression":5})"};
        for (int i = 0; i < 2; ++i)
            if (gs_row_insert(db, "users", rows[i], &x.users[i]) != GS_OK) {
                std::fprintf(stderr, "fuzz_plan: fixture: %s\n", gs_error_message(db));
                std::abort();
            }
        return x;
    }();
    return f;
}

// The integer after "key": in a library report (0 if absent).
int64_t report_id(const char* json, const char* key) {
    if (!json) return 0;
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_object() || !doc.contains(key) || !doc[key].is_number_integer()) return 0;
    return doc[key].get<int64_t>();
}

void exercise_plan(gs_db* db, int64_t program_id, uint8_t mode) {
    char* out = nullptr;
    if (gs_program_describe(db, program_id, &out) == GS_OK) gs_string_free(out);
    out = nullptr;
    const std::string replan = R"({"program_id":)" + std::to_string(program_id) + R"(,"time_limit_ms":30)" +
                               ((mode & 8) ? R"(,"date":"2025-01-08"})" : "}");
    if (gs_program_replan(db, replan.c_str(), &out) == GS_OK) gs_string_free(out);
    out = nullptr;
    // The first exercise of the program's first session.
    char* sessions = nullptr;
    if (gs_row_select(db, "sessions", (R"({"program_id":)" + std::to_string(program_id) + "}").c_str(), &sessions) != GS_OK) return;
    auto list = nlohmann::json::parse(sessions, nullptr, false);
    gs_string_free(sessions);
    if (!list.is_array() || list.empty()) return;
    char* exercises = nullptr;
    const std::string filter = R"({"session_id":)" + std::to_string(list[0].value("id", int64_t(0))) + "}";
    if (gs_row_select(db, "session_exercises", filter.c_str(), &exercises) != GS_OK) return;
    auto rows = nlohmann::json::parse(exercises, nullptr, false);
    gs_string_free(exercises);
    if (!rows.is_array() || rows.empty()) return;
    const int64_t exercise = rows[0].value("id", int64_t(0));
    if (gs_exercise_list_substitutes(db, exercise, 1 + (mode >> 4), &out) == GS_OK) {
        auto subs = nlohmann::json::parse(out, nullptr, false);
        gs_string_free(out);
        out = nullptr;
        if (subs.is_object() && subs.contains("substitutes") && subs["substitutes"].is_array() && !subs["substitutes"].empty()) {
            const int64_t movement = subs["substitutes"][0].value("movement_id", int64_t(0));
            if (gs_exercise_substitute(db, exercise, movement, &out) == GS_OK) gs_string_free(out);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gs_db* db = fuzz_db();
    const Fixture& f = fixture();
    if (size == 0) return 0;
    const uint8_t mode = data[0];
    std::string request(reinterpret_cast<const char*>(data + 1), size - 1);
    auto doc = nlohmann::json::parse(request, nullptr, false);
    if (doc.is_object()) {
        if (mode & 1) doc["user_id"] = f.users[(mode >> 2) & 1];
        auto t = doc.find("time_limit_ms");
        if (t == doc.end() || (t->is_number() && t->get<double>() > double(kMaxTimeMs))) doc["time_limit_ms"] = kMaxTimeMs;
        request = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    char* out = nullptr;
    gs_db_begin(db);
    if (gs_program_generate(db, request.c_str(), &out) == GS_OK) {
        const int64_t program = report_id(out, "program_id");
        gs_string_free(out);
        if ((mode & 2) && program > 0) exercise_plan(db, program, mode);
    }
    gs_db_rollback(db);
    fuzz_check_no_leak();
    return 0;
}
