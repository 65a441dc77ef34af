// Readiness / recovery score (0..100) from sleep, HRV, resting heart rate and soreness.
//
// score = clamp(readiness.base_score x product of the modifiers that apply, 0, 100).
// A signal that is missing (empty optional, or HRV / resting HR without a baseline) is skipped:
// its modifier is 1, it is never read as zero. Modifiers (defaults):
// - sleep_quality_score (0..100): < 40 poor x0.8; >= 85 excellent x1.1; else x1.
// - soreness (0..10, the worst severity of the day's soreness_logs; 0 = none):
//   >= 7 high x0.7; >= 4 moderate x0.85; else x1.
// - HRV vs the user's rolling baseline (mean of the last readiness.baseline_days values before
//   today, at least readiness.baseline_min_days present): below baseline by more than 5% x0.8;
//   above by more than 5% x1.1; else x1.
// - resting HR vs its baseline: >= baseline + 5 bpm ("well above") x0.85; else x1 (a low resting
//   HR is not rewarded: it is the normal state of a rested athlete).
#pragma once
#include <optional>
#include <span>
#include <vector>

#include "math/params.hpp"

namespace gainsly::math {

struct ReadinessInput {
    std::optional<double> sleep_quality;  // recovery_signals.sleep_quality_score, 0..100
    std::optional<double> soreness;       // 0..10, e.g. soreness_score() of the day's soreness_logs
    std::optional<double> hrv;            // today's HRV (ms), > 0
    std::optional<double> resting_hr;     // today's resting heart rate (bpm), 0 < x < 250
    // Previous days, oldest first, one element per day (empty = no value that day); today excluded.
    std::vector<std::optional<double>> hrv_history;
    std::vector<std::optional<double>> resting_hr_history;
};

struct ReadinessResult {
    double score = 0.0;                  // 0..100 (recovery_signals.readiness_score)
    std::optional<double> hrv_baseline;  // empty: not enough history
    std::optional<double> resting_hr_baseline;
    double sleep_modifier = 1.0;
    double soreness_modifier = 1.0;
    double hrv_modifier = 1.0;
    double resting_hr_modifier = 1.0;
    int signals_used = 0;  // signals that were present and compared (0..4)
};

ReadinessResult readiness(const ReadinessInput& in, const ReadinessParams& p = {});

// Mean of the present values among the last `window_days` elements of `history`, or empty when
// fewer than `min_days` are present. Values must be finite and >= 0.
std::optional<double> rolling_baseline(std::span<const std::optional<double>> history, int window_days, int min_days);

// Worst severity (1..10) of the day's soreness_logs; 0 when there is none.
double soreness_score(std::span<const int> severities);

}  // namespace gainsly::math
