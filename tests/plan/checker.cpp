// Independent checker: see checker.hpp. Deliberately shares no code with src/plan.
#include "checker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <regex>
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
    int rep_min = 0;
    double rpe = 0;
};

struct Sess {
    int64_t id;
    Day date;
    int week;
    bool deload;
    std::vector<Row> rows;
    int estimated;
    std::optional<double> stored_cns;  // sessions.cns_fatigue
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

std::string str(gainsly::sqlite::Column c) { return c.isNull() ? "" : c.getString(); }

std::map<std::string, json> heuristics_of(Database& db) {
    std::map<std::string, json> h;
    gainsly::sqlite::Statement q(db.sql(), "SELECT key, value, data_type FROM heuristic_configs WHERE is_active = 1");
    while (q.executeStep()) h[q.getColumn(0).getString()] = q.getColumn(2).getString() == "string" ? json(q.getColumn(1).getString()) : json::parse(q.getColumn(1).getString());
    return h;
}

// Whether a movement loads a body part (constraint 4 of src/plan/README.md): a muscle through the
// muscle map, a joint through injury.joint_muscles.
struct Loads {
    double threshold;
    json joints;

    bool muscle(const Mv& m, const std::string& name) const {
        auto it = m.muscles.find(name);
        return it != m.muscles.end() && (it->second.first == "primary" || it->second.second >= threshold);
    }
    bool part(const Mv& m, const std::string& part) const {
        static const std::vector<std::string> spinal_order = {"none", "low", "moderate", "high"};
        auto spinal_rank = [](const std::string& s) { return int(std::find(spinal_order.begin(), spinal_order.end(), s) - spinal_order.begin()); };
        if (!joints.contains(part)) return muscle(m, part);
        const json& j = joints[part];
        for (const auto& p : j.value("patterns", json::array()))
            if (p == m.pattern) return true;
        for (const auto& t : j.value("tags", json::array()))
            if (m.tags.count(t.get<std::string>())) return true;
        for (const auto& mu : j.value("muscles", json::array()))
            if (muscle(m, mu.get<std::string>())) return true;
        return j.contains("spinal_compression_min") && spinal_rank(m.spinal) >= spinal_rank(j["spinal_compression_min"].get<std::string>());
    }
};

// Every catalog movement with its muscle map, tags, equipment and disciplines.
std::map<int64_t, Mv> load_movements(Database& db) {
    std::map<int64_t, Mv> mv;
    gainsly::sqlite::Statement q(db.sql(), "SELECT id, name, pattern, cns_load, skill_level, spinal_compression FROM movements");
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
    gainsly::sqlite::Statement mm(db.sql(), "SELECT x.movement_id, m.name, x.role, x.magnitude FROM movement_muscle_map x JOIN muscles m ON m.id = x.muscle_id");
    while (mm.executeStep()) mv[mm.getColumn(0).getInt64()].muscles[mm.getColumn(1).getString()] = {str(mm.getColumn(2)), mm.getColumn(3).getDouble()};
    gainsly::sqlite::Statement t(db.sql(), "SELECT movement_id, tag FROM movement_tags");
    while (t.executeStep()) mv[t.getColumn(0).getInt64()].tags.insert(t.getColumn(1).getString());
    gainsly::sqlite::Statement e(db.sql(), "SELECT x.movement_id, e.name FROM movement_equipment x JOIN equipment e ON e.id = x.equipment_id");
    while (e.executeStep()) mv[e.getColumn(0).getInt64()].equipment.insert(e.getColumn(1).getString());
    gainsly::sqlite::Statement d(db.sql(), "SELECT movement_id, discipline_id FROM movement_disciplines");
    while (d.executeStep()) mv[d.getColumn(0).getInt64()].disciplines.push_back(d.getColumn(1).getInt64());
    return mv;
}

// The program's sessions in date order with their rows in session order.
std::vector<Sess> load_sessions(Database& db, int64_t program_id) {
    std::vector<Sess> sessions;
    gainsly::sqlite::Statement q(db.sql(),
                        "SELECT s.id, s.date, c.week_number, c.deload_week, s.estimated_duration_minutes, s.cns_fatigue FROM sessions s "
                        "JOIN microcycles c ON c.id = s.microcycle_id WHERE s.program_id = ? ORDER BY s.date");
    q.bind(1, static_cast<int64_t>(program_id));
    while (q.executeStep())
        sessions.push_back({q.getColumn(0).getInt64(), day_of(q.getColumn(1).getString()), q.getColumn(2).getInt(), q.getColumn(3).getInt() != 0, {},
                            q.getColumn(4).isNull() ? -1 : q.getColumn(4).getInt(),
                            q.getColumn(5).isNull() ? std::nullopt : std::optional<double>(q.getColumn(5).getDouble())});
    for (auto& s : sessions) {
        gainsly::sqlite::Statement e(db.sql(),
                            "SELECT id, movement_id, role, notes, target_sets, target_rep_range_max, target_duration_seconds, default_rest_seconds, "
                            "superset_group, circuit_id, target_rep_range_min, target_rpe FROM session_exercises WHERE session_id = ? ORDER BY order_in_session");
        e.bind(1, static_cast<int64_t>(s.id));
        while (e.executeStep()) {
            Row r{e.getColumn(0).getInt64(), e.getColumn(1).getInt64(), str(e.getColumn(2)), str(e.getColumn(3)), e.getColumn(4).getInt(),
                  e.getColumn(5).isNull() ? 0 : e.getColumn(5).getInt(), e.getColumn(6).isNull() ? 0 : e.getColumn(6).getInt(),
                  e.getColumn(7).isNull() ? 0 : e.getColumn(7).getInt(), std::nullopt, std::nullopt};
            if (!e.getColumn(8).isNull()) r.superset = e.getColumn(8).getInt();
            if (!e.getColumn(9).isNull()) r.circuit = e.getColumn(9).getInt64();
            r.rep_min = e.getColumn(10).isNull() ? r.rep_max : e.getColumn(10).getInt();
            r.rpe = e.getColumn(11).isNull() ? 0 : e.getColumn(11).getDouble();
            s.rows.push_back(r);
        }
    }
    return sessions;
}

}  // namespace

Report check_program(Database& db, int64_t program_id) {
    Report rep;
    auto bad = [&](int k, const std::string& what) { rep.violations[size_t(k)].push_back(what); };

    // Heuristics, straight from the table.
    std::map<std::string, json> h = heuristics_of(db);
    auto H = [&](const std::string& k) -> const json& {
        auto it = h.find(k);
        if (it == h.end()) throw std::runtime_error("checker: heuristic " + k + " missing");
        return it->second;
    };

    gainsly::sqlite::Statement pq(db.sql(), "SELECT user_id, start_date, duration_weeks, request_json FROM programs WHERE id = ?");
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
        gainsly::sqlite::Statement q(db.sql(), "SELECT experience_level, persona_aggression FROM users WHERE id = ?");
        q.bind(1, static_cast<int64_t>(user));
        q.executeStep();
        if (!q.getColumn(0).isNull()) experience = q.getColumn(0).getString();
        if (!q.getColumn(1).isNull()) aggression = q.getColumn(1).getInt();
    }

    std::map<int64_t, Mv> mv = load_movements(db);
    std::map<int64_t, std::vector<int64_t>> easier;  // regression edges: A -> easier B
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT movement_1_id, movement_2_id FROM movement_relationships WHERE relationship_type = 'regression'");
        while (q.executeStep()) easier[q.getColumn(0).getInt64()].push_back(q.getColumn(1).getInt64());
    }
    std::map<int64_t, int> circuit_seconds;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT id, default_duration_seconds FROM circuit_templates");
        while (q.executeStep()) circuit_seconds[q.getColumn(0).getInt64()] = q.getColumn(1).isNull() ? 0 : q.getColumn(1).getInt();
    }

    // The user's rules, injuries, skills, activities.
    std::set<int64_t> hard_no, hard_yes, preferred;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT movement_id, rule_type FROM user_movement_rules WHERE user_id = ? AND movement_id IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) {
            std::string t = str(q.getColumn(1));
            (t == "hard_no" ? hard_no : t == "hard_yes" ? hard_yes : preferred).insert(q.getColumn(0).getInt64());
        }
    }
    std::vector<std::pair<std::string, double>> injuries;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT body_part, severity FROM user_injuries WHERE user_id = ? AND body_part IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) injuries.push_back({q.getColumn(0).getString(), q.getColumn(1).getDouble()});
    }
    std::map<int64_t, std::string> skills;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT discipline_id, skill_level FROM user_skills WHERE user_id = ? AND skill_level IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) skills[q.getColumn(0).getInt64()] = q.getColumn(1).getString();
    }
    std::vector<std::pair<std::string, std::set<int>>> activities;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT activity, planned_weekdays FROM user_enjoyable_activities WHERE user_id = ? AND activity IS NOT NULL");
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
    const Loads injury_loads{H("injury.muscle_magnitude_threshold").get<double>(), H("injury.joint_muscles")};
    auto loads_muscle = [&](const Mv& m, const std::string& muscle) { return injury_loads.muscle(m, muscle); };
    auto loads = [&](const Mv& m, const std::string& part) { return injury_loads.part(m, part); };
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

    std::vector<Sess> sessions = load_sessions(db, program_id);

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
        if (s.stored_cns && std::abs(*s.stored_cns - std::round(cns * 100) / 100) > 1e-6)
            bad(8, where + ": stored cns_fatigue " + std::to_string(*s.stored_cns) + " != " + std::to_string(cns));
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

// ---------------------------------------------------------------- coach rules (issue #13)

const std::vector<std::string> muscle_groups = {"chest", "back", "quads", "hamstrings", "glutes", "delts", "biceps", "triceps"};

namespace {

// Catalog muscles of each group.
const std::map<std::string, std::vector<std::string>> group_muscles = {
    {"chest", {"chest"}},           {"back", {"lats", "upper_back"}},   {"quads", {"quadriceps"}},
    {"hamstrings", {"hamstrings"}}, {"glutes", {"glutes"}},             {"delts", {"front_delts", "side_delts", "rear_delts"}},
    {"biceps", {"biceps"}},         {"triceps", {"triceps"}}};

// Weekly hard-set windows per group. Hypertrophy: the issue's defaults. Strength: lower, because
// heavy sets cost more and the volume that drives strength is mostly on the main lifts (a 3-4 day
// strength block with 3-5 sets per main and two or three accessories lands here). Delts, back and
// hamstrings keep higher ceilings: with half a set for every secondary muscle, delts collect from
// every press and row, back from every pull and deadlift, hamstrings from squats and hinges (a
// sound 4-day upper/lower strength block counts about 22, 18 and 15). Endurance: lower still,
// leaving room for conditioning; arms may drop to zero (they get pulling and pressing).
const std::map<std::string, std::map<std::string, Window>> windows = {
    {"hypertrophy", {{"chest", {8, 22}}, {"back", {10, 28}}, {"quads", {8, 20}}, {"hamstrings", {6, 18}},
                     {"glutes", {4, 20}}, {"delts", {8, 26}}, {"biceps", {4, 22}}, {"triceps", {4, 18}}}},
    {"strength", {{"chest", {6, 16}}, {"back", {8, 22}}, {"quads", {6, 16}}, {"hamstrings", {4, 16}},
                  {"glutes", {3, 16}}, {"delts", {6, 22}}, {"biceps", {2, 14}}, {"triceps", {2, 14}}}},
    {"endurance", {{"chest", {4, 14}}, {"back", {6, 18}}, {"quads", {4, 14}}, {"hamstrings", {3, 14}},
                   {"glutes", {2, 14}}, {"delts", {4, 18}}, {"biceps", {0, 12}}, {"triceps", {0, 12}}}}};

// Rep windows of main work per goal (the issue's).
struct Reps {
    int lo, hi;
};
const std::map<std::string, Reps> main_reps = {{"strength", {1, 6}}, {"hypertrophy", {6, 15}}, {"endurance", {12, 25}}};

const std::vector<std::string> levels = {"beginner", "intermediate", "advanced", "expert", "elite"};
int level(const std::string& s) {
    auto it = std::find(levels.begin(), levels.end(), s);
    return it == levels.end() ? 0 : int(it - levels.begin());
}

// Credit of one set of a movement for a group: 1 when a group muscle is primary, 0.5 when secondary.
double group_credit(const Mv& m, const std::string& group) {
    double c = 0;
    for (const auto& muscle : group_muscles.at(group)) {
        auto it = m.muscles.find(muscle);
        if (it == m.muscles.end()) continue;
        c = std::max(c, it->second.first == "primary" ? 1.0 : it->second.first == "secondary" ? 0.5 : 0.0);
    }
    return c;
}

bool is_work(const Row& r) { return r.role == "main" || r.role == "accessory"; }

// Power work: jumps, throws, olympic lifts and other ballistic movements.
bool is_power(const Mv& m) {
    if (m.pattern == "conditioning" || m.pattern == "cardio") return false;
    return m.pattern == "olympic" || m.pattern == "plyometric" || m.tags.count("ballistic") || m.tags.count("olympic") || m.tags.count("plyometric");
}

// External load can be added and progressed (a ramp to RPE 9 makes sense).
bool loadable(const Mv& m) {
    static const std::set<std::string> loaded = {"barbell", "dumbbell",  "kettlebell", "cable",   "machine", "smith_machine",
                                                 "ez_bar",  "trap_bar",  "landmine",   "sandbag", "sled"};
    if (m.tags.count("main_lift")) return true;
    for (const auto& e : m.equipment)
        if (loaded.count(e)) return true;
    return false;
}

// The staple categories of rule 2 a movement fills.
std::set<std::string> categories(const Mv& m) {
    std::set<std::string> out;
    if (m.tags.count("staple") && m.tags.count("main_lift")) {
        if (m.pattern == "squat" || m.pattern == "lunge") out.insert("squat");
        if (m.pattern == "hinge") out.insert("hinge");
        if (m.pattern == "horizontal_push" || m.pattern == "vertical_push") out.insert("press");
        if (m.pattern == "horizontal_pull" || m.pattern == "vertical_pull") out.insert("pull");
    }
    if (m.tags.count("competition"))
        out.insert(m.pattern == "squat" ? "competition squat" : m.pattern == "horizontal_push" ? "competition bench" : "competition deadlift");
    return out;
}

double fmt_round(double v) { return std::round(v * 100) / 100; }

std::string num(double v) {
    std::ostringstream s;
    s << fmt_round(v);
    return s.str();
}

struct Program {
    int64_t user = 0;
    std::map<std::string, int> goals;
    std::set<std::string> equipment;  // empty with full_gym
    bool full_gym = false;
    std::vector<Sess> sessions;
    std::map<int, bool> deload;  // week -> deload
    std::string progression = "double_progression";  // the request's progression_style (its default)
    int minutes = 0;                                   // the request's session_minutes
    int goal(const std::string& g) const {
        auto it = goals.find(g);
        return it == goals.end() ? 0 : it->second;
    }
    bool has(const std::string& e) const { return full_gym || equipment.count(e); }
};

Program load_program(Database& db, int64_t program_id) {
    Program p;
    gainsly::sqlite::Statement q(db.sql(), "SELECT user_id, request_json FROM programs WHERE id = ?");
    q.bind(1, static_cast<int64_t>(program_id));
    if (!q.executeStep()) throw std::runtime_error("checker: no program");
    p.user = q.getColumn(0).getInt64();
    json request = json::parse(q.getColumn(1).getString());
    for (const auto& g : request.value("goals", json::array())) p.goals[g["goal"].get<std::string>()] = g["weight"].get<int>();
    p.full_gym = !request.contains("equipment");
    p.minutes = request.value("session_minutes", 0);
    if (request.contains("progression_style") && request["progression_style"].is_string()) p.progression = request["progression_style"].get<std::string>();
    if (!p.full_gym)
        for (const auto& e : request["equipment"]) p.equipment.insert(e.get<std::string>());
    p.sessions = load_sessions(db, program_id);
    gainsly::sqlite::Statement w(db.sql(), "SELECT week_number, deload_week FROM microcycles WHERE program_id = ?");
    w.bind(1, static_cast<int64_t>(program_id));
    while (w.executeStep()) p.deload[w.getColumn(0).getInt()] = w.getColumn(1).getInt() != 0;
    return p;
}

std::map<std::string, double> group_sets(const std::map<int64_t, Mv>& mv, const Program& p, int week) {
    std::map<std::string, double> out;
    for (const auto& g : muscle_groups) out[g] = 0;
    for (const auto& s : p.sessions) {
        if (s.week != week) continue;
        for (const auto& r : s.rows)
            if (is_work(r))
                for (const auto& g : muscle_groups) out[g] += r.sets * group_credit(mv.at(r.movement), g);
    }
    return out;
}

// The load written in a row's notes ("4 x 5 @ RPE 8, 102.5 kg, rest 180 s"), if any.
std::optional<double> note_load(const std::string& notes) {
    static const std::regex load(R"(, ([0-9]+(\.[0-9]+)?) (kg|lb))");
    std::smatch m;
    if (!std::regex_search(notes, m, load)) return std::nullopt;
    return std::stod(m[1].str());
}

// The rep target of a double progression ("aim for 7 reps"), 0 if none.
int note_rep_target(const std::string& notes) {
    static const std::regex aim(R"(aim for ([0-9]+) reps)");
    std::smatch m;
    return std::regex_search(notes, m, aim) ? std::stoi(m[1].str()) : 0;
}

}  // namespace

Window volume_window(const std::string& goal, const std::string& group) { return windows.at(goal).at(group); }

std::map<std::string, double> weekly_group_sets(Database& db, int64_t program_id, int week) {
    return group_sets(load_movements(db), load_program(db, program_id), week);
}

bool CoachReport::ok(int rule) const {
    bool aggregate = false;
    for (const auto& r : results) aggregate |= r.rule == rule && r.week == 0;
    for (const auto& r : results)
        if (r.rule == rule && (!aggregate || r.week == 0) && !r.ok && r.yields.empty()) return false;
    return true;
}

bool CoachReport::yielded(int rule) const {
    for (const auto& r : results)
        if (r.rule == rule && !r.ok && !r.yields.empty()) return true;
    return false;
}

std::string CoachReport::summary(int rule) const {
    std::ostringstream s;
    for (const auto& r : results)
        if (r.rule == rule && !r.ok)
            s << "rule " << r.rule << " week " << r.week << ": " << r.detail << (r.yields.empty() ? "" : " [yielded: " + r.yields + "]") << "\n";
    return s.str();
}

CoachReport check_coach(Database& db, int64_t program_id, const json& solver_report) {
    CoachReport rep;
    const std::map<int64_t, Mv> mv = load_movements(db);
    const Program p = load_program(db, program_id);
    auto M = [&](int64_t id) -> const Mv& { return mv.at(id); };

    std::string experience = "beginner";
    std::map<int64_t, int> skill_rows;  // discipline -> level
    bool powerlifter = false;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT experience_level FROM users WHERE id = ?");
        q.bind(1, static_cast<int64_t>(p.user));
        if (q.executeStep() && !q.getColumn(0).isNull()) experience = q.getColumn(0).getString();
        gainsly::sqlite::Statement k(db.sql(),
                            "SELECT s.discipline_id, s.skill_level, d.name FROM user_skills s JOIN disciplines d ON d.id = s.discipline_id "
                            "WHERE s.user_id = ? AND s.skill_level IS NOT NULL");
        k.bind(1, static_cast<int64_t>(p.user));
        while (k.executeStep()) {
            int64_t d = k.getColumn(0).getInt64();
            skill_rows[d] = std::max(skill_rows.count(d) ? skill_rows[d] : 0, level(k.getColumn(1).getString()));
            powerlifter |= k.getColumn(2).getString() == "powerlifting";
        }
        gainsly::sqlite::Statement pr(db.sql(), "SELECT discipline_preferences FROM user_profiles WHERE user_id = ?");
        pr.bind(1, static_cast<int64_t>(p.user));
        if (pr.executeStep() && !pr.getColumn(0).isNull())
            powerlifter |= pr.getColumn(0).getString().find("powerlifting") != std::string::npos;
    }

    // What the generator could have used at all: the request's equipment, the skill cap of rule 3,
    // no hard_no, nothing that loads a part injured at or above the exclusion threshold. A reported
    // yield of rule 2 or 4 is only accepted when nothing allowed could have met the rule.
    const auto h = heuristics_of(db);
    const Loads injury_loads{h.at("injury.muscle_magnitude_threshold").get<double>(), h.at("injury.joint_muscles")};
    const double exclude = h.at("injury.severity_exclude_threshold").get<double>();
    std::set<int64_t> hard_no;
    std::vector<std::string> severe;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT movement_id FROM user_movement_rules WHERE user_id = ? AND rule_type = 'hard_no' AND movement_id IS NOT NULL");
        q.bind(1, static_cast<int64_t>(p.user));
        while (q.executeStep()) hard_no.insert(q.getColumn(0).getInt64());
        gainsly::sqlite::Statement i(db.sql(), "SELECT body_part, severity FROM user_injuries WHERE user_id = ? AND body_part IS NOT NULL");
        i.bind(1, static_cast<int64_t>(p.user));
        while (i.executeStep())
            if (i.getColumn(1).getDouble() >= exclude) severe.push_back(i.getColumn(0).getString());
    }
    const int user_level = level(experience), base_cap = std::max(user_level, 1);
    auto cap_of = [&](const Mv& m) {
        int row_cap = -1;
        for (int64_t d : m.disciplines)
            if (skill_rows.count(d)) row_cap = std::max(row_cap, skill_rows.at(d));
        return std::make_pair(std::max(base_cap, row_cap), row_cap);
    };
    auto allowed = [&](const Mv& m) {
        for (const auto& e : m.equipment)
            if (e != "bodyweight" && !p.has(e)) return false;
        if (hard_no.count(m.id) || level(m.skill) > cap_of(m).first) return false;
        for (const auto& part : severe)
            if (injury_loads.part(m, part)) return false;
        return true;
    };
    // The first allowed movement that matches, or "" when none does.
    auto any_allowed = [&](const std::function<bool(const Mv&)>& match) -> std::string {
        for (const auto& [id, m] : mv)
            if (match(m) && allowed(m)) return m.name;
        return "";
    };

    // The solver's yields: (rule, week) -> reason; week 0 = every week.
    std::map<std::pair<int, int>, std::string> yields;
    if (solver_report.is_object() && solver_report.contains("coach") && solver_report["coach"].contains("rules"))
        for (const auto& r : solver_report["coach"]["rules"]) {
            std::string why = r.contains("yields") && r["yields"].is_string() ? r["yields"].get<std::string>() : "";
            if (!why.empty()) yields[{r.value("rule", 0), r.value("week", 0)}] = why;
        }
    // refute: for a failed result the solver says yields, the allowed movement that could have met
    // the rule ("" = the yield stands).
    auto add = [&](int rule, int week, bool ok, double value, const std::string& detail, const std::function<std::string()>& refute = nullptr) {
        CoachResult r{rule, week, ok, value, detail, ""};
        if (!ok) {
            for (auto key : {std::make_pair(rule, week), std::make_pair(rule, 0)})
                if (yields.count(key) && r.yields.empty()) r.yields = yields[key];
            if (week == 0)  // a rule judged over the whole program: a yield of any of its weeks
                for (const auto& [key, why] : yields)
                    if (key.first == rule && r.yields.empty()) r.yields = why;
            std::string could = !r.yields.empty() && refute ? refute() : "";
            if (!could.empty()) {
                r.detail += "; yield '" + r.yields + "' rejected: " + could + " was allowed";
                r.yields.clear();
            }
        }
        rep.results.push_back(r);
    };

    const int S = p.goal("strength"), H = p.goal("hypertrophy");
    const bool power_goal = p.goal("explosiveness") + p.goal("speed") > 0;
    std::vector<int> loading;
    for (const auto& [w, d] : p.deload)
        if (!d) loading.push_back(w);
    auto week_rows = [&](int week) {
        std::vector<std::pair<const Sess*, const Row*>> out;
        for (const auto& s : p.sessions)
            if (s.week == week)
                for (const auto& r : s.rows) out.push_back({&s, &r});
        return out;
    };

    // 1. Main slots hold main lifts when strength + hypertrophy >= 6; power work only as a goal or a primer.
    rep.applies[1] = S + H >= 6;
    for (int w : loading) {
        double main = 0, lifts = 0;
        std::vector<std::string> wrong;
        for (auto [s, r] : week_rows(w)) {
            if (r->role != "main") continue;
            main += r->sets;
            if (M(r->movement).tags.count("main_lift")) lifts += r->sets;
            else wrong.push_back(M(r->movement).name);
        }
        std::vector<std::string> power_bad;
        for (const auto& s : p.sessions) {
            if (s.week != w) continue;
            bool before_mains = true;
            for (const auto& r : s.rows) {
                if (r.role == "main" && !is_power(M(r.movement))) before_mains = false;
                if (r.role == "warmup" || r.role == "cooldown" || r.role == "finisher" || !is_power(M(r.movement))) continue;
                std::string why;
                if (!power_goal && !(r.role == "skill" || before_mains)) why = "not a primer and no power goal";
                if (r.rep_max > 6) why += " reps " + std::to_string(r.rep_max);
                if (r.rpe >= 9) why += " RPE " + num(r.rpe);
                if (r.rest > 0 && r.rest < 60 && !r.superset) why += " rest " + std::to_string(r.rest);
                if (!why.empty()) power_bad.push_back(M(r.movement).name + " (" + why + ")");
            }
        }
        if (rep.applies[1]) {
            rep.share[1].hit += lifts;
            rep.share[1].total += main;
        }
        double share = main > 0 ? lifts / main : 0;
        bool ok = (!rep.applies[1] || (main > 0 && share >= 0.95)) && power_bad.empty();
        std::string detail = "main_lift sets " + num(lifts) + "/" + num(main);
        for (const auto& n : wrong) detail += "; main " + n;
        for (const auto& n : power_bad) detail += "; power " + n;
        add(1, w, ok, share, detail, [&] {  // a yield stands only when no main lift was allowed at all
            return any_allowed([&](const Mv& m) { return m.tags.count("main_lift") > 0 && !is_power(m); });
        });
    }

    // 2. Staples: with a barbell and strength >= 5, a staple squat, hinge, press and pull every loading
    // week; powerlifters the competition squat, bench press and deadlift.
    rep.applies[2] = (p.has("barbell") && S >= 5) || powerlifter;
    if (rep.applies[2])
        for (int w : loading) {
            std::map<std::string, bool> found;
            if (p.has("barbell") && S >= 5)
                for (const char* k : {"squat", "hinge", "press", "pull"}) found[k] = false;
            if (powerlifter)
                for (const char* k : {"competition squat", "competition bench", "competition deadlift"}) found[k] = false;
            for (auto [s, r] : week_rows(w)) {
                if (!is_work(*r)) continue;
                for (const auto& k : categories(M(r->movement)))
                    if (found.count(k)) found[k] = true;
            }
            int have = 0;
            std::string missing;
            for (const auto& [k, v] : found) {
                have += v;
                if (!v) missing += (missing.empty() ? "missing " : ", ") + k;
            }
            rep.share[2].hit += have;
            rep.share[2].total += double(found.size());
            add(2, w, missing.empty(), found.empty() ? 1.0 : double(have) / double(found.size()), missing.empty() ? "all staples present" : missing, [&] {
                for (const auto& entry : found) {
                    if (entry.second) continue;
                    const std::string key = entry.first;
                    std::string could = any_allowed([&](const Mv& m) { return categories(m).count(key) > 0; });
                    if (!could.empty()) return could;
                }
                return std::string();
            });
        }

    // 3. Skill: >= 85% of working sets at or below max(experience, intermediate) (raised per discipline
    // by a user_skills row), none two levels above the user without such a row.
    rep.applies[3] = true;
    for (int w : loading) {
        double total = 0, within = 0;
        std::vector<std::string> far;
        for (auto [s, r] : week_rows(w)) {
            if (!(is_work(*r) || r->role == "skill")) continue;
            const Mv& m = M(r->movement);
            auto [cap, row_cap] = cap_of(m);
            total += r->sets;
            if (level(m.skill) <= cap) within += r->sets;
            if (level(m.skill) >= user_level + 2 && level(m.skill) > row_cap) far.push_back(m.name + " (" + m.skill + ")");
        }
        rep.share[3].hit += within;
        rep.share[3].total += total;
        double share = total > 0 ? within / total : 1.0;
        std::string detail = "sets within the skill cap " + num(within) + "/" + num(total);
        for (const auto& n : far) detail += "; two levels above the user: " + n;
        add(3, w, share >= 0.85 && far.empty(), share, detail);
    }

    // 4. Balance: push:pull sets in [0.8, 1.25]; horizontal push:pull <= 2, with some horizontal pulling.
    for (int w : loading) {
        double push = 0, pull = 0, hpush = 0, hpull = 0;
        for (auto [s, r] : week_rows(w)) {
            if (!is_work(*r)) continue;
            const std::string& pt = M(r->movement).pattern;
            push += (pt == "horizontal_push" || pt == "vertical_push") ? r->sets : 0;
            pull += (pt == "horizontal_pull" || pt == "vertical_pull") ? r->sets : 0;
            hpush += pt == "horizontal_push" ? r->sets : 0;
            hpull += pt == "horizontal_pull" ? r->sets : 0;
        }
        if (push + pull == 0) continue;
        rep.applies[4] = true;
        double ratio = pull > 0 ? push / pull : 99;
        bool ok = ratio >= 0.8 - 1e-9 && ratio <= 1.25 + 1e-9 && (hpush == 0 || (hpull > 0 && hpush / hpull <= 2 + 1e-9));
        rep.share[4].hit += ok;
        rep.share[4].total += 1;
        add(4, w, ok, ratio, "push:pull " + num(push) + ":" + num(pull) + ", horizontal " + num(hpush) + ":" + num(hpull), [&] {
            // More sets of an allowed pull (or push) would have balanced it.
            bool short_of_pull = push > pull * 1.25 || (hpush > 0 && hpull * 2 < hpush);
            bool horizontal = hpush > 0 && hpull * 2 < hpush;
            return any_allowed([&](const Mv& m) {
                if (!short_of_pull) return m.pattern == "horizontal_push" || m.pattern == "vertical_push";
                return horizontal ? m.pattern == "horizontal_pull" : m.pattern == "horizontal_pull" || m.pattern == "vertical_pull";
            });
        });
    }

    // 5. Volume: weekly sets per group inside the dominant goal's window in >= 80% of muscle-weeks
    // (a tie between goals accepts either window; fat loss uses the endurance window).
    {
        int top = 0;
        for (const auto& [g, wgt] : p.goals) top = std::max(top, wgt);
        std::vector<std::string> dominant;
        for (const auto& [g, wgt] : p.goals)
            if (wgt == top) {
                if (windows.count(g)) dominant.push_back(g);
                else if (g == "fat_loss") dominant.push_back("endurance");
            }
        rep.applies[5] = !dominant.empty();
        // A group no allowed movement trains as a primary muscle cannot reach its window: a yield
        // is accepted only for such groups, and only when the other groups meet the share.
        std::set<std::string> unreachable;
        for (const auto& g : muscle_groups)
            if (any_allowed([&](const Mv& m) { return group_credit(m, g) >= 1; }).empty()) unreachable.insert(g);
        double reach_hit = 0, reach_total = 0;
        auto refute5 = [&](double hit, double total) {
            return [&unreachable, hit, total]() -> std::string {
                if (unreachable.empty()) return "a movement for every group";
                if (hit < 0.8 * total - 1e-9) return "volume for the groups that could be trained (" + num(hit) + "/" + num(total) + " in window)";
                return "";
            };
        };
        // A time yield stands when every session of the week that has working rows is full (its
        // stored estimate, which the hard check recomputes, leaves less time than one more accessory
        // of two sets, timed like the week's quickest accessory row) and no group is above its window.
        const double spr = h.at("time.seconds_per_rep").get<double>();
        const int per_exercise = h.at("time.setup_seconds_per_exercise").get<int>() + h.at("time.transition_seconds").get<int>();
        auto time_refute = [&](int w, bool above) -> std::string {
            if (above) return "less volume (a group above its window)";
            int quickest = 1 << 30;
            for (const auto& s : p.sessions)
                if (s.week == w)
                    for (const auto& r : s.rows)
                        if (r.role == "accessory" && !r.circuit && !r.superset)
                            quickest = std::min(quickest, (r.duration > 0 ? r.duration : int(std::ceil(r.rep_max * spr))) + r.rest);
            if (quickest == 1 << 30) return "an accessory (the week has none)";
            for (const auto& s : p.sessions)
                if (s.week == w && std::any_of(s.rows.begin(), s.rows.end(), is_work) &&
                    (s.estimated < 0 || p.minutes <= 0 || s.estimated * 60 <= p.minutes * 60 - (per_exercise + 2 * quickest)))
                    return "another accessory on " + gainsly::model::format_date(s.date) + " (" + num(s.estimated) + " of " + num(p.minutes) + " min)";
            return "";
        };
        std::map<int, bool> week_yield_ok;  // failing loading weeks whose yield stands
        if (rep.applies[5]) {
            for (int w : loading) {
                auto sets = group_sets(mv, p, w);
                int in = 0;
                std::string detail;
                int reach_in = 0;
                bool above = false;
                for (const auto& g : muscle_groups) {
                    double lo = 1e9, hi = -1;
                    for (const auto& d : dominant) {
                        lo = std::min(lo, windows.at(d).at(g).lo);
                        hi = std::max(hi, windows.at(d).at(g).hi);
                    }
                    bool inside = sets[g] >= lo - 1e-9 && sets[g] <= hi + 1e-9;
                    above |= sets[g] > hi + 1e-9;
                    in += inside;
                    if (!unreachable.count(g)) reach_in += inside;
                    detail += (detail.empty() ? "" : ", ") + g + " " + num(sets[g]) + (inside ? "" : " (outside " + num(lo) + "-" + num(hi) + ")");
                }
                rep.share[5].hit += in;
                rep.share[5].total += double(muscle_groups.size());
                double reach = double(muscle_groups.size() - unreachable.size());
                reach_hit += reach_in;
                reach_total += reach;
                bool timed = yields.count({5, w}) && yields[{5, w}].rfind("time:", 0) == 0;
                add(5, w, in >= 0.8 * double(muscle_groups.size()), double(in) / double(muscle_groups.size()), detail,
                    timed ? std::function<std::string()>([&, w, above] { return time_refute(w, above); }) : refute5(reach_in, reach));
                week_yield_ok[w] = rep.results.back().ok || !rep.results.back().yields.empty();
            }
            // The program's share: a yield stands when every week below the share yielded and stood.
            bool weeks_stand = std::all_of(week_yield_ok.begin(), week_yield_ok.end(), [](const auto& e) { return e.second; });
            add(5, 0, rep.share[5].rate() >= 0.8, rep.share[5].rate(), "muscle-weeks in window " + num(rep.share[5].hit) + "/" + num(rep.share[5].total),
                [&, weeks_stand]() -> std::string { return weeks_stand ? "" : "volume in a week whose yield does not stand"; });
        }
    }

    // 6. Reps, rest and RPE: mains inside one of the goal mix's windows, accessories 5-25, no 1-5 rep
    // sets on unloaded bodyweight or band work, rest by role and goal (mains: >= 120 s up to 6 reps,
    // >= 30 s for endurance sets, else >= 90 s; accessories 30-180 s), RPE >= 9 only on loadable lifts.
    rep.applies[6] = true;
    for (int w : loading) {
        int rows = 0, good = 0;
        std::vector<std::string> bad_rows;
        for (auto [s, r] : week_rows(w)) {
            if (!is_work(*r)) continue;
            const Mv& m = M(r->movement);
            if (is_power(m)) continue;  // rule 1 judges power work
            std::string why;
            if (r->rep_max > 0) {
                if (r->role == "main") {
                    bool any = false, fits = false;
                    for (const auto& [g, reps] : main_reps)
                        if (p.goal(g) > 0) {
                            any = true;
                            fits |= r->rep_min >= reps.lo && r->rep_max <= reps.hi;
                        }
                    if (any && !fits) why += " main reps " + std::to_string(r->rep_min) + "-" + std::to_string(r->rep_max);
                } else if (r->rep_min < 5 || r->rep_max > 25) {
                    why += " accessory reps " + std::to_string(r->rep_min) + "-" + std::to_string(r->rep_max);
                }
                if (!loadable(m) && r->rep_min < 6) why += " unloaded reps " + std::to_string(r->rep_min) + "-" + std::to_string(r->rep_max);
            }
            if (!r->superset && !r->circuit) {
                // Heavy sets need full recovery; endurance sets (12+ reps for an endurance goal) short rest.
                bool endurance_set = p.goal("endurance") > 0 && r->rep_min >= 12;
                int main_rest = r->rep_max > 0 && r->rep_max <= 6 ? 120 : endurance_set ? 30 : 90;
                if (r->role == "main" && r->rest < main_rest) why += " main rest " + std::to_string(r->rest);
                if (r->role == "accessory" && (r->rest < 30 || r->rest > 180)) why += " accessory rest " + std::to_string(r->rest);
            }
            if (r->rpe >= 9 && !loadable(m)) why += " RPE " + num(r->rpe) + " on an unloaded movement";
            ++rows;
            if (why.empty()) ++good;
            else bad_rows.push_back(m.name + ":" + why);
        }
        rep.share[6].hit += good;
        rep.share[6].total += rows;
        std::string detail = "rows right " + std::to_string(good) + "/" + std::to_string(rows);
        for (size_t i = 0; i < bad_rows.size() && i < 6; ++i) detail += "; " + bad_rows[i];
        add(6, w, good == rows, rows ? double(good) / rows : 1.0, detail);
    }

    // 7. Continuity: a main slot (n-th main row of the n-th session of the week) keeps its movement
    // across the loading weeks of its block in >= 75% of slots; with logged history its load never
    // drops and the slot progresses (load, reps or rep target) by the block's last loading week.
    {
        bool history = false;
        const bool double_progression = p.progression == "double_progression";
        gainsly::sqlite::Statement q(db.sql(), "SELECT COUNT(*) FROM top_set_logs WHERE user_id = ? AND load_kg IS NOT NULL");
        q.bind(1, static_cast<int64_t>(p.user));
        if (q.executeStep()) history = q.getColumn(0).getInt64() > 0;
        std::vector<std::vector<int>> blocks(1);
        std::vector<int> weeks;
        for (const auto& [w, d] : p.deload) weeks.push_back(w);
        std::sort(weeks.begin(), weeks.end());
        for (int w : weeks) {
            if (p.deload.at(w)) {
                blocks.push_back({});
                continue;
            }
            blocks.back().push_back(w);
        }
        double kept = 0, slots = 0, rising = 0, measured = 0;
        std::string detail;
        for (const auto& block : blocks) {
            if (block.size() < 2) continue;
            // slot -> per loading week (movement, load, rep_min, rep_max)
            struct Cell {
                int64_t movement;
                std::optional<double> load;
                int rep_min, rep_max, target;
            };
            std::map<std::pair<int, int>, std::map<int, Cell>> slot;
            for (int w : block) {
                int session = 0;
                for (const auto& s : p.sessions) {
                    if (s.week != w) continue;
                    int k = 0;
                    for (const auto& r : s.rows)
                        if (r.role == "main") slot[{session, k++}][w] = Cell{r.movement, note_load(r.notes), r.rep_min, r.rep_max, note_rep_target(r.notes)};
                    ++session;
                }
            }
            for (const auto& [key, cells] : slot) {
                slots += 1;
                bool same = cells.size() == block.size();
                for (const auto& [w, c] : cells) same &= c.movement == cells.begin()->second.movement;
                if (!same) continue;
                kept += 1;
                if (!history) continue;
                bool all_loads = true;
                for (const auto& [w, c] : cells) all_loads &= c.load.has_value();
                if (!all_loads) continue;
                measured += 1;
                // Every loading week progresses on the week before: a heavier load, or (double
                // progression only: the load stays while the rep target climbs) more reps. Every
                // other style raises the load itself across the block.
                // Paused variations cover some patterns; the others follow double progression.
                const bool by_reps = double_progression || (p.progression == "paused_variations" && cells.begin()->second.target > 0);
                bool never_down = true, every_week = true;
                const Cell* prev = nullptr;
                for (const auto& [w, c] : cells) {
                    if (prev && *c.load < *prev->load - 1e-9) never_down = false;
                    if (prev && !(*c.load > *prev->load + 1e-9 ||
                                  (by_reps && (c.target > prev->target || c.rep_min > prev->rep_min || c.rep_max > prev->rep_max))))
                        every_week = false;
                    prev = &c;
                }
                const Cell& first = cells.begin()->second;
                const Cell& last = cells.rbegin()->second;
                bool load_rose = *last.load > *first.load + 1e-9;
                if (never_down && every_week && (by_reps || load_rose)) rising += 1;
                else detail += "; " + M(first.movement).name + " loads " + num(*first.load) + " -> " + num(*last.load) + (never_down && !every_week ? " (a week without progress)" : "");
            }
        }
        rep.applies[7] = slots > 0;
        rep.share[7] = {kept, slots};
        if (rep.applies[7]) {
            double share = kept / slots;
            add(7, 0, share >= 0.75 && rising == measured, share,
                "main slots kept " + num(kept) + "/" + num(slots) + ", progressing loads " + num(rising) + "/" + num(measured) + detail);
        }
    }

    // 8. Deload: a deload week's working sets are 35-75% of the week before.
    auto week_sets = [&](int w) {
        double n = 0;
        for (auto [s, r] : week_rows(w))
            if (is_work(*r)) n += r->sets;
        return n;
    };
    for (const auto& [w, d] : p.deload) {
        if (!d || !p.deload.count(w - 1) || p.deload.at(w - 1)) continue;
        double before = week_sets(w - 1), now = week_sets(w);
        if (before <= 0) continue;
        rep.applies[8] = true;
        double ratio = now / before;
        bool ok = ratio >= 0.35 - 1e-9 && ratio <= 0.75 + 1e-9;
        rep.share[8].hit += ok;
        rep.share[8].total += 1;
        add(8, w, ok, ratio, "deload sets " + num(now) + " / week before " + num(before));
    }
    return rep;
}

}  // namespace plan_check
