// An independent checker of the planner's 12 hard constraints (src/plan/README.md), written
// separately from the solver: it reads only persisted rows (programs, sessions, session_exercises,
// the user's rules, injuries, skills, activities, the catalog and heuristic_configs) with its own
// SQL and its own code, so a shared misunderstanding cannot hide a violation.
#pragma once
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <map>
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

// The coach rules 1-8 of issue #13 ("programs a strength coach would sign"), decided the same way:
// from persisted rows and the catalog's coach tags (main_lift, staple, variant, competition), with
// this checker's own volume windows (checker.cpp). Measured on loading weeks over main + accessory
// rows unless a rule says otherwise.
struct CoachResult {
    int rule = 0;
    int week = 0;        // microcycle number; 0 = the whole program
    bool ok = true;
    double value = 0;    // the rule's figure for that week (a share or a ratio)
    std::string detail;  // what was measured, in words and numbers
    std::string yields;  // non-empty: the solver reported that the rule yields here, and why
};

struct Share {
    double hit = 0, total = 0;  // e.g. rule 5: muscle-weeks inside the window / muscle-weeks
    double rate() const { return total > 0 ? hit / total : 1.0; }
};

struct CoachReport {
    std::vector<CoachResult> results;
    std::array<Share, 9> share{};     // index = rule 1..8: the rule's raw figure over the program
    std::array<bool, 9> applies{};    // the rule applies to this request at all
    bool ok(int rule) const;          // every result of the rule is ok or yielded
    bool yielded(int rule) const;     // some result of the rule was yielded
    std::string summary(int rule) const;  // the failing results, one per line
};

// solver_report: the generator's report (its "coach" object lists the rules it yields, e.g.
// {"coach": {"rules": [{"rule": 2, "week": 1, "ok": false, "yields": "no barbell"}]}}; a rule entry
// without "week" yields every week).
CoachReport check_coach(gainsly::store::Database& db, int64_t program_id, const nlohmann::json& solver_report = nlohmann::json());

// The weekly hard-set window of a muscle group for a goal ("strength", "hypertrophy", "endurance").
struct Window {
    double lo, hi;
};
Window volume_window(const std::string& goal, const std::string& group);
extern const std::vector<std::string> muscle_groups;  // chest, back, quads, hamstrings, glutes, delts, biceps, triceps

// Weekly sets per muscle group of loading week `week` (main + accessory rows; primary 1, secondary 0.5).
std::map<std::string, double> weekly_group_sets(gainsly::store::Database& db, int64_t program_id, int week);

}  // namespace plan_check
