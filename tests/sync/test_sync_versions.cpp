// Schema versions: the server accepts devices one version behind; a device newer than the server,
// or too old, gets a clear version error and loses nothing; the outbox survives an app upgrade;
// gs_server_setup migrates an older server.
#include <doctest/doctest.h>

#include "gainsly/gainsly.h"
#include "store/migrate.hpp"
#include "sync_fixture.hpp"

using namespace synctest;

namespace {
// The library's schema version (a function: no static initialisation order between files).
int version() { return gainsly::model::Schema::builtin().version(); }
}

TEST_SUITE("versions") {
    TEST_CASE("changes captured before an app upgrade sync after it") {
        const int L = version();
        REQUIRE(L >= 2);
        PgDb pgdb;
        TempDir dir;
        std::string path = dir.file("old.db");
        gainsly::store::create_at_version(path, L - 1);
        std::string user = gainsly::model::new_uuid_v7();
        {
            gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
            raw.exec("PRAGMA foreign_keys = ON");
            sync::install_change_capture(raw, L - 1);  // what the previous app version installed
            // The previous app's store wrote these rows and recorded each insert for sync.
            const auto& schema = gainsly::model::Schema::builtin();
            raw.exec("INSERT INTO users (uid, email, name, created_at, updated_at) VALUES ('" + user +
                     "', 'old@example.com', 'Old', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')");
            sync::record_insert(raw, schema.table("users"), 1);
            raw.exec("INSERT INTO user_enjoyable_activities (uid, user_id, enjoyment_score, created_at, updated_at) VALUES ('" +
                     gainsly::model::new_uuid_v7() + "', 1, 0.9, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')");
            sync::record_insert(raw, schema.table("user_enjoyable_activities"), 1);
            raw.exec("INSERT INTO soreness_logs (uid, user_id, log_date, severity, created_at, updated_at) VALUES ('" + gainsly::model::new_uuid_v7() +
                     "', 1, '2025-01-02', 4, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z')");
            sync::record_insert(raw, schema.table("soreness_logs"), 1);
            raw.exec("UPDATE users SET name = 'Old Timer'");
            CHECK(raw.execAndGet("SELECT count(*) FROM gs_outbox").getInt() == 3);
        }
        auto db = gainsly::capi::open_database(path.c_str());  // the new app: migrates, re-installs the triggers
        CHECK(db->sql().execAndGet("PRAGMA user_version").getInt() == L);
        CHECK(sync::Device(*db).outbox_depth() == 3);
        db->update("user_enjoyable_activities", 1, {{"activity", "tennis"}});  // a column version 1 did not have
        json r = sync::sync(*db, pgdb.account(user), options());
        CHECK(r["pushed"] == 3);
        CHECK(pgdb.scalar("SELECT count(*) FROM users WHERE name = 'Old Timer'") == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM user_enjoyable_activities WHERE activity = 'tennis'") == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM soreness_logs") == 1);
        CHECK(diff(device_dump(*db), server_dump(pgdb, user), "device", "server") == "");
    }

    TEST_CASE("a file written before sync was installed pushes every row it already had") {
        PgDb pgdb;
        TempDir dir;
        std::string path = dir.file("presync.db");
        gainsly::store::create_at_version(path, version());  // an app version without sync: no triggers, no outbox
        std::string user = gainsly::model::new_uuid_v7();
        {
            gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
            raw.exec("PRAGMA foreign_keys = ON");
            REQUIRE_FALSE(raw.tableExists("gs_outbox"));
            raw.exec("INSERT INTO users (uid, email, name, created_at, updated_at) VALUES ('" + user +
                     "', 'pre@example.com', 'Pre', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')");
            raw.exec("INSERT INTO soreness_logs (uid, user_id, log_date, severity, created_at, updated_at) VALUES ('" + gainsly::model::new_uuid_v7() +
                     "', 1, '2025-01-02', 4, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z')");
        }
        auto db = gainsly::capi::open_database(path.c_str());  // the app that gains sync
        CHECK(sync::Device(*db).outbox_depth() == 2);
        json r = sync::sync(*db, pgdb.admin(), options(user));
        CHECK(r["pushed"] == 2);
        CHECK(diff(device_dump(*db), server_dump(pgdb, user), "device", "server") == "");
        CHECK(pgdb.scalar("SELECT count(*) FROM soreness_logs") == 1);
        // Opening it again enqueues nothing more.
        db.reset();
        db = gainsly::capi::open_database(path.c_str());
        CHECK(sync::Device(*db).outbox_depth() == 0);
    }

    TEST_CASE("inserts enter the outbox through the store, once, with or without a transaction") {
        TempDir dir;
        std::string path = dir.file("capture.db");
        {
            // A file from the version that captured inserts by trigger: opening it drops those triggers.
            auto db = new_device(path);
            db->sql().exec("CREATE TRIGGER gs_sync_i_users AFTER INSERT ON users BEGIN INSERT INTO gs_outbox (tbl, row_id, op, mask, clock) "
                           "VALUES (-1, NEW.id, 1, 0, -1); END; DELETE FROM gs_meta WHERE key = 'sync.capture'");
        }
        auto db = new_device(path);
        CHECK(one_id(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gs\\_sync\\_i\\_%' ESCAPE '\\'") == 0);
        CHECK(one_id(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gs\\_sync\\_u\\_%' ESCAPE '\\'") > 0);
        int64_t user = db->insert("users", {{"email", "cap@example.com"}});  // no transaction: row and entry commit together
        CHECK(sync::Device(*db).outbox_depth() == 1);
        db->begin();
        db->insert("soreness_logs", {{"user_id", user}, {"log_date", "2026-11-02"}, {"severity", 3}});
        db->rollback();  // the entry goes with the row
        CHECK(sync::Device(*db).outbox_depth() == 1);
        db->begin();
        int64_t log = db->insert("soreness_logs", {{"user_id", user}, {"log_date", "2026-11-03"}, {"severity", 3}});
        db->update("soreness_logs", log, {{"severity", 4}});  // an update of a row not yet pushed stays one insert
        db->commit();
        CHECK(sync::Device(*db).outbox_depth() == 2);
        CHECK(one_id(*db, "SELECT count(*) FROM gs_outbox WHERE op = 1") == 2);
        CHECK(one_id(*db, "SELECT count(*) FROM gs_outbox WHERE tbl = -1") == 0);
        // A failed insert leaves no entry.
        CHECK_THROWS_AS(db->insert("soreness_logs", {{"user_id", user}, {"log_date", "2026-11-04"}, {"severity", 99}}), gainsly::Error);
        CHECK(sync::Device(*db).outbox_depth() == 2);
        // Catalog rows are not the device's to push.
        db->insert("movements", {{"name", "Captured Curl"}});
        CHECK(sync::Device(*db).outbox_depth() == 2);
    }

    TEST_CASE("server one version ahead is accepted; further ahead or behind is refused and nothing is lost") {
        const int L = version();
        PgDb pgdb;
        TempDir dir;
        auto db = new_device(dir.file("v.db"));
        db->insert("users", {{"email", "v@example.com"}});
        std::string user = one_id(*db, "SELECT 1") ? uid_of(*db, "users", 1) : "";
        std::string conn = pgdb.account(user);
        auto set_version = [&](int v) { pgdb.conn().exec("UPDATE gs_server_meta SET value = $1 WHERE key = 'schema_version'", {std::to_string(v)}); };
        set_version(L + 2);
        CHECK_THROWS_WITH_AS(sync::sync(*db, conn, options()), doctest::Contains("update the app"), gainsly::Error);
        set_version(L - 1);
        try {
            sync::sync(*db, conn, options());
            FAIL("expected a version error");
        } catch (const gainsly::Error& e) {
            CHECK(e.status() == gainsly::Status::version);
            CHECK(std::string(e.what()).find("older than this library") != std::string::npos);
        }
        CHECK(sync::Device(*db).outbox_depth() == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM users") == 0);
        set_version(L + 1);  // a newer server: this app is one version behind
        json r = sync::sync(*db, conn, options());
        CHECK(r["pushed"] == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM users") == 1);
    }

    TEST_CASE("a batch and a pull request one schema version behind") {
        const int L = version();
        PgDb pgdb;
        TempDir dir;
        auto db = new_device(dir.file("w.db"));
        int64_t u = db->insert("users", {{"email", "w@example.com"}});
        std::string user = uid_of(*db, "users", u);
        std::string conn = pgdb.account(user);
        sync::sync(*db, conn, options());
        db->insert("top_set_logs", {{"user_id", u}, {"reps", 7}});
        sync::Device dev(*db);
        json b = json::parse(sync::to_json(dev.export_batch(100)));
        b["schema"] = L - 1;
        for (auto& ch : b["changes"])
            ch["values"].erase("set_type");  // the column schema version 3 added
        char* ack = nullptr;
        REQUIRE(gs_server_push(ServerHandle(conn), b.dump().c_str(), &ack) == GS_OK);
        gs_string_free(ack);
        CHECK(pgdb.scalar("SELECT count(*) FROM top_set_logs WHERE reps = 7") == 1);
        // A column of the newer version in an older batch is refused.
        b["mutation"] = b["mutation"].get<int>() + 1;
        b["batch"] = gainsly::model::new_uuid_v7();
        for (auto& ch : b["changes"])
            if (ch["table"] == "top_set_logs") ch["values"]["set_type"] = "warmup";
        CHECK(gs_server_push(ServerHandle(conn), b.dump().c_str(), &ack) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(nullptr)).find("not in schema version") != std::string::npos);
        // An older device's pull gets no column it does not know.
        json req = json::parse(sync::to_json(dev.pull_request(100)));
        req["schema"] = L - 1;
        req["cursor"] = 0;
        char* page = nullptr;
        REQUIRE(gs_server_pull(ServerHandle(conn), req.dump().c_str(), &page) == GS_OK);
        json p = json::parse(page);
        gs_string_free(page);
        bool seen = false;
        for (const auto& row : p["rows"])
            if (row["table"] == "top_set_logs") {
                seen = true;
                CHECK(!row["values"].contains("set_type"));
                CHECK(row["values"].contains("reps"));
            }
        CHECK(seen);
        if (L >= 3) {
            req["schema"] = L - 2;
            CHECK(gs_server_pull(ServerHandle(conn), req.dump().c_str(), &page) == GS_ERR_VERSION);
        }
    }

    TEST_CASE("gs_server_setup migrates an older server schema") {
        const int L = version();
        PgDb pgdb;
        pgdb.conn().exec("ALTER TABLE user_enjoyable_activities DROP COLUMN activity, DROP COLUMN planned_weekdays");
        pgdb.conn().exec("ALTER TABLE top_set_logs DROP COLUMN set_type");  // what schema version 3 added
        pgdb.conn().exec("DROP TABLE personal_records");
        pgdb.conn().exec("UPDATE gs_server_meta SET value = $1 WHERE key = 'schema_version'", {std::to_string(L - 1)});
        char* rep = nullptr;
        REQUIRE(gs_server_setup(pgdb.admin().c_str(), &rep) == GS_OK);
        json r = json::parse(rep);
        gs_string_free(rep);
        CHECK(r["migrated"] == true);
        CHECK(r["previous_schema_version"] == L - 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user_enjoyable_activities' AND column_name IN ('activity', 'planned_weekdays')") == 2);
        CHECK(pgdb.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'top_set_logs' AND column_name = 'set_type'") == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'personal_records'") == 1);
        // A server newer than the library is refused and left alone.
        pgdb.conn().exec("UPDATE gs_server_meta SET value = $1 WHERE key = 'schema_version'", {std::to_string(L + 1)});
        CHECK(gs_server_setup(pgdb.admin().c_str(), &rep) == GS_ERR_VERSION);
        CHECK(pgdb.scalar("SELECT value::int FROM gs_server_meta WHERE key = 'schema_version'") == L + 1);
    }
}

namespace {
// A pulled value (JSON) as the old app's store would have written it.
void bind_json(gainsly::sqlite::Statement& s, int i, const json& v) {
    if (v.is_null()) s.bind(i);
    else if (v.is_boolean()) s.bind(i, v.get<bool>() ? 1 : 0);
    else if (v.is_number_integer()) s.bind(i, v.get<int64_t>());
    else if (v.is_number()) s.bind(i, v.get<double>());
    else if (v.is_string()) s.bind(i, v.get<std::string>());
    else s.bind(i, v.dump());
}
}  // namespace

TEST_SUITE("versions") {
    TEST_CASE("an older device's pull carries no clock of a column it does not know") {
        const int L = version();
        PgDb pgdb;
        TempDir dir;
        FirstDevice first = first_device(pgdb, dir.file("k.db"), "k@example.com");
        auto& db = first.db;
        const int64_t u = first.user_id;
        const std::string conn = first.conn;
        int64_t set = db->insert("top_set_logs", {{"user_id", u}, {"reps", 5}});
        sync::sync(*db, conn, options());
        db->update("top_set_logs", set, {{"set_type", "warmup"}});  // a later clock for the newer column only
        sync::sync(*db, conn, options());
        REQUIRE(pgdb.scalar("SELECT count(*) FROM top_set_logs WHERE gs_clock ? 'set_type'") == 1);
        json req = json::parse(sync::to_json(sync::Device(*db).pull_request(100)));
        req["schema"] = L - 1;
        req["cursor"] = 0;
        char* page = nullptr;
        REQUIRE(gs_server_pull(ServerHandle(conn), req.dump().c_str(), &page) == GS_OK);
        json p = json::parse(page);
        gs_string_free(page);
        int rows = 0;
        for (const auto& row : p["rows"]) {
            if (row["table"] != "top_set_logs") continue;
            ++rows;
            CHECK(!row["values"].contains("set_type"));
            // Every clock names a column the older device knows (it refuses a page naming others).
            const sync::SyncTable* st = sync::find_layout(row["table"].get<std::string>());
            if (row.contains("clocks"))
                for (const auto& clock : row["clocks"].items()) {
                    const std::string name = clock.key();  // not a structured binding: clang 14 refuses one in CHECK_MESSAGE's lambda
                    const sync::SyncColumn* sc = st->find(name);
                    CHECK_MESSAGE((sc && sc->column->since <= L - 1), "clock of " << name << " sent to a device of version " << L - 1);
                }
        }
        CHECK(rows == 1);
    }

    TEST_CASE("after an app upgrade, rows pulled under the old version get the new columns") {
        const int L = version();
        PgDb pgdb;
        TempDir dir;
        // A device of the current version wrote a row with a column the old version lacks.
        FirstDevice first = first_device(pgdb, dir.file("new.db"), "up@example.com");
        auto& n = first.db;
        const int64_t u = first.user_id;
        const std::string user = first.user, conn = first.conn;
        n->insert("top_set_logs", {{"user_id", u}, {"reps", 3}, {"set_type", "warmup"}});
        sync::sync(*n, conn, options());

        // The old app pulled those rows (without the column it did not know) and kept its cursor.
        json req = json::parse(sync::to_json(sync::Device(*n).pull_request(100)));
        req["schema"] = L - 1;
        req["cursor"] = 0;
        req["catalog_version"] = 1000000;  // the catalog is not the point here
        req["device"] = gainsly::model::new_uuid_v7();
        char* page = nullptr;
        REQUIRE(gs_server_pull(ServerHandle(conn), req.dump().c_str(), &page) == GS_OK);
        json p = json::parse(page);
        gs_string_free(page);
        const std::string path = dir.file("old.db");
        gainsly::store::create_at_version(path, L - 1);
        {
            gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
            raw.exec("PRAGMA foreign_keys = ON");
            sync::install_change_capture(raw, L - 1);
            raw.exec("INSERT INTO gs_sync_apply VALUES (1)");  // as the old app applied them: nothing to push
            for (const char* table : {"users", "top_set_logs"})
                for (const auto& row : p["rows"]) {
                    if (row["table"] != table) continue;
                    std::string cols = "uid", marks = "?";
                    for (const auto& [name, v] : row["values"].items()) {
                        cols += ", \"" + name + "\"";
                        marks += ", ?";
                    }
                    gainsly::sqlite::Statement ins(raw, "INSERT INTO \"" + std::string(table) + "\" (" + cols + ") VALUES (" + marks + ")");
                    ins.bind(1, row["uid"].get<std::string>());
                    int i = 2;
                    for (const auto& [name, v] : row["values"].items()) {
                        if (name == "user_id") ins.bind(i++, int64_t(1));
                        else bind_json(ins, i++, v);
                    }
                    ins.exec();
                }
            raw.exec("DELETE FROM gs_sync_apply");
            for (const auto& [k, v] : std::map<std::string, std::string>{{"sync.user", user},
                                                                         {"sync.device", req["device"].get<std::string>()},
                                                                         {"sync.cursor", std::to_string(p["cursor"].get<int64_t>())},
                                                                         {"sync.catalog_cursor", std::to_string(p["catalog_cursor"].get<int64_t>())},
                                                                         {"sync.initial_done", "1"}}) {
                gainsly::sqlite::Statement m(raw, "INSERT OR REPLACE INTO gs_meta (key, value) VALUES (?, ?)");
                m.bind(1, k);
                m.bind(2, v);
                m.exec();
            }
            REQUIRE(raw.execAndGet("SELECT count(*) FROM top_set_logs").getInt() == 1);
        }
        auto db = gainsly::capi::open_database(path.c_str());  // the new app: migrates the file
        REQUIRE(db->sql().execAndGet("PRAGMA user_version").getInt() == L);
        CHECK(sync::Device(*db).outbox_depth() == 0);
        sync::sync(*db, conn, options(user));
        CHECK(db->sql().execAndGet("SELECT coalesce(set_type, '<null>') FROM top_set_logs").getString() == "warmup");
        CHECK(diff(device_dump(*db), server_dump(pgdb, user), "upgraded device", "server") == "");
    }
}
