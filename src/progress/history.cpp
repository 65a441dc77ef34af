#include "progress/history.hpp"

#include <algorithm>
#include <cmath>

#include "math/load.hpp"
#include "model/error.hpp"
#include "store/heuristics.hpp"

namespace gainsly::progress {
namespace {

std::optional<double> real(sqlite::Statement& q, int i) {
    if (q.getColumn(i).isNull()) return std::nullopt;
    return q.getColumn(i).getDouble();
}

Date date_of(sqlite::Statement& q, int i) {
    auto d = model::parse_date(q.getColumn(i).getString());
    if (!d) throw Error(Status::corrupt, "a stored date is not YYYY-MM-DD: '" + q.getColumn(i).getString() + "'");
    return *d;
}

// The goal with the highest weight of the user's latest program started on or before as_of.
std::string dominant_goal(Database& db, int64_t user_id, Date as_of) {
    auto& q = db.prepare(
        "SELECT goal_1, goal_weight_1, goal_2, goal_weight_2, goal_3, goal_weight_3 FROM programs "
        "WHERE user_id = ? AND (start_date IS NULL OR start_date <= ?) ORDER BY start_date DESC, id DESC LIMIT 1");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, model::format_date(as_of));
    std::string goal;
    int best = 0;
    if (q.executeStep())
        for (int i = 0; i < 6; i += 2)
            if (!q.getColumn(i).isNull() && !q.getColumn(i + 1).isNull() && q.getColumn(i + 1).getInt() > best) {
                best = q.getColumn(i + 1).getInt();
                goal = q.getColumn(i).getString();
            }
    q.tryReset();
    return goal;
}

}  // namespace

sqlite::Statement& prepare_range(Database& db, const std::string& sql, int64_t user_id, Date first, Date last) {
    auto& q = db.prepare(sql);
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, model::format_date(first));
    q.bind(3, model::format_date(last));
    return q;
}

Date week_start_of(Date d) {
    std::chrono::weekday wd{d};
    return d - std::chrono::days{(wd.c_encoding() + 6) % 7};
}

int days_between(Date a, Date b) { return int((b - a).count()); }

double round2(double v) { return std::round(v * 100.0) / 100.0; }

json opt_round(const std::optional<double>& v) { return v ? json(round2(*v)) : json(); }

User load_user(Database& db, int64_t user_id) {
    static const std::vector<std::string> keys = math::param_keys();
    User u;
    u.params = math::load_params(store::read_heuristics(db, keys));
    auto& q = db.prepare(
        "SELECT u.persona_tone, s.active_e1rm_formula, p.long_term_goal_category FROM users u "
        "LEFT JOIN user_settings s ON s.user_id = u.id LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ?");
    q.bind(1, static_cast<int64_t>(user_id));
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "user_id: no users row with id " + std::to_string(user_id));
    }
    u.id = user_id;
    if (!q.getColumn(0).isNull()) u.tone = q.getColumn(0).getString();
    std::string formula = q.getColumn(1).isNull() ? u.params.e1rm.default_formula : q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) u.long_term_category = q.getColumn(2).getString();
    q.tryReset();
    u.formula = math::parse_formula(formula);
    return u;
}

std::vector<SetRow> load_sets(Database& db, const User& u, Date from, Date to) {
    auto& q = prepare_range(db,
        "SELECT * FROM (SELECT t.id, t.movement_id, m.name, m.pattern, t.reps, t.load_kg, t.rpe, "
        "COALESCE(w.workout_date, s.date, substr(t.created_at, 1, 10)) AS d FROM top_set_logs t "
        "JOIN movements m ON m.id = t.movement_id LEFT JOIN workout_logs w ON w.id = t.workout_log_id "
        "LEFT JOIN sessions s ON s.id = COALESCE(t.session_id, w.session_id) "
        "WHERE t.user_id = ? AND (t.set_type IS NULL OR t.set_type <> 'warmup')) "
        "WHERE d >= ? AND d <= ? ORDER BY d, id", u.id, from, to);
    std::vector<SetRow> out;
    while (q.executeStep()) {
        SetRow s;
        s.id = q.getColumn(0).getInt64();
        s.movement_id = q.getColumn(1).getInt64();
        s.movement = q.getColumn(2).getString();
        s.pattern = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
        s.reps = q.getColumn(4).isNull() ? 0 : q.getColumn(4).getInt();
        s.load = real(q, 5);
        s.rpe = real(q, 6).value_or(0.0);
        s.date = date_of(q, 7);
        out.push_back(std::move(s));
    }
    q.tryReset();
    for (auto& s : out)
        if (s.load && *s.load >= 0 && s.reps >= 1 && s.reps <= u.params.e1rm.max_reps)
            s.e1rm = math::e1rm(u.formula, *s.load, s.reps, s.rpe, u.params.e1rm);
    return out;
}

int64_t find_movement(Database& db, const std::string& name_or_uid, const std::string& field) {
    auto& q = db.prepare("SELECT id FROM movements WHERE name = ?1 OR uid = ?1 LIMIT 1");
    q.bind(1, name_or_uid);
    int64_t id = q.executeStep() ? q.getColumn(0).getInt64() : 0;
    q.tryReset();
    if (!id) throw Error(Status::not_found, field + ": no movement named '" + name_or_uid + "'");
    return id;
}

VolumeRules load_volume_rules(Database& db, int64_t user_id, Date as_of) {
    static const std::vector<std::string> keys = {"volume.groups", "volume.windows", "plan.coach"};
    auto h = store::read_heuristics(db, keys);
    VolumeRules r;
    double secondary = 0.5;
    if (auto c = h.find("plan.coach"); c != h.end() && c->second.is_object() && c->second.contains("secondary_set") &&
                                        c->second["secondary_set"].is_number())
        secondary = c->second["secondary_set"].get<double>();
    std::map<std::string, std::vector<std::string>> group_muscles;
    if (auto g = h.find("volume.groups"); g != h.end() && g->second.is_object())
        for (const auto& [group, muscles] : g->second.items()) {
            r.groups.push_back(group);
            if (muscles.is_array())
                for (const auto& m : muscles)
                    if (m.is_string()) group_muscles[group].push_back(m.get<std::string>());
        }
    r.window_goal = dominant_goal(db, user_id, as_of);
    const json* windows = nullptr;
    if (auto w = h.find("volume.windows"); w != h.end() && w->second.is_object()) {
        if (!w->second.contains(r.window_goal)) r.window_goal = "hypertrophy";
        if (w->second.contains(r.window_goal)) windows = &w->second[r.window_goal];
    }
    if (windows && windows->is_object())
        for (const auto& [group, lohi] : windows->items())
            if (lohi.is_array() && lohi.size() == 2 && lohi[0].is_number() && lohi[1].is_number())
                r.windows[group] = {lohi[0].get<double>(), lohi[1].get<double>()};
    // muscle -> (movement, credit): the primary muscle of the movement counts 1, the map's roles otherwise.
    std::map<std::string, std::vector<std::string>> groups_of_muscle;
    for (const auto& [group, muscles] : group_muscles)
        for (const auto& m : muscles) groups_of_muscle[m].push_back(group);
    auto give = [&](int64_t movement, const std::string& muscle, double credit) {
        auto it = groups_of_muscle.find(muscle);
        if (it == groups_of_muscle.end()) return;
        for (const auto& g : it->second) {
            double& c = r.credit[movement][g];
            c = std::max(c, credit);
        }
    };
    auto& q = db.prepare(
        "SELECT mm.movement_id, mu.name, mm.role FROM movement_muscle_map mm JOIN muscles mu ON mu.id = mm.muscle_id "
        "UNION ALL SELECT id, primary_muscle, 'primary' FROM movements WHERE primary_muscle IS NOT NULL");
    while (q.executeStep()) {
        std::string role = q.getColumn(2).isNull() ? "secondary" : q.getColumn(2).getString();
        give(q.getColumn(0).getInt64(), q.getColumn(1).getString(), role == "primary" ? 1.0 : role == "stabilizer" ? 0.0 : secondary);
    }
    q.tryReset();
    return r;
}

json week_volume(const VolumeRules& rules, const std::vector<SetRow>& sets, Date week_start) {
    std::map<std::string, std::pair<double, double>> totals;  // group -> (sets, tonnage)
    for (const auto& g : rules.groups) totals[g] = {0.0, 0.0};
    const Date end = week_start + std::chrono::days{7};
    for (const auto& s : sets) {
        if (s.date < week_start || s.date >= end) continue;
        auto it = rules.credit.find(s.movement_id);
        if (it == rules.credit.end()) continue;
        for (const auto& [group, credit] : it->second) {
            if (credit <= 0) continue;
            totals[group].first += credit;
            if (credit >= 1.0 && s.load) totals[group].second += *s.load * s.reps;
        }
    }
    json out = json::object();
    for (const auto& [group, t] : totals) {
        json g = {{"sets", round2(t.first)}, {"tonnage", round2(t.second)}, {"window", nullptr}, {"status", nullptr}};
        if (auto w = rules.windows.find(group); w != rules.windows.end()) {
            g["window"] = {w->second.first, w->second.second};
            g["status"] = t.first < w->second.first ? "below" : t.first > w->second.second ? "above" : "within";
        }
        out[group] = g;
    }
    return out;
}

std::vector<double> daily_loads(Database& db, int64_t user_id, Date first, Date last) {
    std::vector<math::DatedLoad> loads;
    {
        auto& q = prepare_range(db,
            "SELECT COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) AS d, w.perceived_effort, w.duration_seconds, "
            "(SELECT count(*) FROM top_set_logs t WHERE t.workout_log_id = w.id), "
            "(SELECT avg(t.rpe) FROM top_set_logs t WHERE t.workout_log_id = w.id AND t.rpe IS NOT NULL) "
            "FROM workout_logs w LEFT JOIN sessions s ON s.id = w.session_id WHERE w.user_id = ? AND d >= ? AND d <= ?", user_id, first, last);
        while (q.executeStep()) {
            auto effort = real(q, 1);
            auto seconds = real(q, 2);
            double minutes = seconds ? *seconds / 60.0 : kMinutesPerSet * q.getColumn(3).getDouble();
            double rpe = effort ? *effort : real(q, 4).value_or(kDefaultEffort);
            loads.push_back({date_of(q, 0), math::session_rpe_load(std::clamp(rpe, 1.0, 10.0), std::min(minutes, 1440.0))});
        }
        q.tryReset();
    }
    {
        auto& q = prepare_range(db,
            "SELECT COALESCE(s.date, substr(a.completed_at, 1, 10)) AS d, a.actual_intensity, a.actual_duration_seconds "
            "FROM activity_instances a JOIN sessions s ON s.id = a.session_id "
            "WHERE s.user_id = ? AND a.completed = 1 AND d >= ? AND d <= ?", user_id, first, last);
        while (q.executeStep()) {
            double minutes = real(q, 2).value_or(0.0) / 60.0;
            double rpe = real(q, 1).value_or(kDefaultEffort);
            if (minutes > 0 && rpe >= 1) loads.push_back({date_of(q, 0), math::session_rpe_load(std::min(rpe, 10.0), std::min(minutes, 1440.0))});
        }
        q.tryReset();
    }
    return math::daily_load_series(loads, first, last);
}

std::vector<std::pair<Date, double>> biometrics(Database& db, int64_t user_id, const std::string& column, Date to) {
    static const std::vector<std::string> allowed = {"weight_kg", "body_fat_percentage", "lean_mass_kg"};
    if (std::find(allowed.begin(), allowed.end(), column) == allowed.end()) throw Error(Status::internal, "biometrics: " + column);
    auto& q = db.prepare("SELECT measurement_date, " + column + " FROM user_biometrics_history WHERE user_id = ? AND " + column +
                         " IS NOT NULL AND measurement_date IS NOT NULL AND measurement_date <= ? ORDER BY measurement_date, id");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, model::format_date(to));
    std::vector<std::pair<Date, double>> out;
    while (q.executeStep()) out.emplace_back(date_of(q, 0), q.getColumn(1).getDouble());
    q.tryReset();
    return out;
}

std::vector<double> activity_minutes(Database& db, int64_t user_id, Date first, Date last) {
    std::vector<math::DatedLoad> minutes;
    auto& q = prepare_range(db,
        "SELECT COALESCE(s.date, substr(a.completed_at, 1, 10)) AS d, a.actual_duration_seconds FROM activity_instances a "
        "JOIN sessions s ON s.id = a.session_id WHERE s.user_id = ? AND a.completed = 1 AND d >= ? AND d <= ?", user_id, first, last);
    while (q.executeStep()) minutes.push_back({date_of(q, 0), real(q, 1).value_or(0.0) / 60.0});
    q.tryReset();
    return math::daily_load_series(minutes, first, last);
}

WeekSessions week_sessions(Database& db, int64_t user_id, Date week_start) {
    WeekSessions w;
    const Date end = week_start + std::chrono::days{6};
    auto& q = prepare_range(db,
        "SELECT count(*), count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM workout_logs w WHERE w.session_id = s.id) THEN s.id END) "
        "FROM sessions s WHERE s.user_id = ?1 AND s.program_id IS NOT NULL AND s.date >= ?2 AND s.date <= ?3", user_id, week_start, end);
    if (q.executeStep()) {
        w.planned = q.getColumn(0).getInt();
        w.done = q.getColumn(1).getInt();
    }
    q.tryReset();
    auto& u = prepare_range(db,
        "SELECT count(*) FROM workout_logs w LEFT JOIN sessions s ON s.id = w.session_id WHERE w.user_id = ?1 "
        "AND COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) BETWEEN ?2 AND ?3 "
        "AND (s.id IS NULL OR s.date IS NULL OR s.date < ?2 OR s.date > ?3)", user_id, week_start, end);
    if (u.executeStep()) w.unplanned = u.getColumn(0).getInt();
    u.tryReset();
    return w;
}

json week_prs(Database& db, int64_t user_id, Date week_start) {
    auto& q = prepare_range(db,
        "SELECT p.id, p.movement_id, m.name, p.record_type, p.value, p.reps, p.load_kg, p.previous_value, p.achieved_date "
        "FROM personal_records p JOIN movements m ON m.id = p.movement_id "
        "WHERE p.user_id = ? AND p.achieved_date >= ? AND p.achieved_date <= ? ORDER BY p.achieved_date, p.id",
        user_id, week_start, week_start + std::chrono::days{6});
    json out = json::array();
    while (q.executeStep())
        out.push_back({{"id", q.getColumn(0).getInt64()}, {"movement_id", q.getColumn(1).getInt64()}, {"movement", q.getColumn(2).getString()},
                       {"record_type", q.getColumn(3).getString()}, {"value", round2(q.getColumn(4).getDouble())},
                       {"reps", q.getColumn(5).isNull() ? json() : json(q.getColumn(5).getInt())}, {"load_kg", opt_round(real(q, 6))},
                       {"previous_value", opt_round(real(q, 7))}, {"date", q.getColumn(8).getString()}});
    q.tryReset();
    return out;
}

}  // namespace gainsly::progress
