// e1RM formulas and the RPE / %1RM chart. Expected values come from tests/vectors/math_vectors.py
// ("vectors: <name>") or are worked by hand ("hand: ...").
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "math/e1rm.hpp"
#include "math/rpe.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using doctest::Approx;

TEST_CASE("e1rm: each formula at 5, 10 and 20 reps") {
    struct Row { Formula f; double r5, r10, r20; };
    const Row rows[] = {
        // vectors: e1rm.<formula>.r5 / r10 / r20 (load 100)
        {Formula::epley, 116.666666667, 133.333333333, 166.666666667},     // hand: 100*(1+5/30)=116.667
        {Formula::brzycki, 112.5, 133.333333333, 211.764705882},           // hand: 100*36/32=112.5
        {Formula::lombardi, 117.461894309, 125.892541179, 134.928284767},  // 100*5^0.1
        {Formula::oconner, 112.5, 125.0, 150.0},                           // hand: 100*(1+0.125)
        {Formula::mayhew, 119.010680452, 130.934273428, 151.177753904},
        {Formula::wathan, 116.582505291, 134.746699482, 164.461775295},
        {Formula::lander, 113.708917679, 134.070362808, 208.875539421},
    };
    for (const auto& r : rows) {
        CAPTURE(formula_name(r.f));
        CHECK(e1rm(r.f, 100.0, 5) == Approx(r.r5).epsilon(1e-10));
        CHECK(e1rm(r.f, 100.0, 10) == Approx(r.r10).epsilon(1e-10));
        CHECK(e1rm(r.f, 100.0, 20) == Approx(r.r20).epsilon(1e-10));
    }
}

TEST_CASE("e1rm: a single returns the load for every formula") {
    for (int i = 0; i < formula_count; ++i) {
        const Formula f = formula_from_int(i);
        CAPTURE(formula_name(f));
        CHECK(e1rm(f, 142.5, 1) == 142.5);         // hand: reps == 1
        CHECK(e1rm(f, 142.5, 1, 10.0) == 142.5);   // hand: 1 @ RPE 10 is still one rep to failure
        CHECK(e1rm(f, 0.0, 5) == 0.0);             // hand: empty bar of weight 0
        CHECK(e1rm_at(f, 80.0, 1.0) == 80.0);
    }
}

TEST_CASE("e1rm: RPE-adjusted reps") {
    CHECK(effective_reps(5, 8.0) == 7.0);   // hand: 5 + (10 - 8)
    CHECK(effective_reps(5, 8.5) == 6.5);   // hand: 5 + 1.5
    CHECK(effective_reps(5, 0.0) == 5.0);   // hand: rpe <= 0 = not given
    CHECK(effective_reps(5, -1.0) == 5.0);
    CHECK(effective_reps(28, 6.0) == 30.0); // hand: 32 clamped to e1rm.max_reps = 30
    CHECK(e1rm(Formula::epley, 100.0, 5, 8.0) == near(123.333333333));     // vectors: e1rm.epley.5at8
    CHECK(e1rm(Formula::brzycki, 100.0, 5, 8.5) == near(118.032786885));   // vectors: e1rm.brzycki.5at8.5
    CHECK(e1rm(Formula::epley, 100.0, 1, 9.0) == near(106.666666667));     // vectors: e1rm.epley.1at9
    CHECK(e1rm(Formula::epley, 100.0, 28, 6.0) == near(200.0));            // vectors: e1rm.epley.28at6.clamped
    CHECK(e1rm(Formula::epley, 100.0, 5, 10.0) == e1rm(Formula::epley, 100.0, 5));
}

TEST_CASE("e1rm: formula numbers and names") {
    CHECK(static_cast<int>(Formula::epley) == 0);
    CHECK(static_cast<int>(Formula::brzycki) == 1);
    CHECK(static_cast<int>(Formula::lombardi) == 2);
    CHECK(static_cast<int>(Formula::oconner) == 3);
    CHECK(static_cast<int>(Formula::mayhew) == 4);
    CHECK(static_cast<int>(Formula::wathan) == 5);
    CHECK(static_cast<int>(Formula::lander) == 6);
    for (int i = 0; i < formula_count; ++i) CHECK(parse_formula(formula_name(formula_from_int(i))) == formula_from_int(i));
    CHECK(formula_name(Formula::oconner) == "oconner");
    CHECK(parse_formula("brzycki") == Formula::brzycki);
    CHECK(is_schema_formula(Formula::oconner));
    CHECK_FALSE(is_schema_formula(Formula::mayhew));
    expect_invalid([] { parse_formula("Epley"); }, "formula");
    expect_invalid([] { parse_formula(""); }, "formula");
    expect_invalid([] { formula_from_int(7); }, "formula");
    expect_invalid([] { formula_from_int(-1); }, "formula");
    expect_invalid([] { e1rm(static_cast<Formula>(42), 100.0, 5); }, "formula");
}

TEST_CASE("e1rm: bad input") {
    expect_invalid([] { e1rm(Formula::epley, -1.0, 5); }, "load");
    expect_invalid([] { e1rm(Formula::epley, nan_v, 5); }, "load");
    expect_invalid([] { e1rm(Formula::epley, inf_v, 5); }, "load");
    expect_invalid([] { e1rm(Formula::epley, 1e300, 5); }, "load");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 0); }, "reps");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 40); }, "reps");
    expect_invalid([] { e1rm(Formula::epley, 100.0, -3); }, "reps");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 5, 11.0); }, "rpe");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 5, 0.5); }, "rpe");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 5, nan_v); }, "rpe");
    expect_invalid([] { e1rm(Formula::epley, 100.0, 5, -inf_v); }, "rpe");
    expect_invalid([] { e1rm_at(Formula::lander, 100.0, 31.0); }, "reps");
    expect_invalid([] { e1rm_at(Formula::lander, 100.0, nan_v); }, "reps");
    E1rmParams bad;
    bad.max_reps = 40;  // Brzycki would divide by zero at 37
    expect_invalid([&] { e1rm(Formula::brzycki, 100.0, 5, 0.0, bad); }, "e1rm.max_reps");
    try {
        e1rm(Formula::epley, 100.0, 40);
    } catch (const gainsly::Error& e) {
        CHECK(std::string(e.what()) == "reps: must be between 1 and 30, got 40");
    }
}

TEST_CASE("e1rm: never NaN or infinite over the whole valid range") {
    for (int i = 0; i < formula_count; ++i)
        for (int reps = 1; reps <= 30; ++reps)
            for (double rpe : {0.0, 1.0, 5.5, 10.0}) {
                const double v = e1rm(formula_from_int(i), 100000.0, reps, rpe);
                CHECK(std::isfinite(v));
                CHECK(v >= 100000.0 * 0.99);
            }
}

TEST_CASE("rpe chart: published spot values") {
    CHECK(percent_1rm(1, 10.0) == 100.0);   // vectors: rpe.1at10
    CHECK(percent_1rm(1, 9.0) == 95.5);     // vectors: rpe.1at9
    CHECK(percent_1rm(1, 8.0) == 92.2);     // vectors: rpe.1at8
    CHECK(percent_1rm(5, 8.0) == 81.1);     // vectors: rpe.5at8
    CHECK(percent_1rm(8, 9.5) == 77.4);     // vectors: rpe.8at9.5
    CHECK(percent_1rm(12, 6.0) == 57.4);    // vectors: rpe.12at6
    CHECK(percent_1rm(10, 10.0) == 73.9);   // vectors: rpe.10at10
    CHECK(percent_1rm(3, 9.0) == 89.2);     // published: 3 @ 9 = 89.2
    CHECK(percent_1rm(5, 8.25) == near(81.75));  // vectors: rpe.5at8.25 (interpolated)
    // Same total reps, same percentage: 4 @ 9 == 5 @ 10 == 3 @ 8.
    CHECK(percent_1rm(4, 9.0) == percent_1rm(5, 10.0));
    CHECK(percent_1rm(3, 8.0) == percent_1rm(5, 10.0));
}

TEST_CASE("rpe chart: e1RM and its inverse") {
    CHECK(e1rm_from_rpe(100.0, 5, 8.0) == near(123.304562269));  // vectors: e1rm_from_rpe.100x5at8
    CHECK(e1rm_from_rpe(140.0, 3, 9.0) == near(156.950672646));  // vectors: e1rm_from_rpe.140x3at9
    CHECK(e1rm_from_rpe(180.0, 1, 10.0) == 180.0);
    CHECK(load_for(150.0, 5, 8.0, 2.5) == 122.5);   // vectors: load_for.150.5at8.kg (121.65 -> 122.5)
    CHECK(load_for(150.0, 3, 9.0, 2.5) == 135.0);   // vectors: load_for.150.3at9.kg (133.8 -> 135)
    CHECK(load_for(315.0, 5, 8.0, 5.0) == 255.0);   // vectors: load_for.315.5at8.lb (255.465 -> 255)
    CHECK(load_for(200.0, 1, 10.0, 2.5) == 200.0);  // vectors: load_for.200.1at10.kg
    CHECK(load_for_units(150.0, 5, 8.0, true) == 122.5);
    CHECK(load_for_units(315.0, 5, 8.0, false) == 255.0);
    CHECK(plate_increment(true) == 2.5);
    CHECK(plate_increment(false) == 5.0);
    // Round trip: a load on the plate grid comes back exactly.
    for (double load : {60.0, 102.5, 187.5}) {
        for (int reps : {1, 3, 5, 8, 12}) {
            for (double rpe : {6.0, 7.5, 9.0, 10.0}) {
                const double e = e1rm_from_rpe(load, reps, rpe);
                CHECK(load_for(e, reps, rpe, 2.5) == near(load));
            }
        }
    }
    for (double lb : {135.0, 225.0, 405.0}) CHECK(load_for(e1rm_from_rpe(lb, 4, 8.5), 4, 8.5, 5.0) == near(lb));
}

TEST_CASE("rpe chart: rounding to the plate increment") {
    CHECK(round_to_increment(121.65, 2.5) == 122.5);
    CHECK(round_to_increment(121.24, 2.5) == 120.0);
    CHECK(round_to_increment(121.25, 2.5) == 122.5);  // hand: exact half rounds up
    CHECK(round_to_increment(252.5, 5.0) == 255.0);   // hand: exact half rounds up
    CHECK(round_to_increment(252.4, 5.0) == 250.0);
    CHECK(round_to_increment(0.0, 2.5) == 0.0);
}

TEST_CASE("rpe chart: bad input") {
    expect_invalid([] { percent_1rm(0, 8.0); }, "reps");
    expect_invalid([] { percent_1rm(13, 8.0); }, "reps");
    expect_invalid([] { percent_1rm(40, 8.0); }, "reps");
    expect_invalid([] { percent_1rm(5, 11.0); }, "rpe");
    expect_invalid([] { percent_1rm(5, 5.5); }, "rpe");
    expect_invalid([] { percent_1rm(5, nan_v); }, "rpe");
    expect_invalid([] { percent_1rm(5, inf_v); }, "rpe");
    expect_invalid([] { e1rm_from_rpe(-5.0, 5, 8.0); }, "load");
    expect_invalid([] { e1rm_from_rpe(nan_v, 5, 8.0); }, "load");
    expect_invalid([] { load_for(-100.0, 5, 8.0, 2.5); }, "e1rm");
    expect_invalid([] { load_for(inf_v, 5, 8.0, 2.5); }, "e1rm");
    expect_invalid([] { load_for(100.0, 5, 8.0, 0.0); }, "increment");
    expect_invalid([] { load_for(100.0, 5, 8.0, nan_v); }, "increment");
    expect_invalid([] { round_to_increment(100.0, -2.5); }, "increment");
    expect_invalid([] { round_to_increment(-1.0, 2.5); }, "load");
    RpeParams short_chart;
    short_chart.percent_by_total_reps.resize(10);
    expect_invalid([&] { percent_1rm(5, 8.0, short_chart); }, "rpe.chart.percent_by_total_reps");
}
