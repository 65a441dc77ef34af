#include "sync/device_sql.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <vector>

#include "model/time.hpp"
#include "model/uuid.hpp"
#include "sync/device.hpp"

namespace gainsly::sync::device_sql {

std::string raw_meta(sqlite::Database& db, const std::string& key) {
    sqlite::Statement s(db, "SELECT value FROM gs_meta WHERE key = ?");
    s.bind(1, key);
    return s.executeStep() ? s.getColumn(0).getString() : std::string();
}

void raw_set_meta(sqlite::Database& db, const std::string& key, const std::string& value) {
    sqlite::Statement s(db, "INSERT INTO gs_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
}

int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int64_t to_i64(const std::string& s, int64_t fallback) {
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

std::string row_select_sql(const SyncTable& st) {
    std::string sql = "SELECT t.\"uid\"";
    for (const auto& sc : st.columns) {
        if (sc.parent) sql += ", (SELECT p.\"uid\" FROM " + q(sc.parent->name) + " p WHERE p." + q(sc.column->ref_column) + " = t." + q(sc.column->name) + ")";
        else sql += ", t." + q(sc.column->name);
    }
    return sql + " FROM " + q(st.name()) + " t WHERE t." + q(st.table->key().name) + " = ?";
}

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

// gs_sync_quarantine holds rows the server refused (its reason kept) and rows held back because
// a parent is quarantined. A local change to such a row sends it again; nothing else waits on it.
bool any_quarantined(store::Database& db) {
    Stmt s(db, "SELECT EXISTS (SELECT 1 FROM gs_sync_quarantine)");
    return s.step() && sqlite3_column_int64(*s, 0) != 0;
}


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
}  // namespace gainsly::sync::device_sql
