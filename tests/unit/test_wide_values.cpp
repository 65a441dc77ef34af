// Values wider than 32 bits through the C ABI: ids above 2^31 and 2^53, dates and timestamps after
// 2038 (the end of a 32-bit time_t), and integers above 2^31 inside JSON values. They would fail on
// a build that kept any of them in a 32-bit `long`, `time_t` or `size_t`, or read them through a
// double; the armhf stage of scripts/test.sh runs them on a 32-bit target.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace {

using nlohmann::json;

struct Db {
    gs_db* db = nullptr;
    explicit Db(const std::string& path) { REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK); }
    ~Db() { gs_db_close(db); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    int64_t insert(const char* table, const json& row) {
        int64_t id = 0;
        const int32_t status = gs_row_insert(db, table, row.dump().c_str(), &id);
        INFO(gs_error_message(db));
        REQUIRE(status == GS_OK);
        return id;
    }
    json get(const char* table, int64_t id) {
        char* out = nullptr;
        const int32_t status = gs_row_get(db, table, id, &out);
        INFO(gs_error_message(db));
        REQUIRE(status == GS_OK);
        json row = json::parse(out);
        gs_string_free(out);
        return row;
    }
    size_t count(const char* table, const json& filter) {
        char* out = nullptr;
        REQUIRE(gs_row_select(db, table, filter.dump().c_str(), &out) == GS_OK);
        const size_t n = json::parse(out).size();
        gs_string_free(out);
        return n;
    }
};

constexpr int64_t above_int32 = 3'000'000'000;           // > 2^31: wraps negative in a 32-bit long
constexpr int64_t above_double = 9'007'199'254'740'993;  // 2^53 + 1: the nearest double is 2^53

}  // namespace

TEST_CASE("32-bit targets: ids above 2^31 and 2^53 go through the C ABI unchanged") {
    TempDir dir;
    Db d(dir.file("wide_ids.db"));
    CHECK(d.insert("users", {{"id", above_int32}, {"email", "a@example.com"}}) == above_int32);
    CHECK(d.insert("users", {{"id", above_double}, {"email", "b@example.com"}}) == above_double);
    CHECK(d.get("users", above_int32)["id"].get<int64_t>() == above_int32);
    CHECK(d.get("users", above_double)["email"] == "b@example.com");

    // A reference column holds the wide id; a filter on it finds exactly that row.
    const int64_t log = d.insert("workout_logs", {{"user_id", above_double}, {"workout_date", "2026-12-05"}});
    CHECK(d.get("workout_logs", log)["user_id"].get<int64_t>() == above_double);
    CHECK(d.count("workout_logs", {{"user_id", above_double}}) == 1);
    CHECK(d.count("workout_logs", {{"user_id", above_double - 1}}) == 0);

    // Deleting by the wide id cascades to the log.
    REQUIRE(gs_row_delete(d.db, "users", above_double) == GS_OK);
    char* out = nullptr;
    CHECK(gs_row_get(d.db, "workout_logs", log, &out) == GS_ERR_NOT_FOUND);
    CHECK(gs_row_get(d.db, "users", above_int32, &out) == GS_OK);
    gs_string_free(out);
}

TEST_CASE("32-bit targets: a plain int column refuses values outside 32 bits instead of wrapping") {
    TempDir dir;
    Db d(dir.file("wide_int.db"));
    const int64_t user = d.insert("users", {{"email", "c@example.com"}});
    const int64_t ok = d.insert("workout_logs", {{"user_id", user}, {"duration_seconds", 2147483647}});
    CHECK(d.get("workout_logs", ok)["duration_seconds"].get<int64_t>() == 2147483647);
    for (const int64_t bad : {int64_t(2147483648), above_int32, int64_t(-2147483649)}) {
        const std::string row = json{{"user_id", user}, {"duration_seconds", bad}}.dump();
        int64_t id = 0;
        CHECK(gs_row_insert(d.db, "workout_logs", row.c_str(), &id) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(d.db)).find("workout_logs.duration_seconds") != std::string::npos);
    }
    CHECK(d.count("workout_logs", json::object()) == 1);  // nothing half-written
}

TEST_CASE("32-bit targets: dates and timestamps after 2038 round-trip") {
    TempDir dir;
    Db d(dir.file("wide_dates.db"));
    const int64_t user = d.insert("users", {{"email", "d@example.com"}, {"created_at", "2038-01-19T03:14:08Z"}});
    // 2038-01-19T03:14:08Z is 2^31 seconds after 1970; 2106-02-07T06:28:16Z is 2^32.
    CHECK(d.get("users", user)["created_at"] == "2038-01-19T03:14:08.000Z");
    REQUIRE(gs_row_update(d.db, "users", user, R"({"updated_at":"2106-02-07T07:28:16.5+01:00"})") == GS_OK);
    CHECK(d.get("users", user)["updated_at"] == "2106-02-07T06:28:16.500Z");
    for (const char* date : {"2038-01-20", "2106-02-08", "2400-02-29", "9999-12-31"}) {
        CAPTURE(date);
        const int64_t log = d.insert("workout_logs", {{"user_id", user}, {"workout_date", date}});
        CHECK(d.get("workout_logs", log)["workout_date"] == date);
    }
    CHECK(d.count("workout_logs", {{"workout_date", "2106-02-08"}}) == 1);

    // The training day computed for a date after 2038 is that date.
    char* out = nullptr;
    REQUIRE(gs_day_state_get(d.db, user, "2040-02-29", &out) == GS_OK);
    const json day = json::parse(out);
    gs_string_free(out);
    CHECK(day.dump().find("2040-02-29") != std::string::npos);
}

TEST_CASE("32-bit targets: integers above 2^31 inside JSON values keep every digit") {
    TempDir dir;
    Db d(dir.file("wide_json.db"));
    const int64_t user = d.insert("users", {{"email", "e@example.com"}});
    const json prefs = {{"above_int32", above_int32},
                        {"above_double", above_double},
                        {"int64_max", INT64_MAX},
                        {"int64_min", INT64_MIN},
                        {"bytes", int64_t(5'000'000'000)}};
    d.insert("user_profiles", {{"user_id", user}, {"discipline_preferences", prefs}});
    const json back = d.get("user_profiles", user)["discipline_preferences"];
    CHECK(back["above_int32"].get<int64_t>() == above_int32);
    CHECK(back["above_double"].get<int64_t>() == above_double);
    CHECK(back["int64_max"].get<int64_t>() == INT64_MAX);
    CHECK(back["int64_min"].get<int64_t>() == INT64_MIN);
    CHECK(back["bytes"].get<int64_t>() == 5'000'000'000);
}
