// Training load: Foster session-RPE load, monotony / strain, acute:chronic workload ratio (rolling
// coupled, rolling uncoupled, EWMA) and the Banister fitness-fatigue model.
//
// Daily series are plain vectors of one value per calendar day, oldest first, last = "today";
// a day without training is 0. daily_load_series() builds one from dated sessions.
#pragma once
#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "math/params.hpp"

namespace gainsly::math {

using Date = std::chrono::sys_days;

// Foster session-RPE load: session RPE (CR-10, 1..10) x duration in minutes (0..1440).
double session_rpe_load(double rpe, double minutes);

struct DatedLoad {
    Date date;
    double load = 0.0;  // e.g. session_rpe_load(); finite, >= 0
};
// One value per day from `first` to `last` inclusive (sum of the loads dated that day; loads
// outside the range are ignored). Requires first <= last.
std::vector<double> daily_load_series(std::span<const DatedLoad> loads, Date first, Date last);

struct WeekStats {
    double total = 0.0;     // sum of the daily loads
    double mean = 0.0;      // mean daily load
    double sd = 0.0;        // standard deviation of the daily loads (n or n-1: p.monotony_sample_sd)
    double monotony = 0.0;  // mean / sd, capped at p.monotony_max; sd = 0: 0 if mean = 0, else the cap
    double strain = 0.0;    // total * monotony
};
// Foster monotony and strain of the last p.monotony_days values of `daily_loads` (needs at least
// that many values).
WeekStats weekly_monotony(std::span<const double> daily_loads, const LoadParams& p = {});

enum class AcwrMethod {
    rolling_coupled,    // acute = mean of the last A days; chronic = mean of the last C days (includes acute)
    rolling_uncoupled,  // acute as above; chronic = mean of the C - A days before the acute window
    ewma,               // exponentially weighted moving averages, lambda = 2 / (N + 1), seeded with p.ewma_seed
};
enum class AcwrBand { insufficient_data, low, normal, elevated, high };

std::string_view acwr_method_name(AcwrMethod m);  // "rolling_coupled", "rolling_uncoupled", "ewma"
std::string_view acwr_band_name(AcwrBand b);      // "insufficient_data", "low", "normal", "elevated", "high"

// Band of a ratio: < low_below low; <= normal_max normal; < high_from elevated; else high.
AcwrBand acwr_band(double ratio, const LoadParams& p = {});

struct AcwrResult {
    double acute = 0.0;           // mean daily load (rolling) or EWMA of the acute window
    double chronic = 0.0;         // mean daily load (rolling) or EWMA of the chronic window
    std::optional<double> ratio;  // acute / chronic; empty when chronic is 0 or the series is too short
    AcwrBand band = AcwrBand::insufficient_data;
};
// ACWR on the last day of `daily_loads`. Rolling methods need at least p.chronic_days values
// (otherwise insufficient_data); EWMA runs over the whole series from the seed.
AcwrResult acwr(std::span<const double> daily_loads, AcwrMethod method, const LoadParams& p = {});
// acwr() at every day of the series (element i = acwr of the first i + 1 days).
std::vector<AcwrResult> acwr_series(std::span<const double> daily_loads, AcwrMethod method, const LoadParams& p = {});

// EWMA of the series with lambda = 2 / (window_days + 1), starting from `seed`; one value per day.
std::vector<double> ewma(std::span<const double> daily_loads, int window_days, double seed);

struct BanisterPoint {
    double fitness = 0.0;      // sum over s < t of w(s) e^(-(t-s)/tau1)
    double fatigue = 0.0;      // sum over s < t of w(s) e^(-(t-s)/tau2)
    double performance = 0.0;  // p0 + k1 * fitness - k2 * fatigue
};
// Banister fitness-fatigue model at day t (t >= 0; may lie past the series, for forecasting):
// w(s) = daily_loads[s], day 0 = first element; training on day t counts from day t + 1.
BanisterPoint banister(std::span<const double> daily_loads, int t, const BanisterParams& p = {});
// banister() at t = 0 .. daily_loads.size() (one more point than loads: the day after the last).
std::vector<BanisterPoint> banister_series(std::span<const double> daily_loads, const BanisterParams& p = {});

}  // namespace gainsly::math
