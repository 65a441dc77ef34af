// The store: file setup, migrations, generic rows and every kind of bad input.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "model/error.hpp"
#include "store/database.hpp"
#include "store/migrate.hpp"
#include "test_util.hpp"

using gainsly::Error;
using gainsly::Status;
using gainsly::store::Database;
using gainsly::store::json;

TEST_CASE("a new file has WAL, foreign keys, the schema version and every table") {
    TempDir dir;
    Database db(dir.file("new.db"));
    CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(db.sql().execAndGet("PRAGMA user_version").getInt() == db.schema().version());
    for (const auto& t : db.schema().tables()) {
        CAPTURE(t.name);
        CHECK(db.sql().tableExists(t.name));
    }
    CHECK(db.schema().tables().size() >= 38);
}

TEST_CASE("rows round-trip with types, defaults and a generated uid") {
    TempDir dir;
    Database db(dir.file("rows.db"));
    int64_t user = db.insert("users", {{"email", "a@example.com"}, {"name", "Ana 🏋️"}, {"persona_aggression", 3},
                                       {"experience_level", "intermediate"}});
    json row = db.get("users", user);
    CHECK(row["email"] == "a@example.com");
    CHECK(row["name"] == "Ana 🏋️");
    CHECK(row["persona_aggression"] == 3);
    CHECK(row["uid"].get<std::string>().size() == 36);
    CHECK(row["uid"].get<std::string>()[14] == '7');  // version-7 UUID
    CHECK(row["created_at"].get<std::string>().back() == 'Z');

    int64_t settings = db.insert("user_settings", {{"user_id", user}});
    CHECK(db.get("user_settings", settings)["use_metric"] == true);
    CHECK(db.get("user_settings", settings)["active_e1rm_formula"] == "epley");

    int64_t rs = db.insert("recovery_signals", {{"user_id", user}, {"signal_date", "2026-01-31"},
                                                 {"muscle_recovery_json", {{"quadriceps", 80}}}});
    CHECK(db.get("recovery_signals", rs)["muscle_recovery_json"]["quadriceps"] == 80);

    int64_t profile = db.insert("user_profiles", {{"user_id", user}, {"sex", "female"}, {"date_of_birth", "1990-02-28"}});
    CHECK(profile == user);
    CHECK(db.get("user_profiles", user)["sex"] == "female");

    db.update("users", user, {{"name", "Ana B"}});
    CHECK(db.get("users", user)["name"] == "Ana B");
    CHECK(db.select("users", {{"email", "a@example.com"}}).size() == 1);
    CHECK(db.select("users", {{"macro_experience_level", nullptr}}).size() == 1);
    CHECK(db.select("users", json()).size() == 1);

    // Timestamps with an offset are stored in UTC.
    int64_t acct = db.insert("external_provider_accounts",
                             {{"user_id", user}, {"provider_type", "garmin"}, {"token_expires_at", "2026-03-01T10:00:00+02:00"}});
    CHECK(db.get("external_provider_accounts", acct)["token_expires_at"] == "2026-03-01T08:00:00.000Z");

    db.remove("users", user);  // cascades to settings, signals, profile, accounts
    CHECK(db.select("user_settings", json()).empty());
    CHECK(db.select("recovery_signals", json()).empty());
    CHECK(db.select("user_profiles", json()).empty());
}

static void expect_error(Status status, const std::string& fragment, const std::function<void()>& f) {
    try {
        f();
        FAIL("expected an error containing: " << fragment);
    } catch (const Error& e) {
        std::string message = e.what();
        CAPTURE(message);
        CHECK(e.status() == status);
        CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
}

TEST_CASE("bad input gets a status and a message naming the table and column, and writes nothing") {
    TempDir dir;
    Database db(dir.file("bad.db"));
    int64_t user = db.insert("users", {{"email", "b@example.com"}});
    auto count = [&](const char* t) { return db.select(t, json()).size(); };

    expect_error(Status::invalid, "unknown table 'nope'", [&] { db.insert("nope", json::object()); });
    expect_error(Status::invalid, "users.nickname: unknown column", [&] { db.insert("users", {{"nickname", "x"}}); });
    expect_error(Status::invalid, "users.name: expected a string, got number", [&] { db.insert("users", {{"name", 5}}); });
    expect_error(Status::invalid, "user_settings.user_id: expected an integer", [&] { db.insert("user_settings", {{"user_id", "1"}}); });
    expect_error(Status::invalid, "users.persona_tone: 'rude' is not a persona_tone value", [&] {
        db.insert("users", {{"persona_tone", "rude"}});
    });
    expect_error(Status::invalid, "users.persona_aggression: 9 is not", [&] { db.insert("users", {{"persona_aggression", 9}}); });
    expect_error(Status::invalid, "user_profiles.date_of_birth: '2026-02-30' is not a valid date", [&] {
        db.insert("user_profiles", {{"user_id", user}, {"date_of_birth", "2026-02-30"}});
    });
    expect_error(Status::invalid, "users.email: longer than 255", [&] { db.insert("users", {{"email", std::string(300, 'x')}}); });
    expect_error(Status::invalid, "session_exercises.session_section: must not be null", [&] {
        db.insert("session_exercises", {{"session_section", nullptr}, {"order_in_session", 1}, {"target_sets", 3}});
    });
    expect_error(Status::invalid, "users: expected a JSON object", [&] { db.insert("users", json::array()); });
    expect_error(Status::invalid, "users.uid: cannot be changed", [&] { db.update("users", user, {{"uid", "x"}}); });
    expect_error(Status::invalid, "users.uid: 'x' is not a UUID", [&] { db.insert("users", {{"uid", "x"}}); });
    expect_error(Status::invalid, "recovery_signals.hrv_score: must be finite", [&] {
        db.insert("recovery_signals", {{"user_id", user}, {"hrv_score", std::numeric_limits<double>::infinity()}});
    });

    // Constraints: CHECK (with the rule), UNIQUE, FOREIGN KEY (naming the column).
    expect_error(Status::constraint, "ck_user_injuries_severity_range", [&] {
        db.insert("user_injuries", {{"user_id", user}, {"body_part", nullptr}, {"severity", 1.5}});
    });
    expect_error(Status::constraint, "ck_programs_goal_weights_sum_10", [&] {
        db.insert("programs", {{"user_id", user}, {"goal_1", "strength"}, {"goal_weight_1", 6}, {"goal_2", "hypertrophy"}, {"goal_weight_2", 3}});
    });
    db.insert("programs", {{"user_id", user}, {"goal_1", "strength"}, {"goal_weight_1", 7}, {"goal_2", "hypertrophy"}, {"goal_weight_2", 3}});
    expect_error(Status::constraint, "users.email", [&] { db.insert("users", {{"email", "b@example.com"}}); });
    expect_error(Status::constraint, "top_set_logs.movement_id: no movements row with id 424242", [&] {
        db.insert("top_set_logs", {{"user_id", user}, {"movement_id", 424242}});
    });
    expect_error(Status::constraint, "user_injuries.body_part: no muscles row with name 'elbowz'", [&] {
        db.insert("user_injuries", {{"user_id", user}, {"body_part", "elbowz"}});
    });
    int64_t movement = db.insert("movements", {{"name", "Test Press"}});
    db.insert("top_set_logs", {{"user_id", user}, {"movement_id", movement}, {"reps", 5}});
    expect_error(Status::constraint, "movements row " + std::to_string(movement) + " is still referenced by top_set_logs.movement_id",
                 [&] { db.remove("movements", movement); });

    expect_error(Status::not_found, "users: no row with id 999", [&] { db.update("users", 999, {{"name", "x"}}); });
    expect_error(Status::not_found, "users: no row with id 999", [&] { db.remove("users", 999); });
    expect_error(Status::not_found, "users: no row with id 999", [&] { db.get("users", 999); });

    CHECK(count("users") == 1);
    CHECK(count("programs") == 1);
    CHECK(count("top_set_logs") == 1);
    CHECK(db.get("movements", movement)["name"] == "Test Press");
}

TEST_CASE("transactions group writes; a rolled back group leaves nothing") {
    TempDir dir;
    Database db(dir.file("tx.db"));
    db.begin();
    db.insert("users", {{"email", "t1@example.com"}});
    db.rollback();
    CHECK(db.select("users", json()).empty());
    db.begin();
    db.insert("users", {{"email", "t2@example.com"}});
    db.commit();
    CHECK(db.select("users", json()).size() == 1);
    expect_error(Status::invalid, "commit: no transaction is open", [&] { db.commit(); });
    db.begin();
    expect_error(Status::invalid, "already open", [&] { db.begin(); });
    db.rollback();
}

TEST_CASE("an older file is migrated forward and ends identical to a new one") {
    TempDir dir;
    const int latest = gainsly::model::Schema::builtin().version();
    REQUIRE(latest >= 2);
    std::string old_path = dir.file("v1.db");
    gainsly::store::create_at_version(old_path, 1);
    {
        gainsly::sqlite::Database raw(old_path, gainsly::sqlite::OPEN_READWRITE);
        raw.exec("INSERT INTO users (uid, email) VALUES ('01890000-0000-7000-8000-000000000001', 'old@example.com')");
        CHECK_FALSE(raw.execAndGet("SELECT count(*) FROM pragma_table_info('user_enjoyable_activities') WHERE name = 'activity'").getInt());
    }
    Database migrated(old_path);
    CHECK(migrated.sql().execAndGet("PRAGMA user_version").getInt() == latest);
    CHECK(migrated.select("users", {{"email", "old@example.com"}}).size() == 1);  // data kept
    int64_t user = migrated.select("users", json())[0]["id"];
    migrated.insert("user_enjoyable_activities", {{"user_id", user}, {"activity", "bouldering"}, {"planned_weekdays", {2, 5}}});

    Database fresh(dir.file("fresh.db"));
    CHECK(gainsly::store::introspect(migrated.sql()) == gainsly::store::introspect(fresh.sql()));
}

TEST_CASE("a version 2 file gains top_set_logs.set_type and personal_records, its sets kept as working sets") {
    TempDir dir;
    std::string path = dir.file("v2.db");
    gainsly::store::create_at_version(path, 2);
    {
        gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
        raw.exec("INSERT INTO users (uid, email) VALUES ('01890000-0000-7000-8000-000000000002', 'v2@example.com')");
        raw.exec("INSERT INTO top_set_logs (uid, user_id, reps, load_kg) VALUES ('01890000-0000-7000-8000-000000000003', 1, 5, 100)");
        CHECK_FALSE(raw.tableExists("personal_records"));
    }
    Database migrated(path);
    CHECK(migrated.sql().execAndGet("PRAGMA user_version").getInt() >= 3);
    auto sets = migrated.select("top_set_logs", json());
    REQUIRE(sets.size() == 1);
    CHECK(sets[0]["set_type"].is_null());  // NULL: a working set
    migrated.update("top_set_logs", sets[0]["id"].get<int64_t>(), {{"set_type", "warmup"}});
    expect_error(Status::invalid, "top_set_logs.set_type", [&] { migrated.update("top_set_logs", sets[0]["id"].get<int64_t>(), {{"set_type", "easy"}}); });
    int64_t movement = migrated.sql().execAndGet("SELECT min(id) FROM movements").getInt64();
    if (movement == 0) movement = migrated.insert("movements", {{"name", "Test Squat"}});
    migrated.insert("personal_records", {{"user_id", 1}, {"movement_id", movement}, {"record_type", "e1rm"}, {"value", 116.7},
                                         {"achieved_date", "2026-01-02"}, {"top_set_log_id", sets[0]["id"]}});
    expect_error(Status::invalid, "personal_records.record_type", [&] {
        migrated.insert("personal_records", {{"user_id", 1}, {"movement_id", movement}, {"record_type", "best"}, {"value", 1}, {"achieved_date", "2026-01-02"}});
    });
    CHECK(gainsly::store::introspect(migrated.sql()) == gainsly::store::introspect(Database(dir.file("fresh.db")).sql()));
}

TEST_CASE("a file from a newer library is refused and left untouched") {
    TempDir dir;
    std::string path = dir.file("newer.db");
    {
        Database db(path);
        db.insert("users", {{"email", "n@example.com"}});
        db.sql().exec("PRAGMA user_version = 999");
        db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string before = read_file(path);
    expect_error(Status::version, "schema version 999 is newer", [&] { Database db(path); });
    CHECK(read_file(path) == before);
}

TEST_CASE("a file that is not a database, or is damaged, is refused as corrupt") {
    TempDir dir;
    std::string junk = dir.file("junk.db");
    std::ofstream(junk) << std::string(8192, 'x');
    expect_error(Status::corrupt, "not a database", [&] { Database db(junk); });

    std::string foreign = dir.file("foreign.db");
    {
        gainsly::sqlite::Database raw(foreign, gainsly::sqlite::OPEN_READWRITE | gainsly::sqlite::OPEN_CREATE);
        raw.exec("CREATE TABLE notes (x)");
    }
    expect_error(Status::corrupt, "not a Gainsly database", [&] { Database db(foreign); });

    // Damage the pages of a real file: queries report corruption instead of crashing.
    std::string damaged = dir.file("damaged.db");
    {
        Database db(damaged);
        for (int i = 0; i < 200; ++i) db.insert("users", {{"email", "u" + std::to_string(i) + "@example.com"}});
        db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    {
        std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 3);
        std::string garbage(4096 * 8, '\x5a');
        f.write(garbage.data(), std::streamsize(garbage.size()));
    }
    try {
        Database db(damaged);
        db.select("users", json());
        for (const auto& t : db.schema().tables()) db.select(t.name, json());
        FAIL("damaged file was read without error");
    } catch (const Error& e) {
        CHECK(e.status() == Status::corrupt);
    }
}

TEST_CASE("a session reads back with its exercises in order") {
    TempDir dir;
    Database db(dir.file("session.db"));
    int64_t user = db.insert("users", {{"email", "s@example.com"}});
    int64_t movement = db.insert("movements", {{"name", "Session Squat"}});
    int64_t session = db.insert("sessions", {{"user_id", user}, {"date", "2026-02-02"}, {"coach_notes", "Line one\n\"quoted\" \\ tab\t"}});
    for (int order : {2, 1, 3})
        db.insert("session_exercises", {{"session_id", session}, {"movement_id", movement}, {"session_section", "main"},
                                        {"order_in_session", order}, {"target_sets", order}, {"target_rpe", 7.5}});
    json s = json::parse(db.session_text(session));
    CHECK(s["coach_notes"] == "Line one\n\"quoted\" \\ tab\t");
    REQUIRE(s["exercises"].size() == 3);
    CHECK(s["exercises"][0]["order_in_session"] == 1);
    CHECK(s["exercises"][2]["order_in_session"] == 3);
    CHECK(s["exercises"][0]["target_rpe"] == 7.5);
    CHECK_THROWS_AS(db.session_text(session + 100), Error);
}
