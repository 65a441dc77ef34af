// The program generator (docs/generator.md): a seeded constraint solver that turns a request plus
// the user's data into a persisted program, re-plans the rest of a microcycle, and ranks
// substitutes for a planned exercise. The semantics of every hard constraint are in README.md.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

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
