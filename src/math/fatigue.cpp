#include "math/fatigue.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "math/validate.hpp"

namespace gainsly::math {
namespace {

constexpr std::array<std::string_view, 5> cns_names = {"very_low", "low", "moderate", "high", "very_high"};
constexpr std::array<std::string_view, 7> role_names = {"warmup",   "main",     "accessory", "skill",
                                                        "finisher", "cooldown", "deload"};

constexpr double max_tau_hours = 24.0 * 365.0;

void check_params(const FatigueParams& p) {
    for (const auto& [muscle, tau] : p.tau_hours) {
        const std::string key = "fatigue.tau_hours." + muscle;
        detail::require_positive(key, tau);
        if (tau > max_tau_hours) detail::fail(key, "must be <= " + detail::num(max_tau_hours) + ", got " + detail::num(tau));
    }
    detail::require_range("fatigue.tau_hours.default", p.default_tau_hours, 1e-3, max_tau_hours);
    if (p.effort_by_rpe.empty()) detail::fail("fatigue.effort.by_rpe", "needs at least one [rpe, factor] point");
    for (std::size_t i = 0; i < p.effort_by_rpe.size(); ++i) {
        detail::require_range("fatigue.effort.by_rpe", p.effort_by_rpe[i].first, 1.0, 10.0);
        detail::require_range("fatigue.effort.by_rpe", p.effort_by_rpe[i].second, 0.0, 10.0);
        if (i > 0 && !(p.effort_by_rpe[i].first > p.effort_by_rpe[i - 1].first))
            detail::fail("fatigue.effort.by_rpe", "points must be sorted by strictly increasing rpe");
    }
    detail::require_range("fatigue.effort.missing_rpe", p.effort_missing_rpe, 0.0, 10.0);
    detail::require_range("fatigue.muscle.points_per_set", p.muscle_points_per_set, 0.0, 100.0);
    detail::require_range("fatigue.systemic.tau_hours", p.systemic_tau_hours, 1e-3, max_tau_hours);
    detail::require_range("fatigue.systemic.points_per_set", p.systemic_points_per_set, 0.0, 100.0);
    detail::require_range("fatigue.systemic.default_fatigue_factor", p.default_fatigue_factor, 0.0, 5.0);
}

void check_params(const CnsParams& p) {
    const std::array<std::pair<const char*, double>, 12> all = {{
        {"cns.cost.very_low", p.cost_very_low},   {"cns.cost.low", p.cost_low},
        {"cns.cost.moderate", p.cost_moderate},   {"cns.cost.high", p.cost_high},
        {"cns.cost.very_high", p.cost_very_high}, {"cns.role.warmup", p.role_warmup},
        {"cns.role.main", p.role_main},           {"cns.role.accessory", p.role_accessory},
        {"cns.role.skill", p.role_skill},         {"cns.role.finisher", p.role_finisher},
        {"cns.role.cooldown", p.role_cooldown},   {"cns.role.deload", p.role_deload},
    }};
    for (const auto& [key, v] : all) detail::require_range(key, v, 0.0, 1000.0);
    for (std::size_t i = 0; i < p.daily_budget.size(); ++i)
        detail::require_range("cns.daily_budget.aggression_" + std::to_string(i + 1), p.daily_budget[i], 0.0, 1e6);
    detail::require_range("cns.tau_hours", p.tau_hours, 1e-3, max_tau_hours);
}

double interpolate(const std::vector<std::pair<double, double>>& pts, double x) {
    if (x <= pts.front().first) return pts.front().second;
    if (x >= pts.back().first) return pts.back().second;
    for (std::size_t i = 1; i < pts.size(); ++i) {
        if (x <= pts[i].first) {
            const auto& [x0, y0] = pts[i - 1];
            const auto& [x1, y1] = pts[i];
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    return pts.back().second;
}

double effort_unchecked(double rpe, const FatigueParams& p) {
    return rpe <= 0 ? p.effort_missing_rpe : interpolate(p.effort_by_rpe, rpe);
}

double cost_unchecked(CnsLoad load, ExerciseRole role, const CnsParams& p) {
    double cost = 0.0;
    switch (load) {
    case CnsLoad::very_low: cost = p.cost_very_low; break;
    case CnsLoad::low: cost = p.cost_low; break;
    case CnsLoad::moderate: cost = p.cost_moderate; break;
    case CnsLoad::high: cost = p.cost_high; break;
    case CnsLoad::very_high: cost = p.cost_very_high; break;
    default: detail::fail("cns_load", "unknown value " + std::to_string(static_cast<int>(load)));
    }
    double mult = 0.0;
    switch (role) {
    case ExerciseRole::warmup: mult = p.role_warmup; break;
    case ExerciseRole::main: mult = p.role_main; break;
    case ExerciseRole::accessory: mult = p.role_accessory; break;
    case ExerciseRole::skill: mult = p.role_skill; break;
    case ExerciseRole::finisher: mult = p.role_finisher; break;
    case ExerciseRole::cooldown: mult = p.role_cooldown; break;
    case ExerciseRole::deload: mult = p.role_deload; break;
    default: detail::fail("role", "unknown value " + std::to_string(static_cast<int>(role)));
    }
    return cost * mult;
}

double budget_unchecked(int persona_aggression, const CnsParams& p) {
    detail::require_int_range("persona_aggression", persona_aggression, 1, 5);
    return p.daily_budget[static_cast<std::size_t>(persona_aggression - 1)];
}

CnsBudgetCheck budget_check(double total, double budget) {
    CnsBudgetCheck c;
    c.total = total;
    c.budget = budget;
    c.remaining = budget - total;
    c.within = total <= budget + 1e-9;
    return c;
}

}  // namespace

CnsLoad parse_cns_load(std::string_view s) {
    for (std::size_t i = 0; i < cns_names.size(); ++i)
        if (cns_names[i] == s) return static_cast<CnsLoad>(i);
    detail::fail("cns_load", "unknown value \"" + std::string(s) + "\" (expected very_low, low, moderate, high or very_high)");
}

std::string_view cns_load_name(CnsLoad c) {
    const auto i = static_cast<std::size_t>(c);
    if (i >= cns_names.size()) detail::fail("cns_load", "unknown value " + std::to_string(static_cast<int>(c)));
    return cns_names[i];
}

ExerciseRole parse_exercise_role(std::string_view s) {
    for (std::size_t i = 0; i < role_names.size(); ++i)
        if (role_names[i] == s) return static_cast<ExerciseRole>(i);
    detail::fail("role", "unknown value \"" + std::string(s) +
                             "\" (expected warmup, main, accessory, skill, finisher, cooldown or deload)");
}

std::string_view exercise_role_name(ExerciseRole r) {
    const auto i = static_cast<std::size_t>(r);
    if (i >= role_names.size()) detail::fail("role", "unknown value " + std::to_string(static_cast<int>(r)));
    return role_names[i];
}

double effort_factor(double rpe, const FatigueParams& p) {
    check_params(p);
    detail::require_optional_rpe("rpe", rpe);
    return effort_unchecked(rpe, p);
}

double muscle_tau_hours(std::string_view muscle, const FatigueParams& p) {
    check_params(p);
    const auto it = p.tau_hours.find(muscle);
    return it == p.tau_hours.end() ? p.default_tau_hours : it->second;
}

double decay_factor(double hours, double tau_hours) {
    detail::require_nonnegative("hours", hours, 24.0 * detail::max_series_days);
    detail::require_positive("tau_hours", tau_hours);
    return std::exp(-hours / tau_hours);
}

double cns_cost(CnsLoad load, ExerciseRole role, const CnsParams& p) {
    check_params(p);
    return cost_unchecked(load, role, p);
}

double cns_daily_budget(int persona_aggression, const CnsParams& p) {
    check_params(p);
    return budget_unchecked(persona_aggression, p);
}

CnsBudgetCheck check_cns_budget(std::span<const CnsExercise> exercises, int persona_aggression, const CnsParams& p) {
    check_params(p);
    const double budget = budget_unchecked(persona_aggression, p);
    double total = 0.0;
    for (const auto& e : exercises) total += cost_unchecked(e.cns_load, e.role, p);
    return budget_check(total, budget);
}

FatigueState fatigue_state(std::span<const FatigueSet> sets, std::span<const CnsExercise> exercises, Date as_of,
                           int persona_aggression, const FatigueParams& fp, const CnsParams& cp) {
    check_params(fp);
    check_params(cp);
    const double budget = budget_unchecked(persona_aggression, cp);

    FatigueState st;
    st.date = as_of;
    std::map<std::string, double> units;
    double systemic_units = 0.0;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const auto& s = sets[i];
        detail::require_optional_rpe(detail::item("sets", i, "rpe"), s.rpe);
        double factor = fp.default_fatigue_factor;
        if (s.fatigue_factor) {
            detail::require_range(detail::item("sets", i, "fatigue_factor"), *s.fatigue_factor, 0.0, 5.0);
            factor = *s.fatigue_factor;
        }
        detail::require_nonnegative(detail::item("sets", i, "sets"), s.sets, 1e6);
        for (std::size_t m = 0; m < s.muscles.size(); ++m) {
            const std::string field = detail::item("sets", i, "muscles") + detail::item("", m, "magnitude");
            if (s.muscles[m].muscle.empty()) detail::fail(detail::item("sets", i, "muscles") + detail::item("", m, "muscle"), "must not be empty");
            detail::require_range(field, s.muscles[m].magnitude, 0.0, 1.0);
        }
        if (s.date > as_of) continue;
        const double hours = 24.0 * static_cast<double>((as_of - s.date).count());
        const double effort = effort_unchecked(s.rpe, fp);
        for (const auto& ms : s.muscles) {
            const auto it = fp.tau_hours.find(ms.muscle);
            const double tau = it == fp.tau_hours.end() ? fp.default_tau_hours : it->second;
            units[ms.muscle] += s.sets * ms.magnitude * effort * std::exp(-hours / tau);
        }
        systemic_units += s.sets * factor * effort * std::exp(-hours / fp.systemic_tau_hours);
    }
    for (const auto& [muscle, u] : units) {
        const double f = std::min(100.0, u * fp.muscle_points_per_set);
        st.muscle_fatigue[muscle] = f;
        st.muscle_recovery[muscle] = 100.0 - f;
    }
    st.systemic = std::min(100.0, systemic_units * fp.systemic_points_per_set);
    st.recovery_score = 100.0 - st.systemic;

    double today = 0.0;
    for (std::size_t i = 0; i < exercises.size(); ++i) {
        const auto& e = exercises[i];
        const double cost = cost_unchecked(e.cns_load, e.role, cp);
        if (e.date > as_of) continue;
        if (e.date == as_of) today += cost;
        const double hours = 24.0 * static_cast<double>((as_of - e.date).count());
        st.cns += cost * std::exp(-hours / cp.tau_hours);
    }
    st.cns_today = budget_check(today, budget);
    return st;
}

}  // namespace gainsly::math
