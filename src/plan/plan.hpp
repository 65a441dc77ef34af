// The program generator (docs/generator.md): a seeded constraint solver that turns a request plus
// the user's data into a persisted program, re-plans the rest of a microcycle, and ranks
// substitutes for a planned exercise. The semantics of every hard constraint are in README.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gainsly::plan {

using json = nlohmann::json;

// Validates `request` (fields in README.md), plans the program, writes programs, program_goals,
// microcycles, sessions and session_exercises in one savepoint and returns the report:
// {"program_id", "objective": {"value", "terms"}, "hard_constraints": [{"id", "name", "ok", ...}],
//  "solve_ms", "proven_optimal", ...}.
// Throws Error(invalid) for a bad request (naming the field), Error(not_found) for an unknown user,
// Error(infeasible) naming the smallest conflicting set of constraints. Nothing is written on error.
json generate(store::Database& db, const json& request);

// Re-plans the sessions of the microcycle containing request.date (default: today, UTC) that are
// not completed (no workout_logs row references them) and not in the past, from the user's current
// logs, soreness, readiness and missed sessions. Request: {"program_id", "date"?, "seed"?,
// "search_nodes"?, "time_limit_ms"?}. Completed sessions are never touched. Returns a report like generate().
json replan(store::Database& db, const json& request);

// What adapt() needs to know of one day of the user, computed by the training layer (the planner
// does not read the log's derived state itself): readiness from that day's signals, per-muscle
// fatigue (0..100) at the end of the day, and the activities counted up to it.
struct DayReading {
    double readiness = 0;
    int signals_used = 0;
    double systemic_fatigue = 0;
    std::map<std::string, double> muscle_fatigue;
    struct Activity {
        std::chrono::sys_days date;
        std::string name;                      // activity_definitions.name
        std::optional<std::string> enjoyable;  // its enjoyable_activity: the key of its interference windows
        double minutes = 0;
    };
    std::vector<Activity> activities;  // the 7 days up to the day
};
using DayReader = std::function<DayReading(int64_t user_id, std::chrono::sys_days day)>;

// Adapts the next sessions of a program to the user's state without re-solving them (adapt.cpp
// holds the rules). Request: {"program_id", "user_id"? (must own the program), "date"? (default
// today, UTC), "sessions"? (1..14, default 2: how many of the next not completed sessions dated on
// or after date)}. A working row is made lighter (fewer sets, lower RPE, more RIR) for a red day
// (readiness of `date` below plan.readiness.low_below, sessions on date or the day after), a
// fatigued or sore muscle it loads, or a hard interference window of an activity actually done;
// a heavy main lift on a red day (or on a very fatigued / sore muscle) is swapped for a lower-demand
// movement of its pattern; a row lightened or swapped before gets its planned prescription back
// when none of that holds. The session's duration, totals and CNS load follow the new content. Each change
// is written into the row's and the session's notes and returned: {"program_id", "user_id",
// "date", "readiness": {"score", "red", "signals_used"}, "sessions": [{"session_id", "date",
// "changed"}], "kept_session_ids" (completed ones, never touched), "changes": [{"session_id",
// "session_exercise_id", "movement_id", "movement", "role", "action": "lighter"|"swapped"|"restored",
// "replaced"? ({"movement_id", "movement"} the row held before, when its movement changed),
// "sets": {"from", "to"}, "target_rpe": {...}, "target_rir": {...}, "reasons": [...]}],
// "changed": n}. One savepoint; a call that changes nothing writes nothing.
json adapt(store::Database& db, const json& request, const DayReader& read_day);

// Up to `max_results` ranked alternatives for one session_exercises row; every one keeps the
// session and its neighbours within all hard constraints. Returns {"session_exercise_id",
// "movement_id", "substitutes": [{"movement_id", "name", "score", "relationship", "reasons"}]}.
json substitutes(store::Database& db, int64_t session_exercise_id, int max_results = 10);

// Swaps `movement_id` into a session_exercises row after checking that the session stays valid
// (Error(infeasible) naming the broken constraint otherwise); updates the row and the session's
// totals in one savepoint. Returns {"session_exercise_id", "movement_id", "session_id"}.
json substitute(store::Database& db, int64_t session_exercise_id, int64_t movement_id);

// The program as readable text, week by week: dates, session types, exercises with
// sets x reps @ RPE, rest, minutes and coach notes (used by the CLI and the demo).
std::string describe(store::Database& db, int64_t program_id);

}  // namespace gainsly::plan
