#include "math/trend.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/error.hpp"

namespace gainsly::math {
namespace {

double median(std::vector<double>& v) {
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(mid), v.end());
    double upper = v[mid];
    if (v.size() % 2 == 1) return upper;
    double lower = *std::max_element(v.begin(), v.begin() + std::ptrdiff_t(mid));
    return (lower + upper) / 2.0;
}

}  // namespace

std::optional<LinearTrend> theil_sen(std::span<const TrendPoint> points) {
    for (std::size_t i = 0; i < points.size(); ++i)
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
            invalid("points[" + std::to_string(i) + "]." + (std::isfinite(points[i].x) ? "y" : "x") + ": must be a finite number");
    std::vector<double> slopes;
    slopes.reserve(points.size() * (points.size() - (points.empty() ? 0 : 1)) / 2);
    for (std::size_t i = 0; i < points.size(); ++i)
        for (std::size_t j = i + 1; j < points.size(); ++j)
            if (points[j].x != points[i].x) slopes.push_back((points[j].y - points[i].y) / (points[j].x - points[i].x));
    if (slopes.empty()) return std::nullopt;
    LinearTrend t;
    t.slope = median(slopes);
    std::vector<double> intercepts;
    intercepts.reserve(points.size());
    for (const auto& p : points) intercepts.push_back(p.y - t.slope * p.x);
    t.intercept = median(intercepts);
    t.points = int(points.size());
    return t;
}

std::optional<double> time_to_target(double current, double slope, double target) {
    if (current == target) return 0.0;
    if (slope == 0.0 || (target - current) / slope < 0.0) return std::nullopt;
    return (target - current) / slope;
}

}  // namespace gainsly::math
