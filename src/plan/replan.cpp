// replan(): the rest of the current microcycle, re-solved from the user's latest state.
// Completed sessions (a workout_logs row references them) and past sessions are never touched;
// completed ones count toward the microcycle's rules and their heavy lifts constrain the
// neighbouring days; missed past sessions leave their rule movements to be re-placed.
#include <algorithm>
#include <chrono>
#include <set>

#include "math/readiness.hpp"
#include "model/error.hpp"
#include "model/time.hpp"
#include "plan/persist.hpp"
#include "plan/plan.hpp"
#include "plan/stored.hpp"

namespace gainsly::plan {

namespace {

using Clock = std::chrono::steady_clock;

int64_t need_id(const json& in, const char* field) {
    if (!in.contains(field) || !in[field].is_number_integer() || in[field].get<int64_t>() < 1)
        invalid(std::string(field) + ": required, a positive integer");
    return in[field].get<int64_t>();
}

}  // namespace

json replan(store::Database& db, const json& in) {
    auto t0 = Clock::now();
    if (!in.is_object()) invalid("request: must be a JSON object");
    for (const auto& [k, v] : in.items())
        if (k != "program_id" && k != "date" && k != "seed" && k != "time_limit_ms" && k != "search_nodes") invalid("request." + k + ": unknown field");
    int64_t program_id = need_id(in, "program_id");
    Date as_of = model::today();
    if (in.contains("date") && !in["date"].is_null()) {
        if (!in["date"].is_string()) invalid("date: must be a date YYYY-MM-DD");
        as_of = date_from(in["date"].get<std::string>(), "date");
    }
    auto sp = load_program(db, program_id, as_of);
    if (in.contains("seed")) {
        if (!in["seed"].is_number_integer() || in["seed"].get<int64_t>() < 0) invalid("seed: must be an integer >= 0");
        sp->request.seed = in["seed"].get<uint64_t>();
    }
    if (in.contains("time_limit_ms")) {
        if (!in["time_limit_ms"].is_number_integer() || in["time_limit_ms"].get<int64_t>() < 1 || in["time_limit_ms"].get<int64_t>() > 600000)
            invalid("time_limit_ms: must be an integer between 1 and 600000");
        sp->request.time_limit_ms = in["time_limit_ms"].get<int>();
        sp->request.time_limit_given = true;
    }
    if (in.contains("search_nodes")) {
        if (!in["search_nodes"].is_number_integer() || in["search_nodes"].get<int64_t>() < 1 || in["search_nodes"].get<int64_t>() > 100'000'000)
            invalid("search_nodes: must be an integer between 1 and 100000000");
        sp->request.search_nodes = in["search_nodes"].get<int64_t>();
    }
    const Context& ctx = *sp->ctx;
    const PlanParams& p = ctx.params;
    int index = int((as_of - ctx.request.start).count());
    if (index < 0 || index >= 7 * int(sp->weeks.size()))
        invalid("date: " + date_text(as_of) + " is outside program " + std::to_string(program_id) + " (" + date_text(ctx.request.start) + " + " +
                std::to_string(sp->weeks.size()) + " weeks)");
    StoredWeek& week = sp->weeks[size_t(index / 7)];
    Date week_end = week.start + std::chrono::days(6);

    std::vector<int64_t> ids = week_sessions(db, week.id);
    std::vector<PlannedSession> sessions;
    std::vector<int64_t> completed, missed, free_ids;
    for (int64_t id : ids) {
        PlannedSession s = load_session(db, ctx, id);
        bool done = is_completed(db, id);
        if (done) completed.push_back(id);
        else if (s.date < as_of) missed.push_back(id);
        else free_ids.push_back(id);
        s.fixed = done || s.date < as_of;
        sessions.push_back(std::move(s));
    }

    std::vector<std::string> reasons;
    // Soreness of the last two days: sore muscles (a joint means the muscles it loads) get
    // penalised, very sore ones are left out of working sets.
    std::map<int, double> sore = recent_soreness(db, ctx, as_of, p.soreness_penalty_from, &reasons);
    // Low readiness today shrinks today's CNS budget in proportion.
    double today_scale = 1.0;
    {
        auto& q = db.prepare("SELECT readiness_score FROM recovery_signals WHERE user_id = ? AND signal_date = ? ORDER BY id DESC LIMIT 1");
        q.bind(1, static_cast<int64_t>(ctx.request.user_id));
        q.bind(2, date_text(as_of));
        if (q.executeStep() && !q.getColumn(0).isNull()) {
            double score = q.getColumn(0).getDouble();
            if (score < p.low_readiness_below) {
                today_scale = std::clamp(score / p.math.readiness.base_score, 0.0, 1.0);
                reasons.push_back("low readiness " + std::to_string(int(score)) + "/100");
            }
        }
    }
    if (!missed.empty()) reasons.push_back(std::to_string(missed.size()) + " missed session(s)");
    if (!completed.empty()) reasons.push_back(std::to_string(completed.size()) + " completed session(s) kept");
    auto early = early_deload_reason(ctx);
    WeekSpec spec = week.spec;
    if (early && !spec.deload) {
        spec.deload = true;
        spec.early_deload = true;
        reasons.push_back("early deload: " + *early);
    }

    json report = {{"program_id", program_id}, {"microcycle_id", week.id}, {"week", week.spec.week}, {"date", date_text(as_of)},
                   {"completed_session_ids", completed}, {"missed_session_ids", missed}, {"replanned_session_ids", json::array()},
                   {"reasons", reasons}};
    if (free_ids.empty()) {
        report["hard_constraints"] = json::array();
        report["total_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        return report;
    }

    // The week as a non-cyclic layout: completed sessions fixed, remaining ones free; missed
    // sessions only constrain heavy spacing (they stay in the plan as they were).
    Layout layout;
    layout.cyclic = false;
    layout.weeks = {spec};
    std::vector<size_t> day_session;  // layout day -> index in sessions
    for (size_t i = 0; i < sessions.size(); ++i) {
        const PlannedSession& s = sessions[i];
        bool done = std::find(completed.begin(), completed.end(), s.id) != completed.end();
        bool is_free = std::find(free_ids.begin(), free_ids.end(), s.id) != free_ids.end();
        if (!done && !is_free) continue;
        LayoutDay d;
        d.offset = int((s.date - week.start).count());
        d.date = s.date;
        d.type = s.type;
        d.fixed = done;
        for (const auto& e : s.exercises) {
            if (done && e.role != Role::warmup && e.role != Role::cooldown) d.fixed_content.push_back({e.movement, e.role, e.x.sets, e.x.rpe});
            if (!done) d.original.insert(e.movement);
        }
        if (is_free && s.date <= as_of + std::chrono::days(1)) d.sore = sore;
        if (is_free && s.date == as_of) d.cns_scale = today_scale;
        layout.days.push_back(std::move(d));
        day_session.push_back(i);
    }
    std::vector<int64_t> skip = free_ids;
    layout.external_heavy = heavy_exposures(db, ctx, week.start, week.start - std::chrono::days(3), week_end + std::chrono::days(3), skip);
    // Completed sessions of this week are days of the layout already.
    layout.external_heavy.erase(std::remove_if(layout.external_heavy.begin(), layout.external_heavy.end(),
                                               [&](const auto& h) {
                                                   for (const auto& d : layout.days)
                                                       if (d.fixed && d.offset == h.first) return true;
                                                   return false;
                                               }),
                                layout.external_heavy.end());
    layout.activity_days = activity_offsets(ctx, week.start, week.start, week_end);
    for (const auto& [m, d] : ctx.user.recent_movements)
        if (d < week.start) layout.recent.insert(m);

    Planner planner(ctx);
    WeekProblem wp = build_week(planner, layout);
    if (!feasible(wp)) throw Error(Status::infeasible, "infeasible: " + explain_infeasible(ctx, layout, sp->weekdays));

    // Start from the current plan where it is still valid.
    std::vector<std::vector<int>> start(wp.days.size());
    for (size_t d = 0; d < wp.days.size(); ++d) {
        if (wp.days[d].fixed) continue;
        const PlannedSession& s = sessions[day_session[d]];
        for (const auto& e : s.exercises) {
            if (e.role == Role::warmup || e.role == Role::cooldown || e.circuit >= 0) continue;
            const auto& list = e.role == Role::main ? wp.days[d].main : e.role == Role::finisher ? wp.days[d].finisher : wp.days[d].accessory;
            for (int o : list) {
                const Option& x = wp.options[size_t(o)];
                if (x.movement == e.movement && x.role == e.role && (x.sets == e.x.sets || x.primary)) {
                    start[d].push_back(o);
                    break;
                }
            }
        }
    }
    SolveOptions so;
    so.seed = ctx.request.seed * 7919ULL + uint64_t(week.spec.week);
    size_search(ctx.request, 1.0, so);
    so.start = &start;
    auto ts = Clock::now();
    Solution sol = solve(wp, so);
    double solve_ms = std::chrono::duration<double, std::milli>(Clock::now() - ts).count();
    std::string bad = violation(wp, sol.days);
    if (!bad.empty()) throw Error(Status::internal, "re-planning produced an invalid week: " + bad);

    std::string extra = "Re-planned on " + date_text(as_of) + (reasons.empty() ? "." : " (" + [&] {
        std::string r;
        for (size_t i = 0; i < reasons.size(); ++i) r += (i ? "; " : "") + reasons[i];
        return r;
    }() + ").");
    PlannedProgram program;
    program.weekdays = sp->weekdays;
    PlannedWeek pw;
    pw.spec = spec;
    pw.start = week.start;
    pw.id = week.id;
    for (size_t d = 0; d < wp.days.size(); ++d) {
        PlannedSession& old = sessions[day_session[d]];
        if (wp.days[d].fixed) continue;
        auto pairs = superset_pairs(planner, wp, int(d), sol.days[d]);
        PlannedSession s = expand_day(planner, wp, sol.days[d], layout.days[d], spec, old.date, pairs);
        s.id = old.id;
        s.day_number = old.day_number;
        s.coach_notes = coach_notes(planner, s, spec, layout, layout.days[d], extra);
        old = std::move(s);
    }
    // Verify the whole microcycle as it will be stored (missed sessions included).
    for (auto& s : sessions) pw.sessions.push_back(s);
    program.weeks.push_back(pw);
    json checks = verify(ctx, planner.elig, program);
    for (const auto& c : checks)
        if (!c["ok"].get<bool>())
            throw Error(Status::internal, "re-planned microcycle breaks hard constraint " + c["name"].get<std::string>() + ": " + c["violations"].dump());

    store::Savepoint save(db);
    json replanned = json::array();
    for (const auto& s : sessions) {
        if (std::find(free_ids.begin(), free_ids.end(), s.id) == free_ids.end()) continue;
        auto& del = db.prepare("DELETE FROM session_exercises WHERE session_id = ?");
        del.bind(1, static_cast<int64_t>(s.id));
        del.exec();
        db.update("sessions", s.id, session_columns(ctx, s, spec.deload));
        insert_exercises(db, ctx, s.id, s, spec.deload);
        replanned.push_back(s.id);
    }
    json week_changes = {{"status", "active"}};
    if (spec.deload && !week.spec.deload) {
        week_changes["deload_week"] = true;
        week_changes["microcycle_type"] = "deload";
        week_changes["intensity_percent"] = 100 * p.deload_intensity;
        week_changes["volume_percent"] = 100 * p.deload_volume;
        week_changes["notes"] = "Early deload from " + date_text(as_of) + ": " + *early + ".";
    }
    db.update("microcycles", week.id, week_changes);
    save.commit();

    report["replanned_session_ids"] = replanned;
    report["coach"] = stored_coach_report(db, program_id);  // the whole program as it now stands
    report["objective"] = {{"value", sol.objective}};
    report["hard_constraints"] = checks;
    report["solve_ms"] = solve_ms;
    report["nodes"] = sol.nodes;
    report["total_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return report;
}

}  // namespace gainsly::plan
