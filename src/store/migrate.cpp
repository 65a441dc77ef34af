#include "store/migrate.hpp"

#include "store/sqlite.hpp"

#include <nlohmann/json.hpp>
#include <regex>

#include "model/error.hpp"
#include "model/schema.hpp"
#include "store/database.hpp"

namespace gainsly::store {
namespace {

const char* meta_ddl = "CREATE TABLE IF NOT EXISTS gs_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;";

int pragma_int(sqlite::Database& db, const char* name) {
    return db.execAndGet(std::string("PRAGMA ") + name).getInt();
}

void create_schema(sqlite::Database& db, int version) {
    db.exec(model::sqlite_ddl(model::Schema::builtin(), version));
    db.exec(meta_ddl);
    db.exec("PRAGMA application_id = " + std::to_string(application_id));
    db.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace

void bring_up_to_date(sqlite::Database& db, const std::string& path, const OpenOptions& options) {
    const int latest = model::Schema::builtin().version();
    db.exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
    int version, app;
    try {
        version = pragma_int(db, "user_version");
        app = pragma_int(db, "application_id");
    } catch (const std::exception& e) {
        rethrow_as_error(e, path);
    }
    if (app != 0 && app != application_id)
        throw Error(Status::corrupt, path + ": not a Gainsly database (application_id " + std::to_string(app) + ")");
    if (version > latest)
        throw Error(Status::version, path + ": schema version " + std::to_string(version) + " is newer than this library's " +
                                         std::to_string(latest) + "; update the app (the file was not changed)");
    if (version == 0 && db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0)
        throw Error(Status::corrupt, path + ": not a Gainsly database (it has tables but no schema version)");

    if (options.read_only) {
        if (version < latest)
            throw Error(Status::readonly, path + ": schema version " + std::to_string(version) + " must be migrated to " +
                                              std::to_string(latest) + " before it can be read; open it once without GS_OPEN_READ_ONLY");
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA temp_store = MEMORY");
        return;
    }
    if (db.execAndGet("PRAGMA journal_mode = WAL").getString() != "wal")
        throw Error(Status::io, path + ": cannot switch to WAL journal mode");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    // Statement journals in memory: an update or delete of a synced table runs sync's capture trigger,
    // which makes SQLite keep a statement journal per statement; on disk that was ~20 writes per row
    // (inserts were 3.5x slower while they had a trigger too). Sync's connections rely on this.
    db.exec("PRAGMA temp_store = MEMORY");

    while (true) {
        sqlite::Transaction tx(db, sqlite::TransactionBehavior::IMMEDIATE);
        version = pragma_int(db, "user_version");  // another connection may have moved it meanwhile
        if (version >= latest) break;
        if (version == 0) {
            create_schema(db, latest);
        } else {
            db.exec(model::sqlite_migration(model::Schema::builtin(), version));
            db.exec(meta_ddl);
            db.exec("PRAGMA user_version = " + std::to_string(version + 1));
        }
        tx.commit();
    }
}

void create_at_version(const std::string& path, int version) {
    sqlite::Database db(path, sqlite::OPEN_READWRITE | sqlite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    sqlite::Transaction tx(db, sqlite::TransactionBehavior::IMMEDIATE);
    create_schema(db, version);
    tx.commit();
}

std::string introspect(sqlite::Database& db) {
    using nlohmann::json;
    json out = json::object();
    sqlite::Statement tables(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                 "AND name NOT LIKE 'gs_%' ORDER BY name");
    static const std::regex check_re(R"re(CONSTRAINT "([A-Za-z0-9_]+)" CHECK)re");
    while (tables.executeStep()) {
        std::string name = tables.getColumn(0).getString(), ddl = tables.getColumn(1).getString();
        json t;
        sqlite::Statement cols(db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid");
        cols.bind(1, name);
        while (cols.executeStep()) {
            json c;
            c["type"] = cols.getColumn(1).getString();
            c["not_null"] = cols.getColumn(2).getInt() != 0 || cols.getColumn(4).getInt() != 0;
            c["default"] = cols.getColumn(3).isNull() ? json(nullptr) : json(cols.getColumn(3).getString());
            c["pk"] = cols.getColumn(4).getInt() != 0;
            t["columns"][cols.getColumn(0).getString()] = c;
        }
        json fks = json::array();
        sqlite::Statement fk(db, "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq");
        fk.bind(1, name);
        while (fk.executeStep())
            fks.push_back({fk.getColumn(0).getString(), fk.getColumn(1).getString(),
                           fk.getColumn(2).isNull() ? "id" : fk.getColumn(2).getString(), fk.getColumn(3).getString()});
        std::sort(fks.begin(), fks.end());
        t["foreign_keys"] = fks;
        json uniques = json::array(), indexes = json::object();
        sqlite::Statement il(db, "SELECT name, \"unique\", origin FROM pragma_index_list(?)");
        il.bind(1, name);
        while (il.executeStep()) {
            std::string iname = il.getColumn(0).getString(), origin = il.getColumn(2).getString();
            if (origin == "pk") continue;
            json cols_of = json::array();
            sqlite::Statement ix(db, "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno");
            ix.bind(1, iname);
            while (ix.executeStep()) cols_of.push_back(ix.getColumn(0).getString() + (ix.getColumn(1).getInt() ? " desc" : ""));
            if (il.getColumn(1).getInt()) uniques.push_back(cols_of);
            else indexes[iname] = cols_of;
        }
        std::sort(uniques.begin(), uniques.end());
        t["unique"] = uniques;
        t["indexes"] = indexes;
        json checks = json::array();
        for (std::sregex_iterator it(ddl.begin(), ddl.end(), check_re), end; it != end; ++it) checks.push_back((*it)[1].str());
        std::sort(checks.begin(), checks.end());
        t["checks"] = checks;
        out[name] = t;
    }
    return out.dump(1);
}

}  // namespace gainsly::store
