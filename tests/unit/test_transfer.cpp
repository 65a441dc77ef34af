// Import and export: lossless user round trip, our catalog format, the open exercise-database format.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "catalog/catalog.hpp"
#include "catalog/transfer.hpp"
#include "model/error.hpp"
#include "store/user_export.hpp"
#include "test_util.hpp"

using gainsly::Error;
using gainsly::Status;
using gainsly::store::Database;
using gainsly::store::json;

namespace {

// A user with rows in many tables, including owned-through-parent rows and catalog references.
int64_t make_user(Database& db) {
    int64_t user = db.insert("users", {{"email", "rt@example.com"}, {"name", "Zoë 💪"}, {"persona_aggression", 4}, {"persona_tone", "analytical"}});
    db.insert("user_profiles", {{"user_id", user}, {"sex", "female"}, {"height_cm", 170}, {"scheduling_preferences", {{"days", {1, 3, 5}}}}});
    db.insert("user_settings", {{"user_id", user}, {"use_metric", false}});
    int64_t squat = db.select("movements", {{"name", "Bodyweight Squat"}})[0]["id"];
    db.insert("user_movement_rules", {{"user_id", user}, {"movement_id", squat}, {"rule_type", "hard_yes"}, {"cadence", "weekly"}});
    db.insert("user_injuries", {{"user_id", user}, {"body_part", "knee"}, {"severity", 0.3}});
    int64_t program = db.insert("programs", {{"user_id", user}, {"name", "Block A"}, {"start_date", "2026-01-05"}, {"duration_weeks", 4},
                                             {"goal_1", "strength"}, {"goal_weight_1", 10}});
    db.insert("program_goals", {{"program_id", program}, {"goal_type", "strength"}, {"target_value", 140.5}});
    int64_t micro = db.insert("microcycles", {{"program_id", program}, {"week_number", 1}, {"deload_week", false}});
    int64_t session = db.insert("sessions", {{"user_id", user}, {"program_id", program}, {"microcycle_id", micro}, {"date", "2026-01-05"},
                                             {"session_type", "lower"}, {"muscle_volume_json", {{"quadriceps", 9}}}});
    db.insert("session_exercises", {{"session_id", session}, {"movement_id", squat}, {"session_section", "main"}, {"order_in_session", 1},
                                    {"target_sets", 3}, {"target_rpe", 8.0}});
    int64_t log = db.insert("workout_logs", {{"user_id", user}, {"session_id", session}, {"workout_date", "2026-01-05"}, {"perceived_effort", 8}});
    db.insert("top_set_logs", {{"user_id", user}, {"session_id", session}, {"workout_log_id", log}, {"movement_id", squat}, {"set_number", 1},
                               {"reps", 12}, {"load_kg", 0.0}, {"rpe", 7.5}});
    int64_t thread = db.insert("conversation_threads", {{"user_id", user}, {"title", "Knee"}});
    db.insert("conversation_turns", {{"thread_id", thread}, {"role", "user"}, {"content", "Is a deep squat OK? \"yes\"\n"}});
    return user;
}

}  // namespace

TEST_CASE("a user's data exports and imports into an empty database without loss") {
    TempDir dir;
    Database a(dir.file("a.db"));
    gainsly::catalog::install(a);
    int64_t user = make_user(a);
    a.insert("users", {{"email", "other@example.com"}});  // not exported
    json doc = gainsly::store::export_user(a, user);
    CHECK(doc["tables"]["users"].size() == 1);
    CHECK(doc["tables"]["session_exercises"].size() == 1);
    CHECK(doc["tables"]["conversation_turns"].size() == 1);
    CHECK(doc["tables"]["session_exercises"][0]["movement_id"].is_string());  // references travel as uids

    Database b(dir.file("b.db"));
    gainsly::catalog::install(b);
    json report = gainsly::store::import_user(b, json::parse(doc.dump()));
    CHECK(report["rows"] == 14);
    json again = gainsly::store::export_user(b, report["user_id"].get<int64_t>());
    CHECK(again["tables"] == doc["tables"]);

    // A second import of the same document collides on uids and writes nothing.
    auto users = b.select("users", json()).size();
    CHECK_THROWS_AS(gainsly::store::import_user(b, doc), Error);
    CHECK(b.select("users", json()).size() == users);
}

TEST_CASE("bad export documents are refused with a message and write nothing") {
    TempDir dir;
    Database db(dir.file("bad.db"));
    gainsly::catalog::install(db);
    auto expect = [&](const json& doc, Status status, const std::string& fragment) {
        try {
            gainsly::store::import_user(db, doc);
            FAIL("accepted " << doc.dump());
        } catch (const Error& e) {
            std::string message = e.what();
            CAPTURE(message);
            CHECK(e.status() == status);
            CHECK(message.find(fragment) != std::string::npos);
        }
    };
    json ok = {{"format", "gainsly.user-export"}, {"format_version", 1}, {"schema_version", 1},
               {"tables", {{"users", {{{"uid", "01890000-0000-7000-8000-00000000000a"}}}}}}};
    expect(json::array(), Status::invalid, "not a gainsly.user-export");
    json newer = ok;
    newer["schema_version"] = 99;
    expect(newer, Status::version, "schema_version");
    json unknown = ok;
    unknown["tables"]["movements"] = json::array();
    expect(unknown, Status::invalid, "import.tables.movements: not a user table");
    json dangling = ok;
    dangling["tables"]["programs"] = {{{"user_id", "01890000-0000-7000-8000-0000000000ff"}, {"name", "x"}}};
    expect(dangling, Status::constraint, "import.programs[0].user_id: no users row with uid");
    CHECK(db.select("users", json()).empty());
    gainsly::store::import_user(db, ok);
    CHECK(db.select("users", json()).size() == 1);
}

TEST_CASE("movements import from our own catalog format") {
    TempDir dir;
    Database db(dir.file("own.db"));
    gainsly::catalog::install(db);
    json doc = {{"movements", {{{"name", "Tempo Goblet Squat"}, {"pattern", "squat"}, {"primary_muscle", "quadriceps"}, {"skill_level", "beginner"},
                                {"equipment", {"kettlebell"}}, {"tags", {"compound"}},
                                {"muscles", {{{"muscle", "quadriceps"}, {"role", "primary"}, {"magnitude", 1.0}}}}}}}};
    json report = gainsly::catalog::import_catalog(db, doc);
    CHECK(report["written"].get<int>() >= 1);
    auto rows = db.select("movements", {{"name", "Tempo Goblet Squat"}});
    REQUIRE(rows.size() == 1);
    CHECK(db.select("movement_equipment", {{"movement_id", rows[0]["id"]}}).size() == 1);
}

TEST_CASE("open exercise-database records: bad records get errors, good ones are imported") {
    TempDir dir;
    Database db(dir.file("fedb.db"));
    gainsly::catalog::install(db);
    json records = json::parse(R"([
      {"id": "A_1", "name": "Test Cable Fly Variant", "force": "push", "level": "beginner", "mechanic": "isolation",
       "equipment": "cable", "primaryMuscles": ["chest"], "secondaryMuscles": ["shoulders", "neck"], "category": "strength",
       "instructions": ["Pull the handles together.", "Return slowly."]},
      {"id": "A_2", "name": "Test Foam Thing", "force": null, "level": "beginner", "mechanic": null, "equipment": "foam roll",
       "primaryMuscles": ["calves"], "secondaryMuscles": [], "category": "stretching"},
      {"id": "A_3", "name": "Test Level God", "level": "god", "equipment": "barbell", "primaryMuscles": ["quadriceps"], "category": "strength"},
      {"id": "A_4", "level": "beginner", "equipment": "barbell", "primaryMuscles": ["quadriceps"]},
      "not an object",
      {"id": "A_6", "name": "Bodyweight Squat", "level": "beginner", "equipment": "body only", "primaryMuscles": ["quadriceps"], "category": "strength"}
    ])");
    auto before = db.select("movements", json()).size();
    json report = gainsly::catalog::import_free_exercise_db(db, records);
    CHECK(report["imported"] == 1);
    CHECK(report["errors"].size() == 4);
    CHECK(report["skipped"].size() == 1);
    CHECK(report["unmapped"]["equipment"]["foam roll"] == 1);
    CHECK(report["unmapped"]["secondaryMuscles"]["neck"] == 1);
    CHECK(report["errors"][1]["error"].get<std::string>().find("level: 'god'") != std::string::npos);
    CHECK(db.select("movements", json()).size() == before + 1);
    auto fly = db.select("movements", {{"name", "Test Cable Fly Variant"}});
    REQUIRE(fly.size() == 1);
    CHECK(fly[0]["pattern"] == "isolation");
    CHECK(db.select("movement_muscle_map", {{"movement_id", fly[0]["id"]}}).size() == 2);
    // Importing again updates the same rows instead of duplicating them.
    json again = gainsly::catalog::import_free_exercise_db(db, records);
    CHECK(again["imported"] == 0);
    CHECK(again["updated"] == 1);
    CHECK(db.select("movements", json()).size() == before + 1);
}

TEST_CASE("the real 873-record open exercise database imports with a report") {
    std::string path = std::string(GAINSLY_SHARED_DATA_DIR) + "/free-exercise-db.json";
    if (!std::filesystem::exists(path)) {
        // Run alone by the ctest entry unit_real_catalog_data, whose exit code 77 means skipped.
        std::printf("skipped: %s is not present (a user's own clone)\n", path.c_str());
        std::exit(77);
    }
    std::ifstream in(path);
    json records = json::parse(in);
    REQUIRE(records.size() == 873);
    TempDir dir;
    Database db(dir.file("real.db"));
    gainsly::catalog::install(db);
    auto before = db.select("movements", json()).size();
    json report = gainsly::catalog::import_free_exercise_db(db, records);
    int imported = report["imported"], errors = int(report["errors"].size()), skipped = int(report["skipped"].size());
    MESSAGE("free-exercise-db: imported " << imported << ", skipped " << skipped << ", errors " << errors << ", unmapped "
                                          << report["unmapped"].dump());
    CHECK(imported + errors + skipped == 873);
    CHECK(imported > 650);
    // Every error is a record whose equipment or primary muscle has no equivalent here.
    int unmappable = 0;
    for (const char* field : {"equipment", "primaryMuscles"})
        for (const auto& [value, n] : report["unmapped"][field].items()) unmappable += n.get<int>();
    CHECK(errors == unmappable);
    CHECK(db.select("movements", json()).size() == before + size_t(imported));
    CHECK(report["unmapped"]["equipment"].contains("other"));
    CHECK(db.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(db.sql().execAndGet("SELECT count(*) FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_muscle_map x WHERE x.movement_id = m.id)")
              .getInt() == 0);
}
