// The library's own check of the 12 hard constraints over a whole planned program, on real dates.
// generate() and replan() refuse to persist a plan with any violation and report each result.
// (tests/plan/checker.cpp is a separate implementation that reads the persisted rows.)
// Then the coach report: rules 1-8 of a plan a strength coach would sign, per week, with the
// reason a rule yields when the request cannot meet it (src/plan/README.md, "Coach report").
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "math/fatigue.hpp"
#include "plan/program.hpp"

namespace gainsly::plan {

namespace {

struct Result {
    int id;
    std::string name;
    std::vector<std::string> violations;
    int checked = 0;
};

}  // namespace

json verify(const Context& ctx, const Eligibility& elig, const PlannedProgram& program) {
    const Catalog& c = ctx.catalog;
    const PlanParams& p = ctx.params;
    std::vector<Result> r = {{1, "hard_no", {}},        {2, "hard_yes_every_microcycle", {}}, {3, "preferred_every_14_days", {}},
                             {4, "injuries", {}},       {5, "equipment", {}},                 {6, "skill_level", {}},
                             {7, "session_minutes", {}}, {8, "daily_cns_budget", {}},         {9, "daily_limits", {}},
                             {10, "heavy_pattern_spacing", {}}, {11, "activity_interference", {}}, {12, "requested_days", {}}};
    auto fail = [&](int id, const std::string& what) {
        auto& v = r[size_t(id - 1)].violations;
        if (v.size() < 5) v.push_back(what);
    };
    if (program.weeks.empty()) return json::array();
    Date start = program.weeks.front().start;
    Date end = program.weeks.back().start + std::chrono::days(6);
    std::vector<bool> equipment(c.equipment.size(), false);
    for (int e : ctx.request.equipment) equipment[size_t(e)] = true;
    if (c.bodyweight >= 0) equipment[size_t(c.bodyweight)] = true;
    std::set<int> hard_no, hard_yes, preferred;
    for (const auto& rule : ctx.user.rules) {
        if (rule.type == "hard_no") hard_no.insert(rule.movement);
        if (rule.type == "hard_yes") hard_yes.insert(rule.movement);
        if (rule.type == "preferred") preferred.insert(rule.movement);
    }
    double budget = math::cns_daily_budget(ctx.user.aggression, p.math.cns);
    const int olympic = enum_index("movement_pattern", "olympic"), plyometric = enum_index("movement_pattern", "plyometric");
    const int plyo_tag = c.tag("plyometric");

    std::map<int, std::vector<Date>> occurrences;
    std::map<int, std::set<Date>> heavy;  // pattern -> dates
    std::set<Date> dates;
    // Activity dates around the program, for the interference windows.
    Layout activity_layout;
    activity_layout.cyclic = false;
    for (size_t a = 0; a < ctx.user.activities.size(); ++a)
        for (Date d = start - std::chrono::days(7); d <= end + std::chrono::days(7); d += std::chrono::days(1))
            if (std::find(ctx.user.activities[a].weekdays.begin(), ctx.user.activities[a].weekdays.end(), iso_weekday(d)) !=
                ctx.user.activities[a].weekdays.end())
                activity_layout.activity_days.push_back({int(a), int((d - start).count())});

    for (const auto& week : program.weeks) {
        std::set<int> in_week;
        int sessions = 0;
        for (const auto& s : week.sessions) {
            ++sessions;
            std::string where = date_text(s.date) + " " + s.type;
            if (s.fixed) {
                // A completed or past session (re-planning): part of the history, checked only for
                // what it contributes to the microcycle (rules, heavy spacing, days).
                dates.insert(s.date);
                for (const auto& e : s.exercises) {
                    const Movement& m = c.movements[size_t(e.movement)];
                    in_week.insert(e.movement);
                    occurrences[e.movement].push_back(s.date);
                    if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), e.role) != p.heavy_roles.end() &&
                        std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end())
                        heavy[m.pattern].insert(s.date);
                }
                continue;
            }
            r[11].checked++;
            if (std::find(program.weekdays.begin(), program.weekdays.end(), iso_weekday(s.date)) == program.weekdays.end())
                fail(12, where + ": not a requested weekday");
            if (s.date < week.start || s.date > week.start + std::chrono::days(6) || s.date < start || s.date > end)
                fail(12, where + ": outside its microcycle");
            if (!dates.insert(s.date).second) fail(12, where + ": two sessions on one day");
            SessionTotals t = session_totals(ctx, s, week.spec.deload);
            r[6].checked++;
            if (t.seconds > ctx.request.session_minutes * 60)
                fail(7, where + ": " + std::to_string((t.seconds + 59) / 60) + " min > " + std::to_string(ctx.request.session_minutes));
            r[7].checked++;
            if (t.cns > budget + 1e-9) fail(8, where + ": CNS " + std::to_string(t.cns) + " > " + std::to_string(budget));
            int n_olympic = 0, n_plyo = 0, n_very_high = 0;
            for (const auto& e : s.exercises) {
                const Movement& m = c.movements[size_t(e.movement)];
                std::string what = where + ": " + m.name;
                in_week.insert(e.movement);
                occurrences[e.movement].push_back(s.date);
                r[0].checked++;
                if (hard_no.count(e.movement)) fail(1, what);
                r[3].checked++;
                for (const auto& inj : ctx.user.injuries) {
                    if (!loads_part(c, p, m, inj.part)) continue;
                    if (inj.severity >= p.injury_exclude) fail(4, what + " loads injured " + inj.part);
                    else if (!elig.reduced[size_t(e.movement)] || !e.x.reduced) fail(4, what + " loads mildly injured " + inj.part + " without the regression or reduced load");
                }
                r[4].checked++;
                for (int eq : m.equipment)
                    if (!equipment[size_t(eq)]) fail(5, what + " needs " + c.equipment[size_t(eq)]);
                r[5].checked++;
                if (m.skill > skill_cap(ctx, m)) fail(6, what);
                n_olympic += m.pattern == olympic;
                n_plyo += m.pattern == plyometric || m.has_tag(plyo_tag);
                n_very_high += m.cns == cns_very_high;
                if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), e.role) != p.heavy_roles.end() &&
                    std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end())
                    heavy[m.pattern].insert(s.date);
                if (e.role != Role::warmup && e.role != Role::cooldown) {
                    r[10].checked++;
                    std::vector<int> hit;
                    if (interference_forbids(ctx, m, int((s.date - start).count()), activity_layout, nullptr, {}, &hit))
                        fail(11, what + " inside the window of " + ctx.user.activities[size_t(hit.front())].activity);
                }
            }
            r[8].checked++;
            if (n_olympic > p.olympic_max || n_plyo > p.plyometric_max || n_very_high > p.very_high_max)
                fail(9, where + ": " + std::to_string(n_olympic) + " olympic, " + std::to_string(n_plyo) + " plyometric, " +
                            std::to_string(n_very_high) + " very_high");
        }
        if (sessions > ctx.request.days_per_week) fail(12, "week " + std::to_string(week.spec.week) + ": more sessions than days_per_week");
        for (int m : hard_yes) {
            r[1].checked++;
            if (!in_week.count(m)) fail(2, "week " + std::to_string(week.spec.week) + ": no " + c.movements[size_t(m)].name);
        }
    }
    for (int m : preferred) {
        r[2].checked++;
        auto& occ = occurrences[m];
        std::sort(occ.begin(), occ.end());
        std::string name = c.movements[size_t(m)].name;
        if (occ.empty()) {
            fail(3, name + " never planned");
            continue;
        }
        if ((end - start).count() + 1 >= 14) {
            if ((occ.front() - start).count() > 13) fail(3, name + ": first 14 days without it");
            if ((end - occ.back()).count() > 13) fail(3, name + ": last 14 days without it");
        }
        for (size_t i = 1; i < occ.size(); ++i)
            if ((occ[i] - occ[i - 1]).count() > 14) fail(3, name + ": more than 14 days between " + date_text(occ[i - 1]) + " and " + date_text(occ[i]));
    }
    for (const auto& [pattern, ds] : heavy) {
        r[9].checked += int(ds.size());
        Date prev{};
        bool first = true;
        for (Date d : ds) {
            if (!first && (d - prev).count() * 24.0 < p.heavy_min_hours)
                fail(10, enum_values("movement_pattern")[size_t(pattern)] + " heavy on " + date_text(prev) + " and " + date_text(d));
            prev = d;
            first = false;
        }
    }
    json out = json::array();
    for (const auto& x : r)
        out.push_back({{"id", x.id}, {"name", x.name}, {"ok", x.violations.empty()}, {"checked", x.checked}, {"violations", x.violations}});
    return out;
}

}  // namespace gainsly::plan

// ---------------------------------------------------------------- coach report
namespace gainsly::plan {

namespace {

bool working(Role r) { return r == Role::main || r == Role::accessory || r == Role::skill || r == Role::finisher; }
bool counted(Role r) { return r == Role::main || r == Role::accessory; }  // volume and balance count main + accessory sets

bool in(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

double round2(double x) { return std::round(x * 100) / 100; }

// The goal whose dose the main lifts follow (for the rule 6 rep range).
std::string main_goal(const Planner& planner) {
    for (const auto& g : planner.ctx.request.goals)
        if (&planner.ctx.params.doses.at(g.goal) == planner.doses.main) return g.goal;
    return planner.ctx.request.goals.front().goal;
}

// Why the generator gave a movement a main slot, in a coach's words.
std::string why_main(Planner& planner, int movement) {
    const Context& ctx = planner.ctx;
    const Catalog& c = ctx.catalog;
    const CoachParams& k = ctx.params.coach;
    const Movement& m = c.movements[size_t(movement)];
    std::vector<std::string> why;
    std::string pattern = enum_values("movement_pattern")[size_t(m.pattern)];
    if (planner.requirement_of[size_t(movement)] >= 0) why.push_back("you asked for it");
    if (planner.powerlifter && has_named_tag(c, m, k.competition_tag)) why.push_back("competition lift");
    if (has_named_tag(c, m, k.staple_tag)) why.push_back("staple " + pattern);
    else if (has_named_tag(c, m, k.variant_tag)) why.push_back(pattern + " variant");
    else if (is_power(m)) why.push_back("power work for your " + dominant_goal(ctx.request) + " goal");
    else why.push_back(pattern);
    if (const auto& e = planner.e1rm_of(movement)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "your e1RM %.1f %s", *e, ctx.user.metric ? "kg" : "lb");
        why.push_back(buf);
    } else if (loadable(c, k, m)) {
        why.push_back("loadable, no logged sets yet");
    }
    std::string out;
    for (size_t i = 0; i < why.size(); ++i) out += (i ? ", " : "") + why[i];
    return out;
}

}  // namespace

json coach_report(Planner& planner, const PlannedProgram& program) {
    const Context& ctx = planner.ctx;
    const Catalog& c = ctx.catalog;
    const PlanParams& p = ctx.params;
    const CoachParams& k = p.coach;
    const int h_push = enum_index("movement_pattern", "horizontal_push"), h_pull = enum_index("movement_pattern", "horizontal_pull");
    const int exp = std::max(0, enum_index("skill_level", ctx.user.experience));
    const int default_cap = std::max(exp, enum_index("skill_level", "intermediate"));
    const int strength_hyp = goal_weight(ctx.request, k.strength_goals);
    const int strength = goal_weight(ctx.request, {"strength"});
    const std::string goal = main_goal(planner);
    const auto reps = k.main_reps.count(goal) ? k.main_reps.at(goal) : std::pair<int, int>{1, 100};

    // Whether any allowed movement could take a role in a group (for "yields" reasons).
    auto any_allowed = [&](auto pred) {
        for (size_t mi = 0; mi < c.movements.size(); ++mi)
            if (planner.elig.allowed[mi] && pred(c.movements[mi], int(mi))) return true;
        return false;
    };

    // Rule 5: volume groups no allowed movement trains as a primary muscle.
    std::vector<bool> unreachable(k.groups.size(), true);
    for (size_t mi = 0; mi < c.movements.size(); ++mi)
        if (planner.elig.allowed[mi])
            for (const auto& [g, f] : group_volume(k, c.movements[mi]))
                if (f >= 1) unreachable[size_t(g)] = false;

    json weeks = json::array(), rules = json::array();
    auto rule = [&](int id, int week, bool ok, json value, const std::string& yields = "", const std::string& detail = "") {
        json r = {{"rule", id}, {"week", week}, {"ok", ok}, {"value", value}};
        if (!yields.empty()) r["yields"] = yields;
        if (!detail.empty()) r["detail"] = detail;
        rules.push_back(r);
    };

    const PlannedWeek* block_first = nullptr;  // first loading week of the current block
    const PlannedWeek* previous = nullptr;     // the week before (loading or not)
    const PlannedWeek* previous_loading = nullptr;
    for (const auto& week : program.weeks) {
        int wn = week.spec.week;
        double total_sets = 0, main_sets = 0, main_ok_sets = 0, push = 0, pull = 0, hpush = 0, hpull = 0, work_sets = 0, capped_sets = 0;
        int two_above = 0, power_misplaced = 0, rows = 0, rows_ok = 0;
        std::vector<double> group_sets(k.groups.size(), 0.0);
        uint32_t covered = 0;
        std::vector<std::string> rep_issues;
        json mains = json::array();
        for (const auto& s : week.sessions)
            for (const auto& e : s.exercises) {
                if (e.movement < 0 || !working(e.role)) continue;
                const Movement& m = c.movements[size_t(e.movement)];
                double sets = e.x.sets;
                work_sets += sets;
                if (m.skill <= default_cap) capped_sets += sets;
                if (m.skill >= exp + 2 && m.skill > default_cap) two_above += 1;
                if (is_power(m) && !planner.power_wanted && planner.requirement_of[size_t(e.movement)] < 0 && e.role != Role::skill) ++power_misplaced;
                if (is_power(m) && e.x.rpe > 8) ++power_misplaced;
                if (!counted(e.role)) continue;
                total_sets += sets;
                for (const auto& [g, f] : group_volume(k, m)) group_sets[size_t(g)] += f * sets;
                if (in(p.push_patterns, m.pattern)) push += sets;
                if (in(p.pull_patterns, m.pattern)) pull += sets;
                if (m.pattern == h_push) hpush += sets;
                if (m.pattern == h_pull) hpull += sets;
                covered |= planner.cover[size_t(e.movement)];
                if (e.role == Role::main) {
                    main_sets += sets;
                    if (planner.main_ok[size_t(e.movement)]) main_ok_sets += sets;
                    if (!week.spec.deload)
                        mains.push_back({{"date", date_text(s.date)}, {"movement", m.name}, {"sets", e.x.sets}, {"why", why_main(planner, e.movement)}});
                }
                // Rule 6: rep ranges by role and goal.
                bool rep_based = e.x.rep_max > 0;
                if (!rep_based) continue;
                ++rows;
                bool ok = true;
                if (is_power(m)) ok = e.x.rep_max <= 6;
                else if (!loadable(c, k, m)) ok = e.x.rep_min >= k.accessory_rep_floor;
                else if (e.role == Role::main) ok = e.x.rep_min >= reps.first && e.x.rep_max <= reps.second;
                else ok = e.x.rep_min >= std::min(k.accessory_rep_floor, planner.doses.accessory->rep_min);
                rows_ok += ok;
                if (!ok && rep_issues.size() < 3) rep_issues.push_back(m.name + " " + std::to_string(e.x.rep_min) + "-" + std::to_string(e.x.rep_max));
            }

        json sets = json::object();
        int in_window = 0;
        for (size_t g = 0; g < k.groups.size(); ++g) {
            bool ok = group_sets[g] >= planner.lo[g] - 1e-9 && group_sets[g] <= planner.hi[g] + 1e-9;
            in_window += ok;
            sets[k.groups[g]] = {{"sets", round2(group_sets[g])}, {"window", {planner.lo[g], planner.hi[g]}}, {"ok", ok}};
        }
        json wk = {{"week", wn}, {"deload", week.spec.deload}, {"sets", sets}, {"main_and_accessory_sets", round2(total_sets)},
                   {"push_sets", round2(push)}, {"pull_sets", round2(pull)}, {"push_pull", pull > 0 ? json(round2(push / pull)) : json()},
                   {"horizontal_push_sets", round2(hpush)}, {"horizontal_pull_sets", round2(hpull)}, {"main_lifts", mains}};
        weeks.push_back(wk);

        if (week.spec.deload) {
            // Rule 8: a deload keeps 35-75% of the week before's sets.
            double before = 0;
            if (previous)
                for (const auto& s : previous->sessions)
                    for (const auto& e : s.exercises)
                        if (e.movement >= 0 && counted(e.role)) before += e.x.sets;
            if (before <= 0) rule(8, wn, true, json(), "no week before it in this program (early deload)");
            else {
                double share = total_sets / before;
                rule(8, wn, share >= k.deload_min - 1e-9 && share <= k.deload_max + 1e-9, round2(share));
            }
            previous = &week;
            continue;
        }
        if (week.spec.loading_index == 0 || !block_first) block_first = &week, previous_loading = nullptr;

        // Rule 1: main lifts.
        if (strength_hyp < k.main_share_min) {
            rule(1, wn, power_misplaced == 0, main_sets > 0 ? json(round2(main_ok_sets / main_sets)) : json(),
                 "strength + hypertrophy weigh " + std::to_string(strength_hyp) + " of 10 (below " + std::to_string(k.main_share_min) + ")");
        } else if (main_sets == 0) {
            rule(1, wn, false, json(), any_allowed([&](const Movement&, int mi) { return planner.main_ok[size_t(mi)]; }) ? "" : "no main lift is allowed with this equipment, skill and injuries");
        } else {
            double share = main_ok_sets / main_sets;
            rule(1, wn, share >= k.main_share - 1e-9 && power_misplaced == 0, round2(share), "",
                 power_misplaced ? std::to_string(power_misplaced) + " power rows without a power goal or above RPE 8" : "");
        }
        // Rule 2: staples (and competition lifts) every loading week.
        if (planner.rule2_groups == 0) {
            rule(2, wn, true, json(), "strength weighs " + std::to_string(strength) + " of 10 (below " + std::to_string(k.staple_strength_min) + ")");
        } else {
            std::vector<std::string> missing, impossible;
            for (size_t g = 0; g < planner.rule2_groups; ++g) {
                if (covered & (1u << g)) continue;
                missing.push_back(planner.cover_names[g]);
                if (!any_allowed([&](const Movement&, int mi) { return (planner.cover[size_t(mi)] >> g) & 1u; })) impossible.push_back(planner.cover_names[g]);
            }
            double share = 1.0 - double(missing.size()) / double(planner.rule2_groups);
            std::string yields;
            if (!planner.barbell) yields = "no " + k.staple_equipment + " available: staples from the equipment given";
            if (!impossible.empty()) {
                std::string list;
                for (const auto& n : impossible) list += (list.empty() ? "" : ", ") + n;
                yields += (yields.empty() ? "" : "; ") + std::string("no allowed movement for ") + list + " (equipment, injuries, rules or skill)";
            }
            std::string detail;
            for (const auto& n : missing) detail += (detail.empty() ? "missing: " : ", ") + n;
            rule(2, wn, missing.empty(), round2(share), yields, detail);
        }
        // Rule 3: skill.
        {
            double share = work_sets > 0 ? capped_sets / work_sets : 1.0;
            rule(3, wn, share >= k.skill_share - 1e-9 && two_above == 0, round2(share));
        }
        // Rule 4: balance.
        {
            bool ratio_ok = (push == 0 && pull == 0) || (pull > 0 && push / pull >= k.push_pull_min - 1e-9 && push / pull <= k.push_pull_max + 1e-9);
            bool horizontal_ok = hpush == 0 || (hpull > 0 && hpush <= k.horizontal_max * hpull + 1e-9);
            std::string yields;
            if (!ratio_ok || !horizontal_ok) {
                bool pulls = any_allowed([&](const Movement& m, int) { return in(p.pull_patterns, m.pattern); });
                bool pushes = any_allowed([&](const Movement& m, int) { return in(p.push_patterns, m.pattern); });
                bool rows = any_allowed([&](const Movement& m, int) { return m.pattern == h_pull; });
                if (!pulls) yields = "no pulling movement is allowed (equipment, injuries, rules or skill)";
                else if (!pushes) yields = "no pushing movement is allowed (equipment, injuries, rules or skill)";
                else if (!horizontal_ok && !rows) yields = "no horizontal pull is allowed (equipment, injuries, rules or skill)";
            }
            rule(4, wn, ratio_ok && horizontal_ok, pull > 0 ? json(round2(push / pull)) : json(), yields,
                 "horizontal " + std::to_string(int(hpush)) + ":" + std::to_string(int(hpull)));
        }
        // Rule 5: volume windows. A group that no allowed movement trains as a primary muscle cannot
        // reach its floor: the rule yields for it when the other groups meet the share.
        {
            double share = k.groups.empty() ? 1.0 : double(in_window) / double(k.groups.size());
            std::string detail, yields;
            int reachable = 0, reachable_in = 0;
            for (size_t g = 0; g < k.groups.size(); ++g) {
                bool inside = sets[k.groups[g]]["ok"].get<bool>();
                if (!inside) detail += (detail.empty() ? "outside: " : ", ") + k.groups[g];
                if (unreachable[g]) yields += (yields.empty() ? "no allowed movement trains " : ", ") + k.groups[g];
                else reachable += 1, reachable_in += inside;
            }
            bool ok = share >= k.volume_share - 1e-9;
            if (ok || yields.empty() || reachable_in < k.volume_share * reachable - 1e-9) yields.clear();
            else yields += " (equipment, injuries, rules or skill)";
            // Time: the groups outside their window are all below it and every session is full (no
            // room for one more accessory of two sets): the floors need more time than was asked for.
            if (!ok && yields.empty()) {
                bool below_only = true;
                for (size_t g = 0; g < k.groups.size(); ++g) below_only = below_only && group_sets[g] <= planner.hi[g] + 1e-9;
                const Dose& acc = *planner.doses.accessory;
                int one_more = p.setup_seconds + p.transition_seconds +
                               2 * (int(std::ceil(acc.rep_max * p.seconds_per_rep)) + p.rest_seconds[size_t(Role::accessory)]);
                int budget_s = ctx.request.session_minutes * 60, sessions = 0;
                bool full = true;
                for (const auto& s : week.sessions) {
                    if (!is_strength_session(s.type)) continue;
                    ++sessions;
                    full = full && session_totals(ctx, s, false).seconds > budget_s - one_more;
                }
                if (below_only && full && sessions > 0)
                    yields = "time: " + std::to_string(sessions) + " full sessions of " + std::to_string(ctx.request.session_minutes) +
                             " min hold no more sets (" + detail.substr(detail.find(':') + 2) + " below the window)";
            }
            rule(5, wn, ok, round2(share), yields, detail);
        }
        // Rule 6: reps by role and goal (RPE ramps only on loadable lifts: checked with rule 7).
        {
            std::string detail;
            for (const auto& r : rep_issues) detail += (detail.empty() ? "" : ", ") + r;
            rule(6, wn, rows_ok == rows, rows ? json(round2(double(rows_ok) / rows)) : json(), "", detail);
        }
        // Rule 7: continuity within the block and loads that do not fall.
        {
            int slots = 0, kept = 0, loads = 0, falling = 0, ramped = 0;
            for (size_t si = 0; si < week.sessions.size() && si < block_first->sessions.size(); ++si) {
                const auto& now = week.sessions[si].exercises;
                const auto& first = block_first->sessions[si].exercises;
                std::vector<int> a, b;
                for (const auto& e : now)
                    if (e.role == Role::main) a.push_back(e.movement);
                for (const auto& e : first)
                    if (e.role == Role::main) b.push_back(e.movement);
                for (size_t i = 0; i < a.size(); ++i) slots += 1, kept += i < b.size() && a[i] == b[i];
                for (size_t i = 0; i < now.size() && i < first.size(); ++i)
                    if (now[i].movement >= 0 && now[i].movement == first[i].movement && working(now[i].role) &&
                        !loadable(c, k, c.movements[size_t(now[i].movement)]) && now[i].x.rpe != first[i].x.rpe)
                        ++ramped;
                if (previous_loading && si < previous_loading->sessions.size()) {
                    const auto& before = previous_loading->sessions[si].exercises;
                    for (size_t i = 0; i < now.size() && i < before.size(); ++i) {
                        if (now[i].role != Role::main || now[i].movement != before[i].movement || !now[i].x.load || !before[i].x.load) continue;
                        ++loads;
                        if (*now[i].x.load < *before[i].x.load - 1e-9) ++falling;
                    }
                }
            }
            double share = slots ? double(kept) / slots : 1.0;
            std::string detail = std::to_string(loads) + " main loads compared with the week before";
            if (falling) detail += ", " + std::to_string(falling) + " fell";
            if (ramped) detail += ", " + std::to_string(ramped) + " unloaded rows with a changing RPE";
            rule(7, wn, share >= k.continuity - 1e-9 && falling == 0 && ramped == 0, round2(share), "", detail);
        }
        previous_loading = &week;
        previous = &week;
    }
    json summary = json::array();
    static const char* names[] = {"main lifts", "staples first", "skill", "balance", "volume in the windows", "reps, rest and RPE", "continuity", "deload"};
    for (int id = 1; id <= 8; ++id) {
        int weeks_checked = 0, ok = 0;
        std::string yields;
        for (const auto& r : rules)
            if (r["rule"] == id) {
                ++weeks_checked;
                ok += r["ok"].get<bool>();
                if (r.contains("yields") && yields.empty()) yields = r["yields"].get<std::string>();
            }
        json s = {{"rule", id}, {"name", names[id - 1]}, {"weeks", weeks_checked}, {"ok_weeks", ok}};
        if (!yields.empty()) s["yields"] = yields;
        summary.push_back(s);
    }
    return {{"window_goal", planner.window_goal}, {"weeks", weeks}, {"rules", rules}, {"summary", summary}};
}

}  // namespace gainsly::plan
