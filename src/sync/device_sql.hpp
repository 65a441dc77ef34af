// Helpers the device files share (device_install, device_push, device_apply, device): SQL
// quoting, gs_meta access, transactions and cached statements, canonical values, stamping outbox
// clocks, and the quarantine table.
#pragma once
#include "store/sqlite.hpp"
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/error.hpp"
#include "store/database.hpp"
#include "sync/wire.hpp"

namespace gainsly::sync::device_sql {

using model::Type;
using store::SqlValue;

// Outbox operations. The values are chosen so a plain insert (the common case) stores op and mask
// as SQLite's zero-byte constants 1 and 0. Deletes live in gs_outbox_deleted, keyed by uid: SQLite
// reuses the id of a deleted row, so an id cannot stand for a deleted row.
enum Op : int { op_insert = 1, op_update = 2 };

inline constexpr const char* wall_sql = "-CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

inline std::string q(std::string_view id) { return "\"" + std::string(id) + "\""; }

std::string raw_meta(sqlite::Database& db, const std::string& key);
void raw_set_meta(sqlite::Database& db, const std::string& key, const std::string& value);
int64_t wall_ms();
int64_t to_i64(const std::string& s, int64_t fallback = 0);
int64_t meta_int(store::Database& db, const char* key);
void set_meta_int(store::Database& db, const char* key, int64_t v);
// Records batch b as the one awaiting its acknowledgement (resent verbatim until the ack comes).
void await_ack(store::Database& db, const Batch& b);
// Canonical wire text of column `col` of the current row.
Value canonical(sqlite3_stmt* st, int col, const SyncColumn& sc);
// Canonical text to the value bound in SQLite for a plain (non-reference) column.
SqlValue to_local(const SyncColumn& sc, const std::string& v);
void bind(sqlite3_stmt* st, int i, const SqlValue& v);
bool same(sqlite3_stmt* st, int col, const SqlValue& v);
std::string row_select_sql(const SyncTable& st);
// Stamps outbox entries that carry only their wall time with the device's next clocks.
void stamp(store::Database& db, int64_t node);

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
    sqlite::Database& db_;
    bool done_ = false;
};

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

// gs_sync_quarantine (README: Quarantine).
struct Held {
    char op = 'i';
    uint64_t mask = 0;
};
bool any_quarantined(store::Database& db);
std::optional<Held> quarantined(store::Database& db, const std::string& tbl, const std::string& uid);
void hold(store::Database& db, const std::string& tbl, const std::string& uid, const Change& ch, const std::string& reason, const std::string& waits_tbl, const std::string& waits_uid);
void unhold(store::Database& db, const std::string& tbl, const std::string& uid);
std::optional<int64_t> local_id(store::Database& db, const SyncTable& st, const std::string& uid);

}  // namespace gainsly::sync::device_sql
