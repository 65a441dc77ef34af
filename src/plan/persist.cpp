// Persistence of planned programs: one savepoint, rows through the validated store API.
#include "plan/persist.hpp"

#include <cmath>

#include "model/error.hpp"

namespace gainsly::plan {

json session_columns(const Context& ctx, const PlannedSession& s, bool deload) {
    SessionTotals t = session_totals(ctx, s, deload);
    auto round2 = [](double x) { return std::round(x * 100) / 100; };
    json row = {{"session_type", s.type},
                {"intent_tags", s.intent_tags},
                {"estimated_duration_minutes", (t.seconds + 59) / 60},
                {"coach_notes", s.coach_notes},
                {"total_stimulus", round2(t.stimulus)},
                {"total_fatigue", round2(t.fatigue)},
                {"cns_fatigue", round2(t.cns)},
                {"muscle_volume_json", t.muscle_volume}};
    row["finisher_circuit_id"] = s.finisher_circuit >= 0 ? json(ctx.catalog.circuits[size_t(s.finisher_circuit)].id) : json(nullptr);
    return row;
}

void insert_exercises(store::Database& db, const Context& ctx, int64_t session_id, const PlannedSession& s, bool deload) {
    (void)deload;
    int order = 1;
    for (const auto& e : s.exercises) {
        const Movement& m = ctx.catalog.movements[size_t(e.movement)];
        const Prescription& x = e.x;
        json row = {{"session_id", session_id},
                    {"movement_id", m.id},
                    {"session_section", e.section},
                    {"role", std::string(role_name(e.role))},
                    {"order_in_session", order++},
                    {"target_sets", x.sets},
                    {"target_rpe", x.rpe},
                    {"target_rir", std::clamp(int(std::floor(10.0 - x.rpe)), 0, 10)},
                    {"default_rest_seconds", x.rest_seconds},
                    {"notes", e.notes},
                    {"stimulus", std::round(x.sets * m.stimulus * 100) / 100},
                    {"fatigue", std::round(x.sets * m.fatigue * 100) / 100}};
        row["superset_group"] = e.superset > 0 ? json(e.superset) : json(nullptr);
        row["circuit_id"] = e.circuit >= 0 ? json(ctx.catalog.circuits[size_t(e.circuit)].id) : json(nullptr);
        row["target_rep_range_min"] = x.rep_max > 0 ? json(x.rep_min) : json(nullptr);
        row["target_rep_range_max"] = x.rep_max > 0 ? json(x.rep_max) : json(nullptr);
        row["target_duration_seconds"] = x.duration_seconds > 0 ? json(x.duration_seconds) : json(nullptr);
        db.insert("session_exercises", row);
    }
}

int64_t persist_program(store::Database& db, const Context& ctx, PlannedProgram& program, const json& stored_request) {
    const Request& r = ctx.request;
    store::Savepoint sp(db);
    json prog = {{"user_id", r.user_id},
                 {"name", r.name},
                 {"start_date", date_text(r.start)},
                 {"duration_weeks", r.weeks},
                 {"split", r.split},
                 {"progression_style", r.progression_style},
                 {"request_json", stored_request}};
    for (size_t i = 0; i < r.goals.size(); ++i) {
        prog["goal_" + std::to_string(i + 1)] = r.goals[i].goal;
        prog["goal_weight_" + std::to_string(i + 1)] = r.goals[i].weight;
    }
    int64_t program_id = db.insert("programs", prog);
    for (const auto& g : r.goals) db.insert("program_goals", {{"program_id", program_id}, {"goal_type", g.goal}});
    for (auto& week : program.weeks) {
        week.id = db.insert("microcycles", {{"program_id", program_id},
                                            {"week_number", week.spec.week},
                                            {"microcycle_type", week.type},
                                            {"intensity_percent", week.intensity_percent},
                                            {"volume_percent", week.volume_percent},
                                            {"deload_week", week.spec.deload},
                                            {"status", "planned"},
                                            {"notes", week.notes}});
        for (auto& s : week.sessions) {
            json row = session_columns(ctx, s, week.spec.deload);
            row["user_id"] = r.user_id;
            row["program_id"] = program_id;
            row["microcycle_id"] = week.id;
            row["day_number"] = s.day_number;
            row["date"] = date_text(s.date);
            s.id = db.insert("sessions", row);
            insert_exercises(db, ctx, s.id, s, week.spec.deload);
        }
    }
    sp.commit();
    return program_id;
}

}  // namespace gainsly::plan
