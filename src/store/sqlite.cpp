#include "store/sqlite.hpp"

#include <utility>

namespace gainsly::sqlite {

Exception::Exception(sqlite3* db, int code)
    : std::runtime_error(sqlite3_errmsg(db)), code_(code), extended_(db ? sqlite3_extended_errcode(db) : code) {}

Exception::Exception(const std::string& message, int code) : std::runtime_error(message), code_(code), extended_(code) {}

std::string Column::getString() const {
    // The blob accessor gives the text bytes without needing a terminator; bytes is read after it,
    // as SQLite asks, so a converted number's length is that of its text.
    const char* data = static_cast<const char*>(sqlite3_column_blob(stmt_, index_));
    const int size = sqlite3_column_bytes(stmt_, index_);
    return data ? std::string(data, size_t(size)) : std::string();
}

Database::Database(const std::string& path, int flags) : db_(nullptr) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        Exception e(db_, rc);  // the message lives on the handle that failed to open
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw e;
    }
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

// close_v2: a statement still alive (a Column from execAndGet) finalizes later and the handle
// closes then.
Database::~Database() { sqlite3_close_v2(db_); }

int Database::exec(const std::string& sql) {
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw Exception(db_, rc);
    return sqlite3_changes(db_);
}

Column Database::execAndGet(const std::string& sql) {
    Statement q(*this, sql);
    q.executeStep();
    Column c = q.getColumn(0);
    c.owner_ = q.stmt_;
    return c;
}

bool Database::tableExists(const std::string& name) {
    Statement q(*this, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    q.executeStep();
    return q.getColumn(0).getInt() == 1;
}

Statement::Statement(Database& db, const std::string& sql) : db_(db.getHandle()) {
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &st, nullptr);
    if (rc != SQLITE_OK) throw Exception(db_, rc);
    stmt_.reset(st, sqlite3_finalize);
    columns_ = sqlite3_column_count(st);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::move(other.stmt_)),
      columns_(std::exchange(other.columns_, 0)),
      has_row_(std::exchange(other.has_row_, false)),
      done_(std::exchange(other.done_, false)) {}

sqlite3_stmt* Statement::stmt() const {
    if (!stmt_) throw Exception("statement was moved from", SQLITE_MISUSE);
    return stmt_.get();
}

void Statement::bind(int index, const std::string& value) {
    check(sqlite3_bind_text(stmt(), index, value.data(), int(value.size()), SQLITE_TRANSIENT));
}

void Statement::bind(int index, const char* value) { check(sqlite3_bind_text(stmt(), index, value, -1, SQLITE_TRANSIENT)); }

void Statement::bindNoCopy(int index, const std::string& value) {
    check(sqlite3_bind_text(stmt(), index, value.data(), int(value.size()), SQLITE_STATIC));
}

int Statement::parameter(const char* name) const {
    const int index = sqlite3_bind_parameter_index(stmt(), name);
    if (index == 0) throw Exception(std::string("no parameter named ") + name, SQLITE_RANGE);
    return index;
}

// The connection's message belongs to this failure only when its code is the one returned; a
// statement stepped past its end reports misuse without touching the connection.
void Statement::fail(int rc) const {
    if (rc == sqlite3_errcode(db_)) throw Exception(db_, rc);
    throw Exception("statement needs to be reset", rc);
}

bool Statement::executeStep() {
    sqlite3_stmt* st = stmt();
    const int rc = done_ ? SQLITE_MISUSE : sqlite3_step(st);
    has_row_ = rc == SQLITE_ROW;
    done_ = rc == SQLITE_DONE;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(rc);
    return has_row_;
}

int Statement::exec() {
    if (executeStep()) throw Exception("exec() does not expect results; use executeStep()");
    return sqlite3_changes(db_);
}

int Statement::tryReset() noexcept {
    has_row_ = done_ = false;
    return stmt_ ? sqlite3_reset(stmt_.get()) : SQLITE_MISUSE;
}

Column Statement::getColumn(int index) const {
    sqlite3_stmt* st = stmt();
    if (!has_row_) throw Exception("no row to get a column from: executeStep() was not called or returned false");
    if (index < 0 || index >= columns_) throw Exception("column index " + std::to_string(index) + " out of range", SQLITE_RANGE);
    return Column(st, index);
}

Transaction::Transaction(Database& db, TransactionBehavior behavior) : db_(db) {
    switch (behavior) {
        case TransactionBehavior::DEFERRED: db_.exec("BEGIN DEFERRED"); break;
        case TransactionBehavior::IMMEDIATE: db_.exec("BEGIN IMMEDIATE"); break;
        case TransactionBehavior::EXCLUSIVE: db_.exec("BEGIN EXCLUSIVE"); break;
    }
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const Exception&) {
    }
}

void Transaction::commit() {
    if (done_) throw Exception("transaction already committed");
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace gainsly::sqlite
