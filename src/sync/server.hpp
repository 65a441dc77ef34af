// The PostgreSQL half of sync (libpq): schema setup and migration, applying push batches exactly
// once, serving pulls from the per-user change sequence, accounts as login roles with row-level
// security. See src/sync/README.md for the server-side tables and the protocol.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/pg.hpp"
#include "sync/wire.hpp"

namespace gainsly::sync {

// Creates or migrates (idempotently, in one transaction) the mirrored schema, the sync
// bookkeeping, the device group role and its policies, and the built-in catalog. Needs an admin
// connection (a role that may create roles and tables). Returns a report.
json server_setup(const std::string& conninfo, int timeout_ms);

// Creates (or updates the password of) the login role for one account and maps it to the user's
// uid. The password is sent only as a SCRAM verifier computed here, so no log holds it.
json server_add_account(const std::string& admin_conninfo, const std::string& user_uid, const std::string& role,
                        const std::string& password, int timeout_ms);

class Server {
public:
    // `role`: for a trusted backend connected with its own credentials, the account role to act
    // as (SET LOCAL ROLE in every transaction); empty to act as the connection's own role.
    Server(const std::string& conninfo, int timeout_ms, const std::string& role = "");

    // Applies a batch in one transaction, recording its mutation id in the same transaction.
    // A retried batch is recognised and acknowledged as a duplicate without applying it again.
    Ack push(const Batch& batch);
    // One page of changes after the request's cursors, from one consistent snapshot.
    Page pull(const PullRequest& request);

    pg::Connection& connection() { return conn_; }
    int server_version() const { return server_version_; }

private:
    struct Owner {
        std::string uid;
    };
    std::string owner_for(const std::string& claimed);
    Ack push_tx(const Batch& batch);
    Page pull_tx(const PullRequest& request);
    // Runs f; after an error (from PostgreSQL or raised here between BEGIN and COMMIT) rolls back,
    // so the next call on this connection starts clean instead of inside an open or aborted transaction.
    template <class F>
    auto rolled_back_on_error(F&& f);
    void check_client_version(int schema) const;
    void begin(const char* mode);

    pg::Connection conn_;
    std::string role_;
    int server_version_ = 0;
    int catalog_version_ = 0;
    int64_t catalog_seq_at_install_ = 0;
    int64_t gc_horizon_seconds_ = 0;
    int64_t clock_skew_ms_ = 300000;  // gs_server_meta clock_skew_ms (servers set up before it: 5 minutes)
    std::vector<int> server_tbl_;                       // by layout number
    std::unordered_map<int, const SyncTable*> by_tbl_;  // server table number -> layout
    bool stage_ready_ = false;
};

}  // namespace gainsly::sync
