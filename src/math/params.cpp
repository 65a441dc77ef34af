#include "math/params.hpp"

#include <cmath>
#include <string>

#include "math/e1rm.hpp"
#include "math/validate.hpp"
#include "model/error.hpp"

namespace gainsly::math {
namespace {

constexpr std::string_view tau_prefix = "fatigue.tau_hours.";

std::string shown(const nlohmann::json& j) {
    std::string s = j.dump();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
}

double as_number(std::string_view key, const nlohmann::json& j) {
    if (!j.is_number()) detail::fail(key, "must be a number, got " + shown(j));
    const double v = j.get<double>();
    detail::require_finite(key, v);
    return v;
}

// Reads the heuristics into a Params; each key is visited in a fixed order, so a range may depend
// on a key visited before it (chronic_days > acute_days, ...).
struct Loader {
    const Heuristics& h;

    const nlohmann::json* find(std::string_view key) const {
        const auto it = h.find(key);
        return it == h.end() ? nullptr : &it->second;
    }
    void number(std::string_view key, double& out, double lo, double hi) {
        if (const auto* j = find(key)) out = as_number(key, *j);
        detail::require_range(key, out, lo, hi);
    }
    void positive(std::string_view key, double& out, double hi) {
        if (const auto* j = find(key)) out = as_number(key, *j);
        detail::require_positive(key, out);
        if (out > hi) detail::fail(key, "must be <= " + detail::num(hi) + ", got " + detail::num(out));
    }
    void integer(std::string_view key, int& out, int lo, int hi) {
        if (const auto* j = find(key)) {
            const double v = as_number(key, *j);
            if (v != std::floor(v)) detail::fail(key, "must be an integer, got " + shown(*j));
            detail::require_range(key, v, lo, hi);
            out = static_cast<int>(v);
        }
        detail::require_int_range(key, out, lo, hi);
    }
    void boolean(std::string_view key, bool& out) {
        if (const auto* j = find(key)) {
            if (!j->is_boolean()) detail::fail(key, "must be true or false, got " + shown(*j));
            out = j->get<bool>();
        }
    }
    void formula(std::string_view key, std::string& out) {
        if (const auto* j = find(key)) {
            if (!j->is_string()) detail::fail(key, "must be a string, got " + shown(*j));
            out = j->get<std::string>();
        }
        Formula f{};
        try {
            f = parse_formula(out);
        } catch (const Error&) {
            detail::fail(key, "must be epley, brzycki, lombardi or oconner, got \"" + out + "\"");
        }
        if (!is_schema_formula(f))
            detail::fail(key, "must be epley, brzycki, lombardi or oconner, got \"" + out + "\"");
    }
    void chart(std::string_view key, std::vector<double>& out) {
        if (const auto* j = find(key)) {
            if (!j->is_array()) detail::fail(key, "must be an array of numbers, got " + shown(*j));
            std::vector<double> v;
            for (const auto& x : *j) v.push_back(as_number(key, x));
            out = std::move(v);
        }
        if (out.empty()) detail::fail(key, "must not be empty");
        for (std::size_t i = 0; i < out.size(); ++i) {
            detail::require_range(key, out[i], 1e-3, 100.0);
            if (i > 0 && !(out[i] < out[i - 1])) detail::fail(key, "values must be strictly decreasing");
        }
    }
    void points(std::string_view key, std::vector<std::pair<double, double>>& out) {
        if (const auto* j = find(key)) {
            if (!j->is_array()) detail::fail(key, "must be an array of [rpe, factor] pairs, got " + shown(*j));
            std::vector<std::pair<double, double>> v;
            for (const auto& x : *j) {
                if (!x.is_array() || x.size() != 2)
                    detail::fail(key, "must be an array of [rpe, factor] pairs, got " + shown(x));
                v.emplace_back(as_number(key, x[0]), as_number(key, x[1]));
            }
            out = std::move(v);
        }
        if (out.empty()) detail::fail(key, "needs at least one [rpe, factor] pair");
        for (std::size_t i = 0; i < out.size(); ++i) {
            detail::require_range(key, out[i].first, 1.0, 10.0);
            detail::require_range(key, out[i].second, 0.0, 10.0);
            if (i > 0 && !(out[i].first > out[i - 1].first))
                detail::fail(key, "pairs must be sorted by strictly increasing rpe");
        }
    }
};

// Collects the keys instead of reading them.
struct KeyLister {
    std::vector<std::string> keys;
    void number(std::string_view key, double&, double, double) { keys.emplace_back(key); }
    void positive(std::string_view key, double&, double) { keys.emplace_back(key); }
    void integer(std::string_view key, int&, int, int) { keys.emplace_back(key); }
    void boolean(std::string_view key, bool&) { keys.emplace_back(key); }
    void formula(std::string_view key, std::string&) { keys.emplace_back(key); }
    void chart(std::string_view key, std::vector<double>&) { keys.emplace_back(key); }
    void points(std::string_view key, std::vector<std::pair<double, double>>&) { keys.emplace_back(key); }
};

constexpr double max_tau_hours = 24.0 * 365.0;

template <class V>
void visit(Params& p, V& v) {
    // e1rm
    v.integer("e1rm.max_reps", p.e1rm.max_reps, 1, 36);
    v.formula("e1rm.default_formula", p.e1rm.default_formula);
    // rpe
    v.chart("rpe.chart.percent_by_total_reps", p.rpe.percent_by_total_reps);
    v.number("rpe.chart.min_rpe", p.rpe.chart_min_rpe, 1.0, 10.0);
    v.integer("rpe.chart.max_reps", p.rpe.chart_max_reps, 1, 30);
    v.positive("rpe.plate_increment.kg", p.rpe.plate_increment_kg, 1000.0);
    v.positive("rpe.plate_increment.lb", p.rpe.plate_increment_lb, 1000.0);
    // load
    v.integer("load.acwr.acute_days", p.load.acute_days, 1, 365);
    v.integer("load.acwr.chronic_days", p.load.chronic_days, p.load.acute_days + 1, 3650);
    v.number("load.acwr.ewma_seed", p.load.ewma_seed, 0.0, 1e7);
    v.positive("load.acwr.band.low_below", p.load.band_low_below, 1e6);
    v.number("load.acwr.band.normal_max", p.load.band_normal_max, p.load.band_low_below, 1e6);
    v.number("load.acwr.band.high_from", p.load.band_high_from, p.load.band_normal_max, 1e6);
    v.integer("load.monotony.days", p.load.monotony_days, 2, 365);
    v.positive("load.monotony.max", p.load.monotony_max, 1e6);
    v.boolean("load.monotony.sample_sd", p.load.monotony_sample_sd);
    v.number("load.banister.p0", p.banister.p0, -1e9, 1e9);
    v.number("load.banister.k1", p.banister.k1, 0.0, 1e6);
    v.number("load.banister.k2", p.banister.k2, 0.0, 1e6);
    v.positive("load.banister.tau_fitness_days", p.banister.tau_fitness_days, 3650.0);
    v.positive("load.banister.tau_fatigue_days", p.banister.tau_fatigue_days, 3650.0);
    // fatigue
    for (auto& [muscle, tau] : p.fatigue.tau_hours) v.positive(std::string(tau_prefix) + muscle, tau, max_tau_hours);
    v.positive("fatigue.tau_hours.default", p.fatigue.default_tau_hours, max_tau_hours);
    v.points("fatigue.effort.by_rpe", p.fatigue.effort_by_rpe);
    v.number("fatigue.effort.missing_rpe", p.fatigue.effort_missing_rpe, 0.0, 10.0);
    v.number("fatigue.muscle.points_per_set", p.fatigue.muscle_points_per_set, 0.0, 100.0);
    v.positive("fatigue.systemic.tau_hours", p.fatigue.systemic_tau_hours, max_tau_hours);
    v.number("fatigue.systemic.points_per_set", p.fatigue.systemic_points_per_set, 0.0, 100.0);
    v.number("fatigue.systemic.default_fatigue_factor", p.fatigue.default_fatigue_factor, 0.0, 5.0);
    // cns
    v.number("cns.cost.very_low", p.cns.cost_very_low, 0.0, 1000.0);
    v.number("cns.cost.low", p.cns.cost_low, 0.0, 1000.0);
    v.number("cns.cost.moderate", p.cns.cost_moderate, 0.0, 1000.0);
    v.number("cns.cost.high", p.cns.cost_high, 0.0, 1000.0);
    v.number("cns.cost.very_high", p.cns.cost_very_high, 0.0, 1000.0);
    v.number("cns.role.warmup", p.cns.role_warmup, 0.0, 1000.0);
    v.number("cns.role.main", p.cns.role_main, 0.0, 1000.0);
    v.number("cns.role.accessory", p.cns.role_accessory, 0.0, 1000.0);
    v.number("cns.role.skill", p.cns.role_skill, 0.0, 1000.0);
    v.number("cns.role.finisher", p.cns.role_finisher, 0.0, 1000.0);
    v.number("cns.role.cooldown", p.cns.role_cooldown, 0.0, 1000.0);
    v.number("cns.role.deload", p.cns.role_deload, 0.0, 1000.0);
    for (std::size_t i = 0; i < p.cns.daily_budget.size(); ++i)
        v.number("cns.daily_budget.aggression_" + std::to_string(i + 1), p.cns.daily_budget[i], 0.0, 1e6);
    v.positive("cns.tau_hours", p.cns.tau_hours, max_tau_hours);
    // readiness
    v.number("readiness.base_score", p.readiness.base_score, 0.0, 100.0);
    v.integer("readiness.baseline_days", p.readiness.baseline_days, 1, 365);
    v.integer("readiness.baseline_min_days", p.readiness.baseline_min_days, 1, p.readiness.baseline_days);
    v.number("readiness.sleep.poor_below", p.readiness.sleep_poor_below, 0.0, 100.0);
    v.number("readiness.sleep.excellent_from", p.readiness.sleep_excellent_from, p.readiness.sleep_poor_below, 100.0);
    v.number("readiness.sleep.poor_modifier", p.readiness.sleep_poor_modifier, 0.0, 10.0);
    v.number("readiness.sleep.excellent_modifier", p.readiness.sleep_excellent_modifier, 0.0, 10.0);
    v.number("readiness.soreness.moderate_from", p.readiness.soreness_moderate_from, 0.0, 10.0);
    v.number("readiness.soreness.high_from", p.readiness.soreness_high_from, p.readiness.soreness_moderate_from, 10.0);
    v.number("readiness.soreness.moderate_modifier", p.readiness.soreness_moderate_modifier, 0.0, 10.0);
    v.number("readiness.soreness.high_modifier", p.readiness.soreness_high_modifier, 0.0, 10.0);
    v.number("readiness.hrv.tolerance", p.readiness.hrv_tolerance, 0.0, 1.0);
    v.number("readiness.hrv.below_modifier", p.readiness.hrv_below_modifier, 0.0, 10.0);
    v.number("readiness.hrv.above_modifier", p.readiness.hrv_above_modifier, 0.0, 10.0);
    v.number("readiness.rhr.well_above_bpm", p.readiness.rhr_well_above_bpm, 0.0, 100.0);
    v.number("readiness.rhr.well_above_modifier", p.readiness.rhr_well_above_modifier, 0.0, 10.0);
    // strength
    v.integer("strength.window_microcycles", p.strength.window_microcycles, 1, 1000);
    v.integer("strength.min_exposures", p.strength.min_exposures, 2, 1000);
    v.number("strength.trend.up_from", p.strength.trend_up_from, 0.0, 10.0);
    v.number("strength.trend.down_from", p.strength.trend_down_from, 0.0, 1.0);
    v.number("strength.deload_drop", p.strength.deload_drop, 0.0, 1.0);
    v.number("strength.pr.min_e1rm_gain", p.strength.pr_min_e1rm_gain, 0.0, 10.0);
}

}  // namespace

Params load_params(const Heuristics& h) {
    Params p;
    // Muscles beyond the shipped 19 (rows of the muscles table) may get their own time constant.
    for (const auto& [key, value] : h) {
        if (key.size() <= tau_prefix.size() || key.compare(0, tau_prefix.size(), tau_prefix) != 0) continue;
        const std::string muscle = key.substr(tau_prefix.size());
        if (muscle == "default" || p.fatigue.tau_hours.count(muscle) != 0) continue;
        p.fatigue.tau_hours[muscle] = as_number(key, value);
    }
    Loader loader{h};
    visit(p, loader);
    // The RPE chart must reach reps max_reps at RPE min_rpe: total reps up to max_reps + 10 - min_rpe.
    const double top = p.rpe.chart_max_reps + (10.0 - p.rpe.chart_min_rpe);
    const auto needed = static_cast<std::size_t>(std::ceil((top - 1.0) * 2.0)) + 1;
    if (p.rpe.percent_by_total_reps.size() < needed)
        detail::fail("rpe.chart.percent_by_total_reps",
                     "needs " + std::to_string(needed) + " values for reps up to rpe.chart.max_reps at rpe.chart.min_rpe, has " +
                         std::to_string(p.rpe.percent_by_total_reps.size()));
    return p;
}

Heuristics heuristics_from_json(const nlohmann::json& rows) {
    if (!rows.is_array()) detail::fail("heuristic_configs", "must be a JSON array of rows");
    Heuristics h;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        const std::string where = detail::item("heuristic_configs", i);
        if (!row.is_object()) detail::fail(where, "must be an object");
        const auto key = row.find("key");
        if (key == row.end() || !key->is_string() || key->get<std::string>().empty())
            detail::fail(where + ".key", "must be a non-empty string");
        const auto value = row.find("value");
        if (value == row.end()) detail::fail(where + ".value", "is missing");
        const auto active = row.find("is_active");
        if (active != row.end() && active->is_boolean() && !active->get<bool>()) continue;
        if (!h.emplace(key->get<std::string>(), *value).second)
            detail::fail(where + ".key", "duplicate key \"" + key->get<std::string>() + "\"");
    }
    return h;
}

std::vector<std::string> param_keys() {
    Params p;
    KeyLister lister;
    visit(p, lister);
    return lister.keys;
}

}  // namespace gainsly::math
