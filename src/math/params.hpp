// Every tunable constant of the training math, with its shipped default.
//
// The defaults below are the values shipped in catalog/heuristic_configs/math.json (one row per
// key, key named in the comment of each member). load_params() overrides them from the
// heuristic_configs rows present; a unit test loads math.json and checks that the result equals
// Params{}, so code and data cannot drift apart.
#pragma once
#include <array>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gainsly::math {

// heuristic_configs.key -> parsed heuristic_configs.value.
using Heuristics = std::map<std::string, nlohmann::json, std::less<>>;

struct E1rmParams {
    // e1rm.max_reps: highest rep count accepted by the e1RM formulas; RPE-adjusted (effective)
    // reps above it are clamped to it. At most 36 (Brzycki's denominator 37 - r must stay > 0).
    int max_reps = 30;
    // e1rm.default_formula: formula used when user_settings has none.
    std::string default_formula = "epley";
    bool operator==(const E1rmParams&) const = default;
};

struct RpeParams {
    // rpe.chart.percent_by_total_reps: the RTS (Tuchscherer) %1RM chart. %1RM depends only on
    // total reps = reps + RIR (RIR = 10 - RPE); element i is total reps 1 + i/2 (1, 1.5, 2, ... 16).
    std::vector<double> percent_by_total_reps = {
        100.0, 97.8, 95.5, 93.9, 92.2, 90.7, 89.2, 87.8, 86.3, 85.0, 83.7,  // 1 .. 6
        82.4,  81.1, 79.9, 78.6, 77.4, 76.2, 75.1, 73.9, 72.3, 70.7,        // 6.5 .. 11
        69.4,  68.0, 66.7, 65.3, 64.0, 62.6, 61.3, 59.9, 58.6, 57.4};       // 11.5 .. 16
    // rpe.chart.min_rpe: lowest RPE the chart covers.
    double chart_min_rpe = 6.0;
    // rpe.chart.max_reps: highest rep count the chart covers.
    int chart_max_reps = 12;
    // rpe.plate_increment.kg / rpe.plate_increment.lb: rounding step for prescribed loads.
    double plate_increment_kg = 2.5;
    double plate_increment_lb = 5.0;
    bool operator==(const RpeParams&) const = default;
};

struct LoadParams {
    int acute_days = 7;              // load.acwr.acute_days
    int chronic_days = 28;           // load.acwr.chronic_days
    double ewma_seed = 0.0;          // load.acwr.ewma_seed: acute and chronic EWMA before day 0
    double band_low_below = 0.8;     // load.acwr.band.low_below: ratio < this -> low
    double band_normal_max = 1.3;    // load.acwr.band.normal_max: low_below <= ratio <= this -> normal
    double band_high_from = 1.5;     // load.acwr.band.high_from: ratio >= this -> high (between: elevated)
    int monotony_days = 7;           // load.monotony.days: days in a monotony/strain week
    double monotony_max = 10.0;      // load.monotony.max: cap (also the value when sd = 0 and mean > 0)
    bool monotony_sample_sd = false; // load.monotony.sample_sd: sd with n-1 (true) or n (false)
    bool operator==(const LoadParams&) const = default;
};

struct BanisterParams {
    double p0 = 0.0;                // load.banister.p0: baseline performance
    double k1 = 1.0;                // load.banister.k1: fitness gain
    double k2 = 2.0;                // load.banister.k2: fatigue gain
    double tau_fitness_days = 42.0; // load.banister.tau_fitness_days (tau1)
    double tau_fatigue_days = 7.0;  // load.banister.tau_fatigue_days (tau2)
    bool operator==(const BanisterParams&) const = default;
};

struct FatigueParams {
    // fatigue.tau_hours.<muscle>: exponential recovery time constant per muscle (hours);
    // fatigue left after t hours = e^(-t/tau), half-life = tau * ln 2. Bigger muscles recover slower.
    std::map<std::string, double, std::less<>> tau_hours = {
        {"quadriceps", 36.0}, {"hamstrings", 36.0},  {"glutes", 32.0},     {"calves", 18.0},
        {"chest", 28.0},      {"lats", 28.0},        {"upper_back", 28.0}, {"rear_delts", 18.0},
        {"front_delts", 20.0}, {"side_delts", 18.0}, {"biceps", 18.0},     {"triceps", 20.0},
        {"forearms", 16.0},   {"core", 16.0},        {"obliques", 16.0},   {"lower_back", 36.0},
        {"hip_flexors", 24.0}, {"adductors", 28.0},  {"full_body", 36.0}};
    double default_tau_hours = 24.0;  // fatigue.tau_hours.default: muscles not listed above
    // fatigue.effort.by_rpe: effort factor of a set from its RPE, piecewise linear between
    // [rpe, factor] points (sorted by rpe; constant outside the first/last point).
    std::vector<std::pair<double, double>> effort_by_rpe = {{1.0, 0.5}, {5.0, 0.5}, {10.0, 1.0}};
    double effort_missing_rpe = 0.8;     // fatigue.effort.missing_rpe: factor when the set has no RPE
    double muscle_points_per_set = 10.0; // fatigue.muscle.points_per_set: 0..100 points per unit
                                         // (magnitude 1 x effort 1); 10 such sets = 100 = exhausted
    double systemic_tau_hours = 48.0;    // fatigue.systemic.tau_hours
    double systemic_points_per_set = 2.5; // fatigue.systemic.points_per_set: 0..100 points per unit
                                          // (fatigue_factor 1 x effort 1); 40 such sets = 100
    double default_fatigue_factor = 1.0; // fatigue.systemic.default_fatigue_factor (movement has none)
    bool operator==(const FatigueParams&) const = default;
};

struct CnsParams {
    // cns.cost.<cns_load>: CNS cost of one exercise by movements.cns_load.
    double cost_very_low = 2.0;
    double cost_low = 6.0;
    double cost_moderate = 12.0;
    double cost_high = 18.0;
    double cost_very_high = 25.0;
    // cns.role.<exercise_role>: multiplier by session_exercises.role ("deload" is not a schema role:
    // it is applied to exercises of a deload microcycle).
    double role_warmup = 0.3;
    double role_main = 1.5;
    double role_accessory = 1.0;
    double role_skill = 0.6;
    double role_finisher = 0.8;
    double role_cooldown = 0.2;
    double role_deload = 0.5;
    // cns.daily_budget.aggression_<n>: daily CNS budget by persona_aggression 1..5.
    std::array<double, 5> daily_budget = {50.0, 65.0, 80.0, 95.0, 110.0};
    double tau_hours = 36.0;  // cns.tau_hours: exponential recovery time constant of CNS fatigue
    bool operator==(const CnsParams&) const = default;
};

struct ReadinessParams {
    double base_score = 80.0;      // readiness.base_score: score with no signal or all normal
    int baseline_days = 7;         // readiness.baseline_days: rolling window of the HRV / RHR baseline
    int baseline_min_days = 3;     // readiness.baseline_min_days: values needed in the window
    double sleep_poor_below = 40.0;        // readiness.sleep.poor_below (sleep_quality_score 0..100)
    double sleep_excellent_from = 85.0;    // readiness.sleep.excellent_from
    double sleep_poor_modifier = 0.8;      // readiness.sleep.poor_modifier
    double sleep_excellent_modifier = 1.1; // readiness.sleep.excellent_modifier
    double soreness_moderate_from = 4.0;   // readiness.soreness.moderate_from (severity 0..10)
    double soreness_high_from = 7.0;       // readiness.soreness.high_from
    double soreness_moderate_modifier = 0.85; // readiness.soreness.moderate_modifier
    double soreness_high_modifier = 0.7;      // readiness.soreness.high_modifier
    double hrv_tolerance = 0.05;       // readiness.hrv.tolerance: |hrv/baseline - 1| within it = normal
    double hrv_below_modifier = 0.8;   // readiness.hrv.below_modifier
    double hrv_above_modifier = 1.1;   // readiness.hrv.above_modifier
    double rhr_well_above_bpm = 5.0;   // readiness.rhr.well_above_bpm: rhr >= baseline + this
    double rhr_well_above_modifier = 0.85; // readiness.rhr.well_above_modifier
    bool operator==(const ReadinessParams&) const = default;
};

struct StrengthParams {
    int window_microcycles = 2;     // strength.window_microcycles: recent microcycles in the index
    int min_exposures = 2;          // strength.min_exposures: samples needed for an index
    double trend_up_from = 0.05;    // strength.trend.up_from: newer/older - 1 >= this -> up
    double trend_down_from = 0.05;  // strength.trend.down_from: newer/older - 1 <= -this -> down
    double deload_drop = 0.10;      // strength.deload_drop: newer/older - 1 <= -this -> early deload
    double pr_min_e1rm_gain = 0.0;  // strength.pr.min_e1rm_gain: e1RM PR must beat the best by > this
    bool operator==(const StrengthParams&) const = default;
};

struct Params {
    E1rmParams e1rm;
    RpeParams rpe;
    LoadParams load;
    BanisterParams banister;
    FatigueParams fatigue;
    CnsParams cns;
    ReadinessParams readiness;
    StrengthParams strength;
    bool operator==(const Params&) const = default;
};

// Defaults overridden by the keys of `h` that this module knows (other keys are ignored: the map
// may hold every heuristic of the app). A value of the wrong JSON type or out of range throws
// Error(Status::invalid) naming the key, e.g. "cns.cost.high: must be a number, got \"x\"".
Params load_params(const Heuristics& h);

// The rows of a heuristic_configs JSON document (an array of {"key": ..., "value": ...}) as a
// Heuristics map. Throws Error(Status::invalid) on a malformed row or a duplicate key.
Heuristics heuristics_from_json(const nlohmann::json& rows);

// Every key load_params() reads, in a fixed order.
std::vector<std::string> param_keys();

}  // namespace gainsly::math
