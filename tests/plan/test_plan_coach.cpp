// The coach rules of issue #13 ("programs a strength coach would sign"), judged by the independent
// checker (checker.hpp, check_coach):
//  * the checker itself, on hand-written programs: a sound 4-day block passes every rule, and each
//    coaching error of the issue makes the rule it breaks fail;
//  * the generator, on 200 random users and requests, the three plans the issue describes, and
//    reference programs (weekly sets per muscle group of well-known program structures).
// Assertions on the generator are switched on rule by rule once the generator on main meets them
// (`enforced` below); until then the figures are printed (doctest -s, or PLAN_TEST_VERBOSE).
#include <doctest/doctest.h>

#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

#include "checker.hpp"
#include "fixture.hpp"
#include "model/error.hpp"
#include "plan/plan.hpp"
#include "store/user_export.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace plan_test;

namespace {

using Gate = std::array<bool, 9>;  // index = rule 1..8
// Rules the generator must meet in every plan of the property test (see the table the test
// prints): 5 still fails in 12 plans of 200 (2-3 short sessions a week leave groups below their
// floor), so only its aggregate share is enforced.
constexpr Gate enforced = {false, true, true, true, true, false, true, true, true};
// Rules whose figure over all 200 plans must meet the threshold (1: >= 95% of main sets are
// main lifts, 3: >= 85% of working sets within the skill cap, 5: >= 80% of muscle-weeks in window,
// 7: >= 75% of main slots kept).
constexpr Gate aggregate_enforced = {false, true, false, true, false, true, false, true, false};
// Rules the three plans of the issue must meet (all eight).
constexpr Gate named_enforced = {false, true, true, true, true, true, true, true, true};

// ------------------------------------------------------------------ hand-written programs

struct Ex {
    std::string movement, role;
    int sets, rep_min, rep_max;
    double rpe;
    int rest;
    std::string notes;
};
using Session = std::vector<Ex>;
using Week = std::vector<Session>;

// Stores a program as the generator would: one microcycle per week (deload flags), sessions on
// Monday, Tuesday, Thursday, Friday... of each week, rows in order.
int64_t store_program(Database& db, int64_t user, const json& request, const std::vector<Week>& weeks, const std::set<int>& deloads) {
    int64_t program = db.insert("programs", {{"user_id", user}, {"start_date", "2026-03-02"}, {"duration_weeks", int(weeks.size())},
                                             {"request_json", request}});
    const int offsets[] = {0, 1, 3, 4, 5, 6, 2};
    for (size_t w = 0; w < weeks.size(); ++w) {
        int week = int(w) + 1;
        int64_t cycle = db.insert("microcycles", {{"program_id", program}, {"week_number", week}, {"deload_week", deloads.count(week) > 0}});
        for (size_t d = 0; d < weeks[w].size(); ++d) {
            int day = 2 + 7 * int(w) + offsets[d];
            std::string date = "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
            if (day > 31) date = "2026-04-" + std::string(day - 31 < 10 ? "0" : "") + std::to_string(day - 31);
            int64_t session = db.insert("sessions", {{"user_id", user}, {"program_id", program}, {"microcycle_id", cycle}, {"date", date},
                                                     {"day_number", int(d) + 1}});
            int order = 0;
            for (const auto& e : weeks[w][d])
                db.insert("session_exercises", {{"session_id", session}, {"movement_id", movement_id(db, e.movement)}, {"session_section", e.role},
                                                {"role", e.role}, {"order_in_session", ++order}, {"target_sets", e.sets},
                                                {"target_rep_range_min", e.rep_min}, {"target_rep_range_max", e.rep_max}, {"target_rpe", e.rpe},
                                                {"default_rest_seconds", e.rest}, {"notes", e.notes}});
        }
    }
    return program;
}

// A 4-day upper/lower strength-hypertrophy week a coach would sign (strength 6 / hypertrophy 4).
Week sound_week() {
    return {
        {{"Barbell Bench Press", "main", 4, 3, 5, 8, 180, ""}, {"Barbell Bent-Over Row", "main", 4, 5, 6, 8, 150, ""},
         {"Incline Dumbbell Press", "accessory", 3, 8, 12, 8, 90, ""}, {"Lat Pulldown", "accessory", 3, 8, 12, 8, 90, ""},
         {"Dumbbell Lateral Raise", "accessory", 3, 12, 15, 8, 60, ""}, {"EZ-Bar Curl", "accessory", 2, 10, 12, 8, 60, ""},
         {"Cable Triceps Pushdown", "accessory", 2, 10, 12, 8, 60, ""}},
        {{"Barbell Back Squat", "main", 4, 3, 5, 8, 180, ""}, {"Barbell Romanian Deadlift", "main", 3, 6, 8, 8, 150, ""},
         {"Leg Press", "accessory", 3, 10, 12, 8, 90, ""}, {"Lying Leg Curl", "accessory", 3, 10, 12, 8, 60, ""},
         {"Standing Calf Raise", "accessory", 3, 12, 15, 8, 60, ""}},
        {{"Barbell Overhead Press", "main", 4, 4, 6, 8, 150, ""}, {"Pull-Up", "main", 4, 5, 6, 8, 150, ""},
         {"Dumbbell Bench Press", "accessory", 3, 8, 12, 8, 90, ""}, {"Seated Cable Row", "accessory", 3, 8, 12, 8, 90, ""},
         {"Face Pull", "accessory", 3, 12, 15, 8, 60, ""}, {"Dumbbell Curl", "accessory", 2, 10, 12, 8, 60, ""},
         {"Overhead Cable Triceps Extension", "accessory", 2, 10, 12, 8, 60, ""}},
        {{"Conventional Deadlift", "main", 3, 3, 5, 8, 180, ""}, {"Barbell Front Squat", "main", 3, 5, 6, 8, 150, ""},
         {"Dumbbell Bulgarian Split Squat", "accessory", 3, 8, 10, 8, 90, ""}, {"Seated Leg Curl", "accessory", 3, 10, 12, 8, 60, ""},
         {"Barbell Hip Thrust", "accessory", 3, 8, 10, 8, 90, ""}},
    };
}

Week deload_of(const Week& w) {
    Week d = w;
    for (auto& s : d)
        for (auto& e : s) {
            e.sets = std::max(1, e.sets / 2);
            e.rpe = 6;
        }
    return d;
}

void add_skill(Database& db, int64_t user, const std::string& discipline, const std::string& level) {
    db.insert("user_skills", {{"user_id", user}, {"discipline_id", db.select("disciplines", {{"name", discipline}})[0]["id"]}, {"skill_level", level}});
}

json strength_request() {
    return {{"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 4}}}}, {"days_per_week", 4}};
}

std::vector<Week> block(const Week& w) { return {w, w, w, deload_of(w)}; }

void replace(Week& week, const std::string& from, const Ex& to) {
    for (auto& s : week)
        for (auto& e : s)
            if (e.movement == from) e = to;
}

}  // namespace

TEST_SUITE("coach") {

TEST_CASE("coach checker: a sound upper/lower block passes every rule") {
    Db db;
    int64_t user = add_user(*db, "sound@example.com", "intermediate");
    int64_t program = store_program(*db, user, strength_request(), block(sound_week()), {4});
    auto r = plan_check::check_coach(*db, program);
    for (int k = 1; k <= 8; ++k) {
        CAPTURE(k);
        CHECK(r.applies[size_t(k)]);
        CHECK_MESSAGE(r.ok(k), r.summary(k));
    }
    CHECK(r.share[1].rate() == doctest::Approx(1.0));
    CHECK(r.share[7].rate() == doctest::Approx(1.0));
    // Week 1 group sets as the issue counts them: bench 4 + incline 3 + dumbbell bench 3 for chest.
    auto sets = plan_check::weekly_group_sets(*db, program, 1);
    CHECK(sets["chest"] >= 10);
    CHECK(sets["back"] >= 17);
}

TEST_CASE("coach checker: each error of the issue fails its rule") {
    Db db;
    int64_t user = add_user(*db, "errors@example.com", "intermediate");
    auto check = [&](const std::vector<Week>& weeks, const json& request = strength_request(), int64_t who = 0) {
        return plan_check::check_coach(*db, store_program(*db, who ? who : user, request, weeks, {4}));
    };
    SUBCASE("1: L-Sit Pull-Up and a medicine-ball throw as main lifts") {
        Week w = sound_week();
        replace(w, "Pull-Up", {"L-Sit Pull-Up", "main", 4, 5, 6, 8, 150, ""});
        replace(w, "Barbell Romanian Deadlift", {"Medicine Ball Overhead Backward Throw", "main", 3, 3, 5, 8, 150, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(1));
        CHECK(r.share[1].rate() < 0.95);
        CHECK(r.summary(1).find("L-Sit Pull-Up") != std::string::npos);
        CHECK(r.summary(1).find("Medicine Ball Overhead Backward Throw") != std::string::npos);
    }
    SUBCASE("1: a jump primer of 10 reps at RPE 9 is not power work") {
        Week w = sound_week();
        w[1].insert(w[1].begin(), {"Box Jump", "accessory", 3, 10, 10, 9, 60, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(1));
        CHECK(r.share[1].rate() == doctest::Approx(1.0));  // the mains are still right
    }
    SUBCASE("1: a jump primer of 3 x 3 before the mains is fine") {
        Week w = sound_week();
        w[1].insert(w[1].begin(), {"Box Jump", "accessory", 3, 3, 3, 7, 90, ""});
        CHECK(check(block(w)).ok(1));
    }
    SUBCASE("2: no staple squat in the week") {
        Week w = sound_week();
        replace(w, "Barbell Back Squat", {"Pause Back Squat", "main", 4, 3, 5, 8, 180, ""});
        replace(w, "Barbell Front Squat", {"Zercher Squat", "main", 3, 5, 6, 8, 150, ""});
        replace(w, "Leg Press", {"Single-Leg Leg Press", "accessory", 3, 10, 12, 8, 90, ""});
        replace(w, "Dumbbell Bulgarian Split Squat", {"Barbell Bulgarian Split Squat", "accessory", 3, 8, 10, 8, 90, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(2));
        CHECK(r.summary(2).find("missing squat") != std::string::npos);
        // The solver may report that the rule yields: accepted only when no allowed movement could
        // have met it (here a severe knee injury rules out every squat and lunge)...
        json yield = {{"coach", {{"rules", {{{"rule", 2}, {"ok", false}, {"yields", "squat excluded by the knee injury"}}}}}}};
        auto refused = plan_check::check_coach(*db, store_program(*db, user, strength_request(), block(w), {4}), yield);
        CHECK_FALSE(refused.ok(2));
        CHECK(refused.summary(2).find("rejected") != std::string::npos);
        int64_t knee = add_user(*db, "knee@example.com", "intermediate");
        db->insert("user_injuries", {{"user_id", knee}, {"body_part", "knee"}, {"severity", 0.9}});
        auto y = plan_check::check_coach(*db, store_program(*db, knee, strength_request(), block(w), {4}), yield);
        CHECK(y.ok(2));
        CHECK(y.yielded(2));
    }
    SUBCASE("2: a powerlifter without the competition bench") {
        int64_t lifter = add_user(*db, "pl@example.com", "advanced");
        add_skill(*db, lifter, "powerlifting", "advanced");
        CHECK(check(block(sound_week()), strength_request(), lifter).ok(2));
        Week w = sound_week();
        replace(w, "Barbell Bench Press", {"Close-Grip Bench Press", "main", 4, 3, 5, 8, 180, ""});
        auto r = check(block(w), strength_request(), lifter);
        CHECK_FALSE(r.ok(2));
        CHECK(r.summary(2).find("competition bench") != std::string::npos);
    }
    SUBCASE("3: advanced calisthenics for an intermediate, and two levels above a beginner") {
        Week w = sound_week();
        replace(w, "Incline Dumbbell Press", {"One-Arm Push-Up", "accessory", 4, 6, 15, 8, 90, ""});
        replace(w, "Dumbbell Bench Press", {"One-Arm Push-Up", "accessory", 4, 6, 15, 8, 90, ""});
        replace(w, "Lat Pulldown", {"L-Sit Pull-Up", "accessory", 4, 6, 10, 8, 90, ""});
        replace(w, "Seated Cable Row", {"Archer Ring Row", "accessory", 4, 6, 10, 8, 90, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(3));
        CHECK(r.share[3].rate() < 0.85);
        int64_t novice = add_user(*db, "novice@example.com", "beginner");
        Week v = sound_week();
        replace(v, "Lat Pulldown", {"L-Sit Pull-Up", "accessory", 1, 6, 10, 8, 90, ""});
        auto b = check(block(v), strength_request(), novice);
        CHECK(b.share[3].rate() >= 0.85);
        CHECK_FALSE(b.ok(3));  // one set two levels above the user is enough
        CHECK(b.summary(3).find("two levels above") != std::string::npos);
    }
    SUBCASE("4: no row in the whole block") {
        Week w = sound_week();
        replace(w, "Barbell Bent-Over Row", {"Chin-Up", "main", 4, 5, 6, 8, 150, ""});
        replace(w, "Seated Cable Row", {"Lat Pulldown", "accessory", 3, 8, 12, 8, 90, ""});
        replace(w, "Face Pull", {"Straight-Arm Pulldown", "accessory", 3, 12, 15, 8, 60, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(4));
        CHECK(r.summary(4).find("horizontal 10:0") != std::string::npos);
        json yield = {{"coach", {{"rules", {{{"rule", 4}, {"week", 1}, {"ok", false}, {"yields", "no horizontal pull"}}}}}}};
        auto y = plan_check::check_coach(*db, store_program(*db, user, strength_request(), block(w), {4}), yield);
        CHECK(y.summary(4).find("rejected: ") != std::string::npos);  // rows were allowed
        CHECK_FALSE(y.ok(4));
    }
    SUBCASE("4: twice the pressing of the pulling") {
        Week w = sound_week();
        replace(w, "Lat Pulldown", {"Close-Grip Bench Press", "accessory", 3, 8, 12, 8, 90, ""});
        replace(w, "Seated Cable Row", {"Dumbbell Bench Press", "accessory", 3, 8, 12, 8, 90, ""});
        CHECK_FALSE(check(block(w)).ok(4));
    }
    SUBCASE("5: half the volume misses the windows") {
        Week w = sound_week();
        for (auto& s : w)
            for (auto& e : s) e.sets = 1;
        auto r = check(block(w));
        CHECK_FALSE(r.ok(5));
        CHECK(r.share[5].rate() < 0.8);
    }
    SUBCASE("5: a time yield stands only for full sessions and no group above its window") {
        Week w = sound_week();
        for (auto& s : w)
            for (auto& e : s) e.sets = std::max(1, e.sets / 2);
        json request = strength_request();
        request["session_minutes"] = 45;
        int64_t program = store_program(*db, user, request, block(w), {4});
        json claim = {{"coach", {{"rules", json::array({{{"rule", 5}, {"week", 1}, {"ok", false}, {"yields", "time: 4 full sessions of 45 min"}}})}}}};
        auto week1 = [&] {
            for (const auto& c : plan_check::check_coach(*db, program, claim).results)
                if (c.rule == 5 && c.week == 1) return c;
            return plan_check::CoachResult{};
        };
        CHECK_FALSE(week1().ok);
        CHECK(week1().yields.empty());  // no stored estimates: nothing says the sessions are full
        db->sql().exec("UPDATE sessions SET estimated_duration_minutes = 20 WHERE program_id = " + std::to_string(program));
        CHECK(week1().yields.empty());  // 20 of 45 min: room for more
        db->sql().exec("UPDATE sessions SET estimated_duration_minutes = 44 WHERE program_id = " + std::to_string(program));
        CHECK(week1().yields == "time: 4 full sessions of 45 min");  // full: the yield stands
        db->sql().exec("UPDATE session_exercises SET target_sets = 30 WHERE session_id IN (SELECT s.id FROM sessions s JOIN microcycles c ON c.id = "
                       "s.microcycle_id WHERE c.week_number = 1 AND s.program_id = " + std::to_string(program) + ") AND role = 'accessory' AND "
                       "movement_id = " + std::to_string(movement_id(*db, "Lat Pulldown")));
        CHECK(week1().yields.empty());  // back above its window: time is no excuse for too much
    }
    SUBCASE("6: Banded Push-Ups for 1-5 reps, and a main lift for 20 reps") {
        Week w = sound_week();
        replace(w, "Dumbbell Bench Press", {"Banded Push-Up", "accessory", 4, 1, 5, 8, 90, ""});
        auto r = check(block(w));
        CHECK_FALSE(r.ok(6));
        CHECK(r.summary(6).find("Banded Push-Up") != std::string::npos);
        Week v = sound_week();
        replace(v, "Barbell Back Squat", {"Barbell Back Squat", "main", 4, 20, 20, 8, 180, ""});
        CHECK_FALSE(check(block(v)).ok(6));
        Week u = sound_week();
        replace(u, "Face Pull", {"Face Pull", "accessory", 3, 12, 15, 9.5, 60, ""});
        CHECK(check(block(u)).ok(6));  // face pulls are cable work: loadable
        replace(u, "Face Pull", {"Band Pull-Apart", "accessory", 3, 12, 15, 9.5, 60, ""});
        CHECK_FALSE(check(block(u)).ok(6));  // an RPE ramp to 9.5 on a band drill
    }
    SUBCASE("7: main lifts that change every week") {
        std::vector<Week> weeks = block(sound_week());
        replace(weeks[1], "Barbell Bench Press", {"Dumbbell Bench Press", "main", 4, 6, 8, 8, 150, ""});
        replace(weeks[1], "Barbell Back Squat", {"Hack Squat", "main", 4, 6, 8, 8, 150, ""});
        replace(weeks[2], "Pull-Up", {"Lat Pulldown", "main", 4, 6, 8, 8, 150, ""});
        auto r = check(weeks);
        CHECK_FALSE(r.ok(7));
        CHECK(r.share[7].rate() == doctest::Approx(5.0 / 8.0));
    }
    SUBCASE("7: with logged history, a load that drops") {
        int64_t logged = add_user(*db, "logged@example.com", "intermediate");
        db->insert("top_set_logs", {{"user_id", logged}, {"movement_id", movement_id(*db, "Barbell Bench Press")}, {"reps", 5}, {"load_kg", 80.0}});
        std::vector<Week> weeks = block(sound_week());
        for (size_t i = 0; i < 3; ++i)
            for (auto& s : weeks[i])
                for (auto& e : s)
                    if (e.role == "main") e.notes = "4 x 5 @ RPE 8, " + std::to_string(80 + 2 * int(i)) + " kg, rest 180 s";
        CHECK(check(weeks, strength_request(), logged).ok(7));
        // A week without progress (same load, same reps) fails, even when the block ends heavier.
        std::vector<Week> stall = weeks;
        replace(stall[1], "Barbell Bench Press", {"Barbell Bench Press", "main", 4, 3, 5, 8, 180, "4 x 5 @ RPE 8, 80 kg, rest 180 s"});
        auto s = check(stall, strength_request(), logged);
        CHECK_FALSE(s.ok(7));
        CHECK(s.summary(7).find("a week without progress") != std::string::npos);
        // Single progression raises the load itself: a climbing rep target is not enough.
        json single = strength_request();
        single["progression_style"] = "single_progression";
        std::vector<Week> reps = block(sound_week());
        for (size_t i = 0; i < 3; ++i)
            for (auto& ss : reps[i])
                for (auto& e : ss)
                    if (e.role == "main") e.notes = "4 x 5 @ RPE 8, 80 kg, rest 180 s; aim for " + std::to_string(3 + int(i)) + " reps";
        CHECK(check(reps, strength_request(), logged).ok(7));  // double progression: the target climbs
        CHECK_FALSE(check(reps, single, logged).ok(7));
        replace(weeks[2], "Barbell Bench Press", {"Barbell Bench Press", "main", 4, 3, 5, 8, 180, "4 x 5 @ RPE 8, 75 kg, rest 180 s"});
        auto r = check(weeks, strength_request(), logged);
        CHECK_FALSE(r.ok(7));
        CHECK(r.summary(7).find("Barbell Bench Press loads 80 -> 75") != std::string::npos);
    }
    SUBCASE("8: a deload that keeps 90% of the sets") {
        std::vector<Week> weeks = block(sound_week());
        weeks[3] = sound_week();
        auto r = check(weeks);
        CHECK_FALSE(r.ok(8));
        CHECK(r.share[8].rate() == doctest::Approx(0.0));
    }
}

}  // TEST_SUITE("coach")

namespace {

// ------------------------------------------------------------------ the generator

struct Tally {
    std::array<int, 9> applies{}, pass{}, yielded{};
    std::array<plan_check::Share, 9> share{};
    int planned = 0, infeasible = 0;
    std::vector<std::string> failures[9];

    void add(const plan_check::CoachReport& r, const std::string& what) {
        ++planned;
        for (size_t k = 1; k <= 8; ++k) {
            if (!r.applies[k]) continue;
            ++applies[k];
            share[k].hit += r.share[k].hit;
            share[k].total += r.share[k].total;
            if (r.yielded(int(k))) ++yielded[k];
            if (r.ok(int(k))) ++pass[k];
            else if (failures[k].size() < 40) failures[k].push_back(what + "\n" + r.summary(int(k)));
        }
    }
    std::string table(const Gate& gate) const {
        std::ostringstream s;
        s << "planned " << planned << ", infeasible " << infeasible << "\n";
        for (size_t k = 1; k <= 8; ++k)
            s << "rule " << k << ": plans passing " << pass[k] << "/" << applies[k] << " (yielded " << yielded[k] << "), figure "
              << std::fixed << std::setprecision(3) << share[k].rate() << " (" << share[k].hit << "/" << share[k].total << ")"
              << (gate[k] ? " [enforced]" : " [gated off]") << "\n";
        return s.str();
    }
};

// The user's data that shapes a plan besides the request, for failure messages.
std::string user_story(Database& db, int64_t user) {
    std::string out = " user:";
    auto add = [&](const std::string& sql) {
        gainsly::sqlite::Statement q(db.sql(), sql);
        q.bind(1, static_cast<int64_t>(user));
        while (q.executeStep()) out += " " + q.getColumn(0).getString();
    };
    add("SELECT 'experience=' || COALESCE(experience_level, '-') FROM users WHERE id = ?");
    add("SELECT 'injury=' || body_part || '@' || severity FROM user_injuries WHERE user_id = ?");
    add("SELECT 'activity=' || activity || planned_weekdays FROM user_enjoyable_activities WHERE user_id = ? AND activity IS NOT NULL");
    add("SELECT 'skill=' || d.name || ':' || s.skill_level FROM user_skills s JOIN disciplines d ON d.id = s.discipline_id WHERE s.user_id = ?");
    add("SELECT 'logged=' || COUNT(*) FROM top_set_logs WHERE user_id = ?");
    return out;
}

// A deterministic search effort (README "Determinism"): the node budget alone ends the search and
// the time limit is a cap no machine reaches, so these plans are the same on every machine (qemu
// included). 6000 nodes for the 200 random plans, the default effort (30000) otherwise.
json deterministic(json request, int64_t nodes = 30000) {
    request["search_nodes"] = nodes;
    request["time_limit_ms"] = 600000;
    return request;
}

// The shared part of a named case and a property case: generate, check, tally, and enforce.
void judge(Database& db, const json& request, Tally& tally, const Gate& gate) {
    json report;
    try {
        report = gainsly::plan::generate(db, request.contains("search_nodes") ? request : deterministic(request));
    } catch (const Error& e) {
        REQUIRE(e.status() == Status::infeasible);
        ++tally.infeasible;
        return;
    }
    CHECK_FALSE(report["time_limit_hit"].get<bool>());
    auto r = plan_check::check_coach(db, report["program_id"].get<int64_t>(), report);
    tally.add(r, request.dump() + user_story(db, request["user_id"].get<int64_t>()));
    for (int k = 1; k <= 8; ++k)
        if (gate[size_t(k)]) {
            CAPTURE(k);
            CAPTURE(request.dump());
            CHECK_MESSAGE(r.ok(k), r.summary(k));
        }
}

const std::vector<std::string> levels = {"beginner", "intermediate", "intermediate", "advanced", "expert"};
const std::vector<std::vector<std::string>> kits = {
    {},  // bodyweight only
    {"dumbbell", "bench"},
    {"kettlebell", "resistance_band"},
    {"dumbbell", "bench", "pull_up_bar", "resistance_band"},
    {"barbell", "bench", "pull_up_bar"},
    {"barbell", "bench", "dumbbell", "pull_up_bar", "dip_station", "trap_bar"},
    {"barbell", "dumbbell", "bench", "cable", "machine", "pull_up_bar", "ez_bar"},
};
const std::vector<std::string> parts = {"knee", "shoulder_joint", "elbow", "wrist", "hip", "lumbar_spine", "hamstrings", "chest"};
const std::vector<std::string> hobbies = {"tennis", "bouldering", "cycling", "swimming", "hiking", "basketball", "yoga"};
const std::vector<std::vector<std::pair<std::string, int>>> mixes = {
    {{"strength", 10}},
    {{"hypertrophy", 10}},
    {{"strength", 6}, {"hypertrophy", 4}},
    {{"strength", 4}, {"hypertrophy", 6}},
    {{"strength", 8}, {"hypertrophy", 2}},
    {{"strength", 5}, {"endurance", 5}},
    {{"hypertrophy", 5}, {"fat_loss", 3}, {"endurance", 2}},
    {{"strength", 5}, {"hypertrophy", 3}, {"explosiveness", 2}},
    {{"endurance", 7}, {"strength", 3}},
    {{"hypertrophy", 7}, {"mobility", 3}},
};

json random_request(Database& db, Gen& g, int i) {
    std::string level = g.pick(levels);  // draws in separate statements: argument order is unspecified
    int64_t user = add_user(db, "coach" + std::to_string(i) + "@example.com", level, g.in(1, 5));
    if (g.chance(25))
        db.insert("user_injuries", {{"user_id", user}, {"body_part", g.pick(parts)}, {"severity", g.in(1, 8) / 10.0}});
    if (g.chance(25)) {
        json days = json::array({g.in(1, 7)});
        db.insert("user_enjoyable_activities", {{"user_id", user}, {"activity", g.pick(hobbies)}, {"planned_weekdays", days}, {"enjoyment_score", 0.7}});
    }
    if (g.chance(15)) {
        std::string discipline = g.chance(50) ? "powerlifting" : "calisthenics";  // one draw per statement: a fixed order
        add_skill(db, user, discipline, g.pick(std::vector<std::string>{"intermediate", "advanced"}));
    }
    if (g.chance(30)) {  // logged history (a workout before the start): main-lift loads then have to rise through a block (rule 7)
        int64_t workout = db.insert("workout_logs", {{"user_id", user}, {"workout_date", "2026-04-03"}});
        for (const char* lift : {"Barbell Back Squat", "Barbell Bench Press", "Conventional Deadlift", "Dumbbell Bench Press", "Goblet Squat"})
            db.insert("top_set_logs", {{"user_id", user}, {"workout_log_id", workout}, {"movement_id", movement_id(db, lift)}, {"reps", 5},
                                       {"load_kg", double(g.in(20, 120))}, {"rpe", 8.0}});
    }
    json goals = json::array();
    for (const auto& [goal, weight] : g.pick(mixes)) goals.push_back({{"goal", goal}, {"weight", weight}});
    json request = {{"user_id", user},          {"start_date", "2026-04-06"}, {"duration_weeks", g.in(3, 6)}, {"days_per_week", g.in(2, 6)},
                    {"goals", goals},           {"session_minutes", g.pick(std::vector<int>{45, 60, 60, 75, 90})},
                    {"seed", g.in(0, 1000)}};
    size_t kit = size_t(g.in(0, int(kits.size())));  // kits.size() = a full gym (no equipment field)
    if (kit < kits.size()) request["equipment"] = kits[kit];
    return deterministic(request, 6000);
}

}  // namespace

TEST_SUITE("coach") {

TEST_CASE("coach rules over 200 random users and requests") {
    Db db;
    Gen g{0xc0ac4ULL};
    Tally tally;
    for (int i = 0; i < 200; ++i) judge(*db, random_request(*db, g, i), tally, enforced);
    MESSAGE(tally.table(enforced));
    if (getenv("PLAN_TEST_VERBOSE"))
        for (size_t k = 1; k <= 8; ++k)
            for (const auto& f : tally.failures[k]) MESSAGE("rule " << k << " fails: " << f);
    CHECK(tally.planned >= 150);
    // The aggregate thresholds, once the rule is enforced.
    if (aggregate_enforced[1]) CHECK(tally.share[1].rate() >= 0.95);
    if (aggregate_enforced[3]) CHECK(tally.share[3].rate() >= 0.85);
    if (aggregate_enforced[5]) CHECK(tally.share[5].rate() >= 0.8);
    if (aggregate_enforced[7]) CHECK(tally.share[7].rate() >= 0.75);
}

TEST_CASE("coach rules on the three plans of the issue") {
    Db db;
    Tally tally;
    SUBCASE("the demo: the sample user, intermediate, full gym, 4 days, strength 6 / hypertrophy 4") {
        std::ifstream in(std::string(GAINSLY_SOURCE_DIR) + "/examples/sample_user.json");
        REQUIRE(in.good());
        gainsly::store::import_user(*db, json::parse(in));
        int64_t user = db->sql().execAndGet("SELECT MAX(id) FROM users").getInt64();
        json request = {{"user_id", user}, {"name", "Demo block"}, {"start_date", "2026-11-30"}, {"duration_weeks", 4}, {"days_per_week", 4},
                        {"session_minutes", 60}, {"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 4}}}},
                        {"seed", 1}};
        judge(*db, request, tally, named_enforced);
    }
    SUBCASE("intermediate, strength 5 / endurance 5, 2 days") {
        int64_t user = add_user(*db, "se@example.com", "intermediate");
        judge(*db, {{"user_id", user}, {"start_date", "2026-04-06"}, {"duration_weeks", 4}, {"days_per_week", 2}, {"session_minutes", 60},
                    {"goals", {{{"goal", "strength"}, {"weight", 5}}, {{"goal", "endurance"}, {"weight", 5}}}}, {"seed", 1}},
              tally, named_enforced);
    }
    SUBCASE("advanced powerlifter, strength 8 / hypertrophy 2, barbell") {
        int64_t user = add_user(*db, "pl@example.com", "advanced");
        add_skill(*db, user, "powerlifting", "advanced");
        judge(*db, {{"user_id", user}, {"start_date", "2026-04-06"}, {"duration_weeks", 4}, {"days_per_week", 4}, {"session_minutes", 75},
                    {"goals", {{{"goal", "strength"}, {"weight", 8}}, {{"goal", "hypertrophy"}, {"weight", 2}}}},
                    {"equipment", {"barbell", "bench", "pull_up_bar"}}, {"seed", 1}},
              tally, named_enforced);
    }
    MESSAGE(tally.table(named_enforced));
    for (size_t k = 1; k <= 8; ++k)
        for (const auto& f : tally.failures[k]) MESSAGE("rule " << k << " fails: " << f);
    CHECK(tally.planned == 1);
}

TEST_CASE("two sessions of 45 minutes: rule 5 yields for time, and the independent checker agrees") {
    Db db;
    int64_t user = add_user(*db, "short@example.com", "intermediate");
    json request = {{"user_id", user}, {"start_date", "2026-04-06"}, {"duration_weeks", 3}, {"days_per_week", 2}, {"session_minutes", 45},
                    {"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 4}}}},
                    {"equipment", {"dumbbell", "bench", "pull_up_bar", "resistance_band"}}, {"seed", 697}};
    json report = gainsly::plan::generate(*db, deterministic(request, 6000));
    int timed = 0;
    for (const auto& r : report["coach"]["rules"])
        if (r["rule"] == 5 && r.value("yields", "").rfind("time:", 0) == 0) ++timed;
    CHECK(timed > 0);
    auto r = plan_check::check_coach(*db, report["program_id"].get<int64_t>(), report);
    CHECK_MESSAGE(r.ok(5), r.summary(5));
    request["session_minutes"] = 90;  // twice the time: the floors are met, nothing yields
    json longer = gainsly::plan::generate(*db, deterministic(request, 6000));
    for (const auto& w : longer["coach"]["rules"])
        if (w["rule"] == 5) CHECK_MESSAGE(w["ok"].get<bool>(), w.dump());
}

}  // TEST_SUITE("coach")

namespace {

// Reference programs, written from the published structure of well-known programs (lifts, sets per
// session, sessions per week; no text copied). Weekly sets per group are counted the way:
// 1 per set for the lift's primary muscle group, 0.5 for a secondary one, using the catalog's muscle
// maps of the lifts named in the comment; ranges are taken at their middle.
struct Reference {
    const char* name;
    json request;  // without user_id
    const char* experience;
    std::map<std::string, double> sets;
    // Groups whose weekly sets must stay within 30% of the reference (the agreed matches); every
    // other group is a decided deviation, with the reason, printed but not asserted (docs/generator.md,
    // "Reference programs").
    std::map<std::string, std::string> deviations;
};

std::vector<Reference> references() {
    return {
        // 4-day upper/lower power-hypertrophy: upper power (bench 3.5, incline DB 3.5, barbell row 3.5,
        // pulldown 3.5, OHP 2.5, curl 2.5, skull crusher 2.5), lower power (squat 4, deadlift 4, leg
        // press 4, leg curl 3.5, calf 4), upper hypertrophy (incline bench, DB fly, cable row, one-arm
        // row, lateral raise, incline curl, overhead cable extension: 3.5 each), lower hypertrophy
        // (front squat, walking lunge, leg extension, seated leg curl, seated calf: 3.5 each).
        {"4-day upper/lower strength-hypertrophy",
         {{"start_date", "2026-04-06"}, {"duration_weeks", 4}, {"days_per_week", 4}, {"split", "upper_lower"}, {"session_minutes", 75},
          {"goals", {{{"goal", "strength"}, {"weight", 5}}, {{"goal", "hypertrophy"}, {"weight", 5}}}}, {"seed", 3}},
         "intermediate",
         {{"chest", 14}, {"back", 17.75}, {"quads", 20.5}, {"hamstrings", 13}, {"glutes", 11.5}, {"delts", 20}, {"biceps", 13}, {"triceps", 12.5}},
         {{"glutes", "more: the squat and hinge mains count glutes as primary; the reference's leg press and curls do not add any"},
          {"biceps", "fewer (a coaching gap, still open): arm isolation competes with compound accessories for the session time"},
          {"triceps", "fewer (a coaching gap, still open): as biceps"}}},
        // 3-day novice linear program, A/B alternating (1.5 of each a week): A = squat 5x5, bench 5x5,
        // barbell row 5x5; B = squat 5x5, overhead press 5x5, deadlift 1x5.
        {"3-day novice linear",
         {{"start_date", "2026-04-06"}, {"duration_weeks", 4}, {"days_per_week", 3}, {"split", "full_body"}, {"session_minutes", 60},
          {"goals", {{{"goal", "strength"}, {"weight", 8}}, {{"goal", "hypertrophy"}, {"weight", 2}}}},
          {"equipment", {"barbell", "bench"}}, {"seed", 3}},
         "beginner",
         {{"chest", 7.5}, {"back", 8.25}, {"quads", 15.75}, {"hamstrings", 8.25}, {"glutes", 9}, {"delts", 15}, {"biceps", 3.75}, {"triceps", 7.5}},
         {{"back", "more: rule 4 holds (push:pull >= 0.8), the reference yields; it presses 15 sets against 7.5 of rows (2:1)"},
          {"biceps", "more: the extra pulling of rule 4 trains the biceps as a secondary muscle"},
          {"glutes", "more: accessories (lunges, hip work) on top of the three lifts, inside the strength window"}}},
        // 6-day push/pull/legs, each day twice: pull (deadlift 1x5 or row 5x5 alternating, pulldown
        // 3, cable row 3, face pull 5, hammer curl 4, curl 4), push (bench 5x5 or OHP 5x5 alternating
        // plus the other 3x, incline DB 3, pushdown 3, lateral raise 6, overhead extension 3), legs
        // (squat 3, RDL 3, leg press 3, leg curl 3, calf 5).
        {"6-day push/pull/legs",
         {{"start_date", "2026-04-06"}, {"duration_weeks", 4}, {"days_per_week", 6}, {"split", "ppl"}, {"session_minutes", 75},
          {"goals", {{{"goal", "hypertrophy"}, {"weight", 6}}, {{"goal", "strength"}, {"weight", 4}}}}, {"seed", 3}},
         "intermediate",
         {{"chest", 14}, {"back", 28.5}, {"quads", 12.5}, {"hamstrings", 18.5}, {"glutes", 10}, {"delts", 45.5}, {"biceps", 29.5}, {"triceps", 23}},
         {{"delts", "window: 45.5 sets is above the hypertrophy window's 26 (rule 5): the window holds, the reference yields"},
          {"chest", "more, inside the hypertrophy window: the reference's push day is shoulder-heavy"},
          {"quads", "more, inside the hypertrophy window: the reference's leg day is light (3 sets of squats)"},
          {"glutes", "more, inside the hypertrophy window: as quads"}}},
    };
}

// The agreed matches are asserted (5/8, 5/8 and 4/8 groups within 30%): a match that regresses
// fails the test. Where a reference conflicts with a coach rule the rule wins (push/pull/legs delts
// against rule 5's window, the novice program's 2:1 push:pull against rule 4); where it is a
// coaching gap of the generator (the upper/lower arms) it is named so. Filling every group to its
// window's middle instead of its floor brought the upper/lower reference to 7/8 but cost rules 4
// and 5 and doubled bench_plan's time.

}  // namespace

TEST_SUITE("coach") {

TEST_CASE("weekly sets per muscle group within 30% of reference programs") {
    Db db;
    int n = 0;
    for (const auto& ref : references()) {
        int64_t user = add_user(*db, "ref" + std::to_string(n++) + "@example.com", ref.experience);
        json request = ref.request;
        request["user_id"] = user;
        json report = gainsly::plan::generate(*db, deterministic(request));
        auto sets = plan_check::weekly_group_sets(*db, report["program_id"].get<int64_t>(), 1);
        int close = 0;
        std::ostringstream line;
        for (const auto& g : plan_check::muscle_groups) {
            double want = ref.sets.at(g), got = sets[g];
            bool near = std::abs(got - want) <= 0.3 * want;
            close += near;
            line << g << " " << got << "/" << want << (near ? "" : " (off)") << ", ";
        }
        MESSAGE(std::string(ref.name) << ": " << close << "/8 groups within 30%: " << line.str());
        for (const auto& g : plan_check::muscle_groups) {
            double want = ref.sets.at(g), got = sets[g];
            bool near = std::abs(got - want) <= 0.3 * want;
            auto deviation = ref.deviations.find(g);
            if (deviation == ref.deviations.end()) {
                CHECK_MESSAGE(near, std::string(ref.name) << ": " << g << " " << got << " sets, reference " << want << " (agreed within 30%)");
            } else if (!near) {
                MESSAGE(std::string(ref.name) << ": " << g << " deviates as decided: " << deviation->second);
            }
        }
        if (ref.deviations.count("delts")) {  // push/pull/legs: where the window wins, the plan stays inside it
            for (const auto& d : ref.deviations) {
                auto window = plan_check::volume_window("hypertrophy", d.first);
                CHECK_MESSAGE(sets[d.first] <= window.hi + 1e-9, d.first);
                CHECK_MESSAGE(sets[d.first] >= window.lo - 1e-9, d.first);
            }
            CHECK(sets["delts"] >= 0.7 * plan_check::volume_window("hypertrophy", "delts").hi);  // near the top the window allows
        }
    }
}

}  // TEST_SUITE("coach")
