// Rows the server refuses and rows whose parent is gone: quarantined on the device (never deleted,
// never blocking the rest of the batch or the pull), sent again once corrected; children of a
// parent deleted past the GC horizon follow the schema's ON DELETE rule; a reused Server is
// clean after an error raised between BEGIN and COMMIT.
#include <doctest/doctest.h>

#include <stdexcept>

#include "sync_fixture.hpp"

using namespace synctest;

namespace {

int64_t count(Database& db, const std::string& sql) { return one_id(db, sql); }

json quarantine_entry(const json& status, const std::string& uid) {
    for (const auto& e : status["quarantine"])
        if (e["uid"] == uid) return e;
    return json();
}

struct TwoDevices {
    PgDb pgdb;
    TempDir dir;
    std::unique_ptr<Database> a, b;
    int64_t user = 0;
    std::string uid, conn;
    TwoDevices() {
        a = new_device(dir.file("a.db"));
        user = a->insert("users", {{"email", "poison@example.com"}, {"name", "Pat"}});
        a->insert("user_profiles", {{"user_id", user}, {"height_cm", 180}, {"scheduling_preferences", {{"days", {1, 3}}}}});
        uid = uid_of(*a, "users", user);
        conn = pgdb.account(uid);
        sync::sync(*a, conn, options());
        b = new_device(dir.file("b.db"));
        sync::sync(*b, conn, options(uid));
    }
    int64_t server_count(const std::string& table, const std::string& row_uid) {
        return pgdb.scalar("SELECT count(*) FROM \"" + table + "\" WHERE uid = $1", {row_uid});
    }
};

}  // namespace

TEST_SUITE("poison") {
    TEST_CASE("rows the server refuses are quarantined on the device with its reason; the rest lands, pulls go on, a fix syncs") {
        TwoDevices f;
        Database& a = *f.a;
        // An integer PostgreSQL's `integer` cannot hold, a child of that row, and a jsonb value with
        // \u0000 in an update of a row the server has: all written as an old file would hold them.
        int64_t bad = a.insert("workout_logs", {{"user_id", f.user}, {"workout_date", "2026-03-02"}, {"duration_seconds", 60}});
        poison(a, "workout_logs", bad, "duration_seconds", "3000000000");
        int64_t child = a.insert("top_set_logs", {{"user_id", f.user}, {"workout_log_id", bad}, {"set_number", 1}, {"reps", 5}, {"load_kg", 100.0}});
        poison(a, "user_profiles", f.user, "scheduling_preferences", "'{\"days\":\"\\u0000\"}'");
        int64_t good = a.insert("workout_logs", {{"user_id", f.user}, {"workout_date", "2026-03-03"}, {"duration_seconds", 1800}});
        const std::string bad_uid = uid_of(a, "workout_logs", bad), child_uid = uid_of(a, "top_set_logs", child),
                          good_uid = uid_of(a, "workout_logs", good);
        // Another device's row, to be pulled in the same sync.
        int64_t theirs = f.b->insert("workout_logs", {{"user_id", one_id(*f.b, "SELECT id FROM users")}, {"workout_date", "2026-03-01"}});
        sync::sync(*f.b, f.conn, options());

        json r;
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 3);
        int quarantined = 0;
        for (const auto& x : r["rejected"]) quarantined += x["quarantined"].get<bool>();
        CHECK(quarantined == 3);
        CHECK(f.server_count("workout_logs", good_uid) == 1);  // the rest of the batch landed
        CHECK(f.server_count("workout_logs", bad_uid) == 0);
        CHECK(f.server_count("top_set_logs", child_uid) == 0);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM gs_changes WHERE op = 'd'") == 0);  // no tombstone sends them to the void
        CHECK(count(a, "SELECT count(*) FROM workout_logs WHERE uid = '" + uid_of(*f.b, "workout_logs", theirs) + "'") == 1);  // pulled
        // Still on the device, unchanged, and listed with the server's reason.
        CHECK(count(a, "SELECT duration_seconds FROM workout_logs WHERE id = " + std::to_string(bad)) == 3000000000);
        CHECK(count(a, "SELECT count(*) FROM top_set_logs WHERE id = " + std::to_string(child)) == 1);
        json st = sync::Device(a).status();
        CHECK(st["quarantined"] == 3);
        json qb = quarantine_entry(st, bad_uid), qc = quarantine_entry(st, child_uid), qp = quarantine_entry(st, uid_of(a, "user_profiles", f.user));
        REQUIRE(qb.is_object());
        CHECK(qb["table"] == "workout_logs");
        CHECK(qb["id"] == bad);
        CHECK(qb["reason"].get<std::string>().find("out of range") != std::string::npos);
        REQUIRE(qc.is_object());
        CHECK(qc["waits_for"]["uid"] == bad_uid);
        REQUIRE(qp.is_object());
        CHECK(qp["table"] == "user_profiles");
        CHECK(!qp["reason"].get<std::string>().empty());
        // A row never fixed blocks nothing: the next syncs push nothing again and still pull.
        int64_t more = f.b->insert("workout_logs", {{"user_id", one_id(*f.b, "SELECT id FROM users")}, {"workout_date", "2026-03-04"}});
        sync::sync(*f.b, f.conn, options());
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["pushed"] == 0);
        CHECK(r["quarantined"] == 3);
        CHECK(count(a, "SELECT count(*) FROM workout_logs WHERE uid = '" + uid_of(*f.b, "workout_logs", more) + "'") == 1);
        // A new child of the quarantined row waits on the device too, rather than failing its batch.
        int64_t child2 = a.insert("top_set_logs", {{"user_id", f.user}, {"workout_log_id", bad}, {"set_number", 2}, {"reps", 3}});
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 4);
        CHECK(quarantine_entry(sync::Device(a).status(), uid_of(a, "top_set_logs", child2))["waits_for"]["uid"] == bad_uid);

        // Corrected through the library: the row and its waiting children sync.
        a.update("workout_logs", bad, {{"duration_seconds", 3600}});
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 1);
        CHECK(f.pgdb.scalar("SELECT duration_seconds FROM workout_logs WHERE uid = $1", {bad_uid}) == 3600);
        CHECK(f.server_count("top_set_logs", child_uid) == 1);
        CHECK(f.server_count("top_set_logs", uid_of(a, "top_set_logs", child2)) == 1);
        a.update("user_profiles", f.user, {{"scheduling_preferences", {{"days", {2, 4}}}}});
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 0);
        CHECK(sync::Device(a).status()["quarantine"].empty());
        sync::sync(*f.b, f.conn, options());
        CHECK(diff(device_dump(a), server_dump(f.pgdb, f.uid), "a", "server") == "");
        CHECK(diff(device_dump(*f.b), server_dump(f.pgdb, f.uid), "b", "server") == "");
    }

    TEST_CASE("a quarantined update keeps its local value against older pulls; a newer pulled write wins") {
        TwoDevices f;
        Database& a = *f.a;
        poison(a, "user_profiles", f.user, "scheduling_preferences", "'{\"x\":\"\\u0000\"}'");
        json r = sync::sync(a, f.conn, options());
        CHECK(r["quarantined"] == 1);
        // B changes another column of the same row: A takes it and keeps its own quarantined value.
        f.b->update("user_profiles", one_id(*f.b, "SELECT user_id FROM user_profiles"), {{"height_cm", 181}});
        sync::sync(*f.b, f.conn, options());
        sync::sync(a, f.conn, options());
        CHECK(count(a, "SELECT height_cm FROM user_profiles") == 181);
        CHECK(count(a, "SELECT count(*) FROM user_profiles WHERE scheduling_preferences LIKE '%u0000%'") == 1);
        // B then writes the poisoned column itself: a newer value, which replaces the poison.
        f.b->update("user_profiles", one_id(*f.b, "SELECT user_id FROM user_profiles"), {{"scheduling_preferences", {{"days", {5}}}}});
        sync::sync(*f.b, f.conn, options());
        sync::sync(a, f.conn, options());
        CHECK(count(a, "SELECT count(*) FROM user_profiles WHERE scheduling_preferences LIKE '%u0000%'") == 0);
        CHECK(sync::Device(a).status()["quarantined"] == 0);  // nothing refused is left on the device
        CHECK(diff(device_dump(a), server_dump(f.pgdb, f.uid), "a", "server") == "");
    }

    TEST_CASE("children of a parent deleted past the GC horizon follow ON DELETE; the rest of the batch lands") {
        TwoDevices f;
        Database& a = *f.a;
        int64_t session = a.insert("sessions", {{"user_id", f.user}, {"date", "2026-03-05"}, {"session_type", "upper"}});
        sync::sync(a, f.conn, options());
        sync::sync(*f.b, f.conn, options());
        Database& b = *f.b;
        // B goes offline and writes under the session: a cascade child and a set-null child.
        int64_t b_user = one_id(b, "SELECT id FROM users"), b_session = one_id(b, "SELECT id FROM sessions");
        int64_t movement = one_id(b, "SELECT id FROM movements ORDER BY id LIMIT 1");
        int64_t ex = b.insert("session_exercises", {{"session_id", b_session}, {"movement_id", movement}, {"session_section", "main"},
                                                     {"order_in_session", 1}, {"target_sets", 3}});
        int64_t top = b.insert("top_set_logs", {{"user_id", b_user}, {"session_id", b_session}, {"movement_id", movement}, {"set_number", 1}, {"reps", 5}});
        int64_t other = b.insert("soreness_logs", {{"user_id", b_user}, {"log_date", "2026-03-06"}, {"severity", 2}});
        const std::string ex_uid = uid_of(b, "session_exercises", ex), top_uid = uid_of(b, "top_set_logs", top), other_uid = uid_of(b, "soreness_logs", other);
        // A deletes the session; its tombstone is collected past a short horizon by A's next push.
        a.remove("sessions", session);
        sync::sync(a, f.conn, options());
        f.pgdb.conn().exec("UPDATE gs_server_meta SET value = '0' WHERE key = 'gc_horizon_seconds'");
        f.pgdb.conn().exec("UPDATE gs_changes SET at = at - interval '1 hour'");
        a.insert("soreness_logs", {{"user_id", f.user}, {"log_date", "2026-03-07"}, {"severity", 1}});
        sync::sync(a, f.conn, options());
        REQUIRE(f.pgdb.scalar("SELECT count(*) FROM gs_changes WHERE op = 'd'") == 0);
        REQUIRE(f.pgdb.scalar("SELECT gc_seq FROM gs_owners") > 0);

        json r;
        REQUIRE_NOTHROW(r = sync::sync(b, f.conn, options()));
        bool recorded = false;
        for (const auto& x : r["rejected"])
            if (x["uid"] == ex_uid) recorded = x["reason"].get<std::string>().find("past the GC horizon") != std::string::npos;
        CHECK(recorded);
        CHECK(r["resynced"] == true);
        CHECK(f.server_count("soreness_logs", other_uid) == 1);
        CHECK(f.server_count("session_exercises", ex_uid) == 0);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM top_set_logs WHERE uid = $1 AND session_id IS NULL", {top_uid}) == 1);
        CHECK(count(b, "SELECT count(*) FROM sessions") == 0);
        CHECK(count(b, "SELECT count(*) FROM session_exercises") == 0);
        CHECK(r["quarantined"] == 0);
        sync::sync(a, f.conn, options());
        CHECK(diff(device_dump(b), server_dump(f.pgdb, f.uid), "b", "server") == "");
        CHECK(diff(device_dump(a), server_dump(f.pgdb, f.uid), "a", "server") == "");
    }

    TEST_CASE("values no batch can carry (invalid UTF-8, JSON nested too deep) are quarantined by the device itself") {
        TwoDevices f;
        Database& a = *f.a;
        int64_t w = a.insert("workout_logs", {{"user_id", f.user}, {"notes", "ok"}});
        poison(a, "workout_logs", w, "notes", "CAST(x'6869ff' AS TEXT)");
        poison(a, "user_profiles", f.user, "scheduling_preferences", "'" + std::string(100, '[') + std::string(100, ']') + "'");
        int64_t fine = a.insert("soreness_logs", {{"user_id", f.user}, {"log_date", "2026-03-09"}, {"severity", 1}});
        json r;
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 2);
        CHECK(f.server_count("soreness_logs", uid_of(a, "soreness_logs", fine)) == 1);
        json st = sync::Device(a).status();
        CHECK(quarantine_entry(st, uid_of(a, "workout_logs", w))["reason"] == "workout_logs.notes: not valid UTF-8");
        CHECK(quarantine_entry(st, uid_of(a, "user_profiles", f.user))["reason"].get<std::string>().find("nested deeper than 64") != std::string::npos);
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["pushed"] == 0);
        a.update("workout_logs", w, {{"notes", "fixed"}});
        REQUIRE_NOTHROW(r = sync::sync(a, f.conn, options()));
        CHECK(r["quarantined"] == 1);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM workout_logs WHERE notes = 'fixed'") == 1);
    }

    TEST_CASE("a pushed batch is bounded by bytes as well as rows") {
        TwoDevices f;
        Database& a = *f.a;
        const std::string notes(900 * 1024, 'n');  // under the 1 MiB value limit; 12 of them pass the 8 MiB batch budget
        for (int i = 0; i < 12; ++i) a.insert("workout_logs", {{"user_id", f.user}, {"notes", notes}});
        sync::Batch b = sync::Device(a).export_batch(1000);
        CHECK(b.changes.size() >= 1);
        CHECK(b.changes.size() < 12);
        CHECK(sync::to_json(b).size() < size_t(10) << 20);
        json r = sync::sync(a, f.conn, options());
        CHECK(r["batches"].get<int>() >= 2);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM workout_logs") == 12);
        CHECK(r["outbox"] == 0);
    }

    TEST_CASE("a reused Server rolls back after an error raised between BEGIN and COMMIT") {
        TwoDevices f;
        Database& a = *f.a;
        a.insert("soreness_logs", {{"user_id", f.user}, {"log_date", "2026-03-08"}, {"severity", 3}});
        sync::Server server(f.conn, 30000);
        sync::Batch batch = sync::Device(a).export_batch(100);
        REQUIRE(!batch.empty());
        for (const char* at : {"push.copy", "push.table", "push.gc"}) {
            CAPTURE(at);
            server.connection().on_step = [at](std::string_view step) {
                if (step == at) throw std::runtime_error("injected");
            };
            CHECK_THROWS(server.push(batch));
            CHECK(PQtransactionStatus(server.connection().raw()) == PQTRANS_IDLE);
        }
        server.connection().on_step = [](std::string_view step) {
            if (step == "pull.rows") throw std::runtime_error("injected");
        };
        sync::PullRequest from_start = sync::Device(*f.b).pull_request(100);
        from_start.cursor = 0;  // so the page has rows and the snapshot transaction reaches pull.rows
        CHECK_THROWS(server.pull(from_start));
        CHECK(PQtransactionStatus(server.connection().raw()) == PQTRANS_IDLE);
        server.connection().on_step = nullptr;
        // The same connection then applies the batch exactly once.
        json r = sync::sync(a, server, options());
        CHECK(r["pushed"] == 1);
        CHECK(f.pgdb.scalar("SELECT count(*) FROM soreness_logs") == 1);
        CHECK(f.pgdb.scalar("SELECT seq FROM gs_owners") == 2);  // the failed attempts took no sequence
        sync::sync(*f.b, server, options());
        CHECK(diff(device_dump(a), device_dump(*f.b), "a", "b") == "");
    }
}
