// The built-in catalog: loaded on first open, upgraded by uid, never touching user rows.
#include <doctest/doctest.h>

#include "catalog/catalog.hpp"
#include "model/error.hpp"
#include "model/embedded.hpp"
#include "model/uuid.hpp"
#include "store/heuristics.hpp"
#include "test_util.hpp"

using gainsly::store::Database;
using gainsly::store::json;

namespace {
int64_t count(Database& db, const std::string& sql) { return db.sql().execAndGet(sql).getInt64(); }
size_t file_size(const char* name) { return json::parse(gainsly::embedded::file(name)).size(); }
}  // namespace

TEST_CASE("a new database holds the whole catalog") {
    TempDir dir;
    Database db(dir.file("catalog.db"));
    CHECK(gainsly::catalog::install(db));
    CHECK_FALSE(gainsly::catalog::install(db));  // already current: nothing written
    CHECK(count(db, "SELECT count(*) FROM movements") == int64_t(file_size("catalog/movements.json")));
    CHECK(count(db, "SELECT count(*) FROM movements") >= 300);
    CHECK(count(db, "SELECT count(*) FROM muscles") == int64_t(file_size("catalog/muscles.json")));
    CHECK(count(db, "SELECT count(*) FROM movement_relationships") == int64_t(file_size("catalog/movement_relationships.json")));
    CHECK(count(db, "SELECT count(*) FROM circuit_templates") >= 20);
    CHECK(count(db, "SELECT count(*) FROM activity_definitions") == 13);
    CHECK(count(db, "SELECT count(*) FROM goals") == 7);
    CHECK(count(db, "SELECT count(*) FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_muscle_map x WHERE x.movement_id = m.id)") == 0);
    CHECK(count(db, "SELECT count(*) FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_equipment x WHERE x.movement_id = m.id)") == 0);
    CHECK(count(db, "SELECT count(*) FROM activity_definition_muscle_map") > 11);
    auto h = gainsly::store::read_heuristics(db);
    CHECK(h.at("deload.every_n_microcycles") == 4);
    CHECK(h.at("goal.strength.dose").at("rep_min") == 1);
    CHECK(db.meta("catalog_version") == std::to_string(gainsly::catalog::builtin_version()));
}

TEST_CASE("derived uids are deterministic, distinct and well-formed") {
    auto a = gainsly::catalog::derived_uid("9e633354-bd0f-45ef-838c-1578092c8abb", "muscle:quadriceps");
    CHECK(a == gainsly::catalog::derived_uid("9e633354-bd0f-45ef-838c-1578092c8abb", "muscle:quadriceps"));
    CHECK(a != gainsly::catalog::derived_uid("9e633354-bd0f-45ef-838c-1578092c8abb", "muscle:glutes"));
    CHECK(gainsly::model::is_canonical_uuid(a));
    CHECK(a[14] == '8');
}

TEST_CASE("an older catalog is upgraded by uid and user data is untouched") {
    TempDir dir;
    Database db(dir.file("upgrade.db"));
    gainsly::catalog::install(db);
    json squat = db.select("movements", {{"name", "Bodyweight Squat"}})[0];
    int64_t squat_id = squat["id"];
    int64_t user = db.insert("users", {{"email", "u@example.com"}});
    int64_t log = db.insert("top_set_logs", {{"user_id", user}, {"movement_id", squat_id}, {"reps", 12}});
    int64_t custom = db.insert("movements", {{"name", "My Own Squat"}, {"pattern", "squat"}});
    db.insert("top_set_logs", {{"user_id", user}, {"movement_id", custom}, {"reps", 8}});
    // Simulate an old catalog: a changed value and a missing child row.
    db.update("movements", squat_id, {{"fatigue_factor", 4.9}});
    db.sql().exec("DELETE FROM movement_muscle_map WHERE movement_id = " + std::to_string(squat_id));
    db.set_meta("catalog_version", "0");
    int64_t users_before = count(db, "SELECT count(*) FROM users"), logs_before = count(db, "SELECT count(*) FROM top_set_logs");

    CHECK(gainsly::catalog::install(db));
    json after = db.get("movements", squat_id);
    CHECK(after["uid"] == squat["uid"]);
    CHECK(after["fatigue_factor"] == squat["fatigue_factor"]);
    CHECK(count(db, "SELECT count(*) FROM movement_muscle_map WHERE movement_id = " + std::to_string(squat_id)) > 0);
    CHECK(count(db, "SELECT count(*) FROM users") == users_before);
    CHECK(count(db, "SELECT count(*) FROM top_set_logs") == logs_before);
    CHECK(db.get("top_set_logs", log)["movement_id"] == squat_id);
    CHECK(db.get("movements", custom)["name"] == "My Own Squat");
}

TEST_CASE("a user's movement with a catalog name is renamed, not overwritten") {
    TempDir dir;
    Database db(dir.file("clash.db"));
    int64_t mine = db.insert("movements", {{"name", "Bodyweight Squat"}, {"pattern", "squat"}, {"description", "my own"}});
    gainsly::catalog::install(db);
    json row = db.get("movements", mine);
    CHECK(row["description"] == "my own");
    CHECK(row["name"].get<std::string>().find("Bodyweight Squat (custom") == 0);
    CHECK(db.select("movements", {{"name", "Bodyweight Squat"}}).size() == 1);
}

TEST_CASE("catalog records with bad values are refused with a message naming the record") {
    TempDir dir;
    Database db(dir.file("bad.db"));
    gainsly::catalog::install(db);
    auto movements = db.select("movements", json()).size();
    try {
        gainsly::catalog::upsert(db, {{"movements", {{{"name", "Weird Lift"}, {"pattern", "sideways"}}}}});
        FAIL("accepted a bad pattern");
    } catch (const gainsly::Error& e) {
        CHECK(std::string(e.what()).find("movements.pattern") != std::string::npos);
    }
    try {
        gainsly::catalog::upsert(db, {{"movements", {{{"name", "Odd Lift"}, {"equipment", {"hoverboard"}}}}}});
        FAIL("accepted unknown equipment");
    } catch (const gainsly::Error& e) {
        CHECK(std::string(e.what()).find("unknown equipment 'hoverboard'") != std::string::npos);
    }
    CHECK(db.select("movements", json()).size() == movements);  // nothing half-written
}

TEST_CASE("the coach tags reach the database and an older file gets them on upgrade") {
    TempDir dir;
    Database db(dir.file("coach_tags.db"));
    gainsly::catalog::install(db);
    auto has = [&](const std::string& movement, const std::string& tag) {
        return count(db, "SELECT count(*) FROM movement_tags t JOIN movements m ON m.id = t.movement_id WHERE m.name = '" + movement +
                             "' AND t.tag = '" + tag + "'") == 1;
    };
    CHECK(has("Barbell Back Squat", "competition"));
    CHECK(has("Barbell Bench Press", "main_lift"));
    CHECK(has("Barbell Bent-Over Row", "staple"));
    CHECK(has("Pause Back Squat", "variant"));
    CHECK_FALSE(has("L-Sit Pull-Up", "main_lift"));
    CHECK_FALSE(has("Medicine Ball Overhead Backward Throw", "main_lift"));
    CHECK(count(db, "SELECT count(*) FROM movements WHERE name IN ('L-Sit Pull-Up', 'One-Arm Push-Up', 'Windshield Wiper') "
                    "AND skill_level IN ('advanced', 'expert', 'elite')") == 3);
    // A file from catalog version 1 had none of these tags: the upgrade adds them.
    db.sql().exec("DELETE FROM movement_tags WHERE tag IN ('main_lift', 'staple', 'variant', 'competition')");
    db.set_meta("catalog_version", "1");
    CHECK(gainsly::catalog::install(db));
    CHECK(has("Barbell Back Squat", "competition"));
    CHECK(count(db, "SELECT count(*) FROM movement_tags WHERE tag = 'staple'") > 60);
}
