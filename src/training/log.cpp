#include "training/training.hpp"

#include <algorithm>
#include <string_view>

#include "math/validate.hpp"
#include "model/error.hpp"
#include "training/context.hpp"
#include "training/pattern_exposure.hpp"
#include "training/records.hpp"
#include "training/daily_state.hpp"

namespace gainsly::training {
namespace {

using math::detail::num;
using math::detail::require_int_range;
using math::detail::require_range;
using model::format_date;

// ---- reading the caller's JSON --------------------------------------------------------------

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

std::optional<int64_t> find_id(Database& db, const std::string& sql, int64_t user_id, const std::string& date) {
    auto& q = db.prepare(sql);
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, date);
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}


// ---- sets -----------------------------------------------------------------------------------

void validate_set(const SetInput& s, const std::string& prefix, const math::Params& p) {
    if (s.set_number < 0) invalid(prefix + "set_number: must be >= 1 (or 0 for the next number), got " + std::to_string(s.set_number));
    require_int_range(prefix + "reps", s.reps, 1, p.e1rm.max_reps);
    if (s.load_kg) require_range(prefix + "load_kg", *s.load_kg, 0.0, 100000.0);
    math::detail::require_optional_rpe(prefix + "rpe", s.rpe);
    if (s.velocity) require_range(prefix + "velocity", *s.velocity, 0.0, 100.0);
    if (s.set_type) {
        const model::Enum* e = model::Schema::builtin().find_enum("set_type");
        if (std::find(e->values.begin(), e->values.end(), *s.set_type) == e->values.end())
            invalid(prefix + "set_type: must be one of warmup, working, failure, dropset (null: working), got '" + *s.set_type + "'");
    }
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
        } else if (key == "set_type") {
            if (v.is_null()) continue;
            if (!v.is_string()) invalid(field + ": expected a string (warmup, working, failure, dropset)");
            s.set_type = v.get<std::string>();
        } else {
            invalid(field + ": unknown field (expected movement_id, reps, load_kg, rpe, set_number, velocity, notes, set_type)");
        }
    }
    if (!has_movement) invalid(prefix + "movement_id: is required");
    if (!has_reps) invalid(prefix + "reps: is required");
    return s;
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
LoggedSet insert_set(CallContext& ctx, const Workout& w, const SetInput& s) {
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
    out.set_type = s.set_type;
    Row row = make_row(t, {{"user_id", ctx.user.id},
                           {"workout_log_id", w.id},
                           {"session_id", w.session_id ? json(*w.session_id) : json()},
                           {"movement_id", s.movement_id},
                           {"set_number", out.set_number},
                           {"reps", s.reps},
                           {"load_kg", s.load_kg ? json(*s.load_kg) : json()},
                           {"rpe", s.rpe > 0 ? json(s.rpe) : json()},
                           {"velocity", s.velocity ? json(*s.velocity) : json()},
                           {"notes", s.notes ? json(*s.notes) : json()},
                           {"set_type", s.set_type ? json(*s.set_type) : json()}});
    out.id = db.insert(t, std::move(row));
    if (s.load_kg) out.e1rm = math::e1rm(ctx.user.formula, *s.load_kg, s.reps, s.rpe, ctx.params.e1rm);
    return out;
}

json records_json(const std::vector<PersonalRecord>& records) {
    json out = json::array();
    for (const auto& r : records) out.push_back(record_json(r));
    return out;
}

}  // namespace

json set_json(const LoggedSet& s) {
    return {{"id", s.id},
            {"movement_id", s.movement_id},
            {"set_number", s.set_number},
            {"reps", s.reps},
            {"load_kg", s.load_kg ? json(*s.load_kg) : json()},
            {"rpe", s.rpe > 0 ? json(s.rpe) : json()},
            {"e1rm", opt_json(s.e1rm)},
            {"set_type", s.set_type ? json(*s.set_type) : json()},
            {"records", records_json(s.records)}};
}

namespace {

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

}  // namespace

json log_workout(Database& db, const json& workout) {
    require_object("workout", workout);
    const int64_t user_id = get_id("user_id", require_key("workout", workout, "user_id"));
    CallContext ctx = make_context(db, user_id);
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
    if (!date) date = model::today();
    row.emplace_back(wt.find("workout_date"), format_date(*date));

    Savepoint sp(db);
    Workout w;
    w.id = db.insert(wt, std::move(row));
    w.session_id = session_id;
    w.date = *date;
    std::vector<LoggedSet> logged;
    std::set<int64_t> movements, set_ids;
    for (size_t i = 0; i < sets.size(); ++i) {
        logged.push_back(with_prefix("sets[" + std::to_string(i) + "]", [&] { return insert_set(ctx, w, sets[i]); }));
        movements.insert(logged.back().movement_id);
        set_ids.insert(logged.back().id);
    }
    const auto records = records_of(refresh_records(ctx, movements, nullptr), set_ids, w.id);
    json report_sets = json::array();
    for (auto& set : logged) {
        for (const auto& r : records)
            if (r.top_set_log_id == set.id) set.records.push_back(r);
        report_sets.push_back(set_json(set));
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
                   {"records", records_json(records)},
                   {"patterns", patterns},
                   {"recomputed", {{"from", format_date(w.date)}, {"to", format_date(to)}}},
                   {"state", day_state_json(read_day(ctx, w.date))}};
    sp.commit();
    return report;
}

LoggedSet log_set(Database& db, int64_t user_id, int64_t workout_log_id, const SetInput& set) {
    CallContext ctx = make_context(db, user_id);
    validate_set(set, "", ctx.params);
    Workout w = load_workout(db, user_id, workout_log_id);
    RecordCache& cache = open_record_cache(db);
    Savepoint sp(db);
    const auto before = workout_patterns(db, w.id);
    LoggedSet out = insert_set(ctx, w, set);
    out.records = records_of(records_after_insert(ctx, cache, out.id), {out.id}, w.id);
    update_exposure(db, user_id, w, before);
    recompute_from(ctx, w.date);
    sp.commit();
    close_record_cache(db, cache);
    return out;
}

namespace {

// The owner and the day of a one-row-per-day log (`table`.user_id and `table`.`date_key`, required).
std::pair<int64_t, Date> user_and_day(const json& doc, const std::string& table, const char* date_key) {
    require_object(table, doc);
    return {get_id(table + ".user_id", require_key(table, doc, "user_id")),
            parse_date_field(table + "." + date_key, require_key(table, doc, date_key))};
}

}  // namespace

int64_t log_soreness(Database& db, const json& soreness) {
    const auto [user_id, day] = user_and_day(soreness, "soreness_logs", "log_date");
    const json& severity = require_key("soreness_logs", soreness, "severity");
    if (!severity.is_number_integer()) invalid("soreness_logs.severity: expected an integer 1..10");
    require_int_range("soreness_logs.severity", severity.get<int64_t>(), 1, 10);
    for (const auto& [key, v] : soreness.items())
        if (key != "user_id" && key != "log_date" && key != "severity" && key != "body_part" && key != "notes" && key != "uid")
            invalid("soreness_logs." + key + ": not accepted here (expected user_id, log_date, severity, body_part, notes)");
    CallContext ctx = make_context(db, user_id);
    Savepoint sp(db);
    int64_t id = db.insert("soreness_logs", soreness);
    recompute(ctx, day, day);
    sp.commit();
    return id;
}

int64_t log_recovery(Database& db, const json& signals) {
    const auto [user_id, day] = user_and_day(signals, "recovery_signals", "signal_date");
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
    CallContext ctx = make_context(db, user_id);
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

json log_activity(Database& db, const json& in) {
    const auto [user_id, day] = user_and_day(in, "activity", "date");
    for (const auto& [key, v] : in.items())
        if (key != "user_id" && key != "date" && key != "activity" && key != "duration_minutes" && key != "intensity" && key != "session_id" &&
            key != "notes")
            invalid("activity." + key + ": not accepted here (expected user_id, date, activity, duration_minutes, intensity, session_id, notes)");
    const json& name = require_key("activity", in, "activity");
    if (!name.is_string() || name.get<std::string>().empty()) invalid("activity.activity: expected an enjoyable_activity value or an activity_definitions.name");
    const double minutes = get_number("activity.duration_minutes", require_key("activity", in, "duration_minutes"));
    if (!(minutes > 0)) invalid("activity.duration_minutes: must be above 0, got " + num(minutes));
    require_range("activity.duration_minutes", minutes, 0.0, 1440.0);
    std::optional<double> intensity;
    if (auto it = in.find("intensity"); it != in.end() && !it->is_null()) {
        intensity = get_number("activity.intensity", *it);
        require_range("activity.intensity", *intensity, 0.0, 10.0);
    }
    CallContext ctx = make_context(db, user_id);
    const std::string date = format_date(day);
    auto& q = db.prepare("SELECT id, name FROM activity_definitions WHERE enjoyable_activity = ?1 OR name = ?1 ORDER BY enjoyable_activity IS NULL, id LIMIT 1");
    q.bind(1, name.get<std::string>());
    std::optional<int64_t> definition;
    std::string definition_name;
    if (q.executeStep()) definition = q.getColumn(0).getInt64(), definition_name = q.getColumn(1).getString();
    q.tryReset();
    if (!definition) invalid("activity.activity: no activity_definitions row named or of enjoyable_activity '" + name.get<std::string>() + "'");

    Savepoint sp(db);
    int64_t session_id = 0;
    if (auto it = in.find("session_id"); it != in.end() && !it->is_null()) {
        session_id = get_id("activity.session_id", *it);
        auto& s = db.prepare("SELECT user_id, date FROM sessions WHERE id = ?");
        s.bind(1, static_cast<int64_t>(session_id));
        std::optional<int64_t> owner;
        std::optional<std::string> session_date;
        if (s.executeStep()) owner = s.getColumn(0).isNull() ? 0 : s.getColumn(0).getInt64(), session_date = column_text(s, 1);
        s.tryReset();
        if (!owner) throw Error(Status::not_found, "activity.session_id: no sessions row with id " + std::to_string(session_id));
        if (*owner != user_id) invalid("activity.session_id: session " + std::to_string(session_id) + " belongs to another user");
        if (session_date && *session_date != date) invalid("activity.session_id: session " + std::to_string(session_id) + " is on " + *session_date + ", not " + date);
    } else {
        session_id = db.insert("sessions", {{"user_id", user_id}, {"date", date}, {"session_type", "cardio"},
                                            {"coach_notes", definition_name + " (logged activity)"}});
    }
    json row = {{"session_id", session_id}, {"activity_definition_id", *definition}, {"completed", true},
                {"completed_at", date + "T12:00:00Z"}, {"actual_duration_seconds", int64_t(std::lround(minutes * 60))}};
    if (intensity) row["actual_intensity"] = *intensity;
    if (auto it = in.find("notes"); it != in.end() && !it->is_null()) row["notes"] = *it;
    auto& pos = db.prepare("SELECT COALESCE(MAX(position), 0) + 1 FROM activity_instances WHERE session_id = ?");
    pos.bind(1, static_cast<int64_t>(session_id));
    pos.executeStep();
    row["position"] = pos.getColumn(0).getInt64();
    pos.tryReset();
    const int64_t instance = db.insert("activity_instances", row);
    auto& dm = db.prepare("SELECT muscle_id, role, magnitude FROM activity_definition_muscle_map WHERE activity_definition_id = ? ORDER BY id");
    dm.bind(1, static_cast<int64_t>(*definition));
    std::vector<json> muscles;
    while (dm.executeStep()) muscles.push_back({{"activity_instance_id", instance}, {"muscle_id", dm.getColumn(0).getInt64()},
                                                {"role", column_text(dm, 1) ? json(*column_text(dm, 1)) : json()}, {"magnitude", dm.getColumn(2).getDouble()}});
    dm.tryReset();
    for (const auto& mm : muscles) db.insert("activity_muscle_map", mm);
    recompute_from(ctx, day);
    sp.commit();
    return {{"activity_instance_id", instance}, {"session_id", session_id}, {"date", date}, {"activity", definition_name},
            {"state", day_state_json(read_day(ctx, day))}};
}

}  // namespace gainsly::training
