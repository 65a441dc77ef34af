// The planner through its C++ and C APIs: bad requests, determinism, infeasibility explanations,
// deloads and progression, re-planning, substitution.
#include <doctest/doctest.h>

#include <set>

#include "checker.hpp"
#include "fixture.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "plan/plan.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace plan_test;

namespace {

json base_request(int64_t user) {
    return {{"user_id", user},
            {"start_date", "2026-03-02"},
            {"duration_weeks", 4},
            {"days_per_week", 3},
            {"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 4}}}},
            {"session_minutes", 60},
            {"seed", 11},
            {"time_limit_ms", 100}};
}

// Status and message of a generate() call that must fail.
// A named struct rather than a pair: clang 14 cannot capture structured bindings in doctest's lambdas.
struct Failure {
    Status status;
    std::string message;
};

template <class Call>
Failure failure_of(Call call) {
    try {
        call();
    } catch (const Error& e) {
        return {e.status(), e.what()};
    }
    return {Status::ok, ""};
}

Failure failure(Database& db, const json& request) {
    return failure_of([&] { gainsly::plan::generate(db, request); });
}

void expect_valid(Database& db, const json& report) {
    for (const auto& c : report["hard_constraints"]) {
        CAPTURE(c.dump());
        CHECK(c["ok"].get<bool>());
    }
    auto check = plan_check::check_program(db, report["program_id"].get<int64_t>());
    CHECK_MESSAGE(check.ok(), check.summary());
}

// The plan's content: per session, its date and (movement, role, sets) rows.
std::vector<std::string> content(Database& db, int64_t program) {
    std::vector<std::string> out;
    gainsly::sqlite::Statement q(db.sql(),
                        "SELECT s.date, e.movement_id, e.role, e.target_sets, e.target_rep_range_max, e.target_rpe, e.notes FROM sessions s "
                        "JOIN session_exercises e ON e.session_id = s.id WHERE s.program_id = ? ORDER BY s.date, e.order_in_session");
    q.bind(1, static_cast<int64_t>(program));
    while (q.executeStep()) {
        std::string row;
        for (int i = 0; i < 7; ++i) row += (q.getColumn(i).isNull() ? "-" : q.getColumn(i).getString()) + "|";
        out.push_back(row);
    }
    return out;
}

}  // namespace

TEST_CASE("bad requests get clear errors naming the field and write nothing") {
    Db db;
    int64_t user = add_user(*db, "bad@example.com");
    int64_t programs = count(*db, "programs");
    struct Case {
        const char* what;
        json patch;
        Status status;
        const char* field;
    };
    std::vector<Case> cases = {
        {"weights not summing to 10", {{"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 3}}}}}, Status::invalid, "sum to 10"},
        {"unknown goal", {{"goals", {{{"goal", "power"}, {"weight", 10}}}}}, Status::invalid, "goals[0].goal"},
        {"unknown split", {{"split", "bro_split"}}, Status::invalid, "split"},
        {"unknown progression style", {{"progression_style", "linear"}}, Status::invalid, "progression_style"},
        {"days_per_week 0", {{"days_per_week", 0}}, Status::invalid, "days_per_week"},
        {"days_per_week 8", {{"days_per_week", 8}}, Status::invalid, "days_per_week"},
        {"duration 0", {{"duration_weeks", 0}}, Status::invalid, "duration_weeks"},
        {"duration 17", {{"duration_weeks", 17}}, Status::invalid, "duration_weeks"},
        {"unknown user", {{"user_id", 999999}}, Status::not_found, "user_id"},
        {"invalid start date", {{"start_date", "2026-02-30"}}, Status::invalid, "start_date"},
        {"start date not a string", {{"start_date", 20260301}}, Status::invalid, "start_date"},
        {"session_minutes 0", {{"session_minutes", 0}}, Status::invalid, "session_minutes"},
        {"unknown equipment", {{"equipment", {"dumbbell", "hoverboard"}}}, Status::invalid, "equipment[1]"},
        {"weekdays disagree with days", {{"weekdays", {1, 3}}}, Status::invalid, "days_per_week"},
        {"weekday out of range", {{"days_per_week", nullptr}, {"weekdays", {1, 8}}}, Status::invalid, "weekdays[1]"},
        {"repeated weekday", {{"days_per_week", nullptr}, {"weekdays", {2, 2}}}, Status::invalid, "weekdays"},
        {"unknown field", {{"dayz", 3}}, Status::invalid, "request.dayz"},
        {"repeated goal", {{"goals", {{{"goal", "strength"}, {"weight", 5}}, {{"goal", "strength"}, {"weight", 5}}}}}, Status::invalid, "listed twice"},
        {"weight 0", {{"goals", {{{"goal", "strength"}, {"weight", 0}}, {{"goal", "hypertrophy"}, {"weight", 10}}}}}, Status::invalid, "goals[0].weight"},
        {"no goals", {{"goals", json::array()}}, Status::invalid, "goals"},
        {"search_nodes 0", {{"search_nodes", 0}}, Status::invalid, "search_nodes"},
        {"search_nodes not a number", {{"search_nodes", "many"}}, Status::invalid, "search_nodes"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        json request = base_request(user);
        request.update(c.patch);
        for (auto it = request.begin(); it != request.end();)
            it = it.value().is_null() ? request.erase(it) : std::next(it);
        const Failure f = failure(*db, request);
        CHECK(f.status == c.status);
        CHECK_MESSAGE(f.message.find(c.field) != std::string::npos, f.message);
    }
    for (const char* field : {"user_id", "start_date", "duration_weeks", "goals"}) {
        json request = base_request(user);
        request.erase(field);
        const Failure f = failure(*db, request);
        CHECK(f.status == Status::invalid);
        CHECK(f.message.find(field) != std::string::npos);
    }
    const Failure f = failure(*db, json::array());
    CHECK(f.status == Status::invalid);
    CHECK(count(*db, "programs") == programs);
    CHECK(count(*db, "sessions") == 0);
}

TEST_CASE("a plan is persisted with deloads, progression and a report, and passes the checker") {
    Db db;
    int64_t user = add_user(*db, "sam@example.com", "intermediate", 3, "analytical");
    int64_t squat = movement_id(*db, "Barbell Back Squat");
    // History: a recent top set gives the squat an e1RM, so its loads are prescribed.
    int64_t log = db->insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-02-25"}});
    db->insert("top_set_logs", {{"user_id", user}, {"workout_log_id", log}, {"movement_id", squat}, {"set_number", 1}, {"reps", 5}, {"load_kg", 100}, {"rpe", 8}});
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", squat}, {"rule_type", "hard_yes"}, {"cadence", "per_microcycle"}});
    json request = base_request(user);
    request["duration_weeks"] = 8;
    request["days_per_week"] = 4;
    request["progression_style"] = "single_progression";
    json report = gainsly::plan::generate(*db, request);
    expect_valid(*db, report);
    int64_t program = report["program_id"].get<int64_t>();
    CHECK(report["hard_constraints"].size() == 12);
    CHECK(report["objective"]["value"].is_number());
    CHECK(report["weekdays"].size() == 4);

    auto micro = db->select("microcycles", {{"program_id", program}});
    REQUIRE(micro.size() == 8);
    for (const auto& m : micro) {
        bool deload = m["week_number"] == 4 || m["week_number"] == 8;
        CAPTURE(m.dump());
        CHECK(m["deload_week"].get<bool>() == deload);
        CHECK(m["intensity_percent"].get<double>() == doctest::Approx(deload ? 60.0 : 100.0));
        CHECK(m["volume_percent"].get<double>() == doctest::Approx(deload ? 50.0 : 100.0));
    }
    CHECK(db->select("program_goals", {{"program_id", program}}).size() == 2);
    auto prog = db->get("programs", program);
    CHECK(prog["goal_1"] == "strength");
    CHECK(prog["goal_weight_1"] == 6);
    CHECK(prog["request_json"]["weekdays"].size() == 4);

    // Deload sessions: nothing above RPE 6, no finishers; every session has notes and totals.
    gainsly::sqlite::Statement q(db->sql(),
                        "SELECT c.deload_week, e.target_rpe, e.role, s.coach_notes, s.total_stimulus, s.cns_fatigue, s.muscle_volume_json "
                        "FROM session_exercises e JOIN sessions s ON s.id = e.session_id JOIN microcycles c ON c.id = s.microcycle_id WHERE s.program_id = ?");
    q.bind(1, static_cast<int64_t>(program));
    while (q.executeStep()) {
        if (q.getColumn(0).getInt()) {
            CHECK(q.getColumn(1).getDouble() <= 6.0);
            CHECK(q.getColumn(2).getString() != "finisher");
        }
        CHECK(!q.getColumn(3).getString().empty());
        CHECK(q.getColumn(4).getDouble() > 0);
        CHECK(q.getColumn(5).getDouble() > 0);
        CHECK(json::parse(q.getColumn(6).getString()).is_object());
    }
    // The squat's loads come from its e1RM and climb through the loading weeks.
    gainsly::sqlite::Statement loads(db->sql(),
                            "SELECT c.week_number, e.notes FROM session_exercises e JOIN sessions s ON s.id = e.session_id "
                            "JOIN microcycles c ON c.id = s.microcycle_id WHERE s.program_id = ? AND e.movement_id = ? AND e.role IN ('main', 'accessory') "
                            "ORDER BY s.date");
    loads.bind(1, static_cast<int64_t>(program));
    loads.bind(2, static_cast<int64_t>(squat));
    std::map<int, double> by_week;
    while (loads.executeStep()) {
        std::string note = loads.getColumn(1).getString();
        auto kg = note.find(" kg");
        REQUIRE_MESSAGE(kg != std::string::npos, note);
        auto comma = note.rfind(", ", kg);
        by_week.emplace(loads.getColumn(0).getInt(), std::stod(note.substr(comma + 2, kg - comma - 2)));
    }
    REQUIRE(by_week.size() == 8);
    CHECK(by_week[2] > by_week[1]);
    CHECK(by_week[3] > by_week[2]);
    CHECK(by_week[4] < by_week[3]);  // deload
    CHECK(by_week[1] > 50);
    CHECK(by_week[1] < 110);

    std::string text = gainsly::plan::describe(*db, program);
    CHECK(text.find("Week 1") != std::string::npos);
    CHECK(text.find("Week 8 (deload)") != std::string::npos);
    CHECK(text.find("Barbell Back Squat") != std::string::npos);
    CHECK(text.find("coach: ") != std::string::npos);
}

TEST_CASE("the same request and seed give the same plan") {
    Db db;
    int64_t user = add_user(*db, "det@example.com", "advanced", 4);
    db->insert("user_injuries", {{"user_id", user}, {"body_part", "shoulder_joint"}, {"severity", 0.3}});
    db->insert("user_enjoyable_activities", {{"user_id", user}, {"activity", "bouldering"}, {"planned_weekdays", {6}}, {"enjoyment_score", 0.9}});
    json request = base_request(user);
    request["days_per_week"] = 4;
    request["progression_style"] = "wave_loading";
    auto a = gainsly::plan::generate(*db, request);
    auto b = gainsly::plan::generate(*db, request);
    expect_valid(*db, a);
    CHECK(content(*db, a["program_id"]) == content(*db, b["program_id"]));
    CHECK(a["objective"]["value"] == b["objective"]["value"]);
    CHECK_FALSE(a["time_limit_hit"].get<bool>());
}

TEST_CASE("a node budget alone sizes the search: the time limit is only a safety cap") {
    Db db;
    int64_t user = add_user(*db, "budget@example.com", "intermediate", 3);
    json request = base_request(user);
    request["search_nodes"] = 2000;
    // Two caps that no build reaches (sanitizer builds included): without search_nodes they would
    // size searches of 15 and 90 million nodes.
    request["time_limit_ms"] = 100000;
    auto a = gainsly::plan::generate(*db, request);
    request["time_limit_ms"] = 600000;
    auto b = gainsly::plan::generate(*db, request);
    expect_valid(*db, a);
    CHECK(content(*db, a["program_id"]) == content(*db, b["program_id"]));
    CHECK(a["nodes"] == b["nodes"]);
    CHECK(b["nodes"].get<int64_t>() <= 2000 + 8);  // each block stops at its share (a node may finish)
    CHECK_FALSE(b["time_limit_hit"].get<bool>());
    // The budget is stored with the program, so re-planning searches as hard, and can be overridden.
    int64_t program = b["program_id"].get<int64_t>();
    CHECK(db->get("programs", program)["request_json"]["search_nodes"] == 2000);
    json r = gainsly::plan::replan(*db, {{"program_id", program}, {"date", "2026-03-03"}, {"search_nodes", 500}});
    CHECK(r["nodes"].get<int64_t>() <= 500 + 8);
    const Failure f = failure_of([&] { gainsly::plan::replan(*db, {{"program_id", program}, {"search_nodes", -1}}); });
    CHECK(f.status == Status::invalid);
    CHECK(f.message.find("search_nodes") != std::string::npos);
}

TEST_CASE("infeasible requests name the smallest conflicting set and write nothing") {
    Db db;
    int64_t user = add_user(*db, "inf@example.com");
    int64_t squat = movement_id(*db, "Barbell Back Squat");
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", squat}, {"rule_type", "hard_yes"}});
    db->insert("user_injuries", {{"user_id", user}, {"body_part", "knee"}, {"severity", 0.9}});
    json request = base_request(user);
    request["equipment"] = {"dumbbell"};
    const Failure f = failure(*db, request);
    CHECK(f.status == Status::infeasible);
    CHECK_MESSAGE(f.message.find("hard_yes Barbell Back Squat conflicts with") != std::string::npos, f.message);
    CHECK(f.message.find("injury knee (severity 0.9)") != std::string::npos);
    CHECK(f.message.find("equipment [dumbbell]") != std::string::npos);
    CHECK(count(*db, "programs") == 0);
    CHECK(count(*db, "sessions") == 0);

    SUBCASE("three olympic rules in two days") {
        Db db2;
        int64_t u = add_user(*db2, "oly@example.com", "advanced");
        for (const char* name : {"Power Clean", "Hang Power Clean", "Power Snatch"})
            db2->insert("user_movement_rules", {{"user_id", u}, {"movement_id", movement_id(*db2, name)}, {"rule_type", "hard_yes"}});
        json r = base_request(u);
        r["days_per_week"] = 2;
        const Failure f = failure(*db2, r);
        CHECK(f.status == Status::infeasible);
        CHECK_MESSAGE(f.message.find("daily limits") != std::string::npos, f.message);
        CHECK(f.message.find("Power Clean") != std::string::npos);
        CHECK(count(*db2, "programs") == 0);
    }
    SUBCASE("sessions too short for anything") {
        Db db3;
        int64_t u = add_user(*db3, "short@example.com");
        json r = base_request(u);
        r["session_minutes"] = 12;
        const Failure f = failure(*db3, r);
        CHECK(f.status == Status::infeasible);
        CHECK_MESSAGE(f.message.find("session_minutes 12") != std::string::npos, f.message);
    }
    SUBCASE("hard_yes and hard_no on one movement") {
        Db db4;
        int64_t u = add_user(*db4, "both@example.com");
        int64_t m = movement_id(*db4, "Goblet Squat");
        db4->insert("user_movement_rules", {{"user_id", u}, {"movement_id", m}, {"rule_type", "hard_yes"}});
        db4->insert("user_movement_rules", {{"user_id", u}, {"movement_id", m}, {"rule_type", "hard_no"}});
        const Failure f = failure(*db4, base_request(u));
        CHECK(f.status == Status::infeasible);
        CHECK_MESSAGE(f.message.find("hard_yes Goblet Squat conflicts with hard_no Goblet Squat") != std::string::npos, f.message);
    }
}

TEST_CASE("rules, injuries, equipment and activities shape the plan") {
    Db db;
    int64_t user = add_user(*db, "rules@example.com", "intermediate", 2);
    int64_t bench = movement_id(*db, "Barbell Bench Press"), deadlift = movement_id(*db, "Conventional Deadlift");
    int64_t pushup = movement_id(*db, "Push-Up");
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", bench}, {"rule_type", "hard_yes"}});
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", deadlift}, {"rule_type", "hard_no"}});
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", pushup}, {"rule_type", "preferred"}});
    db->insert("user_injuries", {{"user_id", user}, {"body_part", "knee"}, {"severity", 0.8}});
    db->insert("user_injuries", {{"user_id", user}, {"body_part", "elbow"}, {"severity", 0.3}});
    db->insert("user_enjoyable_activities", {{"user_id", user}, {"activity", "bouldering"}, {"planned_weekdays", {3, 6}}});
    json request = base_request(user);
    request["duration_weeks"] = 3;
    request["equipment"] = {"barbell", "bench", "dumbbell", "pull_up_bar", "cable"};
    json report = gainsly::plan::generate(*db, request);
    expect_valid(*db, report);
    int64_t program = report["program_id"].get<int64_t>();
    gainsly::sqlite::Statement q(db->sql(),
                        "SELECT COUNT(*) FROM session_exercises e JOIN sessions s ON s.id = e.session_id WHERE s.program_id = ? AND e.movement_id = ?");
    q.bind(1, static_cast<int64_t>(program));
    q.bind(2, static_cast<int64_t>(deadlift));
    q.executeStep();
    CHECK(q.getColumn(0).getInt() == 0);
    // Days chosen around the climbing days.
    for (const auto& d : report["weekdays"]) CHECK((d != 3 && d != 6));
}

TEST_CASE("an early deload opens the program when the strength index dropped") {
    Db db;
    int64_t user = add_user(*db, "tired@example.com");
    int64_t squat = movement_id(*db, "Barbell Back Squat");
    // The week before last strong, last week 15% weaker (consecutive microcycles).
    for (auto [date, load] : {std::pair{"2026-02-16", 140.0}, {"2026-02-18", 140.0}, {"2026-02-23", 120.0}, {"2026-02-25", 118.0}}) {
        int64_t log = db->insert("workout_logs", {{"user_id", user}, {"workout_date", date}});
        db->insert("top_set_logs", {{"user_id", user}, {"workout_log_id", log}, {"movement_id", squat}, {"set_number", 1}, {"reps", 5}, {"load_kg", load}, {"rpe", 8}});
    }
    json report = gainsly::plan::generate(*db, base_request(user));
    expect_valid(*db, report);
    CHECK(report.contains("early_deload"));
    auto weeks = db->select("microcycles", {{"program_id", report["program_id"]}, {"week_number", 1}});
    REQUIRE(weeks.size() == 1);
    CHECK(weeks[0]["deload_week"] == true);
    CHECK(weeks[0]["notes"].get<std::string>().find("Early deload") == 0);
}

TEST_CASE("re-planning keeps completed sessions and holds every constraint") {
    Db db;
    int64_t user = add_user(*db, "replan@example.com");
    int64_t bench = movement_id(*db, "Barbell Bench Press");
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", bench}, {"rule_type", "hard_yes"}});
    json request = base_request(user);
    request["duration_weeks"] = 2;
    request["weekdays"] = {1, 3, 5};
    json report = gainsly::plan::generate(*db, request);
    int64_t program = report["program_id"].get<int64_t>();
    auto week1 = report["microcycles"][0]["session_ids"];
    REQUIRE(week1.size() == 3);
    int64_t done = week1[0].get<int64_t>(), missed = week1[1].get<int64_t>(), later = week1[2].get<int64_t>();
    std::string done_before = db->session_text(done);
    db->insert("workout_logs", {{"user_id", user}, {"session_id", done}, {"workout_date", "2026-03-02"}});
    // Wednesday was missed; it is Friday, the quads are very sore and readiness is low.
    db->insert("soreness_logs", {{"user_id", user}, {"log_date", "2026-03-06"}, {"body_part", "quadriceps"}, {"severity", 8}});
    db->insert("recovery_signals", {{"user_id", user}, {"signal_date", "2026-03-06"}, {"readiness_score", 45}});
    json r = gainsly::plan::replan(*db, {{"program_id", program}, {"date", "2026-03-06"}});
    CHECK(r["completed_session_ids"] == json::array({done}));
    CHECK(r["missed_session_ids"] == json::array({missed}));
    CHECK(r["replanned_session_ids"] == json::array({later}));
    for (const auto& c : r["hard_constraints"]) {
        CAPTURE(c.dump());
        CHECK(c["ok"].get<bool>());
    }
    CHECK(db->session_text(done) == done_before);
    auto check = plan_check::check_program(*db, program);
    CHECK_MESSAGE(check.ok(), check.summary());
    auto session = db->get("sessions", later);
    CHECK(session["coach_notes"].get<std::string>().find("Re-planned on 2026-03-06") != std::string::npos);
    CHECK(session["cns_fatigue"].get<double>() <= 80 * 45 / 80.0 + 2 * 6 * 0.3 + 2 * 6 * 0.2 + 1e-9);
    // Very sore quadriceps: no working exercise loads them as its primary muscle on Friday.
    gainsly::sqlite::Statement q(db->sql(),
                        "SELECT COUNT(*) FROM session_exercises e JOIN movements m ON m.id = e.movement_id WHERE e.session_id = ? "
                        "AND m.primary_muscle = 'quadriceps' AND e.role IN ('main', 'accessory', 'finisher')");
    q.bind(1, static_cast<int64_t>(later));
    q.executeStep();
    CHECK(q.getColumn(0).getInt() == 0);
    // The rule still holds among the sessions that count (completed + re-planned).
    gainsly::sqlite::Statement b(db->sql(), "SELECT COUNT(*) FROM session_exercises WHERE movement_id = ? AND session_id IN (?, ?)");
    b.bind(1, static_cast<int64_t>(bench));
    b.bind(2, static_cast<int64_t>(done));
    b.bind(3, static_cast<int64_t>(later));
    b.executeStep();
    CHECK(b.getColumn(0).getInt() >= 1);

    const Failure f = failure_of([&] { gainsly::plan::replan(*db, {{"program_id", program}, {"date", "2027-01-01"}}); });
    CHECK(f.status == Status::invalid);
    CHECK(f.message.find("date") != std::string::npos);
}

TEST_CASE("substitutes are ranked, valid, and swapping one in keeps the plan valid") {
    Db db;
    int64_t user = add_user(*db, "swap@example.com");
    json report = gainsly::plan::generate(*db, base_request(user));
    int64_t program = report["program_id"].get<int64_t>();
    int64_t session = report["microcycles"][0]["session_ids"][0].get<int64_t>();
    auto rows = db->select("session_exercises", {{"session_id", session}, {"role", "accessory"}});
    REQUIRE(!rows.empty());
    int64_t row = rows[0]["id"].get<int64_t>();
    json subs = gainsly::plan::substitutes(*db, row, 5);
    REQUIRE(subs["substitutes"].size() >= 1);
    double previous = 1e9;
    for (const auto& s : subs["substitutes"]) {
        CHECK(s["score"].get<double>() <= previous + 1e-9);
        previous = s["score"].get<double>();
        CHECK(s["movement_id"] != rows[0]["movement_id"]);
        CHECK(!s["reasons"].empty());
    }
    int64_t pick = subs["substitutes"][0]["movement_id"].get<int64_t>();
    gainsly::plan::substitute(*db, row, pick);
    CHECK(db->get("session_exercises", row)["movement_id"] == pick);
    auto check = plan_check::check_program(*db, program);
    CHECK_MESSAGE(check.ok(), check.summary());

    // A hard_no movement is refused with the reason.
    int64_t banned = subs["substitutes"].size() > 1 ? subs["substitutes"][1]["movement_id"].get<int64_t>() : pick;
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", banned}, {"rule_type", "hard_no"}});
    int64_t other = rows.size() > 1 ? rows[1]["id"].get<int64_t>() : row;
    try {
        gainsly::plan::substitute(*db, other, banned);
        FAIL("expected a refusal");
    } catch (const Error& e) {
        CHECK(e.status() == Status::infeasible);
        CHECK(std::string(e.what()).find("hard_no") != std::string::npos);
    }
    // Completed sessions never change.
    db->insert("workout_logs", {{"user_id", user}, {"session_id", session}});
    CHECK_THROWS_AS(gainsly::plan::substitutes(*db, row, 5), Error);
}

TEST_CASE("a hard_yes movement the microcycle still needs is not swapped away") {
    Db db;
    int64_t user = add_user(*db, "keep@example.com");
    int64_t bench = movement_id(*db, "Barbell Bench Press");
    db->insert("user_movement_rules", {{"user_id", user}, {"movement_id", bench}, {"rule_type", "hard_yes"}});
    json request = base_request(user);
    request["duration_weeks"] = 1;
    json report = gainsly::plan::generate(*db, request);
    auto rows = db->sql().execAndGet("SELECT COUNT(*) FROM session_exercises WHERE movement_id = " + std::to_string(bench)).getInt();
    REQUIRE(rows >= 1);
    if (rows == 1) {
        int64_t row = db->sql().execAndGet("SELECT id FROM session_exercises WHERE movement_id = " + std::to_string(bench)).getInt64();
        json subs = gainsly::plan::substitutes(*db, row, 5);
        CHECK(subs["substitutes"].empty());
        CHECK(subs["blocked_by"].get<std::string>().find("hard_yes Barbell Bench Press") == 0);
    }
}

TEST_CASE("the C ABI plans, reports infeasibility and never leaks") {
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("abi.db").c_str(), &db) == GS_OK);
    int64_t user = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email": "abi@example.com", "experience_level": "beginner"})", &user) == GS_OK);
    char* out = nullptr;
    CHECK(gs_program_generate(nullptr, "{}", &out) == GS_ERR_INVALID);
    CHECK(gs_program_generate(db, nullptr, &out) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).find("request_json") != std::string::npos);
    CHECK(gs_program_generate(db, "{not json", &out) == GS_ERR_INVALID);
    json request = base_request(user);
    CHECK(gs_program_generate(db, request.dump().c_str(), nullptr) == GS_ERR_INVALID);
    REQUIRE(gs_program_generate(db, request.dump().c_str(), &out) == GS_OK);
    json report = json::parse(out);
    gs_string_free(out);
    CHECK(report["program_id"].get<int64_t>() > 0);

    char* text = nullptr;
    REQUIRE(gs_program_describe(db, report["program_id"].get<int64_t>(), &text) == GS_OK);
    CHECK(std::string(text).find("Week 1") != std::string::npos);
    gs_string_free(text);
    CHECK(gs_program_describe(db, 424242, &text) == GS_ERR_NOT_FOUND);

    int64_t session = report["microcycles"][0]["session_ids"][0].get<int64_t>();
    char* rows = nullptr;
    REQUIRE(gs_row_select(db, "session_exercises", (R"({"role": "main", "session_id": )" + std::to_string(session) + "}").c_str(), &rows) == GS_OK);
    json main_rows = json::parse(rows);
    gs_string_free(rows);
    if (!main_rows.empty()) {
        int64_t row = main_rows[0]["id"].get<int64_t>();
        REQUIRE(gs_exercise_list_substitutes(db, row, 3, &out) == GS_OK);
        json subs = json::parse(out);
        gs_string_free(out);
        CHECK(subs["substitutes"].size() <= 3);
        CHECK(gs_exercise_list_substitutes(db, row, 0, &out) == GS_ERR_INVALID);
        if (!subs["substitutes"].empty())
            CHECK(gs_exercise_substitute(db, row, subs["substitutes"][0]["movement_id"].get<int64_t>(), nullptr) == GS_OK);
    }
    CHECK(gs_exercise_list_substitutes(db, 987654, 3, &out) == GS_ERR_NOT_FOUND);

    json replan = {{"program_id", report["program_id"]}, {"date", "2026-03-03"}};
    REQUIRE(gs_program_replan(db, replan.dump().c_str(), &out) == GS_OK);
    gs_string_free(out);
    CHECK(gs_program_replan(db, R"({"program_id": 1, "bogus": 2})", &out) == GS_ERR_INVALID);

    request["session_minutes"] = 5;
    CHECK(gs_program_generate(db, request.dump().c_str(), &out) == GS_ERR_INFEASIBLE);
    CHECK(out == nullptr);
    CHECK(std::string(gs_error_message(db)).find("infeasible") != std::string::npos);
    gs_db_close(db);
    CHECK(gs_debug_live_objects() == 0);
}
