// Estimated one-rep max (e1RM) from a set of `reps` at `load`, optionally adjusted by RPE.
#pragma once
#include <string_view>

#include "math/params.hpp"

namespace gainsly::math {

// Fixed numbers: they are the C ABI's GS_E1RM_* values. Only the first four are values of the
// schema enum e1rm_formula (user_settings.active_e1rm_formula).
enum class Formula : int {
    epley = 0,     // w * (1 + r/30)
    brzycki = 1,   // w * 36 / (37 - r)
    lombardi = 2,  // w * r^0.10
    oconner = 3,   // w * (1 + 0.025 r)
    mayhew = 4,    // 100 w / (52.2 + 41.9 e^(-0.055 r))
    wathan = 5,    // 100 w / (48.8 + 53.8 e^(-0.075 r))
    lander = 6,    // 100 w / (101.3 - 2.67123 r)
};
inline constexpr int formula_count = 7;

// The formula with that number; throws Error(invalid) "formula: ..." for an unknown one.
Formula formula_from_int(int value);
// "epley", "brzycki", "lombardi", "oconner", "mayhew", "wathan", "lander".
std::string_view formula_name(Formula f);
// Inverse of formula_name (exact, lower case); throws Error(invalid) "formula: ..." otherwise.
Formula parse_formula(std::string_view name);
// True for the formulas the schema enum e1rm_formula can store (epley..oconner).
bool is_schema_formula(Formula f);

// Reps to failure implied by the set: reps + (10 - rpe) when rpe is given (rpe > 0), else reps;
// clamped to p.max_reps (documented choice: a long set logged at a low RPE still gets an estimate,
// a conservative one). Validates reps (1..max_reps) and rpe (<= 0 = not given, else 1..10).
double effective_reps(int reps, double rpe = 0.0, const E1rmParams& p = {});

// e1RM of `load` lifted for `reps` at `rpe` (rpe <= 0: not given) with formula `f`.
// Effective reps == 1 (a single, no RPE or RPE 10) returns `load` for every formula.
// load: finite, >= 0; reps: 1..p.max_reps; rpe: <= 0 or 1..10. Throws Error(invalid) naming the field.
double e1rm(Formula f, double load, int reps, double rpe = 0.0, const E1rmParams& p = {});

// The formula itself at a (possibly fractional) rep count 1 <= reps <= p.max_reps, no RPE.
double e1rm_at(Formula f, double load, double reps, const E1rmParams& p = {});

}  // namespace gainsly::math
