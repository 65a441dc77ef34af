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

TEST_CASE("strength: PR detection") {
    const std::vector<SetRecord> sets = {
        {1, d0, 100.0, 5},             // 0: baseline, never a PR
        {2, d0, 60.0, 8},              // 1: baseline of another movement
        {1, d0 + days{3}, 100.0, 6},   // 2: rep PR (6 > 5 at >= 100) and e1RM PR (120 > 116.67)
        {1, d0 + days{7}, 105.0, 3},   // 3: load PR only (e1RM 115.5 < 120; nothing at >= 105 before)
        {1, d0 + days{10}, 100.0, 5},  // 4: nothing
        {1, d0 + days{14}, 105.0, 4},  // 5: rep PR (4 > 3 at >= 105); e1RM 119 < 120; same load
        {2, d0 + days{14}, 60.0, 8},   // 6: nothing (equal)
        {1, d0 + days{17}, 90.0, 12},  // 7: rep PR (12 > 6 at >= 90) and e1RM PR (126 > 120)
    };
    const auto prs = detect_prs(sets, Formula::epley);
    REQUIRE(prs.size() == 4);
    CHECK(prs[0].index == 2);
    CHECK(prs[0].rep_pr);
    CHECK(prs[0].e1rm_pr);
    CHECK_FALSE(prs[0].load_pr);
    CHECK(prs[0].e1rm == near(120.0));                    // hand: 100 x (1 + 6/30)
    CHECK(prs[0].previous_best_e1rm == near(116.666666667));
    CHECK(prs[0].previous_best_reps == 5);
    CHECK(prs[1].index == 3);
    CHECK(prs[1].load_pr);
    CHECK_FALSE(prs[1].rep_pr);
    CHECK_FALSE(prs[1].e1rm_pr);
    CHECK(prs[1].e1rm == near(115.5));                    // hand: 105 x 1.1
    CHECK(prs[2].index == 5);
    CHECK(prs[2].rep_pr);
    CHECK_FALSE(prs[2].load_pr);
    CHECK_FALSE(prs[2].e1rm_pr);
    CHECK(prs[2].previous_best_reps == 3);
    CHECK(prs[3].index == 7);
    CHECK(prs[3].rep_pr);
    CHECK(prs[3].e1rm_pr);
    CHECK(prs[3].e1rm == near(126.0));                    // hand: 90 x (1 + 12/30)
    CHECK(prs[3].movement_id == 1);

    // check_pr on the last set agrees with detect_prs.
    const auto last = check_pr(std::span<const SetRecord>(sets).first(7), sets[7], Formula::epley);
    CHECK(last.rep_pr);
    CHECK(last.e1rm_pr);
    CHECK(last.index == 7);
    const auto first = check_pr({}, sets[0], Formula::epley);
    CHECK_FALSE((first.rep_pr || first.e1rm_pr || first.load_pr));

    // A minimum gain filters tiny e1RM PRs.
    StrengthParams strict;
    strict.pr_min_e1rm_gain = 0.05;
    const auto filtered = detect_prs(sets, Formula::epley, strict);
    for (const auto& pr : filtered) CHECK_FALSE(pr.e1rm_pr);  // hand: 120/116.67 = +2.9%, 126/120 = +5% (not >)

    // RPE counts through the e1RM: 100 x 5 @ 8 (epley 123.33) beats 100 x 5 without RPE (116.67).
    const std::vector<SetRecord> rpe = {{1, d0, 100.0, 5}, {1, d0 + days{1}, 100.0, 5, 8.0}};
    const auto r = detect_prs(rpe, Formula::epley);
    REQUIRE(r.size() == 1);
    CHECK(r[0].e1rm_pr);
    CHECK_FALSE(r[0].rep_pr);

    // Body-weight rep PRs at load 0.
    const std::vector<SetRecord> bw = {{7, d0, 0.0, 10}, {7, d0 + days{2}, 0.0, 12}};
    const auto b = detect_prs(bw, Formula::epley);
    REQUIRE(b.size() == 1);
    CHECK(b[0].rep_pr);
    CHECK_FALSE(b[0].e1rm_pr);
}

TEST_CASE("strength: PR detection bad input") {
    std::vector<SetRecord> sets = {{1, d0, 100.0, 5}, {1, d0 + days{1}, -100.0, 5}};
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].load");
    sets[1].load = nan_v;
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].load");
    sets[1] = {1, d0 + days{1}, 100.0, 0};
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].reps");
    sets[1].reps = 40;
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].reps");
    sets[1] = {1, d0 + days{1}, 100.0, 5, 11.0};
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].rpe");
    sets[1] = {1, d0 - days{1}, 100.0, 5};
    expect_invalid([&] { detect_prs(sets, Formula::epley); }, "sets[1].date");
    expect_invalid([] { detect_prs({}, static_cast<Formula>(9)); }, "formula");
    const SetRecord bad{1, d0, 100.0, 31};
    expect_invalid([&] { check_pr({}, bad, Formula::epley); }, "candidate.reps");
}
