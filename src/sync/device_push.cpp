// The push half of a device: batches exported from the outbox (bounded by rows and bytes),
// acknowledgements and the quarantine they settle, and the next pull request.
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

namespace {

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

// Why a row read from the file cannot travel at all (a value an older version let in, written by
// raw SQL): the batch is JSON, parsed again on retry, so such a row would block every later sync.
// Held in quarantine on the device instead, without asking the server.
std::optional<std::string> unsendable(const SyncTable& st, const Change& ch) {
    for (const auto& sc : st.columns) {
        const Value& v = ch.values[size_t(sc.pos)];
        if (!(ch.mask >> sc.pos & 1) || !v) continue;
        const std::string where = st.name() + "." + sc.column->name;
        if (!valid_utf8(*v)) return where + ": not valid UTF-8";
        if (sc.column->type == Type::json) try {
                store::check_json_depth(*v, where, store::json_max_depth);
            } catch (const Error& e) {
                return std::string(e.what());
            }
    }
    return std::nullopt;
}

// After an ack: the rows it quarantined are recorded with the server's reason, and rows held for
// a parent this batch delivered go back to the outbox.
void settle_quarantine(store::Database& db, const Ack& ack, const Batch& b) {
    std::map<std::pair<std::string, std::string>, const Change*> sent;
    for (const auto& ch : b.changes)
        if (ch.op != 'd') sent[{ch.table->name(), ch.uid}] = &ch;
    std::set<std::pair<std::string, std::string>> refused;
    for (const auto& r : ack.rejected) {
        refused.emplace(r.table, r.uid);
        if (!r.quarantine) continue;
        auto it = sent.find({r.table, r.uid});
        if (it != sent.end()) hold(db, r.table, r.uid, *it->second, r.reason, r.waits_table, r.waits_uid);
    }
    struct Waiting {
        std::string tbl, uid, op;
        int64_t mask;
        std::pair<std::string, std::string> parent;
    };
    std::vector<Waiting> waiting;
    {
        Stmt s(db, "SELECT tbl, uid, op, mask, waits_tbl, waits_uid FROM gs_sync_quarantine WHERE waits_uid IS NOT NULL");
        auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(*s, i))); };
        while (s.step()) waiting.push_back({text(0), text(1), text(2), sqlite3_column_int64(*s, 3), {text(4), text(5)}});
    }
    for (const auto& w : waiting) {
        if (!sent.count(w.parent) || refused.count(w.parent)) continue;
        const SyncTable* st = find_layout(w.tbl);
        auto id = st ? local_id(db, *st, w.uid) : std::nullopt;
        if (id) {
            Stmt o(db, "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, ?, ?, " + std::string(wall_sql) +
                           ") ON CONFLICT (tbl, row_id) DO UPDATE SET op = min(op, excluded.op), mask = mask | excluded.mask");
            sqlite3_bind_int64(*o, 1, st->number);
            sqlite3_bind_int64(*o, 2, *id);
            sqlite3_bind_int64(*o, 3, w.op == "i" ? op_insert : op_update);
            sqlite3_bind_int64(*o, 4, w.op == "i" ? 0 : w.mask);
            o.run();
        }
        unhold(db, w.tbl, w.uid);
    }
}

}  // namespace

Batch Device::export_batch(int max_rows) {
    if (max_rows < 1) invalid("batch_rows: must be at least 1");
    std::string user = this->user();
    if (user.empty()) invalid("sync: no account recorded for this file yet (call with user_uid first)");
    Tx tx(db_);
    {
        auto& s = db_.prepare("SELECT body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
        if (s.executeStep()) {
            std::string body = s.getColumn(0).getString();
            s.tryReset();
            Batch b = batch_from_json(json::parse(body));
            tx.commit();
            return b;
        }
        s.tryReset();
    }
    Batch b;
    b.schema = db_.schema().version();
    b.device = device_id();
    b.user = user;
    stamp(db_, hlc::node_of(b.device));

    const auto& tables = layout();
    auto valid = [&](int64_t tbl) { return tbl >= 0 && size_t(tbl) < tables.size() && !tables[size_t(tbl)].catalog; };
    bool held = any_quarantined(db_);  // the checks below cost nothing while nothing is quarantined
    // A row whose parent is quarantined waits with it (the server would refuse the reference).
    auto hold_for_parent = [&](const SyncTable& st, const Change& ch) {
        for (const auto& sc : st.columns) {
            const Value& v = ch.values[size_t(sc.pos)];
            if (!sc.parent || !(ch.mask >> sc.pos & 1) || !v) continue;
            const SyncTable& parent = layout_of(*sc.parent);
            if (parent.catalog || !quarantined(db_, parent.name(), *v)) continue;
            hold(db_, st.name(), ch.uid, ch, "waits for " + parent.name() + " " + *v + ", which is quarantined", parent.name(), *v);
            return true;
        }
        return false;
    };
    // Entries with nothing to send (a row gone with a parent deleted by a pull, an update that
    // changed no value) are dropped as they are read; keep reading until the batch has changes or
    // the outbox is empty, so an empty batch always means "nothing left to push".
    for (;;) {
        // Deletes first (children before parents), then rows in dependency order.
        // Bounded by the bytes of its JSON as well as by rows (batch_budget_bytes, under the
        // server's batch_max_bytes): the entries past the budget stay in the outbox.
        std::vector<std::pair<int64_t, std::string>> deletes;
        size_t bytes = 512;  // the header
        {
            Stmt s(db_, "SELECT tbl, uid, clock FROM gs_outbox_deleted ORDER BY tbl DESC, uid LIMIT ?");
            sqlite3_bind_int64(*s, 1, max_rows);
            while (s.step()) {
                int64_t tbl = sqlite3_column_int64(*s, 0);
                std::string uid = reinterpret_cast<const char*>(sqlite3_column_text(*s, 1));
                if (valid(tbl)) {
                    Change ch;
                    ch.table = &tables[size_t(tbl)];
                    ch.uid = uid;
                    ch.op = 'd';
                    ch.hlc = sqlite3_column_int64(*s, 2);
                    const size_t size = json_size(ch);
                    if (bytes + size > batch_budget_bytes) break;
                    bytes += size;
                    b.changes.push_back(std::move(ch));
                }
                deletes.emplace_back(tbl, std::move(uid));
            }
        }
        struct Entry {
            int64_t tbl, row, op, mask, clock;
        };
        std::vector<Entry> entries;
        if (int(deletes.size()) < max_rows && bytes < batch_budget_bytes) {
            Stmt s(db_, "SELECT tbl, row_id, op, mask, clock FROM gs_outbox ORDER BY tbl, row_id LIMIT ?");
            sqlite3_bind_int64(*s, 1, max_rows - int64_t(deletes.size()));
            while (s.step())
                entries.push_back({sqlite3_column_int64(*s, 0), sqlite3_column_int64(*s, 1), sqlite3_column_int64(*s, 2), sqlite3_column_int64(*s, 3),
                                   sqlite3_column_int64(*s, 4)});
        }
        size_t used = 0;
        for (; used < entries.size(); ++used) {
            const Entry& e = entries[used];
            if (!valid(e.tbl)) continue;
            const SyncTable& st = tables[size_t(e.tbl)];
            Stmt r(db_, "X:" + st.name(), [&] { return row_select_sql(st); });
            sqlite3_bind_int64(*r, 1, e.row);
            if (!r.step()) continue;  // gone with a parent deleted while applying a pull: nothing to push
            Change ch;
            ch.table = &st;
            ch.uid = reinterpret_cast<const char*>(sqlite3_column_text(*r, 0));
            ch.op = e.op == op_update ? 'u' : 'i';
            ch.hlc = e.clock;
            ch.mask = e.op == op_update ? (uint64_t(e.mask) & st.all_bits) : st.all_bits;
            if (ch.mask == 0) continue;
            if (held)
                if (auto h = quarantined(db_, st.name(), ch.uid)) {
                    // Changed since the server refused it: sent again, whole if the server never had it.
                    if (h->op == 'i') ch.op = 'i', ch.mask = st.all_bits;
                    else ch.mask |= h->mask & st.all_bits;
                    unhold(db_, st.name(), ch.uid);
                }
            ch.values.resize(st.table->columns.size());
            int col = 1;
            for (const auto& sc : st.columns) {
                if (ch.mask >> sc.pos & 1) ch.values[size_t(sc.pos)] = canonical(*r, col, sc);
                ++col;
            }
            if (held && hold_for_parent(st, ch)) continue;
            if (auto why = unsendable(st, ch)) {
                hold(db_, st.name(), ch.uid, ch, *why, "", "");
                held = true;
                continue;
            }
            const size_t size = json_size(ch);
            if (size + 512 > batch_budget_bytes) {  // no batch can carry it
                hold(db_, st.name(), ch.uid, ch,
                     st.name() + ": the row takes " + std::to_string(size) + " bytes, more than the " + std::to_string(batch_budget_bytes) +
                         " a batch carries",
                     "", "");
                held = true;
                continue;
            }
            if (bytes + size > batch_budget_bytes) break;  // stays in the outbox for the next batch
            bytes += size;
            b.changes.push_back(std::move(ch));
        }
        entries.resize(used);
        for (const auto& [tbl, uid] : deletes) {
            if (held && valid(tbl)) unhold(db_, tables[size_t(tbl)].name(), uid);
            Stmt d(db_, "DELETE FROM gs_outbox_deleted WHERE tbl = ? AND uid = ?");
            sqlite3_bind_int64(*d, 1, tbl);
            sqlite3_bind_text(*d, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
            d.run();
        }
        for (const auto& e : entries) {
            Stmt d(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
            sqlite3_bind_int64(*d, 1, e.tbl);
            sqlite3_bind_int64(*d, 2, e.row);
            d.run();
        }
        if (!b.changes.empty() || (deletes.empty() && entries.empty())) break;
    }
    if (!b.changes.empty()) {
        b.mutation = meta_int(db_, "sync.mutation") + 1;
        b.batch_id = model::new_uuid_v7();
        b.base = meta_int(db_, "sync.cursor");
        await_ack(db_, b);
    }
    tx.commit();
    return b;
}

void Device::accept_ack(const Ack& ack) {
    if (ack.refused == "mutation_behind") {
        requeue_inflight(ack.server_mutation + 1);
        return;
    }
    Tx tx(db_);
    auto& s = db_.prepare("SELECT mutation, batch, body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
    if (!s.executeStep()) {
        s.tryReset();
        if (ack.mutation <= meta_int(db_, "sync.mutation")) return;  // already accepted: acks are idempotent
        throw Error(Status::sync, "ack: mutation " + std::to_string(ack.mutation) + " was never sent by this device");
    }
    int64_t mutation = s.getColumn(0).getInt64();
    std::string batch = s.getColumn(1).getString();
    // The batch itself is read back only when the quarantine has something to settle.
    const bool settle = std::any_of(ack.rejected.begin(), ack.rejected.end(), [](const Rejected& r) { return r.quarantine; }) || any_quarantined(db_);
    std::string body = settle ? s.getColumn(2).getString() : std::string();
    s.tryReset();
    if (ack.mutation != mutation || ack.batch_id != batch)
        throw Error(Status::sync, "ack: for mutation " + std::to_string(ack.mutation) + " (batch " + ack.batch_id + ") but the device awaits mutation " +
                                      std::to_string(mutation) + " (batch " + batch + ")");
    if (settle) settle_quarantine(db_, ack, batch_from_json(json::parse(body)));
    auto& d = db_.prepare("DELETE FROM gs_sync_inflight WHERE mutation = ?");
    d.bind(1, mutation);
    d.exec();
    db_.set_meta("sync.last_push_at", model::now_timestamp());
    tx.commit();
}

void Device::requeue_inflight(int64_t next_mutation) {
    Tx tx(db_);
    auto& s = db_.prepare("SELECT body FROM gs_sync_inflight ORDER BY mutation LIMIT 1");
    if (!s.executeStep()) {
        s.tryReset();
        return;
    }
    Batch b = batch_from_json(json::parse(s.getColumn(0).getString()));
    s.tryReset();
    // Renumber the same changes after the server's last mutation (a file restored from a backup).
    db_.sql().exec("DELETE FROM gs_sync_inflight");
    b.mutation = std::max(next_mutation, b.mutation + 1);
    b.batch_id = model::new_uuid_v7();
    await_ack(db_, b);
    tx.commit();
}

PullRequest Device::pull_request(int limit, int64_t max_bytes) {
    if (limit < 1) invalid("batch_rows: must be at least 1");
    if (max_bytes < 1 || max_bytes > page_cap_bytes) invalid("page_bytes: must be between 1 and " + std::to_string(page_cap_bytes));
    PullRequest r;
    r.schema = db_.schema().version();
    r.device = device_id();
    r.user = user();
    if (r.user.empty()) invalid("sync: no account recorded for this file yet (call with user_uid first)");
    r.cursor = meta_int(db_, "sync.cursor");
    r.after = db_.meta("sync.after");
    r.max_bytes = max_bytes;
    r.held = r.done();
    r.resync = db_.meta("sync.resync") == "1";
    r.catalog_cursor = meta_int(db_, "sync.catalog_cursor");
    r.limit = limit;
    r.catalog_version = int(meta_int(db_, "catalog_version"));
    return r;
}

}  // namespace gainsly::sync
