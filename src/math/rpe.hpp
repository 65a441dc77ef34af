// The RPE / %1RM chart (RTS, Mike Tuchscherer) and its inverse.
//
// %1RM depends only on the total reps the lifter could have done: reps + RIR, RIR = 10 - RPE.
// The chart covers reps 1..12 (rpe.chart.max_reps) and RPE 6..10 (rpe.chart.min_rpe) in half
// steps; an RPE between half steps is interpolated linearly along total reps. Inputs outside the
// chart are rejected (no extrapolation).
#pragma once
#include "math/params.hpp"

namespace gainsly::math {

// %1RM (0..100, e.g. 86.3 for 5 reps @ RPE 10) for `reps` at `rpe`.
// reps: 1..p.chart_max_reps; rpe: p.chart_min_rpe..10. Throws Error(invalid) naming the field.
double percent_1rm(int reps, double rpe, const RpeParams& p = {});

// e1RM implied by `load` lifted for `reps` at `rpe`: load * 100 / percent_1rm(reps, rpe).
double e1rm_from_rpe(double load, int reps, double rpe, const RpeParams& p = {});

// `load` rounded to the nearest multiple of `increment` (> 0); exact halves round up.
double round_to_increment(double load, double increment);

// The plate increment for the user's unit system (user_settings.use_metric):
// p.plate_increment_kg when metric, else p.plate_increment_lb.
double plate_increment(bool use_metric, const RpeParams& p = {});

// Load for a target `reps` at `rpe` from an e1RM, rounded to the nearest `increment`
// (e.g. 2.5 kg or 5 lb): round(e1rm * percent_1rm(reps, rpe) / 100).
double load_for(double e1rm, int reps, double rpe, double increment, const RpeParams& p = {});

// load_for() with the increment chosen by use_metric (plate_increment()).
double load_for_units(double e1rm, int reps, double rpe, bool use_metric, const RpeParams& p = {});

}  // namespace gainsly::math
