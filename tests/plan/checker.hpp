// An independent checker of the planner's 12 hard constraints (src/plan/README.md), written
// separately from the solver: it reads only persisted rows (programs, sessions, session_exercises,
// the user's rules, injuries, skills, activities, the catalog and heuristic_configs) with its own
// SQL and its own code, so a shared misunderstanding cannot hide a violation.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace plan_check {

struct Report {
    std::array<std::vector<std::string>, 13> violations;  // index = constraint number 1..12
    std::array<int, 13> checked{};
    bool ok() const;
    std::string summary() const;  // every violation, one per line
};

Report check_program(gainsly::store::Database& db, int64_t program_id);

}  // namespace plan_check
