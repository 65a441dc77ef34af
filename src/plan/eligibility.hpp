// Which movements each constraint group allows, and the per-call context the solver passes around.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/params.hpp"
#include "plan/request.hpp"
#include "plan/user_data.hpp"

namespace gainsly::plan {

// Hard constraint groups, for explanations of infeasibility (README.md "Explanations").
enum class Group : int { rule, hard_no, injury, equipment, skill, session_minutes, cns, daily_limits, interference, days };

struct GroupRef {
    Group group;
    int index = 0;  // rule / injury / activity index; 0 otherwise
    bool operator<(const GroupRef& o) const { return std::pair(int(group), index) < std::pair(int(o.group), o.index); }
    bool operator==(const GroupRef& o) const = default;
};

struct Eligibility {
    std::vector<bool> allowed;          // may appear in working sections
    std::vector<bool> reduced;          // allowed only at reduced load (mild injury, no sparing regression)
    std::vector<bool> spares_injuries;  // loads no injured part (warm-ups, cooldowns, circuits need it)
    std::vector<int> replaced_by;       // mild injury: the sparing regression that replaces it (-1: none)
    std::vector<std::vector<GroupRef>> excluded_by;  // why it is not allowed
    std::vector<bool> required;         // hard_yes or preferred
};

struct Context {
    const Catalog& catalog;
    const PlanParams& params;
    const UserData& user;
    const Request& request;
};

// Does movement m load the injured part (README.md, constraint 4)?
bool loads_part(const Catalog& c, const PlanParams& p, const Movement& m, std::string_view part);
// Highest skill index the user may be prescribed for movement m.
int skill_cap(const Context& ctx, const Movement& m);
// Coach roles of movements (plan.coach): loadable, main-lift eligible, staple, variant, competition, power.
bool loadable(const Catalog& c, const CoachParams& k, const Movement& m);
bool main_lift(const Catalog& c, const CoachParams& k, const Movement& m);
bool is_power(const Movement& m);
bool has_named_tag(const Catalog& c, const Movement& m, const std::string& tag);
// The goal with the largest weight (ties: the first given).
const std::string& dominant_goal(const Request& r);
int goal_weight(const Request& r, const std::vector<std::string>& goals);
// Per-set contribution of a movement to each volume group (1 primary, coach.secondary_set secondary).
std::vector<std::pair<int, float>> group_volume(const CoachParams& k, const Movement& m);
// Per-movement filters with some constraint groups switched off (`off`), for explanations.
Eligibility eligibility(const Context& ctx, const std::vector<GroupRef>& off = {});

}  // namespace gainsly::plan
