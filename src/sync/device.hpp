// The device half of sync: change capture into an outbox (inserts by the store's insert hook,
// updates and deletes by triggers), push batches made from it, and pulled pages merged into the file (per-column last-writer-wins by hybrid logical clock,
// deletes win, references translated from uids to local ids, children parked until parents come).
//
// Device-side tables (all gs_*, outside the mirrored schema):
//   gs_outbox        one entry per changed row not yet pushed: table number, row id, op, changed
//                    column mask, clock (negative = wall time not yet stamped, positive = HLC) and,
//                    for deletes, the row's uid. Many writes of one row before a push are one entry.
//   gs_sync_inflight the exported batch awaiting its acknowledgement (resent verbatim on retry)
//   gs_sync_parked   pulled rows waiting for a parent that has not arrived yet
//   gs_sync_seen     uids seen during a full re-pull (past the GC horizon)
//   gs_sync_quarantine rows the server refused (with its reason) or held back for a quarantined
//                    parent; sent again when changed locally (README: Quarantine)
//   gs_sync_apply    non-empty only inside the transaction that applies pulled rows, so the
//                    triggers do not echo them back into the outbox
#pragma once
#include "store/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <string>

#include "store/database.hpp"
#include "sync/wire.hpp"

namespace gainsly::sync {

// Creates the sync tables and (re)creates the capture triggers for the schema as of `version`.
// Cheap when nothing changed; after an app upgrade it re-creates the triggers and renumbers the
// pending outbox entries for the new layout, so changes made before the upgrade still sync.
// The store::Database form also sets the store's insert hook: inserts are captured there, updates
// and deletes by triggers (device.cpp says why).
void install_change_capture(sqlite::Database& db, int version);
void install_change_capture(store::Database& db);
// Puts one inserted row in the outbox, as the insert hook does (for rows written by raw SQL).
void record_insert(sqlite::Database& db, const model::Table& table, int64_t id);

// Called while a pulled page is applied, inside the page's transaction: with a pulled user row's
// key before the row changes or is deleted ('b'), after it was written ('a'), and once with no
// table when the page's rows are in and local writes are captured again ('e'). The C ABI sets it
// around its sync calls to derive rows (personal records) from what was pulled: sync does not use
// the training layer. Kept per connection; an empty hook removes it.
using PullHook = std::function<void(const model::Table* table, int64_t id, char phase)>;
void set_pull_hook(store::Database& db, PullHook hook);

// Hybrid logical clock: 43 bits of milliseconds since 2020-01-01, an 8-bit counter and a 12-bit
// node number taken from the device id. Plain integer order is the merge order (device id breaks
// ties of the same millisecond and counter). The arithmetic saturates at the largest clock (year
// 2298): a clock never wraps negative, whatever the wall clock or a pulled clock says.
namespace hlc {
inline constexpr int64_t epoch_ms = 1577836800000;  // 2020-01-01T00:00:00Z
inline constexpr int64_t max_l = (int64_t(1) << 43) - 1;  // the largest millisecond part
inline int64_t millis(int64_t h) { return (h >> 20) + epoch_ms; }
int64_t node_of(const std::string& device_id);
// The next clock after `last` for an event at wall time `wall_ms` on `node`.
int64_t next(int64_t last, int64_t wall_ms, int64_t node);
// `h` moved back to wall time `limit_ms` if it is later (counter and node kept): the server's
// bound on accepted clocks.
int64_t bound(int64_t h, int64_t limit_ms);
}  // namespace hlc

struct ApplyStats {
    int64_t applied = 0, deleted = 0, conflicts = 0, parked = 0, unparked = 0;
};

class Device {
public:
    explicit Device(store::Database& db);

    std::string device_id();                          // created with the sync tables (install), else on first use
    std::string user(const std::string& requested);   // resolves (and records) the account synced as
    std::string user() const;                         // "" before the first sync

    // Push half. Returns the batch awaiting acknowledgement if there is one (a retry sends the same
    // batch), else a new batch of at most max_rows outbox entries (empty when nothing is pending).
    Batch export_batch(int max_rows);
    // Records the server's acknowledgement: the in-flight batch is done.
    void accept_ack(const Ack& ack);
    // The server refused the batch for good (the device must re-pull first, or the mutation id
    // was behind the server's): its changes go back into the outbox to be exported again.
    void requeue_inflight(int64_t next_mutation = 0);

    // Pull half.
    // The request for the next page: at most `limit` rows and `max_bytes` of JSON.
    PullRequest pull_request(int limit, int64_t max_bytes = page_max_bytes);
    ApplyStats apply(const Page& page);

    bool initial_pull_complete();
    int64_t outbox_depth();
    json status();

private:
    store::Database& db_;
};

}  // namespace gainsly::sync
