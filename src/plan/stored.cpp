// Reading persisted programs and sessions back into planner structures.
#include "plan/stored.hpp"

#include <algorithm>
#include <cstdlib>

#include "model/error.hpp"
#include "model/time.hpp"
#include "store/heuristics.hpp"

namespace gainsly::plan {

std::unique_ptr<StoredProgram> load_program(store::Database& db, int64_t program_id, Date as_of) {
    auto sp = std::make_unique<StoredProgram>();
    sp->id = program_id;
    json stored;
    {
        auto& q = db.prepare("SELECT request_json FROM programs WHERE id = ?");
        q.bind(1, static_cast<int64_t>(program_id));
        if (!q.executeStep()) throw Error(Status::not_found, "program_id: no program " + std::to_string(program_id));
        if (q.getColumn(0).isNull()) invalid("program_id: program " + std::to_string(program_id) + " was not made by the planner (no request_json)");
        stored = json::parse(q.getColumn(0).getString(), nullptr, false);
        if (!stored.is_object()) invalid("program_id: program " + std::to_string(program_id) + " has an unreadable request_json");
    }
    sp->catalog = load_catalog(db);
    sp->params = load_plan_params(store::read_heuristics(db), sp->catalog);
    // The stored request is the normalised one; drop what parse_request does not take.
    json request = stored;
    request.erase("weekdays_given");
    sp->request = parse_request(db, sp->catalog, request);
    sp->weekdays = sp->request.weekdays;
    sp->user = load_user(db, sp->catalog, sp->request.user_id, as_of, sp->params.variety_lookback_days);
    sp->ctx = std::make_unique<Context>(Context{sp->catalog, sp->params, sp->user, sp->request});

    auto& q = db.prepare("SELECT id, week_number, deload_week, notes FROM microcycles WHERE program_id = ? ORDER BY week_number");
    q.bind(1, static_cast<int64_t>(program_id));
    while (q.executeStep()) {
        StoredWeek w;
        w.id = q.getColumn(0).getInt64();
        w.spec.week = q.getColumn(1).isNull() ? int(sp->weeks.size()) + 1 : q.getColumn(1).getInt();
        w.spec.deload = q.getColumn(2).getInt() != 0;
        w.notes = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
        w.spec.early_deload = w.spec.deload && w.notes.rfind("Early deload", 0) == 0;
        w.start = sp->request.start + std::chrono::days(7 * (w.spec.week - 1));
        sp->weeks.push_back(w);
    }
    // Loading indices per block, as generate() numbered them: a block ends with a deload week.
    size_t begin = 0;
    for (size_t i = 0; i <= sp->weeks.size(); ++i) {
        bool end = i == sp->weeks.size() || (sp->weeks[i].spec.deload && !sp->weeks[i].spec.early_deload);
        if (!end) continue;
        size_t last = std::min(i, sp->weeks.size() - 1);
        int loading = 0;
        for (size_t k = begin; k <= last && k < sp->weeks.size(); ++k) loading += sp->weeks[k].spec.deload ? 0 : 1;
        int index = 0;
        for (size_t k = begin; k <= last && k < sp->weeks.size(); ++k) {
            WeekSpec& s = sp->weeks[k].spec;
            s.loading_weeks = std::max(1, loading);
            s.loading_index = s.deload ? std::max(0, index - 1) : index;
            if (s.early_deload) s.loading_index = 0;
            if (!s.deload) ++index;
        }
        begin = i + 1;
    }
    return sp;
}

bool is_completed(store::Database& db, int64_t session_id) {
    auto& q = db.prepare("SELECT 1 FROM workout_logs WHERE session_id = ? LIMIT 1");
    q.bind(1, static_cast<int64_t>(session_id));
    return q.executeStep();
}

std::vector<int64_t> week_sessions(store::Database& db, int64_t microcycle_id) {
    std::vector<int64_t> out;
    auto& q = db.prepare("SELECT id FROM sessions WHERE microcycle_id = ? ORDER BY date, id");
    q.bind(1, static_cast<int64_t>(microcycle_id));
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
}

PlannedSession load_session(store::Database& db, const Context& ctx, int64_t session_id) {
    PlannedSession s;
    s.id = session_id;
    {
        auto& q = db.prepare("SELECT date, day_number, session_type, coach_notes, finisher_circuit_id, intent_tags FROM sessions WHERE id = ?");
        q.bind(1, static_cast<int64_t>(session_id));
        if (!q.executeStep()) throw Error(Status::not_found, "sessions: no row with id " + std::to_string(session_id));
        s.date = date_from(q.getColumn(0).isNull() ? "" : q.getColumn(0).getString(), "sessions.date");
        s.day_number = q.getColumn(1).isNull() ? 1 : q.getColumn(1).getInt();
        s.type = q.getColumn(2).isNull() ? "custom" : q.getColumn(2).getString();
        s.coach_notes = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
        if (!q.getColumn(4).isNull()) {
            auto it = ctx.catalog.circuit_by_id.find(q.getColumn(4).getInt64());
            if (it != ctx.catalog.circuit_by_id.end()) s.finisher_circuit = it->second;
        }
        json tags = json::parse(q.getColumn(5).isNull() ? "[]" : q.getColumn(5).getString(), nullptr, false);
        if (tags.is_array())
            for (const auto& t : tags)
                if (t.is_string()) s.intent_tags.push_back(t.get<std::string>());
    }
    auto& q = db.prepare(
        "SELECT movement_id, role, session_section, superset_group, circuit_id, target_sets, target_rep_range_min, target_rep_range_max, "
        "target_rpe, target_duration_seconds, default_rest_seconds, notes, id FROM session_exercises WHERE session_id = ? ORDER BY order_in_session, id");
    q.bind(1, static_cast<int64_t>(session_id));
    while (q.executeStep()) {
        if (q.getColumn(0).isNull()) continue;
        auto it = ctx.catalog.by_id.find(q.getColumn(0).getInt64());
        if (it == ctx.catalog.by_id.end()) continue;
        PlannedExercise e;
        e.id = q.getColumn(12).getInt64();
        e.movement = it->second;
        e.role = q.getColumn(1).isNull() ? Role::accessory : parse_role(q.getColumn(1).getString());
        e.section = q.getColumn(2).getString();
        e.superset = q.getColumn(3).isNull() ? 0 : q.getColumn(3).getInt();
        if (!q.getColumn(4).isNull()) {
            auto ct = ctx.catalog.circuit_by_id.find(q.getColumn(4).getInt64());
            e.circuit = ct == ctx.catalog.circuit_by_id.end() ? -1 : ct->second;
        }
        e.x.sets = q.getColumn(5).getInt();
        e.x.rep_max = q.getColumn(7).isNull() ? 0 : q.getColumn(7).getInt();
        e.x.rep_min = q.getColumn(6).isNull() ? e.x.rep_max : q.getColumn(6).getInt();
        e.x.rpe = q.getColumn(8).isNull() ? 0 : q.getColumn(8).getDouble();
        e.x.duration_seconds = q.getColumn(9).isNull() ? 0 : q.getColumn(9).getInt();
        e.x.rest_seconds = q.getColumn(10).isNull() ? 0 : q.getColumn(10).getInt();
        e.notes = q.getColumn(11).isNull() ? "" : q.getColumn(11).getString();
        // The load is written in the notes ("4 x 3-5 @ RPE 7, 112.5 kg, rest 180 s; ...").
        for (const char* unit : {" kg,", " lb,"}) {
            auto at = e.notes.find(unit);
            auto semi = e.notes.find(';');
            if (at == std::string::npos || (semi != std::string::npos && at > semi)) continue;
            auto comma = e.notes.rfind(", ", at);
            if (comma != std::string::npos) e.x.load = std::atof(e.notes.c_str() + comma + 2);
        }
        std::string lower = e.notes;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        e.x.reduced = lower.find("reduced load") != std::string::npos;
        s.exercises.push_back(std::move(e));
    }
    return s;
}

std::vector<std::pair<int, int>> heavy_exposures(store::Database& db, const Context& ctx, Date origin, Date from, Date to,
                                                 const std::vector<int64_t>& skip) {
    std::vector<std::pair<int, int>> out;
    auto& q = db.prepare(
        "SELECT s.id, s.date, e.movement_id, e.role FROM session_exercises e JOIN sessions s ON s.id = e.session_id "
        "WHERE s.user_id = ? AND s.date >= ? AND s.date <= ?");
    q.bind(1, static_cast<int64_t>(ctx.request.user_id));
    q.bind(2, date_text(from));
    q.bind(3, date_text(to));
    while (q.executeStep()) {
        if (std::find(skip.begin(), skip.end(), q.getColumn(0).getInt64()) != skip.end()) continue;
        if (q.getColumn(2).isNull() || q.getColumn(3).isNull()) continue;
        auto it = ctx.catalog.by_id.find(q.getColumn(2).getInt64());
        if (it == ctx.catalog.by_id.end()) continue;
        const Movement& m = ctx.catalog.movements[size_t(it->second)];
        Role role = parse_role(q.getColumn(3).getString());
        const PlanParams& p = ctx.params;
        if (std::find(p.heavy_roles.begin(), p.heavy_roles.end(), role) == p.heavy_roles.end() ||
            std::find(p.heavy_cns.begin(), p.heavy_cns.end(), m.cns) == p.heavy_cns.end())
            continue;
        Date d = date_from(q.getColumn(1).getString(), "sessions.date");
        out.push_back({int((d - origin).count()), m.pattern});
    }
    return out;
}

std::map<int, double> recent_soreness(store::Database& db, const Context& ctx, Date as_of, double from, std::vector<std::string>* reasons) {
    std::map<int, double> sore;
    auto& q = db.prepare(
        "SELECT body_part, MAX(severity) FROM soreness_logs WHERE user_id = ? AND log_date >= ? AND log_date <= ? AND body_part IS NOT NULL "
        "AND severity IS NOT NULL GROUP BY body_part");
    q.bind(1, static_cast<int64_t>(ctx.request.user_id));
    q.bind(2, date_text(as_of - std::chrono::days(1)));
    q.bind(3, date_text(as_of));
    while (q.executeStep()) {
        std::string part = q.getColumn(0).getString();
        double severity = q.getColumn(1).getDouble();
        if (severity < from) continue;
        std::vector<int> muscles;
        if (auto j = ctx.params.joints.find(part); j != ctx.params.joints.end()) muscles = j->second.muscles;
        else if (int m = ctx.catalog.muscle(part); m >= 0) muscles.push_back(m);
        for (int m : muscles) sore[m] = std::max(sore[m], severity);
        if (!muscles.empty() && reasons) reasons->push_back("soreness " + part + " " + std::to_string(int(severity)) + "/10");
    }
    q.tryReset();
    return sore;
}

std::vector<std::pair<int, int>> activity_offsets(const Context& ctx, Date origin, Date from, Date to) {
    std::vector<std::pair<int, int>> out;
    for (size_t a = 0; a < ctx.user.activities.size(); ++a)
        for (Date d = from - std::chrono::days(7); d <= to + std::chrono::days(7); d += std::chrono::days(1)) {
            const auto& days = ctx.user.activities[a].weekdays;
            const auto& done = ctx.user.activities[a].done;
            if (std::find(days.begin(), days.end(), iso_weekday(d)) != days.end() || std::find(done.begin(), done.end(), d) != done.end())
                out.push_back({int(a), int((d - origin).count())});
        }
    return out;
}

}  // namespace gainsly::plan
