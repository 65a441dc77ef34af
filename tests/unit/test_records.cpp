// Personal records (src/training/records.cpp) on real SQLite files with the built-in catalog.
// Numbers by hand with Epley (the default formula, no RPE): e1RM = load x (1 + reps / 30), so
// 100 x 5 = 116.67, 102.5 x 5 = 119.58, 100 x 6 = 120, 110 x 5 = 128.33; volume = sum of load x reps.
#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "store/database.hpp"
#include "training/records.hpp"
#include "training/training.hpp"
#include "test_util.hpp"

using gainsly::Error;
using gainsly::Status;
using gainsly::store::Database;
using gainsly::store::json;
namespace training = gainsly::training;
using doctest::Approx;

namespace {

struct Lifter {
    TempDir dir;
    Database db{dir.file("records.db")};
    int64_t user = 0, squat = 0, bench = 0;
    Lifter() {
        gainsly::catalog::install(db);
        user = db.insert("users", {{"email", "pr@example.com"}});
        squat = db.select("movements", {{"name", "Barbell Back Squat"}})[0]["id"].get<int64_t>();
        bench = db.select("movements", {{"name", "Barbell Bench Press"}})[0]["id"].get<int64_t>();
    }
    json set(double load, int reps, const char* type = nullptr) const {
        json s = {{"movement_id", squat}, {"reps", reps}, {"load_kg", load}};
        if (type) s["set_type"] = type;
        return s;
    }
    // A vector, not json: clang reads json{one_set} as a copy of that set, g++ as a one-element array.
    json workout(const std::string& date, std::vector<json> sets) {
        return training::log_workout(db, {{"user_id", user}, {"workout_date", date}, {"sets", json(std::move(sets))}});
    }
    int64_t empty_workout(const std::string& date) { return workout(date, {})["workout_log_id"].get<int64_t>(); }
    training::LoggedSet log_set(int64_t workout, double load, int reps, const char* type = nullptr) {
        training::SetInput s;
        s.movement_id = squat;
        s.reps = reps;
        s.load_kg = load;
        if (type) s.set_type = type;
        return training::log_set(db, user, workout, s);
    }
    // The stored records of one type, oldest first, as (top_set_log_id or workout_log_id, value).
    std::vector<std::pair<int64_t, double>> stored(const std::string& type) {
        std::vector<std::pair<int64_t, double>> out;
        gainsly::sqlite::Statement q(db.sql(), "SELECT coalesce(top_set_log_id, workout_log_id), value FROM personal_records WHERE record_type = ? ORDER BY achieved_date, id");
        q.bind(1, type);
        while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getDouble());
        return out;
    }
    int64_t rows() { return db.sql().execAndGet("SELECT count(*) FROM personal_records").getInt64(); }
};

std::vector<std::string> types_of(const json& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r["record_type"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> types_of(const std::vector<training::PersonalRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.type);
    std::sort(out.begin(), out.end());
    return out;
}

using Types = std::vector<std::string>;

}  // namespace

TEST_CASE("records: the first set sets e1RM and session volume; equal or worse sets set none; each record type") {
    Lifter l;
    json first = l.workout("2026-03-02", {l.set(100, 5)});
    CHECK(types_of(first["sets"][0]["records"]) == Types{"e1rm"});
    CHECK(first["sets"][0]["records"][0]["value"] == Approx(116.67));
    CHECK(first["sets"][0]["records"][0]["previous_value"].is_null());
    CHECK(types_of(first["records"]) == Types{"e1rm", "session_volume"});  // volume belongs to the workout
    // Equal, then worse: no record of any type (each in its own workout, so volume does not add up).
    CHECK(l.log_set(l.empty_workout("2026-03-04"), 100, 5).records.empty());
    CHECK(l.log_set(l.empty_workout("2026-03-06"), 95, 5).records.empty());
    CHECK(l.rows() == 2);

    // Heavier for five reps: e1RM, load at 5 reps, and the session's volume.
    auto heavier = l.log_set(l.empty_workout("2026-03-09"), 102.5, 5);
    CHECK(types_of(heavier.records) == Types{"e1rm", "load_at_reps", "session_volume"});
    for (const auto& r : heavier.records) {
        if (r.type == "load_at_reps") {
            CHECK(r.value == 102.5);
            CHECK(r.previous_value == 100.0);
            CHECK(r.reps == 5);
        }
        if (r.type == "e1rm") CHECK(r.previous_value == Approx(116.67));
        if (r.type == "session_volume") CHECK(r.value == Approx(512.5));
    }
    // One more rep at 100 kg: reps at that load (and e1RM 120, volume 600). First 6-rep set: no load_at_reps.
    auto more_reps = l.log_set(l.empty_workout("2026-03-11"), 100, 6);
    CHECK(types_of(more_reps.records) == Types{"e1rm", "reps_at_load", "session_volume"});
    for (const auto& r : more_reps.records)
        if (r.type == "reps_at_load") {
            CHECK(r.value == 6);
            CHECK(r.previous_value == 5);
            CHECK(r.load_kg == 100.0);
        }
    // A second set in the same workout that adds volume only: the session's record grows in place.
    auto added = l.log_set(more_reps.records[0].workout_log_id.value(), 60, 5);
    CHECK(types_of(added.records) == Types{"session_volume"});
    CHECK(l.stored("session_volume").back().second == Approx(900));
    CHECK(l.stored("session_volume").size() == 3);
    // Other movements keep their own records.
    json bench = l.workout("2026-03-12", {{{"movement_id", l.bench}, {"reps", 5}, {"load_kg", 60}}});
    CHECK(types_of(bench["records"]) == Types{"e1rm", "session_volume"});
}

TEST_CASE("records: warm-up sets never count and never set a record") {
    Lifter l;
    json w = l.workout("2026-03-02", {l.set(140, 5, "warmup")});
    CHECK(w["records"].empty());
    CHECK(w["sets"][0]["set_type"] == "warmup");
    CHECK(l.rows() == 0);
    // The working set after it is the first record: previous_value null, volume without the warm-up.
    json work = l.workout("2026-03-03", {l.set(60, 5, "warmup"), l.set(100, 5), l.set(100, 5, "failure")});
    CHECK(types_of(work["records"]) == Types{"e1rm", "session_volume"});
    for (const auto& r : work["records"]) {
        CHECK(r["previous_value"].is_null());
        if (r["record_type"] == "session_volume") CHECK(r["value"] == Approx(1000));
    }
    // A heavier warm-up later: still nothing.
    CHECK(l.log_set(l.empty_workout("2026-03-05"), 150, 5, "warmup").records.empty());
}

TEST_CASE("records: a back-dated heavier set takes the records the later sets had") {
    Lifter l;
    l.workout("2026-03-10", {l.set(100, 5)});
    json later = l.workout("2026-03-12", {l.set(105, 5)});
    CHECK(types_of(later["records"]) == Types{"e1rm", "load_at_reps", "session_volume"});
    CHECK(l.rows() == 5);
    json back = l.workout("2026-03-05", {l.set(110, 5)});  // logged last, dated first
    CHECK(types_of(back["records"]) == Types{"e1rm", "session_volume"});
    const int64_t back_set = back["sets"][0]["id"];
    REQUIRE(l.stored("e1rm").size() == 1);
    CHECK(l.stored("e1rm")[0].first == back_set);
    CHECK(l.stored("e1rm")[0].second == Approx(128.33));
    CHECK(l.stored("load_at_reps").empty());    // 105 x 5 no longer beats the 110 x 5 before it
    CHECK(l.stored("session_volume").size() == 1);
    CHECK(l.rows() == 2);
}

TEST_CASE("records: deleting or changing a set recomputes; unchanged records are not rewritten") {
    Lifter l;
    json a = l.workout("2026-03-02", {l.set(100, 5)});
    json b = l.workout("2026-03-04", {l.set(110, 5)});
    const int64_t set_a = a["sets"][0]["id"], set_b = b["sets"][0]["id"];
    REQUIRE(l.stored("e1rm").size() == 2);
    const std::string stamp = l.db.sql().execAndGet("SELECT updated_at FROM personal_records WHERE top_set_log_id = " + std::to_string(set_a)).getString();

    // A recompute of an unchanged log writes nothing.
    json same = training::recompute_personal_records(l.db, l.user);
    CHECK(same["inserted"] == 0);
    CHECK(same["updated"] == 0);
    CHECK(same["deleted"] == 0);

    // Deleting the set that held the record restores the previous one as current.
    training::write_log_row(l.db, "top_set_logs", set_b, [&] {
        l.db.remove("top_set_logs", set_b);
        return set_b;
    });
    CHECK(l.stored("e1rm") == std::vector<std::pair<int64_t, double>>{{set_a, 116.67}});
    json list = training::personal_records_json(l.db, l.user, l.squat);
    REQUIRE(list["records"].size() == 2);  // e1rm and session volume of workout a
    for (const auto& r : list["records"]) CHECK(r["current"] == true);
    CHECK(l.db.sql().execAndGet("SELECT updated_at FROM personal_records WHERE top_set_log_id = " + std::to_string(set_a)).getString() == stamp);

    // Changing a set's load changes its record in place (same row).
    const int64_t row = l.db.sql().execAndGet("SELECT id FROM personal_records WHERE record_type = 'e1rm'").getInt64();
    training::write_log_row(l.db, "top_set_logs", set_a, [&] {
        l.db.update("top_set_logs", set_a, {{"load_kg", 120}});
        return set_a;
    });
    CHECK(l.stored("e1rm") == std::vector<std::pair<int64_t, double>>{{set_a, 140}});
    CHECK(l.db.sql().execAndGet("SELECT id FROM personal_records WHERE record_type = 'e1rm'").getInt64() == row);
    // Marking it a warm-up removes its records; deleting a workout removes the records of its sets.
    training::write_log_row(l.db, "top_set_logs", set_a, [&] {
        l.db.update("top_set_logs", set_a, {{"set_type", "warmup"}});
        return set_a;
    });
    CHECK(l.rows() == 0);
    json c = l.workout("2026-03-06", {l.set(90, 5)});
    json d = l.workout("2026-03-08", {l.set(95, 5)});
    CHECK(l.stored("e1rm").size() == 2);
    const int64_t workout_d = d["workout_log_id"];
    training::write_log_row(l.db, "workout_logs", workout_d, [&] {
        l.db.remove("workout_logs", workout_d);
        return workout_d;
    });
    CHECK(l.stored("e1rm") == std::vector<std::pair<int64_t, double>>{{c["sets"][0]["id"].get<int64_t>(), 105}});
}

TEST_CASE("records: a bad set or set_type leaves no record row") {
    Lifter l;
    auto bad_reps = [&] { l.workout("2026-03-02", {l.set(100, 5), l.set(100, 40)}); };
    CHECK_THROWS_AS(bad_reps(), Error);
    CHECK(l.rows() == 0);
    CHECK(l.db.sql().execAndGet("SELECT count(*) FROM top_set_logs").getInt() == 0);
    try {
        l.workout("2026-03-02", {l.set(100, 5), l.set(100, 5, "easy")});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.status() == Status::invalid);
        CHECK(std::string(e.what()).find("sets[1].set_type") != std::string::npos);
    }
    const int64_t w = l.empty_workout("2026-03-03");
    CHECK_THROWS_AS(l.log_set(w, 100, 5, "easy"), Error);
    CHECK(l.rows() == 0);
}

TEST_CASE("records through the C ABI: gs_set_log_v2 reports them, gs_row_delete recomputes, gs_pr_list lists them") {
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("abi.db").c_str(), &db) == GS_OK);
    int64_t user = 0, workout = 0, squat = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"abi@example.com"})", &user) == GS_OK);
    char* text = nullptr;
    REQUIRE(gs_row_select(db, "movements", R"({"name":"Barbell Back Squat"})", &text) == GS_OK);
    squat = json::parse(text)[0]["id"];
    gs_string_free(text);
    REQUIRE(gs_workout_log(db, json{{"user_id", user}, {"workout_date", "2026-03-02"}}.dump().c_str(), &text) == GS_OK);
    workout = json::parse(text)["workout_log_id"];
    gs_string_free(text);

    gs_set_options warm = GS_SET_OPTIONS_INIT;
    warm.set_type = "warmup";
    REQUIRE(gs_set_log_v2(db, user, workout, squat, 0, 5, 140, 0, &warm, &text) == GS_OK);
    CHECK(json::parse(text)["records"].empty());
    gs_string_free(text);
    REQUIRE(gs_set_log_v2(db, user, workout, squat, 0, 5, 100, 0, nullptr, &text) == GS_OK);
    json first = json::parse(text);
    gs_string_free(text);
    CHECK(types_of(first["records"]) == Types{"e1rm", "session_volume"});
    REQUIRE(gs_set_log_v2(db, user, workout, squat, 0, 5, 110, 0, nullptr, &text) == GS_OK);
    json second = json::parse(text);
    gs_string_free(text);
    CHECK(types_of(second["records"]) == Types{"e1rm", "load_at_reps", "session_volume"});
    warm.set_type = "easy";
    CHECK(gs_set_log_v2(db, user, workout, squat, 0, 5, 200, 0, &warm, &text) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("set_type") != std::string::npos);
    CHECK(text == nullptr);

    REQUIRE(gs_pr_list(db, user, squat, &text) == GS_OK);
    json list = json::parse(text);
    gs_string_free(text);
    REQUIRE(list["records"].size() == 4);  // e1rm of both sets, load_at_reps of the second, one volume row
    int current = 0;
    for (const auto& r : list["records"]) current += r["current"].get<bool>();
    CHECK(current == 3);
    CHECK(list["records"][0]["movement"] == "Barbell Back Squat");

    // Deleting the record set through the generic row call restores the previous record.
    REQUIRE(gs_row_delete(db, "top_set_logs", second["id"]) == GS_OK);
    REQUIRE(gs_pr_list(db, user, 0, &text) == GS_OK);
    list = json::parse(text);
    gs_string_free(text);
    CHECK(types_of(list["records"]) == Types{"e1rm", "session_volume"});
    for (const auto& r : list["records"])
        if (r["record_type"] == "e1rm") CHECK(r["top_set_log_id"] == first["id"]);
    // An update through the generic call as well.
    REQUIRE(gs_row_update(db, "top_set_logs", first["id"], R"({"reps": 10})") == GS_OK);
    REQUIRE(gs_pr_list(db, user, 0, &text) == GS_OK);
    list = json::parse(text);
    gs_string_free(text);
    for (const auto& r : list["records"])
        if (r["record_type"] == "e1rm") CHECK(r["value"] == Approx(133.33));
    REQUIRE(gs_pr_recompute(db, user, 0, &text) == GS_OK);
    CHECK(json::parse(text)["updated"] == 0);
    gs_string_free(text);
    CHECK(gs_pr_list(db, user + 100, 0, &text) == GS_ERR_NOT_FOUND);
    CHECK(gs_pr_list(db, user, 0, nullptr) == GS_ERR_INVALID);
    gs_db_close(db);
}

TEST_CASE("records: sets appended one by one keep exactly the records a full recompute derives") {
    // A random log of two movements written through write_log_row: mostly sets appended to the newest
    // workout (the cached path), mixed with back-dated sets, warm-ups, sets without a workout,
    // updates, deletes, a rolled-back insert and a write that bypasses the record hook. After every
    // step a full recompute must find nothing to change.
    Lifter l;
    std::mt19937 rng(16);
    auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    std::vector<std::pair<int64_t, std::string>> workouts;  // id, date, oldest first
    std::vector<int64_t> sets;
    auto add_workout = [&](const std::string& date) {
        const int64_t id = training::write_log_row(l.db, "workout_logs", std::nullopt, [&] {
            return l.db.insert("workout_logs", {{"user_id", l.user}, {"workout_date", date}});
        });
        workouts.emplace_back(id, date);
    };
    auto new_set = [&](std::optional<int64_t> workout) {
        json s = {{"user_id", l.user}, {"movement_id", pick(3) ? l.squat : l.bench}, {"reps", 1 + pick(10)},
                  {"load_kg", 60 + 2.5 * pick(24)}, {"set_number", 1 + pick(1000000)}};
        if (workout) s["workout_log_id"] = *workout;
        if (pick(3) == 0) s["rpe"] = 6 + 0.5 * pick(9);
        if (pick(8) == 0) s["set_type"] = pick(2) ? "warmup" : "dropset";
        return s;
    };
    auto check_exact = [&](int step) {
        json again = training::recompute_personal_records(l.db, l.user);
        INFO("step " << step << ": " << again.dump());
        REQUIRE(again["inserted"] == 0);
        REQUIRE(again["updated"] == 0);
        REQUIRE(again["deleted"] == 0);
    };
    int day = 0;
    add_workout("2026-01-01");
    const int64_t appended_before = training::appended_sets(l.db);
    int inserts = 0;
    for (int step = 0; step < 400; ++step) {
        const int op = pick(100);
        if (op < 10) {  // a new, later workout
            day += 1 + pick(3);
            add_workout(gainsly::model::format_date(gainsly::model::parse_date("2026-01-01").value() + std::chrono::days(day)));
        } else if (op < 70 || sets.empty()) {  // a set in the newest workout (appended)
            json s = new_set(workouts.back().first);
            sets.push_back(training::write_log_row(l.db, "top_set_logs", std::nullopt, [&] { return l.db.insert("top_set_logs", s); }));
            ++inserts;
        } else if (op < 78) {  // a back-dated set in an older workout, or late in the run one without a workout
                               // (dated today: later than every workout, so the sets after it are back-dated)
            json s = new_set(pick(4) || step < 350 ? std::optional<int64_t>(workouts[pick(int(workouts.size()))].first) : std::nullopt);
            sets.push_back(training::write_log_row(l.db, "top_set_logs", std::nullopt, [&] { return l.db.insert("top_set_logs", s); }));
        } else if (op < 88) {  // a changed set
            const int64_t id = sets[pick(int(sets.size()))];
            json change = pick(2) ? json{{"load_kg", 60 + 2.5 * pick(30)}} : json{{"reps", 1 + pick(10)}};
            if (pick(6) == 0) change = {{"set_type", pick(2) ? "warmup" : "failure"}};
            training::write_log_row(l.db, "top_set_logs", id, [&] {
                l.db.update("top_set_logs", id, change);
                return id;
            });
        } else if (op < 96) {  // a deleted set
            const size_t at = size_t(pick(int(sets.size())));
            const int64_t id = sets[at];
            training::write_log_row(l.db, "top_set_logs", id, [&] {
                l.db.remove("top_set_logs", id);
                return id;
            });
            sets.erase(sets.begin() + long(at));
        } else if (op < 98) {  // an appended set rolled back with the caller's transaction
            l.db.begin();
            json s = new_set(workouts.back().first);
            training::write_log_row(l.db, "top_set_logs", std::nullopt, [&] { return l.db.insert("top_set_logs", s); });
            l.db.rollback();
        } else {  // a set written past the hook: the cache must not trust its old state, and a
                  // recompute now would find work, so repair it before the check
            json s = new_set(workouts.back().first);
            sets.push_back(l.db.insert("top_set_logs", s));
            training::recompute_personal_records(l.db, l.user);
        }
        check_exact(step);
    }
    // Most inserts took the appended path (the old code recomputed every one).
    CHECK(training::appended_sets(l.db) - appended_before > inserts / 2);
    CHECK(l.rows() > 10);
}
