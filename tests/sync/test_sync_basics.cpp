// End-to-end sync between device files and a live PostgreSQL: setup, push, pull, merge rules.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "sync_fixture.hpp"

using namespace synctest;

namespace {

struct Plan {
    int64_t user, program, session, exercise, set1;
};

Plan seed(Database& db, const std::string& email = "a@example.com") {
    Plan p{};
    int64_t squat = one_id(db, "SELECT id FROM movements ORDER BY id LIMIT 1");
    p.user = db.insert("users", {{"email", email}, {"name", "Ada"}, {"persona_aggression", 3}});
    db.insert("user_profiles", {{"user_id", p.user}, {"height_cm", 170}, {"scheduling_preferences", {{"days", {1, 3, 5}}}}});
    p.program = db.insert("programs", {{"user_id", p.user}, {"name", "Base"}, {"start_date", "2026-01-05"}, {"goal_1", "strength"}, {"goal_weight_1", 10}});
    p.session = db.insert("sessions", {{"user_id", p.user}, {"program_id", p.program}, {"date", "2026-01-05"}, {"session_type", "upper"}});
    p.exercise = db.insert("session_exercises", {{"session_id", p.session}, {"movement_id", squat}, {"session_section", "main"},
                                                 {"order_in_session", 1}, {"target_sets", 3}, {"target_rpe", 8.5}});
    p.set1 = db.insert("top_set_logs", {{"user_id", p.user}, {"session_id", p.session}, {"movement_id", squat}, {"set_number", 1},
                                        {"reps", 5}, {"load_kg", 102.5}, {"rpe", 8.0}});
    db.insert("user_injuries", {{"user_id", p.user}, {"body_part", "hamstrings"}, {"severity", 0.25}});
    return p;
}

}  // namespace

TEST_SUITE("basics") {
    TEST_CASE("server setup is idempotent and reports what it did") {
        PgDb pgdb;
        CHECK(pgdb.report["created"] == true);
        CHECK(pgdb.report["catalog_rows"].get<int>() > 400);
        json again = sync::server_setup(pgdb.admin(), 60000);
        CHECK(again["created"] == false);
        CHECK(again["catalog_rows"] == 0);
        CHECK(pgdb.scalar("SELECT count(*) FROM movements") > 400);
        CHECK(pgdb.scalar("SELECT count(*) FROM gs_catalog_changes") > 400);
    }

    TEST_CASE("a second device pulls exactly what the first pushed, references as uids") {
        PgDb pgdb;
        TempDir dir;
        auto a = new_device(dir.file("a.db"));
        Plan p = seed(*a);
        std::string user = uid_of(*a, "users", p.user);
        std::string conn = pgdb.account(user);
        json r1 = sync::sync(*a, conn, options());
        CHECK(r1["pushed"].get<int>() == 7);
        CHECK(r1["conflicts"] == 0);
        CHECK(sync::Device(*a).outbox_depth() == 0);
        CHECK(diff(device_dump(*a), server_dump(pgdb, user), "device", "server") == "");

        auto b = new_device(dir.file("b.db"));
        json r2 = sync::sync(*b, conn, options(user));
        CHECK(r2["pulled"].get<int>() >= 7);
        CHECK(r2["pushed"] == 0);
        CHECK(r2["initial_pull_complete"] == true);
        CHECK(diff(device_dump(*a), device_dump(*b), "a", "b") == "");
        CHECK(sync::Device(*b).outbox_depth() == 0);  // applied rows do not echo back

        // Another sync of an unchanged device moves nothing.
        json r3 = sync::sync(*b, conn, options());
        CHECK(r3["pushed"] == 0);
        CHECK(integrity(*a) == "ok");
        CHECK(integrity(*b) == "ok");
    }

    TEST_CASE("updates of different columns merge; the same column goes to the later clock; deletes win") {
        PgDb pgdb;
        TempDir dir;
        auto a = new_device(dir.file("a.db"));
        Plan p = seed(*a);
        std::string user = uid_of(*a, "users", p.user);
        std::string conn = pgdb.account(user);
        sync::sync(*a, conn, options());
        auto b = new_device(dir.file("b.db"));
        sync::sync(*b, conn, options(user));
        int64_t set_b = one_id(*b, "SELECT id FROM top_set_logs");
        int64_t session_b = one_id(*b, "SELECT id FROM sessions");

        a->update("top_set_logs", p.set1, {{"reps", 6}});
        b->update("top_set_logs", set_b, {{"load_kg", 105.0}});
        a->update("sessions", p.session, {{"coach_notes", "from a"}});
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        b->update("sessions", session_b, {{"coach_notes", "from b (later)"}});
        sync::sync(*a, conn, options());
        sync::sync(*b, conn, options());
        sync::sync(*a, conn, options());
        auto row = a->get("top_set_logs", p.set1);
        CHECK(row["reps"] == 6);
        CHECK(row["load_kg"] == 105.0);
        CHECK(a->get("sessions", p.session)["coach_notes"] == "from b (later)");
        CHECK(diff(device_dump(*a), device_dump(*b), "a", "b") == "");
        CHECK(diff(device_dump(*a), server_dump(pgdb, user), "a", "server") == "");

        // Delete on a, concurrent update on b: the delete wins everywhere.
        a->remove("top_set_logs", p.set1);
        b->update("top_set_logs", set_b, {{"notes", "edited offline"}});
        sync::sync(*b, conn, options());
        sync::sync(*a, conn, options());
        sync::sync(*b, conn, options());
        CHECK(one_id(*a, "SELECT count(*) FROM top_set_logs") == 0);
        CHECK(one_id(*b, "SELECT count(*) FROM top_set_logs") == 0);
        CHECK(pgdb.scalar("SELECT count(*) FROM top_set_logs") == 0);
        CHECK(diff(device_dump(*a), device_dump(*b), "a", "b") == "");
    }

    TEST_CASE("a child created offline under a parent deleted elsewhere goes with it") {
        PgDb pgdb;
        TempDir dir;
        auto a = new_device(dir.file("a.db"));
        Plan p = seed(*a);
        std::string user = uid_of(*a, "users", p.user);
        std::string conn = pgdb.account(user);
        sync::sync(*a, conn, options());
        auto b = new_device(dir.file("b.db"));
        sync::sync(*b, conn, options(user));
        int64_t session_b = one_id(*b, "SELECT id FROM sessions");
        int64_t movement = one_id(*b, "SELECT id FROM movements ORDER BY id DESC LIMIT 1");
        b->insert("session_exercises", {{"session_id", session_b}, {"movement_id", movement}, {"session_section", "accessory"},
                                        {"order_in_session", 2}, {"target_sets", 2}});
        a->remove("sessions", p.session);
        sync::sync(*a, conn, options());
        json rb = sync::sync(*b, conn, options());
        CHECK(rb["conflicts"].get<int>() >= 1);
        sync::sync(*a, conn, options());
        CHECK(one_id(*b, "SELECT count(*) FROM session_exercises") == 0);
        CHECK(diff(device_dump(*a), device_dump(*b), "a", "b") == "");
        CHECK(diff(device_dump(*a), server_dump(pgdb, user), "a", "server") == "");
    }

    TEST_CASE("status reports outbox depth, last push and pull, and the first full pull") {
        PgDb pgdb;
        TempDir dir;
        auto a = new_device(dir.file("a.db"));
        Plan p = seed(*a);
        sync::Device dev(*a);
        json s0 = dev.status();
        CHECK(s0["outbox"] == 7);
        CHECK(s0["initial_pull_complete"] == false);
        CHECK(s0["last_push_at"].is_null());
        std::string user = uid_of(*a, "users", p.user);
        sync::sync(*a, pgdb.account(user), options());
        json s1 = dev.status();
        CHECK(s1["outbox"] == 0);
        CHECK(s1["initial_pull_complete"] == true);
        CHECK(s1["last_push_at"].is_string());
        CHECK(s1["last_pull_at"].is_string());
        CHECK(s1["user"] == user);
    }
}
