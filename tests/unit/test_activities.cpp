// Activities outside the gym (src/training: log_activity and the daily state). Expected numbers are
// worked by hand from the shipped heuristics and catalog ("hand: ..."): an activity counts as
// minutes / 15 sets (kActivityMinutesPerSet); intensity 8 read as RPE 8: effort 0.8; Cycling loads
// quadriceps with magnitude 1.0 and has stress_points 3.0; muscle points 10 per unit, quadriceps
// tau 36 h; systemic 2.5 points per unit, tau 48 h.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "catalog/catalog.hpp"
#include "model/error.hpp"
#include "model/time.hpp"
#include "store/database.hpp"
#include "training/training.hpp"
#include "test_util.hpp"

using gainsly::Error;
using gainsly::Status;
using gainsly::store::Database;
using gainsly::store::json;
namespace training = gainsly::training;
using doctest::Approx;

namespace {

struct Fixture {
    TempDir dir;
    Database db{dir.file("activities.db")};
    int64_t user = 0;
    Fixture() {
        gainsly::catalog::install(db);
        user = db.insert("users", {{"email", "rider@example.com"}, {"persona_aggression", 3}});
    }
    json state(const std::string& date) {
        return training::day_state_json(training::day_state(db, user, *gainsly::model::parse_date(date)));
    }
    int64_t count(const std::string& table) { return int64_t(db.select(table, json::object()).size()); }
};

std::string error_of(const std::function<void()>& f, Status expected) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(int(e.status()) == int(expected));
        return e.what();
    }
    FAIL("no error");
    return "";
}

}  // namespace

TEST_CASE("a logged ride adds muscle and systemic fatigue by duration, intensity and its muscles") {
    Fixture f;
    json r = training::log_activity(f.db, {{"user_id", f.user}, {"date", "2026-03-02"}, {"activity", "cycling"},
                                           {"duration_minutes", 180}, {"intensity", 8}});
    CHECK(r["activity"] == "Cycling");
    const int64_t instance = r["activity_instance_id"].get<int64_t>();
    // hand: 180 / 15 = 12 sets x 0.8 x 1.0 x 10 = 96 quadriceps points; 12 x 3.0 x 0.8 x 2.5 = 72 systemic.
    CHECK(r["state"]["muscle_fatigue"]["quadriceps"].get<double>() == Approx(96.0));
    CHECK(r["state"]["systemic_fatigue"].get<double>() == Approx(72.0));
    REQUIRE(r["state"]["activities"].size() == 1);
    CHECK(r["state"]["activities"][0]["set_equivalents"].get<double>() == Approx(12.0));
    // The stored state of that day, and the ride's own muscles (copied from the definition).
    json ufs = f.db.select("user_fatigue_state", {{"user_id", f.user}, {"date", "2026-03-02"}});
    REQUIRE(ufs.size() == 1);
    CHECK(ufs[0]["systemic_fatigue"].get<double>() == Approx(72.0));
    CHECK(f.db.select("activity_muscle_map", {{"activity_instance_id", instance}}).size() == 5);
    json session = f.db.get("sessions", r["session_id"].get<int64_t>());
    CHECK(session["session_type"] == "cardio");
    CHECK(session["program_id"].is_null());
    // The next day: 96 e^(-24/36) and 72 e^(-24/48).
    json next = f.state("2026-03-03");
    CHECK(next["muscle_fatigue"]["quadriceps"].get<double>() == Approx(96.0 * std::exp(-24.0 / 36.0)).epsilon(1e-3));
    CHECK(next["systemic_fatigue"].get<double>() == Approx(72.0 * std::exp(-0.5)).epsilon(1e-3));
    // Upper-body muscles are untouched.
    CHECK_FALSE(next["muscle_fatigue"].contains("chest"));

    // The same ride from a second provider (rows as an ingestion writes them), linked as a duplicate:
    // counted once. Unlinked, it would count twice.
    const int64_t cycling = f.db.select("activity_definitions", {{"enjoyable_activity", "cycling"}})[0]["id"].get<int64_t>();
    const int64_t other_session = f.db.insert("sessions", {{"user_id", f.user}, {"date", "2026-03-02"}, {"session_type", "cardio"}});
    const int64_t copy = f.db.insert("activity_instances", {{"session_id", other_session}, {"activity_definition_id", cycling},
                                                            {"completed", true}, {"actual_duration_seconds", 10800}, {"actual_intensity", 8}});
    training::recompute_days(f.db, f.user, *gainsly::model::parse_date("2026-03-02"), *gainsly::model::parse_date("2026-03-03"));
    CHECK(f.state("2026-03-02")["systemic_fatigue"].get<double>() == Approx(100.0));  // 144, capped
    f.db.insert("activity_instance_links", {{"source_activity_instance_id", instance}, {"target_activity_instance_id", copy},
                                            {"link_type", "substitution"}, {"notes", "same ride from two providers"}});
    training::recompute_days(f.db, f.user, *gainsly::model::parse_date("2026-03-02"), *gainsly::model::parse_date("2026-03-03"));
    CHECK(f.state("2026-03-02")["systemic_fatigue"].get<double>() == Approx(72.0));
    CHECK(f.state("2026-03-02")["activities"].size() == 1);
    CHECK(f.db.select("user_fatigue_state", {{"user_id", f.user}, {"date", "2026-03-02"}})[0]["systemic_fatigue"].get<double>() == Approx(72.0));
    // A planned, not completed activity adds nothing.
    f.db.insert("activity_instances", {{"session_id", other_session}, {"activity_definition_id", cycling}, {"completed", false},
                                       {"actual_duration_seconds", 7200}});
    CHECK(f.state("2026-03-02")["systemic_fatigue"].get<double>() == Approx(72.0));
}

TEST_CASE("log_activity: bad input names the field and writes nothing") {
    Fixture f;
    const int64_t other = f.db.insert("users", {{"email", "someone@example.com"}});
    const int64_t foreign = f.db.insert("sessions", {{"user_id", other}, {"date", "2026-03-02"}});
    const int64_t before = f.count("activity_instances"), sessions = f.count("sessions");
    auto bad = [&](json j, const std::string& field, Status status = Status::invalid) {
        if (!j.contains("user_id")) j["user_id"] = f.user;
        if (!j.contains("date")) j["date"] = "2026-03-02";
        if (!j.contains("activity")) j["activity"] = "cycling";
        if (!j.contains("duration_minutes")) j["duration_minutes"] = 60;
        std::string m = error_of([&] { training::log_activity(f.db, j); }, status);
        CHECK_MESSAGE(m.rfind(field + ":", 0) == 0, m);
    };
    bad({{"activity", "underwater hockey"}}, "activity.activity");
    bad({{"duration_minutes", 0}}, "activity.duration_minutes");
    bad({{"duration_minutes", 2000}}, "activity.duration_minutes");
    bad({{"intensity", 11}}, "activity.intensity");
    bad({{"date", "tomorrow"}}, "activity.date");
    bad({{"session_id", foreign}}, "activity.session_id");
    bad({{"session_id", 99999}}, "activity.session_id", Status::not_found);
    bad({{"user_id", 99999}}, "user_id", Status::not_found);
    bad({{"pace", 3}}, "activity.pace");
    CHECK(f.count("activity_instances") == before);
    CHECK(f.count("sessions") == sessions);
}
