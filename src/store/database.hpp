// The on-device store: one SQLite file (WAL, foreign keys on, user_version = schema version),
// forward-only migrations, and validated create/read/update/delete of any table's rows as JSON.
#pragma once
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "model/schema.hpp"

namespace gainsly::store {

using json = nlohmann::json;

// A value checked against its column, in the form it is bound to SQLite.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<std::pair<const model::Column*, SqlValue>>;

// Validates one JSON value for table.column (type, enum, length, date/timestamp/uuid form).
// Throws Error(invalid) with a message naming table.column.
SqlValue to_sql(const model::Table& table, const model::Column& column, const json& value);

class Database {
public:
    // Opens or creates the file and brings its schema to the latest version (see migrate.cpp).
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const model::Schema& schema() const { return model::Schema::builtin(); }
    const std::string& path() const { return path_; }

    // Generic rows. JSON keys are column names; all validation errors name table.column.
    int64_t insert(std::string_view table, const json& row);
    int64_t insert(const model::Table& table, Row row);  // already validated values
    void update(std::string_view table, int64_t id, const json& changes);
    void update(const model::Table& table, int64_t id, Row changes);
    void remove(std::string_view table, int64_t id);
    json get(std::string_view table, int64_t id);
    json select(std::string_view table, const json& filter);
    bool exists(const model::Table& table, int64_t id);
    json row_to_json(const model::Table& table, SQLite::Statement& stmt, int first_column = 0);

    // A cached prepared statement, reset and with bindings cleared.
    SQLite::Statement& prepare(const std::string& sql);
    SQLite::Database& sql() { return db_; }

    // Explicit transaction for callers that group writes (gs_begin/gs_commit/gs_rollback).
    void begin();
    void commit();
    void rollback();
    bool in_transaction() const;

    // Small key/value store for library bookkeeping (table gs_meta, not part of the mirror).
    std::string meta(std::string_view key, std::string_view fallback = "");
    void set_meta(std::string_view key, std::string_view value);

private:
    [[noreturn]] void rethrow_write_error(const std::exception& e, const model::Table& table, const Row* row, int64_t id);

    std::string path_;
    SQLite::Database db_;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
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
