#include "training/records.hpp"

#include <cmath>
#include <map>
#include <string>
#include <tuple>

#include "model/error.hpp"

namespace gainsly::training {
namespace {

constexpr double kEps = 1e-9;

// One set of a movement, in log order (date of the set, then id).
struct LogSet {
    int64_t id = 0;
    std::optional<int64_t> workout_log_id;
    int reps = 0;
    std::optional<double> load_kg;
    double rpe = 0;
    bool warmup = false;
    std::string date;
    std::string uid, workout_uid;  // the set's and its workout's (empty without one)
};

constexpr const char* kLogSelect = R"(
SELECT ts.id, ts.workout_log_id, ts.reps, ts.load_kg, ts.rpe, ts.set_type,
       COALESCE(w.workout_date, s.date, substr(ts.created_at, 1, 10)) AS d, ts.user_id, ts.movement_id, ts.uid, w.uid
FROM top_set_logs ts LEFT JOIN workout_logs w ON w.id = ts.workout_log_id
LEFT JOIN sessions s ON s.id = COALESCE(w.session_id, ts.session_id)
)";

LogSet log_set_row(sqlite::Statement& q) {
    LogSet s;
    s.id = q.getColumn(0).getInt64();
    if (!q.getColumn(1).isNull()) s.workout_log_id = q.getColumn(1).getInt64();
    s.reps = q.getColumn(2).getInt();
    s.load_kg = column_double(q, 3);
    s.rpe = q.getColumn(4).isNull() ? 0.0 : q.getColumn(4).getDouble();
    s.warmup = !q.getColumn(5).isNull() && q.getColumn(5).getString() == "warmup";
    s.date = q.getColumn(6).getString();
    s.uid = q.getColumn(9).getString();
    if (!q.getColumn(10).isNull()) s.workout_uid = q.getColumn(10).getString();
    return s;
}

std::vector<LogSet> movement_log(Database& db, int64_t user_id, int64_t movement_id) {
    auto& q = db.prepare(std::string(kLogSelect) + "WHERE ts.user_id = ?1 AND ts.movement_id = ?2 AND ts.reps >= 1 ORDER BY d, ts.id");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(movement_id));
    std::vector<LogSet> out;
    while (q.executeStep()) out.push_back(log_set_row(q));
    q.tryReset();
    return out;
}

PersonalRecord set_record(int64_t movement_id, const LogSet& s, const char* type, double value, std::optional<double> previous) {
    PersonalRecord r;
    r.movement_id = movement_id;
    r.type = type;
    r.top_set_log_id = s.id;
    r.workout_log_id = s.workout_log_id;
    r.value = value;
    r.reps = s.reps;
    r.load_kg = s.load_kg;
    r.previous_value = previous;
    r.achieved_date = s.date;
    r.uid = "s" + s.uid;  // the anchor until record_uid() completes it
    return r;
}

std::string uid_of(Database& db, const char* table, int64_t id) {
    auto& q = db.prepare(std::string("SELECT uid FROM ") + table + " WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    std::string uid = q.executeStep() ? q.getColumn(0).getString() : std::string();
    q.tryReset();
    return uid;
}

// The uid of a record: a hash of the user, the movement, the type and the anchor (the set's uid, or
// the workout's, or the day of sets without one), all of which every device holds alike.
void record_uid(const std::string& owner, PersonalRecord& r) { r.uid = derived_uid("pr|" + owner + "|" + r.type + "|" + r.uid); }

// "user uid|movement uid": what record_uid() hashes first.
std::string record_owner(Database& db, int64_t user_id, int64_t movement_id) {
    return uid_of(db, "users", user_id) + "|" + uid_of(db, "movements", movement_id);
}

}  // namespace

// What the records of one movement's log depend on after its last counted set: enough to decide
// the records of a set appended after it without reading the log again.
struct MovementState {
    std::optional<double> best_e1rm;
    std::map<int64_t, int> most_reps_at;  // load in grams -> most reps
    std::map<int, double> heaviest_for;   // reps -> heaviest load
    struct Unit {  // a workout, or one day of sets logged without a workout
        std::optional<int64_t> workout_log_id;
        std::string workout_uid;
        std::string date;
        double volume = 0;
    };
    std::vector<Unit> units;  // in log order of their first set
    std::map<std::string, size_t> unit_of;
    std::optional<double> best_volume_before_last;  // the best session volume before units.back()
    std::string last_date;  // the log position of the last counted set
    int64_t last_id = 0;
};

// Each cached state is what the stored records of that movement imply, as of `token`: valid only
// while nothing else has written (see Database::write_token).
struct RecordCache {
    store::Database::WriteToken token;
    std::map<std::pair<int64_t, int64_t>, MovementState> states;  // (user, movement)
    int64_t appended = 0;  // sets whose records were decided from the cache (for the tests)
};

namespace {

std::string unit_key(const LogSet& s) { return s.workout_log_id ? "w" + std::to_string(*s.workout_log_id) : "d" + s.date; }

// Adds a counted set to the state: its e1rm, reps_at_load and load_at_reps records go to `out`,
// its volume to its unit.
void add_set(const CallContext& ctx, int64_t movement_id, const LogSet& s, MovementState& st, std::vector<PersonalRecord>& out) {
    const double gain = 1.0 + ctx.params.strength.pr_min_e1rm_gain;
    if (s.load_kg && *s.load_kg > 0 && s.reps <= ctx.params.e1rm.max_reps) {
        const double e = round2(math::e1rm(ctx.user.formula, *s.load_kg, s.reps, s.rpe, ctx.params.e1rm));
        if (!st.best_e1rm || e > *st.best_e1rm * gain + kEps) out.push_back(set_record(movement_id, s, "e1rm", e, st.best_e1rm));
        if (!st.best_e1rm || e > *st.best_e1rm) st.best_e1rm = e;
    }
    if (s.load_kg) {
        auto [at, fresh] = st.most_reps_at.try_emplace(std::llround(*s.load_kg * 1000.0), s.reps);
        if (!fresh && s.reps > at->second) {
            out.push_back(set_record(movement_id, s, "reps_at_load", s.reps, double(at->second)));
            at->second = s.reps;
        }
        auto [hv, first] = st.heaviest_for.try_emplace(s.reps, *s.load_kg);
        if (!first && *s.load_kg > hv->second + kEps) {
            out.push_back(set_record(movement_id, s, "load_at_reps", *s.load_kg, hv->second));
            hv->second = *s.load_kg;
        }
    }
    auto [u, added] = st.unit_of.try_emplace(unit_key(s), st.units.size());
    if (added) st.units.push_back({s.workout_log_id, s.workout_uid, s.date, 0.0});
    st.units[u->second].volume += s.load_kg.value_or(0.0) * s.reps;
    st.last_date = s.date;
    st.last_id = s.id;
}

// The session_volume record a unit holds when `best` is the best volume before it (none: empty).
std::optional<PersonalRecord> volume_record(int64_t movement_id, const MovementState::Unit& u, const std::optional<double>& best) {
    const double v = round2(u.volume);
    if (v <= 0 || (best && v <= *best + kEps)) return std::nullopt;
    PersonalRecord r;
    r.movement_id = movement_id;
    r.type = "session_volume";
    r.workout_log_id = u.workout_log_id;
    r.value = v;
    r.previous_value = best;
    r.achieved_date = u.date;
    r.uid = u.workout_log_id ? "w" + u.workout_uid : "d" + u.date;  // the anchor (record_uid)
    return r;
}

// The records of one movement's log (see the definitions in training.hpp), in log order; `st`
// ends as the state after the last set.
std::vector<PersonalRecord> derive(const CallContext& ctx, int64_t movement_id, const std::vector<LogSet>& log, MovementState& st) {
    std::vector<PersonalRecord> out;
    for (const auto& s : log)
        if (!s.warmup) add_set(ctx, movement_id, s, st, out);
    // Units in log order (a workout's sets share its date, so the first set placed it).
    std::optional<double> best;
    for (const auto& u : st.units) {
        st.best_volume_before_last = best;
        if (auto r = volume_record(movement_id, u, best)) {
            best = r->value;
            out.push_back(std::move(*r));
        }
    }
    return out;
}

bool same(const std::optional<double>& a, const std::optional<double>& b) {
    return a.has_value() == b.has_value() && (!a || std::fabs(*a - *b) < kEps);
}

bool same(const PersonalRecord& a, const PersonalRecord& b) {
    return a.top_set_log_id == b.top_set_log_id && a.workout_log_id == b.workout_log_id && std::fabs(a.value - b.value) < kEps &&
           a.reps == b.reps && same(a.load_kg, b.load_kg) && same(a.previous_value, b.previous_value) && a.achieved_date == b.achieved_date;
}

std::vector<PersonalRecord> stored_records(Database& db, int64_t user_id, int64_t movement_id) {
    auto& q = db.prepare(
        "SELECT id, record_type, top_set_log_id, workout_log_id, value, reps, load_kg, previous_value, achieved_date, uid "
        "FROM personal_records WHERE user_id = ? AND movement_id = ? ORDER BY id");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(movement_id));
    std::vector<PersonalRecord> out;
    while (q.executeStep()) {
        PersonalRecord r;
        r.id = q.getColumn(0).getInt64();
        r.movement_id = movement_id;
        r.type = q.getColumn(1).getString();
        if (!q.getColumn(2).isNull()) r.top_set_log_id = q.getColumn(2).getInt64();
        if (!q.getColumn(3).isNull()) r.workout_log_id = q.getColumn(3).getInt64();
        r.value = q.getColumn(4).getDouble();
        if (!q.getColumn(5).isNull()) r.reps = q.getColumn(5).getInt64();
        r.load_kg = column_double(q, 6);
        r.previous_value = column_double(q, 7);
        r.achieved_date = q.getColumn(8).getString();
        r.uid = q.getColumn(9).getString();
        out.push_back(std::move(r));
    }
    q.tryReset();
    return out;
}

Row record_row(const model::Table& t, int64_t user_id, const PersonalRecord& r) {
    auto opt_int = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(); };
    auto opt_num = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
    return make_row(t, {{"uid", r.uid},
                        {"user_id", user_id},
                        {"movement_id", r.movement_id},
                        {"record_type", r.type},
                        {"top_set_log_id", opt_int(r.top_set_log_id)},
                        {"workout_log_id", opt_int(r.workout_log_id)},
                        {"value", r.value},
                        {"reps", opt_int(r.reps)},
                        {"load_kg", opt_num(r.load_kg)},
                        {"previous_value", opt_num(r.previous_value)},
                        {"achieved_date", r.achieved_date}});
}

}  // namespace

json record_json(const PersonalRecord& r) {
    auto opt_int = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(); };
    return {{"id", r.id},
            {"movement_id", r.movement_id},
            {"record_type", r.type},
            {"value", r.value},
            {"reps", opt_int(r.reps)},
            {"load_kg", r.load_kg ? json(*r.load_kg) : json()},
            {"previous_value", r.previous_value ? json(*r.previous_value) : json()},
            {"achieved_date", r.achieved_date},
            {"top_set_log_id", opt_int(r.top_set_log_id)},
            {"workout_log_id", opt_int(r.workout_log_id)}};
}

RecordDiff refresh_records(CallContext& ctx, const std::set<int64_t>& movements, RecordCache* cache) {
    Database& db = ctx.db;
    const model::Table& t = db.schema().table("personal_records");
    RecordDiff diff;
    for (int64_t movement_id : movements) {
        // Rows are matched by uid: a row stored under another uid (written before uids were
        // derived) is replaced by the derived one.
        std::map<std::string, PersonalRecord> stored;
        for (auto& r : stored_records(db, ctx.user.id, movement_id)) stored.emplace(r.uid, std::move(r));
        const std::string owner = record_owner(db, ctx.user.id, movement_id);
        MovementState state;
        for (auto& r : derive(ctx, movement_id, movement_log(db, ctx.user.id, movement_id), state)) {
            record_uid(owner, r);
            auto it = stored.find(r.uid);
            if (it != stored.end()) {
                r.id = it->second.id;
                const bool unchanged = same(r, it->second);
                stored.erase(it);
                if (unchanged) continue;
                db.update(t, r.id, record_row(t, ctx.user.id, r));
                ++diff.updated;
            } else {
                r.id = db.insert(t, record_row(t, ctx.user.id, r));
                ++diff.inserted;
            }
            diff.written.push_back(std::move(r));
        }
        for (const auto& [key, r] : stored) {
            db.remove(t.name, r.id);
            ++diff.deleted;
        }
        if (cache) cache->states[{ctx.user.id, movement_id}] = std::move(state);
    }
    return diff;
}

RecordCache& open_record_cache(Database& db) {
    auto& slot = db.cache_slot("training.records");
    if (!slot) slot = std::make_shared<RecordCache>();
    auto& cache = *static_cast<RecordCache*>(slot.get());
    if (!(cache.token == db.write_token())) cache.states.clear();  // something else wrote since
    return cache;
}

void close_record_cache(Database& db, RecordCache& cache) { cache.token = db.write_token(); }

int64_t appended_sets(Database& db) {
    auto& slot = db.cache_slot("training.records");
    return slot ? static_cast<RecordCache*>(slot.get())->appended : 0;
}

RecordDiff records_after_insert(CallContext& ctx, RecordCache& cache, int64_t set_id) {
    Database& db = ctx.db;
    auto& q = db.prepare(std::string(kLogSelect) + "WHERE ts.id = ?1");
    q.bind(1, static_cast<int64_t>(set_id));
    if (!q.executeStep()) {
        q.tryReset();
        return {};
    }
    const LogSet s = log_set_row(q);
    const bool keyed = !q.getColumn(7).isNull() && !q.getColumn(8).isNull();
    const int64_t user_id = keyed ? q.getColumn(7).getInt64() : 0, movement_id = keyed ? q.getColumn(8).getInt64() : 0;
    q.tryReset();
    if (!keyed || user_id != ctx.user.id) return {};
    if (s.warmup || s.reps < 1) return {};  // counts for no record, wherever it lands in the log
    auto found = cache.states.find({user_id, movement_id});
    MovementState* st = found == cache.states.end() ? nullptr : &found->second;
    // Appended: after the last counted set in log order, into the last unit or a new one.
    const bool appended = st && std::tie(s.date, s.id) > std::tie(st->last_date, st->last_id) &&
                          (!st->unit_of.count(unit_key(s)) || st->unit_of.at(unit_key(s)) + 1 == st->units.size());
    if (!appended) return refresh_records(ctx, {movement_id}, &cache);

    const model::Table& t = db.schema().table("personal_records");
    RecordDiff diff;
    const bool new_unit = !st->unit_of.count(unit_key(s));
    if (new_unit && !st->units.empty())  // the old last unit now has a unit after it
        if (auto r = volume_record(movement_id, st->units.back(), st->best_volume_before_last)) st->best_volume_before_last = r->value;
    add_set(ctx, movement_id, s, *st, diff.written);
    const std::string owner = record_owner(db, user_id, movement_id);
    for (auto& r : diff.written) {
        record_uid(owner, r);
        r.id = db.insert(t, record_row(t, user_id, r));
        ++diff.inserted;
    }
    // The last unit's session_volume record, stored under its uid.
    const auto& unit = st->units.back();
    PersonalRecord key;
    key.type = "session_volume";
    key.uid = unit.workout_log_id ? "w" + unit.workout_uid : "d" + unit.date;
    record_uid(owner, key);
    auto& sv = db.prepare("SELECT id FROM personal_records WHERE uid = ?1");
    sv.bind(1, key.uid);
    std::optional<int64_t> stored_id;
    if (sv.executeStep()) stored_id = sv.getColumn(0).getInt64();
    sv.tryReset();
    if (auto r = volume_record(movement_id, unit, st->best_volume_before_last)) {
        r->uid = key.uid;
        if (stored_id) {
            r->id = *stored_id;
            db.update(t, r->id, record_row(t, user_id, *r));
            ++diff.updated;
        } else {
            r->id = db.insert(t, record_row(t, user_id, *r));
            ++diff.inserted;
        }
        diff.written.push_back(std::move(*r));
    } else if (stored_id) {
        db.remove(t.name, *stored_id);
        ++diff.deleted;
    }
    ++cache.appended;
    return diff;
}

std::vector<PersonalRecord> records_of(const RecordDiff& diff, const std::set<int64_t>& set_ids, int64_t workout_log_id) {
    std::vector<PersonalRecord> out;
    for (const auto& r : diff.written)
        if (r.type == "session_volume" ? r.workout_log_id == workout_log_id : r.top_set_log_id && set_ids.count(*r.top_set_log_id))
            out.push_back(r);
    return out;
}

json recompute_personal_records(Database& db, int64_t user_id, const std::vector<int64_t>& movement_ids) {
    CallContext ctx = make_context(db, user_id);
    std::set<int64_t> movements(movement_ids.begin(), movement_ids.end());
    if (movements.empty()) {
        auto& q = db.prepare(
            "SELECT movement_id FROM top_set_logs WHERE user_id = ?1 AND movement_id IS NOT NULL "
            "UNION SELECT movement_id FROM personal_records WHERE user_id = ?1");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) movements.insert(q.getColumn(0).getInt64());
        q.tryReset();
    }
    Savepoint sp(db);
    RecordDiff diff = refresh_records(ctx, movements, nullptr);
    sp.commit();
    return {{"user_id", user_id}, {"movements", movements.size()}, {"inserted", diff.inserted}, {"updated", diff.updated}, {"deleted", diff.deleted}};
}

json personal_records_json(Database& db, int64_t user_id, std::optional<int64_t> movement_id) {
    require_user_exists(db, user_id);
    auto& q = db.prepare(
        "SELECT r.id, r.uid, r.movement_id, m.name, r.record_type, r.value, r.reps, r.load_kg, r.previous_value, r.achieved_date, "
        "r.top_set_log_id, r.workout_log_id FROM personal_records r LEFT JOIN movements m ON m.id = r.movement_id "
        "WHERE r.user_id = ?1 AND (?2 IS NULL OR r.movement_id = ?2) ORDER BY r.achieved_date, r.id");
    q.bind(1, static_cast<int64_t>(user_id));
    if (movement_id) q.bind(2, static_cast<int64_t>(*movement_id));
    else q.bind(2);
    json rows = json::array();
    std::map<std::string, size_t> latest;  // a record is current until a later one of the same kind beats it
    while (q.executeStep()) {
        auto opt_int = [&](int i) { return q.getColumn(i).isNull() ? json() : json(q.getColumn(i).getInt64()); };
        auto opt_num = [&](int i) { return q.getColumn(i).isNull() ? json() : json(q.getColumn(i).getDouble()); };
        const std::string type = q.getColumn(4).getString();
        json row = {{"id", q.getColumn(0).getInt64()},
                    {"uid", q.getColumn(1).getString()},
                    {"movement_id", q.getColumn(2).getInt64()},
                    {"movement", q.getColumn(3).isNull() ? json() : json(q.getColumn(3).getString())},
                    {"record_type", type},
                    {"value", q.getColumn(5).getDouble()},
                    {"reps", opt_int(6)},
                    {"load_kg", opt_num(7)},
                    {"previous_value", opt_num(8)},
                    {"achieved_date", q.getColumn(9).getString()},
                    {"top_set_log_id", opt_int(10)},
                    {"workout_log_id", opt_int(11)},
                    {"current", true}};
        std::string kind = std::to_string(q.getColumn(2).getInt64()) + "|" + type;
        if (type == "reps_at_load") kind += "|" + (q.getColumn(7).isNull() ? "-" : std::to_string(std::llround(q.getColumn(7).getDouble() * 1000.0)));
        if (type == "load_at_reps") kind += "|" + (q.getColumn(6).isNull() ? "-" : std::to_string(q.getColumn(6).getInt64()));
        auto [it, fresh] = latest.try_emplace(kind, rows.size());
        if (!fresh) {
            rows[it->second]["current"] = false;
            it->second = rows.size();
        }
        rows.push_back(std::move(row));
    }
    q.tryReset();
    std::reverse(rows.begin(), rows.end());  // newest first
    return {{"user_id", user_id}, {"records", std::move(rows)}};
}

int64_t write_log_row(Database& db, std::string_view table, std::optional<int64_t> id, const std::function<int64_t()>& write) {
    if (table != "top_set_logs" && table != "workout_logs") return write();
    auto keys_of = [&](int64_t row) {
        auto& q = db.prepare(table == "top_set_logs"
                                 ? "SELECT user_id, movement_id FROM top_set_logs WHERE id = ? AND user_id IS NOT NULL AND movement_id IS NOT NULL"
                                 : "SELECT DISTINCT user_id, movement_id FROM top_set_logs WHERE workout_log_id = ? AND user_id IS NOT NULL "
                                   "AND movement_id IS NOT NULL");
        q.bind(1, static_cast<int64_t>(row));
        std::map<int64_t, std::set<int64_t>> keys;
        while (q.executeStep()) keys[q.getColumn(0).getInt64()].insert(q.getColumn(1).getInt64());
        q.tryReset();
        return keys;
    };
    RecordCache& cache = open_record_cache(db);
    Savepoint sp(db);
    auto keys = id ? keys_of(*id) : std::map<int64_t, std::set<int64_t>>{};
    const int64_t written = write();
    const bool new_set = !id && table == "top_set_logs";
    for (auto& [user, movements] : keys_of(written)) keys[user].insert(movements.begin(), movements.end());
    for (const auto& [user, movements] : keys) {
        if (!db.exists(db.schema().table("users"), user)) continue;
        CallContext ctx = make_context(db, user);
        if (new_set) records_after_insert(ctx, cache, written);  // a new set: from the cache when it was appended
        else refresh_records(ctx, movements, &cache);
    }
    sp.commit();
    close_record_cache(db, cache);
    return written;
}

}  // namespace gainsly::training
