// The planner's heuristics, read from heuristic_configs (keys documented in catalog/README.md).
// Every value has a shipped row; a missing or malformed one is an error naming the key, so a bad
// edit of the configuration cannot silently change plans.
#include <algorithm>

#include "model/error.hpp"
#include "plan/internal.hpp"

namespace gainsly::plan {

namespace {

struct Reader {
    const math::Heuristics& h;

    const json& need(const std::string& key) const {
        auto it = h.find(key);
        if (it == h.end()) invalid("heuristic_configs." + key + ": missing (the planner needs it)");
        return it->second;
    }
    [[noreturn]] void bad(const std::string& key, const std::string& what) const {
        invalid("heuristic_configs." + key + ": " + what);
    }
    double number(const std::string& key) const {
        const json& v = need(key);
        if (!v.is_number()) bad(key, "must be a number");
        return v.get<double>();
    }
    double number_in(const std::string& key, double lo, double hi) const {
        double v = number(key);
        if (!(v >= lo && v <= hi)) bad(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return v;
    }
    int integer(const std::string& key, int lo, int hi) const {
        const json& v = need(key);
        if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
            bad(key, "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi));
        return v.get<int>();
    }
    bool boolean(const std::string& key) const {
        const json& v = need(key);
        if (!v.is_boolean()) bad(key, "must be true or false");
        return v.get<bool>();
    }
    const json& object(const std::string& key) const {
        const json& v = need(key);
        if (!v.is_object()) bad(key, "must be a JSON object");
        return v;
    }
    const json& array(const std::string& key) const {
        const json& v = need(key);
        if (!v.is_array()) bad(key, "must be a JSON array");
        return v;
    }
    // Optional plan-only keys: the value when present, else the shipped default.
    double optional_number(const std::string& key, double fallback, double lo, double hi) const {
        return h.count(key) ? number_in(key, lo, hi) : fallback;
    }
};

std::vector<std::string> strings(const Reader& r, const std::string& key, const json& v) {
    std::vector<std::string> out;
    if (!v.is_array()) r.bad(key, "must be an array of strings");
    for (const auto& s : v) {
        if (!s.is_string()) r.bad(key, "must be an array of strings");
        out.push_back(s.get<std::string>());
    }
    return out;
}

int pattern_of(const Reader& r, const std::string& key, const std::string& name) {
    int p = enum_index("movement_pattern", name);
    if (p < 0) r.bad(key, "unknown movement pattern \"" + name + "\"");
    return p;
}

Dose read_dose(const Reader& r, const std::string& key) {
    const json& o = r.object(key);
    auto num = [&](const char* f) -> double {
        if (!o.contains(f) || !o[f].is_number()) r.bad(key, std::string(f) + " must be a number");
        return o[f].get<double>();
    };
    auto opt_int = [&](const char* f) -> std::optional<int> {
        if (!o.contains(f)) return std::nullopt;
        if (!o[f].is_number()) r.bad(key, std::string(f) + " must be a number");
        return int(o[f].get<double>());
    };
    Dose d;
    d.rep_min = int(num("rep_min"));
    d.rep_max = int(num("rep_max"));
    d.sets_min = int(num("weekly_sets_min"));
    d.sets_max = int(num("weekly_sets_max"));
    d.rest_seconds = int(num("rest_seconds"));
    d.rpe_min = num("rpe_min");
    d.rpe_max = num("rpe_max");
    if (d.rep_min < 1 || d.rep_max < d.rep_min || d.sets_max < d.sets_min || d.rpe_max < d.rpe_min || d.rpe_min < 1 || d.rpe_max > 10)
        r.bad(key, "inconsistent ranges");
    d.block_types = strings(r, key, o.value("preferred_block_types", json::array()));
    d.isolation_rep_max = opt_int("isolation_rep_max");
    d.hold_min = opt_int("hold_seconds_min");
    d.hold_max = opt_int("hold_seconds_max");
    d.conditioning_minutes = opt_int("conditioning_minutes_per_week");
    d.sprint_min_m = opt_int("sprint_distance_m_min");
    d.sprint_max_m = opt_int("sprint_distance_m_max");
    d.prefer_supersets = o.value("prefer_supersets", false);
    d.never_to_failure = o.value("never_to_failure", false);
    return d;
}

// plan.coach, volume.groups, volume.windows: what a coach expects of a plan.
void read_coach(const Reader& r, const Catalog& catalog, CoachParams& k) {
    {
        const std::string key = "volume.groups";
        for (const auto& [group, muscles] : r.object(key).items()) {
            std::vector<int> list;
            for (const auto& name : strings(r, key, muscles)) {
                int m = catalog.muscle(name);
                if (m < 0) r.bad(key, group + ": unknown muscle " + name);
                list.push_back(m);
            }
            k.groups.push_back(group);
            k.group_muscles.push_back(std::move(list));
        }
    }
    {
        const std::string key = "volume.windows";
        for (const auto& goal : enum_values("goal")) {
            const json& o = r.object(key);
            if (!o.contains(goal) || !o[goal].is_object()) r.bad(key, goal + ": must be an object of [min, max] per group");
            std::vector<std::pair<double, double>> w;
            for (const auto& g : k.groups) {
                const json& v = o[goal].contains(g) ? o[goal][g] : json();
                if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number() || v[0].get<double>() < 0 ||
                    v[1].get<double>() < v[0].get<double>())
                    r.bad(key, goal + "." + g + ": must be [min, max] with 0 <= min <= max");
                w.push_back({v[0].get<double>(), v[1].get<double>()});
            }
            k.windows[goal] = std::move(w);
        }
    }
    const std::string key = "plan.coach";
    const json& o = r.object(key);
    auto list = [&](const char* f, std::vector<std::string>& dst) {
        if (o.contains(f)) dst = strings(r, key + "." + f, o[f]);
    };
    auto groups = [&](const char* f, std::vector<std::pair<std::string, std::vector<int>>>& dst) {
        if (!o.contains(f) || !o[f].is_object()) r.bad(key, std::string(f) + " must be an object of pattern lists");
        for (const auto& [name, v] : o[f].items()) {
            std::vector<int> patterns;
            for (const auto& s : strings(r, key + "." + f, v)) patterns.push_back(pattern_of(r, key, s));
            dst.push_back({name, std::move(patterns)});
        }
    };
    auto number = [&](const char* f, double& dst, double lo, double hi) {
        if (!o.contains(f)) return;
        if (!o[f].is_number() || o[f].get<double>() < lo || o[f].get<double>() > hi)
            r.bad(key, std::string(f) + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
        dst = o[f].get<double>();
    };
    auto text = [&](const char* f, std::string& dst) {
        if (!o.contains(f)) return;
        if (!o[f].is_string()) r.bad(key, std::string(f) + " must be a string");
        dst = o[f].get<std::string>();
    };
    text("main_lift_tag", k.main_lift_tag);
    text("staple_tag", k.staple_tag);
    text("variant_tag", k.variant_tag);
    text("competition_tag", k.competition_tag);
    text("staple_equipment", k.staple_equipment);
    text("powerlifting", k.powerlifting);
    list("power_goals", k.power_goals);
    list("strength_goals", k.strength_goals);
    list("accessory_goals", k.accessory_goals);
    list("loadable_equipment", k.loadable_equipment);
    groups("staple_groups", k.staple_groups);
    groups("competition_groups", k.competition_groups);
    if (o.contains("pattern_groups")) groups("pattern_groups", k.pattern_groups);
    double share = k.main_share_min, staple = k.staple_strength_min, floor = k.accessory_rep_floor;
    number("main_share_min", share, 0, 10);
    number("staple_strength_min", staple, 0, 10);
    number("accessory_rep_floor", floor, 1, 100);
    k.main_share_min = int(share), k.staple_strength_min = int(staple), k.accessory_rep_floor = int(floor);
    number("push_pull_min", k.push_pull_min, 0, 10);
    number("push_pull_max", k.push_pull_max, k.push_pull_min, 10);
    number("horizontal_max", k.horizontal_max, 0, 10);
    number("main_share", k.main_share, 0, 1);
    number("skill_share", k.skill_share, 0, 1);
    number("volume_share", k.volume_share, 0, 1);
    number("continuity", k.continuity, 0, 1);
    number("deload_min", k.deload_min, 0, 1);
    number("deload_max", k.deload_max, k.deload_min, 1);
    number("secondary_set", k.secondary_set, 0, 1);
    if (o.contains("main_reps")) {
        if (!o["main_reps"].is_object()) r.bad(key, "main_reps must be an object of [min, max] per goal");
        for (const auto& [goal, v] : o["main_reps"].items()) {
            if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer() || v[0].get<int>() < 1 ||
                v[1].get<int>() < v[0].get<int>())
                r.bad(key, "main_reps." + goal + " must be [min, max] whole reps");
            k.main_reps[goal] = {v[0].get<int>(), v[1].get<int>()};
        }
    }
}

}  // namespace

PlanParams load_plan_params(const math::Heuristics& h, const Catalog& catalog) {
    Reader r{h};
    PlanParams p;
    p.math = math::load_params(h);
    for (const auto& goal : enum_values("goal")) p.doses[goal] = read_dose(r, "goal." + goal + ".dose");

    p.landmarks.assign(catalog.muscles.size(), {});
    p.volume_muscle.assign(catalog.muscles.size(), false);
    for (const auto& muscle : enum_values("primary_muscle")) {
        std::string key = "volume.landmarks." + muscle;
        const json& o = r.object(key);
        Landmarks l;
        for (auto [f, dst] : {std::pair{"mv", &l.mv}, {"mev", &l.mev}, {"mav", &l.mav}, {"mrv", &l.mrv}}) {
            if (!o.contains(f) || !o[f].is_number()) r.bad(key, std::string(f) + " must be a number");
            *dst = o[f].get<double>();
        }
        int m = catalog.muscle(muscle);
        if (m < 0) continue;  // a catalog without that muscle row: nothing can load it
        p.landmarks[size_t(m)] = l;
        p.volume_muscle[size_t(m)] = true;
    }
    p.secondary_by_magnitude = r.boolean("volume.secondary_counts_by_magnitude");
    p.hard_set_min_rpe = r.number_in("volume.hard_set_min_rpe", 1, 10);

    p.olympic_max = r.integer("limits.daily.olympic_max", 0, 100);
    p.plyometric_max = r.integer("limits.daily.plyometric_max", 0, 100);
    p.very_high_max = r.integer("limits.daily.very_high_cns_max", 0, 100);
    {
        const std::string key = "limits.heavy_pattern";
        const json& o = r.object(key);
        for (const auto& s : strings(r, key, o.value("cns_load", json::array()))) {
            int c = enum_index("cns_load", s);
            if (c < 0) r.bad(key, "unknown cns_load \"" + s + "\"");
            p.heavy_cns.push_back(c);
        }
        for (const auto& s : strings(r, key, o.value("roles", json::array()))) {
            if (enum_index("exercise_role", s) < 0) r.bad(key, "unknown role \"" + s + "\"");
            p.heavy_roles.push_back(parse_role(s));
        }
        if (!o.contains("min_hours_between") || !o["min_hours_between"].is_number()) r.bad(key, "min_hours_between must be a number");
        p.heavy_min_hours = o["min_hours_between"].get<double>();
    }
    p.max_exercises = r.integer("limits.session.max_exercises", 1, 30);
    p.max_main = r.integer("limits.session.max_main_lifts", 0, 30);

    p.deload_every = r.integer("deload.every_n_microcycles", 0, 52);
    p.deload_intensity = r.number_in("deload.intensity_factor", 0, 1);
    p.deload_volume = r.number_in("deload.volume_factor", 0, 1);
    p.deload_max_rpe = r.number_in("deload.max_rpe", 1, 10);
    p.deload_finishers = r.boolean("deload.finishers_allowed");
    p.deload_strength_drop = p.math.strength.deload_drop;  // strength.deload_drop (math.json)

    p.progression = json::object();
    for (const auto& style : enum_values("progression_style")) p.progression[style] = r.object("progression." + style);

    p.seconds_per_rep = r.number_in("time.seconds_per_rep", 0.1, 60);
    p.setup_seconds = r.integer("time.setup_seconds_per_exercise", 0, 3600);
    p.transition_seconds = r.integer("time.transition_seconds", 0, 3600);
    p.warmup_minutes = r.integer("time.warmup_minutes", 0, 120);
    p.cooldown_minutes = r.integer("time.cooldown_minutes", 0, 120);
    for (int i = 0; i < role_count; ++i) p.rest_seconds[size_t(i)] = r.integer("time.rest_seconds." + std::string(role_name(Role(i))), 0, 3600);
    p.default_hold_seconds = r.integer("time.default_hold_seconds", 1, 3600);
    for (const auto& [k, v] : r.object("time.seconds_per_meter").items()) {
        if (!v.is_number() || v.get<double>() <= 0) r.bad("time.seconds_per_meter", k + " must be a positive number");
        p.seconds_per_meter[k] = v.get<double>();
    }
    p.superset_rest_factor = r.number_in("time.superset_rest_factor", 0, 1);

    for (const auto& activity : enum_values("enjoyable_activity")) {
        std::string key = "interference." + activity;
        auto it = h.find(key);
        if (it == h.end()) continue;  // no windows for that activity
        std::vector<Window> windows;
        for (const auto& w : r.array(key)) {
            Window win;
            if (!w.is_object()) r.bad(key, "entries must be objects");
            if (w.contains("pattern")) win.pattern = pattern_of(r, key, w["pattern"].get<std::string>());
            else if (w.contains("muscle")) {
                win.muscle = catalog.muscle(w["muscle"].get<std::string>());
                if (win.muscle < 0) r.bad(key, "unknown muscle " + w["muscle"].dump());
            } else r.bad(key, "each entry needs a pattern or a muscle");
            win.before_hours = w.value("before_hours", 0.0);
            win.after_hours = w.value("after_hours", 0.0);
            win.severity = w.value("severity", 0.0);
            windows.push_back(win);
        }
        p.interference[activity] = std::move(windows);
    }
    p.interference_hard = r.number_in("interference.hard_threshold", 0, 1);

    for (const auto& [joint, v] : r.object("injury.joint_muscles").items()) {
        const std::string key = "injury.joint_muscles";
        JointRule j;
        for (const auto& m : strings(r, key, v.value("muscles", json::array()))) {
            int mi = catalog.muscle(m);
            if (mi < 0) r.bad(key, joint + ": unknown muscle " + m);
            j.muscles.push_back(mi);
        }
        for (const auto& s : strings(r, key, v.value("patterns", json::array()))) j.patterns.push_back(pattern_of(r, key, s));
        for (const auto& t : strings(r, key, v.value("tags", json::array())))
            if (int ti = catalog.tag(t); ti >= 0) j.tags.push_back(ti);  // a tag no movement carries matches nothing
        if (v.contains("spinal_compression_min")) {
            j.spinal_min = enum_index("spinal_compression", v["spinal_compression_min"].get<std::string>());
            if (j.spinal_min < 0) r.bad(key, joint + ": unknown spinal_compression_min");
        }
        p.joints[joint] = std::move(j);
    }
    p.injury_exclude = r.number_in("injury.severity_exclude_threshold", 0, 1);
    p.muscle_threshold = r.number_in("injury.muscle_magnitude_threshold", 0, 1);
    p.regression_steps = r.integer("injury.regression_max_steps", 0, 20);
    p.regressed_load = r.number_in("injury.regressed_load_factor", 0, 1);

    p.split = json::object();
    for (const auto& split : enum_values("split_template")) p.split[split] = r.object("split." + split);
    p.session_patterns = r.object("split.session_patterns");
    for (const auto& [role, v] : r.object("role.block_types").items()) p.role_blocks[role] = strings(r, "role.block_types", v);
    p.skill_order = strings(r, "skill.order", r.array("skill.order"));
    for (const auto& [exp, v] : r.object("skill.max_for_experience").items()) {
        int s = v.is_string() ? enum_index("skill_level", v.get<std::string>()) : -1;
        if (s < 0) r.bad("skill.max_for_experience", exp + " must name a skill level");
        p.skill_max_for_experience[exp] = s;
    }

    p.push_pull_target = r.number_in("balance.push_pull_ratio_target", 0.01, 100);
    p.ant_post_target = r.number_in("balance.anterior_posterior_ratio_target", 0.01, 100);
    p.balance_tolerance = r.number_in("balance.tolerance", 0, 10);
    {
        const std::string key = "balance.groups";
        const json& g = r.object(key);
        for (const auto& s : strings(r, key, g.value("push", json::array()))) p.push_patterns.push_back(pattern_of(r, key, s));
        for (const auto& s : strings(r, key, g.value("pull", json::array()))) p.pull_patterns.push_back(pattern_of(r, key, s));
        p.anterior_regions = strings(r, key, g.value("anterior", json::array()));
        p.posterior_regions = strings(r, key, g.value("posterior", json::array()));
    }
    p.variety_lookback_days = r.integer("variety.lookback_days", 0, 365);
    p.same_movement_penalty = r.number_in("variety.same_movement_penalty", 0, 100);

    // Planner-only settings that the catalog does not ship yet (optional keys, shipped defaults).
    if (auto it = h.find("plan.objective"); it != h.end()) {
        if (!it->second.is_object()) r.bad("plan.objective", "must be a JSON object");
        ObjectiveWeights& w = p.weights;
        for (auto [name, dst] : {std::pair{"stimulus", &w.stimulus}, {"affinity_floor", &w.affinity_floor}, {"fatigue", &w.fatigue},
                                 {"volume", &w.volume}, {"volume_excess", &w.volume_excess}, {"balance", &w.balance}, {"enjoyment", &w.enjoyment}, {"variety", &w.variety},
                                 {"exposure", &w.exposure}, {"interference", &w.interference}, {"injury_kept", &w.injury_kept},
                                 {"stability", &w.stability}, {"soreness", &w.soreness},
                                 {"main_fit", &w.main_fit}, {"risk", &w.risk}, {"same_pattern", &w.same_pattern},
                                 {"main_slot", &w.main_slot}, {"staple", &w.staple}, {"variant", &w.variant}, {"history", &w.history},
                                 {"coverage", &w.coverage}, {"horizontal", &w.horizontal}, {"competition", &w.competition}}) {
            if (!it->second.contains(name)) continue;
            const json& v = it->second[name];
            if (!v.is_number() || v.get<double>() < 0) r.bad("plan.objective", std::string(name) + " must be a number >= 0");
            *dst = v.get<double>();
        }
        if (!it->second.contains("volume_excess")) w.volume_excess = w.volume;
    }
    p.warmup_drills = int(r.optional_number("plan.warmup_drills", 2, 0, 10));
    p.cooldown_drills = int(r.optional_number("plan.cooldown_drills", 2, 0, 10));
    for (auto& [kind, choices] : p.set_choices) {
        std::string key = "plan.sets." + kind;
        auto it = h.find(key);
        if (it == h.end()) continue;
        if (!it->second.is_array() || it->second.empty()) r.bad(key, "must be a non-empty array of set counts");
        choices.clear();
        for (const auto& v : it->second) {
            if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 20) r.bad(key, "set counts must be integers 1..20");
            choices.push_back(v.get<int>());
        }
    }
    p.low_readiness_below = r.optional_number("plan.readiness.low_below", 60, 0, 100);
    p.adapt_fatigued_from = r.optional_number("plan.adapt.fatigued_from", 40, 0, 100);
    p.adapt_set_cut = r.optional_number("plan.adapt.set_cut", 0.3, 0, 1);
    p.adapt_rpe_drop = r.optional_number("plan.adapt.rpe_drop", 1.0, 0, 5);
    p.adapt_swap_fatigued_from = r.optional_number("plan.adapt.swap_fatigued_from", 70, 0, 100);
    p.adapt_swap_sore_from = r.optional_number("plan.adapt.swap_sore_from", 7, 0, 10);
    p.superset_time_share = r.optional_number("plan.superset_time_share", 0.9, 0, 1);
    read_coach(r, catalog, p.coach);
    p.soreness_exclude_from = p.math.readiness.soreness_high_from;
    p.soreness_penalty_from = p.math.readiness.soreness_moderate_from;
    return p;
}

}  // namespace gainsly::plan
