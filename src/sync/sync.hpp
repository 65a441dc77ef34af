// gs_sync_run in-process: push the outbox in batches, then pull pages until the device is current,
// over one libpq connection. Resumable at every step: an interrupted sync is simply run again.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "sync/wire.hpp"

namespace gainsly::sync {

struct Options {
    std::string user_uid;  // empty: the account recorded in the file, or its only user
    int batch_rows = 1000;
    int timeout_ms = 30000;
    std::string role;      // act as this account role (trusted backend), empty: the connection's own
    std::function<bool(const json&)> on_progress;      // after each batch and page; false stops the sync (Status::canceled)
    int64_t page_bytes = page_max_bytes;  // a pulled page's bound on its JSON (a page may end inside a pushed batch)
};

// Returns the report: pushed, pulled, conflicts, duration_ms, batches, pages, deleted, parked,
// rejected (first 100; `quarantined` when the row is held on the device), outbox, cursor, resynced,
// initial_pull_complete, quarantined (rows held on the device, listed by Device::status).
json sync(store::Database& db, const std::string& conninfo, const Options& options);

class Server;
// The same over an open server connection (kept between syncs, e.g. by a long-running process
// or the tests); options.role is ignored (the Server was made with its role). A connection that
// failed must be replaced by a new Server.
json sync(store::Database& db, Server& server, const Options& options);

}  // namespace gainsly::sync
