#include "sync/device.hpp"

#include "store/sqlite.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "model/error.hpp"
#include "model/time.hpp"
#include "model/uuid.hpp"
#include "sync/device_sql.hpp"

namespace gainsly::sync {

using namespace device_sql;

Device::Device(store::Database& db) : db_(db) { install_change_capture(db_); }

std::string Device::device_id() {
    std::string id = db_.meta("sync.device");
    if (id.empty()) {
        id = model::new_uuid_v7();
        db_.set_meta("sync.device", id);
    }
    return id;
}

std::string Device::user() const { return const_cast<store::Database&>(db_).meta("sync.user"); }

std::string Device::user(const std::string& requested) {
    std::string recorded = db_.meta("sync.user");
    if (!requested.empty()) {
        std::string r = requested;
        for (auto& ch : r) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (!model::is_canonical_uuid(r)) invalid("user_uid: '" + requested + "' is not a UUID");
        if (!recorded.empty() && recorded != r)
            invalid("user_uid: this file syncs as account " + recorded + ", not " + r + " (one account per file)");
        if (recorded.empty()) db_.set_meta("sync.user", r);
        return r;
    }
    if (!recorded.empty()) return recorded;
    auto& c = db_.prepare("SELECT uid FROM users ORDER BY id LIMIT 2");
    std::vector<std::string> uids;
    while (c.executeStep()) uids.push_back(c.getColumn(0).getString());
    c.tryReset();
    if (uids.empty()) invalid("user_uid: the file has no user yet; name the account to sync (gs_sync_options.user_uid)");
    if (uids.size() > 1) invalid("user_uid: the file has several users; name the account to sync (gs_sync_options.user_uid)");
    db_.set_meta("sync.user", uids[0]);
    return uids[0];
}

bool Device::initial_pull_complete() { return db_.meta("sync.initial_done") == "1"; }

int64_t Device::outbox_depth() {
    auto& s = db_.prepare("SELECT (SELECT count(*) FROM gs_outbox) + (SELECT count(*) FROM gs_outbox_deleted)");
    s.executeStep();
    int64_t n = s.getColumn(0).getInt64();
    s.tryReset();
    return n;
}

json Device::status() {
    auto count = [&](const char* sql) {
        auto& s = db_.prepare(sql);
        s.executeStep();
        int64_t n = s.getColumn(0).getInt64();
        s.tryReset();
        return n;
    };
    auto opt = [&](const char* key) -> json {
        std::string v = db_.meta(key);
        return v.empty() ? json(nullptr) : json(v);
    };
    json s;
    s["device"] = opt("sync.device");
    s["user"] = opt("sync.user");
    s["outbox"] = outbox_depth();
    s["inflight"] = count("SELECT count(*) FROM gs_sync_inflight") > 0;
    s["parked"] = count("SELECT count(*) FROM gs_sync_parked");
    s["cursor"] = meta_int(db_, "sync.cursor");
    s["catalog_cursor"] = meta_int(db_, "sync.catalog_cursor");
    s["mutation"] = meta_int(db_, "sync.mutation");
    s["initial_pull_complete"] = initial_pull_complete();
    s["resyncing"] = db_.meta("sync.resync") == "1";
    s["last_push_at"] = opt("sync.last_push_at");
    s["last_pull_at"] = opt("sync.last_pull_at");
    s["last_error"] = opt("sync.last_error");
    s["schema"] = db_.schema().version();
    s["quarantined"] = count("SELECT count(*) FROM gs_sync_quarantine");
    json held = json::array();  // the first 100, oldest first: what the app shows the user to fix
    Stmt q(db_, "SELECT tbl, uid, reason, at, waits_tbl, waits_uid FROM gs_sync_quarantine ORDER BY at, tbl, uid LIMIT 100");
    auto text = [&](int i) { return sqlite3_column_type(*q, i) == SQLITE_NULL ? std::string() : std::string(reinterpret_cast<const char*>(sqlite3_column_text(*q, i))); };
    while (q.step()) {
        json e = {{"table", text(0)}, {"uid", text(1)}, {"reason", text(2)}, {"at", text(3)}, {"id", nullptr}};
        if (const SyncTable* st = find_layout(text(0)))
            if (auto id = local_id(db_, *st, text(1))) e["id"] = *id;
        if (!text(5).empty()) e["waits_for"] = {{"table", text(4)}, {"uid", text(5)}};
        held.push_back(std::move(e));
    }
    s["quarantine"] = held;
    return s;
}

}  // namespace gainsly::sync
