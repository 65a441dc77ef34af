// Per-muscle, systemic and CNS fatigue. Expected values come from tests/vectors/math_vectors.py
// ("vectors: <name>") or are worked by hand ("hand: ...").
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "math/fatigue.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using namespace std::chrono;
using doctest::Approx;

namespace {


const sys_days d0{2024y / 5 / 6};

// One session on d0: three squat sets at RPE 8, quadriceps magnitude 1 and hamstrings 0.5.
std::vector<FatigueSet> squat_session() {
    FatigueSet s;
    s.date = d0;
    s.rpe = 8.0;
    s.muscles = {{"quadriceps", 1.0}, {"hamstrings", 0.5}};
    return {s, s, s};
}

}  // namespace

TEST_CASE("fatigue: effort factor from RPE") {
    CHECK(effort_factor(8.0) == near(0.8));   // hand: 0.5 + (8-5)/5 x 0.5
    CHECK(effort_factor(10.0) == near(1.0));
    CHECK(effort_factor(7.5) == near(0.75));
    CHECK(effort_factor(5.0) == near(0.5));
    CHECK(effort_factor(3.0) == near(0.5));   // hand: flat below RPE 5
    CHECK(effort_factor(0.0) == near(0.8));   // hand: not given -> fatigue.effort.missing_rpe
    expect_invalid([] { effort_factor(11.0); }, "rpe");
    expect_invalid([] { effort_factor(0.5); }, "rpe");
    expect_invalid([] { effort_factor(nan_v); }, "rpe");
}

TEST_CASE("fatigue: time constants and decay") {
    CHECK(muscle_tau_hours("quadriceps") == 36.0);
    CHECK(muscle_tau_hours("biceps") == 18.0);
    CHECK(muscle_tau_hours("some_new_muscle") == 24.0);  // fatigue.tau_hours.default
    // Bigger muscles recover slower.
    CHECK(muscle_tau_hours("quadriceps") > muscle_tau_hours("biceps"));
    CHECK(muscle_tau_hours("glutes") > muscle_tau_hours("calves"));
    // Half-life = tau ln 2: the decay factor there is exactly 1/2.
    const double half_life = 36.0 * std::log(2.0);  // vectors: fatigue.quads.halflife_hours = 24.9533
    CHECK(half_life == near(24.9532985002));
    CHECK(decay_factor(half_life, 36.0) == near(0.5));
    CHECK(decay_factor(2 * half_life, 36.0) == near(0.25));
    CHECK(decay_factor(0.0, 36.0) == 1.0);
    expect_invalid([] { decay_factor(-1.0, 36.0); }, "hours");
    expect_invalid([] { decay_factor(1.0, 0.0); }, "tau_hours");
}

TEST_CASE("fatigue: one session decays exponentially") {
    const auto sets = squat_session();
    const auto s0 = fatigue_state(sets, {}, d0, 3);
    CHECK(s0.muscle_fatigue.at("quadriceps") == near(24.0));     // vectors: fatigue.quads.day0
    CHECK(s0.muscle_recovery.at("quadriceps") == near(76.0));
    CHECK(s0.muscle_fatigue.at("hamstrings") == near(12.0));     // hand: 3 x 0.5 x 0.8 x 10
    CHECK(s0.systemic == near(6.0));                             // vectors: fatigue.systemic.day0
    CHECK(s0.recovery_score == near(94.0));
    const auto s1 = fatigue_state(sets, {}, d0 + days{1}, 3);
    CHECK(s1.muscle_fatigue.at("quadriceps") == near(12.3220108568));  // vectors: fatigue.quads.day1
    const auto s2 = fatigue_state(sets, {}, d0 + days{2}, 3);
    CHECK(s2.muscle_fatigue.at("hamstrings") == near(3.16316565739));  // vectors: fatigue.hams.day2
    CHECK(s2.systemic == near(2.20727664703));                         // vectors: fatigue.systemic.day2
    const auto s3 = fatigue_state(sets, {}, d0 + days{3}, 3);
    CHECK(s3.muscle_fatigue.at("quadriceps") == near(3.24804679768));  // vectors: fatigue.quads.day3
    CHECK(s3.muscle_recovery.at("quadriceps") == near(100.0 - 3.24804679768));
    // Before the session nothing is fatigued; sets after as_of are ignored.
    const auto before = fatigue_state(sets, {}, d0 - days{1}, 3);
    CHECK(before.muscle_fatigue.empty());
    CHECK(before.systemic == 0.0);
    CHECK(before.recovery_score == 100.0);
}

TEST_CASE("fatigue: half-life check with a one-day half-life") {
    FatigueParams p;
    p.tau_hours["quadriceps"] = 24.0 / std::log(2.0);  // half-life exactly 24 h
    const auto sets = squat_session();
    const double f0 = fatigue_state(sets, {}, d0, 3, p).muscle_fatigue.at("quadriceps");
    CHECK(f0 == near(24.0));
    CHECK(fatigue_state(sets, {}, d0 + days{1}, 3, p).muscle_fatigue.at("quadriceps") == near(12.0));  // hand: 24 / 2
    CHECK(fatigue_state(sets, {}, d0 + days{2}, 3, p).muscle_fatigue.at("quadriceps") == near(6.0));   // hand: 24 / 4
}

TEST_CASE("fatigue: scale is capped at 100 and uses fatigue_factor") {
    FatigueSet hard;
    hard.date = d0;
    hard.rpe = 10.0;
    hard.muscles = {{"chest", 1.0}};
    hard.fatigue_factor = 4.0;
    const std::vector<FatigueSet> many(20, hard);
    const auto s = fatigue_state(many, {}, d0, 3);
    CHECK(s.muscle_fatigue.at("chest") == 100.0);   // hand: 20 units x 10 = 200, capped
    CHECK(s.muscle_recovery.at("chest") == 0.0);
    CHECK(s.systemic == 100.0);                      // hand: 20 x 4 x 2.5 = 200, capped
    CHECK(s.recovery_score == 0.0);
    std::vector<FatigueSet> one(1, hard);
    CHECK(fatigue_state(one, {}, d0, 3).systemic == near(10.0));  // hand: 4 x 1.0 x 2.5
    one[0].fatigue_factor.reset();
    one[0].rpe = 0.0;  // no RPE: effort 0.8, default factor 1
    CHECK(fatigue_state(one, {}, d0, 3).systemic == near(2.0));
    CHECK(fatigue_state(one, {}, d0, 3).muscle_fatigue.at("chest") == near(8.0));
}

TEST_CASE("cns: costs, roles and the daily budget") {
    CHECK(cns_cost(CnsLoad::very_high, ExerciseRole::main) == near(37.5));  // hand: 25 x 1.5
    CHECK(cns_cost(CnsLoad::high, ExerciseRole::accessory) == 18.0);
    CHECK(cns_cost(CnsLoad::moderate, ExerciseRole::warmup) == near(3.6));
    CHECK(cns_cost(CnsLoad::low, ExerciseRole::finisher) == near(4.8));
    CHECK(cns_cost(CnsLoad::very_low, ExerciseRole::deload) == near(1.0));
    CHECK(cns_cost(CnsLoad::high, ExerciseRole::skill) == near(10.8));
    CHECK(cns_cost(CnsLoad::moderate, ExerciseRole::cooldown) == near(2.4));
    const double budgets[] = {50, 65, 80, 95, 110};
    for (int a = 1; a <= 5; ++a) CHECK(cns_daily_budget(a) == budgets[a - 1]);
    expect_invalid([] { cns_daily_budget(0); }, "persona_aggression");
    expect_invalid([] { cns_daily_budget(6); }, "persona_aggression");
    expect_invalid([] { cns_cost(static_cast<CnsLoad>(9), ExerciseRole::main); }, "cns_load");
    expect_invalid([] { cns_cost(CnsLoad::low, static_cast<ExerciseRole>(-1)); }, "role");

    const std::vector<CnsExercise> day = {{d0, CnsLoad::very_high, ExerciseRole::main},
                                          {d0, CnsLoad::high, ExerciseRole::accessory},
                                          {d0, CnsLoad::moderate, ExerciseRole::warmup}};
    const auto conservative = check_cns_budget(day, 1);
    CHECK(conservative.total == near(59.1));         // vectors: cns.day0.total
    CHECK(conservative.budget == 50.0);
    CHECK(conservative.remaining == near(-9.1));     // vectors: cns.day0.remaining.aggr1
    CHECK_FALSE(conservative.within);
    const auto balanced = check_cns_budget(day, 3);
    CHECK(balanced.remaining == near(20.9));         // vectors: cns.day0.remaining.aggr3
    CHECK(balanced.within);
    CHECK(check_cns_budget({}, 1).within);

    // In the daily state: today's total against the budget, decaying afterwards.
    const auto s0 = fatigue_state({}, day, d0, 1);
    CHECK(s0.cns == near(59.1));
    CHECK_FALSE(s0.cns_today.within);
    const auto s1 = fatigue_state({}, day, d0 + days{1}, 1);
    CHECK(s1.cns == near(30.3429517348));            // vectors: cns.day1.decayed
    CHECK(s1.cns_today.total == 0.0);
    CHECK(s1.cns_today.within);
}

TEST_CASE("cns: enum names") {
    CHECK(parse_cns_load("very_high") == CnsLoad::very_high);
    CHECK(cns_load_name(CnsLoad::very_low) == "very_low");
    CHECK(parse_exercise_role("cooldown") == ExerciseRole::cooldown);
    CHECK(exercise_role_name(ExerciseRole::deload) == "deload");
    for (auto n : {"warmup", "main", "accessory", "skill", "finisher", "cooldown", "deload"})
        CHECK(exercise_role_name(parse_exercise_role(n)) == n);
    expect_invalid([] { parse_cns_load("extreme"); }, "cns_load");
    expect_invalid([] { parse_exercise_role("Main"); }, "role");
}

TEST_CASE("fatigue: bad input") {
    auto sets = squat_session();
    sets[1].rpe = 11.0;
    expect_invalid([&] { fatigue_state(sets, {}, d0, 3); }, "sets[1].rpe");
    sets = squat_session();
    sets[2].muscles[1].magnitude = 1.5;
    expect_invalid([&] { fatigue_state(sets, {}, d0, 3); }, "sets[2].muscles[1].magnitude");
    sets[2].muscles[1].magnitude = nan_v;
    expect_invalid([&] { fatigue_state(sets, {}, d0, 3); }, "sets[2].muscles[1].magnitude");
    sets = squat_session();
    sets[0].muscles[0].muscle.clear();
    expect_invalid([&] { fatigue_state(sets, {}, d0, 3); }, "sets[0].muscles[0].muscle");
    sets = squat_session();
    sets[0].fatigue_factor = -1.0;
    expect_invalid([&] { fatigue_state(sets, {}, d0, 3); }, "sets[0].fatigue_factor");
    expect_invalid([] { fatigue_state({}, {}, d0, 0); }, "persona_aggression");
    FatigueParams bad;
    bad.tau_hours["quadriceps"] = 0.0;
    expect_invalid([&] { fatigue_state(squat_session(), {}, d0, 3, bad); }, "fatigue.tau_hours.quadriceps");
}
