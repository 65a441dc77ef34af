// The planner's C ABI shims: parse, call gainsly::plan, hand JSON back; nothing escapes guard().
#include <cmath>

#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "plan/plan.hpp"
#include "progress/progress.hpp"
#include "training/training.hpp"

using namespace gainsly::capi;

namespace {

// The planner reads a day of the user through the training layer (plan and training do not use
// one another; the C ABI joins them).
gainsly::plan::DayReading read_day(gainsly::store::Database& db, int64_t user_id, gainsly::model::Date day) {
    namespace training = gainsly::training;
    const training::DayState st = training::day_state(db, user_id, day);
    gainsly::plan::DayReading r;
    r.readiness = std::round(st.readiness.score * 100) / 100;
    r.signals_used = st.readiness.signals_used;
    r.systemic_fatigue = st.fatigue.systemic;
    r.muscle_fatigue = st.fatigue.muscle_fatigue;
    for (const auto& a : st.activities) r.activities.push_back({a.date, a.name, a.enjoyable, a.minutes});
    return r;
}

}  // namespace

extern "C" {

int32_t gs_program_generate(gs_db* db, const char* request_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        // The planner writes goal types only; their targets come from the progress layer, which
        // the planner does not use (README: layers), in the same savepoint as the program.
        gainsly::store::Savepoint sp(*db->db);
        auto report = gainsly::plan::generate(*db->db, parse_json(request_json, "request_json"));
        report["goal_targets"] = gainsly::progress::set_program_goal_targets(*db->db, report["program_id"].get<int64_t>());
        sp.commit();
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

int32_t gs_program_adapt(gs_db* db, const char* request_json, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        auto& store = *db->db;
        auto report = gainsly::plan::adapt(store, parse_json(request_json, "request_json"),
                                           [&](int64_t user, gainsly::model::Date day) { return read_day(store, user, day); });
        if (out_report_json) *out_report_json = to_c_string(report.dump());
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
