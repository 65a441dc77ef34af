// Independent checker: see checker.hpp. Deliberately shares no code with src/plan.
#include "checker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "model/time.hpp"

namespace plan_check {

using gainsly::store::Database;
using nlohmann::json;
using Day = std::chrono::sys_days;

bool Report::ok() const {
    for (const auto& v : violations)
        if (!v.empty()) return false;
    return true;
}

std::string Report::summary() const {
    std::ostringstream s;
    for (size_t i = 1; i < violations.size(); ++i)
        for (const auto& v : violations[i]) s << "constraint " << i << ": " << v << "\n";
    return s.str();
}

namespace {

struct Mv {
    int64_t id = 0;
    std::string name, pattern, cns, skill, spinal;
    std::map<std::string, std::pair<std::string, double>> muscles;  // name -> (role, magnitude)
    std::set<std::string> tags, equipment;
    std::vector<int64_t> disciplines;
};

struct Row {
    int64_t id, movement;
    std::string role, notes;
    int sets, rep_max, duration, rest;
    std::optional<int> superset;
    std::optional<int64_t> circuit;
};

struct Sess {
    int64_t id;
    Day date;
    int week;
    bool deload;
    std::vector<Row> rows;
    int estimated;
};

Day day_of(const std::string& s) {
    auto d = gainsly::model::parse_date(s);
    if (!d) throw std::runtime_error("checker: bad date " + s);
    return *d;
}

int weekday(Day d) {
    unsigned c = std::chrono::weekday(d).c_encoding();
    return c == 0 ? 7 : int(c);
}

std::string str(SQLite::Column c) { return c.isNull() ? "" : c.getString(); }

}  // namespace

Report check_program(Database& db, int64_t program_id) {
    Report rep;
    auto bad = [&](int k, const std::string& what) { rep.violations[size_t(k)].push_back(what); };

    // Heuristics, straight from the table.
    std::map<std::string, json> h;
    {
        SQLite::Statement q(db.sql(), "SELECT key, value, data_type FROM heuristic_configs WHERE is_active = 1");
        while (q.executeStep()) h[q.getColumn(0).getString()] = q.getColumn(2).getString() == "string" ? json(q.getColumn(1).getString()) : json::parse(q.getColumn(1).getString());
    }
    auto H = [&](const std::string& k) -> const json& {
        auto it = h.find(k);
        if (it == h.end()) throw std::runtime_error("checker: heuristic " + k + " missing");
        return it->second;
    };

    SQLite::Statement pq(db.sql(), "SELECT user_id, start_date, duration_weeks, request_json FROM programs WHERE id = ?");
    pq.bind(1, static_cast<int64_t>(program_id));
    if (!pq.executeStep()) throw std::runtime_error("checker: no program");
    int64_t user = pq.getColumn(0).getInt64();
    Day start = day_of(pq.getColumn(1).getString());
    int weeks = pq.getColumn(2).getInt();
    json request = json::parse(pq.getColumn(3).getString());
    Day end = start + std::chrono::days(7 * weeks - 1);
    std::set<int> weekdays;
    for (const auto& d : request["weekdays"]) weekdays.insert(d.get<int>());
    int days_per_week = request["days_per_week"].get<int>();
    int minutes = request["session_minutes"].get<int>();
    std::set<std::string> equipment{"bodyweight"};
    for (const auto& e : request["equipment"]) equipment.insert(e.get<std::string>());

    std::string experience = "beginner";
    int aggression = 3;
    {
        SQLite::Statement q(db.sql(), "SELECT experience_level, persona_aggression FROM users WHERE id = ?");
        q.bind(1, static_cast<int64_t>(user));
        q.executeStep();
        if (!q.getColumn(0).isNull()) experience = q.getColumn(0).getString();
        if (!q.getColumn(1).isNull()) aggression = q.getColumn(1).getInt();
    }

    // Catalog.
    std::map<int64_t, Mv> mv;
    {
        SQLite::Statement q(db.sql(), "SELECT id, name, pattern, cns_load, skill_level, spinal_compression FROM movements");
        while (q.executeStep()) {
            Mv m;
            m.id = q.getColumn(0).getInt64();
            m.name = str(q.getColumn(1));
            m.pattern = str(q.getColumn(2));
            m.cns = str(q.getColumn(3));
            m.skill = str(q.getColumn(4));
            m.spinal = str(q.getColumn(5));
            mv[m.id] = m;
        }
        SQLite::Statement mm(db.sql(), "SELECT x.movement_id, m.name, x.role, x.magnitude FROM movement_muscle_map x JOIN muscles m ON m.id = x.muscle_id");
        while (mm.executeStep()) mv[mm.getColumn(0).getInt64()].muscles[mm.getColumn(1).getString()] = {str(mm.getColumn(2)), mm.getColumn(3).getDouble()};
        SQLite::Statement t(db.sql(), "SELECT movement_id, tag FROM movement_tags");
        while (t.executeStep()) mv[t.getColumn(0).getInt64()].tags.insert(t.getColumn(1).getString());
        SQLite::Statement e(db.sql(), "SELECT x.movement_id, e.name FROM movement_equipment x JOIN equipment e ON e.id = x.equipment_id");
        while (e.executeStep()) mv[e.getColumn(0).getInt64()].equipment.insert(e.getColumn(1).getString());
        SQLite::Statement d(db.sql(), "SELECT movement_id, discipline_id FROM movement_disciplines");
        while (d.executeStep()) mv[d.getColumn(0).getInt64()].disciplines.push_back(d.getColumn(1).getInt64());
    }
    std::map<int64_t, std::vector<int64_t>> easier;  // regression edges: A -> easier B
    {
        SQLite::Statement q(db.sql(), "SELECT movement_1_id, movement_2_id FROM movement_relationships WHERE relationship_type = 'regression'");
        while (q.executeStep()) easier[q.getColumn(0).getInt64()].push_back(q.getColumn(1).getInt64());
    }
    std::map<int64_t, int> circuit_seconds;
    {
        SQLite::Statement q(db.sql(), "SELECT id, default_duration_seconds FROM circuit_templates");
        while (q.executeStep()) circuit_seconds[q.getColumn(0).getInt64()] = q.getColumn(1).isNull() ? 0 : q.getColumn(1).getInt();
    }

    // The user's rules, injuries, skills, activities.
    std::set<int64_t> hard_no, hard_yes, preferred;
    {
        SQLite::Statement q(db.sql(), "SELECT movement_id, rule_type FROM user_movement_rules WHERE user_id = ? AND movement_id IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) {
            std::string t = str(q.getColumn(1));
            (t == "hard_no" ? hard_no : t == "hard_yes" ? hard_yes : preferred).insert(q.getColumn(0).getInt64());
        }
    }
    std::vector<std::pair<std::string, double>> injuries;
    {
        SQLite::Statement q(db.sql(), "SELECT body_part, severity FROM user_injuries WHERE user_id = ? AND body_part IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) injuries.push_back({q.getColumn(0).getString(), q.getColumn(1).getDouble()});
    }
    std::map<int64_t, std::string> skills;
    {
        SQLite::Statement q(db.sql(), "SELECT discipline_id, skill_level FROM user_skills WHERE user_id = ? AND skill_level IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) skills[q.getColumn(0).getInt64()] = q.getColumn(1).getString();
    }
    std::vector<std::pair<std::string, std::set<int>>> activities;
    {
        SQLite::Statement q(db.sql(), "SELECT activity, planned_weekdays FROM user_enjoyable_activities WHERE user_id = ? AND activity IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) {
            std::set<int> days;
            if (!q.getColumn(1).isNull())
                for (const auto& d : json::parse(q.getColumn(1).getString())) days.insert(d.get<int>());
            activities.push_back({q.getColumn(0).getString(), days});
        }
    }

    const json& order = H("skill.order");
    auto rank = [&](const std::string& s) {
        for (size_t i = 0; i < order.size(); ++i)
            if (order[i] == s) return int(i);
        return 0;
    };
    const std::vector<std::string> spinal_order = {"none", "low", "moderate", "high"};
    auto spinal_rank = [&](const std::string& s) { return int(std::find(spinal_order.begin(), spinal_order.end(), s) - spinal_order.begin()); };
    double threshold = H("injury.muscle_magnitude_threshold").get<double>();
    const json& joints = H("injury.joint_muscles");
    auto loads_muscle = [&](const Mv& m, const std::string& muscle) {
        auto it = m.muscles.find(muscle);
        return it != m.muscles.end() && (it->second.first == "primary" || it->second.second >= threshold);
    };
    auto loads = [&](const Mv& m, const std::string& part) {
        if (!joints.contains(part)) return loads_muscle(m, part);
        const json& j = joints[part];
        for (const auto& p : j.value("patterns", json::array()))
            if (p == m.pattern) return true;
        for (const auto& t : j.value("tags", json::array()))
            if (m.tags.count(t.get<std::string>())) return true;
        for (const auto& mu : j.value("muscles", json::array()))
            if (loads_muscle(m, mu.get<std::string>())) return true;
        return j.contains("spinal_compression_min") && spinal_rank(m.spinal) >= spinal_rank(j["spinal_compression_min"].get<std::string>());
    };
    auto skill_ok = [&](const Mv& m) {
        int cap = -1;
        for (int64_t d : m.disciplines)
            if (skills.count(d)) cap = std::max(cap, rank(skills[d]));
        if (cap < 0) cap = rank(H("skill.max_for_experience")[experience].get<std::string>());
        return rank(m.skill) <= cap;
    };
    auto equipment_ok = [&](const Mv& m) {
        for (const auto& e : m.equipment)
            if (!equipment.count(e)) return false;
        return true;
    };
    double exclude = H("injury.severity_exclude_threshold").get<double>();
    auto spares_all = [&](const Mv& m) {
        for (const auto& [part, sev] : injuries)
            if (loads(m, part)) return false;
        return true;
    };
    // Could a mild injury's movement have been replaced? (nearest regression within the steps that
    // spares every injured part and is otherwise allowed)
    int steps = H("injury.regression_max_steps").get<int>();
    auto has_sparing_regression = [&](int64_t id) {
        std::deque<std::pair<int64_t, int>> todo{{id, 0}};
        std::set<int64_t> seen{id};
        while (!todo.empty()) {
            auto [cur, depth] = todo.front();
            todo.pop_front();
            if (depth >= steps) continue;
            for (int64_t next : easier[cur]) {
                if (!seen.insert(next).second) continue;
                const Mv& m = mv[next];
                if (!hard_no.count(next) && equipment_ok(m) && skill_ok(m) && spares_all(m)) return true;
                todo.push_back({next, depth + 1});
            }
        }
        return false;
    };

    // The program's sessions.
    std::vector<Sess> sessions;
    {
        SQLite::Statement q(db.sql(),
                            "SELECT s.id, s.date, c.week_number, c.deload_week, s.estimated_duration_minutes FROM sessions s "
                            "JOIN microcycles c ON c.id = s.microcycle_id WHERE s.program_id = ? ORDER BY s.date");
        q.bind(1, static_cast<int64_t>(program_id));
        while (q.executeStep())
            sessions.push_back({q.getColumn(0).getInt64(), day_of(q.getColumn(1).getString()), q.getColumn(2).getInt(), q.getColumn(3).getInt() != 0, {},
                                q.getColumn(4).isNull() ? -1 : q.getColumn(4).getInt()});
        for (auto& s : sessions) {
            SQLite::Statement e(db.sql(),
                                "SELECT id, movement_id, role, notes, target_sets, target_rep_range_max, target_duration_seconds, default_rest_seconds, "
                                "superset_group, circuit_id FROM session_exercises WHERE session_id = ? ORDER BY order_in_session");
            e.bind(1, static_cast<int64_t>(s.id));
            while (e.executeStep()) {
                Row r{e.getColumn(0).getInt64(), e.getColumn(1).getInt64(), str(e.getColumn(2)), str(e.getColumn(3)), e.getColumn(4).getInt(),
                      e.getColumn(5).isNull() ? 0 : e.getColumn(5).getInt(), e.getColumn(6).isNull() ? 0 : e.getColumn(6).getInt(),
                      e.getColumn(7).isNull() ? 0 : e.getColumn(7).getInt(), std::nullopt, std::nullopt};
                if (!e.getColumn(8).isNull()) r.superset = e.getColumn(8).getInt();
                if (!e.getColumn(9).isNull()) r.circuit = e.getColumn(9).getInt64();
                s.rows.push_back(r);
            }
        }
    }

    // 1-6 and 9 per row / day; collect for 2, 3, 10, 11, 12.
    std::map<int, std::set<int64_t>> week_movements;
    std::map<int64_t, std::vector<Day>> seen_on;
    std::map<std::string, std::set<Day>> heavy_days;
    const json& heavy = H("limits.heavy_pattern");
    auto in_list = [](const json& arr, const std::string& s) {
        for (const auto& v : arr)
            if (v == s) return true;
        return false;
    };
    double spr = H("time.seconds_per_rep").get<double>();
    int setup = H("time.setup_seconds_per_exercise").get<int>(), transition = H("time.transition_seconds").get<int>();
    double factor = H("time.superset_rest_factor").get<double>();
    double budget = H("cns.daily_budget.aggression_" + std::to_string(aggression)).get<double>();
    double deload_role = H("cns.role.deload").get<double>();
    std::map<Day, int> per_date;
    std::map<int, int> per_week;
    for (const auto& s : sessions) {
        std::string where = gainsly::model::format_date(s.date);
        per_date[s.date]++;
        per_week[s.week]++;
        rep.checked[12]++;
        if (!weekdays.count(weekday(s.date))) bad(12, where + " is not a requested weekday");
        Day wk_start = start + std::chrono::days(7 * (s.week - 1));
        if (s.date < wk_start || s.date > wk_start + std::chrono::days(6) || s.date > end) bad(12, where + " outside its microcycle");

        double seconds = 60.0 * (H("time.warmup_minutes").get<int>() + H("time.cooldown_minutes").get<int>());
        std::set<int64_t> circuits;
        std::map<int, std::vector<const Row*>> supersets;
        double cns = 0;
        int olympic = 0, plyo = 0, very_high = 0;
        for (const auto& r : s.rows) {
            const Mv& m = mv[r.movement];
            std::string what = where + " " + m.name;
            for (int k : {1, 4, 5, 6}) rep.checked[size_t(k)]++;
            if (hard_no.count(r.movement)) bad(1, what);
            bool drill = r.role == "warmup" || r.role == "cooldown";
            for (const auto& [part, sev] : injuries) {
                if (!loads(m, part)) continue;
                if (sev >= exclude) bad(4, what + " loads " + part + " (severity " + std::to_string(sev) + ")");
                else if (drill || r.circuit) bad(4, what + " (warm-up/cooldown/circuit) loads injured " + part);
                else {
                    std::string lower = r.notes;
                    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
                    bool rule = hard_yes.count(r.movement) || preferred.count(r.movement);
                    if (!rule && has_sparing_regression(r.movement)) bad(4, what + " should have been replaced by a regression sparing " + part);
                    if (lower.find("reduced load") == std::string::npos) bad(4, what + " kept for mild " + part + " without reduced load");
                }
            }
            if (!equipment_ok(m)) bad(5, what);
            if (!skill_ok(m)) bad(6, what + " (" + m.skill + ")");
            week_movements[s.week].insert(r.movement);
            seen_on[r.movement].push_back(s.date);
            double role_mult = H("cns.role." + r.role).get<double>();
            if (s.deload) role_mult = std::min(role_mult, deload_role);
            cns += H("cns.cost." + m.cns).get<double>() * role_mult;
            olympic += m.pattern == "olympic";
            plyo += m.pattern == "plyometric" || m.tags.count("plyometric");
            very_high += m.cns == "very_high";
            if (in_list(heavy["roles"], r.role) && in_list(heavy["cns_load"], m.cns)) heavy_days[m.pattern].insert(s.date);
            if (drill) continue;
            // 11: interference windows of every activity day around the program.
            rep.checked[11]++;
            for (const auto& [activity, days] : activities) {
                auto it = h.find("interference." + activity);
                if (it == h.end()) continue;
                for (Day a = start - std::chrono::days(7); a <= end + std::chrono::days(7); a += std::chrono::days(1)) {
                    if (!days.count(weekday(a))) continue;
                    long delta = (a - s.date).count();
                    double hours = 24.0 * std::labs(delta);
                    for (const auto& w : it->second) {
                        if (w["severity"].get<double>() < H("interference.hard_threshold").get<double>()) continue;
                        bool match = w.contains("pattern") ? w["pattern"] == m.pattern : loads_muscle(m, w["muscle"].get<std::string>());
                        if (!match) continue;
                        double before = w.value("before_hours", 0.0), after = w.value("after_hours", 0.0);
                        bool inside = delta > 0 ? (before > 0 && hours <= before) : delta < 0 ? (after > 0 && hours <= after) : (before > 0 || after > 0);
                        if (inside) bad(11, what + " inside " + activity + " window (" + gainsly::model::format_date(a) + ")");
                    }
                }
            }
            // 7: time of the working groups.
            int work = r.duration > 0 ? r.duration : int(std::ceil(r.rep_max * spr));
            if (r.circuit) {
                if (circuits.insert(*r.circuit).second) seconds += setup + transition + circuit_seconds[*r.circuit];
            } else if (r.superset) {
                supersets[*r.superset].push_back(&r);
            } else {
                seconds += setup + transition + r.sets * (work + r.rest);
            }
        }
        for (const auto& [g, rows] : supersets) {
            int max_sets = 0, max_rest = 0;
            for (const Row* r : rows) {
                int work = r->duration > 0 ? r->duration : int(std::ceil(r->rep_max * spr));
                seconds += setup + transition + r->sets * work;
                max_sets = std::max(max_sets, r->sets);
                max_rest = std::max(max_rest, r->rest);
            }
            seconds += std::ceil(max_sets * max_rest * factor);
        }
        int estimate = int(std::ceil(seconds / 60.0 - 1e-9));
        rep.checked[7]++;
        if (estimate > minutes) bad(7, where + ": " + std::to_string(estimate) + " min > " + std::to_string(minutes));
        if (s.estimated >= 0 && s.estimated != estimate) bad(7, where + ": stored estimate " + std::to_string(s.estimated) + " != " + std::to_string(estimate));
        rep.checked[8]++;
        if (cns > budget + 1e-9) bad(8, where + ": CNS " + std::to_string(cns) + " > " + std::to_string(budget));
        rep.checked[9]++;
        if (olympic > H("limits.daily.olympic_max").get<int>()) bad(9, where + ": olympic " + std::to_string(olympic));
        if (plyo > H("limits.daily.plyometric_max").get<int>()) bad(9, where + ": plyometric " + std::to_string(plyo));
        if (very_high > H("limits.daily.very_high_cns_max").get<int>()) bad(9, where + ": very_high " + std::to_string(very_high));
    }
    for (const auto& [d, n] : per_date)
        if (n > 1) bad(12, gainsly::model::format_date(d) + ": " + std::to_string(n) + " sessions");
    for (const auto& [w, n] : per_week)
        if (n > days_per_week) bad(12, "week " + std::to_string(w) + ": " + std::to_string(n) + " sessions");
    for (int64_t m : hard_yes)
        for (int w = 1; w <= weeks; ++w) {
            rep.checked[2]++;
            if (!week_movements[w].count(m)) bad(2, "week " + std::to_string(w) + " lacks " + mv[m].name);
        }
    for (int64_t m : preferred) {
        rep.checked[3]++;
        auto dates = seen_on[m];
        std::sort(dates.begin(), dates.end());
        // Every 14-day window [d, d + 13] inside the program contains it.
        Day last_window = (end - start).count() >= 13 ? end - std::chrono::days(13) : start;
        for (Day d = start; d <= last_window; d += std::chrono::days(1)) {
            Day to = std::min(end, d + std::chrono::days(13));
            bool found = std::any_of(dates.begin(), dates.end(), [&](Day x) { return x >= d && x <= to; });
            if (!found) {
                bad(3, mv[m].name + " missing in the 14 days from " + gainsly::model::format_date(d));
                break;
            }
        }
    }
    double min_hours = heavy["min_hours_between"].get<double>();
    for (const auto& [pattern, days] : heavy_days)
        for (Day a : days)
            for (Day b : days) {
                rep.checked[10]++;
                if (a < b && (b - a).count() * 24.0 < min_hours)
                    bad(10, pattern + " heavy on " + gainsly::model::format_date(a) + " and " + gainsly::model::format_date(b));
            }
    return rep;
}

}  // namespace plan_check
