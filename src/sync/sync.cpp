#include "sync/sync.hpp"

#include <chrono>
#include <future>
#include <memory>

#include "model/error.hpp"
#include "sync/device.hpp"
#include "sync/server.hpp"

namespace gainsly::sync {

namespace {

void check(const Options& o) {
    if (o.batch_rows < 1 || o.batch_rows > 100000) invalid("batch_rows: must be between 1 and 100000");
    if (o.timeout_ms < 0) invalid("timeout_ms: must not be negative");
    if (o.page_bytes < 1 || o.page_bytes > page_cap_bytes) invalid("page_bytes: must be between 1 and " + std::to_string(page_cap_bytes));
}

void record_error(store::Database& db, const std::exception& e) {
    try {
        db.set_meta("sync.last_error", e.what());
    } catch (...) {
    }
}

}  // namespace

json sync(store::Database& db, const std::string& conninfo, const Options& o) {
    check(o);
    const auto t0 = std::chrono::steady_clock::now();
    Device(db).user(o.user_uid);
    std::unique_ptr<Server> server;
    try {
        server = std::make_unique<Server>(conninfo, o.timeout_ms, o.role);
    } catch (const std::exception& e) {
        record_error(db, e);
        throw;
    }
    json report = sync(db, *server, o);
    report["duration_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

json sync(store::Database& db, Server& server, const Options& o) {
    check(o);
    const auto t0 = std::chrono::steady_clock::now();
    Device device(db);
    device.user(o.user_uid);
    json report;
    int64_t pushed = 0, pulled = 0, conflicts = 0, batches = 0, pages = 0, deleted = 0, parked = 0;
    bool resynced = false;
    json rejected = json::array();
    try {
        for (int renumbered = 0;;) {
            Batch b = device.export_batch(o.batch_rows);
            if (b.empty()) break;
            Ack a = server.push(b);
            if (!a.refused.empty() && ++renumbered > 3) throw Error(Status::sync, "push: the server keeps refusing the batch (" + a.refused + ")");
            device.accept_ack(a);
            if (!a.refused.empty()) continue;
            ++batches;
            pushed += int64_t(b.changes.size());
            conflicts += a.conflicts;
            for (const auto& r : a.rejected)
                if (rejected.size() < 100) rejected.push_back({{"table", r.table}, {"uid", r.uid}, {"reason", r.reason}, {"quarantined", r.quarantine}});
            if (o.on_progress && !o.on_progress({{"phase", "push"}, {"pushed", pushed}, {"outbox", device.outbox_depth()}}))
                throw Error(Status::canceled, "sync: canceled by the progress callback after pushing " + std::to_string(pushed) + " changes");
        }
        // While a page is applied to the file, the next one is already being read from the server
        // (its request is known: the page's cursors). That request says which cursor the device
        // holds (where the page being applied started), so the server keeps the tombstones a
        // device dying mid-apply still needs.
        PullRequest r = device.pull_request(o.batch_rows, o.page_bytes);
        Page p = server.pull(r);
        for (int guard = 0;; ++guard) {
            std::future<Page> ahead;
            if (p.more && !p.resync) {
                PullRequest n = r;
                n.cursor = p.cursor;
                n.after = p.after;
                n.catalog_cursor = p.catalog_cursor;
                n.held = r.done();  // p is not applied yet: the device holds only where p started
                ahead = std::async(std::launch::async, [&server, n] { return server.pull(n); });
                r = n;
            }
            ApplyStats s;
            try {
                s = device.apply(p);
            } catch (...) {
                if (ahead.valid()) ahead.wait();  // the connection is idle again before the error goes up
                throw;
            }
            ++pages;
            resynced = resynced || p.resync;
            pulled += s.applied + s.deleted;
            deleted += s.deleted;
            conflicts += s.conflicts;
            parked += s.parked;
            if (o.on_progress && !o.on_progress({{"phase", "pull"}, {"pulled", pulled}, {"cursor", p.cursor}, {"more", p.more}})) {
                if (ahead.valid()) ahead.wait();  // the connection is idle again before the error goes up
                throw Error(Status::canceled, "sync: canceled by the progress callback after pulling " + std::to_string(pulled) + " rows");
            }
            if (!p.more) break;
            if (guard > 10000000) throw Error(Status::internal, "pull: no end in sight");
            if (ahead.valid()) {
                p = ahead.get();
            } else {  // after a resync marker: the device restarted its cursors
                r = device.pull_request(o.batch_rows, o.page_bytes);
                p = server.pull(r);
            }
        }
    } catch (const std::exception& e) {
        record_error(db, e);
        throw;
    }
    db.set_meta("sync.last_error", "");
    report["pushed"] = pushed;
    report["pulled"] = pulled;
    report["conflicts"] = conflicts;
    report["duration_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    report["batches"] = batches;
    report["pages"] = pages;
    report["deleted"] = deleted;
    report["parked"] = parked;
    report["rejected"] = rejected;
    report["outbox"] = device.outbox_depth();
    report["resynced"] = resynced;
    json status = device.status();
    report["cursor"] = status["cursor"];
    report["user"] = status["user"];
    report["device"] = status["device"];
    report["initial_pull_complete"] = status["initial_pull_complete"];
    report["quarantined"] = status["quarantined"];
    return report;
}

}  // namespace gainsly::sync
