// History import from Strong and Hevy CSV exports and export back (src/training/history.hpp), on
// real SQLite files with the built-in catalog. The sample files are tests/data/history/*.csv.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "store/database.hpp"
#include "training/history.hpp"
#include "training/training.hpp"
#include "test_util.hpp"

using gainsly::Error;
using gainsly::Status;
using gainsly::store::Database;
using gainsly::store::json;
namespace training = gainsly::training;
using training::HistoryFormat;
using doctest::Approx;

namespace {

std::string sample(const std::string& name) { return read_file(std::string(GAINSLY_SOURCE_DIR) + "/tests/data/history/" + name); }

struct Fixture {
    TempDir dir;
    Database db{dir.file("history.db")};
    int64_t user = 0;
    Fixture() {
        gainsly::catalog::install(db);
        user = db.insert("users", {{"email", "lifter@example.com"}});
    }
    int64_t movement(const std::string& name) {
        json rows = db.select("movements", {{"name", name}});
        REQUIRE(rows.size() == 1);
        return rows[0]["id"].get<int64_t>();
    }
    size_t count(const std::string& table) { return db.select(table, json::object()).size(); }
    // The user's sets as comparable text: date, movement, reps, load, rpe, set type, notes.
    std::vector<std::string> sets() {
        std::vector<std::string> out;
        auto& q = db.prepare(
            "SELECT w.workout_date, m.name, t.reps, t.load_kg, t.rpe, t.notes FROM top_set_logs t JOIN workout_logs w ON "
            "w.id = t.workout_log_id JOIN movements m ON m.id = t.movement_id ORDER BY w.workout_date, m.name, t.set_number");
        while (q.executeStep()) {
            std::string row;
            for (int i = 0; i < 6; ++i) row += (q.getColumn(i).isNull() ? std::string("null") : q.getColumn(i).getString()) + "|";
            out.push_back(row);
        }
        q.tryReset();
        return out;
    }
    json import(HistoryFormat f, const std::string& text, const training::HistoryImportOptions& o = {}) {
        return training::import_history(db, user, f, text, o);
    }
};

const json* find_name(const json& list, const std::string& name) {
    for (const auto& e : list)
        if (e["name"] == name) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("history: a Strong export imports its sets, counts rest timers, reports fuzzy and unmatched names and bad lines") {
    Fixture f;
    json r = f.import(HistoryFormat::strong, sample("strong.csv"));
    CHECK(r["delimiter"] == ",");
    CHECK(r["records"] == 12);  // 13 data lines, one record spans two
    CHECK(r["rest_timer_rows"] == 1);
    CHECK(r["workouts"]["imported"] == 2);
    // Bench W,1,2 + OHP + the fuzzy "Barbell Bench Pres" + Deadlift 1,3 + Lat Pulldown = 8.
    CHECK(r["sets"]["imported"] == 8);
    REQUIRE(r["errors"].size() == 1);
    CHECK(r["errors"][0]["line"] == 10);  // the quoted note of line 6 spans two lines
    CHECK(r["errors"][0]["message"].get<std::string>().find("Weight") != std::string::npos);
    REQUIRE(r["fuzzy"].size() == 1);
    CHECK(r["fuzzy"][0]["name"] == "Barbell Bench Pres");
    CHECK(r["fuzzy"][0]["movement"] == "Barbell Bench Press");
    CHECK(r["fuzzy"][0]["score"].get<double>() >= training::kFuzzyMinScore);
    REQUIRE(r["unmatched"].size() == 1);
    CHECK(r["unmatched"][0]["name"] == "Zottman Curl");
    CHECK(r["unmatched"][0]["first_line"] == 13);
    CHECK(r["unmatched"][0]["suggestion"].is_object());
    const json* bench = find_name(r["names"], "Bench Press (Barbell)");
    REQUIRE(bench);
    CHECK((*bench)["match"] == "alias");
    CHECK((*bench)["movement"] == "Barbell Bench Press");
    REQUIRE(r["skipped"].size() == 1);  // the plank: time only
    CHECK(r["skipped"][0]["line"] == 14);
    CHECK(f.count("top_set_logs") == 8);

    // Quoted fields with commas, quotes and line breaks arrive whole.
    json note = f.db.select("top_set_logs", {{"notes", "felt \"solid\", paused"}});
    REQUIRE(note.size() == 1);
    CHECK(note[0]["rpe"].get<double>() == Approx(8));
    CHECK(f.db.select("top_set_logs", {{"notes", "two\nlines"}}).size() == 1);
    json w = f.db.select("workout_logs", {{"workout_date", "2024-01-15"}});
    REQUIRE(w.size() == 1);
    CHECK(w[0]["notes"] == "Push Day, heavy\n\nGym, \"north\" side");
    CHECK(w[0]["duration_seconds"] == 3900);
    CHECK(w[0]["created_at"] == "2024-01-15T07:30:00.000Z");
    if (f.db.schema().table("top_set_logs").find("set_type")) {
        json warm = f.db.select("top_set_logs", {{"set_type", "warmup"}});
        REQUIRE(warm.size() == 1);
        CHECK(warm[0]["load_kg"].get<double>() == Approx(60));
    }
    // The log's derived state was recomputed at the end: pattern exposure and daily state.
    CHECK(r["recomputed"]["from"] == "2024-01-15");
    CHECK(f.count("pattern_exposure") > 0);
    CHECK(f.count("user_fatigue_state") >= 3);
    // Personal records too, from working sets only: the 60 kg warm-up holds none.
    CHECK(f.count("personal_records") > 0);
    for (const auto& rec : f.db.select("personal_records", json::object()))
        CHECK(f.db.select("top_set_logs", {{"id", rec["top_set_log_id"]}, {"set_type", "warmup"}}).empty());
}

TEST_CASE("history: a semicolon Strong export with unit columns converts lbs, decimal commas and miles") {
    Fixture f;
    json r = f.import(HistoryFormat::strong, sample("strong_semicolon.csv"));
    CHECK(r["delimiter"] == ";");
    CHECK(r["errors"].empty());
    CHECK(r["sets"]["imported"] == 2);
    json squats = f.db.select("top_set_logs", {{"movement_id", f.movement("Barbell Back Squat")}});
    REQUIRE(squats.size() == 2);
    CHECK(squats[0]["load_kg"].get<double>() == Approx(102.058));  // 225 lb
    CHECK(squats[1]["load_kg"].get<double>() == Approx(102.5));    // "102,5" kg
    CHECK(squats[1]["notes"] == "a; b");
    REQUIRE(r["skipped"].size() == 1);  // the lunge row holds only a distance: 1.5 mi = 2.414 km
    CHECK(r["skipped"][0]["reason"].get<std::string>().find("2.414 km") != std::string::npos);
}

TEST_CASE("history: a Hevy export imports pounds, set types and durations; a bad date fails its line only") {
    Fixture f;
    json r = f.import(HistoryFormat::hevy, sample("hevy.csv"));
    CHECK(r["sets"]["imported"] == 7);  // 4 bench + curl + squat + RDL on the 23rd
    REQUIRE(r["errors"].size() == 1);
    CHECK(r["errors"][0]["line"] == 8);
    CHECK(r["errors"][0]["message"].get<std::string>().find("start_time") != std::string::npos);
    json bench = f.db.select("top_set_logs", {{"movement_id", f.movement("Barbell Bench Press")}});
    REQUIRE(bench.size() == 4);
    CHECK(bench[0]["load_kg"].get<double>() == Approx(43.091));  // 95 lb
    CHECK(bench[1]["load_kg"].get<double>() == Approx(102.058));
    CHECK(bench[2]["rpe"].get<double>() == Approx(10));
    if (f.db.schema().table("top_set_logs").find("set_type")) {
        CHECK(bench[0]["set_type"] == "warmup");
        CHECK(bench[2]["set_type"] == "failure");
        CHECK(bench[3]["set_type"] == "dropset");
    }
    json w = f.db.select("workout_logs", {{"workout_date", "2025-02-21"}});
    REQUIRE(w.size() == 1);
    CHECK(w[0]["duration_seconds"] == 3780);
    CHECK(w[0]["notes"] == "Upper A\n\nMorning, \"fasted\"");
    CHECK(f.db.select("top_set_logs", {{"notes", "Slow eccentric, full ROM"}}).size() == 1);
}

TEST_CASE("history: re-importing the same file changes nothing") {
    Fixture f;
    f.import(HistoryFormat::strong, sample("strong.csv"));
    f.import(HistoryFormat::hevy, sample("hevy.csv"));
    const auto before = f.sets();
    const json workouts = f.db.select("workout_logs", json::object());
    const json states = f.db.select("user_fatigue_state", json::object());
    const json records = f.db.select("personal_records", json::object());
    CHECK_FALSE(records.empty());
    json again = f.import(HistoryFormat::strong, sample("strong.csv"));
    CHECK(again["sets"]["imported"] == 0);
    CHECK(again["sets"]["existing"] == 8);
    CHECK(again["workouts"]["imported"] == 0);
    f.import(HistoryFormat::hevy, sample("hevy.csv"));
    CHECK(f.sets() == before);
    CHECK(f.db.select("workout_logs", json::object()) == workouts);
    CHECK(f.db.select("user_fatigue_state", json::object()) == states);  // the recompute churns nothing
    CHECK(f.db.select("personal_records", json::object()) == records);
}

TEST_CASE("history: a mapping fixes unmatched names on a re-run; a mapping to no movement writes nothing") {
    Fixture f;
    f.import(HistoryFormat::strong, sample("strong.csv"));
    training::HistoryImportOptions bad;
    bad.mapping = {{"Zottman Curl", 999999}};
    CHECK_THROWS_WITH_AS(f.import(HistoryFormat::strong, sample("strong.csv"), bad), doctest::Contains("mapping.Zottman Curl"), Error);
    training::HistoryImportOptions o;
    o.mapping = {{"Zottman Curl", f.movement("Hammer Curl")}, {"Barbell Bench Pres", nullptr}};
    json r = f.import(HistoryFormat::strong, sample("strong.csv"), o);
    CHECK(r["unmatched"].empty());
    CHECK(r["fuzzy"].empty());
    CHECK(r["sets"]["imported"] == 1);  // the curl; the fuzzy set stays (its key is its name's)
    CHECK(r["sets"]["existing"] == 7);
    CHECK((*find_name(r["names"], "Zottman Curl"))["match"] == "mapping");
    CHECK((*find_name(r["names"], "Barbell Bench Pres"))["match"] == "skipped");
    CHECK(f.db.select("top_set_logs", {{"movement_id", f.movement("Hammer Curl")}}).size() == 1);
    // A mapping by uid works as well.
    Fixture g;
    training::HistoryImportOptions by_uid;
    by_uid.mapping = {{"Zottman Curl", g.db.get("movements", g.movement("Hammer Curl"))["uid"]}};
    CHECK(g.import(HistoryFormat::strong, sample("strong.csv"), by_uid)["unmatched"].empty());
}

TEST_CASE("history: a cancelled import leaves nothing, whichever phase it stops in") {
    for (const std::string phase : {"import", "recompute"}) {
        CAPTURE(phase);
        Fixture f;
        training::HistoryImportOptions o;
        int calls = 0;
        o.progress = [&](const json& p) { return !(p["phase"] == phase && ++calls == 2); };
        CHECK_THROWS_AS(f.import(HistoryFormat::strong, sample("strong.csv"), o), Error);
        CHECK(calls == 2);
        CHECK(f.count("workout_logs") == 0);
        CHECK(f.count("top_set_logs") == 0);
        CHECK(f.count("pattern_exposure") == 0);
        CHECK(f.count("user_fatigue_state") == 0);
        o.progress = nullptr;  // the same file then imports whole
        CHECK(f.import(HistoryFormat::strong, sample("strong.csv"), o)["sets"]["imported"] == 8);
    }
}

TEST_CASE("history: exported with Strong's columns and imported into a fresh file, the sets are the same") {
    Fixture a;
    a.import(HistoryFormat::hevy, sample("hevy.csv"));
    a.import(HistoryFormat::strong, sample("strong.csv"));
    // A set logged by hand (no import) travels too.
    json w = json::parse(R"({"workout_date": "2024-03-01", "notes": "Home", "sets": []})");
    w["user_id"] = a.user;
    w["sets"] = json::array({{{"movement_id", a.movement("Goblet Squat")}, {"reps", 12}, {"load_kg", 24}}});
    training::log_workout(a.db, w);
    const std::string csv = training::export_history(a.db, a.user);
    CHECK(csv.rfind("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n", 0) == 0);
    Fixture b;
    json r = b.import(HistoryFormat::strong, csv);
    CHECK(r["errors"].empty());
    CHECK(r["unmatched"].empty());
    CHECK(r["fuzzy"].empty());
    CHECK(b.sets() == a.sets());
    CHECK(b.import(HistoryFormat::strong, csv)["sets"]["imported"] == 0);
    if (a.db.schema().table("top_set_logs").find("set_type"))
        CHECK(b.db.select("top_set_logs", {{"set_type", "warmup"}}).size() == a.db.select("top_set_logs", {{"set_type", "warmup"}}).size());
}

TEST_CASE("history: an unterminated quote fails its own line; a header without a required column fails the file") {
    Fixture f;
    const std::string csv =
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "2024-01-15 07:30:00,A,,Squat (Barbell),1,100,5,,,\"never closed,,\n"
        "2024-01-15 07:30:00,A,,Squat (Barbell),2,100,5,,,,,\n";
    json r = f.import(HistoryFormat::strong, csv);
    REQUIRE(r["errors"].size() == 1);
    CHECK(r["errors"][0]["line"] == 2);
    CHECK(r["sets"]["imported"] == 1);
    CHECK_THROWS_WITH_AS(f.import(HistoryFormat::strong, "Date,Workout Name,Weight,Reps\n"), doctest::Contains("Exercise Name"), Error);
    CHECK_THROWS_WITH_AS(f.import(HistoryFormat::hevy, "title,start_time,exercise_title,reps\n"), doctest::Contains("weight_kg"), Error);
    CHECK_THROWS_AS(training::import_history(f.db, 424242, HistoryFormat::strong, csv, {}), Error);

    // A date far off fails its own line (the fuzzer's year 4048 made the daily state recompute for
    // two thousand years); the other lines import.
    const std::string far =
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "4048-02-01 06:00:00,B,,Squat (Barbell),1,100,5,,,,,\n"
        "1900-02-01 06:00:00,B,,Squat (Barbell),1,100,5,,,,,\n"
        "2024-02-01 06:00:00,B,,Squat (Barbell),1,100,5,,,,,\n";
    json rf = f.import(HistoryFormat::strong, far);
    REQUIRE(rf["errors"].size() == 2);
    CHECK(rf["errors"][0]["line"] == 2);
    CHECK(rf["errors"][0]["message"].get<std::string>().find("Date: '4048-02-01 06:00:00' is outside 1970-01-01") != std::string::npos);
    CHECK(rf["errors"][1]["line"] == 3);
    CHECK(rf["sets"]["imported"] == 1);
}

namespace {

int32_t stop_at_third(void* context, const char*) { return ++*static_cast<int*>(context) >= 3 ? 1 : 0; }

}  // namespace

TEST_CASE("history C API: options, progress cancel, mapping, export") {
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("capi.db").c_str(), &db) == GS_OK);
    int64_t user = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"c@example.com"})", &user) == GS_OK);
    const std::string text = sample("strong.csv");
    gs_history_options o;
    REQUIRE(gs_history_options_init(&o, sizeof o) == GS_OK);
    int calls = 0;
    o.progress = stop_at_third;
    o.progress_context = &calls;
    char* report = reinterpret_cast<char*>(1);
    CHECK(gs_history_import(db, user, GS_HISTORY_STRONG, text.c_str(), &o, &report) == GS_ERR_CANCELED);
    CHECK(report == nullptr);
    o.progress = nullptr;
    o.mapping_json = "[1]";
    CHECK(gs_history_import(db, user, GS_HISTORY_STRONG, text.c_str(), &o, &report) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("mapping") != std::string::npos);
    o.mapping_json = R"({"Zottman Curl": null})";
    o.flags = 0x80;
    CHECK(gs_history_import(db, user, GS_HISTORY_STRONG, text.c_str(), &o, &report) == GS_ERR_INVALID);
    o.flags = 0;
    CHECK(gs_history_import(db, user, static_cast<gs_history_format>(7), text.c_str(), &o, &report) == GS_ERR_INVALID);
    REQUIRE(gs_history_import(db, user, GS_HISTORY_STRONG, text.c_str(), &o, &report) == GS_OK);
    json r = json::parse(report);
    gs_string_free(report);
    CHECK(r["sets"]["imported"] == 8);
    CHECK(r["unmatched"].empty());
    char* csv = nullptr;
    CHECK(gs_history_export(db, user, GS_HISTORY_HEVY, &csv) == GS_ERR_INVALID);
    REQUIRE(gs_history_export(db, user, GS_HISTORY_STRONG, &csv) == GS_OK);
    CHECK(std::count(csv, csv + std::string(csv).size(), '\n') == 10);  // header + 8 sets + the line break inside one note
    gs_string_free(csv);
    gs_db_close(db);
}
