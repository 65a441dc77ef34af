// Server::push: a batch applied exactly once, in one transaction, with set-based statements per
// table generated for the client's schema version (README: Exactly once).
#include "sync/server.hpp"

#include "store/sqlite.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "catalog/catalog.hpp"
#include "model/error.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"
#include "sync/server_sql.hpp"

namespace gainsly::sync {

using namespace server_sql;
using model::Type;

namespace {

// ---- statements of one table, generated per client schema version ---------------------------

struct TableSql {
    std::string drop_tombstoned, stale_inserts, unknown_updates, missing_refs, update, insert, insert_plain, losers, deletes;
};

// Parent references of staged rows `s` resolved by joins: the distinct parent uids are looked up
// once each. (A sub-select per row and column cost a third of a push.) The parent side is
// matched on uuid values, so the qual on a table under row-level security stays leakproof and
// reaches its (owner, uid) index.
struct RefJoins {
    std::string ctes, joins;
    std::map<int, std::string> value;  // column pos -> the resolved local value
};

RefJoins ref_joins(const std::vector<const SyncColumn*>& cols) {
    RefJoins r;
    for (const auto* sc : cols) {
        if (!sc->parent) continue;
        const std::string n = std::to_string(sc->pos + 1), alias = "r" + n, src = "(s.v[" + n + "])::uuid";
        std::string owner = sc->parent->kind == model::TableKind::user ? "p.gs_owner = $1 AND " : "";
        r.ctes += ", " + alias + " AS (SELECT p.uid AS u, p." + q(sc->column->ref_column) + " AS x FROM " + q(sc->parent->name) + " p WHERE " + owner +
                  "p.uid IN (SELECT " + src + " FROM s))";
        r.joins += " LEFT JOIN " + alias + " ON " + alias + ".u = " + src;
        r.value[sc->pos] = alias + ".x";
    }
    return r;
}

std::string bit(const SyncColumn& sc) { return std::to_string(uint64_t(1) << sc.pos); }

TableSql table_sql(const SyncTable& st, int k, int schema) {
    TableSql s;
    const std::string t = q(st.name()), K = std::to_string(k), key = q(st.table->key().name);
    const std::string only = " AND ($3::uuid IS NULL OR s.uid = $3::uuid)";
    std::vector<const SyncColumn*> cols;
    for (const auto& sc : st.columns)
        if (visible(sc, schema)) cols.push_back(&sc);
    auto v = [](const SyncColumn& sc) { return "s.v[" + std::to_string(sc.pos + 1) + "]"; };

    s.drop_tombstoned = "WITH x AS (DELETE FROM gs_stage s USING gs_changes g WHERE s.tbl = " + K + " AND s.op <> 'd' AND g.owner = $1 AND g.tbl = " + K +
                        " AND g.uid = s.uid AND g.op = 'd' RETURNING s.uid) SELECT count(*) FROM x";
    // From a restored file: inserts of rows the server knows neither as rows nor as tombstones,
    // created (UUIDv7 time, $2 in ms) before the device's last push: pushed then, deleted since and
    // their tombstones collected. They get a tombstone again, so the device drops them.
    s.stale_inserts = "WITH l AS (DELETE FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'i' AND substr(s.uid::text, 15, 1) = '7' AND ('x' || "
                      "translate(substr(s.uid::text, 1, 13), '-', ''))::bit(48)::bigint <= $2::bigint AND NOT EXISTS (SELECT 1 FROM " + t +
                      " t WHERE t.gs_owner = $1 AND t.uid = s.uid) RETURNING s.uid) INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K +
                      ", uid, $3, 'd' FROM l ON CONFLICT (owner, tbl, uid) DO UPDATE SET op = 'd', seq = excluded.seq RETURNING uid::text";
    s.unknown_updates = "SELECT s.uid::text FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'u' AND NOT EXISTS (SELECT 1 FROM " + t +
                        " t WHERE t.gs_owner = $1 AND t.uid = s.uid)";
    const RefJoins refs = ref_joins(cols);
    for (const auto* sc : cols) {
        if (!sc->parent) continue;
        const std::string r = "r" + std::to_string(sc->pos + 1);
        s.missing_refs += std::string(s.missing_refs.empty() ? "" : " UNION ALL ") + "SELECT s.uid::text, " + literal(sc->column->name) + ", " + v(*sc) +
                          " FROM s LEFT JOIN " + r + " ON " + r + ".u = (" + v(*sc) + ")::uuid WHERE (s.mask & " + bit(*sc) + ") <> 0 AND " + v(*sc) +
                          " IS NOT NULL AND " + r + ".u IS NULL";
    }

    // Per-column last-writer-wins: a carried column is taken when its clock is newer than the
    // column's clock on the server (gs_clock entry, else the row's base clock gs_hlc).
    std::string wins, any, lost, sets, clocks;
    for (const auto* sc : cols) {
        const std::string w = "w" + std::to_string(sc->pos), c = q(sc->column->name);
        wins += ", ((s.mask & " + bit(*sc) + ") <> 0 AND s.hlc > coalesce((t.gs_clock->>" + literal(sc->column->name) + ")::bigint, t.gs_hlc)) AS " + w;
        any += std::string(any.empty() ? "" : " OR ") + "x." + w;
        lost += std::string(lost.empty() ? "" : " OR ") + "((x.mask & " + bit(*sc) + ") <> 0 AND NOT x." + w + ")";
        sets += c + " = CASE WHEN x." + w + " THEN " + conv(*sc, "x.v[" + std::to_string(sc->pos + 1) + "]") + " ELSE t." + c + " END, ";
        clocks += std::string(clocks.empty() ? "" : ", ") + literal(sc->column->name) + ", CASE WHEN x." + w + " THEN x.hlc END";
    }
    if (cols.empty()) {
        any = "false";
        lost = "false";
    }
    s.update = "WITH x AS (SELECT s.uid, s.hlc, s.mask, s.v" + wins + " FROM gs_stage s JOIN " + t +
               " t ON t.gs_owner = $1 AND t.uid = s.uid WHERE s.tbl = " + K + " AND s.op <> 'd'" + only + "), u AS (UPDATE " + t + " t SET " + sets +
               "gs_clock = coalesce(t.gs_clock, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object(" + clocks + ")) FROM x WHERE t.gs_owner = $1 AND t.uid = x.uid AND (" +
               any + ") RETURNING 1) SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM x WHERE " + lost + "), $2::bigint";
    if (clocks.empty()) s.update = "SELECT 0, 0, $1::uuid, $2::bigint, $3::uuid";

    std::string names = "gs_owner, uid, gs_hlc", values = "$1, s.uid, s.hlc";
    for (const auto* sc : cols) {
        names += ", " + q(sc->column->name);
        values += ", " + (sc->parent ? refs.value.at(sc->pos) : conv(*sc, v(*sc)));
    }
    // Inserts, then (only when fewer rows went in than were staged) the losers: new rows another
    // row's unique key kept out get a tombstone, so the device that pushed them drops them.
    // insert_plain is tried first: ON CONFLICT's speculative insertion costs about 12% more, and a
    // conflict (a uid the server has, or a unique key another device took) is rare.
    auto insert = [&](const char* conflict) {
        return "WITH s AS MATERIALIZED (SELECT s.uid, s.hlc, s.v FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'i'" + only + ")" + refs.ctes +
               ", i AS (INSERT INTO " + t + " (" + names + ") SELECT " + values + " FROM s" + refs.joins + conflict +
               " RETURNING 1) SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM s), $2::bigint";
    };
    s.insert = insert(" ON CONFLICT DO NOTHING");  // a row the server has already (its uid) is left as it is
    s.insert_plain = insert("");
    s.losers = "WITH l AS (INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K + ", s.uid, $2, 'd' FROM gs_stage s WHERE s.tbl = " + K +
               " AND s.op = 'i'" + only + " AND NOT EXISTS (SELECT 1 FROM " + t +
               " t WHERE t.gs_owner = $1 AND t.uid = s.uid) ON CONFLICT (owner, tbl, uid) DO UPDATE SET op = 'd', seq = excluded.seq RETURNING uid::text) "
               "SELECT string_agg(uid, ',') FROM l";
    s.deletes = "WITH d AS (DELETE FROM " + t + " t USING gs_stage s WHERE s.tbl = " + K + " AND s.op = 'd' AND t.gs_owner = $1 AND t.uid = s.uid RETURNING t.uid), "
                "n AS (INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K + ", s.uid, $2, 'd' FROM gs_stage s WHERE s.tbl = " + K +
                " AND s.op = 'd' AND s.uid NOT IN (SELECT uid FROM d) ON CONFLICT (owner, tbl, uid) DO NOTHING RETURNING 1) "
                "SELECT (SELECT count(*) FROM d)";
    if (!s.missing_refs.empty())
        s.missing_refs = "WITH s AS MATERIALIZED (SELECT s.uid, s.mask, s.v FROM gs_stage s WHERE s.tbl = " + K + " AND s.op <> 'd')" + refs.ctes +
                         " SELECT * FROM (" + s.missing_refs + ") m WHERE $1::uuid IS NOT NULL";
    (void)key;
    return s;
}


}  // namespace

Ack Server::push_tx(const Batch& b) {
    check_client_version(b.schema);
    Ack ack;
    ack.mutation = b.mutation;
    ack.batch_id = b.batch_id;
    if (b.changes.empty()) invalid("changes: the batch is empty");
    size_t bytes = 0;
    for (const auto& ch : b.changes) bytes += json_size(ch);
    if (bytes > batch_max_bytes)
        invalid("changes: " + std::to_string(bytes) + " bytes, over the " + std::to_string(batch_max_bytes) + " bytes a batch may carry (split it)");
    conn_.step("push.begin");
    begin("");
    const std::string owner = owner_for(b.user);
    for (const auto& ch : b.changes)
        if (ch.table->name() == "users" && ch.uid != owner)
            throw Error(Status::auth, "changes: users row " + ch.uid + " is not the account's own (" + owner + ")");

    // Exactly once: the device's last mutation id is checked and moved in this same transaction.
    conn_.step("push.device");
    conn_.exec("INSERT INTO gs_devices (owner, device, schema) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
               {owner, b.device, std::to_string(b.schema)});
    auto dev = conn_.exec("SELECT mutation, batch, (extract(epoch FROM restored_before) * 1000)::bigint FROM gs_devices WHERE owner = $1 AND device = $2 FOR UPDATE",
                          {owner, b.device});
    int64_t last = dev.integer(0, 0);
    std::string last_batch = dev.null(0, 1) ? "" : std::string(dev.text(0, 1));
    const int64_t restored_ms = dev.null(0, 2) ? 0 : dev.integer(0, 2);
    if (b.mutation == last && b.batch_id == last_batch) {
        conn_.exec("ROLLBACK");
        ack.duplicate = true;
        return ack;
    }
    if (b.mutation <= last) {
        // A file restored from a backup: its outbox may hold inserts this device pushed after the
        // backup was made. Until it pulls again, such an insert of a row the server no longer
        // knows (created before its last push, tombstone collected) is not brought back.
        conn_.exec("UPDATE gs_devices SET restored_before = coalesce(restored_before, pushed_at, now()) WHERE owner = $1 AND device = $2",
                   {owner, b.device});
        conn_.exec("COMMIT");
        ack.refused = "mutation_behind";
        ack.server_mutation = last;
        return ack;
    }
    // The batch's sequence; the change-log triggers find it by this transaction's id.
    auto seqr = conn_.exec("INSERT INTO gs_owners AS o (owner, seq, xact) VALUES ($1, 1, pg_current_xact_id()) ON CONFLICT (owner) DO UPDATE "
                           "SET seq = o.seq + 1, xact = excluded.xact RETURNING seq, gc_seq, (extract(epoch FROM clock_timestamp()) * 1000)::bigint",
                           {owner});
    const std::string seq(seqr.text(0, 0));
    const int64_t gc_seq = seqr.integer(0, 1);
    // No clock past the server's time plus the stated skew is taken: a device whose clock says
    // 2100 would otherwise win every conflict, and every device would adopt its clock.
    const int64_t clock_limit = seqr.integer(0, 2) + clock_skew_ms_;
    ack.seq = to_i64(seq);

    // Stage every change with one COPY.
    if (!stage_ready_) {
        conn_.exec(stage_ddl);
        stage_ready_ = true;
    }
    std::string data;
    data.reserve(b.changes.size() * 160);
    std::set<int> tables_with_deletes, tables_with_rows;
    std::map<int, std::vector<std::string>> clamped;  // layout number -> uids of rows whose clock was bounded
    for (const auto& ch : b.changes) {
        int k = server_tbl_[size_t(ch.table->number)];
        if (k < 0) throw Error(Status::sync, "changes: table " + ch.table->name() + " does not exist on the server");
        (ch.op == 'd' ? tables_with_deletes : tables_with_rows).insert(ch.table->number);
        data += std::to_string(k);
        data += '\t';
        data += ch.uid;
        data += '\t';
        data += ch.op;
        data += '\t';
        const int64_t h = hlc::bound(ch.hlc, clock_limit);
        if (h != ch.hlc && ch.op != 'd') clamped[ch.table->number].push_back(ch.uid);
        data += std::to_string(h);
        data += '\t';
        data += std::to_string(int64_t(ch.mask));
        data += '\t';
        if (ch.op == 'd') {
            data += "\\N\n";
            continue;
        }
        std::string arr = "{";
        size_t n = 0;
        for (const auto& sc : ch.table->columns)
            if (ch.mask >> sc.pos & 1) n = std::max(n, size_t(sc.pos) + 1);
        for (size_t i = 0; i < n; ++i) {
            if (i) arr += ',';
            const SyncColumn* sc = (ch.mask >> i & 1) ? ch.table->at_pos(int(i)) : nullptr;
            array_element(arr, sc ? ch.values[i] : Value());
        }
        arr += '}';
        pg::copy_field(data, arr);
        data += '\n';
    }
    conn_.step("push.copy");
    conn_.copy_in("COPY gs_stage (tbl, uid, op, hlc, mask, v) FROM STDIN", data);
    // A temporary table has no statistics: the planner would take a large batch for one row and
    // join it to the account's rows by nested loops (quadratic once the tables grow faster than
    // their statistics, as in a first sync). Counted rows let it hash instead.
    if (b.changes.size() >= 200) conn_.exec("ANALYZE gs_stage (tbl, uid, op)");  // not v: its statistics cost most and serve nothing

    const pg::Param owner_p = owner, seq_p = seq;
    const auto& tables = layout();
    // Deletes first, children before parents; a delete of a row the server does not have still
    // leaves a tombstone, so a late insert of that uid cannot bring it back.
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
        if (!tables_with_deletes.count(it->number)) continue;
        conn_.step("push.delete");
        auto sql = table_sql(*it, server_tbl_[size_t(it->number)], b.schema);
        auto r = conn_.exec(sql.deletes, {owner_p, seq_p});
        ack.applied += r.integer(0, 0);
    }
    std::vector<std::pair<const SyncTable*, std::string>> touch;  // rows whose change lost: devices re-pull them
    std::set<std::pair<int, std::string>> held;                    // (layout number, uid) quarantined by this push
    auto quarantine = [&](const SyncTable& st, const std::string& uid, const std::string& reason, const SyncTable* parent, const std::string& parent_uid) {
        Rejected r{st.name(), uid, reason};
        r.quarantine = true;
        if (parent) r.waits_table = parent->name(), r.waits_uid = parent_uid;
        ack.rejected.push_back(std::move(r));
        ++ack.conflicts;
        held.emplace(st.number, uid);
        conn_.exec("DELETE FROM gs_stage WHERE tbl = " + std::to_string(server_tbl_[size_t(st.number)]) + " AND uid = $1", {uid});
    };
    for (const auto& st : tables) {
        if (!tables_with_rows.count(st.number)) continue;
        conn_.step("push.table");
        const int k = server_tbl_[size_t(st.number)];
        auto sql = table_sql(st, k, b.schema);
        // Changes to rows deleted on the server lose: deletes win.
        ack.conflicts += conn_.exec(sql.drop_tombstoned, {owner_p}).integer(0, 0);
        if (restored_ms > 0 && gc_seq > 0) {
            auto stale = conn_.exec(sql.stale_inserts, {owner_p, std::to_string(restored_ms), seq_p});
            for (int i = 0; i < stale.rows(); ++i)
                ack.rejected.push_back({st.name(), std::string(stale.text(i, 0)), "deleted after this file's backup was made; not brought back"});
            ack.conflicts += stale.rows();
        }
        auto unknown = conn_.exec(sql.unknown_updates, {owner_p});
        if (unknown.rows()) {
            for (int i = 0; i < unknown.rows(); ++i) {
                std::string uid(unknown.text(i, 0));
                if (b.base < gc_seq) {  // deleted and forgotten past the GC horizon: stays deleted
                    ack.rejected.push_back({st.name(), uid, "the row no longer exists (deleted)"});
                    ++ack.conflicts;
                } else {  // a row the server never accepted: held on the device, not a reason to refuse the batch
                    quarantine(st, uid, "update of " + st.name() + " row " + uid + ", which does not exist on the server", nullptr, "");
                }
            }
            conn_.exec("DELETE FROM gs_stage s WHERE s.tbl = " + std::to_string(k) + " AND s.op = 'u' AND NOT EXISTS (SELECT 1 FROM " + q(st.name()) +
                           " t WHERE t.gs_owner = $1 AND t.uid = s.uid)",
                       {owner_p});
        }
        if (!sql.missing_refs.empty()) {
            auto miss = conn_.exec(sql.missing_refs, {owner_p});
            for (int i = 0; i < miss.rows(); ++i) {
                std::string child(miss.text(i, 0)), column(miss.text(i, 1)), parent_uid(miss.text(i, 2));
                const SyncColumn* sc = st.find(column);
                const SyncTable& parent = layout_of(*sc->parent);
                bool tombstoned = false;
                if (!parent.catalog)
                    tombstoned = conn_.exec("SELECT 1 FROM gs_changes WHERE owner = $1 AND tbl = $2 AND uid = $3 AND op = 'd'",
                                            {owner_p, std::to_string(server_tbl_[size_t(parent.number)]), parent_uid})
                                     .rows() > 0;
                if (held.count({st.number, child})) continue;  // already quarantined for another column
                if (!tombstoned) {
                    // The parent was refused in this batch: the child waits for it on the device.
                    if (held.count({parent.number, parent_uid})) {
                        quarantine(st, child, "waits for " + parent.name() + " " + parent_uid + ", which the server refused", &parent, parent_uid);
                        continue;
                    }
                    // No tombstone and the device is not behind the GC horizon: a parent the server
                    // never had (refused earlier, or a bad reference). The child is held on the device.
                    if (parent.catalog || b.base >= gc_seq) {
                        quarantine(st, child, st.name() + "." + column + " refers to " + parent.name() + " uid " + parent_uid + ", which does not exist on the server",
                                   nullptr, "");
                        continue;
                    }
                    // Behind the horizon: the parent was deleted and its tombstone collected; the
                    // schema's ON DELETE rule applies as if the tombstone were still there.
                }
                if (sc->column->on_delete == model::OnDelete::set_null) {
                    conn_.exec("UPDATE gs_stage SET v[" + std::to_string(sc->pos + 1) + "] = NULL WHERE tbl = " + std::to_string(k) + " AND uid = $1",
                               {child});
                } else {  // the parent was deleted: the child goes with it (ON DELETE CASCADE)
                    conn_.exec("DELETE FROM gs_stage WHERE tbl = " + std::to_string(k) + " AND uid = $1", {child});
                    conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) VALUES ($1, $2, $3, $4, 'd') ON CONFLICT (owner, tbl, uid) DO UPDATE "
                               "SET op = 'd', seq = excluded.seq",
                               {owner_p, std::to_string(k), child, seq_p});
                    ack.rejected.push_back({st.name(), child, parent.name() + " " + parent_uid + (tombstoned ? " was deleted" : " was deleted (past the GC horizon)")});
                    ++ack.conflicts;
                }
            }
        }
        // Set-based merge; if a constraint refuses the merged rows, fall back to one row at a time
        // and let the rows that cannot be merged lose (devices then re-pull the server's row).
        auto run = [&](const pg::Param& only) {
            auto u = conn_.exec(sql.update, {owner_p, seq_p, only});
            conn_.exec("SAVEPOINT gs_row_insert");
            auto i = [&] {
                try {
                    auto plain = conn_.exec(sql.insert_plain, {owner_p, seq_p, only});
                    conn_.exec("RELEASE SAVEPOINT gs_row_insert");
                    return plain;
                } catch (const Error& e) {
                    if (e.status() != Status::constraint) throw;
                    conn_.exec("ROLLBACK TO SAVEPOINT gs_row_insert");
                    conn_.exec("RELEASE SAVEPOINT gs_row_insert");
                    return conn_.exec(sql.insert, {owner_p, seq_p, only});
                }
            }();
            ack.applied += u.integer(0, 0) + i.integer(0, 0);
            ack.conflicts += u.integer(0, 1);
            if (i.integer(0, 0) == i.integer(0, 1)) return;  // every staged insert went in
            auto l = conn_.exec(sql.losers, {owner_p, seq_p, only});
            if (!l.null(0, 0)) {
                std::string losers(l.text(0, 0));
                for (size_t at = 0; at < losers.size();) {
                    size_t end = losers.find(',', at);
                    if (end == std::string::npos) end = losers.size();
                    ack.rejected.push_back({st.name(), losers.substr(at, end - at), "another row already holds its unique key"});
                    ++ack.conflicts;
                    at = end + 1;
                }
            }
        };
        conn_.exec("SAVEPOINT gs_table");
        try {
            run(std::nullopt);
            conn_.exec("RELEASE SAVEPOINT gs_table");
        } catch (const Error& e) {
            if (!refused_row(e)) throw;
            conn_.exec("ROLLBACK TO SAVEPOINT gs_table");
            auto uids = conn_.exec("SELECT uid::text, op FROM gs_stage WHERE tbl = " + std::to_string(k) + " AND op <> 'd'");
            for (int r = 0; r < uids.rows(); ++r) {
                std::string uid(uids.text(r, 0));
                conn_.exec("SAVEPOINT gs_row");
                try {
                    run(uid);
                    conn_.exec("RELEASE SAVEPOINT gs_row");
                } catch (const Error& e2) {
                    if (!refused_row(e2)) throw;
                    conn_.exec("ROLLBACK TO SAVEPOINT gs_row");
                    if (e2.status() == Status::constraint) {  // a merge rule (unique key, ...): the server's row wins
                        ack.rejected.push_back({st.name(), uid, e2.what()});
                        ++ack.conflicts;
                        touch.emplace_back(&st, uid);
                    } else {  // a value the server cannot hold: quarantined on the device, the rest lands
                        quarantine(st, uid, e2.what(), nullptr, "");
                    }
                }
            }
        }
    }
    for (const auto& [st, uid] : touch) {
        // Existing row: a new sequence makes every device re-pull the server's version. New row:
        // a tombstone makes the pushing device drop it.
        std::string k = std::to_string(server_tbl_[size_t(st->number)]);
        bool exists = conn_.exec("SELECT 1 FROM " + q(st->name()) + " WHERE gs_owner = $1 AND uid = $2", {owner_p, uid}).rows() > 0;
        conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner, tbl, uid) DO UPDATE "
                   "SET seq = excluded.seq, op = excluded.op",
                   {owner_p, k, uid, seq_p, std::string(exists ? "u" : "d")});
    }
    // Rows whose clock was bounded: the device compared its unbounded clock when it merged pulls,
    // so it may hold a value the server did not take. A new sequence makes it re-pull the row.
    for (const auto& [number, uids] : clamped) {
        const SyncTable& st = layout()[size_t(number)];
        conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + std::to_string(server_tbl_[size_t(number)]) + ", t.uid, $2, 'u' FROM " +
                       q(st.name()) + " t WHERE t.gs_owner = $1 AND t.uid = ANY($3::uuid[]) ON CONFLICT (owner, tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'u'",
                   {owner_p, seq_p, uuid_array(uids)});
    }
    // Garbage-collect tombstones every device of the account has pulled, or older than the horizon.
    conn_.step("push.gc");
    conn_.exec("WITH g AS (DELETE FROM gs_changes WHERE owner = $1 AND op = 'd' AND (seq <= (SELECT min(cursor) FROM gs_devices WHERE owner = $1) "
               "OR at < now() - make_interval(secs => $2::double precision)) RETURNING seq) "
               "UPDATE gs_owners SET gc_seq = greatest(gc_seq, (SELECT max(seq) FROM g)) WHERE owner = $1 AND EXISTS (SELECT 1 FROM g)",
               {owner_p, std::to_string(gc_horizon_seconds_)});
    conn_.exec("UPDATE gs_devices SET mutation = $3, batch = $4, pushed_at = now(), schema = $5 WHERE owner = $1 AND device = $2",
               {owner_p, b.device, std::to_string(b.mutation), b.batch_id, std::to_string(b.schema)});
    conn_.step("push.commit");
    conn_.exec("COMMIT");
    conn_.step("push.committed");
    return ack;
}

}  // namespace gainsly::sync
