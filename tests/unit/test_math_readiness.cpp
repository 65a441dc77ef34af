// Readiness / recovery score. Expected values are worked by hand (base 80 x modifiers) or come from
// tests/vectors/math_vectors.py ("vectors: <name>").
#include <doctest/doctest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "math/readiness.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using doctest::Approx;

namespace {


std::vector<std::optional<double>> days(double value, int n) { return std::vector<std::optional<double>>(n, value); }

}  // namespace

TEST_CASE("readiness: every signal missing gives the base score") {
    const auto r = readiness({});
    CHECK(r.score == 80.0);  // hand: readiness.base_score
    CHECK(r.signals_used == 0);
    CHECK_FALSE(r.hrv_baseline.has_value());
    CHECK_FALSE(r.resting_hr_baseline.has_value());
}

TEST_CASE("readiness: sleep modifiers") {
    ReadinessInput in;
    in.sleep_quality = 30.0;
    CHECK(readiness(in).score == near(64.0));  // hand: 80 x 0.8
    in.sleep_quality = 90.0;
    CHECK(readiness(in).score == near(88.0));  // hand: 80 x 1.1
    in.sleep_quality = 60.0;
    CHECK(readiness(in).score == 80.0);
    in.sleep_quality = 0.0;                    // a real 0 is poor sleep, not a missing value
    CHECK(readiness(in).score == near(64.0));
    CHECK(readiness(in).signals_used == 1);
}

TEST_CASE("readiness: soreness modifiers") {
    ReadinessInput in;
    in.soreness = 8.0;
    CHECK(readiness(in).score == near(56.0));  // hand: 80 x 0.7
    in.soreness = 5.0;
    CHECK(readiness(in).score == near(68.0));  // hand: 80 x 0.85
    in.soreness = 2.0;
    CHECK(readiness(in).score == 80.0);
    const int logs[] = {3, 7, 2};
    CHECK(soreness_score(logs) == 7.0);        // hand: worst severity
    CHECK(soreness_score({}) == 0.0);
    const int bad[] = {3, 11};
    expect_invalid([&] { soreness_score(bad); }, "severities[1]");
}

TEST_CASE("readiness: HRV against the rolling baseline") {
    ReadinessInput in;
    in.hrv_history = days(60.0, 7);
    in.hrv = 50.0;
    auto r = readiness(in);
    CHECK(*r.hrv_baseline == 60.0);
    CHECK(r.hrv_modifier == 0.8);
    CHECK(r.score == near(64.0));              // hand: 80 x 0.8
    in.hrv = 70.0;
    CHECK(readiness(in).score == near(88.0));  // hand: 80 x 1.1
    in.hrv = 62.0;                             // +3.3%: within the 5% tolerance
    CHECK(readiness(in).score == 80.0);
    // The baseline is the last 7 days only: older values do not count.
    in.hrv_history = days(100.0, 10);
    for (int i = 0; i < 7; ++i) in.hrv_history.push_back(60.0);
    in.hrv = 50.0;
    CHECK(*readiness(in).hrv_baseline == 60.0);
    // Too little history: HRV is skipped, not compared with zero.
    in.hrv_history = {std::nullopt, 60.0, std::nullopt, 61.0};
    r = readiness(in);
    CHECK_FALSE(r.hrv_baseline.has_value());
    CHECK(r.score == 80.0);
    CHECK(r.signals_used == 0);
    // Missing days inside the window are skipped.
    in.hrv_history = {60.0, std::nullopt, 62.0, std::nullopt, 64.0};
    CHECK(*readiness(in).hrv_baseline == near(62.0));
    // No HRV today: skipped even with a baseline.
    in.hrv.reset();
    CHECK(readiness(in).score == 80.0);
}

TEST_CASE("readiness: resting heart rate well above baseline") {
    ReadinessInput in;
    in.resting_hr_history = days(55.0, 7);
    in.resting_hr = 61.0;
    CHECK(readiness(in).score == near(68.0));  // hand: 80 x 0.85 (61 >= 55 + 5)
    in.resting_hr = 60.0;
    CHECK(readiness(in).score == near(68.0));  // hand: exactly +5 counts as well above
    in.resting_hr = 58.0;
    CHECK(readiness(in).score == 80.0);
    in.resting_hr = 48.0;                      // below baseline: no bonus
    CHECK(readiness(in).score == 80.0);
}

TEST_CASE("readiness: combined and clamped") {
    ReadinessInput bad;
    bad.sleep_quality = 20.0;
    bad.soreness = 9.0;
    bad.hrv = 40.0;
    bad.hrv_history = days(60.0, 7);
    bad.resting_hr = 70.0;
    bad.resting_hr_history = days(55.0, 7);
    const auto r = readiness(bad);
    CHECK(r.score == near(30.464));  // vectors: readiness.all_bad = 80 x 0.8 x 0.7 x 0.8 x 0.85
    CHECK(r.signals_used == 4);

    ReadinessInput good;
    good.sleep_quality = 95.0;
    good.hrv = 75.0;
    good.hrv_history = days(60.0, 7);
    good.soreness = 0.0;
    CHECK(readiness(good).score == near(96.8));  // vectors: readiness.sleep_exc_hrv_above = 80 x 1.1 x 1.1
    ReadinessParams high;
    high.base_score = 100.0;
    CHECK(readiness(good, high).score == 100.0);  // hand: 121 clamped to 100
    ReadinessParams zero;
    zero.sleep_poor_modifier = 0.0;
    CHECK(readiness(bad, zero).score == 0.0);
}

TEST_CASE("readiness: rolling baseline helper") {
    const std::vector<std::optional<double>> h = {50.0, 60.0, std::nullopt, 70.0};
    CHECK(*rolling_baseline(h, 7, 3) == 60.0);
    CHECK_FALSE(rolling_baseline(h, 2, 2).has_value());  // last 2 days: only 70 present
    CHECK(*rolling_baseline(h, 2, 1) == 70.0);
    expect_invalid([&] { rolling_baseline(h, 0, 1); }, "window_days");
    expect_invalid([&] { rolling_baseline(h, 3, 4); }, "min_days");
    const std::vector<std::optional<double>> nan_h = {50.0, nan_v};
    expect_invalid([&] { rolling_baseline(nan_h, 3, 1); }, "history[1]");
}

TEST_CASE("readiness: bad input") {
    ReadinessInput in;
    in.sleep_quality = 101.0;
    expect_invalid([&] { readiness(in); }, "sleep_quality");
    in.sleep_quality = nan_v;
    expect_invalid([&] { readiness(in); }, "sleep_quality");
    in = {};
    in.soreness = 11.0;
    expect_invalid([&] { readiness(in); }, "soreness");
    in = {};
    in.hrv = -5.0;
    expect_invalid([&] { readiness(in); }, "hrv");
    in = {};
    in.resting_hr = 0.0;
    expect_invalid([&] { readiness(in); }, "resting_hr");
    in.resting_hr = 300.0;
    expect_invalid([&] { readiness(in); }, "resting_hr");
    in = {};
    in.resting_hr_history = {55.0, -1.0};
    expect_invalid([&] { readiness(in); }, "resting_hr_history[1]");
    ReadinessParams p;
    p.baseline_min_days = 10;
    expect_invalid([&] { readiness({}, p); }, "readiness.baseline_min_days");
}
