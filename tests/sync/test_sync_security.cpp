// Row-level security with real login roles and passwords, batches that claim another account,
// credentials kept out of messages, and OAuth tokens sealed by host callbacks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "gainsly/gainsly.h"
#include "sync_fixture.hpp"

using namespace synctest;

namespace {

// Tiny reversible "sealing" for the tests: XOR with the context byte, reversed.
int32_t xor_seal(void* ctx, const char* in, size_t n, char* out, size_t cap, size_t* out_len) {
    *out_len = n;
    if (n > cap) return 0;
    char k = *static_cast<char*>(ctx);
    for (size_t i = 0; i < n; ++i) out[n - 1 - i] = char(in[i] ^ k);
    return 0;
}

}  // namespace

TEST_SUITE("security") {
    TEST_CASE("a connection for account A sees none of B's rows and cannot write them") {
        PgDb pgdb;
        TempDir dir;
        Account a = make_account(pgdb, dir, "alice"), b = make_account(pgdb, dir, "bob");
        pg::Connection as_a(a.conn, 30000);
        for (const auto& st : sync::layout()) {
            if (st.catalog) continue;
            CHECK(as_a.exec("SELECT count(*) FROM \"" + st.name() + "\" WHERE gs_owner = $1", {b.user}).integer(0, 0) == 0);
        }
        CHECK(as_a.exec("SELECT count(*) FROM top_set_logs").integer(0, 0) == 3);  // only A's own
        CHECK(as_a.exec("SELECT count(*) FROM users").integer(0, 0) == 1);
        CHECK(as_a.exec("SELECT count(*) FROM gs_changes WHERE owner = $1", {b.user}).integer(0, 0) == 0);
        CHECK(as_a.exec("SELECT count(*) FROM gs_devices WHERE owner = $1", {b.user}).integer(0, 0) == 0);
        // Writes aimed at B's rows change nothing or are refused.
        auto upd = as_a.exec("UPDATE top_set_logs SET reps = 99 WHERE gs_owner = $1", {b.user});
        CHECK(std::string(PQcmdTuples(upd.get())) == "0");
        auto del = as_a.exec("DELETE FROM top_set_logs WHERE gs_owner = $1", {b.user});
        CHECK(std::string(PQcmdTuples(del.get())) == "0");
        int64_t b_session = pgdb.scalar("SELECT id FROM sessions WHERE gs_owner = $1", {b.user});
        int64_t b_user_id = pgdb.scalar("SELECT id FROM users WHERE gs_owner = $1", {b.user});
        CHECK_THROWS_WITH_AS(as_a.exec("INSERT INTO sessions (uid, gs_owner, user_id) VALUES ($1, $2, $3)",
                                       {gainsly::model::new_uuid_v7(), b.user, std::to_string(b_user_id)}),
                             doctest::Contains("row-level security"), gainsly::Error);
        (void)b_session;
        // Catalog tables are read-only for devices; the account map is private.
        CHECK_THROWS_WITH_AS(as_a.exec("UPDATE movements SET description = 'x'"), doctest::Contains("permission denied"), gainsly::Error);
        CHECK_THROWS_WITH_AS(as_a.exec("SELECT * FROM gs_accounts"), doctest::Contains("permission denied"), gainsly::Error);
        CHECK(pgdb.scalar("SELECT count(*) FROM top_set_logs WHERE gs_owner = $1 AND reps = 5", {b.user}) == 3);
        CHECK(diff(device_dump(*b.db), server_dump(pgdb, b.user), "b", "server") == "");
    }

    TEST_CASE("a batch claiming another account is refused, whatever it says") {
        PgDb pgdb;
        TempDir dir;
        Account a = make_account(pgdb, dir, "alice"), b = make_account(pgdb, dir, "bob");
        int64_t before = pgdb.scalar("SELECT count(*) FROM gs_changes");
        // A's credentials, a batch that names B as its user.
        a.db->insert("soreness_logs", {{"user_id", one_id(*a.db, "SELECT id FROM users")}, {"log_date", "2026-02-02"}, {"severity", 3}});
        sync::Device dev(*a.db);
        sync::Batch batch = dev.export_batch(100);
        batch.user = b.user;
        sync::Server as_a(a.conn, 30000);
        CHECK_THROWS_WITH_AS(as_a.push(batch), doctest::Contains("claims account"), gainsly::Error);
        try {
            as_a.push(batch);
        } catch (const gainsly::Error& e) {
            CHECK(e.status() == gainsly::Status::auth);
        }
        // A batch with A's own user but a users row carrying B's uid.
        sync::Batch forged = dev.export_batch(100);
        sync::Change ch;
        ch.table = sync::find_layout("users");
        ch.uid = b.user;
        ch.op = 'u';
        ch.hlc = forged.changes[0].hlc + 1;
        ch.mask = uint64_t(1) << ch.table->find("name")->pos;
        ch.values.resize(ch.table->table->columns.size());
        ch.values[size_t(ch.table->find("name")->pos)] = "mallory";
        forged.changes.push_back(ch);
        CHECK_THROWS_AS(as_a.push(forged), gainsly::Error);
        // Pulling as B with A's credentials.
        sync::PullRequest pr = sync::Device(*b.db).pull_request(100);
        CHECK_THROWS_WITH_AS(as_a.pull(pr), doctest::Contains("claims account"), gainsly::Error);
        CHECK(pgdb.scalar("SELECT count(*) FROM gs_changes") == before);
        CHECK(pgdb.scalar("SELECT count(*) FROM users WHERE name = 'mallory'") == 0);
        // A trusted backend acting as A's role is held to the same rule.
        char* ack = nullptr;
        std::string a_role = pgdb.name() + "_0";
        CHECK(gs_server_push(ServerHandle(pgdb.admin(), a_role.c_str()), sync::to_json(batch).c_str(), &ack) == GS_ERR_AUTH);
        CHECK(ack == nullptr);
        // The honest batch goes through.
        json r = sync::sync(*a.db, a.conn, options());
        CHECK(r["pushed"] == 1);
    }

    TEST_CASE("refused credentials and unreachable servers: clear errors, no password in any message") {
        PgDb pgdb;
        TempDir dir;
        Account a = make_account(pgdb, dir, "alice");
        gs_db* db = nullptr;
        REQUIRE(gs_db_open(dir.file("capi.db").c_str(), &db) == GS_OK);
        int64_t id = 0;
        REQUIRE(gs_row_insert(db, "users", R"({"email":"c@example.com"})", &id) == GS_OK);
        std::string wrong = conninfo_with(a.conn, {{"password", "not-the-" + a.password}});
        char* report = nullptr;
        CHECK(gs_sync_run(db, wrong.c_str(), nullptr, &report) == GS_ERR_AUTH);
        CHECK(report == nullptr);
        std::string msg = gs_error_message(db);
        CHECK(msg.find("authentication failed") != std::string::npos);
        CHECK(msg.find(a.password) == std::string::npos);
        CHECK(msg.find("password=***") != std::string::npos);
        // A closed port: I/O error, quickly, with the conninfo scrubbed.
        std::string closed = conninfo_with(a.conn, {{"port", "1"}});
        gs_sync_options opts = GS_SYNC_OPTIONS_INIT;
        opts.timeout_ms = 2000;
        CHECK(gs_sync_run(db, closed.c_str(), &opts, nullptr) == GS_ERR_IO);
        msg = gs_error_message(db);
        CHECK(msg.find(a.password) == std::string::npos);
        // URI form with the password inline.
        std::string uri = "postgresql://someone:" + a.password + "@127.0.0.1:1/x?connect_timeout=2";
        CHECK(gs_sync_run(db, uri.c_str(), &opts, nullptr) == GS_ERR_IO);
        CHECK(std::string(gs_error_message(db)).find(a.password) == std::string::npos);
        // The changes wait in the outbox.
        char* status = nullptr;
        REQUIRE(gs_sync_status_get(db, &status) == GS_OK);
        CHECK(json::parse(status)["outbox"] == 1);
        CHECK(json::parse(status)["last_error"].get<std::string>().find(a.password) == std::string::npos);
        gs_string_free(status);
        // A login role that is not an account.
        pgdb.conn().exec("CREATE ROLE " + pgdb.name() + "_stranger LOGIN PASSWORD 'stranger-pw-123'");
        std::string stranger = conninfo_with(pgdb.admin(), {{"user", pgdb.name() + "_stranger"}, {"password", "stranger-pw-123"}});
        int32_t rc = gs_sync_run(db, stranger.c_str(), nullptr, nullptr);
        msg = gs_error_message(db);
        CHECK_MESSAGE(rc == GS_ERR_AUTH, msg);
        CHECK_MESSAGE(msg.find("not a Gainsly account") != std::string::npos, msg);
        CHECK(msg.find("stranger-pw-123") == std::string::npos);
        // The same on the pull path (nothing to push) and on the server half alone.
        {
            TempDir other;
            gs_db* fresh = nullptr;
            REQUIRE(gs_db_open(other.file("fresh.db").c_str(), &fresh) == GS_OK);
            gs_sync_options o = GS_SYNC_OPTIONS_INIT;
            o.user_uid = a.user.c_str();
            rc = gs_sync_run(fresh, stranger.c_str(), &o, nullptr);
            std::string m = gs_error_message(fresh);
            CHECK_MESSAGE(rc == GS_ERR_AUTH, m);
            CHECK_MESSAGE(m.find("not a Gainsly account") != std::string::npos, m);
            gs_db_close(fresh);
        }
        pgdb.conn().exec("DROP ROLE " + pgdb.name() + "_stranger");
        gs_db_close(db);
    }

    TEST_CASE("OAuth tokens are stored sealed by the host's callbacks and never reach the server") {
        PgDb pgdb;
        TempDir dir;
        gs_db* db = nullptr;
        REQUIRE(gs_db_open(dir.file("t.db").c_str(), &db) == GS_OK);
        int64_t user = 0;
        REQUIRE(gs_row_insert(db, "users", R"({"email":"t@example.com"})", &user) == GS_OK);
        std::string plain = "ya29.secret-access-token";
        std::string row = R"({"user_id":)" + std::to_string(user) + R"(,"provider_type":"strava","access_token":")" + plain + "\"}";
        int64_t account = 0;
        CHECK(gs_row_insert(db, "external_provider_accounts", row.c_str(), &account) == GS_ERR_CONSTRAINT);
        CHECK(std::string(gs_error_message(db)).find("sealed") != std::string::npos);
        char* sealed = nullptr;
        CHECK(gs_token_seal(db, plain.c_str(), &sealed) == GS_ERR_INVALID);  // no sealer yet
        static char key = 0x5a;
        gs_token_sealer sealer{sizeof(gs_token_sealer), &key, xor_seal, xor_seal};
        REQUIRE(gs_token_set_sealer(db, &sealer) == GS_OK);
        REQUIRE(gs_token_seal(db, plain.c_str(), &sealed) == GS_OK);
        std::string s = sealed;
        gs_string_free(sealed);
        CHECK(s.rfind("gs-sealed:", 0) == 0);
        CHECK(s.find(plain) == std::string::npos);
        row = R"({"user_id":)" + std::to_string(user) + R"(,"provider_type":"strava","provider_user_id":"42","access_token":")" + s + "\"}";
        REQUIRE(gs_row_insert(db, "external_provider_accounts", row.c_str(), &account) == GS_OK);
        char* got = nullptr;
        REQUIRE(gs_row_get(db, "external_provider_accounts", account, &got) == GS_OK);
        std::string stored = json::parse(got)["access_token"];
        gs_string_free(got);
        char* opened = nullptr;
        REQUIRE(gs_token_unseal(db, stored.c_str(), &opened) == GS_OK);
        CHECK(std::string(opened) == plain);
        gs_string_free(opened);
        CHECK(gs_token_unseal(db, "gs-sealed:%%%", &opened) == GS_ERR_INVALID);
        CHECK(gs_token_set_sealer(db, nullptr) == GS_OK);
        CHECK(gs_token_unseal(db, stored.c_str(), &opened) == GS_ERR_INVALID);

        char* uid_json = nullptr;
        REQUIRE(gs_row_get(db, "users", user, &uid_json) == GS_OK);
        std::string uid = json::parse(uid_json)["uid"];
        gs_string_free(uid_json);
        std::string conn = pgdb.account(uid);
        gs_sync_options opts = GS_SYNC_OPTIONS_INIT;
        REQUIRE(gs_sync_run(db, conn.c_str(), &opts, nullptr) == GS_OK);
        CHECK(pgdb.scalar("SELECT count(*) FROM external_provider_accounts WHERE provider_user_id = '42'") == 1);
        CHECK(pgdb.scalar("SELECT count(*) FROM external_provider_accounts WHERE access_token IS NOT NULL OR refresh_token IS NOT NULL") == 0);
        gs_db_close(db);
    }
}
