#include "math/rpe.hpp"

#include <cmath>
#include <cstddef>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

void check_chart(const RpeParams& p) {
    detail::require_range("rpe.chart.min_rpe", p.chart_min_rpe, 1.0, 10.0);
    detail::require_int_range("rpe.chart.max_reps", p.chart_max_reps, 1, 30);
    // Total reps run from 1 to max_reps + (10 - min_rpe), in half steps.
    const double top = p.chart_max_reps + (10.0 - p.chart_min_rpe);
    const auto needed = static_cast<std::size_t>(std::ceil((top - 1.0) * 2.0)) + 1;
    if (p.percent_by_total_reps.size() < needed)
        detail::fail("rpe.chart.percent_by_total_reps",
                     "needs " + std::to_string(needed) + " values, has " + std::to_string(p.percent_by_total_reps.size()));
}

}  // namespace

double percent_1rm(int reps, double rpe, const RpeParams& p) {
    check_chart(p);
    detail::require_int_range("reps", reps, 1, p.chart_max_reps);
    detail::require_range("rpe", rpe, p.chart_min_rpe, 10.0);
    const double pos = (reps + (10.0 - rpe) - 1.0) * 2.0;  // index into the half-step chart
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const double frac = pos - static_cast<double>(i);
    const auto& c = p.percent_by_total_reps;
    if (frac == 0.0 || i + 1 >= c.size()) return c[i];
    return c[i] + (c[i + 1] - c[i]) * frac;
}

double e1rm_from_rpe(double load, int reps, double rpe, const RpeParams& p) {
    detail::require_nonnegative("load", load, detail::max_load);
    const double pct = percent_1rm(reps, rpe, p);
    if (!(pct > 0)) detail::fail("rpe.chart.percent_by_total_reps", "values must be > 0");
    return load * 100.0 / pct;
}

double round_to_increment(double load, double increment) {
    detail::require_nonnegative("load", load, detail::max_load);
    detail::require_positive("increment", increment);
    if (increment > detail::max_load) detail::fail("increment", "must be <= " + detail::num(detail::max_load) + ", got " + detail::num(increment));
    // The tiny nudge makes exact halves (e.g. 116.25 / 2.5 = 46.5) round up even when the
    // division lands a hair below the half.
    return std::floor(load / increment + 0.5 + 1e-9) * increment;
}

double plate_increment(bool use_metric, const RpeParams& p) {
    const double inc = use_metric ? p.plate_increment_kg : p.plate_increment_lb;
    detail::require_positive(use_metric ? "rpe.plate_increment.kg" : "rpe.plate_increment.lb", inc);
    return inc;
}

double load_for(double e1rm, int reps, double rpe, double increment, const RpeParams& p) {
    detail::require_nonnegative("e1rm", e1rm, detail::max_load);
    detail::require_positive("increment", increment);
    const double pct = percent_1rm(reps, rpe, p);
    return round_to_increment(e1rm * pct / 100.0, increment);
}

double load_for_units(double e1rm, int reps, double rpe, bool use_metric, const RpeParams& p) {
    return load_for(e1rm, reps, rpe, plate_increment(use_metric, p), p);
}

}  // namespace gainsly::math
