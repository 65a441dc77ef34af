// The sync protocol's messages: a push batch, its acknowledgement, a pull request and a pulled
// page, as C++ values (used in-process by gs_sync_run) and as JSON documents (for apps that carry them
// over their own transport). Every reference is a uid; values are in canonical text (layout.hpp).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.hpp"
#include "sync/layout.hpp"

namespace gainsly::sync {

using json = nlohmann::json;

// Size limits of the messages, in bytes of their JSON form. A push document larger than
// batch_max_bytes is refused by gs_server_push before it is parsed (and by Server::push); the
// device never exports one: it stops a batch at batch_budget_bytes and quarantines a single row
// larger than that. A page holds at most what the request's max_bytes asks (page_max_bytes by
// default, never more than page_cap_bytes), ending inside a sequence if it must.
inline constexpr size_t batch_max_bytes = size_t(16) << 20;
inline constexpr size_t batch_budget_bytes = size_t(8) << 20;
inline constexpr int64_t page_max_bytes = int64_t(4) << 20;
inline constexpr int64_t page_cap_bytes = int64_t(16) << 20;

struct Change {
    const SyncTable* table = nullptr;
    std::string uid;
    char op = 'u';              // 'i' insert (every column), 'u' update (the masked columns), 'd' delete
    int64_t hlc = 0;            // hybrid logical clock of the change (every carried column)
    uint64_t mask = 0;          // carried columns, bit = SyncColumn::pos
    std::vector<Value> values;  // by column position; meaningful where mask has the bit
};

struct Batch {
    int schema = 0;
    std::string device, user, batch_id;
    int64_t mutation = 0;  // per-device, +1 for every batch; the server applies each exactly once
    int64_t base = 0;      // the device's pull cursor when it made the batch
    std::vector<Change> changes;
    bool empty() const { return changes.empty(); }
};

struct Rejected {
    std::string table, uid, reason;
    // The server refused the row's values (not a merge rule): it stays on the device, marked in
    // gs_sync_quarantine, until a local change sends it again. No tombstone, nothing to pull.
    bool quarantine = false;
    std::string waits_table{}, waits_uid{};  // quarantined because this parent (in the same batch) was
};

struct Ack {
    int64_t mutation = 0;
    std::string batch_id;
    bool duplicate = false;  // the server had already applied this batch (a retry)
    int64_t seq = 0;         // the change sequence the batch's writes got
    int64_t applied = 0, conflicts = 0;
    std::vector<Rejected> rejected;  // changes that lost to the server's state or were quarantined (also counted in conflicts)
    // "mutation_behind": the server has seen a later mutation id from this device (a file restored
    // from a backup); the device renumbers the batch after server_mutation and sends it again.
    std::string refused;
    int64_t server_mutation = 0;
};

struct PullRequest {
    int schema = 0;
    std::string device, user;
    int64_t cursor = 0, catalog_cursor = 0;
    // The cursor the device has committed. A request read ahead (while the previous page is still
    // being applied) asks from `cursor` but holds only `held`: the server keeps tombstones for it.
    int64_t held = 0;
    bool resync = false;      // the device is re-pulling everything (after a resync marker or an upgrade)
    int limit = 1000;
    int catalog_version = 0;  // the device's built-in catalog: lets a fresh device skip rows it has
    // Where inside sequence `cursor` the device stopped (Page::after), empty when it holds that
    // sequence whole. Opaque to the device.
    std::string after;
    // The page's byte bound. 0 (a device from before pages were split): pages hold whole
    // sequences only, the device could not resume inside one.
    int64_t max_bytes = 0;
    // The last sequence the device holds whole: tombstones up to there may be collected.
    int64_t done() const { return after.empty() ? cursor : cursor - 1; }
};

struct PulledRow {
    const SyncTable* table = nullptr;
    std::string uid;
    bool deleted = false;
    uint64_t present = 0;       // carried columns
    std::vector<Value> values;  // by column position
    int64_t hlc = 0;            // the row's base clock
    std::vector<std::pair<int, int64_t>> clocks;  // columns whose clock differs from the base (pos, hlc)
    int64_t clock_of(int pos) const {
        for (const auto& [p, h] : clocks)
            if (p == pos) return h;
        return hlc;
    }
};

struct Page {
    int schema = 0;
    int64_t cursor = 0, catalog_cursor = 0;  // where the next pull starts
    std::string after;                       // the page ended inside sequence `cursor`, after this change
    bool more = false;                       // another page follows
    bool resync = false;                     // the device is past the GC horizon: restart from 0 and sweep
    std::vector<PulledRow> rows;             // deletions and rows, parents before children where possible
};

// JSON forms. The parsers validate everything and throw Error(invalid) naming the field at fault
// (Error(version) for an unknown format).
std::string to_json(const Batch& batch);
std::string to_json(const Ack& ack);
std::string to_json(const PullRequest& request);
std::string to_json(const Page& page);
Batch batch_from_json(const json& doc);
Ack ack_from_json(const json& doc);
PullRequest pull_request_from_json(const json& doc);
Page page_from_json(const json& doc);

// Bytes of the JSON form of one change in a batch and one row in a page (exact, without
// building it).
size_t json_size(const Change& change);
size_t json_size(const PulledRow& row);
// Checks the text of Page::after / PullRequest::after ("<0|1>.<table number>.<uid>").
bool valid_after(std::string_view after);

// Canonical text <-> JSON for one column.
void append_value_json(std::string& out, const SyncColumn& column, const Value& value);
Value value_from_json(const SyncTable& table, const SyncColumn& column, const json& value, const std::string& where);

using store::append_json_string;
std::string shortest(double d);

}  // namespace gainsly::sync
