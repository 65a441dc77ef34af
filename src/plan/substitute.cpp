// Substitution: ranked alternatives for one planned exercise, each checked to keep its session
// (and the microcycle and program around it) within every hard constraint; and the swap itself.
#include <algorithm>
#include <cmath>
#include <set>

#include "math/fatigue.hpp"
#include "model/error.hpp"
#include "plan/persist.hpp"
#include "plan/plan.hpp"
#include "plan/stored.hpp"

namespace gainsly::plan {

namespace {

// Everything needed to judge a swap in one session exercise.
struct Swap {
    std::unique_ptr<StoredProgram> sp;
    std::unique_ptr<Planner> planner;
    PlannedSession session;
    size_t row = 0;
    WeekSpec spec;
    int64_t microcycle_id = 0;
    int64_t session_id = 0;
    Layout activities;  // activity days as offsets from the session date

    const Context& ctx() const { return *sp->ctx; }
    const Movement& original() const { return sp->catalog.movements[size_t(session.exercises[row].movement)]; }
};

Swap open_swap(store::Database& db, int64_t session_exercise_id) {
    Swap s;
    int64_t program_id = 0;
    std::string date;
    {
        auto& q = db.prepare(
            "SELECT e.session_id, s.program_id, s.microcycle_id, s.date FROM session_exercises e JOIN sessions s ON s.id = e.session_id WHERE e.id = ?");
        q.bind(1, static_cast<int64_t>(session_exercise_id));
        if (!q.executeStep()) throw Error(Status::not_found, "session_exercise_id: no session exercise " + std::to_string(session_exercise_id));
        s.session_id = q.getColumn(0).getInt64();
        if (q.getColumn(1).isNull() || q.getColumn(3).isNull()) invalid("session_exercise_id: its session belongs to no planned program");
        program_id = q.getColumn(1).getInt64();
        s.microcycle_id = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
        date = q.getColumn(3).getString();
    }
    if (is_completed(db, s.session_id)) invalid("session_exercise_id: session " + std::to_string(s.session_id) + " is completed; completed sessions never change");
    Date day = date_from(date, "sessions.date");
    s.sp = load_program(db, program_id, day);
    s.planner = std::make_unique<Planner>(s.ctx());
    s.session = load_session(db, s.ctx(), s.session_id);
    auto it = std::find_if(s.session.exercises.begin(), s.session.exercises.end(), [&](const PlannedExercise& e) { return e.id == session_exercise_id; });
    if (it == s.session.exercises.end()) throw Error(Status::not_found, "session_exercise_id: movement of row " + std::to_string(session_exercise_id) + " is unknown");
    s.row = size_t(it - s.session.exercises.begin());
    for (const auto& w : s.sp->weeks)
        if (w.id == s.microcycle_id || (day >= w.start && day < w.start + std::chrono::days(7))) s.spec = w.spec;
    s.activities.cyclic = false;
    s.activities.activity_days = activity_offsets(s.ctx(), day, day, day);
    return s;
}

// Other rows of the program with movement m: dates (excluding the row being swapped).
std::vector<Date> program_dates(store::Database& db, const Swap& s, int movement, bool same_week_only) {
    std::vector<Date> out;
    auto& q = db.prepare(
        "SELECT s.date, e.id, s.microcycle_id FROM session_exercises e JOIN sessions s ON s.id = e.session_id WHERE s.program_id = ? AND e.movement_id = ?");
    q.bind(1, static_cast<int64_t>(s.sp->id));
    q.bind(2, static_cast<int64_t>(s.sp->catalog.movements[size_t(movement)].id));
    while (q.executeStep()) {
        if (q.getColumn(1).getInt64() == s.session.exercises[s.row].id) continue;
        if (same_week_only && (q.getColumn(2).isNull() || q.getColumn(2).getInt64() != s.microcycle_id)) continue;
        out.push_back(date_from(q.getColumn(0).getString(), "sessions.date"));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Why movement `candidate` cannot take the row's place; empty when it can.
std::string swap_problem(store::Database& db, const Swap& s, int candidate, PlannedSession* result) {
    const Context& ctx = s.ctx();
    const PlanParams& p = ctx.params;
    const Catalog& c = ctx.catalog;
    const PlannedExercise& old = s.session.exercises[s.row];
    const Movement& m = c.movements[size_t(candidate)];
    if (old.circuit >= 0) return "a circuit station is changed with its whole circuit";
    if (!s.planner->elig.allowed[size_t(candidate)]) {
        std::string why;
        for (const auto& g : s.planner->elig.excluded_by[size_t(candidate)]) {
            std::string name = g.group == Group::hard_no ? "hard_no" : g.group == Group::injury ? "injury " + ctx.user.injuries[size_t(g.index)].part
                               : g.group == Group::equipment ? "equipment" : "skill level";
            why += (why.empty() ? "" : ", ") + name;
        }
        return "excluded by " + (why.empty() ? std::string("an injury (a regression replaces it)") : why);
    }
    bool drill = old.role == Role::warmup || old.role == Role::cooldown;
    if (drill && !s.planner->elig.spares_injuries[size_t(candidate)]) return "loads an injured part";
    for (size_t i = 0; i < s.session.exercises.size(); ++i)
        if (i != s.row && s.session.exercises[i].movement == candidate) return "already in this session";

    // Rules: the original may be the only occurrence its rule relies on.
    for (const auto& rule : ctx.user.rules) {
        if (rule.movement != old.movement || candidate == old.movement) continue;
        if (rule.type == "hard_yes" && program_dates(db, s, old.movement, true).empty())
            return "hard_yes " + c.movements[size_t(old.movement)].name + " must stay in this microcycle";
        if (rule.type == "preferred") {
            std::vector<Date> dates = program_dates(db, s, old.movement, false);
            Date start = ctx.request.start, end = start + std::chrono::days(7 * int(s.sp->weeks.size()) - 1);
            bool ok = !dates.empty();
            if (ok && (end - start).count() + 1 >= 14) {
                ok = (dates.front() - start).count() <= 13 && (end - dates.back()).count() <= 13;
                for (size_t i = 1; i < dates.size() && ok; ++i) ok = (dates[i] - dates[i - 1]).count() <= 14;
            }
            if (!ok) return "preferred " + c.movements[size_t(old.movement)].name + " must appear every 14 days";
        }
    }

    PlannedSession next = s.session;
    PlannedExercise& e = next.exercises[s.row];
    bool reduced = s.planner->elig.reduced[size_t(candidate)] && !drill;
    WeekSpec loading = s.spec;
    loading.deload = false;  // the stored set count already carries any deload reduction
    e.x = prescribe(ctx, s.planner->doses, candidate, old.role, old.x.sets, loading, s.planner->e1rm_of(candidate), reduced, true);
    if (s.spec.deload) {
        e.x.rpe = std::min(e.x.rpe, p.deload_max_rpe);
        if (e.x.load) e.x.load = *e.x.load * p.deload_intensity;
        e.x.detail = "deload";
    }
    e.x.sets = old.x.sets;
    e.movement = candidate;

    SessionTotals t = session_totals(ctx, next, s.spec.deload);
    if (t.seconds > ctx.request.session_minutes * 60) return "the session would take " + std::to_string((t.seconds + 59) / 60) + " min";
    double budget = math::cns_daily_budget(ctx.user.aggression, p.math.cns);
    if (t.cns > budget + 1e-9) return "the day's CNS load would exceed its budget";
    int olympic = 0, plyo = 0, very_high = 0;
    const int olympic_p = enum_index("movement_pattern", "olympic"), plyo_p = enum_index("movement_pattern", "plyometric"), plyo_tag = c.tag("plyometric");
    for (const auto& x : next.exercises) {
        const Movement& mm = c.movements[size_t(x.movement)];
        olympic += mm.pattern == olympic_p;
        plyo += mm.pattern == plyo_p || mm.has_tag(plyo_tag);
        very_high += mm.cns == cns_very_high;
    }
    if (olympic > p.olympic_max || plyo > p.plyometric_max || very_high > p.very_high_max) return "the day's olympic / plyometric / very_high limits";
    if (!drill && interference_forbids(ctx, m, 0, s.activities, nullptr)) return "inside an activity's interference window (planned or done)";
    if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), old.role) != p.heavy_roles.end() &&
        std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) != p.heavy_cns.end()) {
        int days = int(std::ceil(p.heavy_min_hours / 24.0));
        for (const auto& [offset, pattern] :
             heavy_exposures(db, ctx, next.date, next.date - std::chrono::days(days), next.date + std::chrono::days(days), {s.session_id}))
            if (pattern == m.pattern && offset != 0 && std::abs(offset) * 24.0 < p.heavy_min_hours) return "the same heavy pattern is trained a day away";
    }
    e.notes = e.x.rep_max > 0 || e.x.duration_seconds > 0 ? e.notes : e.notes;
    if (result) *result = std::move(next);
    return "";
}

double muscle_overlap(const Movement& a, const Movement& b) {
    double dot = 0, na = 0, nb = 0;
    for (const auto& l : a.muscles) na += l.magnitude * l.magnitude;
    for (const auto& l : b.muscles) nb += l.magnitude * l.magnitude;
    for (const auto& l : a.muscles) dot += l.magnitude * b.magnitude_of(l.muscle);
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

}  // namespace

json substitutes(store::Database& db, int64_t session_exercise_id, int max_results) {
    if (max_results < 1 || max_results > 100) invalid("max_results: must be between 1 and 100");
    Swap s = open_swap(db, session_exercise_id);
    const Context& ctx = s.ctx();
    const Catalog& c = ctx.catalog;
    const Movement& orig = s.original();
    int orig_index = s.session.exercises[s.row].movement;
    struct Ranked {
        double score;
        int movement;
        std::string relationship;
        std::vector<std::string> reasons;
    };
    std::vector<Ranked> ranked;
    std::string blocked;
    for (size_t mi = 0; mi < c.movements.size(); ++mi) {
        if (int(mi) == orig_index) continue;
        const Movement& m = c.movements[mi];
        std::string relation;
        double rel = 0;
        for (const Link& l : c.links[size_t(orig_index)])
            if (l.other == int(mi)) {
                if (l.type == Relation::variation && rel < 0.5 + 0.5 * l.severity) rel = 0.5 + 0.5 * l.severity, relation = "variation";
                if (l.type == Relation::regression && l.forward && rel < 0.4) rel = 0.4, relation = "regression";
                if (l.type == Relation::progression && l.forward && rel < 0.4) rel = 0.4, relation = "progression";
            }
        double overlap = muscle_overlap(orig, m);
        bool same_pattern = m.pattern == orig.pattern;
        if ((!same_pattern && relation.empty()) || overlap <= 0) continue;
        std::string problem = swap_problem(db, s, int(mi), nullptr);
        if (!problem.empty()) {
            if (problem.rfind("hard_yes", 0) == 0 || problem.rfind("preferred", 0) == 0) blocked = problem;
            continue;
        }
        Ranked r{overlap + rel + (same_pattern ? 0.3 : 0.0) + (m.primary_muscle == orig.primary_muscle ? 0.2 : 0.0), int(mi), relation, {}};
        if (!relation.empty()) r.reasons.push_back(relation + " of " + orig.name);
        if (same_pattern) r.reasons.push_back("same pattern");
        if (m.primary_muscle == orig.primary_muscle && m.primary_muscle >= 0) r.reasons.push_back("same primary muscle (" + c.muscles[size_t(m.primary_muscle)] + ")");
        char buf[64];
        std::snprintf(buf, sizeof buf, "muscle overlap %.0f%%", overlap * 100);
        r.reasons.push_back(buf);
        if (s.planner->elig.reduced[mi]) {
            r.score -= 0.2;
            r.reasons.push_back("reduced load for a mild injury");
        }
        if (auto it = ctx.user.enjoyed_movements.find(int(mi)); it != ctx.user.enjoyed_movements.end()) {
            r.score += 0.1 * it->second;
            r.reasons.push_back("you enjoy it");
        }
        r.score -= 0.2 * m.risk;
        ranked.push_back(std::move(r));
    }
    std::sort(ranked.begin(), ranked.end(), [&](const Ranked& a, const Ranked& b) {
        if (std::abs(a.score - b.score) > 1e-12) return a.score > b.score;
        return c.movements[size_t(a.movement)].id < c.movements[size_t(b.movement)].id;
    });
    json list = json::array();
    for (const auto& r : ranked) {
        if (int(list.size()) >= max_results) break;
        list.push_back({{"movement_id", c.movements[size_t(r.movement)].id},
                        {"name", c.movements[size_t(r.movement)].name},
                        {"score", std::round(r.score * 1000) / 1000},
                        {"relationship", r.relationship.empty() ? json(nullptr) : json(r.relationship)},
                        {"reasons", r.reasons}});
    }
    json out = {{"session_exercise_id", session_exercise_id}, {"session_id", s.session_id}, {"movement_id", orig.id}, {"name", orig.name},
                {"substitutes", list}};
    if (list.empty() && !blocked.empty()) out["blocked_by"] = blocked;
    return out;
}

json substitute(store::Database& db, int64_t session_exercise_id, int64_t movement_id) {
    Swap s = open_swap(db, session_exercise_id);
    const Context& ctx = s.ctx();
    auto it = ctx.catalog.by_id.find(movement_id);
    if (it == ctx.catalog.by_id.end()) throw Error(Status::not_found, "movement_id: no movement " + std::to_string(movement_id));
    const Movement& orig = s.original();
    PlannedSession next;
    std::string problem = swap_problem(db, s, it->second, &next);
    if (!problem.empty())
        throw Error(Status::infeasible, "movement_id: " + ctx.catalog.movements[size_t(it->second)].name + " cannot replace " + orig.name + ": " + problem);
    PlannedExercise& e = next.exercises[s.row];
    const Movement& m = ctx.catalog.movements[size_t(it->second)];
    std::string note = std::to_string(e.x.sets) + " x " +
                       (e.x.rep_max > 0 ? (e.x.rep_min == e.x.rep_max ? std::to_string(e.x.rep_max) : std::to_string(e.x.rep_min) + "-" + std::to_string(e.x.rep_max))
                                        : std::to_string(e.x.duration_seconds) + " s");
    char rpe[32];
    std::snprintf(rpe, sizeof rpe, " @ RPE %g", e.x.rpe);
    note += rpe;
    if (e.x.load) {
        char load[48];
        std::snprintf(load, sizeof load, ", %g %s", *e.x.load, ctx.user.metric ? "kg" : "lb");
        note += load;
    }
    if (!e.x.detail.empty()) note += "; " + e.x.detail;
    if (e.x.reduced) note += "; Reduced load for a mild injury";
    note += "; replaces " + orig.name;
    e.notes = note;

    store::Savepoint save(db);
    json row = {{"movement_id", m.id},
                {"target_rpe", e.x.rpe},
                {"target_rir", std::clamp(int(std::floor(10.0 - e.x.rpe)), 0, 10)},
                {"default_rest_seconds", e.x.rest_seconds},
                {"notes", note},
                {"stimulus", std::round(e.x.sets * m.stimulus * 100) / 100},
                {"fatigue", std::round(e.x.sets * m.fatigue * 100) / 100}};
    row["target_rep_range_min"] = e.x.rep_max > 0 ? json(e.x.rep_min) : json(nullptr);
    row["target_rep_range_max"] = e.x.rep_max > 0 ? json(e.x.rep_max) : json(nullptr);
    row["target_duration_seconds"] = e.x.duration_seconds > 0 ? json(e.x.duration_seconds) : json(nullptr);
    db.update("session_exercises", session_exercise_id, row);
    next.coach_notes = s.session.coach_notes + " Swapped " + orig.name + " for " + m.name + ".";
    json columns = session_columns(ctx, next, s.spec.deload);
    columns.erase("session_type");
    columns.erase("intent_tags");
    columns.erase("finisher_circuit_id");
    db.update("sessions", s.session_id, columns);
    save.commit();
    return {{"session_exercise_id", session_exercise_id}, {"session_id", s.session_id}, {"movement_id", m.id}, {"name", m.name}, {"replaced", orig.name}};
}

}  // namespace gainsly::plan
