#include "sync/device.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "model/error.hpp"
#include "model/time.hpp"
#include "model/uuid.hpp"

namespace gainsly::sync {
namespace {

using model::Type;
using store::SqlValue;

// Outbox operations. The values are chosen so a plain insert (the common case) stores op and mask
// as SQLite's zero-byte constants 1 and 0. Deletes live in gs_outbox_deleted, keyed by uid: SQLite
// reuses the id of a deleted row, so an id cannot stand for a deleted row.
enum Op : int { op_insert = 1, op_update = 2 };

const char* wall_sql = "-CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

std::string q(std::string_view id) { return "\"" + std::string(id) + "\""; }

const char* tables_ddl =
    "CREATE TABLE IF NOT EXISTS gs_outbox (tbl INTEGER NOT NULL, row_id INTEGER NOT NULL, op INTEGER NOT NULL, "
    "mask INTEGER NOT NULL, clock INTEGER NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_outbox_deleted (tbl INTEGER NOT NULL, uid TEXT NOT NULL, clock INTEGER NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_apply (on_ INTEGER);"
    "CREATE TABLE IF NOT EXISTS gs_sync_inflight (mutation INTEGER PRIMARY KEY, batch TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS gs_sync_parked (tbl TEXT NOT NULL, uid TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_seen (tbl INTEGER NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_quarantine (tbl TEXT NOT NULL, uid TEXT NOT NULL, op TEXT NOT NULL, mask INTEGER NOT NULL, "
    "hlc INTEGER NOT NULL, reason TEXT NOT NULL, waits_tbl TEXT, waits_uid TEXT, at TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;";

// The synced user tables and columns as of a schema version, as stored in gs_meta 'sync.layout'.
json layout_doc(int version) {
    json doc = json::array();
    for (const auto& st : layout()) {
        if (st.catalog || st.table->since > version) continue;
        json cols = json::array();
        for (const auto& sc : st.columns)
            if (sc.column->since <= version) cols.push_back(json::array({sc.pos, sc.column->name}));
        doc.push_back(json::array({st.name(), st.number, cols}));
    }
    return doc;
}

std::string raw_meta(SQLite::Database& db, const std::string& key) {
    SQLite::Statement s(db, "SELECT value FROM gs_meta WHERE key = ?");
    s.bind(1, key);
    return s.executeStep() ? s.getColumn(0).getString() : std::string();
}

void raw_set_meta(SQLite::Database& db, const std::string& key, const std::string& value) {
    SQLite::Statement s(db, "INSERT INTO gs_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
}

// Inserts are captured by the store's insert hook (record_insert), updates and deletes by triggers:
// any trigger on a table makes every INSERT into it about 1.6x slower, even one that does nothing
// (the statement then keeps a statement journal and runs the trigger program), while writing the
// outbox entry from the hook costs about 1.15x. Updates and deletes need triggers: cascades and
// set-based statements make them. Inserts have one path, store::Database::insert.
// Bumped when the set of triggers changes for the same layout, so install() re-creates them.
const char* capture_format = "2";  // 1: insert triggers too

const char* record_insert_sql =
    "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, 1, 0, ?) "
    "ON CONFLICT (tbl, row_id) DO UPDATE SET op = 1, mask = 0, clock = excluded.clock";

int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void record_insert(SQLite::Statement& stmt, const model::Table& table, int64_t id) {
    const SyncTable& st = layout_of(table);
    if (st.catalog) return;
    stmt.bind(1, st.number);
    stmt.bind(2, id);
    stmt.bind(3, -wall_ms());  // negative: wall time, stamped with a clock at export
    stmt.exec();
    stmt.reset();
}

std::string triggers_sql(int version) {
    std::string out;
    for (const auto& st : layout()) {
        if (st.catalog || st.table->since > version) continue;
        const std::string& t = st.name();
        const std::string key = q(st.table->key().name);
        const std::string k = std::to_string(st.number);
        const std::string when = " WHEN NOT EXISTS (SELECT 1 FROM gs_sync_apply) BEGIN INSERT INTO gs_outbox (tbl, row_id, op, mask, clock";
        std::string mask;
        for (const auto& sc : st.columns) {
            if (sc.column->since > version) continue;
            const std::string c = q(sc.column->name);
            mask += (mask.empty() ? "" : " + ") + std::string("(NEW.") + c + " IS NOT OLD." + c + ") * " + std::to_string(uint64_t(1) << sc.pos);
        }
        if (mask.empty()) mask = "0";
        out += "CREATE TRIGGER " + q("gs_sync_u_" + t) + " AFTER UPDATE ON " + q(t) + when + ") VALUES (" + k + ", NEW." + key + ", 2, " + mask +
               ", " + wall_sql + ") ON CONFLICT (tbl, row_id) DO UPDATE SET mask = mask | excluded.mask, clock = excluded.clock; END;\n";
        // A row inserted and deleted before any push never existed for the server: no tombstone.
        out += "CREATE TRIGGER " + q("gs_sync_d_" + t) + " AFTER DELETE ON " + q(t) +
               " WHEN NOT EXISTS (SELECT 1 FROM gs_sync_apply) BEGIN INSERT INTO gs_outbox_deleted (tbl, uid, clock) SELECT " + k + ", OLD.uid, " +
               wall_sql + " WHERE NOT EXISTS (SELECT 1 FROM gs_outbox WHERE tbl = " + k + " AND row_id = OLD." + key +
               " AND op = 1) ON CONFLICT (tbl, uid) DO UPDATE SET clock = excluded.clock; DELETE FROM gs_outbox WHERE tbl = " + k + " AND row_id = OLD." + key +
               "; END;\n";
    }
    // OAuth tokens: their own triggers (tokens.cpp), in every build.
    return out;
}

// Renumbers pending outbox entries written under an older layout (an app upgrade).
void remap_outbox(SQLite::Database& db, const json& old_doc) {
    std::map<int64_t, std::pair<std::string, std::map<int, std::string>>> old;
    for (const auto& t : old_doc) {
        std::map<int, std::string> cols;
        for (const auto& c : t[2]) cols[c[0].get<int>()] = c[1].get<std::string>();
        old[t[1].get<int64_t>()] = {t[0].get<std::string>(), cols};
    }
    struct Entry {
        int64_t tbl, row_id, op, mask, clock;
    };
    std::vector<Entry> entries;
    {
        SQLite::Statement s(db, "SELECT tbl, row_id, op, mask, clock FROM gs_outbox");
        while (s.executeStep())
            entries.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
                               s.getColumn(4).getInt64()});
    }
    struct Deleted {
        int64_t tbl;
        std::string uid;
        int64_t clock;
    };
    std::vector<Deleted> deleted;
    {
        SQLite::Statement s(db, "SELECT tbl, uid, clock FROM gs_outbox_deleted");
        while (s.executeStep()) deleted.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
    }
    db.exec("DELETE FROM gs_outbox; DELETE FROM gs_outbox_deleted");
    SQLite::Statement del(db, "INSERT OR REPLACE INTO gs_outbox_deleted (tbl, uid, clock) VALUES (?, ?, ?)");
    for (const auto& d : deleted) {
        auto it = old.find(d.tbl);
        const SyncTable* st = it == old.end() ? nullptr : find_layout(it->second.first);
        if (!st || st->catalog) continue;
        del.bind(1, int64_t(st->number));
        del.bind(2, d.uid);
        del.bind(3, d.clock);
        del.exec();
        del.reset();
    }
    SQLite::Statement ins(db, "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, ?, ?, ?)");
    for (const auto& e : entries) {
        auto it = old.find(e.tbl);
        if (it == old.end()) continue;
        const SyncTable* st = find_layout(it->second.first);
        if (!st || st->catalog) continue;  // a table that left the schema: nothing to push
        uint64_t mask = 0;
        for (const auto& [pos, name] : it->second.second)
            if (uint64_t(e.mask) >> pos & 1)
                if (const SyncColumn* sc = st->find(name)) mask |= uint64_t(1) << sc->pos;
        ins.bind(1, int64_t(st->number));
        ins.bind(2, e.row_id);
        ins.bind(3, e.op);
        ins.bind(4, int64_t(mask));
        ins.bind(5, e.clock);
        ins.exec();
        ins.reset();
        ins.clearBindings();
    }
}

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed. Sync never runs inside a caller's
// open transaction: its writes must commit together with its cursor.
class Tx {
public:
    explicit Tx(store::Database& db) : db_(db.sql()) {
        if (db.in_transaction()) invalid("sync: a transaction is open on this handle (gs_db_begin); commit or roll it back first");
        db_.exec("BEGIN IMMEDIATE");
    }
    ~Tx() {
        if (!done_) try {
                db_.exec("ROLLBACK");
            } catch (...) {
            }
    }
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

private:
    SQLite::Database& db_;
    bool done_ = false;
};

int64_t to_i64(const std::string& s, int64_t fallback = 0) {
    int64_t v = fallback;
    if (!s.empty()) std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

int64_t meta_int(store::Database& db, const char* key) { return to_i64(db.meta(key, "0")); }

void set_meta_int(store::Database& db, const char* key, int64_t v) { db.set_meta(key, std::to_string(v)); }

// Records batch b as the one awaiting its acknowledgement (resent verbatim until the ack comes).
void await_ack(store::Database& db, const Batch& b) {
    auto& ins = db.prepare("INSERT INTO gs_sync_inflight (mutation, batch, body) VALUES (?, ?, ?)");
    ins.bind(1, b.mutation);
    ins.bind(2, b.batch_id);
    ins.bind(3, to_json(b));
    ins.exec();
    set_meta_int(db, "sync.mutation", b.mutation);
}

// Canonical wire text of column `col` of the current row.
Value canonical(sqlite3_stmt* st, int col, const SyncColumn& sc) {
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_NULL) return std::nullopt;
    const auto& c = *sc.column;
    if (!sc.parent) {
        if (c.type == Type::boolean) return std::string(sqlite3_column_int64(st, col) ? "t" : "f");
        if (c.is_integer_valued()) return std::to_string(sqlite3_column_int64(st, col));
        if (c.type == Type::real) return shortest(sqlite3_column_double(st, col));
    }
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, col)), size_t(sqlite3_column_bytes(st, col)));
}

// Canonical text to the value bound in SQLite for a plain (non-reference) column.
SqlValue to_local(const SyncColumn& sc, const std::string& v) {
    const auto& c = *sc.column;
    if (c.type == Type::boolean) return int64_t(v == "t" || v == "1" || v == "true");
    if (c.is_integer_valued()) return to_i64(v);
    if (c.type == Type::real) return std::strtod(v.c_str(), nullptr);
    return v;
}

void bind(sqlite3_stmt* st, int i, const SqlValue& v) {
    if (std::holds_alternative<int64_t>(v)) sqlite3_bind_int64(st, i, std::get<int64_t>(v));
    else if (std::holds_alternative<double>(v)) sqlite3_bind_double(st, i, std::get<double>(v));
    else if (std::holds_alternative<std::string>(v))
        sqlite3_bind_text(st, i, std::get<std::string>(v).data(), int(std::get<std::string>(v).size()), SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

bool same(sqlite3_stmt* st, int col, const SqlValue& v) {
    int type = sqlite3_column_type(st, col);
    if (std::holds_alternative<std::monostate>(v)) return type == SQLITE_NULL;
    if (type == SQLITE_NULL) return false;
    if (std::holds_alternative<int64_t>(v)) return type == SQLITE_INTEGER && sqlite3_column_int64(st, col) == std::get<int64_t>(v);
    if (std::holds_alternative<double>(v)) return (type == SQLITE_FLOAT || type == SQLITE_INTEGER) && sqlite3_column_double(st, col) == std::get<double>(v);
    const auto& s = std::get<std::string>(v);
    return type == SQLITE_TEXT && size_t(sqlite3_column_bytes(st, col)) == s.size() &&
           std::equal(s.begin(), s.end(), reinterpret_cast<const char*>(sqlite3_column_text(st, col)));
}

// A statement from the handle's cache, reset when it goes out of scope.
class Stmt {
public:
    Stmt(store::Database& db, const std::string& key, const std::function<std::string()>& make = {})
        : db_(db), st_(db.prepare_raw(key, make)) {}
    ~Stmt() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }
    sqlite3_stmt* operator*() const { return st_; }
    bool step() { return db_.step(st_); }
    void run() {
        while (db_.step(st_)) {
        }
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

private:
    store::Database& db_;
    sqlite3_stmt* st_;
};

std::string row_select_sql(const SyncTable& st) {
    std::string sql = "SELECT t.\"uid\"";
    for (const auto& sc : st.columns) {
        if (sc.parent) sql += ", (SELECT p.\"uid\" FROM " + q(sc.parent->name) + " p WHERE p." + q(sc.column->ref_column) + " = t." + q(sc.column->name) + ")";
        else sql += ", t." + q(sc.column->name);
    }
    return sql + " FROM " + q(st.name()) + " t WHERE t." + q(st.table->key().name) + " = ?";
}

}  // namespace

// ---- install ----------------------------------------------------------------------------------

void install(SQLite::Database& db, int version) {
    const std::string sig = layout_doc(version).dump();
    bool has_outbox = db.tableExists("gs_outbox");
    if (has_outbox && raw_meta(db, "sync.layout") == sig && raw_meta(db, "sync.capture") == capture_format && db.tableExists("gs_sync_quarantine"))
        return;
    const bool outer = sqlite3_get_autocommit(db.getHandle()) == 0;
    db.exec(outer ? "SAVEPOINT gs_sync_install" : "BEGIN IMMEDIATE");
    try {
        db.exec(tables_ddl);
        // The file's device id is born with the file, not at its first sync: a backup taken before
        // any sync then names the device, and the server recognises the copy when it is restored.
        SQLite::Statement id(db, "INSERT OR IGNORE INTO gs_meta (key, value) VALUES ('sync.device', ?)");
        id.bind(1, model::new_uuid_v7());
        id.exec();
        if (!has_outbox) {
            // A file written before sync was installed (an app that gains sync in an upgrade): its
            // rows were never captured, so they all wait in the outbox as inserts.
            for (const auto& st : layout()) {
                if (st.catalog || st.table->since > version) continue;
                db.exec("INSERT OR IGNORE INTO gs_outbox (tbl, row_id, op, mask, clock) SELECT " + std::to_string(st.number) + ", " +
                        q(st.table->key().name) + ", 1, 0, " + wall_sql + " FROM " + q(st.name()));
            }
        }
        std::string old = raw_meta(db, "sync.layout");
        if (old != sig || raw_meta(db, "sync.capture") != capture_format) {
            if (!old.empty() && old != sig) {
                remap_outbox(db, json::parse(old));
                db.exec("DELETE FROM gs_sync_seen");
                // Rows pulled under the old layout lack the columns (and tables) it did not know,
                // and the cursor is past them: re-pull everything once (a full re-pull also sweeps
                // rows deleted meanwhile), as after a resync marker. An interrupted re-pull restarts.
                if (raw_meta(db, "sync.resync") == "1" || to_i64(raw_meta(db, "sync.cursor")) > 0) {
                    raw_set_meta(db, "sync.resync", "1");
                    raw_set_meta(db, "sync.cursor", "0");
                    raw_set_meta(db, "sync.after", "");
                }
            }
            std::vector<std::string> names;
            {
                SQLite::Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gs\\_sync\\_%' ESCAPE '\\'");
                while (s.executeStep()) names.push_back(s.getColumn(0).getString());
            }
            for (const auto& n : names) db.exec("DROP TRIGGER " + q(n));
            db.exec(triggers_sql(version));
            raw_set_meta(db, "sync.layout", sig);
            raw_set_meta(db, "sync.capture", capture_format);
        }
        db.exec(outer ? "RELEASE gs_sync_install" : "COMMIT");
    } catch (...) {
        try {
            if (outer) {
                db.exec("ROLLBACK TO gs_sync_install");
                db.exec("RELEASE gs_sync_install");
            } else {
                db.exec("ROLLBACK");
            }
        } catch (...) {
        }
        throw;
    }
}

void install(store::Database& db) {
    try {
        install(db.sql(), db.schema().version());
        auto stmt = std::make_shared<SQLite::Statement>(db.sql(), record_insert_sql);
        db.set_insert_hook([stmt](const model::Table& table, int64_t id) { record_insert(*stmt, table, id); });
    } catch (const std::exception& e) {
        store::rethrow_as_error(e, "sync install");
    }
}

void record_insert(SQLite::Database& db, const model::Table& table, int64_t id) {
    SQLite::Statement stmt(db, record_insert_sql);
    record_insert(stmt, table, id);
}

// ---- HLC --------------------------------------------------------------------------------------

namespace hlc {

int64_t node_of(const std::string& device_id) {
    uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char ch : device_id) h = (h ^ ch) * 16777619u;
    return int64_t(h & 0xFFF);
}

namespace {
// Wall time as a millisecond part, within [0, max_l] (no overflow for any input).
int64_t millis_part(int64_t wall_ms) {
    if (wall_ms <= epoch_ms) return 0;
    return std::min(wall_ms - epoch_ms, max_l);
}
}  // namespace

int64_t next(int64_t last, int64_t wall_ms, int64_t node) {
    last = std::max<int64_t>(last, 0);
    int64_t l_last = last >> 20, c_last = (last >> 12) & 0xFF;
    int64_t pt = millis_part(wall_ms);
    int64_t l = l_last, c = c_last + 1;
    if (pt > l_last) {
        l = pt;
        c = 0;
    } else if (c > 0xFF) {  // counter overflow: borrow a millisecond, unless the clock is at its end
        if (l < max_l) {
            l += 1;
            c = 0;
        } else {
            c = 0xFF;
        }
    }
    return (l << 20) | (c << 12) | (node & 0xFFF);
}

int64_t bound(int64_t h, int64_t limit_ms) {
    const int64_t l = millis_part(limit_ms);
    if ((h >> 20) <= l) return h;
    return (l << 20) | (h & 0xFFFFF);
}

}  // namespace hlc

// ---- Device -----------------------------------------------------------------------------------

namespace {

// Stamps outbox entries that carry only their wall time with the device's next clocks, in write
// order. Runs before any remote clock is absorbed, so a write made before a pull keeps its place.
void stamp(store::Database& db, int64_t node) {
    struct E {
        int64_t wall, tbl;
        std::string key;  // row id, or the uid of a deleted row
        bool deleted;
    };
    std::vector<E> todo;
    {
        Stmt s(db, "SELECT -clock, tbl, CAST(row_id AS TEXT), 0 FROM gs_outbox WHERE clock < 0 UNION ALL "
                   "SELECT -clock, tbl, uid, 1 FROM gs_outbox_deleted WHERE clock < 0");
        while (s.step())
            todo.push_back({sqlite3_column_int64(*s, 0), sqlite3_column_int64(*s, 1), reinterpret_cast<const char*>(sqlite3_column_text(*s, 2)),
                            sqlite3_column_int64(*s, 3) != 0});
    }
    if (todo.empty()) return;
    std::stable_sort(todo.begin(), todo.end(), [](const E& a, const E& b) { return a.wall < b.wall; });
    int64_t last = meta_int(db, "sync.hlc");
    for (const auto& e : todo) {
        last = hlc::next(last, e.wall, node);
        Stmt u(db, e.deleted ? "UPDATE gs_outbox_deleted SET clock = ? WHERE tbl = ? AND uid = ?" : "UPDATE gs_outbox SET clock = ? WHERE tbl = ? AND row_id = ?");
        sqlite3_bind_int64(*u, 1, last);
        sqlite3_bind_int64(*u, 2, e.tbl);
        if (e.deleted) sqlite3_bind_text(*u, 3, e.key.data(), int(e.key.size()), SQLITE_STATIC);
        else sqlite3_bind_int64(*u, 3, std::stoll(e.key));
        u.run();
    }
    set_meta_int(db, "sync.hlc", last);
}

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

// Why a row read from the file cannot travel at all (a value an older version let in, written by
// raw SQL): the batch is JSON, parsed again on retry, so such a row would block every later sync.
// Held in quarantine on the device instead, without asking the server.
std::optional<std::string> unsendable(const SyncTable& st, const Change& ch) {
    for (const auto& sc : st.columns) {
        const Value& v = ch.values[size_t(sc.pos)];
        if (!(ch.mask >> sc.pos & 1) || !v) continue;
        const std::string where = st.name() + "." + sc.column->name;
        if (!valid_utf8(*v)) return where + ": not valid UTF-8";
        if (sc.column->type == Type::json) try {
                store::check_json_depth(*v, where, store::json_max_depth);
            } catch (const Error& e) {
                return std::string(e.what());
            }
    }
    return std::nullopt;
}

// gs_sync_quarantine holds rows the server refused (its reason kept) and rows held back because
// a parent is quarantined. A local change to such a row sends it again; nothing else waits on it.
bool any_quarantined(store::Database& db) {
    Stmt s(db, "SELECT EXISTS (SELECT 1 FROM gs_sync_quarantine)");
    return s.step() && sqlite3_column_int64(*s, 0) != 0;
}

struct Held {
    char op = 'i';
    uint64_t mask = 0;
};

std::optional<Held> quarantined(store::Database& db, const std::string& tbl, const std::string& uid) {
    Stmt s(db, "SELECT op, mask FROM gs_sync_quarantine WHERE tbl = ? AND uid = ?");
    sqlite3_bind_text(*s, 1, tbl.data(), int(tbl.size()), SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
    if (!s.step()) return std::nullopt;
    return Held{reinterpret_cast<const char*>(sqlite3_column_text(*s, 0))[0], uint64_t(sqlite3_column_int64(*s, 1))};
}

void hold(store::Database& db, const std::string& tbl, const std::string& uid, const Change& ch, const std::string& reason, const std::string& waits_tbl,
          const std::string& waits_uid) {
    Stmt s(db, "INSERT OR REPLACE INTO gs_sync_quarantine (tbl, uid, op, mask, hlc, reason, waits_tbl, waits_uid, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string op(1, ch.op), at = model::now_timestamp();
    sqlite3_bind_text(*s, 1, tbl.data(), int(tbl.size()), SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
    sqlite3_bind_text(*s, 3, op.data(), 1, SQLITE_STATIC);
    sqlite3_bind_int64(*s, 4, int64_t(ch.mask));
    sqlite3_bind_int64(*s, 5, ch.hlc);
    sqlite3_bind_text(*s, 6, reason.data(), int(reason.size()), SQLITE_STATIC);
    if (!waits_uid.empty()) {
        sqlite3_bind_text(*s, 7, waits_tbl.data(), int(waits_tbl.size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 8, waits_uid.data(), int(waits_uid.size()), SQLITE_STATIC);
    }
    sqlite3_bind_text(*s, 9, at.data(), int(at.size()), SQLITE_STATIC);
    s.run();
}

void unhold(store::Database& db, const std::string& tbl, const std::string& uid) {
    Stmt s(db, "DELETE FROM gs_sync_quarantine WHERE tbl = ? AND uid = ?");
    sqlite3_bind_text(*s, 1, tbl.data(), int(tbl.size()), SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
    s.run();
}

std::optional<int64_t> local_id(store::Database& db, const SyncTable& st, const std::string& uid) {
    Stmt s(db, "K:" + st.name(), [&] { return "SELECT " + q(st.table->key().name) + " FROM " + q(st.name()) + " WHERE uid = ?"; });
    sqlite3_bind_text(*s, 1, uid.data(), int(uid.size()), SQLITE_STATIC);
    if (!s.step()) return std::nullopt;
    return sqlite3_column_int64(*s, 0);
}

// After an ack: the rows it quarantined are recorded with the server's reason, and rows held for
// a parent this batch delivered go back to the outbox.
void settle_quarantine(store::Database& db, const Ack& ack, const Batch& b) {
    std::map<std::pair<std::string, std::string>, const Change*> sent;
    for (const auto& ch : b.changes)
        if (ch.op != 'd') sent[{ch.table->name(), ch.uid}] = &ch;
    std::set<std::pair<std::string, std::string>> refused;
    for (const auto& r : ack.rejected) {
        refused.emplace(r.table, r.uid);
        if (!r.quarantine) continue;
        auto it = sent.find({r.table, r.uid});
        if (it != sent.end()) hold(db, r.table, r.uid, *it->second, r.reason, r.waits_table, r.waits_uid);
    }
    struct Waiting {
        std::string tbl, uid, op;
        int64_t mask;
        std::pair<std::string, std::string> parent;
    };
    std::vector<Waiting> waiting;
    {
        Stmt s(db, "SELECT tbl, uid, op, mask, waits_tbl, waits_uid FROM gs_sync_quarantine WHERE waits_uid IS NOT NULL");
        auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(*s, i))); };
        while (s.step()) waiting.push_back({text(0), text(1), text(2), sqlite3_column_int64(*s, 3), {text(4), text(5)}});
    }
    for (const auto& w : waiting) {
        if (!sent.count(w.parent) || refused.count(w.parent)) continue;
        const SyncTable* st = find_layout(w.tbl);
        auto id = st ? local_id(db, *st, w.uid) : std::nullopt;
        if (id) {
            Stmt o(db, "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, ?, ?, " + std::string(wall_sql) +
                           ") ON CONFLICT (tbl, row_id) DO UPDATE SET op = min(op, excluded.op), mask = mask | excluded.mask");
            sqlite3_bind_int64(*o, 1, st->number);
            sqlite3_bind_int64(*o, 2, *id);
            sqlite3_bind_int64(*o, 3, w.op == "i" ? op_insert : op_update);
            sqlite3_bind_int64(*o, 4, w.op == "i" ? 0 : w.mask);
            o.run();
        }
        unhold(db, w.tbl, w.uid);
    }
}

}  // namespace

Device::Device(store::Database& db) : db_(db) { install(db_); }

std::string Device::device_id() {
    std::string id = db_.meta("sync.device");
    if (id.empty()) {
        id = model::new_uuid_v7();
        db_.set_meta("sync.device", id);
    }
    return id;
}

std::string Device::user() const { return const_cast<store::Database&>(db_).meta("sync.user"); }

std::string Device::user(const std::string& requested) {
    std::string recorded = db_.meta("sync.user");
    if (!requested.empty()) {
        std::string r = requested;
        for (auto& ch : r) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (!model::is_canonical_uuid(r)) invalid("user_uid: '" + requested + "' is not a UUID");
        if (!recorded.empty() && recorded != r)
            invalid("user_uid: this file syncs as account " + recorded + ", not " + r + " (one account per file)");
        if (recorded.empty()) db_.set_meta("sync.user", r);
        return r;
    }
    if (!recorded.empty()) return recorded;
    auto& c = db_.prepare("SELECT uid FROM users ORDER BY id LIMIT 2");
    std::vector<std::string> uids;
    while (c.executeStep()) uids.push_back(c.getColumn(0).getString());
    c.tryReset();
    if (uids.empty()) invalid("user_uid: the file has no user yet; name the account to sync (gs_sync_options.user_uid)");
    if (uids.size() > 1) invalid("user_uid: the file has several users; name the account to sync (gs_sync_options.user_uid)");
    db_.set_meta("sync.user", uids[0]);
    return uids[0];
}

Batch Device::export_batch(int max_rows) {
    if (max_rows < 1) invalid("batch_rows: must be at least 1");
    std::string user = this->user();
    if (user.empty()) invalid("sync: no account recorded for this file yet (call with user_uid first)");
    Tx tx(db_);
    {
        auto& s = db_.prepare("SELECT body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
        if (s.executeStep()) {
            std::string body = s.getColumn(0).getString();
            s.tryReset();
            Batch b = batch_from_json(json::parse(body));
            tx.commit();
            return b;
        }
        s.tryReset();
    }
    Batch b;
    b.schema = db_.schema().version();
    b.device = device_id();
    b.user = user;
    stamp(db_, hlc::node_of(b.device));

    const auto& tables = layout();
    auto valid = [&](int64_t tbl) { return tbl >= 0 && size_t(tbl) < tables.size() && !tables[size_t(tbl)].catalog; };
    bool held = any_quarantined(db_);  // the checks below cost nothing while nothing is quarantined
    // A row whose parent is quarantined waits with it (the server would refuse the reference).
    auto hold_for_parent = [&](const SyncTable& st, const Change& ch) {
        for (const auto& sc : st.columns) {
            const Value& v = ch.values[size_t(sc.pos)];
            if (!sc.parent || !(ch.mask >> sc.pos & 1) || !v) continue;
            const SyncTable& parent = layout_of(*sc.parent);
            if (parent.catalog || !quarantined(db_, parent.name(), *v)) continue;
            hold(db_, st.name(), ch.uid, ch, "waits for " + parent.name() + " " + *v + ", which is quarantined", parent.name(), *v);
            return true;
        }
        return false;
    };
    // Entries with nothing to send (a row gone with a parent deleted by a pull, an update that
    // changed no value) are dropped as they are read; keep reading until the batch has changes or
    // the outbox is empty, so an empty batch always means "nothing left to push".
    for (;;) {
        // Deletes first (children before parents), then rows in dependency order.
        // Bounded by the bytes of its JSON as well as by rows (batch_budget_bytes, under the
        // server's batch_max_bytes): the entries past the budget stay in the outbox.
        std::vector<std::pair<int64_t, std::string>> deletes;
        size_t bytes = 512;  // the header
        {
            Stmt s(db_, "SELECT tbl, uid, clock FROM gs_outbox_deleted ORDER BY tbl DESC, uid LIMIT ?");
            sqlite3_bind_int64(*s, 1, max_rows);
            while (s.step()) {
                int64_t tbl = sqlite3_column_int64(*s, 0);
                std::string uid = reinterpret_cast<const char*>(sqlite3_column_text(*s, 1));
                if (valid(tbl)) {
                    Change ch;
                    ch.table = &tables[size_t(tbl)];
                    ch.uid = uid;
                    ch.op = 'd';
                    ch.hlc = sqlite3_column_int64(*s, 2);
                    const size_t size = json_size(ch);
                    if (bytes + size > batch_budget_bytes) break;
                    bytes += size;
                    b.changes.push_back(std::move(ch));
                }
                deletes.emplace_back(tbl, std::move(uid));
            }
        }
        struct Entry {
            int64_t tbl, row, op, mask, clock;
        };
        std::vector<Entry> entries;
        if (int(deletes.size()) < max_rows && bytes < batch_budget_bytes) {
            Stmt s(db_, "SELECT tbl, row_id, op, mask, clock FROM gs_outbox ORDER BY tbl, row_id LIMIT ?");
            sqlite3_bind_int64(*s, 1, max_rows - int64_t(deletes.size()));
            while (s.step())
                entries.push_back({sqlite3_column_int64(*s, 0), sqlite3_column_int64(*s, 1), sqlite3_column_int64(*s, 2), sqlite3_column_int64(*s, 3),
                                   sqlite3_column_int64(*s, 4)});
        }
        size_t used = 0;
        for (; used < entries.size(); ++used) {
            const Entry& e = entries[used];
            if (!valid(e.tbl)) continue;
            const SyncTable& st = tables[size_t(e.tbl)];
            Stmt r(db_, "X:" + st.name(), [&] { return row_select_sql(st); });
            sqlite3_bind_int64(*r, 1, e.row);
            if (!r.step()) continue;  // gone with a parent deleted while applying a pull: nothing to push
            Change ch;
            ch.table = &st;
            ch.uid = reinterpret_cast<const char*>(sqlite3_column_text(*r, 0));
            ch.op = e.op == op_update ? 'u' : 'i';
            ch.hlc = e.clock;
            ch.mask = e.op == op_update ? (uint64_t(e.mask) & st.all_bits) : st.all_bits;
            if (ch.mask == 0) continue;
            if (held)
                if (auto h = quarantined(db_, st.name(), ch.uid)) {
                    // Changed since the server refused it: sent again, whole if the server never had it.
                    if (h->op == 'i') ch.op = 'i', ch.mask = st.all_bits;
                    else ch.mask |= h->mask & st.all_bits;
                    unhold(db_, st.name(), ch.uid);
                }
            ch.values.resize(st.table->columns.size());
            int col = 1;
            for (const auto& sc : st.columns) {
                if (ch.mask >> sc.pos & 1) ch.values[size_t(sc.pos)] = canonical(*r, col, sc);
                ++col;
            }
            if (held && hold_for_parent(st, ch)) continue;
            if (auto why = unsendable(st, ch)) {
                hold(db_, st.name(), ch.uid, ch, *why, "", "");
                held = true;
                continue;
            }
            const size_t size = json_size(ch);
            if (size + 512 > batch_budget_bytes) {  // no batch can carry it
                hold(db_, st.name(), ch.uid, ch,
                     st.name() + ": the row takes " + std::to_string(size) + " bytes, more than the " + std::to_string(batch_budget_bytes) +
                         " a batch carries",
                     "", "");
                held = true;
                continue;
            }
            if (bytes + size > batch_budget_bytes) break;  // stays in the outbox for the next batch
            bytes += size;
            b.changes.push_back(std::move(ch));
        }
        entries.resize(used);
        for (const auto& [tbl, uid] : deletes) {
            if (held && valid(tbl)) unhold(db_, tables[size_t(tbl)].name(), uid);
            Stmt d(db_, "DELETE FROM gs_outbox_deleted WHERE tbl = ? AND uid = ?");
            sqlite3_bind_int64(*d, 1, tbl);
            sqlite3_bind_text(*d, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
            d.run();
        }
        for (const auto& e : entries) {
            Stmt d(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
            sqlite3_bind_int64(*d, 1, e.tbl);
            sqlite3_bind_int64(*d, 2, e.row);
            d.run();
        }
        if (!b.changes.empty() || (deletes.empty() && entries.empty())) break;
    }
    if (!b.changes.empty()) {
        b.mutation = meta_int(db_, "sync.mutation") + 1;
        b.batch_id = model::new_uuid_v7();
        b.base = meta_int(db_, "sync.cursor");
        await_ack(db_, b);
    }
    tx.commit();
    return b;
}

void Device::accept_ack(const Ack& ack) {
    if (ack.refused == "mutation_behind") {
        requeue_inflight(ack.server_mutation + 1);
        return;
    }
    Tx tx(db_);
    auto& s = db_.prepare("SELECT mutation, batch, body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
    if (!s.executeStep()) {
        s.tryReset();
        if (ack.mutation <= meta_int(db_, "sync.mutation")) return;  // already accepted: acks are idempotent
        throw Error(Status::sync, "ack: mutation " + std::to_string(ack.mutation) + " was never sent by this device");
    }
    int64_t mutation = s.getColumn(0).getInt64();
    std::string batch = s.getColumn(1).getString();
    // The batch itself is read back only when the quarantine has something to settle.
    const bool settle = std::any_of(ack.rejected.begin(), ack.rejected.end(), [](const Rejected& r) { return r.quarantine; }) || any_quarantined(db_);
    std::string body = settle ? s.getColumn(2).getString() : std::string();
    s.tryReset();
    if (ack.mutation != mutation || ack.batch_id != batch)
        throw Error(Status::sync, "ack: for mutation " + std::to_string(ack.mutation) + " (batch " + ack.batch_id + ") but the device awaits mutation " +
                                      std::to_string(mutation) + " (batch " + batch + ")");
    if (settle) settle_quarantine(db_, ack, batch_from_json(json::parse(body)));
    auto& d = db_.prepare("DELETE FROM gs_sync_inflight WHERE mutation = ?");
    d.bind(1, mutation);
    d.exec();
    db_.set_meta("sync.last_push_at", model::now_timestamp());
    tx.commit();
}

void Device::requeue_inflight(int64_t next_mutation) {
    Tx tx(db_);
    auto& s = db_.prepare("SELECT body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
    if (!s.executeStep()) {
        s.tryReset();
        return;
    }
    Batch b = batch_from_json(json::parse(s.getColumn(0).getString()));
    s.tryReset();
    // Renumber the same changes after the server's last mutation (a file restored from a backup).
    db_.sql().exec("DELETE FROM gs_sync_inflight");
    b.mutation = std::max(next_mutation, b.mutation + 1);
    b.batch_id = model::new_uuid_v7();
    await_ack(db_, b);
    tx.commit();
}

PullRequest Device::pull_request(int limit, int64_t max_bytes) {
    if (limit < 1) invalid("batch_rows: must be at least 1");
    if (max_bytes < 1 || max_bytes > page_cap_bytes) invalid("page_bytes: must be between 1 and " + std::to_string(page_cap_bytes));
    PullRequest r;
    r.schema = db_.schema().version();
    r.device = device_id();
    r.user = user();
    if (r.user.empty()) invalid("sync: no account recorded for this file yet (call with user_uid first)");
    r.cursor = meta_int(db_, "sync.cursor");
    r.after = db_.meta("sync.after");
    r.max_bytes = max_bytes;
    r.held = r.done();
    r.resync = db_.meta("sync.resync") == "1";
    r.catalog_cursor = meta_int(db_, "sync.catalog_cursor");
    r.limit = limit;
    r.catalog_version = int(meta_int(db_, "catalog_version"));
    return r;
}

// ---- apply ------------------------------------------------------------------------------------

namespace {

struct Pending {
    int64_t op = 0;
    uint64_t mask = 0;
    int64_t clock = 0;
    uint64_t covers(const SyncTable& st) const {
        if (op == op_insert) return st.all_bits;
        if (op == op_update) return mask;
        return 0;
    }
};

class Applier {
public:
    Applier(store::Database& db, ApplyStats& stats) : db_(db), stats_(stats) {
        // Local deletes not yet acknowledged by the server win over remote rows with those uids.
        Stmt s(db_, "SELECT tbl, uid FROM gs_outbox_deleted");
        while (s.step()) deleted_.insert(key(sqlite3_column_int64(*s, 0), reinterpret_cast<const char*>(sqlite3_column_text(*s, 1))));
        Stmt f(db_, "SELECT body FROM gs_sync_inflight");
        while (f.step()) {
            Batch b = batch_from_json(json::parse(reinterpret_cast<const char*>(sqlite3_column_text(*f, 0))));
            for (auto& ch : b.changes) {
                if (ch.op == 'd') deleted_.insert(key(ch.table->number, ch.uid));
                else inflight_[key(ch.table->number, ch.uid)] = {ch.op == 'i' ? op_insert : op_update, ch.mask, ch.hlc};
            }
        }
        // A quarantined row keeps its local values against older pulled ones, like a pending write.
        Stmt qz(db_, "SELECT tbl, uid, op, mask, hlc FROM gs_sync_quarantine");
        while (qz.step()) {
            const SyncTable* st = find_layout(reinterpret_cast<const char*>(sqlite3_column_text(*qz, 0)));
            if (!st) continue;
            const bool ins = sqlite3_column_text(*qz, 2)[0] == 'i';
            held_[key(st->number, reinterpret_cast<const char*>(sqlite3_column_text(*qz, 1)))] = {
                ins ? op_insert : op_update, uint64_t(sqlite3_column_int64(*qz, 3)), sqlite3_column_int64(*qz, 4)};
            ++quarantined_;
        }
        Stmt p(db_, "SELECT count(*) FROM gs_sync_parked");
        if (p.step()) parked_ = sqlite3_column_int64(*p, 0);
        // Tables with pending entries (applying pulled rows adds none: the triggers are off).
        Stmt o(db_, "SELECT DISTINCT tbl FROM gs_outbox");
        while (o.step()) outbox_tables_.insert(sqlite3_column_int64(*o, 0));
    }

    int64_t max_clock = 0;

    void remove(const PulledRow& row) {
        const SyncTable& st = *row.table;
        cache_.clear();
        if (parked_) unpark(st, row.uid);
        auto id = lookup(st, row.uid);
        if (!id) return;
        Stmt d(db_, "D:" + st.name(), [&] { return "DELETE FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?"; });
        sqlite3_bind_int64(*d, 1, *id);
        try {
            d.run();
        } catch (const SQLite::Exception& e) {
            // A catalog row still used by local rows (RESTRICT): keep it, the server will not send them.
            if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
            ++stats_.conflicts;
            return;
        }
        ++stats_.deleted;
        if (quarantined_) unhold(db_, st.name(), row.uid);  // deleted elsewhere: nothing left to fix
        if (st.catalog || !outbox_tables_.count(st.number)) return;
        // The row's own pending entry is moot.
        Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
        sqlite3_bind_int64(*x, 1, st.number);
        sqlite3_bind_int64(*x, 2, *id);
        x.run();
    }

    // Applies one row; false if it had to be parked (a parent is missing, or a unique key is held
    // by a local row the server will settle first).
    bool upsert(const PulledRow& row, bool from_park = false) {
        const SyncTable& st = *row.table;
        for (const auto& [pos, h] : row.clocks) max_clock = std::max(max_clock, h);
        max_clock = std::max(max_clock, row.hlc);
        std::vector<std::pair<const SyncColumn*, SqlValue>> vals;
        for (const auto& sc : st.columns) {
            if (!(row.present >> sc.pos & 1)) continue;
            const Value& v = row.values[size_t(sc.pos)];
            if (!v) {
                vals.emplace_back(&sc, std::monostate{});
            } else if (sc.parent) {
                auto r = resolve(sc, *v);
                if (!r) return park(row, from_park);
                vals.emplace_back(&sc, std::move(*r));
            } else {
                vals.emplace_back(&sc, to_local(sc, *v));
            }
        }
        auto id = lookup(st, row.uid);
        if (id) {
            update(st, *id, row, vals);
        } else {
            if (!st.catalog && deleted_.count(key(st.number, row.uid))) {
                ++stats_.conflicts;  // deleted here, not yet pushed: the delete wins
                return true;
            }
            if (!insert(st, row, vals)) return park(row, from_park);
        }
        if (parked_ && !from_park) unpark(st, row.uid);
        ++stats_.applied;
        return true;
    }

    void retry_parked() {
        while (parked_ > 0) {
            std::vector<std::tuple<int, std::string, std::string>> rows;
            {
                Stmt s(db_, "SELECT tbl, uid, body FROM gs_sync_parked");
                while (s.step()) {
                    const SyncTable* st = find_layout(reinterpret_cast<const char*>(sqlite3_column_text(*s, 0)));
                    rows.emplace_back(st ? st->number : -1, reinterpret_cast<const char*>(sqlite3_column_text(*s, 1)),
                                      reinterpret_cast<const char*>(sqlite3_column_text(*s, 2)));
                }
            }
            std::sort(rows.begin(), rows.end());
            bool progress = false;
            for (const auto& [number, uid, body] : rows) {
                if (number < 0) continue;
                Page p = page_from_json(json::parse(body));
                if (p.rows.size() != 1) continue;
                if (upsert(p.rows[0], true)) {
                    unpark(*p.rows[0].table, uid);
                    ++stats_.unparked;
                    progress = true;
                }
            }
            if (!progress) break;
        }
    }

private:
    static std::string key(int64_t tbl, const std::string& uid) { return std::to_string(tbl) + ":" + uid; }

    std::optional<int64_t> lookup(const SyncTable& st, const std::string& uid) {
        Stmt s(db_, "L:" + st.name(), [&] { return "SELECT " + q(st.table->key().name) + " FROM " + q(st.name()) + " WHERE uid = ?"; });
        sqlite3_bind_text(*s, 1, uid.data(), int(uid.size()), SQLITE_STATIC);
        if (s.step()) return sqlite3_column_int64(*s, 0);
        return std::nullopt;
    }

    std::optional<SqlValue> resolve(const SyncColumn& sc, const std::string& uid) {
        auto& cache = cache_[sc.parent];
        if (auto it = cache.find(uid); it != cache.end()) return it->second;
        const std::string& rc = sc.column->ref_column;
        Stmt s(db_, "R:" + sc.parent->name + "." + rc, [&] { return "SELECT " + q(rc) + " FROM " + q(sc.parent->name) + " WHERE uid = ?"; });
        sqlite3_bind_text(*s, 1, uid.data(), int(uid.size()), SQLITE_STATIC);
        if (!s.step()) return std::nullopt;
        SqlValue v;
        if (sqlite3_column_type(*s, 0) == SQLITE_INTEGER) v = int64_t(sqlite3_column_int64(*s, 0));
        else v = std::string(reinterpret_cast<const char*>(sqlite3_column_text(*s, 0)));
        if (cache.size() > 10000) cache.clear();
        cache.emplace(uid, v);
        return v;
    }

    std::optional<Pending> pending(const SyncTable& st, int64_t id) {
        Stmt s(db_, "SELECT op, mask, clock FROM gs_outbox WHERE tbl = ? AND row_id = ?");
        sqlite3_bind_int64(*s, 1, st.number);
        sqlite3_bind_int64(*s, 2, id);
        if (!s.step()) return std::nullopt;
        return Pending{sqlite3_column_int64(*s, 0), uint64_t(sqlite3_column_int64(*s, 1)), sqlite3_column_int64(*s, 2)};
    }

    void update(const SyncTable& st, int64_t id, const PulledRow& row, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        std::optional<Pending> pend = st.catalog ? std::nullopt : pending(st, id);
        std::optional<Pending> infl, held;
        if (!st.catalog) {
            if (auto it = inflight_.find(key(st.number, row.uid)); it != inflight_.end()) infl = it->second;
            if (quarantined_)
                if (auto it = held_.find(key(st.number, row.uid)); it != held_.end()) held = it->second;
        }
        // Current local values, to write only what differs.
        Stmt cur(db_, "C:" + st.name(), [&] {
            std::string sql = "SELECT ";
            for (size_t i = 0; i < st.columns.size(); ++i) sql += (i ? ", " : "") + q(st.columns[i].column->name);
            return sql + " FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?";
        });
        sqlite3_bind_int64(*cur, 1, id);
        if (!cur.step()) return;
        std::vector<std::pair<const SyncColumn*, const SqlValue*>> take, all;
        uint64_t won_pending = 0, won_held = 0;
        bool contested = false;
        for (const auto& [sc, v] : vals) {
            int col = int(sc - st.columns.data());
            bool differs = !same(*cur, col, v);
            if (differs) all.emplace_back(sc, &v);
            uint64_t bit = uint64_t(1) << sc->pos;
            int64_t local = 0;
            if (pend && (pend->covers(st) & bit)) local = std::max(local, pend->clock);
            if (infl && (infl->covers(st) & bit)) local = std::max(local, infl->clock);
            if (held && (held->covers(st) & bit)) local = std::max(local, held->clock);
            if (local && differs) contested = true;
            if (local > row.clock_of(sc->pos)) continue;  // our newer write stands until the server merges it
            if (pend && (pend->covers(st) & bit)) won_pending |= bit;
            if (held && (held->covers(st) & bit)) won_held |= bit;
            if (differs) take.emplace_back(sc, &v);
        }
        sqlite3_reset(*cur);
        if (contested) ++stats_.conflicts;
        if (!take.empty()) {
            try {
                write_update(st, id, take);
            } catch (const SQLite::Exception& e) {
                if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
                // The merged row breaks a constraint: the server's row wins entirely, as it will on push.
                write_update(st, id, all);
                if (pend) won_pending = pend->covers(st);
                if (held) won_held = held->covers(st);
            }
        }
        if (held && won_held == held->covers(st)) {  // newer writes from elsewhere replaced every refused value
            unhold(db_, st.name(), row.uid);
            held_.erase(key(st.number, row.uid));
        }
        if (pend && pend->op == op_update && won_pending) {
            // Columns the server's newer value took need not be pushed any more.
            uint64_t left = pend->mask & ~won_pending;
            if (left) {
                Stmt u(db_, "UPDATE gs_outbox SET mask = ? WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*u, 1, int64_t(left));
                sqlite3_bind_int64(*u, 2, st.number);
                sqlite3_bind_int64(*u, 3, id);
                u.run();
            } else {
                Stmt u(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*u, 1, st.number);
                sqlite3_bind_int64(*u, 2, id);
                u.run();
            }
        }
    }

    void write_update(const SyncTable& st, int64_t id, const std::vector<std::pair<const SyncColumn*, const SqlValue*>>& cols) {
        if (cols.empty()) return;
        std::string k = "U:" + st.name();
        for (const auto& [sc, v] : cols) k += "," + std::to_string(sc->pos);
        Stmt u(db_, k, [&] {
            std::string sql = "UPDATE OR FAIL " + q(st.name()) + " SET ";
            for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + q(cols[i].first->column->name) + " = ?";
            return sql + " WHERE " + q(st.table->key().name) + " = ?";
        });
        int i = 1;
        for (const auto& [sc, v] : cols) bind(*u, i++, *v);
        sqlite3_bind_int64(*u, i, id);
        u.run();
    }

    bool insert(const SyncTable& st, const PulledRow& row, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            std::string k = "I:" + st.name();
            for (const auto& [sc, v] : vals) k += "," + std::to_string(sc->pos);
            Stmt ins(db_, k, [&] {
                std::string cols = "\"uid\"", marks = "?";
                for (const auto& [sc, v] : vals) {
                    cols += ", " + q(sc->column->name);
                    marks += ", ?";
                }
                return "INSERT OR FAIL INTO " + q(st.name()) + " (" + cols + ") VALUES (" + marks + ")";
            });
            sqlite3_bind_text(*ins, 1, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
            int i = 2;
            for (const auto& [sc, v] : vals) bind(*ins, i++, v);
            try {
                ins.run();
                // SQLite may have reused the id of a row deleted here: an entry left for that id
                // (a child deleted with its parent by a pulled delete) is not about this row.
                if (!st.catalog && outbox_tables_.count(st.number)) {
                    Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                    sqlite3_bind_int64(*x, 1, st.number);
                    sqlite3_bind_int64(*x, 2, sqlite3_last_insert_rowid(db_.sql().getHandle()));
                    x.run();
                }
                return true;
            } catch (const SQLite::Exception& e) {
                if (e.getErrorCode() != SQLITE_CONSTRAINT || attempt == 1 || st.catalog) {
                    if (e.getErrorCode() == SQLITE_CONSTRAINT) return false;
                    throw;
                }
            }
            // A natural key (UNIQUE) held by a local row that was never pushed: the server has this
            // row already, so that local row would lose there. It loses here too.
            if (!drop_unique_losers(st, vals)) return false;
        }
        return false;
    }

    bool drop_unique_losers(const SyncTable& st, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        std::vector<std::vector<std::string>> groups = st.table->unique;
        for (const auto& c : st.table->columns)
            if (c.unique && c.name != "uid") groups.push_back({c.name});
        if (st.key_is_ref) groups.push_back({st.table->key().name});
        bool dropped = false;
        for (const auto& g : groups) {
            std::string where;
            std::vector<const SqlValue*> args;
            bool usable = true;
            for (const auto& name : g) {
                const SqlValue* v = nullptr;
                for (const auto& [sc, val] : vals)
                    if (sc->column->name == name) v = &val;
                if (!v || std::holds_alternative<std::monostate>(*v)) usable = false;
                where += (where.empty() ? "" : " AND ") + q(name) + " = ?";
                args.push_back(v);
            }
            if (!usable) continue;
            std::string sql = "SELECT t." + q(st.table->key().name) + " FROM " + q(st.name()) + " t JOIN gs_outbox o ON o.tbl = " +
                              std::to_string(st.number) + " AND o.row_id = t." + q(st.table->key().name) + " AND o.op = 1 WHERE " + where;
            std::vector<int64_t> ids;
            {
                Stmt s(db_, sql);
                for (size_t i = 0; i < args.size(); ++i) bind(*s, int(i + 1), *args[i]);
                while (s.step()) ids.push_back(sqlite3_column_int64(*s, 0));
            }
            for (int64_t id : ids) {
                Stmt d(db_, "D:" + st.name(), [&] { return "DELETE FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?"; });
                sqlite3_bind_int64(*d, 1, id);
                d.run();
                Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*x, 1, st.number);
                sqlite3_bind_int64(*x, 2, id);
                x.run();
                ++stats_.conflicts;
                dropped = true;
                cache_.clear();
            }
        }
        return dropped;
    }

    bool park(const PulledRow& row, bool from_park) {
        if (from_park) return false;
        Page p;
        p.schema = db_.schema().version();
        p.rows.push_back(row);
        Stmt s(db_, "INSERT OR REPLACE INTO gs_sync_parked (tbl, uid, body) VALUES (?, ?, ?)");
        std::string body = to_json(p);
        sqlite3_bind_text(*s, 1, row.table->name().data(), int(row.table->name().size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 2, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 3, body.data(), int(body.size()), SQLITE_STATIC);
        s.run();
        ++parked_;
        ++stats_.parked;
        return false;
    }

    void unpark(const SyncTable& st, const std::string& uid) {
        Stmt s(db_, "DELETE FROM gs_sync_parked WHERE tbl = ? AND uid = ?");
        sqlite3_bind_text(*s, 1, st.name().data(), int(st.name().size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
        s.run();
        if (sqlite3_changes(db_.sql().getHandle()) > 0) --parked_;
    }

    store::Database& db_;
    ApplyStats& stats_;
    std::unordered_set<std::string> deleted_;
    std::unordered_set<int64_t> outbox_tables_;
    std::unordered_map<std::string, Pending> inflight_;
    std::unordered_map<std::string, Pending> held_;  // quarantined rows: their refused values stand like pending writes
    std::unordered_map<const model::Table*, std::unordered_map<std::string, SqlValue>> cache_;
    int64_t parked_ = 0;
    int64_t quarantined_ = 0;
};

// After a full re-pull: local rows the server no longer has (deleted while this device was away
// past the GC horizon) go, except rows created here and not pushed yet.
void sweep(store::Database& db) {
    const auto& tables = layout();
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
        const SyncTable& st = *it;
        if (st.catalog) continue;
        const std::string k = std::to_string(st.number), key = q(st.table->key().name);
        db.sql().exec("DELETE FROM " + q(st.name()) + " WHERE uid NOT IN (SELECT uid FROM gs_sync_seen WHERE tbl = " + k + ") AND " + key +
                      " NOT IN (SELECT row_id FROM gs_outbox WHERE tbl = " + k + " AND op = 1) AND uid NOT IN (SELECT uid FROM gs_sync_quarantine WHERE tbl = '" +
                      st.name() + "')");
    }
    for (const auto& st : tables) {
        if (st.catalog) continue;
        const std::string k = std::to_string(st.number), key = q(st.table->key().name);
        db.sql().exec("DELETE FROM gs_outbox WHERE tbl = " + k + " AND row_id NOT IN (SELECT " + key + " FROM " + q(st.name()) + ")");
    }
    db.sql().exec("DELETE FROM gs_sync_seen");
}

}  // namespace

namespace {

// Pulled pages commit without waiting for the disk (WAL, synchronous=NORMAL): a page lost to a
// power cut goes with its cursor, atomically, and is simply pulled again. Restores the setting.
class LazyCommit {
public:
    explicit LazyCommit(store::Database& db) : db_(db.sql()) {
        level_ = db_.execAndGet("PRAGMA synchronous").getInt();
        if (level_ > 1) db_.exec("PRAGMA synchronous = NORMAL");
    }
    ~LazyCommit() {
        if (level_ > 1) try {
                db_.exec("PRAGMA synchronous = " + std::to_string(level_));
            } catch (...) {
            }
    }
    LazyCommit(const LazyCommit&) = delete;
    LazyCommit& operator=(const LazyCommit&) = delete;

private:
    SQLite::Database& db_;
    int level_ = 0;
};

}  // namespace

ApplyStats Device::apply(const Page& page) {
    ApplyStats stats;
    std::string device = device_id();
    LazyCommit lazy(db_);
    Tx tx(db_);
    db_.sql().exec("INSERT INTO gs_sync_apply VALUES (1); PRAGMA defer_foreign_keys = ON");
    stamp(db_, hlc::node_of(device));
    if (page.resync) {
        // Past the server's GC horizon: pull everything again from 0, then sweep what is gone.
        db_.set_meta("sync.resync", "1");
        db_.set_meta("sync.cursor", "0");
        db_.set_meta("sync.after", "");
        db_.sql().exec("DELETE FROM gs_sync_seen; DELETE FROM gs_sync_apply");
        tx.commit();
        return stats;
    }
    const bool resyncing = db_.meta("sync.resync") == "1";
    Applier a(db_, stats);
    for (const auto& row : page.rows) {
        if (row.deleted) a.remove(row);
        else a.upsert(row);
        if (resyncing && !row.deleted && !row.table->catalog) {
            Stmt s(db_, "INSERT OR IGNORE INTO gs_sync_seen (tbl, uid) VALUES (?, ?)");
            sqlite3_bind_int64(*s, 1, row.table->number);
            sqlite3_bind_text(*s, 2, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
            s.run();
        }
    }
    a.retry_parked();
    if (a.max_clock > meta_int(db_, "sync.hlc")) set_meta_int(db_, "sync.hlc", a.max_clock);
    // The position inside a sequence goes with the rows, in this transaction: a page that ended
    // inside a sequence resumes exactly after its last row, whatever fails before the next one.
    set_meta_int(db_, "sync.cursor", page.cursor);
    if (!page.after.empty() || !db_.meta("sync.after").empty()) db_.set_meta("sync.after", page.after);
    set_meta_int(db_, "sync.catalog_cursor", page.catalog_cursor);
    if (!page.more) {
        if (resyncing) {
            sweep(db_);
            db_.set_meta("sync.resync", "0");
        }
        db_.set_meta("sync.initial_done", "1");
    }
    db_.set_meta("sync.last_pull_at", model::now_timestamp());
    db_.sql().exec("DELETE FROM gs_sync_apply");
    tx.commit();
    return stats;
}

bool Device::initial_pull_complete() { return db_.meta("sync.initial_done") == "1"; }

int64_t Device::outbox_depth() {
    auto& s = db_.prepare("SELECT (SELECT count(*) FROM gs_outbox) + (SELECT count(*) FROM gs_outbox_deleted)");
    s.executeStep();
    int64_t n = s.getColumn(0).getInt64();
    s.tryReset();
    return n;
}

json Device::status() {
    auto count = [&](const char* sql) {
        auto& s = db_.prepare(sql);
        s.executeStep();
        int64_t n = s.getColumn(0).getInt64();
        s.tryReset();
        return n;
    };
    auto opt = [&](const char* key) -> json {
        std::string v = db_.meta(key);
        return v.empty() ? json(nullptr) : json(v);
    };
    json s;
    s["device"] = opt("sync.device");
    s["user"] = opt("sync.user");
    s["outbox"] = outbox_depth();
    s["inflight"] = count("SELECT count(*) FROM gs_sync_inflight") > 0;
    s["parked"] = count("SELECT count(*) FROM gs_sync_parked");
    s["cursor"] = meta_int(db_, "sync.cursor");
    s["catalog_cursor"] = meta_int(db_, "sync.catalog_cursor");
    s["mutation"] = meta_int(db_, "sync.mutation");
    s["initial_pull_complete"] = initial_pull_complete();
    s["resyncing"] = db_.meta("sync.resync") == "1";
    s["last_push_at"] = opt("sync.last_push_at");
    s["last_pull_at"] = opt("sync.last_pull_at");
    s["last_error"] = opt("sync.last_error");
    s["schema"] = db_.schema().version();
    s["quarantined"] = count("SELECT count(*) FROM gs_sync_quarantine");
    json held = json::array();  // the first 100, oldest first: what the app shows the user to fix
    Stmt q(db_, "SELECT tbl, uid, reason, at, waits_tbl, waits_uid FROM gs_sync_quarantine ORDER BY at, tbl, uid LIMIT 100");
    auto text = [&](int i) { return sqlite3_column_type(*q, i) == SQLITE_NULL ? std::string() : std::string(reinterpret_cast<const char*>(sqlite3_column_text(*q, i))); };
    while (q.step()) {
        json e = {{"table", text(0)}, {"uid", text(1)}, {"reason", text(2)}, {"at", text(3)}, {"id", nullptr}};
        if (const SyncTable* st = find_layout(text(0)))
            if (auto id = local_id(db_, *st, text(1))) e["id"] = *id;
        if (!text(5).empty()) e["waits_for"] = {{"table", text(4)}, {"uid", text(5)}};
        held.push_back(std::move(e));
    }
    s["quarantine"] = held;
    return s;
}

}  // namespace gainsly::sync
