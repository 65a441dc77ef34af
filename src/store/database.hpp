// The on-device store: one SQLite file (WAL, foreign keys on, user_version = schema version),
// forward-only migrations, and validated create/read/update/delete of any table's rows as JSON.
#pragma once
#include "store/sqlite.hpp"
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/migrate.hpp"
#include <utility>
#include <variant>
#include <vector>

#include "model/schema.hpp"

namespace gainsly::store {

using json = nlohmann::json;

// A value checked against its column, in the form it is bound to SQLite.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<std::pair<const model::Column*, SqlValue>>;

// Appends s as a JSON string literal (quotes and escapes).
void append_json_string(std::string& out, std::string_view s);
// Appends the shortest text that reads back to the same double, in the form JSON texts and the sync
// wire have always used: fixed notation for decimal exponents -4..15 ("80", "0.0001", "-0"),
// otherwise d.ddde±XX ("1e+16", "5e-324"); "inf", "-inf", "nan" as they are.
void append_shortest(std::string& out, double d);

// Limits on what the library accepts, so every value also fits the PostgreSQL mirror and no
// document can exhaust the stack (nlohmann::json dumps and copies recursively).
inline constexpr int json_max_depth = 64;                        // nesting of arrays and objects in a JSON column value
inline constexpr int json_max_document_depth = json_max_depth + 16;  // a whole document: a sync batch wraps values in 4 levels
inline constexpr size_t value_max_bytes = size_t(1) << 20;        // one text or JSON column value

// Throws Error(invalid) naming `what` when the JSON text nests arrays/objects deeper than
// max_depth. A linear scan of the text, run before it is parsed.
void check_json_depth(std::string_view text, const std::string& what, int max_depth = json_max_document_depth);

// Validates one JSON value for table.column (type, enum, length, date/timestamp/uuid form). With
// `mirror_limits` (new writes) also what PostgreSQL would refuse — an int column is a 32-bit
// integer there, NUL in JSON — and the size and JSON depth limits. Sync's wire parsers pass
// false: a row already in a file is carried as it is and the server quarantines what it refuses.
// Throws Error(invalid) with a message naming table.column.
SqlValue to_sql(const model::Table& table, const model::Column& column, const json& value, bool mirror_limits = true);

class Database {
public:
    // Opens or creates the file and brings its schema to the latest version (see migrate.cpp).
    explicit Database(const std::string& path, const OpenOptions& options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const model::Schema& schema() const { return model::Schema::builtin(); }
    const std::string& path() const { return path_; }

    // Generic rows. JSON keys are column names; all validation errors name table.column.
    int64_t insert(std::string_view table, const json& row);
    int64_t insert(const model::Table& table, Row row);  // already validated values
    // Called after every insert() with the new row's key, in the same transaction (a savepoint
    // when the caller has none), so the row and what the hook records are written together. Sync
    // sets it to put the row in its outbox: an AFTER INSERT trigger would cost 1.6x per insert.
    using InsertHook = std::function<void(const model::Table&, int64_t id)>;
    void set_insert_hook(InsertHook hook) { insert_hook_ = std::move(hook); }
    void update(std::string_view table, int64_t id, const json& changes);
    void update(const model::Table& table, int64_t id, Row changes);
    void remove(std::string_view table, int64_t id);
    json get(std::string_view table, int64_t id);
    json select(std::string_view table, const json& filter);
    std::string get_text(std::string_view table, int64_t id);             // the same, as JSON text
    std::string select_text(std::string_view table, const json& filter);  // (what the C ABI returns)
    // One session row with an "exercises" array of its session_exercises in order (JSON text).
    std::string session_text(int64_t id);
    bool exists(const model::Table& table, int64_t id);
    // "SELECT <every column in order> FROM <table>", built once per table.
    const std::string& select_sql(const model::Table& table);
    static void append_row_json(std::string& out, const model::Table& table, sqlite3_stmt* stmt, int first_column = 0);

    // A cached prepared statement, reset and with bindings cleared.
    sqlite::Statement& prepare(const std::string& sql);
    sqlite::Database& sql() { return db_; }
    // Read paths use plain sqlite3 statements (cached, persistent) to serialise rows straight from
    // SQLite's buffers; step() returns true on a row and throws on an error.
    // `key` names the statement in the cache; make_sql builds its SQL on a miss (default: key is SQL).
    sqlite3_stmt* prepare_raw(const std::string& key, const std::function<std::string()>& make_sql = {});
    bool step(sqlite3_stmt* stmt);

    // Explicit transaction for callers that group writes (gs_db_begin/gs_db_commit/gs_db_rollback).
    void begin();
    void commit();
    void rollback();
    bool in_transaction() const;
    // Resets every statement still positioned on a row. A statement left mid-result keeps its read
    // snapshot open, and in WAL mode that connection then fails every later write with "database is
    // locked" once another connection has committed; the C ABI calls this after every call.
    void reset_statements() noexcept;

    // Changes whenever a row may have changed since it was read: a write on this connection, a
    // rollback (which undoes writes without un-counting them) or another connection's commit. A
    // layer that caches values derived from rows keeps the token it saw after its own last write
    // and trusts the cache only while the token is still the same.
    struct WriteToken {
        int64_t changes = -1, data_version = -1;
        uint64_t rollbacks = 0;
        bool operator==(const WriteToken&) const = default;
    };
    WriteToken write_token();
    void note_rollback() { ++rollbacks_; }
    // One slot per key for such a cache; it lives as long as the connection.
    std::shared_ptr<void>& cache_slot(const std::string& key) { return caches_[key]; }

    // Small key/value store for library bookkeeping (table gs_meta, not part of the mirror).
    std::string meta(std::string_view key, std::string_view fallback = "");
    void set_meta(std::string_view key, std::string_view value);

private:
    [[noreturn]] void rethrow_write_error(const std::exception& e, const model::Table& table, const Row* row, int64_t id);

    std::string path_;
    sqlite::Database db_;
    std::unordered_map<std::string, std::unique_ptr<sqlite::Statement>> statements_;
    std::unordered_map<const model::Table*, std::string> select_sql_;
    struct Finalize {
        void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
    };
    std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, Finalize>> raw_statements_;
    uint64_t rollbacks_ = 0;
    std::unordered_map<std::string, std::shared_ptr<void>> caches_;
    InsertHook insert_hook_;  // after db_: destroyed first, with any statement it holds
};

// RAII savepoint: every multi-statement write runs inside one, so it is all-or-nothing whether or
// not the caller has an explicit transaction open.
class Savepoint {
public:
    explicit Savepoint(Database& db);
    ~Savepoint();
    void commit();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;

private:
    Database& db_;
    bool done_ = false;
};

// Maps an exception from SQLite or the library to an Error with a status (used by every layer).
[[noreturn]] void rethrow_as_error(const std::exception& e, const std::string& context);

}  // namespace gainsly::store
