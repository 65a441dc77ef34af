// Robust linear trends (Theil–Sen) and the date a trend reaches a target, for progress screens and
// goal projections. Pure functions, like the rest of src/math.
#pragma once
#include <optional>
#include <span>

namespace gainsly::math {

struct TrendPoint {
    double x = 0.0;  // e.g. days since a reference day
    double y = 0.0;  // the value measured then; finite
};

struct LinearTrend {
    double slope = 0.0;      // median of the slopes between every two points with different x
    double intercept = 0.0;  // median of y - slope * x
    int points = 0;
    double at(double x) const { return intercept + slope * x; }
};

// Theil–Sen estimator: robust to a few outliers (up to about 29% of the points). Empty when fewer
// than two distinct x values are given. Throws Error(invalid) "points[i].y: ..." for a value that
// is not finite.
std::optional<LinearTrend> theil_sen(std::span<const TrendPoint> points);

// Time (in x units) for a value at `current` moving by `slope` per x unit to reach `target`:
// 0 when current already equals target, empty when the slope is 0 or points away from it.
std::optional<double> time_to_target(double current, double slope, double target);

}  // namespace gainsly::math
