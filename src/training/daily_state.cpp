#include "training/daily_state.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include "model/error.hpp"

namespace gainsly::training {
namespace {

using model::format_date;

struct Signals {
    int64_t id = 0;
    std::optional<double> sleep, hrv, resting_hr;
    json computed;  // the stored computed columns, to skip writes that would change nothing
};

// Everything the daily state of [first, last] needs, loaded once.
struct Log {
    std::vector<math::FatigueSet> sets;      // sorted by date
    std::vector<math::CnsExercise> exercises;  // sorted by date
    std::map<Date, Signals> signals;         // the day's recovery_signals row (lowest id)
    std::map<Date, std::vector<int>> soreness;
    std::vector<Activity> activities;        // sorted by date
};

// The user's completed activities dated within [?2, ?3] (see training.hpp), duplicates left out.
constexpr const char* kActivitiesSql = R"(
SELECT a.id, COALESCE(s.date, substr(a.completed_at, 1, 10)) AS d, ad.name, ad.enjoyable_activity,
       COALESCE(a.actual_duration_seconds, ad.default_duration_seconds), COALESCE(a.actual_intensity, ad.default_intensity),
       ad.stress_points, a.activity_definition_id
FROM activity_instances a LEFT JOIN sessions s ON s.id = a.session_id
LEFT JOIN activity_definitions ad ON ad.id = a.activity_definition_id
WHERE a.completed = 1 AND d BETWEEN ?2 AND ?3
  AND (s.user_id = ?1 OR (a.session_id IS NULL AND EXISTS (SELECT 1 FROM external_activity_records e
                                                           WHERE e.processed_to_instance_id = a.id AND e.user_id = ?1)))
  AND NOT EXISTS (SELECT 1 FROM activity_instance_links l WHERE l.source_activity_instance_id = a.id AND l.link_type = 'substitution')
ORDER BY d, a.id)";

// The muscles of each activity: its own activity_muscle_map rows, else its definition's.
std::vector<math::MuscleShare> activity_muscles(Database& db, int64_t instance_id, std::optional<int64_t> definition_id) {
    std::vector<math::MuscleShare> out;
    auto& q = db.prepare("SELECT mu.name, am.magnitude FROM activity_muscle_map am JOIN muscles mu ON mu.id = am.muscle_id "
                         "WHERE am.activity_instance_id = ? ORDER BY am.id");
    q.bind(1, static_cast<int64_t>(instance_id));
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getDouble()});
    q.tryReset();
    if (!out.empty() || !definition_id) return out;
    auto& d = db.prepare("SELECT mu.name, dm.magnitude FROM activity_definition_muscle_map dm JOIN muscles mu ON mu.id = dm.muscle_id "
                         "WHERE dm.activity_definition_id = ? ORDER BY dm.id");
    d.bind(1, static_cast<int64_t>(*definition_id));
    while (d.executeStep()) out.push_back({d.getColumn(0).getString(), d.getColumn(1).getDouble()});
    d.tryReset();
    return out;
}

// Adds the activities of [from, to] to the log: as Activity rows and as fatigue set equivalents.
void load_activities(CallContext& ctx, Log& log, const std::string& from, const std::string& to) {
    struct Raw {
        Activity a;
        std::optional<double> stress;
        std::optional<int64_t> definition;
    };
    std::vector<Raw> raw;
    auto& q = ctx.db.prepare(kActivitiesSql);
    q.bind(1, static_cast<int64_t>(ctx.user.id));
    q.bind(2, from);
    q.bind(3, to);
    while (q.executeStep()) {
        auto d = model::parse_date(q.getColumn(1).getString());
        if (!d) continue;
        Raw r;
        r.a.id = q.getColumn(0).getInt64();
        r.a.date = *d;
        r.a.name = column_text(q, 2).value_or("activity");
        r.a.enjoyable = column_text(q, 3);
        r.a.minutes = std::clamp(column_double(q, 4).value_or(0.0) / 60.0, 0.0, 1440.0);
        r.a.intensity = column_double(q, 5);
        r.stress = column_double(q, 6);
        if (!q.getColumn(7).isNull()) r.definition = q.getColumn(7).getInt64();
        r.a.set_equivalents = r.a.minutes / ctx.activity_minutes_per_set;
        raw.push_back(std::move(r));
    }
    q.tryReset();
    for (auto& r : raw) {
        // Intensity 0..10 read as an RPE (below 1: the effort floor of an easy set).
        double rpe = r.a.intensity ? std::clamp(*r.a.intensity, 1.0, 10.0) : 0.0;
        if (r.a.set_equivalents > 0)
            log.sets.push_back({r.a.date, rpe, activity_muscles(ctx.db, r.a.id, r.definition), std::clamp(r.stress.value_or(1.0), 0.0, 5.0),
                                r.a.set_equivalents});
        log.activities.push_back(std::move(r.a));
    }
    std::stable_sort(log.sets.begin(), log.sets.end(), [](const math::FatigueSet& a, const math::FatigueSet& b) { return a.date < b.date; });
}

// The sets of the user dated within [?2, ?3] (dates as in the header), in three branches so each
// is driven by an index: dated workouts, undated workouts, sets without a workout. The unary `+`
// keeps SQLite from scanning the user's whole history through the user_id index instead.
constexpr const char* kSetsSql = R"(
WITH t AS (
  SELECT ts.id, ts.movement_id, ts.rpe, ts.workout_log_id, COALESCE(ts.session_id, w.session_id) AS sid,
         w.workout_date AS d
  FROM workout_logs w JOIN top_set_logs ts ON ts.workout_log_id = w.id
  WHERE w.user_id = ?1 AND w.workout_date BETWEEN ?2 AND ?3 AND +ts.user_id = ?1
  UNION ALL
  SELECT ts.id, ts.movement_id, ts.rpe, ts.workout_log_id, COALESCE(ts.session_id, w.session_id),
         COALESCE(s.date, substr(w.created_at, 1, 10))
  FROM workout_logs w JOIN top_set_logs ts ON ts.workout_log_id = w.id
  LEFT JOIN sessions s ON s.id = w.session_id
  WHERE w.user_id = ?1 AND w.workout_date IS NULL AND +ts.user_id = ?1
    AND COALESCE(s.date, substr(w.created_at, 1, 10)) BETWEEN ?2 AND ?3
  UNION ALL
  SELECT ts.id, ts.movement_id, ts.rpe, NULL, ts.session_id, COALESCE(s.date, substr(ts.created_at, 1, 10))
  FROM top_set_logs ts LEFT JOIN sessions s ON s.id = ts.session_id
  WHERE ts.workout_log_id IS NULL AND +ts.user_id = ?1
    AND COALESCE(s.date, substr(ts.created_at, 1, 10)) BETWEEN ?2 AND ?3)
SELECT t.id, t.movement_id, t.rpe, t.workout_log_id, t.d, m.fatigue_factor, m.cns_load,
  (SELECT se.role FROM session_exercises se WHERE se.session_id = t.sid AND se.movement_id = t.movement_id
   ORDER BY se.order_in_session, se.id LIMIT 1),
  (SELECT mc.deload_week FROM sessions s2 JOIN microcycles mc ON mc.id = s2.microcycle_id WHERE s2.id = t.sid)
FROM t JOIN movements m ON m.id = t.movement_id
ORDER BY t.d, t.id)";

// The muscle maps of the given movements, in one query (the ids travel as a JSON array).
std::unordered_map<int64_t, std::vector<math::MuscleShare>> muscle_maps(Database& db, const std::set<int64_t>& movement_ids) {
    std::unordered_map<int64_t, std::vector<math::MuscleShare>> out;
    if (movement_ids.empty()) return out;
    auto& q = db.prepare(
        "SELECT mm.movement_id, mu.name, mm.magnitude FROM movement_muscle_map mm JOIN muscles mu ON mu.id = mm.muscle_id "
        "WHERE mm.movement_id IN (SELECT value FROM json_each(?)) ORDER BY mm.movement_id, mm.id");
    q.bind(1, json(movement_ids).dump());
    while (q.executeStep()) out[q.getColumn(0).getInt64()].push_back({q.getColumn(1).getString(), q.getColumn(2).getDouble()});
    q.tryReset();
    return out;
}

Log load_log(CallContext& ctx, Date first, Date last) {
    Log log;
    Database& db = ctx.db;
    const std::string from_sets = format_date(first - std::chrono::days(ctx.lookback_days)), to = format_date(last);
    {
        std::set<std::tuple<Date, int64_t, int64_t>> seen;  // one CNS exercise per (day, workout, movement)
        auto& q = db.prepare(kSetsSql);
        q.bind(1, static_cast<int64_t>(ctx.user.id));
        q.bind(2, from_sets);
        q.bind(3, to);
        struct Raw {
            int64_t movement_id, workout;
            double rpe;
            Date date;
            std::optional<double> fatigue_factor;
            std::string cns_load, role;
        };
        std::vector<Raw> raw;
        while (q.executeStep()) {
            auto d = model::parse_date(q.getColumn(4).getString());
            if (!d) continue;  // a malformed created_at cannot place the set on a day
            Raw r;
            r.movement_id = q.getColumn(1).getInt64();
            r.rpe = q.getColumn(2).isNull() ? 0.0 : q.getColumn(2).getDouble();
            r.workout = q.getColumn(3).isNull() ? 0 : q.getColumn(3).getInt64();
            r.date = *d;
            r.fatigue_factor = column_double(q, 5);
            r.cns_load = column_text(q, 6).value_or(std::string(kDefaultCnsLoad));
            bool deload = !q.getColumn(8).isNull() && q.getColumn(8).getInt() != 0;
            r.role = deload ? "deload" : column_text(q, 7).value_or(std::string(kDefaultRole));
            raw.push_back(std::move(r));
        }
        q.tryReset();
        std::set<int64_t> movement_ids;
        for (const auto& r : raw) movement_ids.insert(r.movement_id);
        auto muscles = muscle_maps(db, movement_ids);
        log.sets.reserve(raw.size());
        for (const auto& r : raw) {
            log.sets.push_back({r.date, r.rpe, muscles[r.movement_id], r.fatigue_factor});
            if (seen.emplace(r.date, r.workout, r.movement_id).second)
                log.exercises.push_back({r.date, math::parse_cns_load(r.cns_load), math::parse_exercise_role(r.role)});
        }
    }
    load_activities(ctx, log, from_sets, to);
    {
        auto& q = db.prepare(
            "SELECT id, signal_date, sleep_quality_score, hrv_score, resting_heart_rate, overall_recovery_score, "
            "muscle_recovery_json, soreness_score, readiness_score FROM recovery_signals "
            "WHERE user_id = ? AND signal_date BETWEEN ? AND ? ORDER BY signal_date, id");
        q.bind(1, static_cast<int64_t>(ctx.user.id));
        q.bind(2, format_date(first - std::chrono::days(ctx.params.readiness.baseline_days)));
        q.bind(3, to);
        while (q.executeStep()) {
            auto d = model::parse_date(q.getColumn(1).getString());
            if (!d || log.signals.count(*d)) continue;
            Signals s;
            s.id = q.getColumn(0).getInt64();
            // 0 is the column default: not recorded (see the header).
            if (auto v = column_double(q, 2); v && *v > 0) s.sleep = *v;
            if (auto v = column_double(q, 3); v && *v > 0) s.hrv = *v;
            if (auto v = column_double(q, 4); v && *v > 0) s.resting_hr = *v;
            s.computed = {q.getColumn(5).getDouble(), json::parse(q.getColumn(6).getString(), nullptr, false), q.getColumn(7).getDouble(),
                          q.getColumn(8).getDouble()};
            log.signals.emplace(*d, std::move(s));
        }
        q.tryReset();
    }
    {
        auto& q = db.prepare(
            "SELECT log_date, severity FROM soreness_logs WHERE user_id = ? AND log_date BETWEEN ? AND ? AND severity IS NOT NULL");
        q.bind(1, static_cast<int64_t>(ctx.user.id));
        q.bind(2, format_date(first));
        q.bind(3, to);
        while (q.executeStep())
            if (auto d = model::parse_date(q.getColumn(0).getString())) log.soreness[*d].push_back(q.getColumn(1).getInt());
        q.tryReset();
    }
    return log;
}

// Elements of a date-sorted vector dated within [from, to].
template <class T>
std::span<const T> dated(const std::vector<T>& v, Date from, Date to) {
    auto lo = std::lower_bound(v.begin(), v.end(), from, [](const T& x, Date d) { return x.date < d; });
    auto hi = std::upper_bound(v.begin(), v.end(), to, [](Date d, const T& x) { return d < x.date; });
    return {lo, hi};
}

DayState compute_day(const CallContext& ctx, const Log& log, Date day) {
    DayState st;
    st.user_id = ctx.user.id;
    st.date = day;
    st.persona_aggression = ctx.user.persona_aggression;
    const Date from = day - std::chrono::days(ctx.lookback_days);
    st.fatigue = math::fatigue_state(dated(log.sets, from, day), dated(log.exercises, from, day), day, ctx.user.persona_aggression,
                                     ctx.params.fatigue, ctx.params.cns);
    auto& in = st.readiness_input;
    if (auto it = log.signals.find(day); it != log.signals.end()) {
        in.sleep_quality = it->second.sleep;
        in.hrv = it->second.hrv;
        in.resting_hr = it->second.resting_hr;
    }
    if (auto it = log.soreness.find(day); it != log.soreness.end()) in.soreness = math::soreness_score(it->second);
    math::ReadinessInput with_history = in;
    for (int back = ctx.params.readiness.baseline_days; back >= 1; --back) {
        auto it = log.signals.find(day - std::chrono::days(back));
        with_history.hrv_history.push_back(it == log.signals.end() ? std::nullopt : it->second.hrv);
        with_history.resting_hr_history.push_back(it == log.signals.end() ? std::nullopt : it->second.resting_hr);
    }
    st.readiness = math::readiness(with_history, ctx.params.readiness);
    for (const auto& a : dated(log.activities, day - std::chrono::days(6), day)) st.activities.push_back(a);
    return st;
}

json rounded_map(const std::map<std::string, double>& m) {
    json out = json::object();
    for (const auto& [k, v] : m) out[k] = round2(v);
    return out;
}

// 100 - fatigue from the rounded fatigue, so the two stored numbers always add up to 100.
double complement(double fatigue) { return round2(100.0 - round2(fatigue)); }

json recovery_map(const std::map<std::string, double>& fatigue) {
    json out = json::object();
    for (const auto& [k, v] : fatigue) out[k] = complement(v);
    return out;
}


// Writes the day's user_fatigue_state row and the computed columns of its recovery_signals row.
// Rows whose values would not change are left alone, so a recompute does not churn updated_at and
// the sync outbox.
void write_day(CallContext& ctx, Log& log, const DayState& st) {
    Database& db = ctx.db;
    const auto& schema = db.schema();
    const std::string date = format_date(st.date);
    const auto& fs = st.fatigue;

    const model::Table& ufs = schema.table("user_fatigue_state");
    const json state = {rounded_map(fs.muscle_fatigue), round2(fs.systemic), round2(fs.cns), complement(fs.systemic)};
    auto& q = db.prepare(
        "SELECT id, muscle_fatigue_json, systemic_fatigue, cns_fatigue, recovery_score FROM user_fatigue_state WHERE user_id = ? AND date = ?");
    q.bind(1, static_cast<int64_t>(ctx.user.id));
    q.bind(2, date);
    std::optional<int64_t> state_id;
    json stored;
    if (q.executeStep()) {
        state_id = q.getColumn(0).getInt64();
        stored = {json::parse(q.getColumn(1).getString(), nullptr, false), q.getColumn(2).getDouble(), q.getColumn(3).getDouble(),
                  q.getColumn(4).getDouble()};
    }
    q.tryReset();
    if (!state_id || stored != state) {
        Row row = make_row(ufs, {{"muscle_fatigue_json", state[0]}, {"systemic_fatigue", state[1]}, {"cns_fatigue", state[2]},
                                 {"recovery_score", state[3]}});
        if (state_id) {
            db.update(ufs, *state_id, std::move(row));
        } else {
            Row key = make_row(ufs, {{"user_id", ctx.user.id}, {"date", date}});
            row.insert(row.end(), key.begin(), key.end());
            db.insert(ufs, std::move(row));
        }
    }

    const model::Table& rs = schema.table("recovery_signals");
    const json computed = {complement(fs.systemic), recovery_map(fs.muscle_fatigue), st.readiness_input.soreness.value_or(0.0),
                           round2(st.readiness.score)};
    auto it = log.signals.find(st.date);
    if (it != log.signals.end() && it->second.computed == computed) return;
    Row row = make_row(rs, {{"overall_recovery_score", computed[0]},
                            {"muscle_recovery_json", computed[1]},
                            {"soreness_score", computed[2]},
                            {"readiness_score", computed[3]}});
    if (it != log.signals.end()) {
        db.update(rs, it->second.id, std::move(row));
        it->second.computed = computed;
    } else {
        Row key = make_row(rs, {{"user_id", ctx.user.id}, {"signal_date", date}});
        row.insert(row.end(), key.begin(), key.end());
        Signals s;
        s.id = db.insert(rs, std::move(row));
        s.computed = computed;
        log.signals.emplace(st.date, std::move(s));
    }
}


}  // namespace

// The latest day with a state of the user, if any.
std::optional<Date> latest_state_day(Database& db, int64_t user_id) {
    auto& q = db.prepare(
        "SELECT MAX(d) FROM (SELECT MAX(date) AS d FROM user_fatigue_state WHERE user_id = ?1 "
        "UNION ALL SELECT MAX(signal_date) FROM recovery_signals WHERE user_id = ?1)");
    q.bind(1, static_cast<int64_t>(user_id));
    std::optional<Date> out;
    if (q.executeStep() && !q.getColumn(0).isNull()) out = model::parse_date(q.getColumn(0).getString());
    q.tryReset();
    return out;
}

void recompute(CallContext& ctx, Date from, Date to) {
    if (to < from) return;
    Log log = load_log(ctx, from, to);
    for (Date d = from; d <= to; d += std::chrono::days(1)) write_day(ctx, log, compute_day(ctx, log, d));
}

// The affected days of a write on `day`: day .. max(day, latest state).
void recompute_from(CallContext& ctx, Date day) {
    auto latest = latest_state_day(ctx.db, ctx.user.id);
    recompute(ctx, day, latest && *latest > day ? *latest : day);
}

DayState read_day(CallContext& ctx, Date day) {
    Log log = load_log(ctx, day, day);
    return compute_day(ctx, log, day);
}

DayState day_state(Database& db, int64_t user_id, Date date) {
    Savepoint sp(db);  // one snapshot (and one lock) for every read below
    CallContext ctx = make_context(db, user_id);
    DayState st = read_day(ctx, date);
    sp.commit();
    return st;
}

json day_state_json(const DayState& st) {
    const auto& f = st.fatigue;
    const auto& r = st.readiness;
    const auto& in = st.readiness_input;
    return {{"user_id", st.user_id},
            {"date", format_date(st.date)},
            {"muscle_fatigue", rounded_map(f.muscle_fatigue)},
            {"muscle_recovery", recovery_map(f.muscle_fatigue)},
            {"systemic_fatigue", round2(f.systemic)},
            {"recovery_score", complement(f.systemic)},
            {"cns",
             {{"fatigue", round2(f.cns)},
              {"persona_aggression", st.persona_aggression},
              {"today",
               {{"total", round2(f.cns_today.total)},
                {"budget", round2(f.cns_today.budget)},
                {"remaining", round2(f.cns_today.remaining)},
                {"within", f.cns_today.within}}}}},
            {"readiness",
             {{"score", round2(r.score)},
              {"signals_used", r.signals_used},
              {"sleep_quality_score", opt_json(in.sleep_quality)},
              {"soreness_score", opt_json(in.soreness)},
              {"hrv_score", opt_json(in.hrv)},
              {"resting_heart_rate", opt_json(in.resting_hr)},
              {"hrv_baseline", opt_json(r.hrv_baseline)},
              {"resting_hr_baseline", opt_json(r.resting_hr_baseline)},
              {"modifiers",
               {{"sleep", r.sleep_modifier},
                {"soreness", r.soreness_modifier},
                {"hrv", r.hrv_modifier},
                {"resting_hr", r.resting_hr_modifier}}}}},
            {"activities", [&] {
                 json out = json::array();
                 for (const auto& a : st.activities)
                     out.push_back({{"id", a.id}, {"date", format_date(a.date)}, {"name", a.name}, {"activity", a.enjoyable ? json(*a.enjoyable) : json()},
                                    {"minutes", round2(a.minutes)}, {"intensity", opt_json(a.intensity)}, {"set_equivalents", round2(a.set_equivalents)}});
                 return out;
             }()}};
}

void recompute_days(Database& db, int64_t user_id, Date from, Date to) {
    if (to < from) invalid("to: must not be before from");
    CallContext ctx = make_context(db, user_id);
    Savepoint sp(db);
    recompute(ctx, from, to);
    sp.commit();
}

}  // namespace gainsly::training
