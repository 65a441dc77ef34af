// Reading a persisted program back: its request, weeks and sessions, for re-planning and
// substitution.
#pragma once
#include <memory>

#include "plan/program.hpp"
#include "store/database.hpp"

namespace gainsly::plan {

struct StoredWeek {
    int64_t id = 0;
    WeekSpec spec;
    Date start{};
    std::string notes;
};

struct StoredProgram {
    int64_t id = 0;
    Catalog catalog;
    PlanParams params;
    Request request;
    UserData user;
    std::unique_ptr<Context> ctx;
    std::vector<StoredWeek> weeks;
    std::vector<int> weekdays;
};

// Loads the program, its stored request (as validated then), the user's data as of `as_of`.
// Error(not_found) when there is no such program.
std::unique_ptr<StoredProgram> load_program(store::Database& db, int64_t program_id, Date as_of);

// One session with its exercises as a PlannedSession (prescriptions from the row targets).
PlannedSession load_session(store::Database& db, const Context& ctx, int64_t session_id);

// True when a workout_logs row references the session.
bool is_completed(store::Database& db, int64_t session_id);

// Session ids of the program in a microcycle, by date.
std::vector<int64_t> week_sessions(store::Database& db, int64_t microcycle_id);

// Heavy exposures (limits.heavy_pattern) of the user's sessions dated in [from, to], as
// (offset from `origin`, pattern); sessions in `skip` are ignored.
std::vector<std::pair<int, int>> heavy_exposures(store::Database& db, const Context& ctx, Date origin, Date from, Date to,
                                                 const std::vector<int64_t>& skip);

// Soreness of `as_of` and the day before (soreness_logs, worst severity per body part) at or above
// `from`, by muscle (a joint means the muscles of injury.joint_muscles); *reasons (may be NULL) gets
// "soreness <part> <n>/10" per part.
std::map<int, double> recent_soreness(store::Database& db, const Context& ctx, Date as_of, double from, std::vector<std::string>* reasons);

// Activity days around [from, to] (a week either side) as offsets from `origin`: planned weekdays
// and the dates activities were actually done.
std::vector<std::pair<int, int>> activity_offsets(const Context& ctx, Date origin, Date from, Date to);

}  // namespace gainsly::plan
