// Bad input through the C ABI: malformed batches and pages, unknown tables and columns, uids that
// do not exist, wrong versions, unreachable servers. Each gets a clear error naming the field and
// changes nothing on the server or in the file.
#include <doctest/doctest.h>

#include "gainsly/gainsly.h"
#include "sync_fixture.hpp"

using namespace synctest;

namespace {

struct Fixture {
    PgDb pgdb;
    TempDir dir;
    gs_db* db = nullptr;
    std::string user, conn, batch;
    Fixture() {
        REQUIRE(gs_db_open(dir.file("d.db").c_str(), &db) == GS_OK);
        int64_t id = 0;
        REQUIRE(gs_row_insert(db, "users", R"({"email":"bad@example.com"})", &id) == GS_OK);
        char* j = nullptr;
        REQUIRE(gs_row_get(db, "users", id, &j) == GS_OK);
        user = json::parse(j)["uid"];
        gs_string_free(j);
        conn = pgdb.account(user);
        REQUIRE(gs_sync_run(db, conn.c_str(), nullptr, nullptr) == GS_OK);
        REQUIRE(gs_row_insert(db, "soreness_logs", (R"({"user_id":)" + std::to_string(id) + R"(,"log_date":"2026-03-01","severity":4})").c_str(), nullptr) == GS_OK);
        char* b = nullptr;
        REQUIRE(gs_sync_export_batch(db, nullptr, &b) == GS_OK);
        REQUIRE(b != nullptr);
        batch = b;
        gs_string_free(b);
    }
    ~Fixture() { gs_db_close(db); }
    int64_t changes() { return pgdb.scalar("SELECT count(*) FROM gs_changes"); }
    // Pushes a modified copy of the exported batch; returns the status and leaves the message.
    int32_t push(const std::function<void(json&)>& edit, std::string* message) {
        json b = json::parse(batch);
        edit(b);
        char* ack = nullptr;
        int32_t rc = gs_server_push(ServerHandle(conn), b.dump().c_str(), &ack);
        if (message) *message = gs_error_message(nullptr);
        gs_string_free(ack);
        return rc;
    }
};

}  // namespace

TEST_SUITE("badinput") {
    TEST_CASE("malformed batches are refused with the field named, and the server is unchanged") {
        Fixture f;
        int64_t before = f.changes();
        std::string msg;
        char* ack = nullptr;
        CHECK(gs_server_push(ServerHandle(f.conn), "{not json", &ack) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(nullptr)).find("batch_json: invalid JSON") != std::string::npos);
        CHECK(gs_server_push(ServerHandle(f.conn), "[]", &ack) == GS_ERR_INVALID);
        CHECK(gs_server_push(ServerHandle(f.conn), nullptr, &ack) == GS_ERR_INVALID);
        CHECK(f.push([](json& b) { b.erase("mutation"); }, &msg) == GS_ERR_INVALID);
        CHECK(msg == "mutation: missing");
        CHECK(f.push([](json& b) { b["mutation"] = "7"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg == "mutation: expected an integer");
        CHECK(f.push([](json& b) { b["device"] = "not-a-uuid"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg.find("device: 'not-a-uuid' is not a UUID") != std::string::npos);
        CHECK(f.push([](json& b) { b["changes"][0]["table"] = "nope"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg == "changes[0].table: unknown table 'nope'");
        CHECK(f.push([](json& b) { b["changes"][0]["table"] = "movements"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg.find("pull-only") != std::string::npos);
        CHECK(f.push([](json& b) { b["changes"][0]["values"]["colour"] = 1; }, &msg) == GS_ERR_INVALID);
        CHECK(msg == "changes[0].values.colour: unknown column of soreness_logs");
        CHECK(f.push([](json& b) { b["changes"][0]["values"]["severity"] = "high"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg.find("changes[0].values.severity") != std::string::npos);
        CHECK(f.push([](json& b) { b["changes"][0]["values"]["log_date"] = "2026-02-30"; }, &msg) == GS_ERR_INVALID);
        CHECK(msg.find("not a valid date") != std::string::npos);
        CHECK(f.push([](json& b) { b["changes"][0]["op"] = "upsert"; }, &msg) == GS_ERR_INVALID);
        CHECK(f.push([](json& b) { b["changes"].push_back(b["changes"][0]); }, &msg) == GS_ERR_INVALID);
        CHECK(msg.find("appears twice") != std::string::npos);
        CHECK(f.push([](json& b) { b["changes"][0]["values"]["access_token"] = "x"; b["changes"][0]["table"] = "external_provider_accounts"; }, &msg) ==
              GS_ERR_INVALID);
        CHECK(f.push([](json& b) { b["format"] = "gainsly-sync/9"; }, &msg) == GS_ERR_VERSION);
        CHECK(f.push([](json& b) { b["schema"] = 99; }, &msg) == GS_ERR_VERSION);
        CHECK(msg.find("newer than the server") != std::string::npos);
        CHECK(f.push([](json& b) { b["schema"] = 0; }, &msg) == GS_ERR_INVALID);
        CHECK(f.changes() == before);
    }

    TEST_CASE("uids that do not exist: an update of an unknown row, a reference to an unknown parent are quarantined, the rest lands") {
        Fixture f;
        std::string ghost = gainsly::model::new_uuid_v7();
        json b = json::parse(f.batch);
        json update = b["changes"][0];
        update["op"] = "update";
        update["uid"] = ghost;
        json orphan = b["changes"][0];
        orphan["uid"] = gainsly::model::new_uuid_v7();
        orphan["values"]["user_id"] = ghost;
        json ex = {{"table", "session_exercises"}, {"uid", gainsly::model::new_uuid_v7()}, {"op", "insert"}, {"hlc", 5},
                   {"values", {{"session_id", nullptr}, {"movement_id", ghost}, {"session_section", "main"}, {"order_in_session", 1}, {"target_sets", 3}}}};
        for (const json& c : {update, orphan, ex}) b["changes"].push_back(c);
        char* ack = nullptr;
        REQUIRE(gs_server_push(ServerHandle(f.conn), b.dump().c_str(), &ack) == GS_OK);
        json a = json::parse(ack);
        gs_string_free(ack);
        REQUIRE(a["rejected"].size() == 3);
        std::map<std::string, json> by_uid;
        for (const auto& r : a["rejected"]) by_uid[r["uid"].get<std::string>()] = r;
        CHECK(by_uid[ghost]["quarantine"] == true);
        CHECK(by_uid[ghost]["reason"].get<std::string>().find("update of soreness_logs row " + ghost + ", which does not exist") != std::string::npos);
        CHECK(by_uid[orphan["uid"]]["reason"].get<std::string>().find("soreness_logs.user_id refers to users uid " + ghost) != std::string::npos);
        CHECK(by_uid[ex["uid"]]["reason"].get<std::string>().find("refers to movements uid") != std::string::npos);
        // The genuine change landed; nothing of the refused ones, not even a tombstone.
        CHECK(f.pgdb.scalar("SELECT count(*) FROM soreness_logs") == 1);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM session_exercises") == 0);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM gs_changes WHERE op = 'd'") == 0);
    }

    TEST_CASE("malformed pages and acks change nothing in the file") {
        Fixture f;
        char* st = nullptr;
        REQUIRE(gs_sync_status_get(f.db, &st) == GS_OK);
        json before = json::parse(st);
        gs_string_free(st);
        char* rep = nullptr;
        CHECK(gs_sync_import_page(f.db, "{}", &rep) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(f.db)).find("format: missing") != std::string::npos);
        std::string page = R"({"format":"gainsly-sync/1","kind":"page","schema":2,"cursor":99,"catalog_cursor":0,"rows":[{"table":"users","uid":")" +
                           f.user + R"(","hlc":1,"values":{"email":42}}]})";
        CHECK(gs_sync_import_page(f.db, page.c_str(), &rep) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(f.db)).find("rows[0].values.email") != std::string::npos);
        page = R"({"format":"gainsly-sync/1","kind":"page","schema":2,"cursor":99,"catalog_cursor":0,"rows":[{"table":"nope","uid":")" + f.user + R"("}]})";
        CHECK(gs_sync_import_page(f.db, page.c_str(), &rep) == GS_ERR_INVALID);
        CHECK(rep == nullptr);
        std::string ack = R"({"format":"gainsly-sync/1","kind":"ack","mutation":77,"batch":")" + gainsly::model::new_uuid_v7() +
                          R"(","seq":1,"applied":1,"conflicts":0})";
        CHECK(gs_sync_import_ack(f.db, ack.c_str()) == GS_ERR_SYNC);
        CHECK(std::string(gs_error_message(f.db)).find("awaits mutation") != std::string::npos);
        REQUIRE(gs_sync_status_get(f.db, &st) == GS_OK);
        json after = json::parse(st);
        gs_string_free(st);
        CHECK(after["cursor"] == before["cursor"]);
        CHECK(after["inflight"] == true);
        CHECK(one_id(*reinterpret_cast<gs_db*>(f.db)->db, "SELECT count(*) FROM soreness_logs") == 1);
    }

    TEST_CASE("a progress callback that returns non-zero cancels the sync; what was pushed stays pushed") {
        Fixture f;  // one soreness log is waiting in the outbox
        int64_t user_id = 0;
        {
            char* st = nullptr;
            REQUIRE(gs_row_select(f.db, "users", "{}", &st) == GS_OK);
            user_id = json::parse(st)[0]["id"];
            gs_string_free(st);
        }
        for (int d = 2; d <= 4; ++d)
            REQUIRE(gs_row_insert(f.db, "soreness_logs", (R"({"user_id":)" + std::to_string(user_id) + R"(,"log_date":"2026-03-0)" +
                                                            std::to_string(d) + R"(","severity":3})").c_str(), nullptr) == GS_OK);
        auto outbox = [&] {
            char* st = nullptr;
            REQUIRE(gs_sync_status_get(f.db, &st) == GS_OK);
            int64_t n = json::parse(st)["outbox"];
            gs_string_free(st);
            return n;
        };
        int calls = 0;
        gs_sync_options o = GS_SYNC_OPTIONS_INIT;
        o.batch_rows = 1;
        o.progress = [](void* ctx, const char*) -> int32_t { return ++*static_cast<int*>(ctx) >= 2 ? 1 : 0; };
        o.progress_context = &calls;
        CHECK(gs_sync_run(f.db, f.conn.c_str(), &o, nullptr) == GS_ERR_CANCELED);
        CHECK(std::string(gs_error_message(f.db)).find("canceled") != std::string::npos);
        CHECK(calls == 2);
        CHECK(outbox() > 0);  // two batches of one change landed before the stop, the rest waits
        CHECK(f.pgdb.scalar("SELECT count(*) FROM soreness_logs") == 2);
        REQUIRE(gs_sync_run(f.db, f.conn.c_str(), nullptr, nullptr) == GS_OK);  // the next sync finishes the job
        CHECK(outbox() == 0);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM soreness_logs") == 4);
    }

    TEST_CASE("bad arguments to gs_sync_run") {
        Fixture f;
        CHECK(gs_sync_run(nullptr, f.conn.c_str(), nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_sync_run(f.db, nullptr, nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(f.db)) == "conninfo: must not be NULL");
        gs_sync_options o = GS_SYNC_OPTIONS_INIT;
        o.batch_rows = -1;
        CHECK(gs_sync_run(f.db, f.conn.c_str(), &o, nullptr) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(f.db)).find("opts.batch_rows") != std::string::npos);
        o = GS_SYNC_OPTIONS_INIT;
        o.size = 0;
        CHECK(gs_sync_run(f.db, f.conn.c_str(), &o, nullptr) == GS_ERR_INVALID);
        o = GS_SYNC_OPTIONS_INIT;
        o.user_uid = "someone-else";
        CHECK(gs_sync_run(f.db, f.conn.c_str(), &o, nullptr) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(f.db)).find("user_uid") != std::string::npos);
        o.user_uid = "01890a5d-ac96-774b-bcce-b302099a8057";
        CHECK(gs_sync_run(f.db, f.conn.c_str(), &o, nullptr) == GS_ERR_INVALID);  // the file syncs as another account
        CHECK(gs_sync_run(f.db, "host=127.0.0.1 port=1 dbname=x connect_timeout=1", nullptr, nullptr) == GS_ERR_IO);
        CHECK(gs_sync_run(f.db, "this is not a conninfo", nullptr, nullptr) == GS_ERR_IO);
        CHECK(gs_server_setup(nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_server_add_account(f.pgdb.admin().c_str(), f.user.c_str(), "Bad Role", "long-enough", nullptr) == GS_ERR_INVALID);
        CHECK(gs_server_add_account(f.pgdb.admin().c_str(), f.user.c_str(), "fine_role", "short", nullptr) == GS_ERR_INVALID);
        // And after all that, a normal sync still works.
        char* rep = nullptr;
        REQUIRE(gs_sync_run(f.db, f.conn.c_str(), nullptr, &rep) == GS_OK);
        CHECK(json::parse(rep)["pushed"] == 1);
        gs_string_free(rep);
        CHECK(gs_debug_live_objects() >= 1);
    }

    TEST_CASE("a server without the schema, or a database that is not ours") {
        PgDb empty(false);
        TempDir dir;
        gs_db* db = nullptr;
        REQUIRE(gs_db_open(dir.file("e.db").c_str(), &db) == GS_OK);
        REQUIRE(gs_row_insert(db, "users", R"({"email":"e@example.com"})", nullptr) == GS_OK);
        CHECK(gs_sync_run(db, empty.admin().c_str(), nullptr, nullptr) == GS_ERR_SYNC);
        CHECK(std::string(gs_error_message(db)).find("run gs_server_setup") != std::string::npos);
        gs_db_close(db);
    }
}

TEST_SUITE("badinput") {
    TEST_CASE("a gs_server handle keeps one connection, replaces it after it was cut, and refuses a wrong password at open") {
        Fixture f;
        const std::string role = conninfo_value(f.conn, "user");
        auto backends = [&] { return f.pgdb.scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1", {role}); };
        auto backend_pid = [&] { return f.pgdb.scalar("SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE usename = $1", {role}); };
        const int64_t live = gs_debug_live_objects();
        gs_server* server = nullptr;
        REQUIRE(gs_server_open(f.conn.c_str(), nullptr, &server) == GS_OK);
        CHECK(gs_debug_live_objects() == live + 1);
        const int64_t pid = backend_pid();
        char* ack = nullptr;
        REQUIRE(gs_server_push(server, f.batch.c_str(), &ack) == GS_OK);
        gs_string_free(ack);
        char* request = nullptr;
        REQUIRE(gs_sync_export_request(f.db, nullptr, &request) == GS_OK);
        for (int i = 0; i < 3; ++i) {
            char* page = nullptr;
            REQUIRE(gs_server_pull(server, request, &page) == GS_OK);
            gs_string_free(page);
        }
        CHECK(backends() == 1);  // one connection for all four calls
        CHECK(backend_pid() == pid);

        // The connection cut under the handle (a restarted server, a proxy's idle timeout): the next
        // call connects again and succeeds, and the batch pushed twice is acknowledged as a duplicate.
        f.pgdb.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = $1", {role});
        REQUIRE(gs_server_push(server, f.batch.c_str(), &ack) == GS_OK);
        CHECK(json::parse(ack)["duplicate"] == true);
        gs_string_free(ack);
        CHECK(backend_pid() != pid);
        CHECK(backends() == 1);
        gs_string_free(request);
        gs_server_close(server);
        gs_server_close(nullptr);
        CHECK(gs_debug_live_objects() == live);

        // A wrong password fails at open, names no password, and leaves no handle.
        const std::string wrong = conninfo_with(f.conn, {{"password", "not-the-password"}});
        CHECK(gs_server_open(wrong.c_str(), nullptr, &server) == GS_ERR_AUTH);
        CHECK(server == nullptr);
        CHECK(std::string(gs_error_message(nullptr)).find("not-the-password") == std::string::npos);
        CHECK(gs_debug_live_objects() == live);
    }
}
