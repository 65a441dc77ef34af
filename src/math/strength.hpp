// Pattern strength index and strength trends (personal records live in src/training/records).
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

}  // namespace gainsly::math
