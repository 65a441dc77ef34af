// Fatigue: per-muscle, systemic and CNS fatigue from logged training, with exponential recovery.
//
// Model (all constants in FatigueParams / CnsParams):
// - Effort factor of a set from its RPE: piecewise linear over fatigue.effort.by_rpe
//   (defaults: RPE <= 5 -> 0.5, then linear to RPE 10 -> 1.0, so RPE 8 -> 0.8); a set without
//   RPE counts fatigue.effort.missing_rpe (0.8, i.e. as RPE 8).
// - Muscle fatigue units of a muscle on day D = sum over sets on days d <= D of
//   sets x magnitude (movement_muscle_map, 0..1] x effort x e^(-hours/tau_muscle), hours = 24 (D - d);
//   `sets` is 1 for a logged set and the set equivalents of an activity (minutes / minutes per set).
//   Reported on a 0..100 scale: min(100, units x fatigue.muscle.points_per_set); 100 means
//   exhausted. Recovery percent (muscle_recovery_json) = 100 - fatigue.
// - Systemic fatigue: sum of sets x fatigue_factor (movements.fatigue_factor, 0..5) x effort per set,
//   decaying with fatigue.systemic.tau_hours; 0..100 scale via fatigue.systemic.points_per_set.
// - CNS: each exercise costs cns.cost.<cns_load> x cns.role.<role>; a day's total is checked
//   against cns.daily_budget.aggression_<persona_aggression>; CNS fatigue = sum of costs decaying
//   with cns.tau_hours, in cost points (the unit of the budget; not capped).
// Sets and exercises dated after the evaluation day are ignored.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "math/params.hpp"

namespace gainsly::math {

using Date = std::chrono::sys_days;

enum class CnsLoad { very_low, low, moderate, high, very_high };
// Schema roles plus `deload` (an exercise of a deload microcycle; not stored in session_exercises).
enum class ExerciseRole { warmup, main, accessory, skill, finisher, cooldown, deload };

CnsLoad parse_cns_load(std::string_view s);            // schema enum cns_load values
std::string_view cns_load_name(CnsLoad c);
ExerciseRole parse_exercise_role(std::string_view s);  // schema enum exercise_role values + "deload"
std::string_view exercise_role_name(ExerciseRole r);

// Effort factor of a set (rpe <= 0: not given; else 1..10).
double effort_factor(double rpe, const FatigueParams& p = {});
// Recovery time constant (hours) of a muscle (fatigue.tau_hours.<muscle>, else the default).
double muscle_tau_hours(std::string_view muscle, const FatigueParams& p = {});
// Fraction of fatigue left after `hours` with time constant `tau_hours`: e^(-hours/tau).
double decay_factor(double hours, double tau_hours);

struct MuscleShare {
    std::string muscle;      // muscles.name, e.g. "quadriceps"
    double magnitude = 1.0;  // movement_muscle_map.magnitude, (0, 1]
};

// One logged set (top_set_logs row) with what its movement loads.
struct FatigueSet {
    Date date;
    double rpe = 0.0;                 // top_set_logs.rpe; <= 0 = not given
    std::vector<MuscleShare> muscles; // movement_muscle_map rows of the set's movement
    std::optional<double> fatigue_factor;  // movements.fatigue_factor (0..5); empty = default
    double sets = 1.0;  // set equivalents (>= 0): 1 for a logged set; an activity counts by its duration
};

// One exercise of a session (session_exercises row + its movement's cns_load).
struct CnsExercise {
    Date date;
    CnsLoad cns_load = CnsLoad::moderate;
    ExerciseRole role = ExerciseRole::accessory;
};

// cns.cost.<load> x cns.role.<role>.
double cns_cost(CnsLoad load, ExerciseRole role, const CnsParams& p = {});
// Daily budget for persona_aggression 1..5.
double cns_daily_budget(int persona_aggression, const CnsParams& p = {});

struct CnsBudgetCheck {
    double total = 0.0;      // sum of cns_cost() of the exercises
    double budget = 0.0;     // cns_daily_budget(persona_aggression)
    double remaining = 0.0;  // budget - total (negative when over)
    bool within = true;      // total <= budget
};
// Checks the exercises of one day (all of `exercises`, whatever their dates) against the budget.
CnsBudgetCheck check_cns_budget(std::span<const CnsExercise> exercises, int persona_aggression,
                                const CnsParams& p = {});

struct FatigueState {
    Date date;
    std::map<std::string, double> muscle_fatigue;   // muscle -> 0..100 (muscle_fatigue_json)
    std::map<std::string, double> muscle_recovery;  // muscle -> 100 - fatigue (muscle_recovery_json)
    double systemic = 0.0;    // 0..100 (user_fatigue_state.systemic_fatigue)
    double cns = 0.0;         // decayed CNS cost points (user_fatigue_state.cns_fatigue)
    CnsBudgetCheck cns_today; // the exercises dated `date` against the daily budget
    double recovery_score = 100.0;  // 100 - systemic (user_fatigue_state.recovery_score), 0..100
};

// The fatigue state at the end of day `as_of` from every set and exercise dated on or before it.
// Muscles appear in the maps once any set loads them. persona_aggression: 1..5.
FatigueState fatigue_state(std::span<const FatigueSet> sets, std::span<const CnsExercise> exercises, Date as_of,
                           int persona_aggression, const FatigueParams& fp = {}, const CnsParams& cp = {});

}  // namespace gainsly::math
