// The planner's C ABI shims: parse, call gainsly::plan, hand JSON back; nothing escapes guard().
#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "plan/plan.hpp"

using namespace gainsly::capi;

extern "C" {

int32_t gs_program_generate(gs_db* db, const char* request_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto report = gainsly::plan::generate(*db->db, parse_json(request_json, "request_json"));
        *out_json = to_c_string(report.dump());
    });
}

int32_t gs_program_replan(gs_db* db, const char* request_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto report = gainsly::plan::replan(*db->db, parse_json(request_json, "request_json"));
        *out_json = to_c_string(report.dump());
    });
}

int32_t gs_exercise_list_substitutes(gs_db* db, int64_t session_exercise_id, int32_t max_results, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(gainsly::plan::substitutes(*db->db, session_exercise_id, max_results).dump());
    });
}

int32_t gs_exercise_substitute(gs_db* db, int64_t session_exercise_id, int64_t movement_id, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        auto result = gainsly::plan::substitute(*db->db, session_exercise_id, movement_id);
        if (out_json) *out_json = to_c_string(result.dump());
    });
}

int32_t gs_program_describe(gs_db* db, int64_t program_id, char** out_text) {
    if (out_text) *out_text = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_text), "out_text");
        *out_text = to_c_string(gainsly::plan::describe(*db->db, program_id));
    });
}

}  // extern "C"
