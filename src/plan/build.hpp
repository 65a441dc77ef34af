// Turning a microcycle layout (days, session types, activities, neighbours) into a WeekProblem:
// candidate options per day with their costs, limits and objective values.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plan/internal.hpp"
#include "plan/prescribe.hpp"
#include "plan/solver.hpp"

namespace gainsly::plan {

struct FixedExercise {  // an exercise of a completed session (re-planning)
    int movement = -1;
    Role role = Role::accessory;
    int sets = 0;
    double rpe = 0;
};

struct LayoutDay {
    int offset = 0;   // days from the week start
    Date date{};      // for re-planning (informational)
    std::string type;
    bool fixed = false;
    std::vector<FixedExercise> fixed_content;
    std::set<int> original;            // re-planning: movements planned there before (stability)
    double cns_scale = 1.0;            // re-planning: low readiness shrinks the day's CNS budget
    std::map<int, double> sore;        // re-planning: muscle -> soreness severity (1..10)
};

struct Layout {
    std::vector<LayoutDay> days;
    bool cyclic = true;
    std::vector<std::pair<int, int>> activity_days;   // (index into UserData::activities, offset)
    std::vector<std::pair<int, int>> external_heavy;  // (offset, pattern)
    std::vector<WeekSpec> weeks;                      // the weeks this layout is used for
    std::set<int> recent;                             // accessories used recently (variety penalty)
};

// Precomputed per-request values shared by every block.
struct Planner {
    const Context& ctx;
    Eligibility elig;
    Doses doses;
    std::vector<std::optional<double>> e1rm;  // per movement (lazily filled)
    std::vector<bool> e1rm_done;
    std::vector<int> required;                // movement index per requirement
    std::vector<std::string> required_label;
    std::vector<int> requirement_of;          // movement -> requirement index (-1)
    std::vector<double> lo, hi;               // weekly set window per volume group (coach.groups)
    std::string window_goal;                  // the goal whose volume.windows apply (the dominant one)
    std::vector<bool> main_ok;                // may take a main slot (main_lift; power work only for power goals)
    bool power_wanted = false;                // a power goal (explosiveness, speed) is in the request
    bool staples_apply = false;               // strength weighs coach.staple_strength_min or more
    bool barbell = false;                     // coach.staple_equipment is available
    bool powerlifter = false;                 // powerlifting long-term goal or discipline
    std::vector<std::string> cover_names;     // coverage groups ("staple squat", "competition bench", ...)
    std::vector<uint32_t> cover;              // per movement: bit g when it covers cover_names[g]
    size_t rule2_groups = 0;                  // the first cover_names are rule 2's (staples, competition lifts)

    Planner(const Context& c, const std::vector<GroupRef>& off = {});
    const std::optional<double>& e1rm_of(int movement);
    double block_affinity(const std::string& block) const;
};

// Whether a hard interference window of an activity forbids working movement m on a day at
// `offset` (activity offsets in the layout); adds the severities of soft windows to *soft.
bool interference_forbids(const Context& ctx, const Movement& m, int offset, const Layout& layout, double* soft,
                          const std::vector<GroupRef>& off = {}, std::vector<int>* activities = nullptr);

// Builds the problem. `off` switches constraint groups off (explanations only).
WeekProblem build_week(Planner& planner, const Layout& layout, const std::vector<GroupRef>& off = {});

bool is_strength_session(const std::string& type);

}  // namespace gainsly::plan
