// The library's own check of the 12 hard constraints over a whole planned program, on real dates.
// generate() and replan() refuse to persist a plan with any violation and report each result.
// (tests/plan/checker.cpp is a separate implementation that reads the persisted rows.)
#include <algorithm>
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
