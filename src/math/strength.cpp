#include "math/strength.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

// Boundary tolerance so that e.g. 90 / 100 - 1 = -0.09999999999999998 counts as a 10% drop.
constexpr double eps = 1e-9;

void check_params(const StrengthParams& p) {
    detail::require_int_range("strength.window_microcycles", p.window_microcycles, 1, 1000);
    detail::require_int_range("strength.min_exposures", p.min_exposures, 2, 1000);
    detail::require_range("strength.trend.up_from", p.trend_up_from, 0.0, 10.0);
    detail::require_range("strength.trend.down_from", p.trend_down_from, 0.0, 1.0);
    detail::require_range("strength.deload_drop", p.deload_drop, 0.0, 1.0);
    detail::require_range("strength.pr.min_e1rm_gain", p.pr_min_e1rm_gain, 0.0, 10.0);
}

double mean(const std::vector<const PatternSample*>& v, std::size_t from, std::size_t to) {
    double s = 0.0;
    for (std::size_t i = from; i < to; ++i) s += v[i]->e1rm;
    return s / static_cast<double>(to - from);
}

}  // namespace

std::string_view trend_name(Trend t) {
    switch (t) {
    case Trend::insufficient_data: return "insufficient_data";
    case Trend::flat: return "flat";
    case Trend::up: return "up";
    case Trend::down: return "down";
    }
    detail::fail("trend", "unknown value " + std::to_string(static_cast<int>(t)));
}

std::vector<PatternStrength> pattern_strength(std::span<const PatternSample> samples,
                                              std::optional<int> current_microcycle, const StrengthParams& p) {
    check_params(p);
    int current = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto& s = samples[i];
        if (s.pattern.empty()) detail::fail(detail::item("samples", i, "pattern"), "must not be empty");
        detail::require_positive(detail::item("samples", i, "e1rm"), s.e1rm);
        if (s.e1rm > detail::max_load)
            detail::fail(detail::item("samples", i, "e1rm"), "must be <= " + detail::num(detail::max_load) + ", got " + detail::num(s.e1rm));
        detail::require_int_range(detail::item("samples", i, "microcycle"), s.microcycle, 0, 1000000);
        current = std::max(current, s.microcycle);
    }
    if (current_microcycle) {
        detail::require_int_range("current_microcycle", *current_microcycle, 0, 1000000);
        current = *current_microcycle;
    }
    const int first = current - p.window_microcycles + 1;

    std::map<std::string, std::vector<const PatternSample*>, std::less<>> by_pattern;
    for (const auto& s : samples)
        if (s.microcycle >= first && s.microcycle <= current) by_pattern[s.pattern].push_back(&s);

    std::vector<PatternStrength> out;
    for (auto& [pattern, v] : by_pattern) {
        std::stable_sort(v.begin(), v.end(), [](const PatternSample* a, const PatternSample* b) {
            if (a->date != b->date) return a->date < b->date;
            return a->microcycle < b->microcycle;
        });
        PatternStrength ps;
        ps.pattern = pattern;
        ps.exposures = static_cast<int>(v.size());
        if (ps.exposures >= p.min_exposures) {
            const std::size_t n = v.size();
            const std::size_t half = n / 2;
            ps.index = mean(v, 0, n);
            ps.older_mean = mean(v, 0, half);
            ps.newer_mean = mean(v, n - half, n);
            ps.change = ps.newer_mean / ps.older_mean - 1.0;
            if (ps.change >= p.trend_up_from - eps)
                ps.trend = Trend::up;
            else if (ps.change <= -p.trend_down_from + eps)
                ps.trend = Trend::down;
            else
                ps.trend = Trend::flat;
            ps.early_deload = ps.change <= -p.deload_drop + eps;
        }
        out.push_back(std::move(ps));
    }
    return out;
}

}  // namespace gainsly::math
