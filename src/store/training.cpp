#include "store/training.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include "math/e1rm.hpp"
#include "math/params.hpp"
#include "math/rpe.hpp"
#include "model/error.hpp"
#include "model/time.hpp"

namespace gainsly::store::training {
namespace {

using json = nlohmann::json;
using model::format_date;

// ---- small helpers --------------------------------------------------------------------------

std::string num(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    json j = v;
    return j.dump();
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

Date today() { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }

void require_range(const std::string& field, double v, double lo, double hi) {
    if (!std::isfinite(v)) invalid(field + ": must be a finite number, got " + num(v));
    if (v < lo || v > hi) invalid(field + ": must be between " + num(lo) + " and " + num(hi) + ", got " + num(v));
}

void require_int_range(const std::string& field, long long v, long long lo, long long hi) {
    if (v < lo || v > hi)
        invalid(field + ": must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + std::to_string(v));
}

// rpe <= 0 means "not given"; NaN and values above 10 are errors.
void require_rpe(const std::string& field, double rpe) {
    if (!std::isfinite(rpe)) invalid(field + ": must be a finite number, got " + num(rpe));
    if (rpe > 0 && (rpe < 1 || rpe > 10)) invalid(field + ": must be between 1 and 10 (or <= 0 for not given), got " + num(rpe));
}

Date parse_date_field(const std::string& field, const json& v) {
    if (!v.is_string()) invalid(field + ": expected a date string YYYY-MM-DD");
    auto d = model::parse_date(v.get<std::string>());
    if (!d) invalid(field + ": '" + v.get<std::string>() + "' is not a valid date (YYYY-MM-DD)");
    return *d;
}

int64_t get_id(const std::string& field, const json& v) {
    if (!v.is_number_integer()) invalid(field + ": expected an integer id");
    return v.get<int64_t>();
}

double get_number(const std::string& field, const json& v) {
    if (!v.is_number()) invalid(field + ": expected a number");
    return v.get<double>();
}

const json& require_object(const std::string& what, const json& doc) {
    if (!doc.is_object()) invalid(what + ": expected a JSON object");
    return doc;
}

const json& require_key(const std::string& what, const json& doc, const char* key) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) invalid(what + "." + key + ": is required");
    return *it;
}

std::optional<double> column_double(SQLite::Statement& q, int i) {
    if (q.getColumn(i).isNull()) return std::nullopt;
    return q.getColumn(i).getDouble();
}

std::optional<std::string> column_text(SQLite::Statement& q, int i) {
    if (q.getColumn(i).isNull()) return std::nullopt;
    return q.getColumn(i).getString();
}

// A typed row of `table` from (column, JSON value) pairs, validated by to_sql.
Row make_row(const model::Table& t, std::initializer_list<std::pair<const char*, json>> values) {
    Row row;
    for (const auto& [name, value] : values) {
        const model::Column* c = t.find(name);
        if (!c) throw Error(Status::internal, t.name + "." + name + ": unknown column");
        row.emplace_back(c, to_sql(t, *c, value));
    }
    return row;
}

json opt_json(const std::optional<double>& v) { return v ? json(round2(*v)) : json(); }

// ---- per-call context -----------------------------------------------------------------------

struct User {
    int64_t id = 0;
    int persona_aggression = kDefaultAggression;
    math::Formula formula = math::Formula::epley;
    bool use_metric = true;
};

struct Context {
    Database& db;
    math::Params params;
    User user;
    int lookback_days = 0;  // training older than this has decayed below kNegligibleDecay
};

User load_user(Database& db, int64_t user_id, const math::Params& p) {
    auto& q = db.prepare(
        "SELECT u.persona_aggression, s.active_e1rm_formula, s.use_metric FROM users u "
        "LEFT JOIN user_settings s ON s.user_id = u.id WHERE u.id = ?");
    q.bind(1, static_cast<int64_t>(user_id));
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "user_id: no users row with id " + std::to_string(user_id));
    }
    User u;
    u.id = user_id;
    if (!q.getColumn(0).isNull()) u.persona_aggression = q.getColumn(0).getInt();
    std::string formula = q.getColumn(1).isNull() ? p.e1rm.default_formula : q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) u.use_metric = q.getColumn(2).getInt() != 0;
    q.tryReset();  // before anything can throw: a statement left on a row holds its read snapshot
    u.formula = math::parse_formula(formula);
    return u;
}

// math::load_params over the heuristic_configs rows it reads. Same parsing as catalog::heuristics,
// but only those keys: parsing every heuristic (the planner's large JSON values too) would cost
// more than the rest of a one-set log.
math::Params load_math_params(Database& db) {
    static const std::string sql = [] {
        std::string in;
        for (const auto& key : math::param_keys()) in += (in.empty() ? "'" : ", '") + key + "'";  // [a-z0-9_.] only
        return "SELECT key, value, data_type FROM heuristic_configs WHERE is_active = 1 AND key IN (" + in + ")";
    }();
    math::Heuristics h;
    auto& q = db.prepare(sql);
    while (q.executeStep()) {
        std::string key = q.getColumn(0).getString(), value = q.getColumn(1).getString(), type = q.getColumn(2).getString();
        if (type == "string") {
            h[key] = value;
            continue;
        }
        json parsed = json::parse(value, nullptr, false);
        if (parsed.is_discarded()) {
            q.tryReset();
            throw Error(Status::invalid, "heuristic_configs." + key + ": value is not valid JSON for data_type " + type);
        }
        h[key] = std::move(parsed);
    }
    q.tryReset();
    return math::load_params(h);
}

Context make_context(Database& db, int64_t user_id) {
    Context ctx{db, load_math_params(db), {}, 0};
    ctx.user = load_user(db, user_id, ctx.params);
    const auto& fp = ctx.params.fatigue;
    double tau = std::max({fp.default_tau_hours, fp.systemic_tau_hours, ctx.params.cns.tau_hours});
    for (const auto& [muscle, t] : fp.tau_hours) tau = std::max(tau, t);
    ctx.lookback_days = int(std::ceil(tau * -std::log(kNegligibleDecay) / 24.0));
    return ctx;
}

// ---- the log of a date range ----------------------------------------------------------------

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
};

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

Log load_log(Context& ctx, Date first, Date last) {
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

DayState compute_day(const Context& ctx, const Log& log, Date day) {
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

std::optional<int64_t> find_id(Database& db, const std::string& sql, int64_t user_id, const std::string& date) {
    auto& q = db.prepare(sql);
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, date);
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

// Writes the day's user_fatigue_state row and the computed columns of its recovery_signals row.
// Rows whose values would not change are left alone, so a recompute does not churn updated_at and
// the sync outbox.
void write_day(Context& ctx, Log& log, const DayState& st) {
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

void recompute(Context& ctx, Date from, Date to) {
    if (to < from) return;
    Log log = load_log(ctx, from, to);
    for (Date d = from; d <= to; d += std::chrono::days(1)) write_day(ctx, log, compute_day(ctx, log, d));
}

// The affected days of a write on `day`: day .. max(day, latest state).
void recompute_from(Context& ctx, Date day) {
    auto latest = latest_state_day(ctx.db, ctx.user.id);
    recompute(ctx, day, latest && *latest > day ? *latest : day);
}

DayState read_day(Context& ctx, Date day) {
    Log log = load_log(ctx, day, day);
    return compute_day(ctx, log, day);
}

// ---- sets -----------------------------------------------------------------------------------

void validate_set(const SetInput& s, const std::string& prefix, const math::Params& p) {
    if (s.set_number < 0) invalid(prefix + "set_number: must be >= 1 (or 0 for the next number), got " + std::to_string(s.set_number));
    require_int_range(prefix + "reps", s.reps, 1, p.e1rm.max_reps);
    if (s.load_kg) require_range(prefix + "load_kg", *s.load_kg, 0.0, 100000.0);
    require_rpe(prefix + "rpe", s.rpe);
    if (s.velocity) require_range(prefix + "velocity", *s.velocity, 0.0, 100.0);
}

SetInput parse_set(const json& j, const std::string& prefix) {
    if (!j.is_object()) invalid(prefix.substr(0, prefix.size() - 1) + ": expected a JSON object");
    SetInput s;
    bool has_movement = false, has_reps = false;
    for (const auto& [key, v] : j.items()) {
        const std::string field = prefix + key;
        if (key == "movement_id") {
            s.movement_id = get_id(field, v);
            has_movement = true;
        } else if (key == "reps") {
            if (!v.is_number_integer()) invalid(field + ": expected an integer");
            auto r = v.get<int64_t>();
            require_int_range(field, r, 1, 1000);  // the exact bound follows in validate_set
            s.reps = int(r);
            has_reps = true;
        } else if (key == "set_number") {
            if (v.is_null()) continue;
            if (!v.is_number_integer()) invalid(field + ": expected an integer");
            auto n = v.get<int64_t>();
            require_int_range(field, n, 0, 10000);
            s.set_number = int(n);
        } else if (key == "load_kg") {
            if (!v.is_null()) s.load_kg = get_number(field, v);
        } else if (key == "rpe") {
            if (!v.is_null()) s.rpe = get_number(field, v);
            if (!v.is_null() && s.rpe <= 0) invalid(field + ": must be between 1 and 10 (null for not given), got " + num(s.rpe));
        } else if (key == "velocity") {
            if (!v.is_null()) s.velocity = get_number(field, v);
        } else if (key == "notes") {
            if (v.is_null()) continue;
            if (!v.is_string()) invalid(field + ": expected a string");
            s.notes = v.get<std::string>();
        } else {
            invalid(field + ": unknown field (expected movement_id, reps, load_kg, rpe, set_number, velocity, notes)");
        }
    }
    if (!has_movement) invalid(prefix + "movement_id: is required");
    if (!has_reps) invalid(prefix + "reps: is required");
    return s;
}

struct Workout {
    int64_t id = 0;
    std::optional<int64_t> session_id;
    Date date;
};

// The date a workout's sets are placed on (see the header), from its row.
Workout load_workout(Database& db, int64_t user_id, int64_t workout_log_id) {
    auto& q = db.prepare(
        "SELECT w.user_id, w.session_id, COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) "
        "FROM workout_logs w LEFT JOIN sessions s ON s.id = w.session_id WHERE w.id = ?");
    q.bind(1, static_cast<int64_t>(workout_log_id));
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "workout_log_id: no workout_logs row with id " + std::to_string(workout_log_id));
    }
    Workout w;
    w.id = workout_log_id;
    bool mine = !q.getColumn(0).isNull() && q.getColumn(0).getInt64() == user_id;
    if (!q.getColumn(1).isNull()) w.session_id = q.getColumn(1).getInt64();
    auto d = model::parse_date(q.getColumn(2).getString());
    q.tryReset();
    if (!mine) invalid("workout_log_id: workout " + std::to_string(workout_log_id) + " belongs to another user");
    w.date = d ? *d : today();
    return w;
}

int next_set_number(Database& db, const Workout& w, int64_t movement_id) {
    auto& q = db.prepare(
        "SELECT COALESCE(MAX(set_number), 0) FROM top_set_logs WHERE movement_id = ?1 AND "
        "(workout_log_id = ?2 OR (?3 IS NOT NULL AND session_id = ?3))");
    q.bind(1, static_cast<int64_t>(movement_id));
    q.bind(2, static_cast<int64_t>(w.id));
    if (w.session_id) q.bind(3, static_cast<int64_t>(*w.session_id));
    else q.bind(3);
    q.executeStep();
    int n = q.getColumn(0).getInt() + 1;
    q.tryReset();
    return n;
}

// Inserts one validated set into the workout; returns it with its e1RM.
LoggedSet insert_set(Context& ctx, const Workout& w, const SetInput& s) {
    Database& db = ctx.db;
    const model::Table& t = db.schema().table("top_set_logs");
    LoggedSet out;
    out.movement_id = s.movement_id;
    if (s.set_number > 0) {
        // The schema's UNIQUE (session_id, movement_id, set_number) misses workouts without a
        // session; a repeated number is most likely a double submit, so refuse it everywhere.
        auto& q = db.prepare("SELECT 1 FROM top_set_logs WHERE workout_log_id = ? AND movement_id = ? AND set_number = ?");
        q.bind(1, static_cast<int64_t>(w.id));
        q.bind(2, static_cast<int64_t>(s.movement_id));
        q.bind(3, s.set_number);
        bool taken = q.executeStep();
        q.tryReset();
        if (taken)
            throw Error(Status::constraint, "set_number: set " + std::to_string(s.set_number) + " of movement " +
                                                std::to_string(s.movement_id) + " is already logged in workout " + std::to_string(w.id));
    }
    out.set_number = s.set_number > 0 ? s.set_number : next_set_number(db, w, s.movement_id);
    out.reps = s.reps;
    out.load_kg = s.load_kg;
    out.rpe = s.rpe > 0 ? s.rpe : 0.0;
    out.date = w.date;
    Row row = make_row(t, {{"user_id", ctx.user.id},
                           {"workout_log_id", w.id},
                           {"session_id", w.session_id ? json(*w.session_id) : json()},
                           {"movement_id", s.movement_id},
                           {"set_number", out.set_number},
                           {"reps", s.reps},
                           {"load_kg", s.load_kg ? json(*s.load_kg) : json()},
                           {"rpe", s.rpe > 0 ? json(s.rpe) : json()},
                           {"velocity", s.velocity ? json(*s.velocity) : json()},
                           {"notes", s.notes ? json(*s.notes) : json()}});
    out.id = db.insert(t, std::move(row));
    if (s.load_kg) out.e1rm = math::e1rm(ctx.user.formula, *s.load_kg, s.reps, s.rpe, ctx.params.e1rm);
    return out;
}

json set_json(const LoggedSet& s) {
    return {{"id", s.id},
            {"movement_id", s.movement_id},
            {"set_number", s.set_number},
            {"reps", s.reps},
            {"load_kg", s.load_kg ? json(*s.load_kg) : json()},
            {"rpe", s.rpe > 0 ? json(s.rpe) : json()},
            {"e1rm", opt_json(s.e1rm)}};
}

// Runs body with a prefix on the message of any Error it throws ("sets[2]: ...").
template <class Body>
auto with_prefix(const std::string& prefix, Body&& body) {
    try {
        return body();
    } catch (const Error& e) {
        if (std::string_view(e.what()).rfind(prefix, 0) == 0) throw;
        throw Error(e.status(), prefix + ": " + e.what());
    }
}

void require_user_exists(Database& db, int64_t user_id) {
    if (!db.exists(db.schema().table("users"), user_id))
        throw Error(Status::not_found, "user_id: no users row with id " + std::to_string(user_id));
}

// ---- pattern_exposure -----------------------------------------------------------------------

struct Exposure {
    int64_t id = 0;  // 0: no row yet
    int count = 0;
    std::string last;  // "" = NULL
    int consecutive = 0;
    bool operator==(const Exposure& o) const { return count == o.count && last == o.last && consecutive == o.consecutive; }
};

std::map<std::string, Exposure> load_exposure(Database& db, int64_t user_id) {
    auto& q = db.prepare(
        "SELECT id, pattern_type, exposure_count, last_exposure_date, consecutive_exposures FROM pattern_exposure "
        "WHERE user_id = ? AND pattern_type IS NOT NULL");
    q.bind(1, static_cast<int64_t>(user_id));
    std::map<std::string, Exposure> out;
    while (q.executeStep())
        out[q.getColumn(1).getString()] = {q.getColumn(0).getInt64(), q.getColumn(2).getInt(), column_text(q, 3).value_or(""),
                                           q.getColumn(4).getInt()};
    q.tryReset();
    return out;
}

void write_exposure(Database& db, int64_t user_id, const std::string& pattern, const Exposure& e) {
    const model::Table& t = db.schema().table("pattern_exposure");
    Row row = make_row(t, {{"exposure_count", e.count},
                           {"last_exposure_date", e.last.empty() ? json() : json(e.last)},
                           {"consecutive_exposures", e.consecutive}});
    if (e.id) {
        db.update(t, e.id, std::move(row));
    } else {
        Row key = make_row(t, {{"user_id", user_id}, {"pattern_type", pattern}});
        row.insert(row.end(), key.begin(), key.end());
        db.insert(t, std::move(row));
    }
}

std::set<std::string> workout_patterns(Database& db, int64_t workout_id) {
    auto& q = db.prepare(
        "SELECT DISTINCT m.pattern FROM top_set_logs t JOIN movements m ON m.id = t.movement_id "
        "WHERE t.workout_log_id = ? AND m.pattern IS NOT NULL");
    q.bind(1, static_cast<int64_t>(workout_id));
    std::set<std::string> out;
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    q.tryReset();
    return out;
}

// True when `w` is the user's newest unit (no other workout with a patterned set sorts after it)
// and every workout is dated, so the stored runs can be extended instead of rebuilt.
bool is_newest_unit(Database& db, int64_t user_id, int64_t workout_id, const std::string& date) {
    auto& q = db.prepare(R"(
SELECT 1 FROM workout_logs x WHERE x.user_id = ?1 AND x.id <> ?2
  AND (x.workout_date IS NULL OR x.workout_date > ?3 OR (x.workout_date = ?3 AND x.id > ?2))
  AND EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
              WHERE t.workout_log_id = x.id AND m.pattern IS NOT NULL)
LIMIT 1)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(workout_id));
    q.bind(3, date);
    bool later = q.executeStep();
    q.tryReset();
    return !later;
}

// How many units in a row before workout `w` (newest first) trained `pattern`.
int run_before(Database& db, int64_t user_id, int64_t workout_id, const std::string& date, const std::string& pattern) {
    auto& q = db.prepare(R"(
SELECT EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
               WHERE t.workout_log_id = x.id AND m.pattern IS NOT NULL),
       EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
               WHERE t.workout_log_id = x.id AND m.pattern = ?4)
FROM workout_logs x WHERE x.user_id = ?1 AND (x.workout_date < ?3 OR (x.workout_date = ?3 AND x.id < ?2))
ORDER BY x.workout_date DESC, x.id DESC)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(workout_id));
    q.bind(3, date);
    q.bind(4, pattern);
    int run = 0;
    while (q.executeStep()) {
        if (!q.getColumn(0).getInt()) continue;  // not a unit: trained no pattern
        if (!q.getColumn(1).getInt()) break;
        ++run;
    }
    q.tryReset();
    return run;
}

// After sets were added to workout `w` (which trained `before` until then): the common case, `w`
// being the newest unit, extends the stored rows; anything else (a backfill) rebuilds them.
void update_exposure(Database& db, int64_t user_id, const Workout& w, const std::set<std::string>& before) {
    const auto after = workout_patterns(db, w.id);
    std::vector<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
    if (added.empty()) return;  // the workout already counted for each of its patterns
    const std::string date = format_date(w.date);
    if (!is_newest_unit(db, user_id, w.id, date)) return refresh_pattern_exposure(db, user_id);
    auto rows = load_exposure(db, user_id);
    if (before.empty()) {  // a new newest unit: each run goes on or breaks
        for (auto& [pattern, e] : rows)
            if (!after.count(pattern) && e.consecutive != 0) {
                e.consecutive = 0;
                write_exposure(db, user_id, pattern, e);
            }
    }
    for (const auto& pattern : added) {
        Exposure e = rows.count(pattern) ? rows[pattern] : Exposure{};
        ++e.count;
        e.last = std::max(e.last, date);
        e.consecutive = 1 + (before.empty() ? e.consecutive : run_before(db, user_id, w.id, date, pattern));
        write_exposure(db, user_id, pattern, e);
    }
}

}  // namespace

// ---- public ---------------------------------------------------------------------------------

void refresh_pattern_exposure(Database& db, int64_t user_id) {
    auto& q = db.prepare(R"(
SELECT w.id, COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) AS d, m.pattern
FROM workout_logs w
LEFT JOIN sessions s ON s.id = w.session_id
JOIN top_set_logs t ON t.workout_log_id = w.id
JOIN movements m ON m.id = t.movement_id
WHERE w.user_id = ?1 AND m.pattern IS NOT NULL
GROUP BY w.id, m.pattern)");
    q.bind(1, static_cast<int64_t>(user_id));
    struct Unit {
        std::string date;
        int64_t id = 0;
        std::set<std::string> patterns;
    };
    std::map<int64_t, Unit> units;
    while (q.executeStep()) {
        Unit& u = units[q.getColumn(0).getInt64()];
        u.id = q.getColumn(0).getInt64();
        u.date = q.getColumn(1).getString();
        u.patterns.insert(q.getColumn(2).getString());
    }
    q.tryReset();
    std::vector<const Unit*> order;  // newest first
    for (const auto& [id, u] : units) order.push_back(&u);
    std::sort(order.begin(), order.end(), [](const Unit* a, const Unit* b) { return a->date != b->date ? a->date > b->date : a->id > b->id; });
    std::map<std::string, Exposure> by_pattern;
    for (const Unit* u : order)
        for (const auto& p : u->patterns) {
            auto& e = by_pattern[p];
            ++e.count;
            if (e.last.empty()) e.last = u->date;  // newest first: the first seen is the latest
        }
    for (auto& [pattern, e] : by_pattern)
        for (const Unit* u : order) {
            if (!u->patterns.count(pattern)) break;
            ++e.consecutive;
        }
    auto rows = load_exposure(db, user_id);
    for (auto& [pattern, row] : rows)
        if (!by_pattern.count(pattern)) by_pattern[pattern] = Exposure{row.id, 0, "", 0};  // no logged set trains it any more
    for (auto& [pattern, e] : by_pattern) {
        if (auto it = rows.find(pattern); it != rows.end()) e.id = it->second.id;
        if (rows.count(pattern) && rows[pattern] == e) continue;
        write_exposure(db, user_id, pattern, e);
    }
}

json log_workout(Database& db, const json& workout) {
    require_object("workout", workout);
    const int64_t user_id = get_id("user_id", require_key("workout", workout, "user_id"));
    Context ctx = make_context(db, user_id);
    const model::Table& wt = db.schema().table("workout_logs");

    std::vector<SetInput> sets;
    Row row;
    std::optional<Date> date;
    std::optional<int64_t> session_id;
    for (const auto& [key, v] : workout.items()) {
        if (key == "sets") {
            if (!v.is_array()) invalid("sets: expected an array");
            for (size_t i = 0; i < v.size(); ++i) {
                const std::string prefix = "sets[" + std::to_string(i) + "].";
                sets.push_back(parse_set(v[i], prefix));
                validate_set(sets.back(), prefix, ctx.params);
            }
            continue;
        }
        const model::Column* c = wt.find(key);
        if (!c || key == "id" || key == "created_at" || key == "updated_at")
            invalid("workout_logs." + key + ": " + (c ? "set by the library" : "unknown column"));
        SqlValue value = to_sql(wt, *c, v);
        if (std::holds_alternative<int64_t>(value)) {
            int64_t n = std::get<int64_t>(value);
            if (key == "duration_seconds" && n < 0) invalid("workout_logs.duration_seconds: must be >= 0, got " + std::to_string(n));
            if (key == "perceived_effort" || key == "mood_before" || key == "mood_after") require_int_range("workout_logs." + key, n, 1, 10);
            if (key == "session_id") session_id = n;
        }
        if (key == "workout_date" && !v.is_null()) date = model::parse_date(v.get<std::string>());
        if (key != "workout_date") row.emplace_back(c, std::move(value));
    }
    if (session_id) {  // the session must be the user's; it also dates an undated workout
        auto& q = db.prepare("SELECT user_id, date FROM sessions WHERE id = ?");
        q.bind(1, static_cast<int64_t>(*session_id));
        if (!q.executeStep()) {
            q.tryReset();
            throw Error(Status::not_found, "workout_logs.session_id: no sessions row with id " + std::to_string(*session_id));
        }
        bool mine = !q.getColumn(0).isNull() && q.getColumn(0).getInt64() == user_id;
        auto session_date = q.getColumn(1).isNull() ? std::nullopt : model::parse_date(q.getColumn(1).getString());
        q.tryReset();
        if (!mine) invalid("workout_logs.session_id: session " + std::to_string(*session_id) + " belongs to another user");
        if (!date) date = session_date;
    }
    if (!date) date = today();
    row.emplace_back(wt.find("workout_date"), format_date(*date));

    Savepoint sp(db);
    Workout w;
    w.id = db.insert(wt, std::move(row));
    w.session_id = session_id;
    w.date = *date;
    json report_sets = json::array();
    for (size_t i = 0; i < sets.size(); ++i) {
        LoggedSet logged = with_prefix("sets[" + std::to_string(i) + "]", [&] { return insert_set(ctx, w, sets[i]); });
        report_sets.push_back(set_json(logged));
    }
    update_exposure(db, user_id, w, {});
    const auto patterns = workout_patterns(db, w.id);
    auto latest = latest_state_day(db, user_id);
    const Date to = latest && *latest > w.date ? *latest : w.date;
    recompute(ctx, w.date, to);
    json report = {{"workout_log_id", w.id},
                   {"workout_date", format_date(w.date)},
                   {"e1rm_formula", std::string(math::formula_name(ctx.user.formula))},
                   {"sets", std::move(report_sets)},
                   {"patterns", patterns},
                   {"recomputed", {{"from", format_date(w.date)}, {"to", format_date(to)}}},
                   {"state", day_state_json(read_day(ctx, w.date))}};
    sp.commit();
    return report;
}

LoggedSet log_set(Database& db, int64_t user_id, int64_t workout_log_id, const SetInput& set) {
    Context ctx = make_context(db, user_id);
    validate_set(set, "", ctx.params);
    Workout w = load_workout(db, user_id, workout_log_id);
    Savepoint sp(db);
    const auto before = workout_patterns(db, w.id);
    LoggedSet out = insert_set(ctx, w, set);
    update_exposure(db, user_id, w, before);
    recompute_from(ctx, w.date);
    sp.commit();
    return out;
}

int64_t log_soreness(Database& db, const json& soreness) {
    require_object("soreness", soreness);
    const int64_t user_id = get_id("soreness_logs.user_id", require_key("soreness_logs", soreness, "user_id"));
    const Date day = parse_date_field("soreness_logs.log_date", require_key("soreness_logs", soreness, "log_date"));
    const json& severity = require_key("soreness_logs", soreness, "severity");
    if (!severity.is_number_integer()) invalid("soreness_logs.severity: expected an integer 1..10");
    require_int_range("soreness_logs.severity", severity.get<int64_t>(), 1, 10);
    for (const auto& [key, v] : soreness.items())
        if (key != "user_id" && key != "log_date" && key != "severity" && key != "body_part" && key != "notes" && key != "uid")
            invalid("soreness_logs." + key + ": not accepted here (expected user_id, log_date, severity, body_part, notes)");
    Context ctx = make_context(db, user_id);
    Savepoint sp(db);
    int64_t id = db.insert("soreness_logs", soreness);
    recompute(ctx, day, day);
    sp.commit();
    return id;
}

int64_t log_recovery(Database& db, const json& signals) {
    require_object("recovery_signals", signals);
    const int64_t user_id = get_id("recovery_signals.user_id", require_key("recovery_signals", signals, "user_id"));
    const Date day = parse_date_field("recovery_signals.signal_date", require_key("recovery_signals", signals, "signal_date"));
    const model::Table& t = db.schema().table("recovery_signals");
    Row changes;
    for (const auto& [key, v] : signals.items()) {
        const std::string field = "recovery_signals." + key;
        if (key == "user_id" || key == "signal_date") continue;
        if (key == "sleep_quality_score") {
            double x = v.is_null() ? 0.0 : get_number(field, v);  // null: back to "not recorded"
            require_range(field, x, 0.0, 100.0);
            changes.emplace_back(t.find(key), x);
        } else if (key == "hrv_score" || key == "resting_heart_rate") {
            if (!v.is_null()) {
                double x = get_number(field, v);
                if (key == "hrv_score") require_range(field, x, 0.0, 1000.0);
                else if (!(x > 0 && x < 250)) invalid(field + ": must be above 0 and below 250, got " + num(x));
            }
            changes.emplace_back(t.find(key), to_sql(t, *t.find(key), v));
        } else if (key == "source" || key == "notes") {
            changes.emplace_back(t.find(key), to_sql(t, *t.find(key), v));
        } else {
            invalid(field + ": " + (t.has(key) ? "computed by the library" : "unknown column") +
                    " (expected user_id, signal_date, sleep_quality_score, hrv_score, resting_heart_rate, source, notes)");
        }
    }
    Context ctx = make_context(db, user_id);
    Savepoint sp(db);
    const std::string date = format_date(day);
    auto id = find_id(db, "SELECT id FROM recovery_signals WHERE user_id = ? AND signal_date = ? ORDER BY id LIMIT 1", user_id, date);
    if (id) {
        db.update(t, *id, std::move(changes));
    } else {
        Row key = make_row(t, {{"user_id", user_id}, {"signal_date", date}});
        changes.insert(changes.end(), key.begin(), key.end());
        id = db.insert(t, std::move(changes));
    }
    // Today's HRV and resting HR enter the baselines of the next baseline_days days.
    auto latest = latest_state_day(db, user_id);
    Date to = std::min(day + std::chrono::days(ctx.params.readiness.baseline_days), latest ? *latest : day);
    recompute(ctx, day, std::max(day, to));
    sp.commit();
    return *id;
}

int64_t log_biometrics(Database& db, const json& biometrics) {
    require_object("user_biometrics_history", biometrics);
    const int64_t user_id = get_id("user_biometrics_history.user_id", require_key("user_biometrics_history", biometrics, "user_id"));
    parse_date_field("user_biometrics_history.measurement_date", require_key("user_biometrics_history", biometrics, "measurement_date"));
    // The schema's CHECKs, reported as invalid input naming the field instead of a constraint failure.
    const std::pair<const char*, std::pair<double, double>> ranges[] = {
        {"weight_kg", {1e-9, 1000}}, {"body_fat_percentage", {0, 100}}, {"lean_mass_kg", {0, 1000}}, {"fat_mass_kg", {0, 1000}},
        {"waist_cm", {1e-9, 1000}},  {"chest_cm", {1e-9, 1000}},       {"hips_cm", {1e-9, 1000}}};
    for (const auto& [key, range] : ranges) {
        auto it = biometrics.find(key);
        if (it == biometrics.end() || it->is_null()) continue;
        const std::string field = std::string("user_biometrics_history.") + key;
        double x = get_number(field, *it);
        if (range.first > 0 && !(x > 0)) invalid(field + ": must be above 0, got " + num(x));
        require_range(field, x, range.first > 0 ? 0.0 : range.first, range.second);
    }
    require_user_exists(db, user_id);
    Savepoint sp(db);
    int64_t id = db.insert("user_biometrics_history", biometrics);
    sp.commit();
    return id;
}

DayState day_state(Database& db, int64_t user_id, Date date) {
    Savepoint sp(db);  // one snapshot (and one lock) for every read below
    Context ctx = make_context(db, user_id);
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
                {"resting_hr", r.resting_hr_modifier}}}}}};
}

double prescribed_load(Database& db, int64_t user_id, double e1rm, int reps, double rpe) {
    Context ctx = make_context(db, user_id);
    return math::load_for_units(e1rm, reps, rpe, ctx.user.use_metric, ctx.params.rpe);
}

void recompute_days(Database& db, int64_t user_id, Date from, Date to) {
    if (to < from) invalid("to: must not be before from");
    Context ctx = make_context(db, user_id);
    Savepoint sp(db);
    recompute(ctx, from, to);
    sp.commit();
}

}  // namespace gainsly::store::training
