// Training load: session-RPE, monotony / strain, ACWR, Banister. Expected values come from
// tests/vectors/math_vectors.py ("vectors: <name>") or are worked by hand ("hand: ...").
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "math/load.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using namespace std::chrono;
using doctest::Approx;

namespace {


std::vector<double> concat(std::vector<double> a, double value, int days) {
    a.insert(a.end(), static_cast<std::size_t>(days), value);
    return a;
}
std::vector<double> series(double value, int days) { return concat({}, value, days); }

}  // namespace

TEST_CASE("load: Foster session-RPE") {
    CHECK(session_rpe_load(7.0, 60.0) == 420.0);  // hand: 7 x 60
    CHECK(session_rpe_load(10.0, 0.0) == 0.0);
    expect_invalid([] { session_rpe_load(11.0, 60.0); }, "rpe");
    expect_invalid([] { session_rpe_load(0.0, 60.0); }, "rpe");
    expect_invalid([] { session_rpe_load(nan_v, 60.0); }, "rpe");
    expect_invalid([] { session_rpe_load(7.0, -1.0); }, "minutes");
    expect_invalid([] { session_rpe_load(7.0, inf_v); }, "minutes");
    expect_invalid([] { session_rpe_load(7.0, 2000.0); }, "minutes");
}

TEST_CASE("load: daily series from dated sessions") {
    const sys_days d0{2024y / 3 / 1};
    const std::vector<DatedLoad> loads = {{d0, 100.0}, {d0 + days{2}, 50.0}, {d0 + days{2}, 25.0}, {d0 + days{9}, 999.0}};
    const auto s = daily_load_series(loads, d0, d0 + days{3});
    CHECK(s == std::vector<double>{100.0, 0.0, 75.0, 0.0});  // hand: summed per day, out of range ignored
    expect_invalid([&] { daily_load_series(loads, d0 + days{1}, d0); }, "last");
    const std::vector<DatedLoad> bad = {{d0, -1.0}};
    expect_invalid([&] { daily_load_series(bad, d0, d0); }, "loads[0].load");
}

TEST_CASE("load: monotony and strain of a known week") {
    const std::vector<double> week = {100, 0, 100, 0, 100, 0, 100};
    const auto w = weekly_monotony(week);
    CHECK(w.total == 400.0);
    CHECK(w.mean == near(57.1428571429));       // vectors: monotony.alt.mean
    CHECK(w.sd == near(49.4871659305));         // vectors: monotony.alt.sd
    CHECK(w.monotony == near(1.15470053838));   // vectors: monotony.alt.monotony
    CHECK(w.strain == near(461.880215352));     // vectors: monotony.alt.strain
    LoadParams sample;
    sample.monotony_sample_sd = true;
    CHECK(weekly_monotony(week, sample).monotony == near(1.06904496765));  // vectors: monotony.alt.sample.monotony

    const std::vector<double> mixed = {999, 999, 300, 400, 0, 500, 300, 0, 600};  // only the last 7 count
    const auto m = weekly_monotony(mixed);
    CHECK(m.monotony == near(1.40312152004));  // vectors: monotony.mixed.monotony
    CHECK(m.strain == near(2946.55519208));    // vectors: monotony.mixed.strain
}

TEST_CASE("load: monotony with zero spread does not divide by zero") {
    const auto flat = weekly_monotony(series(50.0, 7));
    CHECK(flat.sd == 0.0);
    CHECK(flat.monotony == 10.0);  // hand: capped at load.monotony.max
    CHECK(flat.strain == 3500.0);  // hand: 350 x 10
    const auto rest = weekly_monotony(series(0.0, 7));
    CHECK(rest.monotony == 0.0);
    CHECK(rest.strain == 0.0);
    expect_invalid([] { weekly_monotony(series(50.0, 6)); }, "daily_loads");
    expect_invalid([] { weekly_monotony(std::vector<double>{1, 2, 3, 4, 5, 6, nan_v}); }, "daily_loads[6]");
    expect_invalid([] { weekly_monotony(std::vector<double>{1, 2, 3, -4, 5, 6, 7}); }, "daily_loads[3]");
}

TEST_CASE("load: ACWR for constant loading") {
    const auto c = series(100.0, 28);
    CHECK(*acwr(c, AcwrMethod::rolling_coupled).ratio == near(1.0));    // vectors: acwr.const.coupled
    CHECK(*acwr(c, AcwrMethod::rolling_uncoupled).ratio == near(1.0));  // vectors: acwr.const.uncoupled
    CHECK(acwr(c, AcwrMethod::rolling_coupled).band == AcwrBand::normal);
    CHECK(*acwr(c, AcwrMethod::ewma).ratio == near(1.15599656469));     // vectors: acwr.const.ewma_seed0
    CHECK(acwr(c, AcwrMethod::ewma).acute == near(99.9682520729));      // vectors: acwr.const.ewma_seed0.acute = 100 (1 - 0.75^28)
    LoadParams seeded;
    seeded.ewma_seed = 100.0;
    CHECK(*acwr(c, AcwrMethod::ewma, seeded).ratio == near(1.0));       // vectors: acwr.const.ewma_seed100
}

TEST_CASE("load: ACWR for spiking loads") {
    const auto s = concat(series(100.0, 21), 200.0, 7);
    const auto coupled = acwr(s, AcwrMethod::rolling_coupled);
    CHECK(coupled.acute == 200.0);
    CHECK(coupled.chronic == 125.0);                 // hand: (21x100 + 7x200) / 28
    CHECK(*coupled.ratio == near(1.6));              // vectors: acwr.spike.coupled
    CHECK(coupled.band == AcwrBand::high);
    const auto un = acwr(s, AcwrMethod::rolling_uncoupled);
    CHECK(un.chronic == 100.0);
    CHECK(*un.ratio == near(2.0));                   // vectors: acwr.spike.uncoupled
    CHECK(*acwr(s, AcwrMethod::ewma).ratio == near(1.48301888225));  // vectors: acwr.spike.ewma_seed0
    CHECK(acwr(s, AcwrMethod::ewma).band == AcwrBand::elevated);
    LoadParams seeded;
    seeded.ewma_seed = 100.0;
    CHECK(*acwr(s, AcwrMethod::ewma, seeded).ratio == near(1.33935010301));  // vectors: acwr.spike.ewma_seed100

    const auto e = concat(series(100.0, 21), 140.0, 7);
    CHECK(*acwr(e, AcwrMethod::rolling_coupled).ratio == near(1.27272727273));  // vectors: acwr.elev.coupled
    CHECK(acwr(e, AcwrMethod::rolling_coupled).band == AcwrBand::normal);
    CHECK(*acwr(e, AcwrMethod::rolling_uncoupled).ratio == near(1.4));          // vectors: acwr.elev.uncoupled
    CHECK(acwr(e, AcwrMethod::rolling_uncoupled).band == AcwrBand::elevated);
    CHECK(*acwr(e, AcwrMethod::ewma).ratio == near(1.31702573056));             // vectors: acwr.elev.ewma_seed0
}

TEST_CASE("load: ACWR for dropping loads") {
    const auto d = concat(series(100.0, 21), 50.0, 7);
    CHECK(*acwr(d, AcwrMethod::rolling_coupled).ratio == near(0.571428571429));  // vectors: acwr.drop.coupled
    CHECK(*acwr(d, AcwrMethod::rolling_uncoupled).ratio == near(0.5));           // vectors: acwr.drop.uncoupled
    CHECK(*acwr(d, AcwrMethod::ewma).ratio == near(0.847965371715));             // vectors: acwr.drop.ewma_seed0
    LoadParams seeded;
    seeded.ewma_seed = 100.0;
    CHECK(*acwr(d, AcwrMethod::ewma, seeded).ratio == near(0.705604290851));     // vectors: acwr.drop.ewma_seed100
    CHECK(acwr(d, AcwrMethod::rolling_coupled).band == AcwrBand::low);
}

TEST_CASE("load: ACWR bands, short series, zero chronic") {
    CHECK(acwr_band(0.79) == AcwrBand::low);
    CHECK(acwr_band(0.8) == AcwrBand::normal);
    CHECK(acwr_band(1.3) == AcwrBand::normal);
    CHECK(acwr_band(1.31) == AcwrBand::elevated);
    CHECK(acwr_band(1.5) == AcwrBand::high);
    CHECK(acwr_band_name(AcwrBand::elevated) == "elevated");
    CHECK(acwr_method_name(AcwrMethod::rolling_uncoupled) == "rolling_uncoupled");
    LoadParams custom;
    custom.band_low_below = 0.5;
    custom.band_normal_max = 1.0;
    custom.band_high_from = 2.0;
    CHECK(acwr_band(1.2, custom) == AcwrBand::elevated);

    const auto shortest = acwr(series(100.0, 27), AcwrMethod::rolling_coupled);
    CHECK_FALSE(shortest.ratio.has_value());
    CHECK(shortest.band == AcwrBand::insufficient_data);
    const auto zero = acwr(series(0.0, 28), AcwrMethod::rolling_uncoupled);
    CHECK_FALSE(zero.ratio.has_value());
    CHECK(zero.band == AcwrBand::insufficient_data);
    CHECK_FALSE(acwr(series(0.0, 5), AcwrMethod::ewma).ratio.has_value());
    const auto rest_week = acwr(concat(series(100.0, 21), 0.0, 7), AcwrMethod::rolling_coupled);
    CHECK(*rest_week.ratio == 0.0);
    CHECK(rest_week.band == AcwrBand::low);

    // Series: element i equals acwr() of the first i + 1 days.
    const auto s = concat(series(100.0, 21), 200.0, 9);
    for (auto m : {AcwrMethod::rolling_coupled, AcwrMethod::rolling_uncoupled, AcwrMethod::ewma}) {
        const auto all = acwr_series(s, m);
        REQUIRE(all.size() == s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto one = acwr(std::span<const double>(s).first(i + 1), m);
            CHECK(all[i].ratio.has_value() == one.ratio.has_value());
            if (one.ratio) CHECK(*all[i].ratio == near(*one.ratio));
        }
    }
    expect_invalid([] { acwr(std::vector<double>{1, inf_v}, AcwrMethod::ewma); }, "daily_loads[1]");
    expect_invalid([] { acwr_band(nan_v); }, "ratio");
    LoadParams bad;
    bad.chronic_days = 7;
    expect_invalid([&] { acwr(series(1.0, 30), AcwrMethod::rolling_coupled, bad); }, "load.acwr.chronic_days");
    expect_invalid([] { ewma(series(1.0, 3), 0, 0.0); }, "window_days");
    expect_invalid([] { ewma(series(1.0, 3), 7, -1.0); }, "seed");
}

TEST_CASE("load: Banister single impulse") {
    std::vector<double> w(1, 100.0);  // one session of 100 on day 0
    const auto b = banister(w, 10);
    CHECK(b.fitness == near(78.8127627745));       // vectors: banister.impulse.t10.fitness
    CHECK(b.fatigue == near(23.9651036442));       // vectors: banister.impulse.t10.fatigue
    CHECK(b.performance == near(30.8825554862));   // vectors: banister.impulse.t10.performance
    CHECK(banister(w, 0).performance == 0.0);      // hand: training counts from the next day
    BanisterParams p;
    p.p0 = 500.0;
    CHECK(banister(w, 10, p).performance == near(530.8825554862));
    // Early on fatigue dominates (performance dips), later fitness does.
    CHECK(banister(w, 1).performance < 0.0);
    CHECK(banister(w, 30).performance > 0.0);
}

TEST_CASE("load: Banister steady loading") {
    const auto w7 = series(10.0, 7);
    CHECK(banister(w7, 7).fitness == near(63.7131301391));        // vectors: banister.steady7.fitness
    CHECK(banister(w7, 7).fatigue == near(41.1630631877));        // vectors: banister.steady7.fatigue
    CHECK(banister(w7, 7).performance == near(-18.6129962363));   // vectors: banister.steady7.performance
    const auto w100 = series(10.0, 100);
    CHECK(banister(w100, 100).performance == near(246.40814605)); // vectors: banister.steady100.performance
    const auto s = banister_series(w100);
    REQUIRE(s.size() == 101);
    CHECK(s[0].performance == 0.0);
    CHECK(s[100].fitness == near(376.646078961));                 // vectors: banister.steady100.fitness
    CHECK(s[7].performance == near(-18.6129962363));  // vectors: banister.steady7.performance
    CHECK(banister_series(series(10.0, 3000)).back().performance == Approx(284.78182679).epsilon(1e-9));  // vectors: banister.steady.limit.performance
    expect_invalid([] { banister(series(1.0, 3), -1); }, "t");
    expect_invalid([] { banister(std::vector<double>{nan_v}, 2); }, "daily_loads[0]");
    BanisterParams bad;
    bad.tau_fatigue_days = 0.0;
    expect_invalid([&] { banister(series(1.0, 3), 2, bad); }, "load.banister.tau_fatigue_days");
}
