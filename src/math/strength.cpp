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

// prefix: "sets[3]" or "candidate".
void check_set(const SetRecord& s, const std::string& prefix, const E1rmParams& ep) {
    detail::require_nonnegative(prefix + ".load", s.load, detail::max_load);
    detail::require_int_range(prefix + ".reps", s.reps, 1, ep.max_reps);
    detail::require_optional_rpe(prefix + ".rpe", s.rpe);
}

struct Best {
    bool seen = false;
    double e1rm = 0.0;
    double load = 0.0;
    std::vector<std::pair<double, int>> sets;  // (load, reps) of every previous set
};

PrResult classify(const Best& b, const SetRecord& s, std::size_t index, double e, const StrengthParams& p) {
    PrResult r;
    r.index = index;
    r.movement_id = s.movement_id;
    r.e1rm = e;
    r.previous_best_e1rm = b.e1rm;
    bool comparable = false;
    for (const auto& [load, reps] : b.sets)
        if (load >= s.load) {
            comparable = true;
            r.previous_best_reps = std::max(r.previous_best_reps, reps);
        }
    if (!b.seen) return r;
    r.e1rm_pr = e > b.e1rm * (1.0 + p.pr_min_e1rm_gain) + eps;
    r.rep_pr = comparable && s.reps > r.previous_best_reps;
    r.load_pr = s.load > b.load + eps;
    return r;
}

void record(Best& b, const SetRecord& s, double e) {
    b.seen = true;
    b.e1rm = std::max(b.e1rm, e);
    b.load = std::max(b.load, s.load);
    b.sets.emplace_back(s.load, s.reps);
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

std::vector<PrResult> detect_prs(std::span<const SetRecord> sets, Formula formula, const StrengthParams& p,
                                 const E1rmParams& ep) {
    check_params(p);
    formula_from_int(static_cast<int>(formula));
    for (std::size_t i = 0; i < sets.size(); ++i) {
        check_set(sets[i], detail::item("sets", i), ep);
        if (i > 0 && sets[i].date < sets[i - 1].date)
            detail::fail(detail::item("sets", i, "date"), "sets must be in chronological order");
    }
    std::map<std::int64_t, Best> best;
    std::vector<PrResult> out;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const auto& s = sets[i];
        const double e = e1rm(formula, s.load, s.reps, s.rpe, ep);
        Best& b = best[s.movement_id];
        PrResult r = classify(b, s, i, e, p);
        if (r.e1rm_pr || r.rep_pr || r.load_pr) out.push_back(r);
        record(b, s, e);
    }
    return out;
}

PrResult check_pr(std::span<const SetRecord> history, const SetRecord& candidate, Formula formula,
                  const StrengthParams& p, const E1rmParams& ep) {
    check_params(p);
    formula_from_int(static_cast<int>(formula));
    check_set(candidate, "candidate", ep);
    Best b;
    for (std::size_t i = 0; i < history.size(); ++i) {
        check_set(history[i], detail::item("history", i), ep);
        if (history[i].movement_id != candidate.movement_id) continue;
        record(b, history[i], e1rm(formula, history[i].load, history[i].reps, history[i].rpe, ep));
    }
    return classify(b, candidate, history.size(), e1rm(formula, candidate.load, candidate.reps, candidate.rpe, ep), p);
}

}  // namespace gainsly::math
