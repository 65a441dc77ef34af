// Property tests: many random users and requests (rules, injuries, skills, equipment, activities,
// days, goals, styles). Every plan returned passes the independent checker and its own report;
// every infeasible request is reported with an explanation and writes nothing.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "checker.hpp"
#include "fixture.hpp"
#include "model/error.hpp"
#include "plan/plan.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace plan_test;

namespace {

const std::vector<std::string> goals = {"strength", "hypertrophy", "endurance", "fat_loss", "mobility", "explosiveness", "speed"};
const std::vector<std::string> splits = {"upper_lower", "ppl", "full_body", "hybrid"};
const std::vector<std::string> styles = {"single_progression", "double_progression", "paused_variations", "build_to_drop", "wave_loading"};
const std::vector<std::string> levels = {"beginner", "intermediate", "advanced", "expert"};
const std::vector<std::string> tones = {"drill_sergeant", "supportive", "analytical", "motivational", "minimalist"};
const std::vector<std::string> parts = {"knee", "shoulder_joint", "elbow", "wrist", "hip", "ankle", "lumbar_spine", "cervical_spine",
                                        "quadriceps", "hamstrings", "chest", "lats", "biceps", "lower_back", "calves"};
const std::vector<std::string> activities = {"tennis", "bouldering", "cycling", "swimming", "hiking", "basketball", "football",
                                             "yoga", "martial_arts", "dance", "other"};
const std::vector<std::string> equipment = {"barbell", "dumbbell", "kettlebell", "cable", "machine", "bench", "pull_up_bar",
                                            "resistance_band", "trap_bar", "dip_station", "rings", "plyo_box", "jump_rope", "sled"};

struct Outcome {
    int planned = 0, infeasible = 0;
};

Outcome run_cases(Database& db, uint64_t seed, int n) {
    Gen g{seed};
    std::vector<int64_t> movements;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT id FROM movements ORDER BY id");
        while (q.executeStep()) movements.push_back(q.getColumn(0).getInt64());
    }
    std::vector<int64_t> disciplines;
    {
        gainsly::sqlite::Statement q(db.sql(), "SELECT id FROM disciplines ORDER BY id");
        while (q.executeStep()) disciplines.push_back(q.getColumn(0).getInt64());
    }
    Outcome out;
    for (int i = 0; i < n; ++i) {
        int64_t user = add_user(db, "p" + std::to_string(seed) + "_" + std::to_string(i) + "@example.com", g.pick(levels), g.in(1, 5), g.pick(tones));
        std::vector<std::string> story;
        for (int k = g.in(0, 3); k > 0; --k) db.insert("user_movement_rules", {{"user_id", user}, {"movement_id", g.pick(movements)}, {"rule_type", "hard_no"}});
        for (int k = g.chance(60) ? g.in(1, 2) : 0; k > 0; --k)
            db.insert("user_movement_rules", {{"user_id", user}, {"movement_id", g.pick(movements)}, {"rule_type", "hard_yes"}});
        for (int k = g.chance(40) ? 1 : 0; k > 0; --k)
            db.insert("user_movement_rules", {{"user_id", user}, {"movement_id", g.pick(movements)}, {"rule_type", "preferred"}});
        for (int k = g.in(0, 2); k > 0; --k)
            db.insert("user_injuries", {{"user_id", user}, {"body_part", g.pick(parts)}, {"severity", g.in(1, 10) / 10.0}});
        if (g.chance(30))
            db.insert("user_skills", {{"user_id", user}, {"discipline_id", g.pick(disciplines)}, {"skill_level", g.pick(std::vector<std::string>{"beginner", "intermediate", "advanced", "expert", "elite"})}});
        for (int k = g.in(0, 2); k > 0; --k) {
            json days = json::array();
            for (int d = 1; d <= 7; ++d)
                if (g.chance(20)) days.push_back(d);
            db.insert("user_enjoyable_activities", {{"user_id", user}, {"activity", g.pick(activities)}, {"planned_weekdays", days}, {"enjoyment_score", g.in(0, 10) / 10.0}});
        }
        if (g.chance(30)) db.insert("user_enjoyable_activities", {{"user_id", user}, {"movement_id", g.pick(movements)}, {"enjoyment_score", 0.8}});

        int days = g.in(1, 6);
        json request = {{"user_id", user},
                        {"start_date", "2026-0" + std::to_string(g.in(1, 9)) + "-1" + std::to_string(g.in(0, 9))},
                        {"duration_weeks", g.in(1, 6)},
                        {"split", g.pick(splits)},
                        {"session_minutes", g.in(25, 90)},
                        {"progression_style", g.pick(styles)},
                        {"seed", g.in(0, 1000)},
                        {"time_limit_ms", 40}};
        if (g.chance(50)) {
            json wd = json::array();
            std::vector<int> all = {1, 2, 3, 4, 5, 6, 7};
            for (int k = 0; k < days; ++k) {
                int j = g.in(k, 6);
                std::swap(all[size_t(k)], all[size_t(j)]);
                wd.push_back(all[size_t(k)]);
            }
            request["weekdays"] = wd;
        } else {
            request["days_per_week"] = days;
        }
        int n_goals = g.in(1, 3), left = 10;
        json gl = json::array();
        std::vector<std::string> pool = goals;
        for (int k = 0; k < n_goals; ++k) {
            size_t j = size_t(g.in(0, int(pool.size()) - 1));
            int w = k + 1 == n_goals ? left : g.in(1, left - (n_goals - k - 1));
            gl.push_back({{"goal", pool[j]}, {"weight", w}});
            left -= w;
            pool.erase(pool.begin() + long(j));
        }
        request["goals"] = gl;
        if (g.chance(60)) {
            json eq = json::array();
            for (const auto& e : equipment)
                if (g.chance(45)) eq.push_back(e);
            request["equipment"] = eq;
        }
        CAPTURE(request.dump());
        int64_t programs = count(db, "programs"), sessions = count(db, "sessions"), rows = count(db, "session_exercises");
        try {
            json report = gainsly::plan::generate(db, request);
            ++out.planned;
            for (const auto& c : report["hard_constraints"]) {
                CAPTURE(c.dump());
                CHECK(c["ok"].get<bool>());
            }
            auto check = plan_check::check_program(db, report["program_id"].get<int64_t>());
            CHECK_MESSAGE(check.ok(), check.summary());
            int weeks = request["duration_weeks"].get<int>();
            CHECK(count(db, "sessions") - sessions == int64_t(weeks) * days);
        } catch (const Error& e) {
            CAPTURE(e.what());
            REQUIRE(e.status() == Status::infeasible);
            ++out.infeasible;
            std::string msg = e.what();
            if (getenv("PLAN_TEST_VERBOSE")) MESSAGE(msg);
            CHECK((msg.find("conflict") != std::string::npos || msg.find("leave no") != std::string::npos || msg.find("do not fit") != std::string::npos));
            CHECK(count(db, "programs") == programs);
            CHECK(count(db, "sessions") == sessions);
            CHECK(count(db, "session_exercises") == rows);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("random users and requests: every plan passes the independent checker") {
    Db db;
    Outcome total;
    for (uint64_t seed : {0x9e3779b97f4a7c15ULL, 0x1234567ULL}) {
        Outcome o = run_cases(*db, seed, 30);
        total.planned += o.planned;
        total.infeasible += o.infeasible;
    }
    MESSAGE("planned " << total.planned << ", infeasible " << total.infeasible);
    CHECK(total.planned >= 30);  // the generator of cases is not all-infeasible
}

namespace {

// The generator's report, or null when the request is infeasible (random requests may be).
json generate_or_null(Database& db, const json& request) {
    try {
        return gainsly::plan::generate(db, request);
    } catch (const Error& e) {
        REQUIRE(e.status() == Status::infeasible);
        return nullptr;
    }
}

// A re-planned program: the report's own checks and the independent checker's all hold.
void expect_valid_replan(Database& db, int64_t program, const json& report) {
    for (const auto& c : report["hard_constraints"]) {
        CAPTURE(c.dump());
        CHECK(c["ok"].get<bool>());
    }
    auto check = plan_check::check_program(db, program);
    CHECK_MESSAGE(check.ok(), check.summary());
}

// The date after `date` (YYYY-MM-DD).
std::string next_day(const std::string& date) {
    int y = 0;
    unsigned m = 0, d = 0;
    std::sscanf(date.c_str(), "%d-%u-%u", &y, &m, &d);
    std::chrono::year_month_day next{std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::days{1}};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(next.year()), unsigned(next.month()), unsigned(next.day()));
    return out;
}

}  // namespace

TEST_CASE("re-planning random programs after random logs keeps them valid") {
    Db db;
    Gen g{77};
    int replanned = 0;
    for (int i = 0; i < 6; ++i) {
        int64_t user = add_user(*db, "r" + std::to_string(i) + "@example.com", g.pick(levels), g.in(1, 5));
        if (g.chance(50)) db->insert("user_injuries", {{"user_id", user}, {"body_part", g.pick(parts)}, {"severity", g.in(1, 4) / 10.0}});
        json request = {{"user_id", user},   {"start_date", "2026-05-04"}, {"duration_weeks", 2},     {"days_per_week", g.in(2, 5)},
                        {"split", g.pick(splits)}, {"session_minutes", 60}, {"goals", {{{"goal", g.pick(goals)}, {"weight", 10}}}},
                        {"time_limit_ms", 40}};
        json report = generate_or_null(*db, request);
        if (report.is_null()) continue;
        int64_t program = report["program_id"].get<int64_t>();
        auto ids = report["microcycles"][0]["session_ids"];
        if (g.chance(70)) db->insert("workout_logs", {{"user_id", user}, {"session_id", ids[0]}, {"workout_date", "2026-05-04"}});
        db->insert("soreness_logs", {{"user_id", user}, {"log_date", "2026-05-07"}, {"body_part", g.pick(parts)}, {"severity", g.in(3, 9)}});
        if (g.chance(50)) db->insert("recovery_signals", {{"user_id", user}, {"signal_date", "2026-05-07"}, {"readiness_score", g.in(20, 90)}});
        json r = gainsly::plan::replan(*db, {{"program_id", program}, {"date", "2026-05-07"}, {"time_limit_ms", 40}});
        expect_valid_replan(*db, program, r);
        ++replanned;
    }
    CHECK(replanned >= 3);
}

TEST_CASE("re-planning after a missed day keeps every day within its limits") {
    // A missed session stays as it was; the rest of the week is re-planned. Each re-planned day must
    // still fit the session minutes, the CNS budget and the daily limits (constraints 7-9), also
    // with short sessions, many days and a re-plan on the day after the missed one. (A completed
    // session whose finisher circuit adds a row per station held more rows than a planned day may:
    // re-planning judged it by that limit and stopped with an internal error.)
    Db db;
    Gen g{4242};
    int replanned = 0;
    for (int i = 0; i < 40; ++i) {
        int64_t user = add_user(*db, "miss" + std::to_string(i) + "@example.com", g.pick(levels), g.in(1, 5));
        int days = g.in(3, 6);
        json request = {{"user_id", user}, {"start_date", "2026-05-04"}, {"duration_weeks", 2}, {"days_per_week", days},
                        {"session_minutes", g.pick(std::vector<int>{30, 45, 60, 90})}, {"goals", {{{"goal", g.pick(goals)}, {"weight", 10}}}},
                        {"search_nodes", 2000}, {"time_limit_ms", 600000}};
        json report = generate_or_null(*db, request);
        if (report.is_null()) continue;
        int64_t program = report["program_id"].get<int64_t>();
        auto ids = report["microcycles"][0]["session_ids"];
        // The first session was done, the second missed; re-plan on the day after the missed one.
        db->insert("workout_logs", {{"user_id", user}, {"session_id", ids[0]}, {"workout_date", db->get("sessions", ids[0].get<int64_t>())["date"]}});
        std::string missed = db->get("sessions", ids[1].get<int64_t>())["date"].get<std::string>();
        const std::string day_after = next_day(missed);
        if (g.chance(50)) db->insert("recovery_signals", {{"user_id", user}, {"signal_date", day_after}, {"readiness_score", g.in(10, 60)}});
        if (g.chance(50)) db->insert("soreness_logs", {{"user_id", user}, {"log_date", day_after}, {"body_part", g.pick(parts)}, {"severity", g.in(5, 9)}});
        json r = gainsly::plan::replan(*db, {{"program_id", program}, {"date", day_after}});
        CHECK(r["missed_session_ids"].size() >= 1);
        expect_valid_replan(*db, program, r);
        // Re-planned again the next day (the plan of the day before is the start).
        CAPTURE(request.dump());
        expect_valid_replan(*db, program, gainsly::plan::replan(*db, {{"program_id", program}, {"date", next_day(day_after)}}));
        ++replanned;
    }
    CHECK(replanned >= 12);
}
