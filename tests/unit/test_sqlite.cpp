// The in-house SQLite wrapper (store/sqlite.hpp) and the shortest double text (append_shortest).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>

#include "model/error.hpp"
#include "store/database.hpp"
#include "store/sqlite.hpp"
#include "test_util.hpp"

namespace sqlite = gainsly::sqlite;
using gainsly::Error;
using gainsly::Status;

namespace {

sqlite::Database scratch(TempDir& dir, const char* name = "w.db") {
    sqlite::Database db(dir.file(name), sqlite::OPEN_READWRITE | sqlite::OPEN_CREATE);
    db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, u TEXT UNIQUE)");
    return db;
}

// The status store's callers see for what a statement threw.
Status status_of(const std::exception& e) {
    try {
        gainsly::store::rethrow_as_error(e, "ctx");
    } catch (const Error& err) {
        return err.status();
    }
    return Status::ok;
}

template <class F>
sqlite::Exception thrown(F&& f) {
    try {
        f();
    } catch (const sqlite::Exception& e) {
        return e;
    }
    FAIL("no sqlite::Exception");
    return sqlite::Exception("unreachable");
}

}  // namespace

TEST_CASE("sqlite wrapper: every bound type reads back, NULLs included") {
    TempDir dir;
    auto db = scratch(dir);
    const std::string with_nul("a\0b", 3);
    const std::string kept = "kept by the caller";
    sqlite::Statement ins(db, "INSERT INTO t (k, i, r, s, b, u) VALUES (?, ?, ?, ?, ?, :u)");
    ins.bind(1, 1);
    ins.bind(2, int64_t(1) << 40);
    ins.bind(3, 80.0);
    ins.bind(4, with_nul);
    ins.bind(5);  // NULL
    ins.bind(":u", "literal");
    CHECK(ins.exec() == 1);
    CHECK(db.getLastInsertRowid() == 1);
    ins.reset();
    ins.clearBindings();  // every parameter NULL again
    ins.bind(1, 2);
    ins.bindNoCopy(4, kept);
    CHECK(ins.exec() == 1);
    CHECK_THROWS_AS(ins.bind(":nope", 1), sqlite::Exception);

    sqlite::Statement q(db, "SELECT i, r, s, b, u, r FROM t ORDER BY k");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt64() == int64_t(1) << 40);
    CHECK(q.getColumn(1).getDouble() == 80.0);
    CHECK(q.getColumn(1).getString() == "80.0");  // a REAL read as text: SQLite's own rendering
    CHECK(q.getColumn(2).getString() == with_nul);  // bytes, not up to the first NUL
    CHECK(q.getColumn(3).isNull());
    CHECK(q.getColumn(3).getString().empty());
    CHECK(q.getColumn(4).getString() == "literal");
    CHECK_FALSE(q.getColumn(5).isNull());
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).isNull());
    CHECK(q.getColumn(0).getInt() == 0);
    CHECK(q.getColumn(1).getDouble() == 0.0);
    CHECK(q.getColumn(2).getString() == kept);
    CHECK(q.getColumn(4).isNull());
    CHECK_FALSE(q.executeStep());
    CHECK(thrown([&] { q.getColumn(0); }).getErrorCode() == -1);  // no row
    // Stepping past the end again is a misuse until reset, as the code has always relied on resetting.
    CHECK(thrown([&] { q.executeStep(); }).getErrorCode() == SQLITE_MISUSE);
    q.reset();
    REQUIRE(q.executeStep());
    CHECK_THROWS_AS(q.getColumn(6), sqlite::Exception);
    CHECK_THROWS_AS(q.getColumn(-1), sqlite::Exception);

    CHECK(db.tableExists("t"));
    CHECK_FALSE(db.tableExists("missing"));
    CHECK(db.execAndGet("SELECT count(*) FROM t").getInt() == 2);
}

TEST_CASE("sqlite wrapper: a failing statement carries SQLite's code, extended code and message") {
    TempDir dir;
    auto db = scratch(dir);
    db.exec("INSERT INTO t (k, u) VALUES (1, 'x')");

    auto e = thrown([&] { db.exec("INSERT INTO t (k, u) VALUES (2, 'x')"); });
    CHECK(e.getErrorCode() == SQLITE_CONSTRAINT);
    CHECK(e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE);
    CHECK(std::string(e.what()) == "UNIQUE constraint failed: t.u");
    CHECK(status_of(e) == Status::constraint);

    sqlite::Statement ins(db, "INSERT INTO t (k, u) VALUES (?, ?)");
    ins.bind(1, 1);
    ins.bind(2, "y");
    e = thrown([&] { ins.exec(); });
    CHECK(e.getErrorCode() == SQLITE_CONSTRAINT);
    CHECK(e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY);
    CHECK(std::string(e.what()) == "UNIQUE constraint failed: t.k");

    e = thrown([&] { sqlite::Statement bad(db, "SELEC 1"); });
    CHECK(e.getErrorCode() == SQLITE_ERROR);
    CHECK(std::string(e.what()).find("syntax error") != std::string::npos);
    CHECK(status_of(e) == Status::internal);

    e = thrown([&] { sqlite::Statement q(db, "SELECT 1"); q.exec(); });  // exec() wants no row
    CHECK(e.getErrorCode() == -1);

    e = thrown([&] { db.execAndGet("SELECT k FROM t WHERE k = 99"); });  // no row: code -1, status internal
    CHECK(e.getErrorCode() == -1);
    CHECK(status_of(e) == Status::internal);

    e = thrown([&] { sqlite::Database missing(dir.file("absent.db"), sqlite::OPEN_READONLY); });
    CHECK(e.getErrorCode() == SQLITE_CANTOPEN);
    CHECK(status_of(e) == Status::io);

    // No busy handler until the store sets busy_timeout: a second writer fails at once.
    sqlite::Database other(dir.file("w.db"), sqlite::OPEN_READWRITE);
    db.exec("BEGIN IMMEDIATE");
    e = thrown([&] { other.exec("BEGIN IMMEDIATE"); });
    CHECK(e.getErrorCode() == SQLITE_BUSY);
    CHECK(status_of(e) == Status::busy);
    db.exec("ROLLBACK");
}

TEST_CASE("sqlite wrapper: the transaction guard rolls back unless committed") {
    TempDir dir;
    auto db = scratch(dir);
    auto count = [&] { return db.execAndGet("SELECT count(*) FROM t").getInt(); };
    CHECK_THROWS_AS(([&] {
                        sqlite::Transaction tx(db, sqlite::TransactionBehavior::IMMEDIATE);
                        db.exec("INSERT INTO t (k) VALUES (1)");
                        CHECK(count() == 1);
                        throw std::runtime_error("stop");
                    }()),
                    std::runtime_error);
    CHECK(count() == 0);
    CHECK(sqlite3_get_autocommit(db.getHandle()) == 1);
    {
        sqlite::Transaction tx(db);
        db.exec("INSERT INTO t (k) VALUES (2)");
        tx.commit();
        CHECK_THROWS_AS(tx.commit(), sqlite::Exception);
    }
    CHECK(count() == 1);
    // A guard whose transaction SQLite already ended (here by an explicit ROLLBACK) does not throw.
    {
        sqlite::Transaction tx(db);
        db.exec("INSERT INTO t (k) VALUES (3)");
        db.exec("ROLLBACK");
    }
    CHECK(count() == 1);
    db.exec("BEGIN");
    CHECK_THROWS_AS(sqlite::Transaction{db}, sqlite::Exception);  // nested BEGIN refused
    db.exec("ROLLBACK");
}

TEST_CASE("sqlite wrapper: moved-from objects and a column outliving its statement") {
    TempDir dir;
    auto db = scratch(dir);
    sqlite::Database moved(std::move(db));
    CHECK(db.getHandle() == nullptr);
    CHECK(moved.exec("INSERT INTO t (k, s) VALUES (1, 'one')") == 1);

    {
        sqlite::Statement q(moved, "SELECT s FROM t");
        sqlite::Statement q2(std::move(q));
        REQUIRE(q2.executeStep());
        CHECK(q2.getColumn(0).getString() == "one");
        CHECK(thrown([&] { q.executeStep(); }).getErrorCode() == SQLITE_MISUSE);
        CHECK_THROWS_AS(q.bind(1, 1), sqlite::Exception);
        CHECK_THROWS_AS(q.getColumn(0), sqlite::Exception);
        CHECK(q.tryReset() == SQLITE_MISUSE);
    }
    std::optional<sqlite::Column> c;
    c.emplace(moved.execAndGet("SELECT s FROM t"));  // its statement is gone when this returns
    CHECK(c->getString() == "one");  // the column keeps it alive
    c.reset();

    sqlite::Database other(dir.file("other.db"), sqlite::OPEN_READWRITE | sqlite::OPEN_CREATE);
    moved = std::move(other);  // closes the first connection, takes the second
    CHECK(other.getHandle() == nullptr);
    CHECK_FALSE(moved.tableExists("t"));
    CHECK(std::string(sqlite3_db_filename(moved.getHandle(), "main")).find("other.db") != std::string::npos);
}

TEST_CASE("append_shortest writes the shortest round-trip text in the established layout") {
    auto text = [](double d) {
        std::string s;
        gainsly::store::append_shortest(s, d);
        return s;
    };
    CHECK(text(80.0) == "80");
    CHECK(text(0.0) == "0");
    CHECK(text(-0.0) == "-0");
    CHECK(text(0.1) == "0.1");
    CHECK(text(-2.5) == "-2.5");
    CHECK(text(100000) == "100000");  // to_chars alone would write 1e+05
    CHECK(text(1e15) == "1000000000000000");
    CHECK(text(1e16) == "1e+16");
    CHECK(text(12345678901234568.0) == "1.2345678901234568e+16");
    CHECK(text(1e21) == "1e+21");
    CHECK(text(1e100) == "1e+100");
    CHECK(text(0.0001) == "0.0001");
    CHECK(text(1e-5) == "1e-05");
    CHECK(text(2.5e-5) == "2.5e-05");
    CHECK(text(5e-324) == "5e-324");
    CHECK(text(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    CHECK(text(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(text(-std::numeric_limits<double>::infinity()) == "-inf");
    // Random bit patterns read back exactly.
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        uint64_t bits = rng();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (!std::isfinite(d)) continue;
        std::string s = text(d);
        CAPTURE(s);
        double back = std::strtod(s.c_str(), nullptr);
        CHECK(std::memcmp(&back, &d, sizeof d) == 0);
    }
}
