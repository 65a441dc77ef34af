// From a solved template day to a concrete session of one week: ordering, prescriptions,
// warm-up and cooldown drills, supersets, notes, and the per-session totals.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "math/fatigue.hpp"
#include "model/error.hpp"
#include "plan/program.hpp"

namespace gainsly::plan {

namespace {

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", std::round(x * 100) / 100);
    return buf;
}

bool in(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string section_of(Role r) {
    switch (r) {
        case Role::warmup: return "warmup";
        case Role::main: return "main";
        case Role::accessory: return "accessory";
        case Role::skill: return "skill";
        case Role::finisher: return "finisher";
        case Role::cooldown: return "cooldown";
    }
    return "accessory";
}

std::string exercise_note(const Context& ctx, const Movement& m, const Prescription& x, const std::string& injury_part) {
    std::string s = std::to_string(x.sets) + " x ";
    if (x.distance_m > 0) s += std::to_string(x.distance_m) + " m";
    else if (x.rep_max > 0) s += x.rep_min == x.rep_max ? std::to_string(x.rep_max) : std::to_string(x.rep_min) + "-" + std::to_string(x.rep_max);
    else s += std::to_string(x.duration_seconds) + " s";
    s += " @ RPE " + num(x.rpe);
    if (x.load) s += ", " + num(*x.load) + (ctx.user.metric ? " kg" : " lb");
    if (x.rest_seconds > 0) s += ", rest " + std::to_string(x.rest_seconds) + " s";
    if (!x.detail.empty()) s += "; " + x.detail;
    if (x.reduced)
        s += "; Reduced load (x" + num(ctx.params.regressed_load) + ", RPE capped) for your " + (injury_part.empty() ? "injury" : injury_part);
    (void)m;
    return s;
}

// The injured part a movement loads (for notes), empty if none.
std::string injured_part(const Context& ctx, const Movement& m) {
    for (const auto& inj : ctx.user.injuries)
        if (loads_part(ctx.catalog, ctx.params, m, inj.part)) return inj.part;
    return "";
}

// Warm-up or cooldown drills for a day: allowed, spare every injured part, at most low CNS, no
// olympic or plyometric work (daily limits stay untouched); ranked by how well they prepare the
// day's lifts (prep relationships), then by muscle overlap, then by id.
std::vector<int> pick_drills(const Planner& planner, const std::vector<int>& working, Role role, int count, const std::vector<int>& exclude) {
    const Context& ctx = planner.ctx;
    const Catalog& c = ctx.catalog;
    const PlanParams& p = ctx.params;
    auto blocks = p.role_blocks.count(std::string(role_name(role))) ? p.role_blocks.at(std::string(role_name(role))) : std::vector<std::string>{"mobility"};
    const int olympic = enum_index("movement_pattern", "olympic"), plyo = enum_index("movement_pattern", "plyometric");
    const int plyo_tag = c.tag("plyometric"), warm_tag = c.tag(role == Role::warmup ? "warmup" : "stretch");
    std::vector<double> worked(c.muscles.size(), 0.0);
    for (int mi : working)
        for (const auto& l : c.movements[size_t(mi)].muscles) worked[size_t(l.muscle)] += l.magnitude;
    std::vector<std::pair<double, int>> ranked;
    for (size_t mi = 0; mi < c.movements.size(); ++mi) {
        const Movement& m = c.movements[mi];
        if (!planner.elig.allowed[mi] || !planner.elig.spares_injuries[mi] || m.cns > 1 || m.pattern == olympic || m.pattern == plyo ||
            m.has_tag(plyo_tag) || std::find(blocks.begin(), blocks.end(), m.block_type) == blocks.end() || in(exclude, int(mi)))
            continue;
        double score = m.has_tag(warm_tag) ? 0.5 : 0.0;
        for (const Link& l : c.links[mi])
            if (l.type == Relation::prep && l.forward && in(working, l.other)) score += 1.0 + l.severity;
        for (const auto& l : m.muscles) score += 0.1 * l.magnitude * std::min(1.0, worked[size_t(l.muscle)]);
        ranked.push_back({-score, int(mi)});
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<int> out;
    for (const auto& [neg, mi] : ranked) {
        if (int(out.size()) >= count) break;
        out.push_back(mi);
    }
    return out;
}

}  // namespace

double exercise_cns(const Context& ctx, const PlannedExercise& e, bool deload) {
    const auto& cp = ctx.params.math.cns;
    const Movement& m = ctx.catalog.movements[size_t(e.movement)];
    double role = math::cns_cost(math::CnsLoad(m.cns), math::parse_exercise_role(role_name(e.role)), cp);
    if (deload) role = std::min(role, math::cns_cost(math::CnsLoad(m.cns), math::ExerciseRole::deload, cp));
    return role;
}

SessionTotals session_totals(const Context& ctx, const PlannedSession& s, bool deload) {
    const PlanParams& p = ctx.params;
    SessionTotals t;
    double seconds = 60.0 * (p.warmup_minutes + p.cooldown_minutes);
    std::set<int> circuits_seen;
    std::map<int, std::vector<const PlannedExercise*>> supersets;
    std::map<std::string, double> volume;
    for (const auto& e : s.exercises) {
        const Movement& m = ctx.catalog.movements[size_t(e.movement)];
        t.cns += exercise_cns(ctx, e, deload);
        t.stimulus += e.x.sets * m.stimulus;
        t.fatigue += e.x.sets * m.fatigue;
        if (e.role == Role::warmup || e.role == Role::cooldown) continue;
        if (e.x.rpe >= p.hard_set_min_rpe)
            for (const auto& l : m.muscles) {
                if (!p.volume_muscle[size_t(l.muscle)] || l.role == 2) continue;
                double k = l.role == 0 ? 1.0 : p.secondary_by_magnitude ? l.magnitude : 1.0;
                volume[ctx.catalog.muscles[size_t(l.muscle)]] += k * e.x.sets;
            }
        if (e.circuit >= 0) {
            if (circuits_seen.insert(e.circuit).second) seconds += circuit_seconds(p, ctx.catalog.circuits[size_t(e.circuit)]);
        } else if (e.superset > 0) {
            supersets[e.superset].push_back(&e);
        } else {
            seconds += exercise_seconds(p, e.x);
        }
    }
    for (const auto& [group, rows] : supersets) {
        int max_sets = 0, max_rest = 0;
        for (const auto* e : rows) {
            seconds += p.setup_seconds + p.transition_seconds + e->x.sets * work_seconds(p, e->x);
            max_sets = std::max(max_sets, e->x.sets);
            max_rest = std::max(max_rest, e->x.rest_seconds);
        }
        seconds += std::ceil(max_sets * max_rest * p.superset_rest_factor);
    }
    t.seconds = int(std::ceil(seconds));
    for (auto& [k, v] : volume) t.muscle_volume[k] = std::round(v * 100) / 100;
    return t;
}

std::vector<std::pair<int, int>> superset_pairs(const Planner& planner, const WeekProblem& wp, int day, const std::vector<int>& options) {
    const Context& ctx = planner.ctx;
    const PlanParams& p = ctx.params;
    const Day& d = wp.days[size_t(day)];
    int used = 0;
    for (int o : options) used += wp.options[size_t(o)].seconds;
    bool prefer = false;
    for (const auto& g : ctx.request.goals) prefer = prefer || p.doses.at(g.goal).prefer_supersets;
    // "Time is short": the session fills most of its budget (plan.superset_time_share).
    if (!prefer && used < p.superset_time_share * d.seconds_budget) return {};
    std::vector<std::pair<int, int>> pairs;
    std::vector<bool> taken(options.size(), false);
    auto family = [&](const Option& o) {
        const Movement& m = ctx.catalog.movements[size_t(o.movement)];
        if (in(p.push_patterns, m.pattern)) return 1;
        if (in(p.pull_patterns, m.pattern)) return 2;
        return 0;
    };
    for (size_t i = 0; i < options.size(); ++i) {
        const Option& a = wp.options[size_t(options[i])];
        if (taken[i] || a.role != Role::accessory || a.movement < 0) continue;
        for (size_t j = i + 1; j < options.size(); ++j) {
            const Option& b = wp.options[size_t(options[j])];
            if (taken[j] || b.role != Role::accessory || b.movement < 0) continue;
            bool antagonist = false;
            for (const Link& l : ctx.catalog.links[size_t(a.movement)])
                if (l.type == Relation::antagonist && l.other == b.movement) antagonist = true;
            int fa = family(a), fb = family(b);
            if (antagonist || (fa && fb && fa != fb)) {
                taken[i] = taken[j] = true;
                pairs.push_back({int(i), int(j)});
                break;
            }
        }
    }
    return pairs;
}

PlannedSession expand_day(Planner& planner, const WeekProblem& wp, const std::vector<int>& options, const LayoutDay& day,
                          const WeekSpec& week, Date date, const std::vector<std::pair<int, int>>& pairs) {
    const Context& ctx = planner.ctx;
    const PlanParams& p = ctx.params;
    const Catalog& c = ctx.catalog;
    PlannedSession s;
    s.date = date;
    s.type = day.type;

    // Order: skill work, main lifts (most demanding first), accessories (compound before
    // isolation), then the finisher.
    std::vector<int> order(options.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    const int isolation = enum_index("movement_pattern", "isolation");
    auto rank = [&](int i) {
        const Option& o = wp.options[size_t(options[size_t(i)])];
        int role = o.role == Role::skill ? 0 : o.role == Role::main ? 1 : o.role == Role::accessory ? 2 : 3;
        int iso = o.movement >= 0 && c.movements[size_t(o.movement)].pattern == isolation ? 1 : 0;
        int cns = o.movement >= 0 ? -c.movements[size_t(o.movement)].cns : 0;
        return std::tuple(role, iso, cns, -o.value, i);
    };
    std::sort(order.begin(), order.end(), [&](int a, int b) { return rank(a) < rank(b); });

    std::vector<int> working;
    for (int o : options)
        if (wp.options[size_t(o)].movement >= 0) working.push_back(wp.options[size_t(o)].movement);

    Doses& doses = planner.doses;
    auto add = [&](int movement, Role role, int sets, int superset, int circuit, const json* entry) {
        PlannedExercise e;
        e.movement = movement;
        e.role = role;
        e.section = section_of(role);
        e.superset = superset;
        e.circuit = circuit;
        bool reduced = planner.elig.reduced[size_t(movement)] && role != Role::warmup && role != Role::cooldown;
        e.x = prescribe(ctx, doses, movement, role, sets, week, planner.e1rm_of(movement), reduced, true);
        if (entry) {  // a circuit station: its own reps or duration, once per round
            const Circuit& ct = c.circuits[size_t(circuit)];
            e.x.sets = ct.rounds;
            e.x.rest_seconds = p.rest_seconds[size_t(Role::finisher)];
            e.x.load.reset();
            e.x.detail.clear();
            e.x.rep_min = e.x.rep_max = entry->value("reps", 0);
            e.x.duration_seconds = entry->value("duration_seconds", 0);
            e.x.distance_m = entry->value("distance_m", 0);
            if (e.x.rep_max == 0 && e.x.duration_seconds == 0 && e.x.distance_m == 0) e.x.duration_seconds = p.default_hold_seconds;
            e.notes = ct.name + " (" + ct.type + (ct.rounds > 1 ? ", " + std::to_string(ct.rounds) + " rounds" : "") + ")";
            if (entry->contains("notes") && (*entry)["notes"].is_string()) e.notes += ": " + (*entry)["notes"].get<std::string>();
        } else {
            e.notes = exercise_note(ctx, c.movements[size_t(movement)], e.x, reduced ? injured_part(ctx, c.movements[size_t(movement)]) : "");
        }
        s.exercises.push_back(std::move(e));
    };

    for (int mi : pick_drills(planner, working, Role::warmup, p.warmup_drills, working)) add(mi, Role::warmup, 1, 0, -1, nullptr);
    std::map<int, int> superset_of;
    for (size_t k = 0; k < pairs.size(); ++k) superset_of[pairs[k].first] = superset_of[pairs[k].second] = int(k) + 1;
    // Superset partners sit next to each other.
    std::vector<int> placed;
    for (int i : order) {
        if (std::find(placed.begin(), placed.end(), i) != placed.end()) continue;
        placed.push_back(i);
        auto it = superset_of.find(i);
        if (it != superset_of.end())
            for (const auto& [a, b] : pairs)
                if (a == i || b == i) {
                    int partner = a == i ? b : a;
                    if (std::find(placed.begin(), placed.end(), partner) == placed.end()) placed.push_back(partner);
                }
    }
    for (int i : placed) {
        const Option& o = wp.options[size_t(options[size_t(i)])];
        if (o.role == Role::finisher && week.deload && !p.deload_finishers) continue;
        int ss = superset_of.count(i) ? superset_of[i] : 0;
        if (o.circuit >= 0) {
            const Circuit& ct = c.circuits[size_t(o.circuit)];
            s.finisher_circuit = o.circuit;
            for (size_t k = 0; k < ct.movements.size(); ++k) add(ct.movements[k], Role::finisher, ct.rounds, 0, o.circuit, &ct.entries[k]);
        } else {
            add(o.movement, o.role, o.sets, ss, -1, nullptr);
        }
    }
    std::vector<int> exclude = working;
    for (const auto& e : s.exercises) exclude.push_back(e.movement);
    for (int mi : pick_drills(planner, working, Role::cooldown, p.cooldown_drills, exclude)) add(mi, Role::cooldown, 1, 0, -1, nullptr);

    // Intent tags: the session type and the goals it serves.
    s.intent_tags.push_back(day.type);
    for (const auto& g : ctx.request.goals) s.intent_tags.push_back(g.goal);
    if (week.deload) s.intent_tags.push_back("deload");
    return s;
}

std::string coach_notes(const Planner& planner, const PlannedSession& s, const WeekSpec& week, const Layout& layout, const LayoutDay& day,
                        const std::string& extra) {
    const Context& ctx = planner.ctx;
    const Catalog& c = ctx.catalog;
    const PlanParams& p = ctx.params;
    const std::string& tone = ctx.user.tone;
    std::vector<std::string> parts;
    if (tone == "drill_sergeant") parts.push_back("No excuses today.");
    else if (tone == "motivational") parts.push_back("Big session ahead!");
    else if (tone == "supportive") parts.push_back("Steady work today.");

    std::vector<std::string> mains, rules, regressions, reduced;
    for (const auto& e : s.exercises) {
        const Movement& m = c.movements[size_t(e.movement)];
        if (e.role == Role::main || e.role == Role::skill) mains.push_back(m.name);
        if (planner.requirement_of[size_t(e.movement)] >= 0 && e.role != Role::warmup && e.role != Role::cooldown)
            rules.push_back(m.name);
        if (e.x.reduced) reduced.push_back(m.name);
        for (size_t other = 0; other < c.movements.size(); ++other)
            if (planner.elig.replaced_by[other] == e.movement) {
                regressions.push_back(m.name + " stands in for " + c.movements[other].name);
                break;
            }
    }
    std::string type = s.type;
    std::replace(type.begin(), type.end(), '_', ' ');
    std::string focus = type + " day";
    if (!mains.empty()) {
        focus += ": " + mains.front();
        for (size_t i = 1; i < mains.size(); ++i) focus += (i + 1 == mains.size() ? " and " : ", ") + mains[i];
        focus += " first, while you are fresh";
    }
    if (!ctx.request.goals.empty()) focus += " (main goal: " + ctx.request.goals.front().goal + ")";
    parts.push_back(focus + ".");
    if (week.deload)
        parts.push_back(std::string(week.early_deload ? "Early deload: your recent strength dropped, so this week backs off" : "Deload week") +
                        ": loads x" + num(p.deload_intensity) + ", sets x" + num(p.deload_volume) + ", nothing above RPE " + num(p.deload_max_rpe) + ".");
    else if (week.loading_weeks > 1)
        parts.push_back("Loading week " + std::to_string(week.loading_index + 1) + " of " + std::to_string(week.loading_weeks) + " (" +
                        ctx.request.progression_style + ").");
    if (!rules.empty()) {
        std::string r = "Included as you asked: " + rules.front();
        for (size_t i = 1; i < rules.size(); ++i) r += ", " + rules[i];
        parts.push_back(r + ".");
    }
    for (const auto& r : regressions) parts.push_back(r + " to spare your injury.");
    if (!reduced.empty()) parts.push_back("Reduced load on " + reduced.front() + (reduced.size() > 1 ? " and others" : "") + " for a mild injury.");
    // Planned activities close to this day shaped the choice.
    std::set<std::string> near;
    for (const auto& [a, offset] : layout.activity_days) {
        int delta = offset - day.offset;
        if (delta >= -1 && delta <= 1) {
            const auto& act = ctx.user.activities[size_t(a)];
            std::string name = act.activity;
            std::replace(name.begin(), name.end(), '_', ' ');
            near.insert(name + (delta == 1 ? " tomorrow" : delta == -1 ? " yesterday" : " today"));
        }
    }
    if (!near.empty()) {
        std::string n = "Planned around ";
        bool first = true;
        for (const auto& x : near) n += (first ? "" : ", ") + x, first = false;
        parts.push_back(n + ": conflicting work is kept out of its window.");
    }
    bool supersets = std::any_of(s.exercises.begin(), s.exercises.end(), [](const PlannedExercise& e) { return e.superset > 0; });
    if (supersets) parts.push_back("Antagonist supersets save time: alternate the paired exercises and rest once per round.");
    if (!extra.empty()) parts.push_back(extra);
    SessionTotals t = session_totals(ctx, s, week.deload);
    if (tone == "analytical")
        parts.push_back("Estimated " + std::to_string((t.seconds + 59) / 60) + " min, CNS " + num(t.cns) + " of " +
                        num(math::cns_daily_budget(ctx.user.aggression, p.math.cns)) + ".");
    if (tone == "drill_sergeant") parts.push_back("Finish every set.");
    else if (tone == "motivational") parts.push_back("Every rep counts, go get it!");
    else if (tone == "supportive") parts.push_back("Listen to your body; you've got this.");
    std::string out;
    for (const auto& x : parts) out += (out.empty() ? "" : " ") + x;
    return out;
}

}  // namespace gainsly::plan
