// Pulled pages applied to the file: per-column merge by clock, deletes, parked children, the
// re-pull sweep, all in one transaction with the cursor.
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

// ---- apply ------------------------------------------------------------------------------------

namespace {

struct Pending {
    int64_t op = 0;
    uint64_t mask = 0;
    int64_t clock = 0;
    uint64_t covers(const SyncTable& st) const {
        if (op == op_insert) return st.all_bits;
        if (op == op_update) return mask;
        return 0;
    }
};

class Applier {
public:
    Applier(store::Database& db, ApplyStats& stats, const PullHook* hook) : db_(db), stats_(stats), hook_(hook) {
        // Local deletes not yet acknowledged by the server win over remote rows with those uids.
        Stmt s(db_, "SELECT tbl, uid FROM gs_outbox_deleted");
        while (s.step()) deleted_.insert(key(sqlite3_column_int64(*s, 0), reinterpret_cast<const char*>(sqlite3_column_text(*s, 1))));
        Stmt f(db_, "SELECT body FROM gs_sync_inflight");
        while (f.step()) {
            Batch b = batch_from_json(json::parse(reinterpret_cast<const char*>(sqlite3_column_text(*f, 0))));
            for (auto& ch : b.changes) {
                if (ch.op == 'd') deleted_.insert(key(ch.table->number, ch.uid));
                else inflight_[key(ch.table->number, ch.uid)] = {ch.op == 'i' ? op_insert : op_update, ch.mask, ch.hlc};
            }
        }
        // A quarantined row keeps its local values against older pulled ones, like a pending write.
        Stmt qz(db_, "SELECT tbl, uid, op, mask, hlc FROM gs_sync_quarantine");
        while (qz.step()) {
            const SyncTable* st = find_layout(reinterpret_cast<const char*>(sqlite3_column_text(*qz, 0)));
            if (!st) continue;
            const bool ins = sqlite3_column_text(*qz, 2)[0] == 'i';
            held_[key(st->number, reinterpret_cast<const char*>(sqlite3_column_text(*qz, 1)))] = {
                ins ? op_insert : op_update, uint64_t(sqlite3_column_int64(*qz, 3)), sqlite3_column_int64(*qz, 4)};
            ++quarantined_;
        }
        Stmt p(db_, "SELECT count(*) FROM gs_sync_parked");
        if (p.step()) parked_ = sqlite3_column_int64(*p, 0);
        // Tables with pending entries (applying pulled rows adds none: the triggers are off).
        Stmt o(db_, "SELECT DISTINCT tbl FROM gs_outbox");
        while (o.step()) outbox_tables_.insert(sqlite3_column_int64(*o, 0));
    }

    int64_t max_clock = 0;

    void remove(const PulledRow& row) {
        const SyncTable& st = *row.table;
        cache_.clear();
        if (parked_) unpark(st, row.uid);
        auto id = lookup(st, row.uid);
        if (!id) return;
        if (hook_ && !st.catalog) (*hook_)(st.table, *id, 'b');
        Stmt d(db_, "D:" + st.name(), [&] { return "DELETE FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?"; });
        sqlite3_bind_int64(*d, 1, *id);
        try {
            d.run();
        } catch (const sqlite::Exception& e) {
            // A catalog row still used by local rows (RESTRICT): keep it, the server will not send them.
            if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
            ++stats_.conflicts;
            return;
        }
        ++stats_.deleted;
        if (quarantined_) unhold(db_, st.name(), row.uid);  // deleted elsewhere: nothing left to fix
        if (st.catalog || !outbox_tables_.count(st.number)) return;
        // The row's own pending entry is moot.
        Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
        sqlite3_bind_int64(*x, 1, st.number);
        sqlite3_bind_int64(*x, 2, *id);
        x.run();
    }

    // Applies one row; false if it had to be parked (a parent is missing, or a unique key is held
    // by a local row the server will settle first).
    bool upsert(const PulledRow& row, bool from_park = false) {
        const SyncTable& st = *row.table;
        for (const auto& [pos, h] : row.clocks) max_clock = std::max(max_clock, h);
        max_clock = std::max(max_clock, row.hlc);
        std::vector<std::pair<const SyncColumn*, SqlValue>> vals;
        for (const auto& sc : st.columns) {
            if (!(row.present >> sc.pos & 1)) continue;
            const Value& v = row.values[size_t(sc.pos)];
            if (!v) {
                vals.emplace_back(&sc, std::monostate{});
            } else if (sc.parent) {
                auto r = resolve(sc, *v);
                if (!r) return park(row, from_park);
                vals.emplace_back(&sc, std::move(*r));
            } else {
                vals.emplace_back(&sc, to_local(sc, *v));
            }
        }
        auto id = lookup(st, row.uid);
        const PullHook* hook = st.catalog ? nullptr : hook_;
        if (id) {
            if (hook) (*hook)(st.table, *id, 'b');
            update(st, *id, row, vals);
        } else {
            if (!st.catalog && deleted_.count(key(st.number, row.uid))) {
                ++stats_.conflicts;  // deleted here, not yet pushed: the delete wins
                return true;
            }
            if (!insert(st, row, vals)) return park(row, from_park);
            if (hook) id = lookup(st, row.uid);
        }
        if (hook && id) (*hook)(st.table, *id, 'a');
        if (parked_ && !from_park) unpark(st, row.uid);
        ++stats_.applied;
        return true;
    }

    void retry_parked() {
        while (parked_ > 0) {
            std::vector<std::tuple<int, std::string, std::string>> rows;
            {
                Stmt s(db_, "SELECT tbl, uid, body FROM gs_sync_parked");
                while (s.step()) {
                    const SyncTable* st = find_layout(reinterpret_cast<const char*>(sqlite3_column_text(*s, 0)));
                    rows.emplace_back(st ? st->number : -1, reinterpret_cast<const char*>(sqlite3_column_text(*s, 1)),
                                      reinterpret_cast<const char*>(sqlite3_column_text(*s, 2)));
                }
            }
            std::sort(rows.begin(), rows.end());
            bool progress = false;
            for (const auto& [number, uid, body] : rows) {
                if (number < 0) continue;
                Page p = page_from_json(json::parse(body));
                if (p.rows.size() != 1) continue;
                if (upsert(p.rows[0], true)) {
                    unpark(*p.rows[0].table, uid);
                    ++stats_.unparked;
                    progress = true;
                }
            }
            if (!progress) break;
        }
    }

private:
    static std::string key(int64_t tbl, const std::string& uid) { return std::to_string(tbl) + ":" + uid; }

    std::optional<int64_t> lookup(const SyncTable& st, const std::string& uid) {
        Stmt s(db_, "L:" + st.name(), [&] { return "SELECT " + q(st.table->key().name) + " FROM " + q(st.name()) + " WHERE uid = ?"; });
        sqlite3_bind_text(*s, 1, uid.data(), int(uid.size()), SQLITE_STATIC);
        if (s.step()) return sqlite3_column_int64(*s, 0);
        return std::nullopt;
    }

    std::optional<SqlValue> resolve(const SyncColumn& sc, const std::string& uid) {
        auto& cache = cache_[sc.parent];
        if (auto it = cache.find(uid); it != cache.end()) return it->second;
        const std::string& rc = sc.column->ref_column;
        Stmt s(db_, "R:" + sc.parent->name + "." + rc, [&] { return "SELECT " + q(rc) + " FROM " + q(sc.parent->name) + " WHERE uid = ?"; });
        sqlite3_bind_text(*s, 1, uid.data(), int(uid.size()), SQLITE_STATIC);
        if (!s.step()) return std::nullopt;
        SqlValue v;
        if (sqlite3_column_type(*s, 0) == SQLITE_INTEGER) v = int64_t(sqlite3_column_int64(*s, 0));
        else v = std::string(reinterpret_cast<const char*>(sqlite3_column_text(*s, 0)));
        if (cache.size() > 10000) cache.clear();
        cache.emplace(uid, v);
        return v;
    }

    std::optional<Pending> pending(const SyncTable& st, int64_t id) {
        Stmt s(db_, "SELECT op, mask, clock FROM gs_outbox WHERE tbl = ? AND row_id = ?");
        sqlite3_bind_int64(*s, 1, st.number);
        sqlite3_bind_int64(*s, 2, id);
        if (!s.step()) return std::nullopt;
        return Pending{sqlite3_column_int64(*s, 0), uint64_t(sqlite3_column_int64(*s, 1)), sqlite3_column_int64(*s, 2)};
    }

    void update(const SyncTable& st, int64_t id, const PulledRow& row, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        std::optional<Pending> pend = st.catalog ? std::nullopt : pending(st, id);
        std::optional<Pending> infl, held;
        if (!st.catalog) {
            if (auto it = inflight_.find(key(st.number, row.uid)); it != inflight_.end()) infl = it->second;
            if (quarantined_)
                if (auto it = held_.find(key(st.number, row.uid)); it != held_.end()) held = it->second;
        }
        // Current local values, to write only what differs.
        Stmt cur(db_, "C:" + st.name(), [&] {
            std::string sql = "SELECT ";
            for (size_t i = 0; i < st.columns.size(); ++i) sql += (i ? ", " : "") + q(st.columns[i].column->name);
            return sql + " FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?";
        });
        sqlite3_bind_int64(*cur, 1, id);
        if (!cur.step()) return;
        std::vector<std::pair<const SyncColumn*, const SqlValue*>> take, all;
        uint64_t won_pending = 0, won_held = 0;
        bool contested = false;
        for (const auto& [sc, v] : vals) {
            int col = int(sc - st.columns.data());
            bool differs = !same(*cur, col, v);
            if (differs) all.emplace_back(sc, &v);
            uint64_t bit = uint64_t(1) << sc->pos;
            int64_t local = 0;
            if (pend && (pend->covers(st) & bit)) local = std::max(local, pend->clock);
            if (infl && (infl->covers(st) & bit)) local = std::max(local, infl->clock);
            if (held && (held->covers(st) & bit)) local = std::max(local, held->clock);
            if (local && differs) contested = true;
            if (local > row.clock_of(sc->pos)) continue;  // our newer write stands until the server merges it
            if (pend && (pend->covers(st) & bit)) won_pending |= bit;
            if (held && (held->covers(st) & bit)) won_held |= bit;
            if (differs) take.emplace_back(sc, &v);
        }
        sqlite3_reset(*cur);
        if (contested) ++stats_.conflicts;
        if (!take.empty()) {
            try {
                write_update(st, id, take);
            } catch (const sqlite::Exception& e) {
                if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
                // The merged row breaks a constraint: the server's row wins entirely, as it will on push.
                write_update(st, id, all);
                if (pend) won_pending = pend->covers(st);
                if (held) won_held = held->covers(st);
            }
        }
        if (held && won_held == held->covers(st)) {  // newer writes from elsewhere replaced every refused value
            unhold(db_, st.name(), row.uid);
            held_.erase(key(st.number, row.uid));
        }
        if (pend && pend->op == op_update && won_pending) {
            // Columns the server's newer value took need not be pushed any more.
            uint64_t left = pend->mask & ~won_pending;
            if (left) {
                Stmt u(db_, "UPDATE gs_outbox SET mask = ? WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*u, 1, int64_t(left));
                sqlite3_bind_int64(*u, 2, st.number);
                sqlite3_bind_int64(*u, 3, id);
                u.run();
            } else {
                Stmt u(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*u, 1, st.number);
                sqlite3_bind_int64(*u, 2, id);
                u.run();
            }
        }
    }

    void write_update(const SyncTable& st, int64_t id, const std::vector<std::pair<const SyncColumn*, const SqlValue*>>& cols) {
        if (cols.empty()) return;
        std::string k = "U:" + st.name();
        for (const auto& [sc, v] : cols) k += "," + std::to_string(sc->pos);
        Stmt u(db_, k, [&] {
            std::string sql = "UPDATE OR FAIL " + q(st.name()) + " SET ";
            for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + q(cols[i].first->column->name) + " = ?";
            return sql + " WHERE " + q(st.table->key().name) + " = ?";
        });
        int i = 1;
        for (const auto& [sc, v] : cols) bind(*u, i++, *v);
        sqlite3_bind_int64(*u, i, id);
        u.run();
    }

    bool insert(const SyncTable& st, const PulledRow& row, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            std::string k = "I:" + st.name();
            for (const auto& [sc, v] : vals) k += "," + std::to_string(sc->pos);
            Stmt ins(db_, k, [&] {
                std::string cols = "\"uid\"", marks = "?";
                for (const auto& [sc, v] : vals) {
                    cols += ", " + q(sc->column->name);
                    marks += ", ?";
                }
                return "INSERT OR FAIL INTO " + q(st.name()) + " (" + cols + ") VALUES (" + marks + ")";
            });
            sqlite3_bind_text(*ins, 1, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
            int i = 2;
            for (const auto& [sc, v] : vals) bind(*ins, i++, v);
            try {
                ins.run();
                // SQLite may have reused the id of a row deleted here: an entry left for that id
                // (a child deleted with its parent by a pulled delete) is not about this row.
                if (!st.catalog && outbox_tables_.count(st.number)) {
                    Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                    sqlite3_bind_int64(*x, 1, st.number);
                    sqlite3_bind_int64(*x, 2, sqlite3_last_insert_rowid(db_.sql().getHandle()));
                    x.run();
                }
                return true;
            } catch (const sqlite::Exception& e) {
                if (e.getErrorCode() != SQLITE_CONSTRAINT || attempt == 1 || st.catalog) {
                    if (e.getErrorCode() == SQLITE_CONSTRAINT) return false;
                    throw;
                }
            }
            // A natural key (UNIQUE) held by a local row that was never pushed: the server has this
            // row already, so that local row would lose there. It loses here too.
            if (!drop_unique_losers(st, vals)) return false;
        }
        return false;
    }

    bool drop_unique_losers(const SyncTable& st, const std::vector<std::pair<const SyncColumn*, SqlValue>>& vals) {
        std::vector<std::vector<std::string>> groups = st.table->unique;
        for (const auto& c : st.table->columns)
            if (c.unique && c.name != "uid") groups.push_back({c.name});
        if (st.key_is_ref) groups.push_back({st.table->key().name});
        bool dropped = false;
        for (const auto& g : groups) {
            std::string where;
            std::vector<const SqlValue*> args;
            bool usable = true;
            for (const auto& name : g) {
                const SqlValue* v = nullptr;
                for (const auto& [sc, val] : vals)
                    if (sc->column->name == name) v = &val;
                if (!v || std::holds_alternative<std::monostate>(*v)) usable = false;
                where += (where.empty() ? "" : " AND ") + q(name) + " = ?";
                args.push_back(v);
            }
            if (!usable) continue;
            std::string sql = "SELECT t." + q(st.table->key().name) + " FROM " + q(st.name()) + " t JOIN gs_outbox o ON o.tbl = " +
                              std::to_string(st.number) + " AND o.row_id = t." + q(st.table->key().name) + " AND o.op = 1 WHERE " + where;
            std::vector<int64_t> ids;
            {
                Stmt s(db_, sql);
                for (size_t i = 0; i < args.size(); ++i) bind(*s, int(i + 1), *args[i]);
                while (s.step()) ids.push_back(sqlite3_column_int64(*s, 0));
            }
            for (int64_t id : ids) {
                Stmt d(db_, "D:" + st.name(), [&] { return "DELETE FROM " + q(st.name()) + " WHERE " + q(st.table->key().name) + " = ?"; });
                sqlite3_bind_int64(*d, 1, id);
                d.run();
                Stmt x(db_, "DELETE FROM gs_outbox WHERE tbl = ? AND row_id = ?");
                sqlite3_bind_int64(*x, 1, st.number);
                sqlite3_bind_int64(*x, 2, id);
                x.run();
                ++stats_.conflicts;
                dropped = true;
                cache_.clear();
            }
        }
        return dropped;
    }

    bool park(const PulledRow& row, bool from_park) {
        if (from_park) return false;
        Page p;
        p.schema = db_.schema().version();
        p.rows.push_back(row);
        Stmt s(db_, "INSERT OR REPLACE INTO gs_sync_parked (tbl, uid, body) VALUES (?, ?, ?)");
        std::string body = to_json(p);
        sqlite3_bind_text(*s, 1, row.table->name().data(), int(row.table->name().size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 2, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 3, body.data(), int(body.size()), SQLITE_STATIC);
        s.run();
        ++parked_;
        ++stats_.parked;
        return false;
    }

    void unpark(const SyncTable& st, const std::string& uid) {
        Stmt s(db_, "DELETE FROM gs_sync_parked WHERE tbl = ? AND uid = ?");
        sqlite3_bind_text(*s, 1, st.name().data(), int(st.name().size()), SQLITE_STATIC);
        sqlite3_bind_text(*s, 2, uid.data(), int(uid.size()), SQLITE_STATIC);
        s.run();
        if (sqlite3_changes(db_.sql().getHandle()) > 0) --parked_;
    }

    store::Database& db_;
    ApplyStats& stats_;
    const PullHook* hook_;  // null when none is set
    std::unordered_set<std::string> deleted_;
    std::unordered_set<int64_t> outbox_tables_;
    std::unordered_map<std::string, Pending> inflight_;
    std::unordered_map<std::string, Pending> held_;  // quarantined rows: their refused values stand like pending writes
    std::unordered_map<const model::Table*, std::unordered_map<std::string, SqlValue>> cache_;
    int64_t parked_ = 0;
    int64_t quarantined_ = 0;
};

const PullHook* pull_hook(store::Database& db) {
    auto& slot = db.cache_slot("sync.pull_hook");
    return slot ? static_cast<const PullHook*>(slot.get()) : nullptr;
}

// After a full re-pull: local rows the server no longer has (deleted while this device was away
// past the GC horizon) go, except rows created here and not pushed yet.
void sweep(store::Database& db) {
    const auto& tables = layout();
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
        const SyncTable& st = *it;
        if (st.catalog) continue;
        const std::string k = std::to_string(st.number), key = q(st.table->key().name);
        db.sql().exec("DELETE FROM " + q(st.name()) + " WHERE uid NOT IN (SELECT uid FROM gs_sync_seen WHERE tbl = " + k + ") AND " + key +
                      " NOT IN (SELECT row_id FROM gs_outbox WHERE tbl = " + k + " AND op = 1) AND uid NOT IN (SELECT uid FROM gs_sync_quarantine WHERE tbl = '" +
                      st.name() + "')");
    }
    for (const auto& st : tables) {
        if (st.catalog) continue;
        const std::string k = std::to_string(st.number), key = q(st.table->key().name);
        db.sql().exec("DELETE FROM gs_outbox WHERE tbl = " + k + " AND row_id NOT IN (SELECT " + key + " FROM " + q(st.name()) + ")");
    }
    db.sql().exec("DELETE FROM gs_sync_seen");
}

}  // namespace

namespace {

// Pulled pages commit without waiting for the disk (WAL, synchronous=NORMAL): a page lost to a
// power cut goes with its cursor, atomically, and is simply pulled again. Restores the setting.
class LazyCommit {
public:
    explicit LazyCommit(store::Database& db) : db_(db.sql()) {
        level_ = db_.execAndGet("PRAGMA synchronous").getInt();
        if (level_ > 1) db_.exec("PRAGMA synchronous = NORMAL");
    }
    ~LazyCommit() {
        if (level_ > 1) try {
                db_.exec("PRAGMA synchronous = " + std::to_string(level_));
            } catch (...) {
            }
    }
    LazyCommit(const LazyCommit&) = delete;
    LazyCommit& operator=(const LazyCommit&) = delete;

private:
    sqlite::Database& db_;
    int level_ = 0;
};

}  // namespace

void set_pull_hook(store::Database& db, PullHook hook) {
    auto& slot = db.cache_slot("sync.pull_hook");
    if (hook) slot = std::make_shared<PullHook>(std::move(hook));
    else slot.reset();
}

ApplyStats Device::apply(const Page& page) {
    ApplyStats stats;
    std::string device = device_id();
    LazyCommit lazy(db_);
    Tx tx(db_);
    db_.sql().exec("INSERT INTO gs_sync_apply VALUES (1); PRAGMA defer_foreign_keys = ON");
    stamp(db_, hlc::node_of(device));
    if (page.resync) {
        // Past the server's GC horizon: pull everything again from 0, then sweep what is gone.
        db_.set_meta("sync.resync", "1");
        db_.set_meta("sync.cursor", "0");
        db_.set_meta("sync.after", "");
        db_.sql().exec("DELETE FROM gs_sync_seen; DELETE FROM gs_sync_apply");
        tx.commit();
        return stats;
    }
    const bool resyncing = db_.meta("sync.resync") == "1";
    const PullHook* hook = pull_hook(db_);
    Applier a(db_, stats, hook);
    for (const auto& row : page.rows) {
        if (row.deleted) a.remove(row);
        else a.upsert(row);
        if (resyncing && !row.deleted && !row.table->catalog) {
            Stmt s(db_, "INSERT OR IGNORE INTO gs_sync_seen (tbl, uid) VALUES (?, ?)");
            sqlite3_bind_int64(*s, 1, row.table->number);
            sqlite3_bind_text(*s, 2, row.uid.data(), int(row.uid.size()), SQLITE_STATIC);
            s.run();
        }
    }
    a.retry_parked();
    if (a.max_clock > meta_int(db_, "sync.hlc")) set_meta_int(db_, "sync.hlc", a.max_clock);
    // The position inside a sequence goes with the rows, in this transaction: a page that ended
    // inside a sequence resumes exactly after its last row, whatever fails before the next one.
    set_meta_int(db_, "sync.cursor", page.cursor);
    if (!page.after.empty() || !db_.meta("sync.after").empty()) db_.set_meta("sync.after", page.after);
    set_meta_int(db_, "sync.catalog_cursor", page.catalog_cursor);
    if (!page.more) {
        if (resyncing) {
            sweep(db_);
            db_.set_meta("sync.resync", "0");
        }
        db_.set_meta("sync.initial_done", "1");
    }
    db_.set_meta("sync.last_pull_at", model::now_timestamp());
    db_.sql().exec("DELETE FROM gs_sync_apply");
    // Rows derived from the pulled ones are written now, captured like any local write.
    if (hook) (*hook)(nullptr, 0, 'e');
    tx.commit();
    return stats;
}

}  // namespace gainsly::sync
