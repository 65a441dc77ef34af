// Pattern strength index, strength trends and personal-record (PR) detection.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "math/e1rm.hpp"
#include "math/params.hpp"

namespace gainsly::math {

using Date = std::chrono::sys_days;

// One exposure of a movement pattern: typically the best top-set e1RM of that pattern in a session.
struct PatternSample {
    std::string pattern;  // movements.pattern, e.g. "squat"
    Date date;
    double e1rm = 0.0;    // > 0
    int microcycle = 0;   // microcycle index (ordinal, >= 0), e.g. microcycles.week_number
};

enum class Trend { insufficient_data, flat, up, down };
std::string_view trend_name(Trend t);  // "insufficient_data", "flat", "up", "down"

struct PatternStrength {
    std::string pattern;
    int exposures = 0;            // samples of the pattern inside the window
    std::optional<double> index;  // mean e1RM over the window; empty when exposures < min_exposures
    double older_mean = 0.0;      // mean of the older half of the window's samples (chronological)
    double newer_mean = 0.0;      // mean of the newer half (the middle sample of an odd count is in neither)
    double change = 0.0;          // newer_mean / older_mean - 1 (0 when insufficient)
    Trend trend = Trend::insufficient_data;  // change >= up_from: up; <= -down_from: down; else flat
    bool early_deload = false;    // change <= -deload_drop (a drop of 10% or more by default)
};

// Strength index per pattern over the microcycles current - window + 1 .. current
// (strength.window_microcycles, default the last 2); `current` defaults to the highest microcycle
// in `samples`. Samples are ordered by (date, microcycle, input order) to split older / newer.
// One entry per pattern with a sample in the window, sorted by pattern name.
std::vector<PatternStrength> pattern_strength(std::span<const PatternSample> samples,
                                              std::optional<int> current_microcycle = std::nullopt,
                                              const StrengthParams& p = {});

// One working set of a movement, in chronological order.
struct SetRecord {
    std::int64_t movement_id = 0;
    Date date;
    double load = 0.0;  // >= 0 (0 for body-weight work)
    int reps = 1;       // 1..30
    double rpe = 0.0;   // <= 0: not given
};

struct PrResult {
    std::size_t index = 0;  // position of the set in the input
    std::int64_t movement_id = 0;
    double e1rm = 0.0;      // e1rm(formula, load, reps, rpe)
    bool e1rm_pr = false;   // e1RM > previous best e1RM x (1 + strength.pr.min_e1rm_gain)
    bool rep_pr = false;    // more reps than any previous set at this load or heavier (needs one)
    bool load_pr = false;   // heavier than any previous set
    double previous_best_e1rm = 0.0;
    int previous_best_reps = 0;  // most reps of a previous set at >= this load (0: none)
};

// The PRs in a chronological list of sets (dates non-decreasing). The first set of a movement sets
// the baseline and is never a PR. Returns only sets with at least one PR flag, in input order.
std::vector<PrResult> detect_prs(std::span<const SetRecord> sets, Formula formula, const StrengthParams& p = {},
                                 const E1rmParams& ep = {});

// PR flags of `candidate` against `history` (earlier sets, any movements): the same rules.
PrResult check_pr(std::span<const SetRecord> history, const SetRecord& candidate, Formula formula,
                  const StrengthParams& p = {}, const E1rmParams& ep = {});

}  // namespace gainsly::math
