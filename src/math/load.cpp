#include "math/load.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

void check_series(std::span<const double> loads) {
    if (loads.size() > static_cast<std::size_t>(detail::max_series_days))
        detail::fail("daily_loads", "at most " + std::to_string(detail::max_series_days) + " days, got " +
                                        std::to_string(loads.size()));
    for (std::size_t i = 0; i < loads.size(); ++i)
        detail::require_nonnegative(detail::item("daily_loads", i), loads[i], detail::max_daily_load);
}

void check_params(const LoadParams& p) {
    detail::require_int_range("load.acwr.acute_days", p.acute_days, 1, 365);
    detail::require_int_range("load.acwr.chronic_days", p.chronic_days, p.acute_days + 1, 3650);
    detail::require_nonnegative("load.acwr.ewma_seed", p.ewma_seed, detail::max_daily_load);
    detail::require_positive("load.acwr.band.low_below", p.band_low_below);
    detail::require_range("load.acwr.band.normal_max", p.band_normal_max, p.band_low_below, 1e6);
    detail::require_range("load.acwr.band.high_from", p.band_high_from, p.band_normal_max, 1e6);
    detail::require_int_range("load.monotony.days", p.monotony_days, 2, 365);
    detail::require_positive("load.monotony.max", p.monotony_max);
}

void check_params(const BanisterParams& p) {
    detail::require_range("load.banister.p0", p.p0, -1e9, 1e9);
    detail::require_range("load.banister.k1", p.k1, 0.0, 1e6);
    detail::require_range("load.banister.k2", p.k2, 0.0, 1e6);
    detail::require_positive("load.banister.tau_fitness_days", p.tau_fitness_days);
    detail::require_positive("load.banister.tau_fatigue_days", p.tau_fatigue_days);
}

double mean_of(std::span<const double> v) {
    double s = 0.0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

AcwrResult finish(double acute, double chronic, const LoadParams& p) {
    AcwrResult r;
    r.acute = acute;
    r.chronic = chronic;
    if (chronic > 0) {
        r.ratio = acute / chronic;
        r.band = acwr_band(*r.ratio, p);
    }
    return r;
}

AcwrResult rolling(std::span<const double> loads, bool coupled, const LoadParams& p) {
    const auto n = loads.size();
    const auto a = static_cast<std::size_t>(p.acute_days);
    const auto c = static_cast<std::size_t>(p.chronic_days);
    if (n < c) {
        AcwrResult r;
        r.acute = mean_of(loads.subspan(n >= a ? n - a : 0));
        return r;
    }
    const double acute = mean_of(loads.subspan(n - a));
    const double chronic = coupled ? mean_of(loads.subspan(n - c)) : mean_of(loads.subspan(n - c, c - a));
    return finish(acute, chronic, p);
}

}  // namespace

double session_rpe_load(double rpe, double minutes) {
    detail::require_range("rpe", rpe, 1.0, 10.0);
    detail::require_nonnegative("minutes", minutes, detail::max_minutes);
    return rpe * minutes;
}

std::vector<double> daily_load_series(std::span<const DatedLoad> loads, Date first, Date last) {
    if (last < first) detail::fail("last", "must not be before first");
    const auto days = (last - first).count() + 1;
    if (days > detail::max_series_days)
        detail::fail("last", "range is longer than " + std::to_string(detail::max_series_days) + " days");
    std::vector<double> out(static_cast<std::size_t>(days), 0.0);
    for (std::size_t i = 0; i < loads.size(); ++i) {
        detail::require_nonnegative(detail::item("loads", i, "load"), loads[i].load, detail::max_daily_load);
        if (loads[i].date < first || loads[i].date > last) continue;
        out[static_cast<std::size_t>((loads[i].date - first).count())] += loads[i].load;
    }
    for (double& v : out) v = std::min(v, detail::max_daily_load);
    return out;
}

WeekStats weekly_monotony(std::span<const double> daily_loads, const LoadParams& p) {
    check_params(p);
    check_series(daily_loads);
    const auto d = static_cast<std::size_t>(p.monotony_days);
    if (daily_loads.size() < d)
        detail::fail("daily_loads", "needs at least " + std::to_string(d) + " days, got " +
                                        std::to_string(daily_loads.size()));
    const auto week = daily_loads.subspan(daily_loads.size() - d);
    WeekStats w;
    for (double x : week) w.total += x;
    w.mean = w.total / static_cast<double>(d);
    double ss = 0.0;
    for (double x : week) ss += (x - w.mean) * (x - w.mean);
    w.sd = std::sqrt(ss / static_cast<double>(p.monotony_sample_sd ? d - 1 : d));
    if (w.mean == 0.0)
        w.monotony = 0.0;
    else if (w.sd == 0.0 || w.mean / w.sd > p.monotony_max)
        w.monotony = p.monotony_max;
    else
        w.monotony = w.mean / w.sd;
    w.strain = w.total * w.monotony;
    return w;
}

std::string_view acwr_method_name(AcwrMethod m) {
    switch (m) {
    case AcwrMethod::rolling_coupled: return "rolling_coupled";
    case AcwrMethod::rolling_uncoupled: return "rolling_uncoupled";
    case AcwrMethod::ewma: return "ewma";
    }
    detail::fail("method", "unknown ACWR method " + std::to_string(static_cast<int>(m)));
}

std::string_view acwr_band_name(AcwrBand b) {
    switch (b) {
    case AcwrBand::insufficient_data: return "insufficient_data";
    case AcwrBand::low: return "low";
    case AcwrBand::normal: return "normal";
    case AcwrBand::elevated: return "elevated";
    case AcwrBand::high: return "high";
    }
    detail::fail("band", "unknown ACWR band " + std::to_string(static_cast<int>(b)));
}

AcwrBand acwr_band(double ratio, const LoadParams& p) {
    check_params(p);
    detail::require_nonnegative("ratio", ratio, 1e12);
    if (ratio < p.band_low_below) return AcwrBand::low;
    if (ratio <= p.band_normal_max) return AcwrBand::normal;
    if (ratio < p.band_high_from) return AcwrBand::elevated;
    return AcwrBand::high;
}

std::vector<double> ewma(std::span<const double> daily_loads, int window_days, double seed) {
    check_series(daily_loads);
    detail::require_int_range("window_days", window_days, 1, detail::max_series_days);
    detail::require_nonnegative("seed", seed, detail::max_daily_load);
    const double lambda = 2.0 / (window_days + 1.0);
    std::vector<double> out;
    out.reserve(daily_loads.size());
    double v = seed;
    for (double x : daily_loads) {
        v = lambda * x + (1.0 - lambda) * v;
        out.push_back(v);
    }
    return out;
}

AcwrResult acwr(std::span<const double> daily_loads, AcwrMethod method, const LoadParams& p) {
    check_params(p);
    check_series(daily_loads);
    switch (method) {
    case AcwrMethod::rolling_coupled: return rolling(daily_loads, true, p);
    case AcwrMethod::rolling_uncoupled: return rolling(daily_loads, false, p);
    case AcwrMethod::ewma: {
        if (daily_loads.empty()) return finish(p.ewma_seed, p.ewma_seed, p);
        const auto a = ewma(daily_loads, p.acute_days, p.ewma_seed);
        const auto c = ewma(daily_loads, p.chronic_days, p.ewma_seed);
        return finish(a.back(), c.back(), p);
    }
    }
    detail::fail("method", "unknown ACWR method " + std::to_string(static_cast<int>(method)));
}

std::vector<AcwrResult> acwr_series(std::span<const double> daily_loads, AcwrMethod method, const LoadParams& p) {
    check_params(p);
    check_series(daily_loads);
    std::vector<AcwrResult> out;
    out.reserve(daily_loads.size());
    if (method == AcwrMethod::ewma) {
        const auto a = ewma(daily_loads, p.acute_days, p.ewma_seed);
        const auto c = ewma(daily_loads, p.chronic_days, p.ewma_seed);
        for (std::size_t i = 0; i < daily_loads.size(); ++i) out.push_back(finish(a[i], c[i], p));
        return out;
    }
    for (std::size_t i = 0; i < daily_loads.size(); ++i) out.push_back(acwr(daily_loads.first(i + 1), method, p));
    return out;
}

BanisterPoint banister(std::span<const double> daily_loads, int t, const BanisterParams& p) {
    check_params(p);
    check_series(daily_loads);
    detail::require_int_range("t", t, 0, detail::max_series_days);
    BanisterPoint b;
    const auto end = std::min(static_cast<std::size_t>(t), daily_loads.size());
    for (std::size_t s = 0; s < end; ++s) {
        const double dt = static_cast<double>(t) - static_cast<double>(s);
        b.fitness += daily_loads[s] * std::exp(-dt / p.tau_fitness_days);
        b.fatigue += daily_loads[s] * std::exp(-dt / p.tau_fatigue_days);
    }
    b.performance = p.p0 + p.k1 * b.fitness - p.k2 * b.fatigue;
    return b;
}

std::vector<BanisterPoint> banister_series(std::span<const double> daily_loads, const BanisterParams& p) {
    check_params(p);
    check_series(daily_loads);
    const double d1 = std::exp(-1.0 / p.tau_fitness_days);
    const double d2 = std::exp(-1.0 / p.tau_fatigue_days);
    std::vector<BanisterPoint> out;
    out.reserve(daily_loads.size() + 1);
    BanisterPoint b;
    b.performance = p.p0;
    out.push_back(b);
    for (double w : daily_loads) {
        // fitness(t + 1) = e^(-1/tau1) (fitness(t) + w(t)), the same sum computed incrementally.
        b.fitness = d1 * (b.fitness + w);
        b.fatigue = d2 * (b.fatigue + w);
        b.performance = p.p0 + p.k1 * b.fitness - p.k2 * b.fatigue;
        out.push_back(b);
    }
    return out;
}

}  // namespace gainsly::math
