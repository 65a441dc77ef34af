// describe(): a persisted program as text, week by week (what the CLI and the demo print).
#include <algorithm>
#include <cmath>
#include <sstream>

#include "model/error.hpp"
#include "model/time.hpp"
#include "plan/internal.hpp"
#include "plan/plan.hpp"
#include "plan/program.hpp"
#include "plan/stored.hpp"

namespace gainsly::plan {

namespace {

std::string text(sqlite::Column c) { return c.isNull() ? "" : c.getString(); }

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

}  // namespace

// The program as planned, read back from its rows (for the coach report).
json stored_coach_report(store::Database& db, int64_t program_id) {
    auto sp = load_program(db, program_id, model::today());
    PlannedProgram program;
    program.weekdays = sp->weekdays;
    for (const auto& w : sp->weeks) {
        PlannedWeek week;
        week.id = w.id;
        week.spec = w.spec;
        week.start = w.start;
        for (int64_t sid : week_sessions(db, w.id)) week.sessions.push_back(load_session(db, *sp->ctx, sid));
        program.weeks.push_back(std::move(week));
    }
    Planner planner(*sp->ctx);
    return coach_report(planner, program);
}

std::string coach_text(const json& coach) {
    std::ostringstream out;
    auto num = [](const json& v) { return v.is_number() ? number(std::round(v.get<double>() * 100) / 100) : std::string("-"); };
    out << "\nCoach report (weekly main + accessory sets per muscle group against the " << coach.value("window_goal", std::string("?"))
        << " windows: 1 per primary muscle, 0.5 per secondary; ! = outside)\n";
    const json& weeks = coach["weeks"];
    for (size_t i = 0; i < weeks.size(); ++i) {
        const json& w = weeks[i];
        out << "  Week " << w["week"].get<int>() << (w["deload"].get<bool>() ? " (deload)" : "") << ":";
        for (const auto& [g, v] : w["sets"].items())
            out << " " << g << " " << num(v["sets"]) << " [" << num(v["window"][0]) << "-" << num(v["window"][1]) << "]" << (v["ok"].get<bool>() ? "" : "!");
        out << "\n    push:pull " << num(w["push_sets"]) << ":" << num(w["pull_sets"]) << " = " << num(w["push_pull"]) << ", horizontal push:pull "
            << num(w["horizontal_push_sets"]) << ":" << num(w["horizontal_pull_sets"]) << "\n";
        // The main lifts, once per movement (a block keeps them week to week).
        std::vector<std::string> seen;
        for (const auto& m : w["main_lifts"]) {
            std::string name = m["movement"].get<std::string>();
            if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
            seen.push_back(name);
            out << (seen.size() == 1 ? "    main lifts: " : "; ") << name << " (" << m["why"].get<std::string>() << ")";
        }
        if (!seen.empty()) out << "\n";
    }
    out << "  Rules (loading weeks that hold it / weeks checked):\n";
    for (const auto& s : coach["summary"]) {
        if (s["weeks"].get<int>() == 0) continue;
        out << "    " << s["rule"].get<int>() << " " << s["name"].get<std::string>() << ": " << s["ok_weeks"].get<int>() << "/" << s["weeks"].get<int>();
        if (s.contains("yields")) out << " (yields: " << s["yields"].get<std::string>() << ")";
        std::string detail;
        for (const auto& r : coach["rules"])
            if (r["rule"] == s["rule"] && !r["ok"].get<bool>() && r.contains("detail") && detail.empty())
                detail = "week " + std::to_string(r["week"].get<int>()) + ": " + r["detail"].get<std::string>();
        if (!detail.empty()) out << " - " << detail;
        out << "\n";
    }
    return out.str();
}

std::string describe(store::Database& db, int64_t program_id) {
    std::ostringstream out;
    {
        auto& q = db.prepare("SELECT name, start_date, duration_weeks, split, progression_style, goal_1, goal_weight_1, goal_2, goal_weight_2, goal_3, goal_weight_3 FROM programs WHERE id = ?");
        q.bind(1, static_cast<int64_t>(program_id));
        if (!q.executeStep()) throw Error(Status::not_found, "program_id: no program " + std::to_string(program_id));
        out << "Program " << program_id << ": " << text(q.getColumn(0)) << "\n";
        out << "  starts " << text(q.getColumn(1)) << ", " << text(q.getColumn(2)) << " weeks, split " << text(q.getColumn(3)) << ", "
            << text(q.getColumn(4)) << "\n  goals:";
        for (int g = 0; g < 3; ++g)
            if (!q.getColumn(5 + 2 * g).isNull()) out << " " << text(q.getColumn(5 + 2 * g)) << " $" << text(q.getColumn(6 + 2 * g));
        out << "\n";
    }
    struct Week {
        int64_t id;
        int number;
        bool deload;
        std::string type, notes;
    };
    std::vector<Week> weeks;
    {
        auto& q = db.prepare("SELECT id, week_number, deload_week, microcycle_type, notes FROM microcycles WHERE program_id = ? ORDER BY week_number");
        q.bind(1, static_cast<int64_t>(program_id));
        while (q.executeStep())
            weeks.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(2).getInt() != 0, text(q.getColumn(3)), text(q.getColumn(4))});
    }
    for (const auto& w : weeks) {
        out << "\nWeek " << w.number << (w.deload ? " (deload)" : "") << " - " << w.type << (w.notes.empty() ? "" : ": " + w.notes) << "\n";
        std::vector<std::tuple<int64_t, std::string, std::string, int, std::string>> sessions;
        {
            auto& q = db.prepare("SELECT id, date, session_type, estimated_duration_minutes, coach_notes FROM sessions WHERE microcycle_id = ? ORDER BY date, id");
            q.bind(1, static_cast<int64_t>(w.id));
            while (q.executeStep())
                sessions.emplace_back(q.getColumn(0).getInt64(), text(q.getColumn(1)), text(q.getColumn(2)),
                                      q.getColumn(3).isNull() ? 0 : q.getColumn(3).getInt(), text(q.getColumn(4)));
        }
        for (const auto& [sid, date, type, minutes, notes] : sessions) {
            Date d = date_from(date, "sessions.date");
            out << "  " << weekday_name(iso_weekday(d)) << " " << date << "  " << type << "  ~" << minutes << " min\n";
            auto& q = db.prepare(
                "SELECT e.session_section, m.name, e.target_sets, e.target_rep_range_min, e.target_rep_range_max, e.target_duration_seconds, "
                "e.target_rpe, e.default_rest_seconds, e.superset_group, e.notes FROM session_exercises e JOIN movements m ON m.id = e.movement_id "
                "WHERE e.session_id = ? ORDER BY e.order_in_session");
            q.bind(1, static_cast<int64_t>(sid));
            while (q.executeStep()) {
                std::string dose = std::to_string(q.getColumn(2).getInt()) + " x ";
                if (!q.getColumn(4).isNull()) {
                    int lo = q.getColumn(3).isNull() ? q.getColumn(4).getInt() : q.getColumn(3).getInt(), hi = q.getColumn(4).getInt();
                    dose += lo == hi ? std::to_string(hi) : std::to_string(lo) + "-" + std::to_string(hi);
                } else if (!q.getColumn(5).isNull()) {
                    dose += std::to_string(q.getColumn(5).getInt()) + " s";
                }
                if (!q.getColumn(6).isNull()) dose += " @ RPE " + number(q.getColumn(6).getDouble());
                if (!q.getColumn(7).isNull()) dose += ", rest " + std::to_string(q.getColumn(7).getInt()) + " s";
                std::string superset = q.getColumn(8).isNull() ? "" : " [superset " + std::to_string(q.getColumn(8).getInt()) + "]";
                out << "    " << text(q.getColumn(0)) << ": " << text(q.getColumn(1)) << "  " << dose << superset << "\n";
                std::string note = text(q.getColumn(9));
                if (note.find('(') != std::string::npos || note.find(';') != std::string::npos || note.find(" kg") != std::string::npos ||
                    note.find(" lb") != std::string::npos) {
                    auto cut = note.find(", rest ");
                    auto semi = note.find(';');
                    std::string extra = semi != std::string::npos ? note.substr(semi + 2) : "";
                    std::string load;
                    auto at = note.find(" kg");
                    if (at == std::string::npos) at = note.find(" lb");
                    if (at != std::string::npos && (cut == std::string::npos || at < cut)) {
                        auto comma = note.rfind(", ", at);
                        if (comma != std::string::npos) load = note.substr(comma + 2, at + 3 - comma - 2);
                    }
                    if (!load.empty() || !extra.empty())
                        out << "        " << (load.empty() ? "" : load + (extra.empty() ? "" : "; ")) << extra << "\n";
                }
            }
            if (!notes.empty()) out << "    coach: " << notes << "\n";
        }
    }
    out << coach_text(stored_coach_report(db, program_id));
    return out.str();
}

}  // namespace gainsly::plan
