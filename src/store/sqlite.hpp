// A small RAII wrapper over the sqlite3 C API: what the layers use, nothing more. The method names
// are those of the wrapper it replaced, so call sites read the same; the behaviour the code relies
// on is kept: every failure throws sqlite::Exception with SQLite's result code, extended code and
// message (rethrow_as_error maps the code to a Status), text columns are read as their bytes, and a
// connection has no busy handler until the store sets PRAGMA busy_timeout.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace gainsly::sqlite {

// Open flags for Database (the sqlite3_open_v2 bits).
inline constexpr int OPEN_READONLY = SQLITE_OPEN_READONLY;
inline constexpr int OPEN_READWRITE = SQLITE_OPEN_READWRITE;
inline constexpr int OPEN_CREATE = SQLITE_OPEN_CREATE;

class Exception : public std::runtime_error {
public:
    // The connection's current message and extended code, with the result code that failed.
    Exception(sqlite3* db, int code);
    // A misuse found by the wrapper itself (no row to read, a result from exec()): code -1 unless given.
    explicit Exception(const std::string& message, int code = -1);

    int getErrorCode() const noexcept { return code_; }
    int getExtendedErrorCode() const noexcept { return extended_; }

private:
    int code_;
    int extended_;
};

class Database;
class Statement;

// One value of the current row. From Statement::getColumn it points into the statement and is valid
// until the statement steps or resets; from Database::execAndGet it keeps its statement alive.
class Column {
public:
    bool isNull() const noexcept { return sqlite3_column_type(stmt_, index_) == SQLITE_NULL; }
    int getInt() const noexcept { return sqlite3_column_int(stmt_, index_); }
    int64_t getInt64() const noexcept { return sqlite3_column_int64(stmt_, index_); }
    double getDouble() const noexcept { return sqlite3_column_double(stmt_, index_); }
    // The value's bytes as SQLite gives them as text (a number converted, a NUL inside kept).
    std::string getString() const;

private:
    friend class Statement;
    friend class Database;
    Column(sqlite3_stmt* stmt, int index, std::shared_ptr<sqlite3_stmt> owner = {})
        : owner_(std::move(owner)), stmt_(stmt), index_(index) {}
    std::shared_ptr<sqlite3_stmt> owner_;  // set only by execAndGet
    sqlite3_stmt* stmt_;
    int index_;
};

class Database {
public:
    // Opens with sqlite3_open_v2; throws Exception (SQLITE_CANTOPEN, SQLITE_NOTADB, ...) on failure.
    Database(const std::string& path, int flags);
    Database(Database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    sqlite3* getHandle() const noexcept { return db_; }
    // Runs one or more statements without results; returns sqlite3_changes of the last one.
    int exec(const std::string& sql);
    // The first column of the first row; throws Exception (code -1) when there is no row.
    Column execAndGet(const std::string& sql);
    bool tableExists(const std::string& name);
    int64_t getLastInsertRowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

private:
    sqlite3* db_;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() = default;

    // Parameters are numbered from 1; values are copied (bindNoCopy: the caller keeps the text
    // alive and unchanged until the statement is reset or rebound).
    void bind(int index, int value) { check(sqlite3_bind_int(stmt(), index, value)); }
    void bind(int index, int64_t value) { check(sqlite3_bind_int64(stmt(), index, value)); }
    void bind(int index, double value) { check(sqlite3_bind_double(stmt(), index, value)); }
    void bind(int index, const std::string& value);
    void bind(int index, const char* value);
    void bind(int index) { check(sqlite3_bind_null(stmt(), index)); }  // NULL
    void bindNoCopy(int index, const std::string& value);
    // By name, with its prefix (":id", "@id", "$id"); throws when the statement has no such parameter.
    template <class... T>
    void bind(const char* name, T&&... value) {
        bind(parameter(name), std::forward<T>(value)...);
    }

    // Steps once: true on a row, false when done; throws on an error (and when stepped again after
    // false without reset()).
    bool executeStep();
    // Steps a statement that returns no row; throws if it returns one. Returns sqlite3_changes.
    int exec();
    void reset() { check(tryReset()); }
    int tryReset() noexcept;  // returns SQLite's code instead of throwing
    void clearBindings() { check(sqlite3_clear_bindings(stmt())); }

    // A column of the current row (from 0); throws when there is no row or no such column.
    Column getColumn(int index) const;

private:
    friend class Database;
    sqlite3_stmt* stmt() const;
    int parameter(const char* name) const;
    void check(int rc) const {
        if (rc != SQLITE_OK) throw Exception(db_, rc);
    }
    [[noreturn]] void fail(int rc) const;

    sqlite3* db_;
    std::shared_ptr<sqlite3_stmt> stmt_;
    int columns_ = 0;
    bool has_row_ = false;
    bool done_ = false;
};

enum class TransactionBehavior { DEFERRED, IMMEDIATE, EXCLUSIVE };

// BEGIN on construction; ROLLBACK on destruction unless commit() ran (errors then are swallowed:
// the connection rolls back itself when it can no longer run ROLLBACK).
class Transaction {
public:
    explicit Transaction(Database& db, TransactionBehavior behavior = TransactionBehavior::DEFERRED);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace gainsly::sqlite
