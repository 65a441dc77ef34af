#include "math/readiness.hpp"

#include <algorithm>
#include <string>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

void check_params(const ReadinessParams& p) {
    detail::require_range("readiness.base_score", p.base_score, 0.0, 100.0);
    detail::require_int_range("readiness.baseline_days", p.baseline_days, 1, 365);
    detail::require_int_range("readiness.baseline_min_days", p.baseline_min_days, 1, p.baseline_days);
    detail::require_range("readiness.sleep.poor_below", p.sleep_poor_below, 0.0, 100.0);
    detail::require_range("readiness.sleep.excellent_from", p.sleep_excellent_from, p.sleep_poor_below, 100.0);
    detail::require_range("readiness.soreness.moderate_from", p.soreness_moderate_from, 0.0, 10.0);
    detail::require_range("readiness.soreness.high_from", p.soreness_high_from, p.soreness_moderate_from, 10.0);
    detail::require_range("readiness.hrv.tolerance", p.hrv_tolerance, 0.0, 1.0);
    detail::require_range("readiness.rhr.well_above_bpm", p.rhr_well_above_bpm, 0.0, 100.0);
    const std::pair<const char*, double> mods[] = {
        {"readiness.sleep.poor_modifier", p.sleep_poor_modifier},
        {"readiness.sleep.excellent_modifier", p.sleep_excellent_modifier},
        {"readiness.soreness.moderate_modifier", p.soreness_moderate_modifier},
        {"readiness.soreness.high_modifier", p.soreness_high_modifier},
        {"readiness.hrv.below_modifier", p.hrv_below_modifier},
        {"readiness.hrv.above_modifier", p.hrv_above_modifier},
        {"readiness.rhr.well_above_modifier", p.rhr_well_above_modifier},
    };
    for (const auto& [key, v] : mods) detail::require_range(key, v, 0.0, 10.0);
}

void check_history(std::string_view name, std::span<const std::optional<double>> h, double hi) {
    if (h.size() > static_cast<std::size_t>(detail::max_series_days))
        detail::fail(name, "at most " + std::to_string(detail::max_series_days) + " days");
    for (std::size_t i = 0; i < h.size(); ++i)
        if (h[i]) detail::require_nonnegative(detail::item(name, i), *h[i], hi);
}

std::optional<double> baseline_unchecked(std::span<const std::optional<double>> h, int window, int min_days) {
    const auto w = static_cast<std::size_t>(window);
    const auto recent = h.size() > w ? h.subspan(h.size() - w) : h;
    double sum = 0.0;
    int n = 0;
    for (const auto& v : recent)
        if (v) {
            sum += *v;
            ++n;
        }
    if (n < min_days || n == 0) return std::nullopt;
    return sum / n;
}

}  // namespace

std::optional<double> rolling_baseline(std::span<const std::optional<double>> history, int window_days, int min_days) {
    detail::require_int_range("window_days", window_days, 1, detail::max_series_days);
    detail::require_int_range("min_days", min_days, 1, window_days);
    check_history("history", history, 1e6);
    return baseline_unchecked(history, window_days, min_days);
}

double soreness_score(std::span<const int> severities) {
    int worst = 0;
    for (std::size_t i = 0; i < severities.size(); ++i) {
        detail::require_int_range(detail::item("severities", i), severities[i], 1, 10);
        worst = std::max(worst, severities[i]);
    }
    return worst;
}

ReadinessResult readiness(const ReadinessInput& in, const ReadinessParams& p) {
    check_params(p);
    if (in.sleep_quality) detail::require_range("sleep_quality", *in.sleep_quality, 0.0, 100.0);
    if (in.soreness) detail::require_range("soreness", *in.soreness, 0.0, 10.0);
    if (in.hrv) detail::require_positive("hrv", *in.hrv);
    if (in.hrv && *in.hrv > 1000.0) detail::fail("hrv", "must be <= 1000, got " + detail::num(*in.hrv));
    if (in.resting_hr) {
        detail::require_positive("resting_hr", *in.resting_hr);
        if (*in.resting_hr >= 250.0) detail::fail("resting_hr", "must be < 250, got " + detail::num(*in.resting_hr));
    }
    check_history("hrv_history", in.hrv_history, 1000.0);
    check_history("resting_hr_history", in.resting_hr_history, 250.0);

    ReadinessResult r;
    if (in.sleep_quality) {
        ++r.signals_used;
        if (*in.sleep_quality < p.sleep_poor_below)
            r.sleep_modifier = p.sleep_poor_modifier;
        else if (*in.sleep_quality >= p.sleep_excellent_from)
            r.sleep_modifier = p.sleep_excellent_modifier;
    }
    if (in.soreness) {
        ++r.signals_used;
        if (*in.soreness >= p.soreness_high_from)
            r.soreness_modifier = p.soreness_high_modifier;
        else if (*in.soreness >= p.soreness_moderate_from)
            r.soreness_modifier = p.soreness_moderate_modifier;
    }
    r.hrv_baseline = baseline_unchecked(in.hrv_history, p.baseline_days, p.baseline_min_days);
    if (in.hrv && r.hrv_baseline && *r.hrv_baseline > 0) {
        ++r.signals_used;
        const double rel = *in.hrv / *r.hrv_baseline - 1.0;
        if (rel < -p.hrv_tolerance)
            r.hrv_modifier = p.hrv_below_modifier;
        else if (rel > p.hrv_tolerance)
            r.hrv_modifier = p.hrv_above_modifier;
    }
    r.resting_hr_baseline = baseline_unchecked(in.resting_hr_history, p.baseline_days, p.baseline_min_days);
    if (in.resting_hr && r.resting_hr_baseline) {
        ++r.signals_used;
        if (*in.resting_hr >= *r.resting_hr_baseline + p.rhr_well_above_bpm)
            r.resting_hr_modifier = p.rhr_well_above_modifier;
    }
    const double s =
        p.base_score * r.sleep_modifier * r.soreness_modifier * r.hrv_modifier * r.resting_hr_modifier;
    r.score = std::clamp(s, 0.0, 100.0);
    return r;
}

}  // namespace gainsly::math
