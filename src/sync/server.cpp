// The Server object: its connection, the schema and version checks, the account a request may act
// for, and rollback after any error. Push is in server_push.cpp, pull in server_pull.cpp, setup
// and accounts in server_setup.cpp.
#include "sync/server.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>

#include "model/error.hpp"
#include "sync/device.hpp"
#include "sync/server_sql.hpp"

namespace gainsly::sync {

using namespace server_sql;
using model::Type;

Server::Server(const std::string& conninfo, int timeout_ms, const std::string& role) : conn_(conninfo, timeout_ms), role_(role) {
    if (!role_.empty())
        for (char ch : role_)
            if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
                invalid("role: '" + role_ + "' may hold only lower-case letters, digits and _");
    // The schema that holds the server's tables (a temporary table of the same name does not count),
    // then a search_path in which no temporary object of this session can stand in for them.
    auto ns = conn_.exec("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'gs_server_meta' "
                         "AND c.relkind = 'r' AND n.nspname = ANY (current_schemas(false)) AND n.oid <> pg_my_temp_schema() "
                         "ORDER BY array_position(current_schemas(false), n.nspname) LIMIT 1");
    if (!ns.rows()) throw Error(Status::sync, "server: no Gainsly schema in this database (run gs_server_setup first)");
    conn_.exec("SELECT set_config('search_path', 'pg_catalog, ' || quote_ident($1) || ', pg_temp', false)", {std::string(ns.text(0, 0))});
    auto r = conn_.exec("SELECT key, value FROM gs_server_meta");
    for (int i = 0; i < r.rows(); ++i) {
        auto k = r.text(i, 0);
        if (k == "schema_version") server_version_ = int(to_i64(r.text(i, 1)));
        else if (k == "catalog_version") catalog_version_ = int(to_i64(r.text(i, 1)));
        else if (k == "catalog_seq") catalog_seq_at_install_ = to_i64(r.text(i, 1));
        else if (k == "gc_horizon_seconds") gc_horizon_seconds_ = to_i64(r.text(i, 1));
        else if (k == "clock_skew_ms") clock_skew_ms_ = std::max<int64_t>(to_i64(r.text(i, 1)), 0);
    }
    const int lib = model::Schema::builtin().version();
    if (server_version_ < lib)
        throw Error(Status::version, "server schema version " + std::to_string(server_version_) + " is older than this library's " +
                                         std::to_string(lib) + " (run gs_server_setup with this library); nothing was changed");
    if (server_version_ > lib + 1)
        throw Error(Status::version, "server schema version " + std::to_string(server_version_) + " is more than one version ahead of this library's " +
                                         std::to_string(lib) + "; update the app; nothing was changed");
    server_tbl_.assign(layout().size(), -1);
    auto t = conn_.exec("SELECT name, tbl FROM gs_tables");
    for (int i = 0; i < t.rows(); ++i)
        if (const SyncTable* st = find_layout(t.text(i, 0))) {
            int k = int(to_i64(t.text(i, 1)));
            server_tbl_[size_t(st->number)] = k;
            by_tbl_[k] = st;
        }
}

void Server::check_client_version(int schema) const {
    const int lib = model::Schema::builtin().version();
    if (schema > lib)
        throw Error(Status::version, "schema: the device's schema version " + std::to_string(schema) + " is newer than the server's " +
                                         std::to_string(lib) + " (upgrade the server with gs_server_setup); nothing was changed");
    if (schema < lib - 1)
        throw Error(Status::version, "schema: the device's schema version " + std::to_string(schema) +
                                         " is more than one version behind the server's " + std::to_string(lib) + " (update the app); nothing was changed");
}

void Server::begin(const char* mode) {
    conn_.exec(std::string("BEGIN") + mode);
    if (!role_.empty()) conn_.exec("SET LOCAL ROLE " + q(role_));
}

std::string Server::owner_for(const std::string& claimed) {
    auto r = conn_.exec("SELECT (SELECT user_uid::text FROM gs_my_account), (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), current_user");
    std::string role(r.text(0, 2));
    if (r.null(0, 0)) {
        if (r.text(0, 1) == "t") return claimed;  // an administrator acting for the account the batch names
        throw Error(Status::auth, "role " + role + " is not a Gainsly account (gs_server_add_account)");
    }
    std::string account(r.text(0, 0));
    if (account != claimed)
        throw Error(Status::auth, "user: the request claims account " + claimed + " but role " + role + " belongs to account " + account);
    return account;
}

template <class F>
auto Server::rolled_back_on_error(F&& f) {
    try {
        return f();
    } catch (...) {
        PGconn* c = conn_.raw();
        if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE) {
            PQclear(PQexec(c, "ROLLBACK"));
            stage_ready_ = false;  // the stage table may have been created by the transaction rolled back
        }
        throw;
    }
}

Ack Server::push(const Batch& b) {
    return rolled_back_on_error([&] { return push_tx(b); });
}

Page Server::pull(const PullRequest& r) {
    return rolled_back_on_error([&] { return pull_tx(r); });
}

}  // namespace gainsly::sync
