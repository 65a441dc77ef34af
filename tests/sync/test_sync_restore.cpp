// Restored backups and garbage collection: a device file restored from an old copy must not bring
// back rows deleted since (even when their tombstones were collected), must not lose what the
// server has, and converges; a first pull that fails part way, with tombstones collected before it
// resumes, ends equal to the server.
#include <doctest/doctest.h>

#include <filesystem>

#include "sync_fixture.hpp"

using namespace synctest;

namespace {

int64_t program(Database& db, const std::string& name) {
    return db.insert("programs", {{"user_id", one_id(db, "SELECT id FROM users")}, {"name", name}, {"duration_weeks", 4}});
}

bool has_uid(Database& db, const std::string& table, const std::string& uid) {
    gainsly::sqlite::Statement s(db.sql(), "SELECT 1 FROM \"" + table + "\" WHERE uid = ?");
    s.bind(1, uid);
    return s.executeStep();
}

// A consistent copy of an open device file (what a phone backup holds).
void backup(Database& db, const std::string& to) {
    std::filesystem::remove(to);
    db.sql().exec("VACUUM INTO '" + to + "'");
}

void restore(std::unique_ptr<Database>& db, const std::string& path, const std::string& from) {
    db.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    std::filesystem::copy_file(from, path);
    db = gainsly::capi::open_database(path.c_str());
}

int64_t gc_seq(PgDb& pgdb, const std::string& user) { return pgdb.scalar("SELECT gc_seq FROM gs_owners WHERE owner = $1", {user}); }

}  // namespace

TEST_SUITE("restore") {
    TEST_CASE("a file restored from an old backup: nothing deleted comes back, nothing the server has is lost") {
        for (bool before_first_sync : {false, true}) {
            CAPTURE(before_first_sync);
            PgDb pgdb;
            TempDir dir;
            const std::string path = dir.file("a.db"), copy = dir.file("a-backup.db");
            auto a = new_device(path);
            int64_t u = a->insert("users", {{"email", "restore@example.com"}, {"name", "R"}});
            const std::string user = uid_of(*a, "users", u);
            const std::string conn = pgdb.account(user);
            std::vector<std::string> base;
            for (int i = 0; i < 4; ++i) base.push_back(uid_of(*a, "programs", program(*a, "Base " + std::to_string(i))));
            if (!before_first_sync) sync::sync(*a, conn, options(user));
            // Written offline, in the backup's outbox, pushed after the backup was taken.
            const std::string n1 = uid_of(*a, "programs", program(*a, "New 1")), n2 = uid_of(*a, "programs", program(*a, "New 2"));
            backup(*a, copy);
            sync::sync(*a, conn, options(user, 50));

            // Another device deletes a row the backup still has in its outbox and one it has synced,
            // renames another; both devices pull the deletes, so their tombstones are collected.
            auto b = new_device(dir.file("b.db"));
            sync::sync(*b, conn, options(user));
            b->remove("programs", one_id(*b, "SELECT id FROM programs WHERE uid = '" + n1 + "'"));
            b->remove("programs", one_id(*b, "SELECT id FROM programs WHERE uid = '" + base[0] + "'"));
            b->update("programs", one_id(*b, "SELECT id FROM programs WHERE uid = '" + base[1] + "'"), {{"name", "B renamed"}});
            sync::sync(*b, conn, options(user));
            // Every device pulls the deletes and says so in a later request; a push then collects them.
            for (int round = 0; round < 3; ++round) {
                sync::sync(*a, conn, options(user));
                program(*b, "B later " + std::to_string(round));
                sync::sync(*b, conn, options(user));
            }
            REQUIRE(pgdb.scalar("SELECT count(*) FROM gs_changes WHERE owner = $1 AND op = 'd'", {user}) == 0);
            REQUIRE(gc_seq(pgdb, user) > 0);

            restore(a, path, copy);
            const std::string after = uid_of(*a, "programs", program(*a, "After restore"));  // written on the restored file
            sync::sync(*a, conn, options(user, 2));  // pages of 2: its re-pull takes many pages
            sync::sync(*b, conn, options(user));
            sync::sync(*a, conn, options(user));

            const Dump server = server_dump(pgdb, user);
            CHECK(server.at("programs").count(n1) == 0);
            CHECK(server.at("programs").count(base[0]) == 0);
            CHECK(!has_uid(*a, "programs", n1));
            CHECK(!has_uid(*a, "programs", base[0]));
            CHECK(server.at("programs").count(n2) == 1);
            CHECK(server.at("programs").count(after) == 1);
            CHECK(server.at("programs").at(base[1]).at("name") == "B renamed");
            CHECK(diff(device_dump(*a), server, "restored A", "server") == "");
            CHECK(diff(device_dump(*b), server, "B", "server") == "");
            CHECK(sync::Device(*a).outbox_depth() == 0);
            CHECK(integrity(*a) == "ok");
        }
    }

    TEST_CASE("a first pull that fails after its first page, with tombstones collected before it resumes") {
        for (int fail_at : {1, 2}) {  // the page whose commit fails
            CAPTURE(fail_at);
            PgDb pgdb;
            TempDir dir;
            // C creates the account and pushes, but has never pulled.
            auto c = new_device(dir.file("c.db"));
            int64_t u = c->insert("users", {{"email", "first@example.com"}});
            const std::string user = uid_of(*c, "users", u);
            const std::string conn = pgdb.account(user);
            std::vector<std::string> progs;
            for (int i = 0; i < 6; ++i) progs.push_back(uid_of(*c, "programs", program(*c, "P" + std::to_string(i))));
            {
                sync::Device dev(*c);
                dev.user(user);
                sync::Server server(conn, 60000);
                for (sync::Batch bt = dev.export_batch(1000); !bt.empty(); bt = dev.export_batch(1000)) dev.accept_ack(server.push(bt));
            }
            // B deletes one of C's rows, then adds one: three sequences on the server.
            auto b = new_device(dir.file("b.db"));
            sync::sync(*b, conn, options(user));
            b->remove("programs", one_id(*b, "SELECT id FROM programs WHERE uid = '" + progs[2] + "'"));
            sync::sync(*b, conn, options(user));
            program(*b, "B one");
            sync::sync(*b, conn, options(user));
            // The first page holds C's rows and the tombstone (sequences 1 and 2), the second B's row.
            const int first_page = int(pgdb.scalar("SELECT count(*) FROM gs_changes WHERE owner = $1 AND seq <= 2", {user}));
            c->set_meta("sync.cursor", "0");  // later writes of the cursor are updates
            c->sql().exec("CREATE TEMP TABLE fault (n INTEGER); INSERT INTO fault VALUES (" + std::to_string(fail_at) +
                          "); CREATE TEMP TRIGGER fault_fire BEFORE UPDATE ON main.gs_meta WHEN NEW.key = 'sync.cursor' BEGIN "
                          "SELECT CASE WHEN (SELECT n FROM fault) <= 1 THEN RAISE(ABORT, 'injected fault') END; UPDATE fault SET n = n - 1; END;");
            CHECK_THROWS(sync::sync(*c, conn, options(user, first_page)));
            c->sql().exec("DROP TRIGGER fault_fire; DROP TABLE fault");
            CHECK(std::stoll(c->meta("sync.cursor", "0")) == (fail_at == 1 ? 0 : 2));
            // B pulls and pushes again: every tombstone the server thinks all devices have is collected.
            program(*b, "B two");
            sync::sync(*b, conn, options(user));
            sync::sync(*c, conn, options(user, first_page));
            sync::sync(*b, conn, options(user));
            const Dump server = server_dump(pgdb, user);
            CHECK(server.at("programs").count(progs[2]) == 0);
            CHECK(!has_uid(*c, "programs", progs[2]));
            CHECK(diff(device_dump(*c), server, "C", "server") == "");
            CHECK(diff(device_dump(*b), server, "B", "server") == "");
        }
    }
}
