// The planner's heuristics (heuristic_configs keys, catalog/README.md), parsed by params.cpp.
#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "math/params.hpp"
#include "plan/catalog_view.hpp"

namespace gainsly::plan {

struct Dose {
    int rep_min = 1, rep_max = 5;
    int sets_min = 6, sets_max = 12;
    int rest_seconds = 120;
    double rpe_min = 7, rpe_max = 9;
    std::vector<std::string> block_types;
    std::optional<int> isolation_rep_max;
    std::optional<int> hold_min, hold_max;
    std::optional<int> conditioning_minutes;
    std::optional<int> sprint_min_m, sprint_max_m;
    bool prefer_supersets = false;
    bool never_to_failure = false;
};

struct Landmarks {
    double mv = 0, mev = 0, mav = 0, mrv = 0;
};

struct Window {  // interference.<activity> entry
    int pattern = -1;  // or
    int muscle = -1;
    double before_hours = 0, after_hours = 0, severity = 0;
    // Whether a session `delta` days before the activity (negative: after it) falls in the window
    // (session and activity taken to be at the same time of day).
    bool covers(int delta) const {
        double hours = 24.0 * (delta < 0 ? -delta : delta);
        return delta > 0 ? (before_hours > 0 && hours <= before_hours) : delta < 0 ? (after_hours > 0 && hours <= after_hours) : (before_hours > 0 || after_hours > 0);
    }
};

struct JointRule {  // injury.joint_muscles.<joint>
    std::vector<int> muscles, patterns, tags;
    int spinal_min = -1;
};

struct Increments {
    double upper = 2.5, lower = 5.0, isolation = 1.0;
};

// The weights of the soft objective. Shipped defaults; the optional heuristic key
// plan.objective (json object with the same names) overrides them.
struct ObjectiveWeights {
    double stimulus = 1.0;      // per hard set x stimulus_factor x goal affinity
    double affinity_floor = 0.25;  // affinity of a block type no goal prefers
    double fatigue = 0.25;      // per set x fatigue_factor
    double volume = 1.0;        // per weekly hard set below a muscle's window
    double volume_excess = 1.0; // per weekly hard set above a muscle's window (default: as volume)
    double balance = 0.5;       // per set of push:pull or anterior:posterior imbalance beyond tolerance
    double enjoyment = 2.0;     // x enjoyment_score per planned exercise the user enjoys
    double variety = 10.0;      // x variety.same_movement_penalty per repeated accessory
    double exposure = 0.05;     // per set x consecutive pattern exposures (pattern_exposure)
    double interference = 2.0;  // x severity of a soft interference window
    double injury_kept = 1.0;   // per exercise kept at reduced load for a mild injury
    double stability = 1.5;     // re-planning: per exercise kept from the original plan
    double soreness = 1.0;      // re-planning: per set on a sore muscle x (severity / 10)
    double main_fit = 0.5;      // per main-lift set x strength share, for a loadable lift (+ again if tagged heavy)
    double risk = 1.0;          // per set x injury_risk_factor x (6 - persona_aggression) / 3
    double same_pattern = 1.0;  // per extra exercise of one pattern (isolation exempt) in a session
    double main_slot = 3.0;     // per main lift placed (a session opens with its main lifts)
    double staple = 1.0;        // per main-lift set of a staple lift (variants are rotations, not defaults)
    double variant = 0.5;       // per main-lift set of a variant (subtracted)
    double history = 0.5;       // per main-lift set of a lift with a logged e1RM (its load is known)
    double coverage = 12.0;     // per staple group (squat, hinge, press, pull; competition lifts) covered in the week
    double competition = 1.0;   // per main-lift set of a competition lift x strength weight / 10
    double horizontal = 1.0;    // per horizontal push set beyond coach.horizontal_max x horizontal pull sets
};

// What a coach expects of a plan (issue "Programs a strength coach would sign"): plan.coach,
// volume.groups and volume.windows. Defaults are the shipped values.
struct CoachParams {
    std::string main_lift_tag = "main_lift", staple_tag = "staple", variant_tag = "variant", competition_tag = "competition";
    std::vector<std::string> power_goals = {"explosiveness", "speed"};     // goals that want power work
    std::vector<std::string> strength_goals = {"strength", "hypertrophy"}; // rule 1 applies from main_share_min of them
    int main_share_min = 6;
    int staple_strength_min = 5;       // strength weight from which every week holds the staple groups
    std::string staple_equipment = "barbell";
    std::vector<std::pair<std::string, std::vector<int>>> staple_groups;       // name -> patterns
    std::vector<std::pair<std::string, std::vector<int>>> competition_groups;  // name -> patterns (competition lifts)
    std::vector<std::pair<std::string, std::vector<int>>> pattern_groups;      // name -> patterns (any main lift; solver only)
    std::string powerlifting = "powerlifting";  // discipline / long-term goal that trains the competition lifts
    std::vector<std::string> accessory_goals = {"hypertrophy", "endurance", "fat_loss"};  // accessory dose: first present
    std::vector<std::string> loadable_equipment = {"barbell", "dumbbell", "kettlebell", "cable", "machine", "smith_machine",
                                                   "ez_bar", "trap_bar", "landmine", "sandbag", "sled"};
    double push_pull_min = 0.8, push_pull_max = 1.25, horizontal_max = 2.0;
    double main_share = 0.95, skill_share = 0.85, volume_share = 0.8, continuity = 0.75, deload_min = 0.35, deload_max = 0.75;
    double secondary_set = 0.5;   // a set counts this much for a secondary muscle
    std::map<std::string, std::pair<int, int>, std::less<>> main_reps;  // rule 6: main rep range per goal
    int accessory_rep_floor = 6;  // bodyweight and band accessories never below this
    // volume.groups / volume.windows
    std::vector<std::string> groups;
    std::vector<std::vector<int>> group_muscles;
    std::map<std::string, std::vector<std::pair<double, double>>, std::less<>> windows;  // goal -> per group [lo, hi]
};

struct PlanParams {
    std::map<std::string, Dose, std::less<>> doses;  // goal -> dose
    std::vector<Landmarks> landmarks;                // by muscle index (volume muscles only)
    std::vector<bool> volume_muscle;                 // muscle has landmarks
    bool secondary_by_magnitude = true;
    double hard_set_min_rpe = 6.5;
    int olympic_max = 1, plyometric_max = 2, very_high_max = 2;
    std::vector<int> heavy_cns;         // cns indices
    std::vector<Role> heavy_roles;
    double heavy_min_hours = 48;
    int max_exercises = 8, max_main = 2;
    int deload_every = 4;
    double deload_intensity = 0.6, deload_volume = 0.5, deload_max_rpe = 6;
    bool deload_finishers = false;
    double deload_strength_drop = 0.1;
    json progression;  // style -> raw object (progression.<style>)
    double seconds_per_rep = 3.5;
    int setup_seconds = 60, transition_seconds = 30, warmup_minutes = 8, cooldown_minutes = 5;
    std::array<int, role_count> rest_seconds{};
    int default_hold_seconds = 30;
    std::map<std::string, double, std::less<>> seconds_per_meter;
    double superset_rest_factor = 0.6;
    std::map<std::string, std::vector<Window>, std::less<>> interference;  // activity -> windows
    double interference_hard = 0.6;
    std::map<std::string, JointRule, std::less<>> joints;
    double injury_exclude = 0.5, muscle_threshold = 0.4, regressed_load = 0.7;
    int regression_steps = 2;
    json split;  // split name -> {"1": [...], ...}
    json session_patterns;
    std::map<std::string, std::vector<std::string>, std::less<>> role_blocks;
    std::map<std::string, int, std::less<>> skill_max_for_experience;  // experience -> skill index
    std::vector<std::string> skill_order;
    double push_pull_target = 1, ant_post_target = 1, balance_tolerance = 0.2;
    std::vector<int> push_patterns, pull_patterns;
    std::vector<std::string> anterior_regions, posterior_regions;
    int variety_lookback_days = 14;
    double same_movement_penalty = 0.15;
    math::Params math;
    ObjectiveWeights weights;
    int warmup_drills = 2, cooldown_drills = 2;     // plan.warmup_drills / plan.cooldown_drills
    // plan.sets.<kind>: set counts the solver may choose (main, accessory, finisher, conditioning).
    std::map<std::string, std::vector<int>, std::less<>> set_choices = {
        {"main", {3, 4, 5}}, {"accessory", {2, 3, 4}}, {"finisher", {2, 3}}, {"conditioning", {4, 6, 8}}};
    double low_readiness_below = 60;                // plan.readiness.low_below
    // Adaptation (adapt.cpp): a muscle at or above fatigued_from (0..100, user_fatigue_state scale)
    // is fatigued; each reason to lighten a row takes about sets x set_cut sets (at least one) and
    // rpe_drop RPE off it.
    double adapt_fatigued_from = 40, adapt_set_cut = 0.3, adapt_rpe_drop = 1.0;  // plan.adapt.*
    double adapt_swap_fatigued_from = 70, adapt_swap_sore_from = 7;                // plan.adapt.swap_*
    double superset_time_share = 0.9;               // plan.superset_time_share: pair antagonists above this share of the time budget
    double soreness_exclude_from = 7;               // readiness.soreness.high_from
    double soreness_penalty_from = 4;               // readiness.soreness.moderate_from
    CoachParams coach;
};

// Reads every planner key (catalog/README.md); a missing or malformed key throws Error(invalid)
// naming it.
PlanParams load_plan_params(const math::Heuristics& h, const Catalog& catalog);

}  // namespace gainsly::plan
