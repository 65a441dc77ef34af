// Byte bounds on batches and pages: a pulled page stays under the bound the device asks for, ending
// inside one pushed batch (one server sequence) when it must, and the next request resumes exactly
// there, also after a cut, a SIGKILL or tombstones collected in between; older devices still get
// whole sequences; the server refuses an oversized batch before parsing it and the device never
// exports one.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "sync/device.hpp"
#include "sync/server.hpp"
#include "sync_fixture.hpp"

using namespace synctest;

namespace {

constexpr int64_t page_bytes = 64 << 10;

// Device A pushes, in one batch (one server sequence), `n` workout logs with 2 KB notes, a set
// under each and the deletion of `deleted` logs it had pushed before; device B holds the state
// from before.
struct BigBatch {
    PgDb pgdb;
    TempDir dir;
    std::unique_ptr<Database> a, b;
    int64_t user = 0;
    std::string uid, conn;
    explicit BigBatch(int n = 300, int deleted = 20) {
        a = new_device(dir.file("a.db"));
        user = a->insert("users", {{"email", "pages@example.com"}, {"name", "Pat"}});
        uid = uid_of(*a, "users", user);
        conn = pgdb.account(uid);
        std::vector<int64_t> old;
        for (int i = 0; i < deleted; ++i) old.push_back(a->insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-01-01"}}));
        sync::sync(*a, conn, options());
        b = new_device(dir.file("b.db"));
        sync::sync(*b, conn, options(uid));
        for (int64_t id : old) a->sql().exec("DELETE FROM workout_logs WHERE id = " + std::to_string(id));
        const std::string notes(2000, 'n');
        for (int i = 0; i < n; ++i) {
            int64_t log = a->insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-03-01"}, {"notes", notes + std::to_string(i)}});
            a->insert("top_set_logs", {{"user_id", user}, {"workout_log_id", log}, {"set_number", 1}, {"reps", 5}, {"load_kg", 100.0}});
        }
        json r = sync::sync(*a, conn, options("", 100000));
        REQUIRE(r["batches"] == 1);
    }
    int64_t count(Database& db, const std::string& table) { return one_id(db, "SELECT count(*) FROM " + table); }
    void check_converged() {
        CHECK(diff(device_dump(*b), server_dump(pgdb, uid), "b", "server") == "");
        CHECK(diff(device_dump(*a), device_dump(*b), "a", "b") == "");
        CHECK(count(*b, "gs_sync_parked") == 0);
        CHECK(integrity(*b) == "ok");
    }
};

}  // namespace

TEST_SUITE("pages") {
    TEST_CASE("a batch larger than the page bound arrives exactly once, in pages under the bound that end inside its sequence") {
        BigBatch f;
        sync::Device dev(*f.b);
        sync::Server server(f.conn, 60000);
        int pages = 0, inside = 0;
        std::set<std::string> seen;
        int64_t rows = 0;
        for (bool more = true; more; ++pages) {
            REQUIRE(pages < 200);
            sync::PullRequest r = dev.pull_request(1000, page_bytes);
            sync::Page p = server.pull(r);
            const std::string text = sync::to_json(p);
            CHECK(int64_t(text.size()) <= page_bytes);
            if (!p.after.empty()) ++inside;
            for (const auto& row : p.rows) {
                CHECK_MESSAGE(seen.insert(row.table->name() + " " + row.uid).second, "sent twice: ", row.table->name(), " ", row.uid);
                ++rows;
            }
            // The page as the device half's JSON would carry it.
            dev.apply(sync::page_from_json(json::parse(text)));
            CHECK(f.b->meta("sync.after") == p.after);  // committed with the rows
            more = p.more;
        }
        CHECK(pages >= 10);   // 600 rows of about 2 KB in 64 KiB pages
        CHECK(inside >= 9);   // all but the last end inside the one sequence
        CHECK(rows == 300 + 300 + 20);  // logs, sets, tombstones: each once
        f.check_converged();
        CHECK(f.count(*f.b, "workout_logs") == 300);
    }

    TEST_CASE("gs_sync_run with small pages: a cut and a SIGKILL between pages of one sequence resume exactly there") {
        BigBatch f;
        // A cut: the connection fails as the second page is asked for (after the first was applied).
        {
            sync::Options o = options(f.uid);
            o.page_bytes = page_bytes;
            int begins = 0;
            sync::Server server(f.conn, 60000);
            server.connection().on_step = [&](std::string_view step) {
                if (step == "pull.snapshot" && ++begins == 2) throw std::runtime_error("cut");
            };
            CHECK_THROWS(sync::sync(*f.b, server, o));
            CHECK(f.b->meta("sync.after") != "");  // stopped inside the sequence
            const int64_t logs = f.count(*f.b, "workout_logs");
            CHECK(logs > 0);
            CHECK(logs < 300);
        }
        // A SIGKILL before the third page's request (the worker applies pages 1 and 2 at most).
        f.b.reset();
        const std::string path = f.dir.file("b.db");
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            execl(SYNC_WORKER, SYNC_WORKER, path.c_str(), f.conn.c_str(), f.uid.c_str(), "1000", "step:pull.snapshot:3",
                  std::to_string(page_bytes).c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status));
        f.b = gainsly::capi::open_database(path.c_str());
        CHECK(f.b->meta("sync.after") != "");
        sync::Options o = options(f.uid);
        o.page_bytes = page_bytes;
        json r = sync::sync(*f.b, f.conn, o);
        CHECK(r["pages"].get<int>() >= 2);
        f.check_converged();
        CHECK(f.count(*f.b, "workout_logs") == 300);
        CHECK(f.count(*f.b, "top_set_logs") == 300);
        CHECK(f.b->meta("sync.after") == "");
    }

    TEST_CASE("tombstones collected while a device stands inside a sequence send it to re-pull") {
        BigBatch f;
        f.pgdb.conn().exec("UPDATE gs_server_meta SET value = '0' WHERE key = 'gc_horizon_seconds'");
        sync::Device dev(*f.b);
        {
            sync::Server server(f.conn, 60000);
            sync::Page p = server.pull(dev.pull_request(1000, page_bytes));
            REQUIRE(p.more);
            REQUIRE(!p.after.empty());
            dev.apply(p);
        }
        // Another push collects every tombstone older than now, those of B's sequence too.
        f.a->insert("workout_logs", {{"user_id", f.user}, {"workout_date", "2026-04-01"}});
        sync::sync(*f.a, f.conn, options());
        REQUIRE(f.pgdb.scalar("SELECT count(*) FROM gs_changes WHERE op = 'd'") == 0);
        sync::Options o = options(f.uid);
        o.page_bytes = page_bytes;
        json r = sync::sync(*f.b, f.conn, o);
        CHECK(r["resynced"] == true);
        f.check_converged();
    }

    TEST_CASE("a device that sends no byte bound (an older version) gets whole sequences") {
        BigBatch f;
        sync::PullRequest r = sync::Device(*f.b).pull_request(1000, page_bytes);
        json old = json::parse(sync::to_json(r));
        old.erase("max_bytes");
        char* out = nullptr;
        REQUIRE(gs_server_pull(ServerHandle(f.conn), old.dump().c_str(), &out) == GS_OK);
        json page = json::parse(out);
        gs_string_free(out);
        CHECK(page["more"] == false);
        CHECK(!page.contains("after"));
        CHECK(page["rows"].size() == 620);
        // A request naming a position must bound its bytes, and the position must be one.
        old["after"] = "1.3." + f.uid;
        CHECK(gs_server_pull(ServerHandle(f.conn), old.dump().c_str(), &out) == GS_ERR_INVALID);
        old["max_bytes"] = page_bytes;
        old["after"] = "x";
        CHECK(gs_server_pull(ServerHandle(f.conn), old.dump().c_str(), &out) == GS_ERR_INVALID);
    }

    TEST_CASE("the server refuses a batch over its byte limit before parsing it, naming the limit") {
        PgDb pgdb;
        std::string doc = "{\"format\":\"gainsly-sync/1\",\"kind\":\"push\",\"pad\":\"" + std::string(sync::batch_max_bytes, 'x') + "\"}";
        char* out = nullptr;
        CHECK(gs_server_push(ServerHandle(pgdb.admin()), doc.c_str(), &out) == GS_ERR_INVALID);
        const std::string msg = gs_error_message(nullptr);
        CHECK_MESSAGE(msg.find(std::to_string(sync::batch_max_bytes)) != std::string::npos, msg);
        CHECK(out == nullptr);
    }

    TEST_CASE("the device splits batches by the bytes of their JSON and quarantines a row no batch can carry") {
        PgDb pgdb;
        TempDir dir;
        auto a = new_device(dir.file("a.db"));
        int64_t user = a->insert("users", {{"email", "big@example.com"}, {"name", "Big"}});
        const std::string uid = uid_of(*a, "users", user), conn = pgdb.account(uid);
        // 1 MiB of a control character is 6 MiB of JSON (\u0001): four rows are 24 MiB.
        const std::string notes(size_t(1) << 20, '\x01');
        for (int i = 0; i < 4; ++i) a->insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-03-01"}, {"notes", notes}});
        // One that an older file holds: 2 MiB, 12 MiB of JSON.
        int64_t huge = a->insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-03-02"}});
        poison(*a, "workout_logs", huge, "notes", "replace(hex(zeroblob(2097152)), '00', char(1))");
        sync::Device dev(*a);
        dev.user(uid);
        sync::Server server(conn, 60000);
        int batches = 0;
        for (;; ++batches) {
            REQUIRE(batches < 20);
            sync::Batch b = dev.export_batch(1000);
            if (b.empty()) break;
            CHECK(sync::to_json(b).size() <= sync::batch_budget_bytes);
            dev.accept_ack(server.push(b));
        }
        CHECK(batches >= 4);
        CHECK(pgdb.scalar("SELECT count(*) FROM workout_logs") == 4);
        json status = dev.status();
        REQUIRE(status["quarantined"] == 1);
        CHECK(status["quarantine"][0]["uid"] == uid_of(*a, "workout_logs", huge));
        CHECK(status["quarantine"][0]["reason"].get<std::string>().find(std::to_string(sync::batch_budget_bytes)) != std::string::npos);
    }
}
