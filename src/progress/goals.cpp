// Goals: the metric each goal is measured by, its current value, trend and projected date, and the
// weekly goal_checkins rows. The metric of a program_goals row follows its goal_type and unit:
//   strength      e1RM of the movement named in unit as "kg:<movement name or uid>" (higher is better)
//   fat_loss      body fat % when unit is "%", else body weight (kg), 7-day smoothed (lower is better)
//   hypertrophy   lean mass (kg), 7-day smoothed (higher)
//   endurance     minutes of completed activities in the last 7 days (higher)
//   mobility, explosiveness, speed   sessions completed in the last 7 days (higher)
// The long-term goal (user_profiles.long_term_goal_category): body_composition = body weight
// (lower when the target is below the current value), strength_1rm = e1RM of long_term_movement,
// endurance_event = activity minutes, habit_consistency = sessions (target: the week's planned
// sessions unless one is set), skill_acquisition has no metric.
#include <algorithm>
#include <cmath>
#include <map>

#include "math/trend.hpp"
#include "model/error.hpp"
#include "progress/history.hpp"

namespace gainsly::progress {
namespace {

using std::chrono::days;

constexpr int kTrendDays = 84;         // the trend of a goal: the last 12 weeks
constexpr int kCurrentE1rmDays = 28;   // a strength goal's current value: the best e1RM of 4 weeks
constexpr int kSmoothDays = 7;         // body measurements: the mean of the 7 days up to the latest
constexpr int kMaxProjectionDays = 5 * 366;  // further than this: "not at this rate"

struct Goal {
    std::string key;       // "program_goal:<id>" or "long_term" (goal_checkins.notes.key)
    std::optional<int64_t> program_goal_id, program_id;
    std::string goal;      // goal_type or the long-term category
    std::optional<int64_t> goal_id;  // goals row of the check-in
    std::string metric;    // e1rm, weight_kg, body_fat_percentage, lean_mass_kg, activity_minutes, sessions; "" none
    std::string unit;
    std::optional<int64_t> movement_id;
    std::optional<double> target;
    bool lower_is_better = false;
    bool already_achieved = false;
    std::optional<std::string> achieved_at;
    std::optional<double> stored_current;
    std::string reason;    // why there is no metric
};

struct Value {
    std::optional<double> current;
    std::optional<double> slope_per_day;
};

std::optional<int64_t> goal_row(Database& db, const std::string& name) {
    auto& q = db.prepare("SELECT id FROM goals WHERE name = ?");
    q.bind(1, name);
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

std::optional<int64_t> current_program(Database& db, int64_t user_id, Date date) {
    auto& q = db.prepare("SELECT id FROM programs WHERE user_id = ? AND (start_date IS NULL OR start_date <= ?) "
                         "ORDER BY start_date DESC, id DESC LIMIT 1");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, model::format_date(date));
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

void measure_program_goal(Database& db, Goal& g) {
    if (g.goal == "strength") {
        if (g.unit.rfind("kg:", 0) != 0) {
            g.reason = "unit: name the movement as 'kg:<movement name or uid>'";
            return;
        }
        try {
            g.movement_id = find_movement(db, g.unit.substr(3), "unit");
        } catch (const Error& e) {  // one goal naming an unknown movement does not block the others
            if (e.status() != Status::not_found) throw;
            g.reason = e.what();
            return;
        }
        g.metric = "e1rm";
    } else if (g.goal == "fat_loss") {
        g.metric = g.unit == "%" ? "body_fat_percentage" : "weight_kg";
        g.lower_is_better = true;
    } else if (g.goal == "hypertrophy") {
        g.metric = "lean_mass_kg";
    } else if (g.goal == "endurance") {
        g.metric = "activity_minutes";
    } else {
        g.metric = "sessions";
    }
}

std::vector<Goal> program_goals(Database& db, int64_t user_id, Date date) {
    std::vector<Goal> out;
    auto program = current_program(db, user_id, date);
    if (!program) return out;
    auto& q = db.prepare("SELECT id, goal_type, target_value, unit, achieved, achieved_at, current_value FROM program_goals "
                         "WHERE program_id = ? ORDER BY id");
    q.bind(1, static_cast<int64_t>(*program));
    while (q.executeStep()) {
        Goal g;
        g.program_goal_id = q.getColumn(0).getInt64();
        g.key = "program_goal:" + std::to_string(*g.program_goal_id);
        g.program_id = program;
        g.goal = q.getColumn(1).isNull() ? "" : q.getColumn(1).getString();
        if (!q.getColumn(2).isNull()) g.target = q.getColumn(2).getDouble();
        g.unit = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
        g.already_achieved = q.getColumn(4).getInt() != 0;
        if (!q.getColumn(5).isNull()) g.achieved_at = q.getColumn(5).getString();
        if (!q.getColumn(6).isNull()) g.stored_current = q.getColumn(6).getDouble();
        out.push_back(std::move(g));
    }
    q.tryReset();
    for (auto& g : out) {
        if (!g.goal.empty()) g.goal_id = goal_row(db, g.goal);
        measure_program_goal(db, g);
    }
    return out;
}

// The long-term goal's target and movement: the options, else its latest check-in up to `date`.
std::optional<Goal> long_term_goal(Database& db, const User& u, Date date, const json& options) {
    if (u.long_term_category.empty()) return std::nullopt;
    Goal g;
    g.key = "long_term";
    g.goal = u.long_term_category;
    std::string movement;
    {
        auto& q = db.prepare(
            "SELECT target_value, CASE WHEN json_valid(notes) THEN json_extract(notes, '$.movement') END FROM goal_checkins "
            "WHERE user_id = ? AND program_id IS NULL AND checkin_date <= ? "
            "AND CASE WHEN json_valid(notes) THEN json_extract(notes, '$.key') END = 'long_term' "
            "ORDER BY checkin_date DESC, id DESC LIMIT 1");
        q.bind(1, static_cast<int64_t>(u.id));
        q.bind(2, model::format_date(date));
        if (q.executeStep()) {
            if (!q.getColumn(0).isNull()) g.target = q.getColumn(0).getDouble();
            if (!q.getColumn(1).isNull()) movement = q.getColumn(1).getString();
        }
        q.tryReset();
    }
    if (options.contains("long_term_target") && !options["long_term_target"].is_null()) g.target = options["long_term_target"].get<double>();
    if (options.contains("long_term_movement") && !options["long_term_movement"].is_null())
        movement = options["long_term_movement"].get<std::string>();
    static const std::map<std::string, std::string> goal_names = {
        {"body_composition", "fat_loss"}, {"strength_1rm", "strength"}, {"endurance_event", "endurance"}};
    if (auto it = goal_names.find(g.goal); it != goal_names.end()) g.goal_id = goal_row(db, it->second);
    if (g.goal == "body_composition") {
        g.metric = "weight_kg";
    } else if (g.goal == "strength_1rm") {
        if (movement.empty()) {
            g.reason = "long_term_movement: name the movement of a strength_1rm goal";
        } else {
            g.movement_id = find_movement(db, movement, "long_term_movement");
            g.metric = "e1rm";
        }
    } else if (g.goal == "endurance_event") {
        g.metric = "activity_minutes";
    } else if (g.goal == "habit_consistency") {
        g.metric = "sessions";
    } else {
        g.reason = "no measurable metric for " + g.goal;
    }
    return g;
}

std::string unit_of(const std::string& metric) {
    if (metric == "body_fat_percentage") return "%";
    if (metric == "activity_minutes") return "min/week";
    if (metric == "sessions") return "sessions/week";
    return "kg";
}

// Sums over the 7 days ending on each of the last 12 week-ends up to `date`: current = the latest.
Value weekly_sums(const std::vector<double>& per_day, Date first, Date date) {
    Value v;
    std::vector<math::TrendPoint> pts;
    for (int k = 0; k < kTrendDays / 7; ++k) {
        int end = days_between(first, date) - 7 * k;
        if (end - 6 < 0) break;
        double sum = 0.0;
        for (int d = end - 6; d <= end; ++d) sum += per_day[std::size_t(d)];
        pts.push_back({double(-7 * k), sum});
        if (k == 0) v.current = sum;
    }
    if (auto t = math::theil_sen(pts)) v.slope_per_day = t->slope;
    return v;
}

std::vector<double> sessions_per_day(Database& db, int64_t user_id, Date first, Date last) {
    std::vector<double> out(std::size_t(days_between(first, last) + 1), 0.0);
    auto& q = prepare_range(db,
                            "SELECT COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) AS d FROM workout_logs w "
                            "LEFT JOIN sessions s ON s.id = w.session_id WHERE w.user_id = ? AND d >= ? AND d <= ?", user_id, first, last);
    while (q.executeStep())
        if (auto d = model::parse_date(q.getColumn(0).getString())) out[std::size_t(days_between(first, *d))] += 1.0;
    q.tryReset();
    return out;
}

Value evaluate(Database& db, const User& u, const Goal& g, Date date) {
    Value v;
    const Date first = date - days{kTrendDays - 1};
    if (g.metric == "e1rm") {
        std::map<Date, double> best;
        for (const auto& s : load_sets(db, u, first, date))
            if (s.movement_id == *g.movement_id && s.e1rm) best[s.date] = std::max(best[s.date], *s.e1rm);
        std::vector<math::TrendPoint> pts;
        for (const auto& [d, e] : best) {
            pts.push_back({double(days_between(date, d)), e});
            if (days_between(d, date) < kCurrentE1rmDays) v.current = std::max(v.current.value_or(0.0), e);
        }
        if (auto t = math::theil_sen(pts)) v.slope_per_day = t->slope;
    } else if (g.metric == "weight_kg" || g.metric == "body_fat_percentage" || g.metric == "lean_mass_kg") {
        auto all = biometrics(db, u.id, g.metric, date);
        if (all.empty()) return v;
        const Date latest = all.back().first;
        double sum = 0.0;
        int n = 0;
        std::vector<math::TrendPoint> pts;
        for (const auto& [d, x] : all) {
            if (days_between(d, latest) < kSmoothDays) sum += x, ++n;
            if (d >= first) pts.push_back({double(days_between(date, d)), x});
        }
        v.current = sum / n;
        if (auto t = math::theil_sen(pts)) v.slope_per_day = t->slope;
    } else if (g.metric == "activity_minutes") {
        v = weekly_sums(activity_minutes(db, u.id, first, date), first, date);
    } else if (g.metric == "sessions") {
        v = weekly_sums(sessions_per_day(db, u.id, first, date), first, date);
    }
    return v;
}

json evaluate_json(Database& db, const User& u, Goal& g, Date date) {
    json out = {{"key", g.key}, {"goal", g.goal}, {"program_goal_id", g.program_goal_id ? json(*g.program_goal_id) : json()},
                {"program_id", g.program_id ? json(*g.program_id) : json()}, {"metric", g.metric.empty() ? json() : json(g.metric)},
                {"unit", g.metric.empty() ? json() : json(unit_of(g.metric))},
                {"movement_id", g.movement_id ? json(*g.movement_id) : json()}};
    if (g.metric.empty()) {
        out.update({{"current", nullptr}, {"trend_per_week", nullptr}, {"target", opt_round(g.target)}, {"projected_date", nullptr},
                    {"status", "unmeasured"}, {"reason", g.reason}, {"achieved", g.already_achieved},
                    {"achieved_at", g.achieved_at ? json(*g.achieved_at) : json()}});
        return out;
    }
    Value v = evaluate(db, u, g, date);
    if (g.key == "long_term" && g.metric == "weight_kg" && g.target && v.current) g.lower_is_better = *g.target < *v.current;
    if (g.metric == "sessions" && !g.target) {
        auto w = week_sessions(db, u.id, week_start_of(date));
        if (w.planned > 0) g.target = w.planned;
    }
    out["current"] = opt_round(v.current);
    out["trend_per_week"] = v.slope_per_day ? json(round2(*v.slope_per_day * 7.0)) : json();
    out["target"] = opt_round(g.target);
    out["direction"] = g.lower_is_better ? "lower" : "higher";
    out["projected_date"] = nullptr;
    bool reached = v.current && g.target && (g.lower_is_better ? *v.current <= *g.target : *v.current >= *g.target);
    std::string status;
    if (!v.current) status = "no_data";
    else if (reached) status = "achieved";
    else if (!g.target) status = "no_target";
    else if (auto t = v.slope_per_day ? math::time_to_target(*v.current, *v.slope_per_day, *g.target) : std::nullopt;
             t && *t <= kMaxProjectionDays) {
        status = "on_track";
        out["projected_date"] = model::format_date(date + days{int(std::ceil(*t - 1e-9))});
    } else {
        status = "not_at_this_rate";
    }
    out["status"] = status;
    out["achieved"] = g.already_achieved || reached;
    out["achieved_at"] = g.achieved_at ? json(*g.achieved_at) : reached ? json(model::format_date(date)) : json();
    return out;
}

std::vector<Goal> all_goals(Database& db, const User& u, Date date, const json& options) {
    if (!options.is_object()) invalid("options: must be a JSON object");
    for (const auto& [key, value] : options.items()) {
        if (key == "long_term_target") {
            if (!value.is_null() && (!value.is_number() || !std::isfinite(value.get<double>()))) invalid("long_term_target: must be a number");
        } else if (key == "long_term_movement") {
            if (!value.is_null() && !value.is_string()) invalid("long_term_movement: must be a movement name or uid");
            if (value.is_string()) find_movement(db, value.get<std::string>(), "long_term_movement");
        } else {
            invalid("options." + key + ": unknown option (long_term_target, long_term_movement)");
        }
    }
    if (u.long_term_category.empty() && !options.empty())
        invalid(options.begin().key() + ": the user has no long-term goal (user_profiles.long_term_goal_category)");
    std::vector<Goal> goals = program_goals(db, u.id, date);
    if (auto lt = long_term_goal(db, u, date, options)) goals.push_back(std::move(*lt));
    return goals;
}

}  // namespace

json goals(Database& db, int64_t user_id, Date date, const json& options) {
    const User u = load_user(db, user_id);
    json out = json::array();
    for (auto& g : all_goals(db, u, date, options)) out.push_back(evaluate_json(db, u, g, date));
    return out;
}

// Targets for the goals the planner wrote (program_goals with a goal type only). The rates are
// per week of the program; a strength goal's gain follows the lift's own 12-week e1RM trend,
// bounded so a flat or noisy history still asks for a little and a steep one not for a lot.
constexpr double kStrengthRateMin = 0.0025, kStrengthRateMax = 0.015, kStrengthRateDefault = 0.0075;
constexpr double kFatLossRate = 0.005;      // of body weight per week
constexpr double kLeanGainRate = 0.0025;    // of lean mass per week

namespace {

double round_to(double v, double step) { return std::round(v / step) * step; }

// The program's main lift: the movement with the most main-section slots (then the earliest).
std::optional<int64_t> main_lift(Database& db, int64_t program_id) {
    auto& q = db.prepare(
        "SELECT e.movement_id FROM session_exercises e JOIN sessions s ON s.id = e.session_id WHERE s.program_id = ?1 "
        "AND e.session_section = 'main' AND e.movement_id IS NOT NULL GROUP BY e.movement_id ORDER BY count(*) DESC, min(s.date), min(e.id) LIMIT 1");
    q.bind(1, static_cast<int64_t>(program_id));
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

// The long-term body-composition target (its latest check-in), if there is one.
std::optional<double> long_term_weight_target(Database& db, const User& u, Date date) {
    if (u.long_term_category != "body_composition") return std::nullopt;
    auto lt = long_term_goal(db, u, date, json::object());
    return lt ? lt->target : std::nullopt;
}

}  // namespace

json set_program_goal_targets(Database& db, int64_t program_id) {
    auto& p = db.prepare("SELECT user_id, start_date, duration_weeks, (SELECT count(*) FROM sessions WHERE program_id = ?1) FROM programs WHERE id = ?1");
    p.bind(1, static_cast<int64_t>(program_id));
    if (!p.executeStep()) {
        p.tryReset();
        throw Error(Status::not_found, "program_id: no program " + std::to_string(program_id));
    }
    const int64_t user_id = p.getColumn(0).getInt64();
    const auto start = p.getColumn(1).isNull() ? std::nullopt : model::parse_date(p.getColumn(1).getString());
    const int weeks = p.getColumn(2).isNull() ? 0 : p.getColumn(2).getInt();
    const int sessions = p.getColumn(3).getInt();
    p.tryReset();
    const User u = load_user(db, user_id);
    // Measured on the day before the program starts: the history it was planned from.
    const Date date = start ? *start - days{1} : model::today();
    struct Row {
        int64_t id;
        std::string goal;
    };
    std::vector<Row> rows;
    auto& q = db.prepare("SELECT id, goal_type FROM program_goals WHERE program_id = ? AND target_value IS NULL AND goal_type IS NOT NULL ORDER BY id");
    q.bind(1, static_cast<int64_t>(program_id));
    while (q.executeStep()) rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString()});
    q.tryReset();
    store::Savepoint sp(db);
    json out = json::array();
    for (const auto& r : rows) {
        Goal g;
        g.goal = r.goal;
        std::optional<double> target;
        std::string unit;
        if (r.goal == "strength") {
            g.movement_id = main_lift(db, program_id);
            if (!g.movement_id) continue;
            g.metric = "e1rm";
            unit = "kg:" + db.get("movements", *g.movement_id)["uid"].get<std::string>();
        } else {
            g.unit = r.goal == "fat_loss" ? "kg" : "";
            measure_program_goal(db, g);
            unit = unit_of(g.metric);
        }
        const Value v = evaluate(db, u, g, date);
        if (g.metric == "e1rm" && v.current) {
            double rate = kStrengthRateDefault;
            if (v.slope_per_day) rate = std::clamp(*v.slope_per_day * 7.0 / *v.current, kStrengthRateMin, kStrengthRateMax);
            target = round_to(*v.current * (1.0 + rate * std::max(weeks, 1)), 0.5);
        } else if (g.metric == "weight_kg" && v.current) {
            target = round_to(*v.current * (1.0 - kFatLossRate * std::max(weeks, 1)), 0.1);
            if (auto lt = long_term_weight_target(db, u, date); lt && *lt < *v.current) target = std::max(*target, *lt);
        } else if (g.metric == "lean_mass_kg" && v.current) {
            target = round_to(*v.current * (1.0 + kLeanGainRate * std::max(weeks, 1)), 0.1);
        } else if (g.metric == "sessions" && weeks > 0 && sessions > 0) {
            target = round_to(double(sessions) / weeks, 0.5);
        }
        json changes = {{"unit", unit}};
        if (target) changes["target_value"] = *target;
        if (v.current) changes["current_value"] = round2(*v.current);
        db.update("program_goals", r.id, changes);
        out.push_back({{"program_goal_id", r.id}, {"goal", r.goal}, {"metric", g.metric}, {"unit", unit},
                       {"movement_id", g.movement_id ? json(*g.movement_id) : json()}, {"current", opt_round(v.current)},
                       {"target", target ? json(*target) : json()}});
    }
    sp.commit();
    return out;
}

json checkin(Database& db, int64_t user_id, Date date, const json& options) {
    const User u = load_user(db, user_id);
    const Date week = week_start_of(date);
    store::Savepoint sp(db);
    json results = json::array();
    for (auto& g : all_goals(db, u, date, options)) {
        json r = evaluate_json(db, u, g, date);
        if (g.program_goal_id) {
            json changes = json::object();
            if (!r["current"].is_null() && (!g.stored_current || round2(*g.stored_current) != r["current"].get<double>()))
                changes["current_value"] = r["current"];
            if (r["achieved"] == true && !g.already_achieved) {
                changes["achieved"] = true;
                changes["achieved_at"] = model::format_date(date);
            }
            if (!changes.empty()) db.update("program_goals", *g.program_goal_id, changes);
        }
        json notes = {{"key", g.key}, {"goal", g.goal}, {"metric", r["metric"]}, {"trend_per_week", r["trend_per_week"]},
                      {"projected_date", r["projected_date"]}, {"status", r["status"]}};
        if (g.movement_id) notes["movement"] = db.get("movements", *g.movement_id)["uid"];
        json row = {{"user_id", user_id}, {"program_id", g.program_id ? json(*g.program_id) : json()},
                    {"goal_id", g.goal_id ? json(*g.goal_id) : json()}, {"checkin_date", model::format_date(date)},
                    {"current_value", r["current"]}, {"target_value", r["target"]}, {"notes", notes.dump()}};
        auto& q = db.prepare(
            "SELECT id FROM goal_checkins WHERE user_id = ? AND checkin_date >= ? AND checkin_date <= ? "
            "AND CASE WHEN json_valid(notes) THEN json_extract(notes, '$.key') END = ? ORDER BY id LIMIT 1");
        q.bind(1, static_cast<int64_t>(user_id));
        q.bind(2, model::format_date(week));
        q.bind(3, model::format_date(week + days{6}));
        q.bind(4, g.key);
        std::optional<int64_t> existing;
        if (q.executeStep()) existing = q.getColumn(0).getInt64();
        q.tryReset();
        if (existing) {
            json old = db.get("goal_checkins", *existing);
            json changes = json::object();
            for (const auto& [k, v] : row.items())
                if (old[k] != v) changes[k] = v;
            if (!changes.empty()) db.update("goal_checkins", *existing, changes);
            r["checkin_id"] = *existing;
            r["created"] = false;
        } else {
            r["checkin_id"] = db.insert("goal_checkins", row);
            r["created"] = true;
        }
        results.push_back(r);
    }
    sp.commit();
    return {{"user_id", user_id}, {"date", model::format_date(date)}, {"week_start", model::format_date(week)}, {"goals", results}};
}

}  // namespace gainsly::progress
