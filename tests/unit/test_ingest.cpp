// Ingestion of provider payloads through the C ABI (src/ingest): the sample payloads of
// tests/data/ingest (written for these tests from the providers' public field lists) ingested twice
// store every record once; a broken record fails alone; recovery signals equal hand-computed values
// against each source's own baseline; the same run from two providers is linked, counted once.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include "store/sqlite.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "test_util.hpp"

using nlohmann::json;

namespace {

std::string sample(const std::string& name) { return read_file(std::string(GAINSLY_SOURCE_DIR) + "/tests/data/ingest/" + name + ".json"); }

struct Fixture {
    TempDir dir;
    gs_db* db = nullptr;
    int64_t user = 0;
    Fixture() {
        REQUIRE(gs_db_open(dir.file("i.db").c_str(), &db) == GS_OK);
        REQUIRE(gs_row_insert(db, "users", R"({"email":"i@example.com"})", &user) == GS_OK);
    }
    ~Fixture() { gs_db_close(db); }
    int64_t account(const std::string& provider, const std::string& provider_user = "", int64_t owner = 0) {
        json row = {{"user_id", owner ? owner : user}, {"provider_type", provider}};
        if (!provider_user.empty()) row["provider_user_id"] = provider_user;
        int64_t id = 0;
        REQUIRE(gs_row_insert(db, "external_provider_accounts", row.dump().c_str(), &id) == GS_OK);
        return id;
    }
    // Runs one payload; returns the status and fills `report` on success.
    int32_t ingest(int64_t account, const std::string& payload, json& report, const char* provider = nullptr) {
        std::string request = "{\"account_id\": " + std::to_string(account) + (provider ? std::string(", \"provider\": \"") + provider + "\"" : "") +
                              ", \"payload\": " + payload + "}";
        char* out = nullptr;
        int32_t rc = gs_ingest_run(db, request.c_str(), nullptr, &out);
        report = out ? json::parse(out) : json();
        gs_string_free(out);
        return rc;
    }
    int64_t count(const std::string& sql) {
        gainsly::sqlite::Database s(dir.file("i.db"), gainsly::sqlite::OPEN_READONLY);
        return s.execAndGet(sql).getInt64();
    }
    json signal(const std::string& date, const std::string& source) {
        gainsly::sqlite::Database s(dir.file("i.db"), gainsly::sqlite::OPEN_READONLY);
        gainsly::sqlite::Statement q(s, "SELECT hrv_score, resting_heart_rate, sleep_quality_score, readiness_score, overall_recovery_score FROM recovery_signals "
                               "WHERE signal_date = ? AND source = ? ORDER BY id DESC LIMIT 1");
        q.bind(1, date);
        q.bind(2, source);
        if (!q.executeStep()) return json();
        json out = json::array();
        for (int c = 0; c < 5; ++c) out.push_back(q.getColumn(c).isNull() ? json() : json(q.getColumn(c).getDouble()));
        return out;
    }
    // Every stored row of the ingestion tables, as one number per table, to compare two states.
    json counts() {
        return {count("SELECT count(*) FROM external_activity_records"), count("SELECT count(*) FROM external_metric_streams"),
                count("SELECT count(*) FROM recovery_signals"), count("SELECT count(*) FROM activity_instances"),
                count("SELECT count(*) FROM activity_muscle_map"), count("SELECT count(*) FROM activity_instance_links"),
                count("SELECT max(updated_at) FROM recovery_signals") > 0};
    }
};

}  // namespace

TEST_CASE("ingest: each provider's sample ingested twice stores every record once") {
    const char* providers[][2] = {{"oura", ""}, {"whoop", "10129"}, {"garmin", "garmin-user-7"}, {"apple_health", ""}, {"health_connect", ""}};
    for (const auto& p : providers) {
        CAPTURE(p[0]);
        Fixture f;
        const int64_t acc = f.account(p[0], p[1]);
        json first, second;
        REQUIRE(f.ingest(acc, sample(p[0]), first, p[0]) == GS_OK);
        CHECK(first["status"] == "succeeded");
        CHECK(first["failed"] == 0);
        CHECK(first["inserted"].get<int>() > 0);
        const json after_first = f.counts();
        const int64_t stamp = f.count("SELECT count(*) FROM recovery_signals WHERE updated_at = (SELECT max(updated_at) FROM recovery_signals)");
        REQUIRE(f.ingest(acc, sample(p[0]), second) == GS_OK);
        CHECK(second["status"] == "succeeded");
        CHECK(second["inserted"] == 0);
        CHECK(second["updated"] == 0);
        CHECK(second["unchanged"] == first["inserted"]);
        CHECK(f.counts() == after_first);
        CHECK(f.count("SELECT count(*) FROM recovery_signals WHERE updated_at = (SELECT max(updated_at) FROM recovery_signals)") == stamp);
        CHECK(f.count("SELECT count(*) FROM external_ingestion_runs WHERE status = 'succeeded' AND finished_at IS NOT NULL") == 2);
        // Unknown fields are kept in the raw JSON.
        CHECK(f.count("SELECT count(*) FROM (SELECT raw_data_json FROM external_metric_streams UNION ALL SELECT raw_data_json FROM external_activity_records) "
                      "WHERE raw_data_json IS NULL") == 0);
    }
}

TEST_CASE("ingest: a changed record is updated in place, not added") {
    Fixture f;
    const int64_t acc = f.account("oura");
    json r;
    REQUIRE(f.ingest(acc, sample("oura"), r) == GS_OK);
    const json before = f.counts();
    json changed = json::parse(sample("oura"));
    changed["data"][3]["average_hrv"] = 44;  // Oura recalculated the night of 2026-11-30
    REQUIRE(f.ingest(acc, changed.dump(), r) == GS_OK);
    CHECK(r["updated"] == 1);
    CHECK(r["inserted"] == 0);
    CHECK(f.counts()[0] == before[0]);
    CHECK(f.counts()[1] == before[1]);
    CHECK(f.signal("2026-11-30", "aura ring")[0] == 44.0);
    CHECK(f.count("SELECT count(*) FROM external_metric_streams WHERE raw_data_json LIKE '%sleep_phase_5_min%' AND value = 44") == 1);
}

TEST_CASE("ingest: recovery signals equal hand-computed values against the source's own baseline") {
    Fixture f;
    json r;
    REQUIRE(f.ingest(f.account("oura"), sample("oura"), r) == GS_OK);
    // Nights 27-29: 8 h asleep (sleep quality 100 -> x1.1), fewer than 3 earlier nights: no
    // HRV / resting-HR baseline. 80 x 1.1 = 88; no provider readiness: overall = readiness.
    CHECK(f.signal("2026-11-27", "aura ring") == json{50.0, 50.0, 100.0, 88.0, 88.0});
    CHECK(f.signal("2026-11-29", "aura ring") == json{54.0, 50.0, 100.0, 88.0, 88.0});
    // Night 30: 4 h asleep -> quality 50 (x1); HRV 40 vs baseline mean(50, 52, 54) = 52 is 23%
    // below (x0.8); resting HR 58 >= 50 + 5 (x0.85): 80 x 0.8 x 0.85 = 54.4; Oura's readiness 62.
    CHECK(f.signal("2026-11-30", "aura ring") == json{40.0, 58.0, 50.0, 54.4, 62.0});
    // The day's own row (training's, lowest id) stays the library's and comes first.
    CHECK(f.count("SELECT count(*) FROM recovery_signals s WHERE source IS NOT NULL AND id = (SELECT min(id) FROM recovery_signals d WHERE d.signal_date = s.signal_date)") == 0);

    // Whoop: recovery 44, RHR 64, RMSSD 31.81; sleep performance 98 -> x1.1: 88.
    REQUIRE(f.ingest(f.account("whoop", "10129"), sample("whoop"), r) == GS_OK);
    CHECK(f.signal("2026-11-30", "whoop band") == json{31.81, 64.0, 98.0, 88.0, 44.0});
    // Apple: SDNN mean(62, 70) = 66 in its own row (never in an RMSSD baseline); asleep core 4 h +
    // deep 2 h = 6 h -> quality 75 (x1): 80.
    REQUIRE(f.ingest(f.account("apple_health"), sample("apple_health"), r) == GS_OK);
    CHECK(f.signal("2026-11-30", "apple") == json{66.0, 53.0, 75.0, 80.0, 80.0});
    // Health Connect: the records Garmin Connect wrote are garmin's; the one another app wrote is
    // stored, not processed. Asleep: light 4 h + deep 1.5 h + REM 1.75 h = 7.25 h -> 90.63.
    REQUIRE(f.ingest(f.account("health_connect"), sample("health_connect"), r) == GS_OK);
    CHECK(f.signal("2026-11-30", "garmin") == json{47.5, 51.0, 90.63, 88.0, 88.0});
    CHECK(f.count("SELECT count(*) FROM external_metric_streams WHERE metric_type = 'resting_heart_rate:com.sec.android.app.shealth' AND processed_to_signal_id IS NULL") == 1);
    // The climbing session lasts its one segment (16:05-17:20), not the whole 90 minutes.
    CHECK(f.count("SELECT count(*) FROM activity_instances ai JOIN activity_definitions d ON d.id = ai.activity_definition_id "
                  "WHERE d.name = 'Bouldering' AND ai.actual_duration_seconds = 4500") == 1);
    // Every nightly metric of a known source is linked to its signal.
    CHECK(f.count("SELECT count(*) FROM external_metric_streams WHERE metric_type IN ('hrv_rmssd', 'hrv_sdnn', 'readiness_score') AND processed_to_signal_id IS NULL") == 0);
}

TEST_CASE("ingest: workouts become activities with their muscles; the same run from two providers is linked and counted once") {
    Fixture f;
    json r;
    REQUIRE(f.ingest(f.account("garmin", "garmin-user-7"), sample("garmin"), r) == GS_OK);
    CHECK(r["activities"].size() == 2);
    REQUIRE(f.ingest(f.account("apple_health"), sample("apple_health"), r) == GS_OK);
    CHECK(r["linked"] == 1);
    REQUIRE(f.ingest(f.account("whoop", "10129"), sample("whoop"), r) == GS_OK);
    CHECK(f.count("SELECT count(*) FROM activity_instances") == 4);
    CHECK(f.count("SELECT count(*) FROM activity_instance_links WHERE link_type = 'substitution'") == 1);
    // Whoop's strain 14.7 of 21 -> intensity 7; the ride is Cycling with Cycling's muscles.
    CHECK(f.count("SELECT count(*) FROM activity_instances ai JOIN activity_definitions d ON d.id = ai.activity_definition_id "
                  "WHERE d.name = 'Cycling' AND ai.actual_intensity = 7.0 AND ai.actual_duration_seconds = 10800 AND ai.completed_at = '2026-11-29T18:00:00.000Z'") == 1);
    CHECK(f.count("SELECT count(*) FROM activity_muscle_map m JOIN activity_instances ai ON ai.id = m.activity_instance_id "
                  "WHERE ai.activity_definition_id = (SELECT id FROM activity_definitions WHERE name = 'Cycling')") ==
          f.count("SELECT count(*) FROM activity_definition_muscle_map WHERE activity_definition_id = (SELECT id FROM activity_definitions WHERE name = 'Cycling')"));
    char* out = nullptr;
    REQUIRE(gs_activity_list(f.db, f.user, "2026-11-28", "2026-12-01", &out) == GS_OK);
    json list = json::parse(out);
    gs_string_free(out);
    REQUIRE(list.size() == 3);  // the run once, the ride, the tennis
    CHECK(list[0]["name"] == "Running");
    CHECK(list[0]["provider"] == "garmin");
    CHECK(list[1]["name"] == "Cycling");
    CHECK(list[2]["name"] == "Tennis");
}

TEST_CASE("ingest: one broken record fails alone; the run is partial and nothing else is lost") {
    Fixture f;
    const int64_t acc = f.account("whoop", "10129");
    json payload = json::parse(sample("whoop"));
    payload["records"][0]["score"].erase("hrv_rmssd_milli");
    json other = payload["records"][2];
    other["id"] = "a-workout-of-someone-else";
    other["user_id"] = 777;
    payload["records"].push_back(other);
    json r;
    REQUIRE(f.ingest(acc, payload.dump(), r) == GS_OK);
    CHECK(r["status"] == "partial");
    CHECK(r["failed"] == 2);
    CHECK(r["inserted"] == 2);
    REQUIRE(r["errors"].size() == 2);
    CHECK(r["errors"][0]["message"].get<std::string>().find("records[0].score.hrv_rmssd_milli: missing") != std::string::npos);
    CHECK(r["errors"][1]["message"].get<std::string>().find("user 777 is not the account's provider user 10129") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM external_ingestion_runs WHERE status = 'partial' AND records_processed = 2 AND error_message LIKE '%hrv_rmssd_milli%'") == 1);
    CHECK(f.count("SELECT count(*) FROM external_activity_records") == 1);
    CHECK(f.count("SELECT count(*) FROM external_metric_streams WHERE metric_type = 'readiness_score'") == 0);
    CHECK(f.count("SELECT count(*) FROM external_metric_streams WHERE metric_type = 'sleep_score'") == 1);
}

TEST_CASE("ingest: bad requests are refused naming the field, and nothing is written") {
    Fixture f;
    const int64_t oura = f.account("oura");
    int64_t other_user = 0;
    REQUIRE(gs_row_insert(f.db, "users", R"({"email":"other@example.com"})", &other_user) == GS_OK);
    const int64_t strava = f.account("strava");
    auto refused = [&](const std::string& request, int32_t status, const std::string& words) {
        CAPTURE(request);
        char* out = nullptr;
        CHECK(gs_ingest_run(f.db, request.c_str(), nullptr, &out) == status);
        CHECK(out == nullptr);
        CHECK_MESSAGE(std::string(gs_error_message(f.db)).find(words) != std::string::npos, gs_error_message(f.db));
    };
    const std::string a = std::to_string(oura);
    refused("{\"account_id\": " + a + ", \"payload\": {\"data\": [}", GS_ERR_INVALID, "request_json");
    refused("{\"account_id\": " + a + ", \"provider\": \"fitbit2\", \"payload\": {\"data\": []}}", GS_ERR_INVALID, "request.provider: unknown provider 'fitbit2'");
    refused("{\"account_id\": " + a + ", \"provider\": \"whoop\", \"payload\": {\"records\": []}}", GS_ERR_INVALID, "is a 'oura' account");
    refused("{\"account_id\": 999, \"payload\": {\"data\": []}}", GS_ERR_NOT_FOUND, "request.account_id: no external_provider_accounts row 999");
    refused("{\"account_id\": " + a + ", \"user_id\": " + std::to_string(other_user) + ", \"payload\": {\"data\": []}}", GS_ERR_INVALID, "belongs to another user");
    refused("{\"account_id\": " + std::to_string(strava) + ", \"payload\": {}}", GS_ERR_INVALID, "has no adapter");
    refused("{\"account_id\": " + a + ", \"payload\": {\"records\": []}}", GS_ERR_INVALID, "payload.data: expected an array");
    refused("{\"account_id\": " + a + "}", GS_ERR_INVALID, "request.payload: missing");
    gs_ingest_options opts = GS_INGEST_OPTIONS_INIT;
    opts.run_type = static_cast<gs_ingest_run_type>(7);
    CHECK(gs_ingest_run(f.db, ("{\"account_id\": " + a + ", \"payload\": {\"data\": []}}").c_str(), &opts, nullptr) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(f.db)).find("opts.run_type") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM external_ingestion_runs") == 0);
}

TEST_CASE("ingest: a run that never finished is closed as failed by the next, which stores each record once") {
    Fixture f;
    const int64_t acc = f.account("garmin", "garmin-user-7");
    REQUIRE(gs_row_insert(f.db, "external_ingestion_runs",
                          ("{\"user_id\": " + std::to_string(f.user) + ", \"provider_account_id\": " + std::to_string(acc) + ", \"status\": \"running\"}").c_str(),
                          nullptr) == GS_OK);
    json r;
    REQUIRE(f.ingest(acc, sample("garmin"), r) == GS_OK);
    CHECK(f.count("SELECT count(*) FROM external_ingestion_runs WHERE status = 'failed' AND error_message LIKE 'interrupted%'") == 1);
    CHECK(f.count("SELECT count(*) FROM external_ingestion_runs WHERE status = 'succeeded'") == 1);
}

namespace {
int32_t reverse(void*, const char* in, size_t n, char* out, size_t cap, size_t* out_len) {
    *out_len = n;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; ++i) out[n - 1 - i] = in[i];
    return 0;
}
}  // namespace

TEST_CASE("ingest: provider tokens are stored sealed with their expiry; accounts due for a refresh are listed") {
    Fixture f;
    const int64_t soon = f.account("whoop"), later = f.account("oura"), none = f.account("garmin");
    CHECK(gs_provider_tokens_set(f.db, soon, "access-1", "refresh-1", "2020-01-01T00:00:00Z") == GS_ERR_INVALID);  // no sealer yet
    CHECK(std::string(gs_error_message(f.db)).find("gs_token_set_sealer") != std::string::npos);
    gs_token_sealer sealer{sizeof(gs_token_sealer), nullptr, reverse, reverse};
    REQUIRE(gs_token_set_sealer(f.db, &sealer) == GS_OK);
    REQUIRE(gs_provider_tokens_set(f.db, soon, "access-1", "refresh-1", "2020-01-01T00:00:00Z") == GS_OK);
    REQUIRE(gs_provider_tokens_set(f.db, later, "access-2", nullptr, "2999-01-01T00:00:00+01:00") == GS_OK);
    CHECK(gs_provider_tokens_set(f.db, 999, "x", nullptr, nullptr) == GS_ERR_NOT_FOUND);
    CHECK(gs_provider_tokens_set(f.db, later, nullptr, nullptr, "tomorrow") == GS_ERR_INVALID);
    CHECK(f.count("SELECT count(*) FROM external_provider_accounts WHERE access_token LIKE 'gs-sealed:%' AND access_token NOT LIKE '%access%'") == 2);
    char* out = nullptr;
    REQUIRE(gs_provider_tokens_list(f.db, f.user, 3600, &out) == GS_OK);
    json list = json::parse(out);
    gs_string_free(out);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] == soon);
    CHECK(list[0]["expired"] == true);
    CHECK(list[0]["has_refresh_token"] == true);
    (void)none;
    char* plain = nullptr;
    gainsly::sqlite::Database s(f.dir.file("i.db"), gainsly::sqlite::OPEN_READONLY);
    const std::string sealed = s.execAndGet("SELECT refresh_token FROM external_provider_accounts WHERE id = " + std::to_string(soon)).getString();
    REQUIRE(gs_token_unseal(f.db, sealed.c_str(), &plain) == GS_OK);
    CHECK(std::string(plain) == "refresh-1");
    gs_string_free(plain);
}
