// Installing sync in a device file: its tables, the capture triggers for the schema version, the
// store's insert hook, and the outbox renumbered after an upgrade.
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

const char* tables_ddl =
    "CREATE TABLE IF NOT EXISTS gs_outbox (tbl INTEGER NOT NULL, row_id INTEGER NOT NULL, op INTEGER NOT NULL, "
    "mask INTEGER NOT NULL, clock INTEGER NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_outbox_deleted (tbl INTEGER NOT NULL, uid TEXT NOT NULL, clock INTEGER NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_apply (on_ INTEGER);"
    "CREATE TABLE IF NOT EXISTS gs_sync_inflight (mutation INTEGER PRIMARY KEY, batch TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS gs_sync_parked (tbl TEXT NOT NULL, uid TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_seen (tbl INTEGER NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS gs_sync_quarantine (tbl TEXT NOT NULL, uid TEXT NOT NULL, op TEXT NOT NULL, mask INTEGER NOT NULL, "
    "hlc INTEGER NOT NULL, reason TEXT NOT NULL, waits_tbl TEXT, waits_uid TEXT, at TEXT NOT NULL, PRIMARY KEY (tbl, uid)) WITHOUT ROWID;";

// The synced user tables and columns as of a schema version, as stored in gs_meta 'sync.layout'.
json layout_doc(int version) {
    json doc = json::array();
    for (const auto& st : layout()) {
        if (st.catalog || st.table->since > version) continue;
        json cols = json::array();
        for (const auto& sc : st.columns)
            if (sc.column->since <= version) cols.push_back(json::array({sc.pos, sc.column->name}));
        doc.push_back(json::array({st.name(), st.number, cols}));
    }
    return doc;
}

// Inserts are captured by the store's insert hook (record_insert), updates and deletes by triggers:
// any trigger on a table makes every INSERT into it about 1.6x slower, even one that does nothing
// (the statement then keeps a statement journal and runs the trigger program), while writing the
// outbox entry from the hook costs about 1.15x. Updates and deletes need triggers: cascades and
// set-based statements make them. Inserts have one path, store::Database::insert.
// Bumped when the set of triggers changes for the same layout, so install_change_capture() re-creates them.
const char* capture_format = "2";  // 1: insert triggers too

const char* record_insert_sql =
    "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, 1, 0, ?) "
    "ON CONFLICT (tbl, row_id) DO UPDATE SET op = 1, mask = 0, clock = excluded.clock";

void record_insert(sqlite::Statement& stmt, const model::Table& table, int64_t id) {
    const SyncTable& st = layout_of(table);
    if (st.catalog) return;
    stmt.bind(1, st.number);
    stmt.bind(2, id);
    stmt.bind(3, -wall_ms());  // negative: wall time, stamped with a clock at export
    stmt.exec();
    stmt.reset();
}

std::string triggers_sql(int version) {
    std::string out;
    for (const auto& st : layout()) {
        if (st.catalog || st.table->since > version) continue;
        const std::string& t = st.name();
        const std::string key = q(st.table->key().name);
        const std::string k = std::to_string(st.number);
        const std::string when = " WHEN NOT EXISTS (SELECT 1 FROM gs_sync_apply) BEGIN INSERT INTO gs_outbox (tbl, row_id, op, mask, clock";
        std::string mask;
        for (const auto& sc : st.columns) {
            if (sc.column->since > version) continue;
            const std::string c = q(sc.column->name);
            mask += (mask.empty() ? "" : " + ") + std::string("(NEW.") + c + " IS NOT OLD." + c + ") * " + std::to_string(uint64_t(1) << sc.pos);
        }
        if (mask.empty()) mask = "0";
        out += "CREATE TRIGGER " + q("gs_sync_u_" + t) + " AFTER UPDATE ON " + q(t) + when + ") VALUES (" + k + ", NEW." + key + ", 2, " + mask +
               ", " + wall_sql + ") ON CONFLICT (tbl, row_id) DO UPDATE SET mask = mask | excluded.mask, clock = excluded.clock; END;\n";
        // A row inserted and deleted before any push never existed for the server: no tombstone.
        out += "CREATE TRIGGER " + q("gs_sync_d_" + t) + " AFTER DELETE ON " + q(t) +
               " WHEN NOT EXISTS (SELECT 1 FROM gs_sync_apply) BEGIN INSERT INTO gs_outbox_deleted (tbl, uid, clock) SELECT " + k + ", OLD.uid, " +
               wall_sql + " WHERE NOT EXISTS (SELECT 1 FROM gs_outbox WHERE tbl = " + k + " AND row_id = OLD." + key +
               " AND op = 1) ON CONFLICT (tbl, uid) DO UPDATE SET clock = excluded.clock; DELETE FROM gs_outbox WHERE tbl = " + k + " AND row_id = OLD." + key +
               "; END;\n";
    }
    // OAuth tokens: their own triggers (tokens.cpp), in every build.
    return out;
}

// Renumbers pending outbox entries written under an older layout (an app upgrade).
void remap_outbox(sqlite::Database& db, const json& old_doc) {
    std::map<int64_t, std::pair<std::string, std::map<int, std::string>>> old;
    for (const auto& t : old_doc) {
        std::map<int, std::string> cols;
        for (const auto& c : t[2]) cols[c[0].get<int>()] = c[1].get<std::string>();
        old[t[1].get<int64_t>()] = {t[0].get<std::string>(), cols};
    }
    struct Entry {
        int64_t tbl, row_id, op, mask, clock;
    };
    std::vector<Entry> entries;
    {
        sqlite::Statement s(db, "SELECT tbl, row_id, op, mask, clock FROM gs_outbox");
        while (s.executeStep())
            entries.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
                               s.getColumn(4).getInt64()});
    }
    struct Deleted {
        int64_t tbl;
        std::string uid;
        int64_t clock;
    };
    std::vector<Deleted> deleted;
    {
        sqlite::Statement s(db, "SELECT tbl, uid, clock FROM gs_outbox_deleted");
        while (s.executeStep()) deleted.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
    }
    db.exec("DELETE FROM gs_outbox; DELETE FROM gs_outbox_deleted");
    sqlite::Statement del(db, "INSERT OR REPLACE INTO gs_outbox_deleted (tbl, uid, clock) VALUES (?, ?, ?)");
    for (const auto& d : deleted) {
        auto it = old.find(d.tbl);
        const SyncTable* st = it == old.end() ? nullptr : find_layout(it->second.first);
        if (!st || st->catalog) continue;
        del.bind(1, int64_t(st->number));
        del.bind(2, d.uid);
        del.bind(3, d.clock);
        del.exec();
        del.reset();
    }
    sqlite::Statement ins(db, "INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) VALUES (?, ?, ?, ?, ?)");
    for (const auto& e : entries) {
        auto it = old.find(e.tbl);
        if (it == old.end()) continue;
        const SyncTable* st = find_layout(it->second.first);
        if (!st || st->catalog) continue;  // a table that left the schema: nothing to push
        uint64_t mask = 0;
        for (const auto& [pos, name] : it->second.second)
            if (uint64_t(e.mask) >> pos & 1)
                if (const SyncColumn* sc = st->find(name)) mask |= uint64_t(1) << sc->pos;
        ins.bind(1, int64_t(st->number));
        ins.bind(2, e.row_id);
        ins.bind(3, e.op);
        ins.bind(4, int64_t(mask));
        ins.bind(5, e.clock);
        ins.exec();
        ins.reset();
        ins.clearBindings();
    }
}

}  // namespace

// ---- install ----------------------------------------------------------------------------------

void install_change_capture(sqlite::Database& db, int version) {
    const std::string sig = layout_doc(version).dump();
    bool has_outbox = db.tableExists("gs_outbox");
    if (has_outbox && raw_meta(db, "sync.layout") == sig && raw_meta(db, "sync.capture") == capture_format && db.tableExists("gs_sync_quarantine"))
        return;
    const bool outer = sqlite3_get_autocommit(db.getHandle()) == 0;
    db.exec(outer ? "SAVEPOINT gs_sync_install" : "BEGIN IMMEDIATE");
    try {
        db.exec(tables_ddl);
        // The file's device id is born with the file, not at its first sync: a backup taken before
        // any sync then names the device, and the server recognises the copy when it is restored.
        sqlite::Statement id(db, "INSERT OR IGNORE INTO gs_meta (key, value) VALUES ('sync.device', ?)");
        id.bind(1, model::new_uuid_v7());
        id.exec();
        if (!has_outbox) {
            // A file written before sync was installed (an app that gains sync in an upgrade): its
            // rows were never captured, so they all wait in the outbox as inserts.
            for (const auto& st : layout()) {
                if (st.catalog || st.table->since > version) continue;
                db.exec("INSERT OR IGNORE INTO gs_outbox (tbl, row_id, op, mask, clock) SELECT " + std::to_string(st.number) + ", " +
                        q(st.table->key().name) + ", 1, 0, " + wall_sql + " FROM " + q(st.name()));
            }
        }
        std::string old = raw_meta(db, "sync.layout");
        if (old != sig || raw_meta(db, "sync.capture") != capture_format) {
            if (!old.empty() && old != sig) {
                remap_outbox(db, json::parse(old));
                db.exec("DELETE FROM gs_sync_seen");
                // Rows pulled under the old layout lack the columns (and tables) it did not know,
                // and the cursor is past them: re-pull everything once (a full re-pull also sweeps
                // rows deleted meanwhile), as after a resync marker. An interrupted re-pull restarts.
                if (raw_meta(db, "sync.resync") == "1" || to_i64(raw_meta(db, "sync.cursor")) > 0) {
                    raw_set_meta(db, "sync.resync", "1");
                    raw_set_meta(db, "sync.cursor", "0");
                    raw_set_meta(db, "sync.after", "");
                }
            }
            std::vector<std::string> names;
            {
                sqlite::Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gs\\_sync\\_%' ESCAPE '\\'");
                while (s.executeStep()) names.push_back(s.getColumn(0).getString());
            }
            for (const auto& n : names) db.exec("DROP TRIGGER " + q(n));
            db.exec(triggers_sql(version));
            raw_set_meta(db, "sync.layout", sig);
            raw_set_meta(db, "sync.capture", capture_format);
        }
        db.exec(outer ? "RELEASE gs_sync_install" : "COMMIT");
    } catch (...) {
        try {
            if (outer) {
                db.exec("ROLLBACK TO gs_sync_install");
                db.exec("RELEASE gs_sync_install");
            } else {
                db.exec("ROLLBACK");
            }
        } catch (...) {
        }
        throw;
    }
}

void install_change_capture(store::Database& db) {
    try {
        install_change_capture(db.sql(), db.schema().version());
        auto stmt = std::make_shared<sqlite::Statement>(db.sql(), record_insert_sql);
        db.set_insert_hook([stmt](const model::Table& table, int64_t id) { record_insert(*stmt, table, id); });
    } catch (const std::exception& e) {
        store::rethrow_as_error(e, "sync install");
    }
}

void record_insert(sqlite::Database& db, const model::Table& table, int64_t id) {
    sqlite::Statement stmt(db, record_insert_sql);
    record_insert(stmt, table, id);
}

}  // namespace gainsly::sync
