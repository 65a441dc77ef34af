// Writing planned programs and sessions (always inside the caller's savepoint).
#pragma once
#include "plan/program.hpp"
#include "store/database.hpp"

namespace gainsly::plan {

// programs, program_goals, microcycles, sessions and session_exercises in one savepoint; fills
// the ids in `program`. Returns the program id.
int64_t persist_program(store::Database& db, const Context& ctx, PlannedProgram& program, const json& stored_request);

// The sessions row columns (totals, notes, volume) for a planned session.
json session_columns(const Context& ctx, const PlannedSession& s, bool deload);

// Inserts the session_exercises rows of a session, in order.
void insert_exercises(store::Database& db, const Context& ctx, int64_t session_id, const PlannedSession& s, bool deload);

}  // namespace gainsly::plan
