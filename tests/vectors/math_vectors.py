#!/usr/bin/env python3
"""Independent reference values for tests/unit/test_math_*.cpp.

Written from the published formulas, not from src/math: run `python3 tests/vectors/math_vectors.py`
and compare with the constants in the tests (each test names the vector it uses, e.g.
"vectors: e1rm.mayhew.r10"). Standard library only.
"""
import math

out = {}


def v(name, value):
    out[name] = value


# --- e1RM: the published formulas, w = 100 kg ---------------------------------------------------
F = {
    "epley": lambda w, r: w * (1 + r / 30),
    "brzycki": lambda w, r: w * 36 / (37 - r),
    "lombardi": lambda w, r: w * r ** 0.10,
    "oconner": lambda w, r: w * (1 + 0.025 * r),
    "mayhew": lambda w, r: 100 * w / (52.2 + 41.9 * math.exp(-0.055 * r)),
    "wathan": lambda w, r: 100 * w / (48.8 + 53.8 * math.exp(-0.075 * r)),
    "lander": lambda w, r: 100 * w / (101.3 - 2.67123 * r),
}
for name, f in F.items():
    for r in (5, 10, 20):
        v(f"e1rm.{name}.r{r}", f(100.0, r))
# RPE-adjusted reps: reps + (10 - RPE)
v("e1rm.epley.5at8", F["epley"](100.0, 5 + 2))          # 7 effective reps
v("e1rm.brzycki.5at8.5", F["brzycki"](100.0, 5 + 1.5))  # 6.5 effective reps
v("e1rm.epley.1at9", F["epley"](100.0, 1 + 1))          # a single at RPE 9 = 2 reps to failure
v("e1rm.epley.28at6.clamped", F["epley"](100.0, 30))    # 32 effective reps clamped to 30

# --- RTS %1RM chart: %1RM by total reps t = reps + RIR (published table, reps x RPE) -------------
RPE10 = [100.0, 95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0]  # reps 1..12 @ 10
RPE95 = [97.8, 93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7]   # reps 1..12 @ 9.5
RPE6 = [86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6, 59.9, 57.4]    # reps 1..12 @ 6
RPE8 = [92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6]    # reps 1..12 @ 8
v("rpe.1at10", RPE10[0])
v("rpe.1at9", RPE10[1])   # 1 @ 9 is the 2RM
v("rpe.1at8", RPE8[0])
v("rpe.5at8", RPE8[4])
v("rpe.8at9.5", RPE95[7])
v("rpe.12at6", RPE6[11])
v("rpe.10at10", RPE10[9])
# RPE 8.25 for 5 reps: total 6.75, halfway between total 6.5 (5 @ 8.5 = 82.4) and 7 (5 @ 8 = 81.1)
v("rpe.5at8.25", (82.4 + 81.1) / 2)
v("e1rm_from_rpe.100x5at8", 100.0 * 100 / RPE8[4])
v("e1rm_from_rpe.140x3at9", 140.0 * 100 / RPE10[3])  # 3 @ 9 = total 4 = 89.2


def round_to(x, inc):
    return math.floor(x / inc + 0.5) * inc


v("load_for.150.5at8.kg", round_to(150 * RPE8[4] / 100, 2.5))   # 121.65 -> 122.5
v("load_for.150.3at9.kg", round_to(150 * RPE10[3] / 100, 2.5))  # 133.8 -> 135
v("load_for.315.5at8.lb", round_to(315 * RPE8[4] / 100, 5.0))   # 255.465 -> 255
v("load_for.200.1at10.kg", round_to(200 * RPE10[0] / 100, 2.5))

# --- monotony / strain (Foster): population sd -----------------------------------------------------
week = [100, 0, 100, 0, 100, 0, 100]
mean = sum(week) / 7
sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
sd_s = math.sqrt(sum((x - mean) ** 2 for x in week) / 6)
v("monotony.alt.mean", mean)
v("monotony.alt.sd", sd)
v("monotony.alt.monotony", mean / sd)
v("monotony.alt.strain", sum(week) * mean / sd)
v("monotony.alt.sample.monotony", mean / sd_s)
week2 = [300, 400, 0, 500, 300, 0, 600]
m2 = sum(week2) / 7
s2 = math.sqrt(sum((x - m2) ** 2 for x in week2) / 7)
v("monotony.mixed.monotony", m2 / s2)
v("monotony.mixed.strain", sum(week2) * m2 / s2)

# --- ACWR --------------------------------------------------------------------------------------------


def ewma(xs, n, seed):
    lam = 2 / (n + 1)
    e = seed
    for x in xs:
        e = lam * x + (1 - lam) * e
    return e


const = [100.0] * 28
spike = [100.0] * 21 + [200.0] * 7
drop = [100.0] * 21 + [50.0] * 7
elev = [100.0] * 21 + [140.0] * 7
for name, xs in (("const", const), ("spike", spike), ("drop", drop), ("elev", elev)):
    acute = sum(xs[-7:]) / 7
    v(f"acwr.{name}.coupled", acute / (sum(xs[-28:]) / 28))
    v(f"acwr.{name}.uncoupled", acute / (sum(xs[-28:-7]) / 21))
    v(f"acwr.{name}.ewma_seed0", ewma(xs, 7, 0.0) / ewma(xs, 28, 0.0))
    v(f"acwr.{name}.ewma_seed100", ewma(xs, 7, 100.0) / ewma(xs, 28, 100.0))
v("acwr.const.ewma_seed0.acute", ewma(const, 7, 0.0))  # 100 (1 - 0.75^28)
v("acwr.const.ewma_seed0.acute.closed", 100 * (1 - 0.75 ** 28))

# --- Banister: p(t) = p0 + k1 sum w e^-(t-s)/42 - k2 sum w e^-(t-s)/7 ---------------------------------
t = 10
v("banister.impulse.t10.fitness", 100 * math.exp(-10 / 42))
v("banister.impulse.t10.fatigue", 100 * math.exp(-10 / 7))
v("banister.impulse.t10.performance", 100 * math.exp(-10 / 42) - 2 * 100 * math.exp(-10 / 7))
# Steady: w = 10 every day s = 0..n-1, evaluated at t = n: geometric series sum_{j=1..n} e^(-j/tau)


def geo(tau, n):
    q = math.exp(-1 / tau)
    return q * (1 - q ** n) / (1 - q)


for n in (7, 100):
    v(f"banister.steady{n}.fitness", 10 * geo(42, n))
    v(f"banister.steady{n}.fatigue", 10 * geo(7, n))
    v(f"banister.steady{n}.performance", 10 * geo(42, n) - 2 * 10 * geo(7, n))
# Limit for a very long steady load: 10 q/(1-q) each
q1, q2 = math.exp(-1 / 42), math.exp(-1 / 7)
v("banister.steady.limit.performance", 10 * q1 / (1 - q1) - 20 * q2 / (1 - q2))

# --- Fatigue -------------------------------------------------------------------------------------------
# Three quadriceps sets (magnitude 1) at RPE 8: effort 0.5 + (8 - 5)/5 * 0.5 = 0.8 -> 2.4 units -> 24 pts
units = 3 * 1.0 * 0.8
v("fatigue.quads.day0", units * 10)
v("fatigue.quads.day1", units * 10 * math.exp(-24 / 36))
v("fatigue.quads.day3", units * 10 * math.exp(-72 / 36))
v("fatigue.quads.halflife_hours", 36 * math.log(2))
# plus one hamstring share of 0.5 on each set: 3 * 0.5 * 0.8 = 1.2 units -> 12 pts at day 0
v("fatigue.hams.day2", 1.2 * 10 * math.exp(-48 / 36))
v("fatigue.systemic.day0", units * 2.5)
v("fatigue.systemic.day2", units * 2.5 * math.exp(-48 / 48))
# CNS: main very_high 25*1.5 + accessory high 18*1 + warmup moderate 12*0.3
cns = 25 * 1.5 + 18 * 1.0 + 12 * 0.3
v("cns.day0.total", cns)
v("cns.day0.remaining.aggr1", 50 - cns)
v("cns.day0.remaining.aggr3", 80 - cns)
v("cns.day1.decayed", cns * math.exp(-24 / 36))

# --- Readiness: 80 x modifiers -------------------------------------------------------------------------
v("readiness.all_bad", 80 * 0.8 * 0.7 * 0.8 * 0.85)
v("readiness.sleep_exc_hrv_above", 80 * 1.1 * 1.1)

for k in sorted(out):
    print(f"{k} = {out[k]:.12g}")
