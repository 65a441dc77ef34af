#include "math/e1rm.hpp"

#include <array>
#include <cmath>
#include <string>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

constexpr std::array<std::string_view, formula_count> names = {"epley",  "brzycki", "lombardi", "oconner",
                                                               "mayhew", "wathan",  "lander"};

void check_formula(Formula f) {
    const int v = static_cast<int>(f);
    if (v < 0 || v >= formula_count)
        detail::fail("formula", "unknown e1RM formula " + std::to_string(v) + " (expected 0.." +
                                    std::to_string(formula_count - 1) + ")");
}

void check_params(const E1rmParams& p) {
    // Brzycki's denominator 37 - r and Lander's 101.3 - 2.67123 r must stay positive.
    detail::require_int_range("e1rm.max_reps", p.max_reps, 1, 36);
}

void check_load(double load) {
    detail::require_nonnegative("load", load, detail::max_load);
}

double apply(Formula f, double w, double r) {
    switch (f) {
    case Formula::epley: return w * (1.0 + r / 30.0);
    case Formula::brzycki: return w * 36.0 / (37.0 - r);
    case Formula::lombardi: return w * std::pow(r, 0.10);
    case Formula::oconner: return w * (1.0 + 0.025 * r);
    case Formula::mayhew: return 100.0 * w / (52.2 + 41.9 * std::exp(-0.055 * r));
    case Formula::wathan: return 100.0 * w / (48.8 + 53.8 * std::exp(-0.075 * r));
    case Formula::lander: return 100.0 * w / (101.3 - 2.67123 * r);
    }
    return w;  // unreachable: checked by check_formula
}

}  // namespace

Formula formula_from_int(int value) {
    const auto f = static_cast<Formula>(value);
    check_formula(f);
    return f;
}

std::string_view formula_name(Formula f) {
    check_formula(f);
    return names[static_cast<std::size_t>(f)];
}

Formula parse_formula(std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<Formula>(i);
    detail::fail("formula", "unknown e1RM formula \"" + std::string(name) +
                                "\" (expected epley, brzycki, lombardi, oconner, mayhew, wathan or lander)");
}

bool is_schema_formula(Formula f) {
    check_formula(f);
    return static_cast<int>(f) <= static_cast<int>(Formula::oconner);
}

double effective_reps(int reps, double rpe, const E1rmParams& p) {
    check_params(p);
    detail::require_int_range("reps", reps, 1, p.max_reps);
    detail::require_optional_rpe("rpe", rpe);
    if (rpe <= 0) return reps;  // not given
    const double eff = reps + (10.0 - rpe);
    return eff > p.max_reps ? static_cast<double>(p.max_reps) : eff;
}

double e1rm_at(Formula f, double load, double reps, const E1rmParams& p) {
    check_formula(f);
    check_load(load);
    check_params(p);
    detail::require_range("reps", reps, 1.0, p.max_reps);
    if (reps == 1.0) return load;
    return apply(f, load, reps);
}

double e1rm(Formula f, double load, int reps, double rpe, const E1rmParams& p) {
    check_formula(f);
    check_load(load);
    const double eff = effective_reps(reps, rpe, p);
    if (eff == 1.0) return load;
    return apply(f, load, eff);
}

}  // namespace gainsly::math
