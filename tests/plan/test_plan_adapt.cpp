// gs_program_adapt (src/plan/adapt.cpp through the C ABI, which reads the day through src/training):
// a bad night plus a long ride the day before make the next sessions lighter, most of all on the
// legs; a fresh week changes nothing; a completed session is never touched; bad requests name the
// field. The program: 3 full-body days (Mon, Wed, Fri from 2026-03-02), so every session trains legs.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "checker.hpp"
#include "fixture.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "plan/plan.hpp"
#include "training/training.hpp"

using namespace plan_test;

namespace {

struct Week {
    Db db;
    gs_db* handle = nullptr;
    int64_t user = 0, program = 0;
    std::vector<int64_t> sessions;  // week 1: Mon, Wed, Fri
    Week() {
        user = add_user(*db, "adapt@example.com");
        json request = {{"user_id", user},
                        {"start_date", "2026-03-02"},
                        {"duration_weeks", 2},
                        {"weekdays", {1, 3, 5}},
                        {"split", "full_body"},
                        {"goals", {{{"goal", "strength"}, {"weight", 6}}, {{"goal", "hypertrophy"}, {"weight", 4}}}},
                        {"session_minutes", 60},
                        {"seed", 3},
                        {"search_nodes", 3000}};
        json report = gainsly::plan::generate(*db, request);
        program = report["program_id"].get<int64_t>();
        for (const auto& s : report["microcycles"][0]["session_ids"]) sessions.push_back(s.get<int64_t>());
        REQUIRE(sessions.size() == 3);
        // Monday done: three squat-like sets; a normal week of signals before Wednesday.
        gainsly::training::log_workout(*db, {{"user_id", user}, {"session_id", sessions[0]}, {"workout_date", "2026-03-02"},
                                             {"sets", {{{"movement_id", movement_id(*db, "Barbell Back Squat")}, {"reps", 5}, {"load_kg", 100}, {"rpe", 8}}}}});
        for (int d = 24; d <= 28; ++d) signals("2026-02-" + std::to_string(d), 60, 55, 75);
        for (int d = 1; d <= 3; ++d) signals("2026-03-0" + std::to_string(d), 60, 55, 75);
        REQUIRE(gs_db_open(db.path().c_str(), &handle) == GS_OK);
    }
    ~Week() { gs_db_close(handle); }
    // Writes go through the C handle once it is open (one writer); the C++ handle only reads.
    void signals(const std::string& date, double hrv, double rhr, double sleep) {
        json row = {{"user_id", user}, {"signal_date", date}, {"hrv_score", hrv}, {"resting_heart_rate", rhr}, {"sleep_quality_score", sleep},
                    {"source", "aura ring"}};
        if (!handle) {
            gainsly::training::log_recovery(*db, row);
            return;
        }
        REQUIRE(gs_recovery_log(handle, row.dump().c_str(), nullptr) == GS_OK);
    }
    json adapt(json request, int32_t expected = GS_OK) {
        char* out = nullptr;
        int32_t rc = gs_program_adapt(handle, request.dump().c_str(), &out);
        CHECK_MESSAGE(rc == expected, gs_error_message(handle));
        json r = out ? json::parse(out) : json();
        gs_string_free(out);
        return r;
    }
    // Reads also go through the C handle: it sees its own writes.
    json session(int64_t id) {
        char* out = nullptr;
        REQUIRE(gs_session_get(handle, id, &out) == GS_OK);
        json s = json::parse(out);
        gs_string_free(out);
        return s;
    }
    // The session as planned: its row and exercises without the time of the last write.
    json planned(int64_t id) {
        json s = session(id);
        s.erase("updated_at");
        return s;
    }
    // Working sets of the session (only of movements that load the quadriceps: primary, or magnitude >= 0.4).
    int sets(int64_t id, bool quads_only = false) {
        static const std::set<std::string> working = {"main", "accessory", "skill", "finisher"};
        int n = 0;
        const json s = session(id);  // not session(id)["exercises"] in the loop: the temporary would be gone
        for (const auto& e : s["exercises"]) {
            if (!working.count(e["role"].get<std::string>()) || !e["circuit_id"].is_null()) continue;
            if (quads_only && !quad_movements().count(e["movement_id"].get<int64_t>())) continue;
            n += e["target_sets"].get<int>();
        }
        return n;
    }
    const std::set<int64_t>& quad_movements() {
        static std::set<int64_t> ids;
        if (ids.empty())
        {
            gainsly::sqlite::Statement q(db->sql(), "SELECT mm.movement_id FROM movement_muscle_map mm JOIN muscles mu ON mu.id = mm.muscle_id "
                                           "WHERE mu.name = 'quadriceps' AND (mm.role = 'primary' OR mm.magnitude >= 0.4)");
            while (q.executeStep()) ids.insert(q.getColumn(0).getInt64());
        }
        return ids;
    }
    json exercise(int64_t session_id, int64_t row) {
        const json s = session(session_id);
        for (const auto& e : s["exercises"])
            if (e["id"] == row) return e;
        FAIL("no row " << row);
        return {};
    }
};

}  // namespace

TEST_CASE("adapt: a bad night and a long ride make the next session lighter, most on the legs; a fresh day restores it") {
    Week w;
    const int64_t wed = w.sessions[1], fri = w.sessions[2];
    const json wed_before = w.planned(wed), fri_before = w.planned(fri);
    const int wed_legs = w.sets(wed, true), wed_all = w.sets(wed), fri_all = w.sets(fri);
    REQUIRE(wed_legs >= 2);
    // Tuesday: a 3-hour hard ride; Wednesday morning: HRV 40 (baseline 60), sleep 30, resting HR 63.
    char* out = nullptr;
    REQUIRE(gs_activity_log(w.handle, json({{"user_id", w.user}, {"date", "2026-03-03"}, {"activity", "cycling"}, {"duration_minutes", 180},
                                             {"intensity", 8}}).dump().c_str(), &out) == GS_OK);
    json ride = json::parse(out);
    gs_string_free(out);
    w.signals("2026-03-04", 40, 63, 30);

    json r = w.adapt({{"program_id", w.program}, {"user_id", w.user}, {"date", "2026-03-04"}});
    // hand: 80 x 0.8 (sleep) x 0.8 (HRV) x 0.85 (resting HR) = 43.52.
    CHECK(r["readiness"]["score"].get<double>() == doctest::Approx(43.52));
    CHECK(r["readiness"]["red"] == true);
    REQUIRE(r["sessions"].size() == 2);
    CHECK(r["sessions"][0]["session_id"] == wed);
    CHECK(r["sessions"][1]["session_id"] == fri);
    CHECK(r["changed"].get<int>() > 0);
    // Every working row is lighter on Wednesday; legs lose two steps (red day + the ride's
    // quadriceps fatigue and cycling's 24 h window), so at least half of their sets go.
    CHECK(w.sets(wed) < wed_all);
    CHECK(w.sets(wed, true) * 2 <= wed_legs + 1);
    CHECK(w.sets(fri) == fri_all);  // two days later: readiness is today's, the ride's fatigue has gone
    bool leg_reasons = false;
    for (const auto& c : r["changes"]) {
        CHECK((c["action"] == "lighter" || c["action"] == "swapped"));
        CHECK(c["sets"]["to"].get<int>() < c["sets"]["from"].get<int>() + (c["sets"]["from"].get<int>() == 1 ? 1 : 0));
        if (!c["target_rpe"]["from"].is_null() && c["target_rpe"]["from"].get<double>() > 5)
            CHECK(c["target_rpe"]["to"].get<double>() < c["target_rpe"]["from"].get<double>());
        CHECK(c["reasons"][0] == "readiness 44/100");
        const std::string reasons = c["reasons"].dump();
        if (c["session_id"] == wed && reasons.find("quadriceps fatigue") != std::string::npos) {
            leg_reasons = true;
            CHECK(reasons.find("Cycling 180 min on 2026-03-03 (interference window)") != std::string::npos);
        }
        // The explanation is in the row's notes.
        json row = w.exercise(c["session_id"].get<int64_t>(), c["session_exercise_id"].get<int64_t>());
        CHECK(row["notes"].get<std::string>().find("[Adapted 2026-03-04: ") != std::string::npos);
    }
    CHECK(leg_reasons);
    CHECK(w.session(wed)["coach_notes"].get<std::string>().find(" working sets") != std::string::npos);
    // The same state again: nothing to change, nothing written.
    const json wed_adapted = w.session(wed);
    json again = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}});
    CHECK(again["changed"] == 0);
    CHECK(w.session(wed) == wed_adapted);

    // Wednesday is done as adapted. Then the morning's signals are corrected and the ride turns out
    // to be a duplicate: the done session stays as it was done.
    int64_t workout = 0;
    REQUIRE(gs_row_insert(w.handle, "workout_logs", json({{"user_id", w.user}, {"session_id", wed}, {"workout_date", "2026-03-04"}}).dump().c_str(),
                          &workout) == GS_OK);
    REQUIRE(gs_row_delete(w.handle, "activity_instances", ride["activity_instance_id"].get<int64_t>()) == GS_OK);
    w.signals("2026-03-04", 60, 55, 75);
    json fresh = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}});
    CHECK(fresh["kept_session_ids"] == json::array({wed}));
    CHECK(fresh["readiness"]["red"] == false);
    CHECK(w.session(wed) == wed_adapted);  // completed: untouched
    CHECK(w.planned(fri) == fri_before);
    // Not done after all (the log is deleted): the fresh day gives Wednesday its planned volume back.
    REQUIRE(gs_row_delete(w.handle, "workout_logs", workout) == GS_OK);
    json restored = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}});
    CHECK(restored["changed"].get<int>() > 0);
    for (const auto& c : restored["changes"]) {
        CHECK(c["session_id"] == wed);
        CHECK(c["action"] == "restored");
    }
    CHECK(w.planned(wed) == wed_before);
    CHECK(w.sets(wed) == wed_all);
}

TEST_CASE("adapt: a fresh week changes nothing") {
    Week w;
    const json wed = w.session(w.sessions[1]), fri = w.session(w.sessions[2]);
    w.signals("2026-03-04", 62, 54, 80);
    json r = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}, {"sessions", 3}});
    CHECK(r["readiness"]["red"] == false);
    CHECK(r["changed"] == 0);
    CHECK(r["changes"].empty());
    CHECK(r["sessions"].size() == 3);
    CHECK(w.session(w.sessions[1]) == wed);
    CHECK(w.session(w.sessions[2]) == fri);
}

TEST_CASE("adapt: bad requests get a status naming the field and change nothing") {
    Week w;
    w.signals("2026-03-04", 40, 63, 30);  // a red day: a valid call would change rows
    const json wed = w.session(w.sessions[1]);
    int64_t other = 0;
    REQUIRE(gs_row_insert(w.handle, "users", R"({"email": "other@example.com"})", &other) == GS_OK);
    auto bad = [&](const std::string& request, int32_t status, const std::string& field) {
        char* out = nullptr;
        CHECK(gs_program_adapt(w.handle, request.c_str(), &out) == status);
        CHECK(out == nullptr);
        const std::string message = gs_error_message(w.handle);
        CHECK_MESSAGE(message.find(field) != std::string::npos, message);
    };
    const std::string p = std::to_string(w.program);
    bad(R"({"program_id": 987654})", GS_ERR_NOT_FOUND, "program_id");
    bad(R"({"program_id": )" + p + R"(, "user_id": )" + std::to_string(other) + "}", GS_ERR_INVALID, "user_id");
    bad(R"({"program_id": )" + p + R"(, "date": "2026-13-40"})", GS_ERR_INVALID, "date");
    bad(R"({"program_id": )" + p + R"(, "sessions": 0})", GS_ERR_INVALID, "sessions");
    bad(R"({"program_id": )" + p + R"(, "colour": "red"})", GS_ERR_INVALID, "request.colour");
    bad(R"({"date": "2026-03-04"})", GS_ERR_INVALID, "program_id");
    bad(R"({"program_id": )" + p + ", ", GS_ERR_INVALID, "request_json");
    bad("[1, 2]", GS_ERR_INVALID, "request");
    CHECK(w.session(w.sessions[1]) == wed);
    CHECK(gs_program_adapt(w.handle, nullptr, nullptr) == GS_ERR_INVALID);
}

// Re-planning counts activities actually done (logged or ingested) for the interference windows,
// not only the planned weekdays: cycling's hard quadriceps window (24 h) keeps quadriceps work off
// the day after a ride; tennis has no hard window on quadriceps, so the same work stays.
TEST_CASE("replan: a ride logged yesterday keeps quadriceps work off today; a tennis match does not") {
    auto replan_wed = [](const char* activity) {
        Week w;
        if (activity) {
            char* out = nullptr;
            REQUIRE(gs_activity_log(w.handle, json({{"user_id", w.user}, {"date", "2026-03-03"}, {"activity", activity}, {"duration_minutes", 150},
                                                     {"intensity", 7}}).dump().c_str(), &out) == GS_OK);
            gs_string_free(out);
        }
        char* out = nullptr;
        REQUIRE_MESSAGE(gs_program_replan(w.handle, json({{"program_id", w.program}, {"date", "2026-03-04"}, {"search_nodes", 3000}}).dump().c_str(), &out) ==
                            GS_OK,
                        gs_error_message(w.handle));
        gs_string_free(out);
        std::multiset<int64_t> quads, others;
        const json s = w.session(w.sessions[1]);
        for (const auto& e : s["exercises"]) {
            const std::string role = e["role"].get<std::string>();
            if (role == "warmup" || role == "cooldown") continue;
            (w.quad_movements().count(e["movement_id"].get<int64_t>()) ? quads : others).insert(e["movement_id"].get<int64_t>());
        }
        return std::make_pair(quads, s["coach_notes"].is_string() ? s["coach_notes"].get<std::string>() : std::string());
    };
    const auto none = replan_wed(nullptr), ride = replan_wed("cycling"), tennis = replan_wed("tennis");
    REQUIRE(!none.first.empty());  // a full-body day trains the quadriceps when nothing was done
    CHECK(ride.first.empty());
    CHECK(ride.second.find("cycling yesterday") != std::string::npos);
    CHECK(tennis.first == none.first);
}

// A red day after a heavy squat day: every heavy main lift of the next session (cns_load in
// limits.heavy_pattern.cns_load) gives way to a lower-demand movement of its pattern, explained in
// the row's and the session's notes and in the change list; the session's stored duration, CNS
// load and the rows' stimulus / fatigue follow the new content (the independent checker recomputes
// them); a fresh day puts the planned lifts back exactly.
TEST_CASE("adapt: a red day swaps the heavy main lifts for lighter ones of the same pattern; a fresh day restores them") {
    Week w;
    const int64_t wed = w.sessions[1];
    const json before = w.planned(wed);
    struct Mv {
        std::string name, pattern, cns;
        double stimulus, fatigue;
    };
    std::map<int64_t, Mv> mv;
    {
        gainsly::sqlite::Statement q(w.db->sql(), "SELECT id, name, pattern, cns_load, stimulus_factor, fatigue_factor FROM movements");
        while (q.executeStep())
            mv[q.getColumn(0).getInt64()] = {q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getDouble(),
                                             q.getColumn(5).getDouble()};
    }
    auto heavy = [&](int64_t id) { return mv[id].cns == "high" || mv[id].cns == "very_high"; };  // the shipped heavy_pattern.cns_load
    std::map<int64_t, int64_t> heavy_rows;  // row -> planned movement
    for (const auto& e : before["exercises"])
        if (e["role"] == "main" && heavy(e["movement_id"].get<int64_t>())) heavy_rows[e["id"].get<int64_t>()] = e["movement_id"].get<int64_t>();
    REQUIRE(!heavy_rows.empty());

    w.signals("2026-03-04", 40, 63, 30);  // red: 43.52
    json r = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}, {"sessions", 1}});
    std::set<int64_t> swapped;
    for (const auto& c : r["changes"]) {
        const int64_t row = c["session_exercise_id"].get<int64_t>();
        if (!heavy_rows.count(row)) {
            CHECK(c["action"] == "lighter");
            continue;
        }
        CHECK(c["action"] == "swapped");
        const int64_t from = heavy_rows[row], to = c["movement_id"].get<int64_t>();
        CHECK(c["replaced"]["movement_id"] == from);
        CHECK(to != from);
        CHECK(mv[to].pattern == mv[from].pattern);
        CHECK_FALSE(heavy(to));
        CHECK(c["reasons"][0] == "readiness 44/100");
        const json e = w.exercise(wed, row);
        CHECK(e["movement_id"] == to);
        CHECK(e["notes"].get<std::string>().find("swapped " + mv[from].name + " (movement " + std::to_string(from) + ") for " + mv[to].name) !=
              std::string::npos);
        swapped.insert(row);
    }
    CHECK(swapped.size() == heavy_rows.size());
    const json after = w.session(wed);
    for (const auto& [row, from] : heavy_rows)
        CHECK(after["coach_notes"].get<std::string>().find("swapped " + mv[from].name + " for " + mv[w.exercise(wed, row)["movement_id"].get<int64_t>()].name) !=
              std::string::npos);
    // Stored demand follows the new content: the rows' stimulus and fatigue, the session's duration and CNS load.
    for (const auto& e : after["exercises"]) {
        const Mv& m = mv[e["movement_id"].get<int64_t>()];
        CHECK(e["stimulus"].get<double>() == doctest::Approx(std::round(e["target_sets"].get<int>() * m.stimulus * 100) / 100));
        CHECK(e["fatigue"].get<double>() == doctest::Approx(std::round(e["target_sets"].get<int>() * m.fatigue * 100) / 100));
    }
    CHECK(after["estimated_duration_minutes"].get<int>() < before["estimated_duration_minutes"].get<int>());
    CHECK(after["cns_fatigue"].get<double>() < before["cns_fatigue"].get<double>());
    const plan_check::Report report = plan_check::check_program(*w.db, w.program);
    CHECK_MESSAGE(report.ok(), report.summary());

    // The same state: nothing changes (the swap is kept, not re-ranked).
    CHECK(w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}, {"sessions", 1}})["changed"] == 0);
    // A fresh day: the planned lifts and prescriptions come back exactly.
    w.signals("2026-03-04", 62, 54, 80);
    json fresh = w.adapt({{"program_id", w.program}, {"date", "2026-03-04"}, {"sessions", 1}});
    for (const auto& c : fresh["changes"]) CHECK(c["action"] == "restored");
    CHECK(w.planned(wed) == before);
}
