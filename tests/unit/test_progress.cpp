// The progress layer (src/progress) on constructed histories in real SQLite files: every expected
// number is worked out by hand from the history the test writes (comments say how).
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <chrono>
#include <string>

#include "catalog/catalog.hpp"
#include "math/trend.hpp"
#include "model/error.hpp"
#include "model/time.hpp"
#include "progress/progress.hpp"
#include "store/database.hpp"
#include "test_util.hpp"

using gainsly::store::Database;
using gainsly::store::json;
namespace progress = gainsly::progress;
using gainsly::model::Date;
using gainsly::model::format_date;
using doctest::Approx;
using std::chrono::days;

namespace {

Date on(const std::string& s) { return *gainsly::model::parse_date(s); }

struct History {
    TempDir dir;
    Database db{dir.file("progress.db")};
    int64_t user = 0;
    History() {
        gainsly::catalog::install(db);
        user = db.insert("users", {{"email", "lifter@example.com"}, {"persona_tone", "analytical"}});
    }
    int64_t movement(const std::string& name) { return db.select("movements", {{"name", name}})[0]["id"].get<int64_t>(); }
    // One workout with `n` sets; reps 1 at RPE 10 makes e1RM = load for every formula.
    int64_t workout(Date d, int64_t movement, double load, int n = 1, std::optional<int> effort = {}, std::optional<int> seconds = {},
                    std::optional<int64_t> session = {}) {
        json w = {{"user_id", user}, {"workout_date", format_date(d)}};
        if (effort) w["perceived_effort"] = *effort;
        if (seconds) w["duration_seconds"] = *seconds;
        if (session) w["session_id"] = *session;
        int64_t id = db.insert("workout_logs", w);
        for (int i = 1; i <= n; ++i)
            db.insert("top_set_logs", {{"user_id", user}, {"workout_log_id", id}, {"movement_id", movement}, {"set_number", i},
                                       {"reps", 1}, {"load_kg", load}, {"rpe", 10}});
        return id;
    }
    void weight(Date d, double kg) { db.insert("user_biometrics_history", {{"user_id", user}, {"measurement_date", format_date(d)}, {"weight_kg", kg}}); }
    int64_t program(Date start, const std::string& goal) {
        return db.insert("programs", {{"user_id", user}, {"start_date", format_date(start)}, {"duration_weeks", 12},
                                      {"goal_1", goal}, {"goal_weight_1", 10}});
    }
    int64_t count(const std::string& table) { return int64_t(db.select(table, json::object()).size()); }
};

const json* find_by(const json& list, const std::string& key, const json& value) {
    for (const auto& x : list)
        if (x[key] == value) return &x;
    return nullptr;
}

}  // namespace

TEST_CASE("Theil-Sen: the median pairwise slope, empty without two distinct x, time to a target") {
    namespace math = gainsly::math;
    // Pairwise slopes of (0,0) (1,1) (2,4) (3,3): 1, 2, 1, 3, 1, -1 -> median of the even count (1 + 1) / 2.
    std::vector<math::TrendPoint> pts = {{0, 0}, {1, 1}, {2, 4}, {3, 3}};
    auto t = math::theil_sen(pts);
    REQUIRE(t);
    CHECK(t->slope == Approx(1.0));
    CHECK(t->intercept == Approx(0.0));  // median of y - x: 0, 0, 2, 0
    std::vector<math::TrendPoint> vertical = {{1, 0}, {1, 5}};
    CHECK_FALSE(math::theil_sen(vertical));
    CHECK(math::time_to_target(80, -0.5, 75) == Approx(10.0));
    CHECK_FALSE(math::time_to_target(80, 0.5, 75));
    CHECK_FALSE(math::time_to_target(80, 0.0, 75));
    CHECK(math::time_to_target(75, 0.0, 75) == Approx(0.0));
}

TEST_CASE("progress: the e1RM trend of a movement is its Theil-Sen slope per week, robust to one bad day") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    // 9 weekly sessions rising 2.5 kg/week from 100; week 4 is a bad day at 60 (an outlier a
    // least-squares fit would follow, the median of pairwise slopes does not).
    const Date start = on("2026-01-05");  // a Monday
    for (int w = 0; w < 9; ++w) h.workout(start + days{7 * w}, squat, w == 4 ? 60.0 : 100.0 + 2.5 * w);
    json doc = progress::progress(h.db, h.user, start, start + days{62});
    const json* m = find_by(doc["movements"], "movement_id", squat);
    REQUIRE(m);
    CHECK((*m)["slope_per_week"].get<double>() == Approx(2.5));
    CHECK((*m)["latest"].get<double>() == Approx(120.0));
    CHECK((*m)["best"].get<double>() == Approx(120.0));
    CHECK((*m)["change_4w"].get<double>() == Approx(120.0 - 60.0));  // week 8 against week 4
    CHECK((*m)["change_12w"].is_null());                                // nothing 12 weeks before
    CHECK((*m)["history"].size() == 9);
    // The pattern index: mean of the last two weeks' bests (117.5, 120); trend on halves: flat.
    const json* p = find_by(doc["patterns"], "pattern", "squat");
    REQUIRE(p);
    CHECK((*p)["index"].get<double>() == Approx(118.75));
    CHECK((*p)["slope_per_week"].get<double>() == Approx(2.5));
    // Weekly volume: one squat set a week counts 1 for quads (primary), window of the default goal.
    const json& w0 = doc["volume"]["weeks"][0]["groups"]["quads"];
    CHECK(w0["sets"].get<double>() == Approx(1.0));
    CHECK(w0["tonnage"].get<double>() == Approx(100.0));
    CHECK(doc["volume"]["window_goal"] == "hypertrophy");
    CHECK(w0["status"] == "below");
}

TEST_CASE("progress: a load spike after four steady weeks puts the ACWR in the high zone") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    // Days 0..34: RPE 5 x 60 min = 300; days 35..41: RPE 10 x 60 min = 600. Coupled ACWR on day 41:
    // acute 600 / chronic (21 x 300 + 7 x 600) / 28 = 375 -> 1.6, high (>= 1.5). On day 34: 1.0,
    // normal. Before 28 days of training (day 26) the ratio is insufficient_data, not a spike.
    const Date first = on("2026-02-02");
    for (int i = 0; i < 42; ++i) h.workout(first + days{i}, squat, 100, 1, i < 35 ? 5 : 10, 3600);
    json doc = progress::progress(h.db, h.user, first, first + days{41});
    const json& d = doc["load"]["days"];
    REQUIRE(d.size() == 42);
    CHECK(d[41]["load"].get<double>() == Approx(600));
    CHECK(d[41]["acwr"].get<double>() == Approx(1.6));
    CHECK(d[41]["acwr_band"] == "high");
    CHECK(d[34]["acwr"].get<double>() == Approx(1.0));
    CHECK(d[34]["acwr_band"] == "normal");
    CHECK(d[26]["acwr_band"] == "insufficient_data");
    CHECK(d[26]["acwr"].is_null());
    CHECK(d[27]["acwr_band"] == "normal");
    // Monotony of a constant week is the cap; strain = weekly total x monotony.
    CHECK(d[41]["monotony"].get<double>() == Approx(10.0));
    CHECK(d[41]["strain"].get<double>() == Approx(42000.0));
    CHECK(d[41]["fatigue"].get<double>() > d[34]["fatigue"].get<double>());
}

TEST_CASE("goals: weight falling 0.5 kg/week from 80 toward 75 projects 10 weeks out") {
    History h;
    const Date today = on("2026-06-10");
    // Daily weights on a line: w(today - k) = 80 + (k - 3) x 0.5 / 7. The 7-day mean up to today is
    // the value 3 days back, 80.0; the slope is -0.5 kg/week; (75 - 80) / -0.5 = 10 weeks = 70 days.
    for (int k = 0; k < 56; ++k) h.weight(today - days{k}, 80.0 + (k - 3) * 0.5 / 7.0);
    int64_t program = h.program(on("2026-05-01"), "fat_loss");
    int64_t goal = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "fat_loss"}, {"target_value", 75}, {"unit", "kg"}});
    json r = progress::checkin(h.db, h.user, today);
    REQUIRE(r["goals"].size() == 1);
    const json& g = r["goals"][0];
    CHECK(g["metric"] == "weight_kg");
    CHECK(g["current"].get<double>() == Approx(80.0));
    CHECK(g["trend_per_week"].get<double>() == Approx(-0.5));
    CHECK(g["status"] == "on_track");
    CHECK(g["projected_date"] == format_date(today + days{70}));
    CHECK(g["achieved"] == false);
    json row = h.db.get("program_goals", goal);
    CHECK(row["current_value"].get<double>() == Approx(80.0));
    CHECK(row["achieved"] == false);
    json checkin = h.db.get("goal_checkins", g["checkin_id"].get<int64_t>());
    CHECK(checkin["target_value"].get<double>() == Approx(75.0));
    CHECK(checkin["program_id"] == program);
    CHECK(json::parse(checkin["notes"].get<std::string>())["projected_date"] == format_date(today + days{70}));
}

TEST_CASE("goals: a flat or adverse trend is 'not at this rate'") {
    History h;
    const Date today = on("2026-06-10");
    int64_t program = h.program(on("2026-05-01"), "fat_loss");
    h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "fat_loss"}, {"target_value", 75}, {"unit", "kg"}});
    SUBCASE("flat") {
        for (int k = 0; k < 28; ++k) h.weight(today - days{k}, 80.0);
    }
    SUBCASE("rising") {
        for (int k = 0; k < 28; ++k) h.weight(today - days{k}, 80.0 - k * 0.05);
    }
    json g = progress::goals(h.db, h.user, today)[0];
    CHECK(g["status"] == "not_at_this_rate");
    CHECK(g["projected_date"].is_null());
    CHECK(g["achieved"] == false);
}

TEST_CASE("goals: a strength target reached sets achieved and achieved_at once; check-ins do not duplicate within a week") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    int64_t program = h.program(on("2026-03-02"), "strength");
    int64_t goal = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "strength"}, {"target_value", 140},
                                                 {"unit", "kg:Barbell Back Squat"}});
    int64_t unmeasured = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "strength"}, {"target_value", 100}, {"unit", "kg"}});
    for (int w = 0; w < 4; ++w) h.workout(on("2026-03-02") + days{7 * w}, squat, 130 + 2.5 * w);  // 130 .. 137.5
    // Week 4 (Monday 2026-03-23): best of 4 weeks 137.5, below 140; trend 2.5/week -> 1 week out.
    json first = progress::checkin(h.db, h.user, on("2026-03-25"));
    const json* g = find_by(first["goals"], "program_goal_id", goal);
    REQUIRE(g);
    CHECK((*g)["current"].get<double>() == Approx(137.5));
    CHECK((*g)["status"] == "on_track");
    CHECK((*g)["projected_date"] == "2026-04-01");
    CHECK((*g)["created"] == true);
    const json* u = find_by(first["goals"], "program_goal_id", unmeasured);
    REQUIRE(u);
    CHECK((*u)["status"] == "unmeasured");
    CHECK((*u)["reason"].get<std::string>().find("unit:") == 0);
    const int64_t checkins = h.count("goal_checkins");
    CHECK(checkins == 2);
    // The same week again, after a heavier single: the row is updated, not added; achieved is set.
    h.workout(on("2026-03-27"), squat, 142.5);
    json second = progress::checkin(h.db, h.user, on("2026-03-28"));
    CHECK(h.count("goal_checkins") == checkins);
    g = find_by(second["goals"], "program_goal_id", goal);
    CHECK((*g)["created"] == false);
    CHECK((*g)["checkin_id"] == find_by(first["goals"], "program_goal_id", goal)->at("checkin_id"));
    CHECK((*g)["status"] == "achieved");
    json row = h.db.get("program_goals", goal);
    CHECK(row["achieved"] == true);
    CHECK(row["achieved_at"] == "2026-03-28");
    CHECK(row["current_value"].get<double>() == Approx(142.5));
    CHECK(h.db.get("goal_checkins", (*g)["checkin_id"].get<int64_t>())["current_value"].get<double>() == Approx(142.5));
    // Next week: a new row per goal; achieved_at keeps the first date.
    progress::checkin(h.db, h.user, on("2026-03-31"));
    CHECK(h.count("goal_checkins") == checkins + 2);
    CHECK(h.db.get("program_goals", goal)["achieved_at"] == "2026-03-28");
}

TEST_CASE("goals: consistency counts sessions done against the plan; endurance counts activity minutes") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    h.db.insert("user_profiles", {{"user_id", h.user}, {"long_term_goal_category", "habit_consistency"}});
    const Date monday = on("2026-05-04");
    int64_t program = h.program(on("2026-04-27"), "endurance");
    h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "endurance"}, {"target_value", 150}, {"unit", "min/week"}});
    int64_t lost = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "strength"}, {"target_value", 100},
                                                 {"unit", "kg:No Such Lift"}});
    // Four sessions planned this week, two done; one 45-minute completed run in each of them.
    int64_t run = h.db.select("activity_definitions", json::object())[0]["id"].get<int64_t>();
    for (int d = 0; d < 4; ++d) {
        int64_t s = h.db.insert("sessions", {{"user_id", h.user}, {"program_id", program}, {"date", format_date(monday + days{d})}});
        if (d >= 2) continue;
        h.workout(monday + days{d}, squat, 100, 1, {}, {}, s);
        h.db.insert("activity_instances", {{"session_id", s}, {"activity_definition_id", run}, {"completed", true},
                                           {"actual_duration_seconds", 2700}, {"actual_intensity", 6}});
    }
    // A session without a program (where gs_activity_log puts a ride) is not a planned session.
    h.db.insert("sessions", {{"user_id", h.user}, {"date", format_date(monday + days{5})}, {"session_type", "cardio"}});
    json goals = progress::goals(h.db, h.user, monday + days{6});
    const json* endurance = find_by(goals, "goal", "endurance");
    REQUIRE(endurance);
    CHECK((*endurance)["metric"] == "activity_minutes");
    CHECK((*endurance)["current"].get<double>() == Approx(90.0));
    CHECK((*endurance)["target"].get<double>() == Approx(150.0));
    const json* habit = find_by(goals, "key", "long_term");
    REQUIRE(habit);
    CHECK((*habit)["metric"] == "sessions");
    CHECK((*habit)["current"].get<double>() == Approx(2.0));
    CHECK((*habit)["target"].get<double>() == Approx(4.0));  // the week's planned sessions
    const json* unknown = find_by(goals, "program_goal_id", lost);
    REQUIRE(unknown);
    CHECK((*unknown)["status"] == "unmeasured");
    CHECK((*unknown)["reason"].get<std::string>().find("No Such Lift") != std::string::npos);
    // A bad option fails the whole check-in, which writes nothing.
    CHECK_THROWS_AS(progress::checkin(h.db, h.user, monday, {{"long_term_movement", "No Such Lift"}}), gainsly::Error);
    CHECK(h.count("goal_checkins") == 0);
    CHECK(h.db.get("program_goals", lost)["current_value"].is_null());
}

TEST_CASE("goals: a generated program's goals get targets from the e1RM trend, the biometrics, the long-term goal and the plan") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat"), bench = h.movement("Barbell Bench Press");
    h.db.insert("user_profiles", {{"user_id", h.user}, {"long_term_goal_category", "body_composition"}});
    for (int w = 0; w < 4; ++w) h.workout(on("2026-03-02") + days{7 * w}, squat, 130 + 2.5 * w);  // 130 .. 137.5, +2.5/week
    for (int d = 0; d < 7; ++d) h.weight(on("2026-03-22") + days{d}, 80.0);
    progress::checkin(h.db, h.user, on("2026-03-28"), {{"long_term_target", 79.5}});
    // What the planner writes: a 3-week program, two sessions a week (squat in both, bench in one), goal types only.
    const Date start = on("2026-03-30");
    int64_t program = h.db.insert("programs", {{"user_id", h.user}, {"start_date", format_date(start)}, {"duration_weeks", 3}});
    for (int i = 0; i < 6; ++i) {
        int64_t s = h.db.insert("sessions", {{"user_id", h.user}, {"program_id", program}, {"date", format_date(start + days{7 * (i / 2) + 2 * (i % 2)})}});
        h.db.insert("session_exercises", {{"session_id", s}, {"movement_id", squat}, {"session_section", "main"}, {"order_in_session", 1}, {"target_sets", 3}});
        if (i % 2) h.db.insert("session_exercises", {{"session_id", s}, {"movement_id", bench}, {"session_section", "main"}, {"order_in_session", 2}, {"target_sets", 3}});
    }
    int64_t strength = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "strength"}});
    int64_t fat = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "fat_loss"}});
    int64_t mobility = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "mobility"}});
    int64_t lean = h.db.insert("program_goals", {{"program_id", program}, {"goal_type", "hypertrophy"}});
    json out = progress::set_program_goal_targets(h.db, program);
    CHECK(out.size() == 4);
    // Strength: the main lift is the squat (6 main slots against 3); current 137.5 (best of 4 weeks
    // before the start), trend 2.5/week = 1.8 %/week, bounded to 1.5 %: 137.5 x 1.045 = 143.69 -> 143.5.
    json s = h.db.get("program_goals", strength);
    CHECK(s["unit"] == "kg:" + h.db.get("movements", squat)["uid"].get<std::string>());
    CHECK(s["current_value"].get<double>() == Approx(137.5));
    CHECK(s["target_value"].get<double>() == Approx(143.5));
    // Fat loss: 80 kg less 0.5 %/week for 3 weeks is 78.8, but the long-term target 79.5 is the floor.
    json f = h.db.get("program_goals", fat);
    CHECK(f["current_value"].get<double>() == Approx(80.0));
    CHECK(f["target_value"].get<double>() == Approx(79.5));
    // Consistency: 6 planned sessions over 3 weeks; one workout in the 7 days before the start.
    json m = h.db.get("program_goals", mobility);
    CHECK(m["target_value"].get<double>() == Approx(2.0));
    CHECK(m["current_value"].get<double>() == Approx(1.0));
    CHECK(m["unit"] == "sessions/week");
    // No lean-mass measurement: no current, no target.
    json l = h.db.get("program_goals", lean);
    CHECK(l["target_value"].is_null());
    CHECK(l["current_value"].is_null());
    // The check-in measures the goals as set: the squat goal is on track, not unmeasured.
    const json listed = progress::goals(h.db, h.user, start);
    const json* g = find_by(listed, "program_goal_id", strength);
    REQUIRE(g);
    CHECK((*g)["metric"] == "e1rm");
    CHECK((*g)["target"].get<double>() == Approx(143.5));
    // A second call leaves goals that have targets alone; an unknown program is refused.
    CHECK(progress::set_program_goal_targets(h.db, program).size() == 1);  // only the one still without a target
    CHECK_THROWS_AS(progress::set_program_goal_targets(h.db, 9999), gainsly::Error);
}

TEST_CASE("goals: the long-term goal keeps the target set at a check-in") {
    History h;
    h.db.insert("user_profiles", {{"user_id", h.user}, {"long_term_goal_category", "body_composition"}});
    const Date today = on("2026-06-10");
    for (int k = 0; k < 56; ++k) h.weight(today - days{k}, 80.0 + (k - 3) * 0.5 / 7.0);
    json g = progress::goals(h.db, h.user, today)[0];
    CHECK(g["status"] == "no_target");
    progress::checkin(h.db, h.user, today, {{"long_term_target", 78}});
    g = progress::goals(h.db, h.user, today + days{7})[0];
    CHECK(g["target"].get<double>() == Approx(78.0));
    CHECK(g["direction"] == "lower");
}

TEST_CASE("summary: planned vs done, volume against the window, goals, and the text in the user's tone") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    const Date monday = on("2026-04-06");
    int64_t program = h.program(monday, "strength");
    int64_t s1 = h.db.insert("sessions", {{"user_id", h.user}, {"program_id", program}, {"date", format_date(monday)}});
    h.db.insert("sessions", {{"user_id", h.user}, {"program_id", program}, {"date", format_date(monday + days{2})}});
    h.db.insert("sessions", {{"user_id", h.user}, {"program_id", program}, {"date", format_date(monday + days{4})}});
    h.workout(monday, squat, 100, 5, 8, 3600, s1);
    h.workout(monday + days{5}, squat, 100, 4);  // Saturday, no session
    json s = progress::weekly_summary(h.db, h.user, monday + days{3});
    CHECK(s["week_start"] == "2026-04-06");
    CHECK(s["week_end"] == "2026-04-12");
    CHECK(s["sessions"] == json({{"planned", 3}, {"done", 1}, {"unplanned", 1}}));
    CHECK(s["volume"]["window_goal"] == "strength");
    CHECK(s["volume"]["groups"]["quads"]["sets"].get<double>() == Approx(9.0));
    CHECK(s["readiness"]["days"].size() == 7);
    CHECK(s["persona_tone"] == "analytical");
    const std::string text = s["text"];
    CHECK(text.find("Weekly summary, week of 2026-04-06.") != std::string::npos);
    CHECK(text.find("Adherence: 1/3 sessions. +1 unplanned.") != std::string::npos);
    h.db.update("users", h.user, {{"persona_tone", "drill_sergeant"}});
    CHECK(progress::weekly_summary(h.db, h.user, monday)["text"].get<std::string>().find("Sessions: 1 of 3 done.") != std::string::npos);
}

TEST_CASE("summary: the week's PRs come from personal_records; warm-up sets count for no trend or volume") {
    History h;
    const int64_t squat = h.movement("Barbell Back Squat");
    const Date monday = on("2026-04-06");
    int64_t w = h.workout(monday, squat, 100);
    // A warm-up at 150 x 1 would be the best e1RM and a quads set if it counted.
    int64_t warm = h.db.insert("top_set_logs", {{"user_id", h.user}, {"workout_log_id", w}, {"movement_id", squat}, {"set_number", 9},
                                                {"reps", 1}, {"load_kg", 150}, {"rpe", 10}, {"set_type", "warmup"}});
    CHECK(warm > 0);
    auto pr = [&](const std::string& date, double value) {
        return h.db.insert("personal_records", {{"user_id", h.user}, {"movement_id", squat}, {"workout_log_id", w}, {"record_type", "e1rm"},
                                                {"value", value}, {"previous_value", 95}, {"achieved_date", date}});
    };
    pr("2026-03-30", 97.5);  // the week before: not listed
    int64_t in_week = pr("2026-04-06", 100);
    json s = progress::weekly_summary(h.db, h.user, monday);
    REQUIRE(s["prs"].size() == 1);
    CHECK(s["prs"][0]["id"] == in_week);
    CHECK(s["prs"][0]["movement"] == "Barbell Back Squat");
    CHECK(s["prs"][0]["record_type"] == "e1rm");
    CHECK(s["prs"][0]["value"].get<double>() == Approx(100.0));
    CHECK(s["text"].get<std::string>().find("Personal records: 1 (Barbell Back Squat e1rm 100).") != std::string::npos);
    CHECK(s["volume"]["groups"]["quads"]["sets"].get<double>() == Approx(1.0));
    json doc = progress::progress(h.db, h.user, monday, monday + days{6});
    CHECK(doc["movements"][0]["best"].get<double>() == Approx(100.0));
}

TEST_CASE("progress C ABI: bad input is named with a status, out-parameters stay NULL") {
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("p.db").c_str(), &db) == GS_OK);
    int64_t user = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"p@example.com"})", &user) == GS_OK);
    char* out = reinterpret_cast<char*>(1);
    CHECK(gs_progress_get(db, 9999, nullptr, nullptr, &out) == GS_ERR_NOT_FOUND);
    CHECK(out == nullptr);
    CHECK(std::string(gs_error_message(db)).find("user_id:") == 0);
    CHECK(gs_progress_get(db, user, "2026-02-30", nullptr, &out) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("from: '2026-02-30'") == 0);
    CHECK(gs_progress_get(db, user, "2026-03-01", "2026-02-01", &out) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("from:") == 0);
    CHECK(gs_progress_get(db, user, "2000-01-01", "2026-02-01", &out) == GS_ERR_INVALID);
    CHECK(gs_summary_get(db, user, "yesterday", &out) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("date:") == 0);
    CHECK(gs_goal_checkin(db, 9999, "2026-03-02", nullptr, &out) == GS_ERR_NOT_FOUND);
    CHECK(gs_goal_checkin(db, user, "2026-03-02", "[1]", &out) == GS_ERR_INVALID);
    CHECK(gs_goal_checkin(db, user, "2026-03-02", R"({"long_term_target":"x"})", &out) == GS_ERR_INVALID);
    CHECK(gs_goal_list(db, user, "2026-13-01", &out) == GS_ERR_INVALID);
    CHECK(gs_progress_get(db, user, nullptr, nullptr, nullptr) == GS_ERR_INVALID);
    CHECK(out == nullptr);
    REQUIRE(gs_progress_get(db, user, "2026-03-01", "2026-03-07", &out) == GS_OK);
    json doc = json::parse(out);
    gs_string_free(out);
    CHECK(doc["load"]["days"].size() == 7);
    CHECK(doc["movements"].empty());
    REQUIRE(gs_summary_get(db, user, "2026-03-04", &out) == GS_OK);
    CHECK(json::parse(out)["week_start"] == "2026-03-02");
    gs_string_free(out);
    gs_db_close(db);
}
