// Shared fixtures of the sync tests: a throw-away database on the live PostgreSQL (GAINSLY_PG_ADMIN)
// with the server schema, account roles with real passwords, device files, and full dumps of the
// user's rows (keyed by uid, references as uids) on a device and on the server for comparison.
#pragma once
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "capi/handle.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"
#include "sync/layout.hpp"
#include "sync/pg.hpp"
#include "sync/server.hpp"
#include "sync/sync.hpp"
#include "sync/wire.hpp"
#include "test_util.hpp"

namespace synctest {

// A gs_server handle (the server half's connection) for as long as the object lives; a temporary
// serves one call: gs_server_push(ServerHandle(conninfo), ...).
class ServerHandle {
public:
    explicit ServerHandle(const std::string& conninfo, const char* account_role = nullptr) {
        gs_server_options o = GS_SERVER_OPTIONS_INIT;
        o.account_role = account_role;
        REQUIRE_MESSAGE(gs_server_open(conninfo.c_str(), &o, &server_) == GS_OK, gs_error_message(nullptr));
    }
    ~ServerHandle() { gs_server_close(server_); }
    ServerHandle(const ServerHandle&) = delete;
    ServerHandle& operator=(const ServerHandle&) = delete;
    operator gs_server*() const { return server_; }

private:
    gs_server* server_ = nullptr;
};

using gainsly::store::Database;
using gainsly::sync::json;
namespace sync = gainsly::sync;
namespace pg = gainsly::sync::pg;

inline std::string random_hex(size_t n) {
    static std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) s += hex[rng() % 16];
    return s;
}

// The conninfo with some keywords replaced (user, password, dbname, ...).
inline std::string conninfo_with(const std::string& base, const std::map<std::string, std::string>& over) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(base.c_str(), &err);
    if (err) PQfreemem(err);
    std::map<std::string, std::string> kv;
    if (opts) {
        for (auto* o = opts; o->keyword; ++o)
            if (o->val && *o->val) kv[o->keyword] = o->val;
        PQconninfoFree(opts);
    }
    for (const auto& [k, v] : over) kv[k] = v;
    std::string out;
    for (const auto& [k, v] : kv) {
        std::string e;
        for (char ch : v) {
            if (ch == '\'' || ch == '\\') e += '\\';
            e += ch;
        }
        out += (out.empty() ? "" : " ") + k + "='" + e + "'";
    }
    return out;
}

// One keyword's value in a conninfo ("" when absent).
inline std::string conninfo_value(const std::string& conninfo, const std::string& keyword) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (err) PQfreemem(err);
    std::string value;
    for (auto* o = opts; o && o->keyword; ++o)
        if (o->val && keyword == o->keyword) value = o->val;
    if (opts) PQconninfoFree(opts);
    return value;
}

inline const char* admin_env() {
    const char* a = std::getenv("GAINSLY_PG_ADMIN");
    return a ? a : "";
}

class PgDb {
public:
    explicit PgDb(bool setup = true) : name_("gs_sync_" + random_hex(12)) {
        pg::Connection c(admin_env(), 30000);
        c.exec("CREATE DATABASE " + name_);
        conninfo_ = conninfo_with(admin_env(), {{"dbname", name_}});
        if (setup) report = sync::server_setup(conninfo_, 120000);
    }
    ~PgDb() {
        try {
            pg::Connection c(admin_env(), 30000);
            c.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
            for (const auto& r : roles_) c.exec("DROP ROLE IF EXISTS " + r);
        } catch (...) {
        }
    }
    PgDb(const PgDb&) = delete;
    PgDb& operator=(const PgDb&) = delete;

    const std::string& admin() const { return conninfo_; }  // superuser, this database
    const std::string& name() const { return name_; }

    // A login role with a real password for the account, and the conninfo to connect as it.
    std::string account(const std::string& user_uid, std::string* password_out = nullptr) {
        std::string role = name_ + "_" + std::to_string(roles_.size());
        std::string pw = "pw-" + random_hex(20);
        sync::server_add_account(conninfo_, user_uid, role, pw, 30000);
        roles_.push_back(role);
        if (password_out) *password_out = pw;
        return conninfo_with(conninfo_, {{"user", role}, {"password", pw}});
    }

    pg::Connection& conn() {
        if (!admin_conn_) admin_conn_ = std::make_unique<pg::Connection>(conninfo_, 60000);
        return *admin_conn_;
    }
    int64_t scalar(const std::string& sql, const std::vector<pg::Param>& params = {}) { return conn().exec(sql, params).integer(0, 0); }

    json report;

private:
    std::string name_, conninfo_;
    std::vector<std::string> roles_;
    std::unique_ptr<pg::Connection> admin_conn_;
};

// Device files copied from one opened template (the catalog is installed once per process).
inline std::unique_ptr<Database> new_device(const std::string& path) {
    static TempDir dir;
    static std::string tmpl = [&] {
        std::string p = dir.file("template.db");
        gainsly::capi::open_database(p.c_str()).reset();
        return p;
    }();
    std::filesystem::copy_file(tmpl, path, std::filesystem::copy_options::overwrite_existing);
    auto db = gainsly::capi::open_database(path.c_str());
    db->set_meta("sync.device", gainsly::model::new_uuid_v7());  // a copy of the template is another device
    // Commits without fsync (WAL, synchronous=NORMAL): the tests simulate process deaths, not
    // power cuts, and thousands of fsyncs would dominate their time.
    db->sql().exec("PRAGMA synchronous = NORMAL");
    return db;
}

// uid -> {column: canonical text} for every synced user row; reals compared as numbers.
using Dump = std::map<std::string, std::map<std::string, std::map<std::string, std::string>>>;

inline std::string norm_real(const std::string& s) { return sync::shortest(std::strtod(s.c_str(), nullptr)); }

inline std::string norm_json(const std::string& s) {
    auto j = json::parse(s, nullptr, false);
    return j.is_discarded() ? s : j.dump();
}

inline std::string normalize(const sync::SyncColumn& sc, const std::string& v) {
    if (sc.parent) return v;
    if (sc.column->type == gainsly::model::Type::real) return norm_real(v);
    if (sc.column->type == gainsly::model::Type::json) return norm_json(v);
    return v;
}

inline Dump device_dump(Database& db) {
    Dump out;
    for (const auto& st : sync::layout()) {
        if (st.catalog) continue;
        std::string sql = "SELECT t.uid";
        for (const auto& sc : st.columns) {
            if (sc.parent)
                sql += ", (SELECT p.uid FROM \"" + sc.parent->name + "\" p WHERE p.\"" + sc.column->ref_column + "\" = t.\"" + sc.column->name + "\")";
            else sql += ", t.\"" + sc.column->name + "\"";
        }
        gainsly::sqlite::Statement s(db.sql(), sql + " FROM \"" + st.name() + "\" t");
        while (s.executeStep()) {
            auto& row = out[st.name()][s.getColumn(0).getString()];
            int i = 1;
            for (const auto& sc : st.columns) {
                auto c = s.getColumn(i++);
                std::string v;
                if (c.isNull()) v = "<null>";
                else if (sc.column->type == gainsly::model::Type::boolean) v = c.getInt64() ? "t" : "f";
                else if (sc.column->type == gainsly::model::Type::real) v = norm_real(c.getString());
                else v = normalize(sc, c.getString());
                row[sc.column->name] = v;
            }
        }
    }
    return out;
}

inline Dump server_dump(PgDb& pgdb, const std::string& owner) {
    Dump out;
    for (const auto& st : sync::layout()) {
        if (st.catalog) continue;
        std::string sql = "SELECT t.uid::text";
        for (const auto& sc : st.columns) {
            const std::string c = "t.\"" + sc.column->name + "\"";
            if (sc.parent)
                sql += ", (SELECT p.uid::text FROM \"" + sc.parent->name + "\" p WHERE p.\"" + sc.column->ref_column + "\" = " + c + ")";
            else if (sc.column->type == gainsly::model::Type::timestamp)
                sql += ", to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
            else if (sc.column->type == gainsly::model::Type::boolean)
                sql += ", CASE WHEN " + c + " THEN 't' WHEN NOT " + c + " THEN 'f' END";
            else sql += ", " + c + "::text";
        }
        auto r = pgdb.conn().exec(sql + " FROM \"" + st.name() + "\" t WHERE t.gs_owner = $1", {owner});
        for (int i = 0; i < r.rows(); ++i) {
            auto& row = out[st.name()][std::string(r.text(i, 0))];
            int col = 1;
            for (const auto& sc : st.columns) {
                row[sc.column->name] = r.null(i, col) ? "<null>" : normalize(sc, std::string(r.text(i, col)));
                ++col;
            }
        }
    }
    return out;
}

// The first difference between two dumps, "" if equal.
inline std::string diff(const Dump& a, const Dump& b, const std::string& an = "a", const std::string& bn = "b") {
    for (const auto& st : sync::layout()) {
        if (st.catalog) continue;
        static const std::map<std::string, std::map<std::string, std::string>> empty;
        auto ia = a.find(st.name());
        auto ib = b.find(st.name());
        const auto& ta = ia == a.end() ? empty : ia->second;
        const auto& tb = ib == b.end() ? empty : ib->second;
        for (const auto& [uid, row] : ta) {
            auto it = tb.find(uid);
            if (it == tb.end()) return st.name() + " " + uid + " only in " + an;
            for (const auto& [c, v] : row) {
                auto jt = it->second.find(c);
                std::string w = jt == it->second.end() ? "<missing>" : jt->second;
                if (v != w) return st.name() + " " + uid + "." + c + ": " + an + "=" + v + " " + bn + "=" + w;
            }
        }
        for (const auto& [uid, row] : tb)
            if (!ta.count(uid)) return st.name() + " " + uid + " only in " + bn;
    }
    return "";
}

inline size_t rows(const Dump& d) {
    size_t n = 0;
    for (const auto& [t, r] : d) n += r.size();
    return n;
}

inline sync::Options options(const std::string& user = "", int batch = 1000) {
    sync::Options o;
    o.user_uid = user;
    o.batch_rows = batch;
    o.timeout_ms = 60000;
    return o;
}

inline int64_t one_id(Database& db, const std::string& sql) {
    gainsly::sqlite::Statement s(db.sql(), sql);
    return s.executeStep() ? s.getColumn(0).getInt64() : 0;
}

inline std::string uid_of(Database& db, const std::string& table, int64_t id) {
    gainsly::sqlite::Statement s(db.sql(), "SELECT uid FROM \"" + table + "\" WHERE " + (table == "user_profiles" ? "user_id" : "id") + " = ?");
    s.bind(1, id);
    return s.executeStep() ? s.getColumn(0).getString() : "";
}

// A device file holding one user (name "start"), with the account's login role.
struct FirstDevice {
    std::unique_ptr<Database> db;
    int64_t user_id = 0;
    std::string user, conn;
};

inline FirstDevice first_device(PgDb& pgdb, const std::string& path, const std::string& email) {
    FirstDevice d;
    d.db = new_device(path);
    d.user_id = d.db->insert("users", {{"email", email}, {"name", "start"}});
    d.user = uid_of(*d.db, "users", d.user_id);
    d.conn = pgdb.account(d.user);
    return d;
}

// Writes pending on the device carry wall time `ms`, as if the device's clock had said so.
inline void set_write_time(Database& db, int64_t ms) {
    db.sql().exec("UPDATE gs_outbox SET clock = " + std::to_string(-ms) + " WHERE clock < 0; UPDATE gs_outbox_deleted SET clock = " +
                  std::to_string(-ms) + " WHERE clock < 0");
}

// The newest clock the server holds for any row (or column) of the account.
inline int64_t server_max_clock(PgDb& pgdb, const std::string& owner) {
    std::string sql;
    for (const auto& st : sync::layout())
        if (!st.catalog)
            sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT max(greatest(gs_hlc, (SELECT max(value::bigint) FROM jsonb_each_text(gs_clock)))) FROM \"" +
                   st.name() + "\" WHERE gs_owner = $1";
    return pgdb.scalar("SELECT coalesce(max(m), 0) FROM (" + sql + ") x(m)", {owner});
}

inline int64_t server_now_ms(PgDb& pgdb) { return pgdb.scalar("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint"); }

// Gives one column of a row a value the library would refuse today (`sql` is an SQL expression,
// e.g. "3000000000" or "json('{\"a\":\"\\u0000\"}')"), written by raw SQL as a file from an
// older version could hold it. The change is captured like any update, so the next sync pushes
// it and the server refuses it: a poison row.
inline void poison(Database& db, const std::string& table, int64_t id, const std::string& column, const std::string& sql) {
    const std::string key = table == "user_profiles" ? "user_id" : "id";
    gainsly::sqlite::Statement s(db.sql(), "UPDATE \"" + table + "\" SET \"" + column + "\" = " + sql + " WHERE \"" + key + "\" = ?");
    s.bind(1, id);
    if (s.exec() != 1) throw std::runtime_error("poison: no " + table + " row " + std::to_string(id));
}

inline std::string integrity(Database& db) {
    return db.sql().execAndGet("PRAGMA integrity_check").getString();
}

// A device file with a user, a session and three sets, synced as the account's own login role.
struct Account {
    std::unique_ptr<Database> db;
    std::string user, conn, password;
};

inline Account make_account(PgDb& pgdb, TempDir& dir, const std::string& name) {
    Account a;
    a.db = new_device(dir.file(name + ".db"));
    int64_t movement = one_id(*a.db, "SELECT id FROM movements ORDER BY id LIMIT 1");
    int64_t user = a.db->insert("users", {{"email", name + "@example.com"}, {"name", name}});
    int64_t session = a.db->insert("sessions", {{"user_id", user}, {"date", "2026-02-01"}});
    for (int i = 1; i <= 3; ++i)
        a.db->insert("top_set_logs", {{"user_id", user}, {"session_id", session}, {"movement_id", movement}, {"set_number", i}, {"reps", 5}, {"load_kg", 60.0 + i}});
    a.user = uid_of(*a.db, "users", user);
    a.conn = pgdb.account(a.user, &a.password);
    json r = sync::sync(*a.db, a.conn, options());
    REQUIRE(r["pushed"] == 5);
    return a;
}

}  // namespace synctest
