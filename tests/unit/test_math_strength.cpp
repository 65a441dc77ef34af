// Pattern strength index, trends, early-deload flag and PR detection. Expected values are worked
// by hand ("hand: ...").
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "math/strength.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using namespace std::chrono;
using doctest::Approx;

namespace {


const sys_days d0{2024y / 1 / 1};

// Squat exposures twice a week in microcycles 1 and 2 with the given e1RMs, plus an old one in 0.
std::vector<PatternSample> squat(double a, double b, double c, double d) {
    return {{"squat", d0, 500.0, 0},
            {"squat", d0 + days{7}, a, 1},
            {"squat", d0 + days{10}, b, 1},
            {"squat", d0 + days{14}, c, 2},
            {"squat", d0 + days{17}, d, 2}};
}

}  // namespace

TEST_CASE("strength: trend up, flat, down and the early deload flag") {
    auto up = pattern_strength(squat(100, 100, 106, 106));
    REQUIRE(up.size() == 1);
    CHECK(up[0].pattern == "squat");
    CHECK(up[0].exposures == 4);            // hand: microcycle 0 is outside the last 2
    CHECK(*up[0].index == near(103.0));     // hand: (100+100+106+106)/4
    CHECK(up[0].older_mean == 100.0);
    CHECK(up[0].newer_mean == 106.0);
    CHECK(up[0].change == near(0.06));
    CHECK(up[0].trend == Trend::up);
    CHECK_FALSE(up[0].early_deload);

    auto flat = pattern_strength(squat(100, 100, 103, 103));
    CHECK(flat[0].trend == Trend::flat);    // hand: +3%
    auto edge_up = pattern_strength(squat(100, 100, 105, 105));
    CHECK(edge_up[0].trend == Trend::up);   // hand: exactly +5% is up

    auto down = pattern_strength(squat(100, 100, 94, 94));
    CHECK(down[0].trend == Trend::down);    // hand: -6%
    CHECK_FALSE(down[0].early_deload);
    auto edge_down = pattern_strength(squat(100, 100, 95, 95));
    CHECK(edge_down[0].trend == Trend::down);  // hand: exactly -5% is down

    auto deload = pattern_strength(squat(100, 100, 90, 90));
    CHECK(deload[0].change == near(-0.10));
    CHECK(deload[0].trend == Trend::down);
    CHECK(deload[0].early_deload);          // hand: a 10% drop flags an early deload
    auto almost = pattern_strength(squat(100, 100, 91, 91));
    CHECK_FALSE(almost[0].early_deload);    // hand: -9%
    CHECK(trend_name(Trend::down) == "down");
}

TEST_CASE("strength: halves, windows and insufficient data") {
    // Odd count: the middle sample is in neither half.
    const std::vector<PatternSample> odd = {{"hinge", d0, 100, 1}, {"hinge", d0 + days{3}, 500, 1},
                                            {"hinge", d0 + days{7}, 110, 2}};
    auto r = pattern_strength(odd);
    CHECK(r[0].older_mean == 100.0);
    CHECK(r[0].newer_mean == 110.0);
    CHECK(*r[0].index == near(710.0 / 3));
    // Order comes from the dates, not the input order.
    const std::vector<PatternSample> shuffled = {{"hinge", d0 + days{7}, 110, 2}, {"hinge", d0, 100, 1}};
    CHECK(pattern_strength(shuffled)[0].trend == Trend::up);
    // One exposure is not enough.
    const std::vector<PatternSample> one = {{"lunge", d0, 80, 2}, {"squat", d0, 100, 2}, {"squat", d0 + days{2}, 100, 2}};
    auto two = pattern_strength(one);
    REQUIRE(two.size() == 2);
    CHECK(two[0].pattern == "lunge");
    CHECK_FALSE(two[0].index.has_value());
    CHECK(two[0].trend == Trend::insufficient_data);
    CHECK(two[1].pattern == "squat");
    CHECK(two[1].trend == Trend::flat);
    // An explicit current microcycle moves the window: at 4, nothing of 1..2 is left.
    CHECK(pattern_strength(squat(100, 100, 90, 90), 4).empty());
    // At 1 the window is microcycles 0 and 1.
    auto early = pattern_strength(squat(100, 100, 90, 90), 1);
    CHECK(early[0].exposures == 3);
    StrengthParams wide;
    wide.window_microcycles = 3;
    CHECK(pattern_strength(squat(100, 100, 90, 90), std::nullopt, wide)[0].exposures == 5);
    CHECK(pattern_strength({}).empty());
}

TEST_CASE("strength: bad input") {
    auto s = squat(100, 100, 100, 100);
    s[2].e1rm = -1.0;
    expect_invalid([&] { pattern_strength(s); }, "samples[2].e1rm");
    s[2].e1rm = nan_v;
    expect_invalid([&] { pattern_strength(s); }, "samples[2].e1rm");
    s[2].e1rm = 0.0;
    expect_invalid([&] { pattern_strength(s); }, "samples[2].e1rm");
    s = squat(100, 100, 100, 100);
    s[1].pattern.clear();
    expect_invalid([&] { pattern_strength(s); }, "samples[1].pattern");
    s = squat(100, 100, 100, 100);
    s[3].microcycle = -1;
    expect_invalid([&] { pattern_strength(s); }, "samples[3].microcycle");
    StrengthParams p;
    p.min_exposures = 1;
    expect_invalid([&] { pattern_strength(squat(1, 1, 1, 1), std::nullopt, p); }, "strength.min_exposures");
}
