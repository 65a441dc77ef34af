// Server::pull: one page of the account's changes after the device's cursor, from one snapshot,
// bounded by rows and bytes and resumable inside a sequence (README: Pull).
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

Page Server::pull_tx(const PullRequest& r) {
    check_client_version(r.schema);
    Page page;
    page.schema = r.schema;
    page.cursor = r.cursor;
    page.after = r.after;
    page.catalog_cursor = r.catalog_cursor;
    conn_.step("pull.begin");
    begin("");
    const std::string owner = owner_for(r.user);
    // What the device confirms it holds whole: tombstones up to there may be collected.
    // (A request read ahead holds less than it asks from; a device that stopped inside a sequence
    // holds the one before it.) A device pulls after pushing its outbox, so a restored file's stale
    // inserts are behind it.
    const int64_t done = r.done();
    auto d = conn_.exec("INSERT INTO gs_devices AS d (owner, device, cursor, catalog_cursor, schema, pulled_at) VALUES ($1, $2, $3, $4, $5, now()) "
                        "ON CONFLICT (owner, device) DO UPDATE SET cursor = excluded.cursor, catalog_cursor = excluded.catalog_cursor, pulled_at = now(), "
                        "restored_before = NULL RETURNING d.resync_gc, (SELECT gc_seq FROM gs_owners WHERE owner = $1)",
                        {owner, r.device, std::to_string(std::min(r.held, done)), std::to_string(r.catalog_cursor), std::to_string(r.schema)});
    const int64_t gc_seq = d.null(0, 1) ? 0 : d.integer(0, 1), resync_gc = d.null(0, 0) ? 0 : d.integer(0, 0);
    // Behind collected tombstones: re-pull everything and sweep — at cursor 0 too (a restored file,
    // or a first pull that failed part way, may hold rows deleted since). A device re-pulling
    // already restarts only if tombstones were collected since its re-pull began (a row it has
    // seen may have been deleted, its tombstone gone); otherwise the sweep settles every delete.
    // (Restarting whenever its cursor was below gc_seq never let a re-pull of several pages end.)
    if (r.resync ? gc_seq > resync_gc : done < gc_seq) {
        conn_.exec("UPDATE gs_devices SET resync_gc = $3 WHERE owner = $1 AND device = $2", {owner, r.device, std::to_string(gc_seq)});
        conn_.exec("COMMIT");
        page.resync = true;
        page.cursor = 0;
        page.after.clear();
        page.more = true;
        return page;
    }
    conn_.exec("COMMIT");

    conn_.step("pull.snapshot");
    begin(" ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const pg::Param owner_p = owner;
    auto o = conn_.exec("SELECT seq FROM gs_owners WHERE owner = $1", {owner_p});
    const int64_t top = o.rows() ? o.integer(0, 0) : 0;
    // The changes the page may take, in the order pages follow: sequence, deletions before rows,
    // table number, uid (user changes), then catalog changes by their own sequence.
    struct Ref {
        int64_t seq = 0;
        int tbl = 0;
        std::string uid;
        bool deleted = false, catalog = false;
        std::optional<PulledRow> row{};  // none: a table this device does not know, or a row gone
    };
    auto key = [](const Ref& x) { return std::string(x.deleted ? "0." : "1.") + std::to_string(x.tbl) + "." + x.uid; };
    std::vector<Ref> refs;
    auto add_refs = [&refs](const pg::Result& c, bool catalog) {  // (seq, tbl, uid, op) rows
        for (int i = 0; i < c.rows(); ++i) {
            Ref x;
            x.seq = c.integer(i, 0);
            x.tbl = int(to_i64(c.text(i, 1)));
            x.uid = std::string(c.text(i, 2));
            x.deleted = c.text(i, 3) == "d";
            x.catalog = catalog;
            refs.push_back(std::move(x));
        }
    };
    // A device that can resume inside a sequence (it sent max_bytes) gets pages cut anywhere; an
    // older one gets whole sequences, as before.
    const bool split = r.max_bytes > 0;
    const int64_t max_bytes = split ? std::min(r.max_bytes, page_cap_bytes) : page_max_bytes;
    bool user_more = false;
    size_t user_refs = 0;  // refs[0, user_refs) are user changes the page may take
    int64_t high = r.cursor;
    if (top > r.cursor || !r.after.empty()) {
        conn_.step("pull.changes");
        pg::Result c;
        if (split) {
            // One row past the limit tells whether more follow, and where the page ends.
            std::string sql = "SELECT seq, tbl, uid::text, op FROM gs_changes WHERE owner = $1 AND seq >= $2 AND (seq > $2";
            std::vector<pg::Param> params{owner_p, std::to_string(r.cursor), std::to_string(r.limit + 1)};
            if (!r.after.empty()) {
                const size_t dot = r.after.find('.', 2);
                sql += " OR ((op <> 'd')::int, tbl, uid) > ($4::int, $5::smallint, $6::uuid)";
                params.push_back(r.after.substr(0, 1));
                params.push_back(r.after.substr(2, dot - 2));
                params.push_back(r.after.substr(dot + 1));
            }
            sql += ") ORDER BY seq, op <> 'd', tbl, uid LIMIT $3";
            c = conn_.exec(sql, params);
        } else {
            auto b = conn_.exec("SELECT seq FROM gs_changes WHERE owner = $1 AND seq > $2 ORDER BY seq OFFSET $3 LIMIT 1",
                                {owner_p, std::to_string(r.cursor), std::to_string(r.limit - 1)});
            high = b.rows() ? b.integer(0, 0) : top;
            user_more = high < top;
            c = conn_.exec("SELECT seq, tbl, uid::text, op FROM gs_changes WHERE owner = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, op <> 'd', tbl, uid",
                           {owner_p, std::to_string(r.cursor), std::to_string(high)});
        }
        add_refs(c, false);
        user_refs = refs.size();
        if (split && refs.size() > size_t(r.limit)) {
            user_more = true;
            user_refs = size_t(r.limit);
        }
    }
    if (split && !user_more) high = std::max(top, r.cursor);
    // Catalog changes share the page.
    int64_t ccur = r.catalog_cursor;
    if (ccur == 0 && r.catalog_version > 0 && r.catalog_version >= catalog_version_) ccur = catalog_seq_at_install_;
    page.catalog_cursor = ccur;
    bool catalog_more = false;
    int64_t chigh = ccur;
    const int64_t ctop = conn_.exec("SELECT seq FROM gs_catalog_seq").integer(0, 0);
    if (ctop > ccur) {
        int remaining = r.limit - int(user_refs);
        if (user_more || remaining <= 0) {
            catalog_more = true;
        } else {
            auto b = conn_.exec("SELECT seq FROM gs_catalog_changes WHERE seq > $1 ORDER BY seq OFFSET $2 LIMIT 1",
                                {std::to_string(ccur), std::to_string(remaining - 1)});
            chigh = b.rows() ? b.integer(0, 0) : ctop;
            catalog_more = chigh < ctop;
            auto c = conn_.exec("SELECT seq, tbl, uid::text, op FROM gs_catalog_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq, op <> 'd', tbl, uid",
                                {std::to_string(ccur), std::to_string(chigh)});
            if (split && user_refs < refs.size()) refs.resize(user_refs);  // (never: the look-ahead row means user_more)
            add_refs(c, true);
        }
    }
    const size_t candidates = split && user_more ? user_refs : refs.size();  // the look-ahead row is not a candidate

    // Reads the rows of refs[from, to) (tables in one statement each).
    auto fetch = [&](size_t from, size_t to) {
        std::map<int, std::vector<size_t>> by_table;  // layout number -> refs
        for (size_t i = from; i < to; ++i) {
            Ref& ref = refs[i];
            auto it = by_tbl_.find(ref.tbl);
            if (it == by_tbl_.end() || it->second->table->since > r.schema) continue;  // a table this device does not know
            if (ref.deleted) {
                PulledRow row;
                row.table = it->second;
                row.uid = ref.uid;
                row.deleted = true;
                ref.row = std::move(row);
            } else {
                by_table[it->second->number].push_back(i);
            }
        }
        for (const auto& [number, which] : by_table) {
            const SyncTable& st = layout()[size_t(number)];
            std::vector<std::string> uids;
            std::unordered_map<std::string, size_t> at;
            for (size_t i : which) {
                uids.push_back(refs[i].uid);
                at.emplace(refs[i].uid, i);
            }
            std::string sql = "SELECT t.uid::text";
            std::vector<const SyncColumn*> cols;
            for (const auto& sc : st.columns)
                if (visible(sc, r.schema)) {
                    cols.push_back(&sc);
                    sql += ", " + out_expr(sc);
                }
            if (st.catalog) sql += ", 0, NULL FROM " + q(st.name()) + " t WHERE t.uid = ANY($1::uuid[])";
            else sql += ", t.gs_hlc, t.gs_clock::text FROM " + q(st.name()) + " t WHERE t.gs_owner = $2 AND t.uid = ANY($1::uuid[])";
            conn_.step("pull.rows");
            auto rows = st.catalog ? conn_.exec(sql, {uuid_array(uids)}) : conn_.exec(sql, {uuid_array(uids), owner_p});
            const int ncol = int(cols.size());
            for (int i = 0; i < rows.rows(); ++i) {
                PulledRow row;
                row.table = &st;
                row.uid = std::string(rows.text(i, 0));
                row.values.resize(st.table->columns.size());
                for (int c = 0; c < ncol; ++c) {
                    row.values[size_t(cols[size_t(c)]->pos)] = rows.opt(i, c + 1);
                    row.present |= uint64_t(1) << cols[size_t(c)]->pos;
                }
                row.hlc = rows.integer(i, ncol + 1);
                if (!rows.null(i, ncol + 2)) {
                    json clocks = json::parse(rows.text(i, ncol + 2));
                    for (const auto& [name, h] : clocks.items())
                        if (const SyncColumn* sc = st.find(name))  // like values: only columns the device's version has
                            if (visible(*sc, r.schema) && h.is_number_integer()) row.clocks.emplace_back(sc->pos, h.get<int64_t>());
                }
                auto it = at.find(row.uid);
                if (it != at.end()) refs[it->second].row = std::move(row);
            }
        }
    };

    // The page takes refs in order while their JSON fits in max_bytes (at least one). A page may
    // end inside a user sequence only for a device that resumes there; otherwise it ends at a
    // sequence's end (and takes at least one whole sequence, whatever its size).
    auto same_group = [&](size_t a, size_t b) { return refs[a].catalog == refs[b].catalog && refs[a].seq == refs[b].seq; };
    auto splittable = [&](size_t i) { return split && !refs[i].catalog; };
    size_t taken = candidates, fetched = 0;
    int64_t bytes = 256;  // the page's header
    bool cut = false;
    for (size_t i = 0; i < candidates; ++i) {
        if (i == fetched) {  // read rows in chunks sized by what the page can still take
            size_t chunk = 256;
            if (i > 0) chunk = size_t(std::max<int64_t>(16, (max_bytes - bytes) / std::max<int64_t>(1, bytes / int64_t(i)) + 16));
            fetched = std::min(candidates, i + chunk);
            fetch(i, fetched);
        }
        const int64_t size = refs[i].row ? int64_t(json_size(*refs[i].row)) : 0;
        if (i > 0 && bytes + size > max_bytes) {
            taken = i;
            cut = true;
            break;
        }
        bytes += size;
    }
    if (cut && !splittable(taken)) {
        size_t start = taken;
        while (start > 0 && same_group(start - 1, taken)) --start;
        if (start > 0) {
            taken = start;
        } else {  // the first sequence alone is over the bound: it goes whole
            while (taken < candidates && same_group(taken, 0)) ++taken;
            cut = taken < candidates;
            if (fetched < taken) fetch(fetched, taken);
        }
    }

    // Cursors: after the last change taken. Inside a sequence (the next change has the same one)
    // the position goes in `after`.
    page.more = user_more || catalog_more || cut;
    size_t last_user = 0, last_catalog = 0;  // 1 + index of the last taken user / catalog ref
    for (size_t i = 0; i < taken; ++i) (refs[i].catalog ? last_catalog : last_user) = i + 1;
    const bool user_cut = taken < user_refs || (split && user_more);
    if (user_cut) {
        const Ref& last = refs[last_user - 1];
        page.cursor = last.seq;
        page.after = refs[taken].seq == last.seq ? key(last) : std::string();
    } else {
        page.cursor = high;
        page.after.clear();
    }
    if (user_cut) page.catalog_cursor = ccur;
    else if (taken < refs.size()) page.catalog_cursor = last_catalog ? refs[last_catalog - 1].seq : ccur;
    else if (refs.size() > user_refs || chigh > ccur) page.catalog_cursor = chigh;

    // Deletions first, then rows table by table in dependency order (parents before children).
    std::map<int, std::vector<PulledRow>> by_table;  // layout number -> rows
    for (size_t i = 0; i < taken; ++i) {
        if (!refs[i].row) continue;
        if (refs[i].deleted) page.rows.push_back(std::move(*refs[i].row));
        else by_table[refs[i].row->table->number].push_back(std::move(*refs[i].row));
    }
    for (auto& [number, rows] : by_table)
        for (auto& row : rows) page.rows.push_back(std::move(row));
    conn_.exec("COMMIT");
    conn_.step("pull.done");
    return page;
}

}  // namespace gainsly::sync
