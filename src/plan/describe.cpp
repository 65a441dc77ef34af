// describe(): a persisted program as text, week by week (what the CLI and the demo print).
#include <sstream>

#include "model/error.hpp"
#include "plan/internal.hpp"
#include "plan/plan.hpp"

namespace gainsly::plan {

namespace {

std::string text(SQLite::Column c) { return c.isNull() ? "" : c.getString(); }

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

}  // namespace

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
    return out.str();
}

}  // namespace gainsly::plan
