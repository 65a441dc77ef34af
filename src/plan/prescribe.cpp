// Prescriptions by role, goal dose and progression style (catalog/README.md: goal.<goal>.dose,
// progression.<style>, deload.*, time.*), with loads from the user's e1RM and the RPE chart.
#include "plan/prescribe.hpp"

#include <algorithm>
#include <cmath>

#include "math/e1rm.hpp"
#include "math/rpe.hpp"
#include "model/error.hpp"

namespace gainsly::plan {

namespace {

double half_step(double x) { return std::round(x * 2.0) / 2.0; }

// A progression value: a number, or "dose.<field>" naming a field of the active dose.
int resolve(const json& v, const Dose& dose, int fallback) {
    if (v.is_number()) return int(v.get<double>());
    if (!v.is_string()) return fallback;
    std::string s = v.get<std::string>();
    if (s == "dose.rep_min") return dose.rep_min;
    if (s == "dose.rep_max") return dose.rep_max;
    return fallback;
}

double ramp(const Dose& d, const WeekSpec& w, double cap = 10) {
    double t = w.loading_weeks > 1 ? double(std::min(w.loading_index, w.loading_weeks - 1)) / double(w.loading_weeks - 1) : 0.0;
    return std::min(cap, half_step(d.rpe_min + (d.rpe_max - d.rpe_min) * t));
}

bool upper_region(const std::string& region) {
    return region == "upper body" || region == "shoulder" || region == "anterior upper" || region == "posterior upper";
}

double increment_for(const Context& ctx, const Movement& m, const json& style) {
    const json inc = style.value("load_increment_kg", json::object());
    std::string kind = m.pattern == enum_index("movement_pattern", "isolation") ? "isolation" : upper_region(m.region) ? "upper" : "lower";
    double kg = inc.value(kind, 0.0);
    return ctx.user.metric ? kg : kg * 2.2046226218;
}

bool rep_based(const Movement& m) { return m.metric == "reps" || m.metric == "time_under_tension"; }

bool mobility_like(const Movement& m) { return m.block_type == "mobility"; }

std::optional<double> chart_load(const Context& ctx, const std::optional<double>& e1rm, int reps, double rpe) {
    const auto& rp = ctx.params.math.rpe;
    if (!e1rm || *e1rm <= 0 || reps < 1 || reps > rp.chart_max_reps || rpe < rp.chart_min_rpe || rpe > 10) return std::nullopt;
    return math::load_for_units(*e1rm, reps, rpe, ctx.user.metric, rp);
}

double plate(const Context& ctx) { return math::plate_increment(ctx.user.metric, ctx.params.math.rpe); }

std::string fmt_load(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", std::round(x * 100) / 100);
    return buf;
}

}  // namespace

Doses pick_doses(const PlanParams& p, const std::vector<GoalWeight>& goals) {
    std::vector<GoalWeight> sorted = goals;
    std::stable_sort(sorted.begin(), sorted.end(), [](const GoalWeight& a, const GoalWeight& b) { return a.weight > b.weight; });
    // The first block type wins over goal weight: accessories follow a goal that prefers
    // accessory work before one that only prefers strength blocks.
    auto first_with = [&](std::initializer_list<const char*> blocks) -> const Dose* {
        for (const char* b : blocks)
            for (const auto& g : sorted) {
                const Dose& d = p.doses.at(g.goal);
                if (std::find(d.block_types.begin(), d.block_types.end(), b) != d.block_types.end()) return &d;
            }
        return &p.doses.at(sorted.front().goal);
    };
    Doses d;
    d.main = first_with({"strength", "power"});  // the heaviest-weighted goal preferring either
    auto first_goal = [&](const std::vector<std::string>& names, const char* fallback) -> const Dose* {
        for (const auto& n : names)
            for (const auto& g : sorted)
                if (g.goal == n) return &p.doses.at(n);
        return &p.doses.at(fallback);
    };
    d.accessory = first_goal(p.coach.accessory_goals, "hypertrophy");
    d.mobility = &p.doses.at("mobility");
    d.speed = &p.doses.at("speed");
    d.power = first_goal(p.coach.power_goals, "explosiveness");
    return d;
}

const Dose& dose_for(const Context& ctx, const Doses& doses, const Movement& m, Role role) {
    if (is_power(m)) return *doses.power;
    bool heavy_role = role == Role::main || role == Role::skill;
    return heavy_role && loadable(ctx.catalog, ctx.params.coach, m) ? *doses.main : *doses.accessory;
}

std::optional<double> latest_e1rm(const Context& ctx, int movement) {
    std::optional<Date> day;
    double best = 0;
    math::Formula f = math::parse_formula(ctx.user.formula);
    for (auto it = ctx.user.sets.rbegin(); it != ctx.user.sets.rend(); ++it) {
        if (it->movement != movement || it->load <= 0) continue;
        if (day && it->date != *day) break;
        day = it->date;
        int reps = std::min(it->reps, ctx.params.math.e1rm.max_reps);
        double rpe = it->rpe >= 1 && it->rpe <= 10 ? it->rpe : 0.0;
        best = std::max(best, math::e1rm(f, it->load, reps, rpe, ctx.params.math.e1rm));
    }
    if (!day || best <= 0) return std::nullopt;
    return best;
}

std::vector<int> set_options(const Context& ctx, const Movement& m, Role role, const std::string& session_type) {
    const PlanParams& p = ctx.params;
    if (role == Role::finisher) return p.set_choices.at("finisher");
    bool conditioning = m.block_type == "conditioning" && !rep_based(m);
    if (conditioning || session_type == "cardio") return p.set_choices.at("conditioning");
    if ((role == Role::main || role == Role::skill) && rep_based(m) && !mobility_like(m)) {
        const std::string& style = ctx.request.progression_style;
        const json& cfg = p.progression.at(style);
        if (style == "build_to_drop") return {1 + cfg.value("backoff_sets", 3)};
        if (style == "wave_loading") return {int(cfg.value("wave", json::array()).size()) * cfg.value("waves_per_session", 1)};
        return p.set_choices.at("main");
    }
    return p.set_choices.at("accessory");
}

Prescription prescribe(const Context& ctx, const Doses& doses, int movement, Role role, int base_sets, const WeekSpec& week,
                       const std::optional<double>& e1rm, bool reduced, bool describe) {
    const PlanParams& p = ctx.params;
    const Movement& m = ctx.catalog.movements[size_t(movement)];
    Prescription x;
    x.sets = base_sets;
    x.reduced = reduced;
    x.rest_seconds = p.rest_seconds[size_t(role)];
    const Dose& dose = dose_for(ctx, doses, m, role);
    bool can_load = loadable(ctx.catalog, p.coach, m);
    // The goal's rest overrides time.rest_seconds.main; power work rests as its goal says.
    if (role == Role::main || (is_power(m) && role != Role::warmup && role != Role::cooldown)) x.rest_seconds = dose.rest_seconds;

    if (role == Role::warmup || role == Role::cooldown || mobility_like(m)) {
        const Dose& mob = *doses.mobility;
        x.rpe = half_step(role == Role::warmup || role == Role::cooldown ? mob.rpe_min : (mob.rpe_min + mob.rpe_max) / 2);
        if (rep_based(m)) {
            x.rep_min = mob.rep_min;
            x.rep_max = mob.rep_max;
        } else {
            x.duration_seconds = mob.hold_min.value_or(p.default_hold_seconds);
        }
        if (role == Role::warmup || role == Role::cooldown) x.sets = 1;
    } else if (m.metric == "distance") {
        const Dose& sp = *doses.speed;
        x.distance_m = (sp.sprint_min_m.value_or(20) + sp.sprint_max_m.value_or(40)) / 2;
        double per_meter = 0;
        bool sled = ctx.catalog.equipment_index.count("sled") &&
                    std::find(m.equipment.begin(), m.equipment.end(), ctx.catalog.equipment_index.at("sled")) != m.equipment.end();
        std::string pattern = enum_values("movement_pattern")[size_t(m.pattern)];
        if (auto it = p.seconds_per_meter.find(sled ? "sled" : pattern); it != p.seconds_per_meter.end()) per_meter = it->second;
        else
            for (const auto& [k, v] : p.seconds_per_meter) per_meter = std::max(per_meter, v);  // unknown pattern: the slowest
        x.duration_seconds = std::max(1, int(std::ceil(x.distance_m * per_meter)));
        x.rpe = can_load ? ramp(dose, week, 9) : half_step((dose.rpe_min + dose.rpe_max) / 2);
    } else if (!rep_based(m)) {
        x.duration_seconds = p.default_hold_seconds;
        x.rpe = can_load ? ramp(dose, week, 9) : half_step((dose.rpe_min + dose.rpe_max) / 2);
    } else if (is_power(m) && role != Role::finisher) {
        // Power work: few fast reps, full rest, never ground out (no RPE ramp).
        x.rep_min = dose.rep_min;
        x.rep_max = dose.rep_max;
        x.rpe = half_step((dose.rpe_min + dose.rpe_max) / 2);
        if (describe) x.detail = "power: every rep fast; stop the set when speed drops";
    } else if ((role == Role::main || role == Role::skill) && can_load) {
        const std::string& style = ctx.request.progression_style;
        const json& cfg = p.progression.at(style);
        x.rpe = ramp(dose, week);
        x.rep_min = dose.rep_min;
        x.rep_max = dose.rep_max;
        int li = week.loading_index;
        if (style == "single_progression") {
            int reps = std::max(1, resolve(cfg.value("rep_target", json("dose.rep_max")), dose, dose.rep_max));
            x.rep_min = x.rep_max = reps;
            double inc = increment_for(ctx, m, cfg);
            if (auto base = chart_load(ctx, e1rm, reps, ramp(dose, {week.week, 0, week.loading_weeks}))) x.load = *base + inc * li;
            if (describe) x.detail = "single progression: same " + std::to_string(reps) + " reps, +" + fmt_load(inc) + (ctx.user.metric ? " kg" : " lb") +
                       " each week all sets are completed";
        } else if (style == "paused_variations" && [&] {
                       for (const auto& pat : cfg.value("applies_to_patterns", json::array()))
                           if (pat.is_string() && enum_index("movement_pattern", pat.get<std::string>()) == m.pattern) return true;
                       return false;
                   }()) {
            json pauses = cfg.value("pause_seconds_by_week", json::array({2}));
            int pause = pauses.empty() ? 2 : pauses[size_t(li) % pauses.size()].get<int>();
            x.duration_seconds = int(std::ceil(x.rep_max * (p.seconds_per_rep + pause)));
            if (auto base = chart_load(ctx, e1rm, x.rep_max, x.rpe))
                x.load = *base * cfg.value("load_factor_vs_unpaused", 0.85) * (1 + cfg.value("weekly_load_step_pct", 0.025) * li);
            if (describe) x.detail = "paused variation: " + std::to_string(pause) + " s pause in the hardest position; change the pause position every " +
                       std::to_string(cfg.value("rotate_variation_every_weeks", 3)) + " weeks";
        } else if (style == "build_to_drop") {
            int top = std::max(1, resolve(cfg.value("top_set_reps", json("dose.rep_min")), dose, dose.rep_min));
            int back = std::max(1, resolve(cfg.value("backoff_reps", json("dose.rep_max")), dose, dose.rep_max));
            json rpes = cfg.value("top_set_rpe_by_week", json::array({8}));
            if (!rpes.empty()) x.rpe = rpes[size_t(std::min<int>(li, int(rpes.size()) - 1))].get<double>();
            x.rep_min = std::min(top, back);
            x.rep_max = std::max(top, back);
            double drop = cfg.value("backoff_drop_pct", 0.12);
            std::string loads;
            if (auto t = chart_load(ctx, e1rm, top, x.rpe)) {
                x.load = *t;
                loads = " (" + fmt_load(*t) + " then " + fmt_load(math::round_to_increment(*t * (1 - drop), plate(ctx))) + ")";
            }
            if (describe) x.detail = "build to a top set of " + std::to_string(top) + " @ RPE " + fmt_load(x.rpe) + ", then " +
                       std::to_string(x.sets - 1) + " back-off sets of " + std::to_string(back) + " at -" + fmt_load(drop * 100) + "%" + loads;
        } else if (style == "wave_loading") {
            json wave = cfg.value("wave", json::array());
            int waves = cfg.value("waves_per_session", 1);
            int length = std::max(1, cfg.value("wave_length_weeks", 3));
            double step = cfg.value("weekly_step_pct", 0.025), second = cfg.value("second_wave_step_pct", 0.025);
            int lo = 100, hi = 1;
            for (const auto& w : wave) lo = std::min(lo, w.value("reps", 1)), hi = std::max(hi, w.value("reps", 1));
            x.rep_min = wave.empty() ? dose.rep_min : lo;
            x.rep_max = wave.empty() ? dose.rep_max : hi;
            std::string reps_text, loads;
            // A plain value and a flag (an optional read in the loop made g++ warn -Wmaybe-uninitialized).
            double base_load = 0;
            bool has_base = false;
            if (!wave.empty())
                if (auto b = chart_load(ctx, e1rm, wave[0].value("reps", 5), x.rpe)) base_load = *b, has_base = true;
            for (int k = 0; k < waves; ++k)
                for (const auto& w : wave) {
                    if (k == 0) reps_text += (reps_text.empty() ? "" : "/") + std::to_string(w.value("reps", 1));
                    if (has_base) {
                        double l = base_load * (1 + step * (li % length)) * (1 + w.value("pct_offset", 0.0)) * (1 + second * k);
                        loads += (loads.empty() ? "" : ", ") + fmt_load(math::round_to_increment(l, plate(ctx)));
                    }
                }
            if (has_base) x.load = math::round_to_increment(base_load * (1 + step * (li % length)), plate(ctx));
            if (describe) x.detail = std::to_string(waves) + " waves of " + reps_text + (loads.empty() ? "" : " (" + loads + ")");
        } else {  // double progression (also paused variations for patterns it does not cover)
            const json& dp = p.progression.at("double_progression");
            int added = dp.value("reps_added_per_week", 1);
            // The block's last loading week reaches the top of the range.
            int first = std::max(dose.rep_min, dose.rep_max - added * std::max(0, week.loading_weeks - 1));
            int target = std::min(first + added * li, dose.rep_max);
            x.rep_min = first;
            double inc = increment_for(ctx, m, dp);
            if (auto l = chart_load(ctx, e1rm, target, x.rpe)) x.load = *l;
            if (describe) x.detail = "double progression: aim for " + std::to_string(target) + " reps; when every set reaches " + std::to_string(dose.rep_max) +
                       ", add " + fmt_load(inc) + (ctx.user.metric ? " kg" : " lb") + " and go back to " + std::to_string(first);
        }
    } else {
        // Accessories and finishers: double progression inside the accessory dose.
        x.rpe = ramp(dose, week, role == Role::finisher ? dose.rpe_min : 9.0);
        x.rep_min = dose.rep_min;
        x.rep_max = m.pattern == enum_index("movement_pattern", "isolation") && dose.isolation_rep_max ? *dose.isolation_rep_max : dose.rep_max;
        if (!can_load) {
            // Bodyweight and band work: no low-rep sets, and a steady effort (no load to ramp).
            x.rep_min = std::max(x.rep_min, p.coach.accessory_rep_floor);
            x.rep_max = std::max(x.rep_max, x.rep_min);
            x.rpe = half_step((dose.rpe_min + dose.rpe_max) / 2);
            if (role == Role::finisher) x.rpe = dose.rpe_min;
        }
        if (role == Role::main && !can_load) {
            // A bodyweight main lift (push-up, pull-up, dip) stays inside the main goal's rep window:
            // at its top when the bodyweight floor lies above it (strength: sets of 6), with the main
            // goal's rest.
            x.rest_seconds = doses.main->rest_seconds;
            for (const auto& g : ctx.request.goals)
                if (&p.doses.at(g.goal) == doses.main && p.coach.main_reps.count(g.goal)) {
                    auto [lo, hi] = p.coach.main_reps.at(g.goal);
                    x.rep_max = std::clamp(x.rep_max, lo, hi);
                    x.rep_min = std::clamp(x.rep_min, lo, x.rep_max);
                    break;
                }
        }
        int target = std::min(x.rep_min + week.loading_index, x.rep_max);
        if (can_load)
            if (auto l = chart_load(ctx, e1rm, target, x.rpe)) x.load = *l;
        if (describe && !can_load && (role == Role::main || role == Role::skill))
            x.detail = "add reps each week up to " + std::to_string(x.rep_max) + ", then move to a harder version";
    }

    if (reduced) {
        x.rpe = std::min(x.rpe, dose.rpe_min);
        if (x.load) x.load = *x.load * p.regressed_load;
    }
    if (week.deload) {
        x.sets = std::max(1, int(std::lround(x.sets * p.deload_volume)));
        x.rpe = std::min(x.rpe, p.deload_max_rpe);
        if (x.load) x.load = *x.load * p.deload_intensity;
        if (describe) x.detail = "deload";
    }
    if (x.load) x.load = math::round_to_increment(*x.load, plate(ctx));
    if (!describe) x.detail.clear();
    return x;
}

int work_seconds(const PlanParams& p, const Prescription& x) {
    if (x.duration_seconds > 0) return x.duration_seconds;
    return int(std::ceil(x.rep_max * p.seconds_per_rep));
}

int exercise_seconds(const PlanParams& p, const Prescription& x) {
    return p.setup_seconds + p.transition_seconds + x.sets * (work_seconds(p, x) + x.rest_seconds);
}

int circuit_seconds(const PlanParams& p, const Circuit& c) { return p.setup_seconds + p.transition_seconds + c.duration_s; }

}  // namespace gainsly::plan
