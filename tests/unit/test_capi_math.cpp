// The math and training-log entry points of the C ABI: results, every kind of bad input
// (GS_ERR_INVALID naming the argument), NULL pointers, out-parameters untouched on error, and no
// leaked library objects. Expected values are worked by hand from the formulas in gainsly.h.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

using json = nlohmann::json;
using doctest::Approx;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

// The status is GS_ERR_INVALID and the message (thread slot or handle) starts with "<field>:".
void expect_invalid(int32_t rc, const gs_db* db, const std::string& field) {
    CHECK(rc == GS_ERR_INVALID);
    std::string msg = gs_error_message(db);
    CHECK_MESSAGE(msg.rfind(field + ":", 0) == 0, "message: " << msg);
}

struct Open {
    gs_db* db = nullptr;
    explicit Open(const std::string& path) { REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK); }
    ~Open() { gs_db_close(db); }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;
    int64_t insert(const char* table, const json& row) {
        int64_t id = 0;
        REQUIRE_MESSAGE(gs_row_insert(db, table, row.dump().c_str(), &id) == GS_OK, gs_error_message(db));
        return id;
    }
    int64_t movement(const std::string& name) {
        char* out = nullptr;
        REQUIRE(gs_row_select(db, "movements", json{{"name", name}}.dump().c_str(), &out) == GS_OK);
        json rows = json::parse(out);
        gs_string_free(out);
        REQUIRE(rows.size() == 1);
        return rows[0]["id"];
    }
    size_t count(const char* table) {
        char* out = nullptr;
        REQUIRE(gs_row_select(db, table, nullptr, &out) == GS_OK);
        size_t n = json::parse(out).size();
        gs_string_free(out);
        return n;
    }
    json day(int64_t user, const char* date) {
        char* out = nullptr;
        REQUIRE_MESSAGE(gs_day_state_get(db, user, date, &out) == GS_OK, gs_error_message(db));
        json j = json::parse(out);
        gs_string_free(out);
        return j;
    }
};

}  // namespace

TEST_CASE("C ABI: gs_e1rm_estimate for every formula, and its bad input") {
    const int64_t live = gs_debug_live_objects();
    double out = -1;
    // hand: 100 kg x 5 reps (no RPE)
    const double expected[] = {100 * (1 + 5 / 30.0),
                               100 * 36 / 32.0,
                               100 * std::pow(5.0, 0.10),
                               100 * (1 + 0.025 * 5),
                               100 * 100 / (52.2 + 41.9 * std::exp(-0.055 * 5)),
                               100 * 100 / (48.8 + 53.8 * std::exp(-0.075 * 5)),
                               100 * 100 / (101.3 - 2.67123 * 5)};
    const int formulas[] = {GS_E1RM_EPLEY, GS_E1RM_BRZYCKI, GS_E1RM_LOMBARDI, GS_E1RM_OCONNER, GS_E1RM_MAYHEW, GS_E1RM_WATHAN, GS_E1RM_LANDER};
    for (int i = 0; i < 7; ++i) {
        CAPTURE(i);
        REQUIRE(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(formulas[i]), 100, 5, 0, &out) == GS_OK);
        CHECK(out == Approx(expected[i]));
        REQUIRE(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(formulas[i]), 100, 1, 0, &out) == GS_OK);  // a single is the load itself
        CHECK(out == 100.0);
    }
    REQUIRE(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, 8, &out) == GS_OK);  // RPE 8: 7 effective reps
    CHECK(out == Approx(100 * (1 + 7 / 30.0)));
    REQUIRE(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, -1, &out) == GS_OK);  // rpe <= 0: not given
    CHECK(out == Approx(100 * (1 + 5 / 30.0)));
    CHECK(std::string(gs_error_message(nullptr)).empty());

    auto bad = [&](int32_t rc, const std::string& field) {
        expect_invalid(rc, nullptr, field);
        CHECK(out == 0.0);  // reset, never left with a stale or partial value
        out = -1;
    };
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, -1, 5, 0, &out), "load");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, nan_v, 5, 0, &out), "load");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, inf_v, 5, 0, &out), "load");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 0, 0, &out), "reps");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 40, 0, &out), "reps");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, 11, &out), "rpe");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, 0.5, &out), "rpe");
    bad(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, nan_v, &out), "rpe");
    bad(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(7), 100, 5, 0, &out), "formula");
    bad(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(-1), 100, 5, 0, &out), "formula");
    expect_invalid(gs_e1rm_estimate(GS_E1RM_EPLEY, 100, 5, 0, nullptr), nullptr, "out_e1rm");
    CHECK(gs_debug_live_objects() == live);
}

TEST_CASE("C ABI: the RPE chart and its inverse, and their bad input") {
    const int64_t live = gs_debug_live_objects();
    double out = -1;
    REQUIRE(gs_rpe_lookup_percent(5, 10, &out) == GS_OK);
    CHECK(out == Approx(86.3));  // RTS chart: 5 reps @ 10
    REQUIRE(gs_rpe_lookup_percent(1, 10, &out) == GS_OK);
    CHECK(out == Approx(100.0));
    REQUIRE(gs_rpe_lookup_percent(5, 8, &out) == GS_OK);
    CHECK(out == Approx(81.1));  // 7 total reps
    REQUIRE(gs_rpe_lookup_percent(5, 8.25, &out) == GS_OK);
    CHECK(out == Approx((81.1 + 82.4) / 2));  // between half steps: linear
    REQUIRE(gs_e1rm_estimate_rpe(100, 5, 8, &out) == GS_OK);
    CHECK(out == Approx(100 / 0.811));
    REQUIRE(gs_load_prescribe(150, 5, 8, 2.5, &out) == GS_OK);
    CHECK(out == 122.5);  // 150 x 0.811 = 121.65 -> nearest 2.5
    REQUIRE(gs_load_prescribe(300, 3, 9, 5, &out) == GS_OK);
    CHECK(out == 270.0);  // 4 total reps: 89.2%; 300 x 0.892 = 267.6 -> nearest 5 lb

    auto bad = [&](int32_t rc, const std::string& field) {
        expect_invalid(rc, nullptr, field);
        CHECK(out == 0.0);
        out = -1;
    };
    bad(gs_rpe_lookup_percent(0, 8, &out), "reps");
    bad(gs_rpe_lookup_percent(13, 8, &out), "reps");
    bad(gs_rpe_lookup_percent(40, 8, &out), "reps");
    bad(gs_rpe_lookup_percent(5, 11, &out), "rpe");
    bad(gs_rpe_lookup_percent(5, 5.5, &out), "rpe");  // below the chart: no extrapolation
    bad(gs_rpe_lookup_percent(5, nan_v, &out), "rpe");
    bad(gs_e1rm_estimate_rpe(-1, 5, 8, &out), "load");
    bad(gs_e1rm_estimate_rpe(nan_v, 5, 8, &out), "load");
    bad(gs_e1rm_estimate_rpe(100, 0, 8, &out), "reps");
    bad(gs_e1rm_estimate_rpe(100, 5, 11, &out), "rpe");
    bad(gs_load_prescribe(-150, 5, 8, 2.5, &out), "e1rm");
    bad(gs_load_prescribe(nan_v, 5, 8, 2.5, &out), "e1rm");
    bad(gs_load_prescribe(150, 40, 8, 2.5, &out), "reps");
    bad(gs_load_prescribe(150, 5, 11, 2.5, &out), "rpe");
    bad(gs_load_prescribe(150, 5, 8, 0, &out), "increment");
    bad(gs_load_prescribe(150, 5, 8, nan_v, &out), "increment");
    expect_invalid(gs_rpe_lookup_percent(5, 8, nullptr), nullptr, "out_percent");
    expect_invalid(gs_e1rm_estimate_rpe(100, 5, 8, nullptr), nullptr, "out_e1rm");
    expect_invalid(gs_load_prescribe(150, 5, 8, 2.5, nullptr), nullptr, "out_load");
    CHECK(gs_debug_live_objects() == live);
}

TEST_CASE("C ABI: logging a workout, sets, soreness, recovery and biometrics; reading the day") {
    TempDir dir;
    const int64_t live = gs_debug_live_objects();
    {
        Open o(dir.file("log.db"));
        const int64_t user = o.insert("users", {{"email", "c@example.com"}, {"persona_aggression", 4}});
        const int64_t squat = o.movement("Barbell Back Squat");
        json workout = {{"user_id", user},
                        {"workout_date", "2026-03-02"},
                        {"duration_seconds", 3600},
                        {"sets", {{{"movement_id", squat}, {"reps", 5}, {"load_kg", 100}, {"rpe", 8}},
                                  {{"movement_id", squat}, {"reps", 5}, {"load_kg", 100}, {"rpe", 8.5}}}}};
        char* report_text = nullptr;
        REQUIRE_MESSAGE(gs_workout_log(o.db, workout.dump().c_str(), &report_text) == GS_OK, gs_error_message(o.db));
        json report = json::parse(report_text);
        gs_string_free(report_text);
        const int64_t workout_id = report["workout_log_id"];
        CHECK(report["sets"].size() == 2);
        CHECK(report["state"]["muscle_fatigue"]["quadriceps"] == Approx(8 + 8.5));  // hand: 10 x (0.8 + 0.85)
        CHECK(report["state"]["cns"]["today"]["budget"] == 95.0);
        REQUIRE(gs_workout_log(o.db, json{{"user_id", user}, {"workout_date", "2026-03-03"}}.dump().c_str(), nullptr) == GS_OK);

        // The typed hot path, with and without options.
        int64_t set_id = 0;
        double e1rm = 0;
        REQUIRE_MESSAGE(gs_set_log(o.db, user, workout_id, squat, 0, 3, 110, 9, nullptr, &set_id, &e1rm) == GS_OK, gs_error_message(o.db));
        CHECK(set_id > 0);
        CHECK(e1rm == Approx(110 * (1 + 4 / 30.0)));  // epley, 3 reps @ 9: 4 effective
        gs_set_options opts = GS_SET_OPTIONS_INIT;
        opts.velocity = 0.45;
        opts.notes = "grindy";
        REQUIRE(gs_set_log(o.db, user, workout_id, squat, 0, 3, 110, 9.5, &opts, &set_id, nullptr) == GS_OK);
        char* row = nullptr;
        REQUIRE(gs_row_get(o.db, "top_set_logs", set_id, &row) == GS_OK);
        json r = json::parse(row);
        gs_string_free(row);
        CHECK(r["set_number"] == 4);
        CHECK(r["velocity"] == 0.45);
        CHECK(r["notes"] == "grindy");
        CHECK(r["workout_log_id"] == workout_id);
        // An older caller's smaller struct: the fields past its size keep their defaults.
        gs_set_options old = GS_SET_OPTIONS_INIT;
        old.size = offsetof(gs_set_options, notes);
        old.velocity = 0.5;
        old.notes = "not read";
        REQUIRE(gs_set_log(o.db, user, workout_id, squat, 0, 1, 120, 0, &old, &set_id, nullptr) == GS_OK);
        REQUIRE(gs_row_get(o.db, "top_set_logs", set_id, &row) == GS_OK);
        r = json::parse(row);
        gs_string_free(row);
        CHECK(r["velocity"] == 0.5);
        CHECK(r["notes"].is_null());

        // Soreness, recovery signals, biometrics.
        int64_t id = 0;
        REQUIRE(gs_soreness_log(o.db, json{{"user_id", user}, {"log_date", "2026-03-03"}, {"body_part", "quadriceps"}, {"severity", 5}}.dump().c_str(),
                                &id) == GS_OK);
        CHECK(id > 0);
        REQUIRE(gs_recovery_log(o.db, json{{"user_id", user}, {"signal_date", "2026-03-03"}, {"sleep_quality_score", 90}, {"source", "manual"}}.dump().c_str(),
                                &id) == GS_OK);
        REQUIRE(gs_biometrics_log(o.db, json{{"user_id", user}, {"measurement_date", "2026-03-03"}, {"weight_kg", 81.2}}.dump().c_str(), &id) == GS_OK);
        json day = o.day(user, "2026-03-03");
        CHECK(day["readiness"]["score"] == Approx(80 * 1.1 * 0.85));  // excellent sleep, moderate soreness
        CHECK(day["readiness"]["modifiers"]["sleep"] == 1.1);
        CHECK(day["readiness"]["modifiers"]["soreness"] == 0.85);
        CHECK(day["readiness"]["hrv_score"].is_null());
        CHECK(day["muscle_fatigue"]["quadriceps"].get<double>() > 0);
        CHECK(day["muscle_fatigue"]["quadriceps"].get<double>() < o.day(user, "2026-03-02")["muscle_fatigue"]["quadriceps"].get<double>());
        CHECK(o.count("user_fatigue_state") == 2);
        CHECK(o.count("pattern_exposure") == 1);

        // Bad input: GS_ERR_INVALID naming the argument, out-parameters zeroed, nothing written.
        const size_t sets_before = o.count("top_set_logs");
        auto bad_set = [&](int32_t rc, const std::string& field) {
            expect_invalid(rc, o.db, field);
            CHECK(set_id == 0);
            CHECK(e1rm == 0.0);
            set_id = 7;
            e1rm = 7;
        };
        set_id = 7;
        e1rm = 7;
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 0, 100, 8, nullptr, &set_id, &e1rm), "reps");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 40, 100, 8, nullptr, &set_id, &e1rm), "reps");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, -100, 8, nullptr, &set_id, &e1rm), "load_kg");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, nan_v, 8, nullptr, &set_id, &e1rm), "load_kg");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, inf_v, 8, nullptr, &set_id, &e1rm), "load_kg");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, 100, 11, nullptr, &set_id, &e1rm), "rpe");
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, 100, nan_v, nullptr, &set_id, &e1rm), "rpe");
        bad_set(gs_set_log(o.db, user, workout_id, squat, -3, 5, 100, 8, nullptr, &set_id, &e1rm), "set_number");
        gs_set_options zero = GS_SET_OPTIONS_INIT;
        zero.size = 0;
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, 100, 8, &zero, &set_id, &e1rm), "opts.size");
        gs_set_options nan_velocity = GS_SET_OPTIONS_INIT;
        nan_velocity.velocity = nan_v;
        bad_set(gs_set_log(o.db, user, workout_id, squat, 0, 5, 100, 8, &nan_velocity, &set_id, &e1rm), "opts.velocity");
        CHECK(gs_set_log(o.db, user, 999999, squat, 0, 5, 100, 8, nullptr, &set_id, &e1rm) == GS_ERR_NOT_FOUND);
        CHECK(std::string(gs_error_message(o.db)).rfind("workout_log_id:", 0) == 0);
        CHECK(gs_set_log(o.db, user, workout_id, 999999, 0, 5, 100, 8, nullptr, &set_id, &e1rm) == GS_ERR_CONSTRAINT);
        CHECK(std::string(gs_error_message(o.db)).rfind("top_set_logs.movement_id:", 0) == 0);
        CHECK(gs_set_log(o.db, 999999, workout_id, squat, 0, 5, 100, 8, nullptr, &set_id, &e1rm) == GS_ERR_NOT_FOUND);
        CHECK(gs_set_log(nullptr, user, workout_id, squat, 0, 5, 100, 8, nullptr, &set_id, &e1rm) == GS_ERR_INVALID);
        CHECK(std::string(gs_error_message(nullptr)) == "db: must not be NULL");
        CHECK(o.count("top_set_logs") == sets_before);

        // A workout with one bad set is refused whole.
        const size_t workouts_before = o.count("workout_logs");
        json with_bad = {{"user_id", user}, {"workout_date", "2026-03-04"},
                         {"sets", {{{"movement_id", squat}, {"reps", 5}, {"load_kg", 100}}, {{"movement_id", 999999}, {"reps", 5}}}}};
        report_text = reinterpret_cast<char*>(1);
        CHECK(gs_workout_log(o.db, with_bad.dump().c_str(), &report_text) == GS_ERR_CONSTRAINT);
        CHECK(report_text == nullptr);
        CHECK(std::string(gs_error_message(o.db)).find("top_set_logs.movement_id") != std::string::npos);
        CHECK(o.count("workout_logs") == workouts_before);
        CHECK(o.count("top_set_logs") == sets_before);
        with_bad["sets"][1] = {{"movement_id", squat}, {"reps", 5}, {"rpe", 11}};
        expect_invalid(gs_workout_log(o.db, with_bad.dump().c_str(), nullptr), o.db, "sets[1].rpe");
        with_bad["sets"][1] = {{"movement_id", squat}, {"reps", 40}};
        expect_invalid(gs_workout_log(o.db, with_bad.dump().c_str(), nullptr), o.db, "sets[1].reps");
        with_bad["sets"][1] = {{"movement_id", squat}, {"reps", 5}, {"load_kg", -1}};
        expect_invalid(gs_workout_log(o.db, with_bad.dump().c_str(), nullptr), o.db, "sets[1].load_kg");
        expect_invalid(gs_workout_log(o.db, nullptr, nullptr), o.db, "workout_json");
        expect_invalid(gs_workout_log(o.db, "{not json", nullptr), o.db, "workout_json");
        expect_invalid(gs_workout_log(o.db, "[]", nullptr), o.db, "workout");
        CHECK(o.count("workout_logs") == workouts_before);

        id = 5;
        expect_invalid(gs_soreness_log(o.db, json{{"user_id", user}, {"log_date", "2026-03-03"}, {"severity", 11}}.dump().c_str(), &id),
                       o.db, "soreness_logs.severity");
        CHECK(id == 0);
        expect_invalid(gs_soreness_log(o.db, nullptr, &id), o.db, "soreness_json");
        expect_invalid(gs_recovery_log(o.db, json{{"user_id", user}, {"signal_date", "2026-03-03"}, {"sleep_quality_score", 101}}.dump().c_str(), &id),
                       o.db, "recovery_signals.sleep_quality_score");
        expect_invalid(gs_recovery_log(o.db, json{{"user_id", user}, {"signal_date", "2026-03-03"}, {"resting_heart_rate", -60}}.dump().c_str(), &id),
                       o.db, "recovery_signals.resting_heart_rate");
        expect_invalid(gs_recovery_log(o.db, nullptr, &id), o.db, "signals_json");
        expect_invalid(gs_biometrics_log(o.db, json{{"user_id", user}, {"measurement_date", "2026-03-03"}, {"weight_kg", -80}}.dump().c_str(), &id),
                       o.db, "user_biometrics_history.weight_kg");
        expect_invalid(gs_biometrics_log(o.db, nullptr, &id), o.db, "biometrics_json");
        CHECK(day == o.day(user, "2026-03-03"));  // nothing changed the day

        char* out = reinterpret_cast<char*>(1);
        expect_invalid(gs_day_state_get(o.db, user, nullptr, &out), o.db, "date");
        CHECK(out == nullptr);
        expect_invalid(gs_day_state_get(o.db, user, "2026-02-30", &out), o.db, "date");
        expect_invalid(gs_day_state_get(o.db, user, "2026-03-03", nullptr), o.db, "out_json");
        CHECK(gs_day_state_get(o.db, 999999, "2026-03-03", &out) == GS_ERR_NOT_FOUND);
        CHECK(out == nullptr);
        CHECK(gs_day_state_get(nullptr, user, "2026-03-03", &out) == GS_ERR_INVALID);
    }
    CHECK(gs_debug_live_objects() == live);
}
