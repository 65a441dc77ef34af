// Candidate options per session day. Filters that are hard constraints (eligibility, hard
// interference windows) remove options here; per-day resource limits are left to the solver.
#include "plan/build.hpp"

#include <algorithm>
#include <cmath>

#include "math/fatigue.hpp"
#include "model/error.hpp"

namespace gainsly::plan {

namespace {

bool contains(const json& arr, std::string_view s) {
    if (!arr.is_array()) return false;
    for (const auto& v : arr)
        if (v.is_string() && v.get<std::string>() == s) return true;
    return false;
}

bool contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

double cns_cost(const PlanParams& p, int cns, Role role) {
    math::ExerciseRole r = math::parse_exercise_role(role_name(role));
    return math::cns_cost(math::CnsLoad(cns), r, p.math.cns);
}

bool is_off(const std::vector<GroupRef>& off, Group g, int index = 0) {
    return std::find(off.begin(), off.end(), GroupRef{g, index}) != off.end();
}

}  // namespace

bool is_strength_session(const std::string& type) {
    return type != "cardio" && type != "mobility" && type != "recovery" && type != "skill";
}

Planner::Planner(const Context& c, const std::vector<GroupRef>& off) : ctx(c), elig(eligibility(c, off)), doses(pick_doses(c.params, c.request.goals)) {
    size_t n = c.catalog.movements.size();
    e1rm.assign(n, std::nullopt);
    e1rm_done.assign(n, false);
    requirement_of.assign(n, -1);
    for (size_t i = 0; i < c.user.rules.size(); ++i) {
        const Rule& r = c.user.rules[i];
        if (r.type != "hard_yes" && r.type != "preferred") continue;
        if (is_off(off, Group::rule, int(i))) continue;
        if (requirement_of[size_t(r.movement)] >= 0) continue;  // hard_yes and preferred on one movement: one requirement
        requirement_of[size_t(r.movement)] = int(required.size());
        required.push_back(r.movement);
        required_label.push_back(r.type + " " + c.catalog.movements[size_t(r.movement)].name);
    }
    // Weekly set window per volume group: the dominant goal's volume.windows.
    const CoachParams& k = c.params.coach;
    window_goal = dominant_goal(c.request);
    if (!k.windows.count(window_goal)) window_goal = "hypertrophy";
    const auto& window = k.windows.at(window_goal);
    for (const auto& [l, h] : window) lo.push_back(l), hi.push_back(h);

    power_wanted = goal_weight(c.request, k.power_goals) > 0;
    staples_apply = goal_weight(c.request, {"strength"}) >= k.staple_strength_min;
    int staple_eq = c.catalog.equipment_index.count(k.staple_equipment) ? c.catalog.equipment_index.at(k.staple_equipment) : -1;
    barbell = std::find(c.request.equipment.begin(), c.request.equipment.end(), staple_eq) != c.request.equipment.end();
    auto lower = [](std::string s) {
        for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    };
    powerlifter = lower(c.user.long_term_goal).find(lower(k.powerlifting)) != std::string::npos && !k.powerlifting.empty();
    for (const auto& d : c.user.skill_disciplines) powerlifter = powerlifter || d == k.powerlifting;
    powerlifter = powerlifter || c.user.top_discipline == k.powerlifting;
    // Coverage groups: the staples of each pattern group, and the competition lifts for a powerlifter.
    std::vector<std::tuple<const std::vector<int>*, const std::string*>> groups;
    if (staples_apply)
        for (const auto& [name, patterns] : k.staple_groups) cover_names.push_back("staple " + name), groups.push_back({&patterns, &k.staple_tag});
    if (powerlifter)
        for (const auto& [name, patterns] : k.competition_groups)
            cover_names.push_back("competition " + name), groups.push_back({&patterns, &k.competition_tag});
    rule2_groups = cover_names.size();
    // A week also tries to hold a main lift of each pattern group (a row besides the pull-ups).
    static const std::string any;  // empty tag: any main lift
    for (const auto& [name, patterns] : k.pattern_groups) cover_names.push_back("pattern " + name), groups.push_back({&patterns, &any});
    main_ok.assign(n, false);
    cover.assign(n, 0);
    for (size_t mi = 0; mi < n; ++mi) {
        const Movement& m = c.catalog.movements[mi];
        bool lift = main_lift(c.catalog, k, m);
        // Power work takes a main slot only when strength + hypertrophy weigh too little for rule 1.
        main_ok[mi] = lift || (power_wanted && is_power(m) && goal_weight(c.request, k.strength_goals) < k.main_share_min);
        for (size_t g = 0; g < groups.size() && g < 32; ++g) {
            const auto& [patterns, tag] = groups[g];
            if (lift && (tag->empty() || has_named_tag(c.catalog, m, *tag)) && std::find(patterns->begin(), patterns->end(), m.pattern) != patterns->end())
                cover[mi] |= 1u << g;
        }
    }
}

const std::optional<double>& Planner::e1rm_of(int movement) {
    if (!e1rm_done[size_t(movement)]) {
        e1rm[size_t(movement)] = latest_e1rm(ctx, movement);
        e1rm_done[size_t(movement)] = true;
    }
    return e1rm[size_t(movement)];
}

double Planner::block_affinity(const std::string& block) const {
    double a = 0;
    for (const auto& g : ctx.request.goals)
        if (contains(ctx.params.doses.at(g.goal).block_types, block)) a += g.weight / 10.0;
    return std::max(ctx.params.weights.affinity_floor, a);
}

bool interference_forbids(const Context& ctx, const Movement& m, int offset, const Layout& layout, double* soft,
                          const std::vector<GroupRef>& off, std::vector<int>* activities) {
    const PlanParams& p = ctx.params;
    bool forbidden = false;
    for (const auto& [a, a_offset] : layout.activity_days) {
        const EnjoyedActivity& act = ctx.user.activities[size_t(a)];
        auto it = p.interference.find(act.activity);
        if (it == p.interference.end()) continue;
        int delta = a_offset - offset;  // > 0: the session is before the activity
        for (const Window& w : it->second) {
            bool matches = w.pattern >= 0 ? m.pattern == w.pattern : [&] {
                for (const auto& l : m.muscles)
                    if (l.muscle == w.muscle && (l.role == 0 || l.magnitude >= p.muscle_threshold)) return true;
                return false;
            }();
            if (!matches) continue;
            if (!w.covers(delta)) continue;
            if (w.severity >= p.interference_hard) {
                if (is_off(off, Group::interference, a)) continue;
                forbidden = true;
                if (activities && std::find(activities->begin(), activities->end(), a) == activities->end()) activities->push_back(a);
            } else if (soft) {
                *soft += w.severity;
            }
        }
    }
    return forbidden;
}

WeekProblem build_week(Planner& planner, const Layout& layout, const std::vector<GroupRef>& off) {
    const Context& ctx = planner.ctx;
    const PlanParams& p = ctx.params;
    const Catalog& c = ctx.catalog;
    const ObjectiveWeights& w = p.weights;
    WeekProblem wp;
    wp.cyclic = layout.cyclic;
    wp.external_heavy = layout.external_heavy;
    wp.movement_count = int(c.movements.size());
    wp.volume_muscle.assign(planner.lo.size(), true);
    wp.lo = planner.lo;
    wp.hi = planner.hi;
    wp.w_volume = w.volume;
    wp.w_excess = w.volume_excess;
    wp.w_balance = w.balance;
    wp.repeat_penalty = w.variety * p.same_movement_penalty;
    wp.same_pattern_penalty = w.same_pattern;
    wp.push_pull_target = p.push_pull_target;
    wp.ant_post_target = p.ant_post_target;
    wp.tolerance = p.balance_tolerance;
    wp.cover_bonus.assign(planner.cover_names.size(), w.coverage);
    wp.w_horizontal = w.horizontal;
    wp.horizontal_max = p.coach.horizontal_max;
    const int h_push = enum_index("movement_pattern", "horizontal_push"), h_pull = enum_index("movement_pattern", "horizontal_pull");
    bool limits = !is_off(off, Group::daily_limits);
    wp.olympic_max = limits ? p.olympic_max : 1000;
    wp.plyometric_max = limits ? p.plyometric_max : 1000;
    wp.very_high_max = limits ? p.very_high_max : 1000;
    wp.heavy_min_hours = p.heavy_min_hours;
    wp.required = planner.required;
    wp.required_label = planner.required_label;
    wp.required_done.assign(wp.required.size(), 0);

    const int olympic = enum_index("movement_pattern", "olympic");
    const int plyometric = enum_index("movement_pattern", "plyometric");
    const int isolation = enum_index("movement_pattern", "isolation");
    const int plyo_tag = c.tag("plyometric");
    const int heavy_tag = c.tag("heavy");

    double budget = math::cns_daily_budget(ctx.user.aggression, p.math.cns);
    // The warm-up and cooldown drills (very_low/low CNS) are chosen after the search; reserve
    // their worst case so the day stays within the budget whatever is chosen.
    double reserve = p.warmup_drills * math::cns_cost(math::CnsLoad::low, math::ExerciseRole::warmup, p.math.cns) +
                     p.cooldown_drills * math::cns_cost(math::CnsLoad::low, math::ExerciseRole::cooldown, p.math.cns);
    int fixed_seconds = 60 * (p.warmup_minutes + p.cooldown_minutes);

    auto counts = [&](Option& o, const Movement& m) {
        o.olympic += m.pattern == olympic ? 1 : 0;
        o.plyometric += (m.pattern == plyometric || m.has_tag(plyo_tag)) ? 1 : 0;
        o.very_high += m.cns == cns_very_high ? 1 : 0;
    };

    // Sets toward push:pull, horizontal push:pull and anterior:posterior balance.
    auto balance_sets = [&](Option& o, const Movement& m, int sets) {
        if (m.pattern == h_push) o.hpush = float(sets);
        if (m.pattern == h_pull) o.hpull = float(sets);
        if (std::find(p.push_patterns.begin(), p.push_patterns.end(), m.pattern) != p.push_patterns.end()) o.push = float(sets);
        if (std::find(p.pull_patterns.begin(), p.pull_patterns.end(), m.pattern) != p.pull_patterns.end()) o.pull = float(sets);
        if (contains(p.anterior_regions, m.region)) o.anterior = float(sets);
        if (contains(p.posterior_regions, m.region)) o.posterior = float(sets);
    };

    // Options shared by every day of the same type are rebuilt per day: interference and
    // re-planning inputs differ by day.
    for (size_t di = 0; di < layout.days.size(); ++di) {
        const LayoutDay& ld = layout.days[di];
        Day day;
        day.offset = ld.offset;
        day.type = ld.type;
        day.fixed = ld.fixed;
        day.max_main = p.max_main;
        day.max_total = p.max_exercises;
        day.cns_budget = is_off(off, Group::cns) ? 1e9 : std::max(0.0, budget * ld.cns_scale - reserve);
        day.seconds_budget = is_off(off, Group::session_minutes) ? 1'000'000 : ctx.request.session_minutes * 60 - fixed_seconds;

        if (ld.fixed) {
            for (const auto& f : ld.fixed_content) {
                if (f.movement < 0) continue;
                const Movement& m = c.movements[size_t(f.movement)];
                Option o;
                o.movement = f.movement;
                o.role = f.role;
                o.sets = f.sets;
                if (f.role == Role::main || f.role == Role::accessory)
                    for (const auto& [g, k] : group_volume(p.coach, m)) o.volume.push_back({g, k * float(f.sets)});
                if (f.role != Role::finisher) o.cover = planner.cover[size_t(f.movement)];
                balance_sets(o, m, f.sets);  // completed work counts toward the week's balance too
                if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), f.role) != p.heavy_roles.end() &&
                    std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end())
                    o.heavy_pattern = m.pattern;
                int r = planner.requirement_of[size_t(f.movement)];
                if (r >= 0) wp.required_done[size_t(r)] += 1;
                day.fixed_options.push_back(int(wp.options.size()));
                wp.options.push_back(std::move(o));
            }
            wp.days.push_back(std::move(day));
            continue;
        }

        const json& sp = p.session_patterns.contains(ld.type) ? p.session_patterns[ld.type] : p.session_patterns["full_body"];
        json patterns = sp.value("patterns", json::array());
        json iso_muscles = sp.value("isolation_muscles", json::array());
        int max_cns = sp.contains("max_cns") ? enum_index("cns_load", sp["max_cns"].get<std::string>()) : 4;
        json tags_any = sp.value("required_tags_any", json::array());
        bool strength = is_strength_session(ld.type);
        const auto& blocks_main = p.role_blocks.count("main") ? p.role_blocks.at("main") : std::vector<std::string>{};
        const auto& blocks_acc = p.role_blocks.count("accessory") ? p.role_blocks.at("accessory") : std::vector<std::string>{};
        const auto& blocks_fin = p.role_blocks.count("finisher") ? p.role_blocks.at("finisher") : std::vector<std::string>{};
        bool finishers = strength || ld.type == "cardio";

        auto add_option = [&](int mi, Role role, std::vector<int>& list, double soft) {
            const Movement& m = c.movements[size_t(mi)];
            bool reduced = planner.elig.reduced[size_t(mi)];
            const auto& e1rm = planner.e1rm_of(mi);
            std::vector<int> choices = set_options(ctx, m, role, ld.type);
            for (size_t k = 0; k < choices.size(); ++k) {
                int sets = choices[k];
                Option o;
                o.movement = mi;
                o.role = role;
                o.sets = sets;
                o.primary = k == choices.size() / 2;
                for (const auto& wk : layout.weeks) {
                    Prescription x = prescribe(ctx, planner.doses, mi, role, sets, wk, e1rm, reduced, false);
                    o.seconds = std::max(o.seconds, exercise_seconds(p, x));
                    o.work_seconds = std::max(o.work_seconds, work_seconds(p, x));
                    o.rest_seconds = std::max(o.rest_seconds, x.rest_seconds);
                }
                o.cns = cns_cost(p, m.cns, role);
                counts(o, m);
                if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), role) != p.heavy_roles.end() &&
                    std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end())
                    o.heavy_pattern = m.pattern;
                // Main and accessory sets count toward the volume groups (finishers are conditioning,
                // skill work is practice).
                if (role == Role::main || role == Role::accessory)
                    for (const auto& [g, k] : group_volume(p.coach, m)) {
                        o.volume.push_back({g, k * float(sets)});
                        o.volume_potential += w.volume * k * sets;
                    }
                if (role == Role::main || role == Role::accessory) o.cover = planner.cover[size_t(mi)];
                balance_sets(o, m, sets);
                o.requirement = planner.requirement_of[size_t(mi)];
                if (m.pattern != isolation && role != Role::finisher) o.pattern = m.pattern;

                double v = w.stimulus * sets * m.stimulus * planner.block_affinity(m.block_type);
                v -= w.fatigue * sets * m.fatigue;
                v -= w.risk * sets * m.risk * (6 - ctx.user.aggression) / 3.0;
                if (role == Role::main) {
                    // A coach's main lift: a loadable staple the user has a known load for, kept
                    // for the block; variants rotate in only when they pay for themselves.
                    double fit = (loadable(c, p.coach, m) ? 1.0 : 0.0) + (m.has_tag(heavy_tag) ? 1.0 : 0.0);
                    v += w.main_fit * sets * fit * planner.block_affinity("strength");
                    v += w.main_slot;
                    if (has_named_tag(c, m, p.coach.staple_tag)) v += w.staple * sets;
                    if (has_named_tag(c, m, p.coach.variant_tag)) v -= w.variant * sets;
                    if (e1rm) v += w.history * sets;
                    if (has_named_tag(c, m, p.coach.competition_tag)) v += w.competition * sets * goal_weight(ctx.request, {"strength"}) / 10.0;
                }
                if (auto it = ctx.user.enjoyed_movements.find(mi); it != ctx.user.enjoyed_movements.end()) v += w.enjoyment * it->second;
                if (role != Role::main && layout.recent.count(mi)) v -= w.variety * p.same_movement_penalty;
                if (auto it = ctx.user.pattern_consecutive.find(m.pattern); it != ctx.user.pattern_consecutive.end())
                    v -= w.exposure * sets * it->second;
                v -= w.interference * soft;
                if (reduced) v -= w.injury_kept;
                if (ld.original.count(mi)) v += w.stability;
                for (const auto& [muscle, severity] : ld.sore) {
                    double mag = m.magnitude_of(muscle);
                    if (mag > 0) v -= w.soreness * sets * mag * severity / 10.0;
                }
                o.value = v;
                list.push_back(int(wp.options.size()));
                wp.options.push_back(std::move(o));
            }
        };

        for (size_t mi = 0; mi < c.movements.size(); ++mi) {
            if (!planner.elig.allowed[mi]) continue;
            const Movement& m = c.movements[mi];
            if (m.pattern < 0) continue;
            // Power work (throws, jumps, olympic lifts) only when a goal asks for it.
            if (is_power(m) && !planner.power_wanted && planner.requirement_of[mi] < 0 && ld.type != "skill") continue;
            std::string pattern = enum_values("movement_pattern")[size_t(m.pattern)];
            bool in_patterns = contains(patterns, pattern) && m.cns <= max_cns &&
                               (m.pattern != isolation || (m.primary_muscle >= 0 && contains(iso_muscles, c.muscles[size_t(m.primary_muscle)])));
            if (in_patterns && tags_any.is_array() && !tags_any.empty()) {
                bool any = false;
                for (const auto& t : tags_any) any = any || m.has_tag(c.tag(t.get<std::string>()));
                in_patterns = any;
            }
            bool required = planner.requirement_of[mi] >= 0;
            // Very sore muscles are not loaded in working sets while re-planning (rules still are).
            bool too_sore = false;
            for (const auto& [muscle, severity] : ld.sore)
                if (severity >= p.soreness_exclude_from && !required) {
                    for (const auto& l : m.muscles)
                        if (l.muscle == muscle && (l.role == 0 || l.magnitude >= p.muscle_threshold)) too_sore = true;
                }
            if (too_sore) continue;
            double soft = 0;
            if (interference_forbids(ctx, m, ld.offset, layout, &soft, off)) continue;

            if (ld.type == "skill") {
                if (in_patterns || required) add_option(int(mi), Role::skill, day.accessory, soft);
                continue;
            }
            if (strength) {
                if (in_patterns && m.pattern != isolation && contains(blocks_main, m.block_type) && planner.main_ok[mi])
                    add_option(int(mi), Role::main, day.main, soft);
                // Power work for a power goal that may not take a main slot: a primer.
                bool primer = in_patterns && planner.power_wanted && is_power(m) && !planner.main_ok[mi];
                if ((in_patterns && contains(blocks_acc, m.block_type)) || required || primer) add_option(int(mi), Role::accessory, day.accessory, soft);
            } else if (in_patterns) {
                add_option(int(mi), Role::main, day.main, soft);
                add_option(int(mi), Role::accessory, day.accessory, soft);
            } else if (required) {
                add_option(int(mi), Role::accessory, day.accessory, soft);
            }
            if (finishers && !required && contains(blocks_fin, m.block_type) && planner.elig.spares_injuries[mi])
                add_option(int(mi), Role::finisher, day.finisher, soft);
        }
        if (finishers) {
            for (size_t ci = 0; ci < c.circuits.size(); ++ci) {
                const Circuit& ct = c.circuits[ci];
                bool ok = true;
                double soft = 0;
                Option o;
                o.circuit = int(ci);
                o.role = Role::finisher;
                o.sets = 1;
                for (int mi : ct.movements) {
                    const Movement& m = c.movements[size_t(mi)];
                    if (!planner.elig.allowed[size_t(mi)] || !planner.elig.spares_injuries[size_t(mi)] || planner.requirement_of[size_t(mi)] >= 0 ||
                        interference_forbids(ctx, m, ld.offset, layout, &soft, off)) {
                        ok = false;
                        break;
                    }
                    o.cns += cns_cost(p, m.cns, Role::finisher);
                    counts(o, m);
                    if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), Role::finisher) != p.heavy_roles.end() &&
                        std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end())
                        o.heavy_pattern = m.pattern;
                }
                if (!ok) continue;
                o.seconds = circuit_seconds(p, ct);
                o.work_seconds = ct.duration_s;
                double equivalent_sets = double(p.set_choices.at("finisher").back());
                o.value = w.stimulus * equivalent_sets * ct.stimulus * planner.block_affinity("conditioning") -
                          w.fatigue * equivalent_sets * ct.fatigue - w.interference * soft;
                day.finisher.push_back(int(wp.options.size()));
                wp.options.push_back(std::move(o));
            }
        }
        auto by_value = [&](int a, int b) {
            const Option &x = wp.options[size_t(a)], &y = wp.options[size_t(b)];
            if (x.value != y.value) return x.value > y.value;
            return a < b;
        };
        std::sort(day.main.begin(), day.main.end(), by_value);
        std::sort(day.accessory.begin(), day.accessory.end(), by_value);
        std::sort(day.finisher.begin(), day.finisher.end(), by_value);
        wp.days.push_back(std::move(day));
    }
    bool any_push = false, any_pull = false, any_hpull = false;
    for (const auto& o : wp.options) any_push |= o.push > 0, any_pull |= o.pull > 0, any_hpull |= o.hpull > 0;
    wp.push_pull_balance = any_push && any_pull;
    wp.horizontal_balance = any_hpull;
    return wp;
}

}  // namespace gainsly::plan
