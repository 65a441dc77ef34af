// The C ABI from outside: whatever the arguments (NULL, garbage, huge, invalid UTF-8), every call
// returns a status with a message and nothing crashes, leaks or is half-written.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <cstdio>
#include <cstring>
#include <thread>
#include <string>

#include "store/sqlite.hpp"
#include <nlohmann/json.hpp>
#include <set>

#include "test_util.hpp"

namespace {

struct Open {
    gs_db* db = nullptr;
    explicit Open(const std::string& path) { REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK); }
    ~Open() { gs_db_close(db); }
};

std::string message(const gs_db* db) { return gs_error_message(db); }

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

int64_t new_user(gs_db* db) {
    int64_t id = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"limits@example.com"})", &id) == GS_OK);
    return id;
}

}  // namespace

TEST_CASE("C ABI: NULL arguments are reported, never dereferenced") {
    TempDir dir;
    int64_t live = gs_debug_live_objects();
    gs_db* db = nullptr;
    CHECK(gs_db_open(nullptr, &db) == GS_ERR_INVALID);
    CHECK(db == nullptr);
    CHECK(message(nullptr).find("path") != std::string::npos);
    CHECK(gs_db_open(dir.file("x.db").c_str(), nullptr) == GS_ERR_INVALID);
    CHECK(message(nullptr).find("out_db") != std::string::npos);
    {
        Open o(dir.file("null.db"));
        char* out = reinterpret_cast<char*>(1);
        int64_t id = 7;
        CHECK(gs_row_insert(o.db, nullptr, "{}", &id) == GS_ERR_INVALID);
        CHECK(id == 0);
        CHECK(message(o.db) == "table: must not be NULL");
        CHECK(gs_row_insert(o.db, "users", nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db) == "row_json: must not be NULL");
        CHECK(gs_row_get(o.db, "users", 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_row_get(o.db, nullptr, 1, &out) == GS_ERR_INVALID);
        CHECK(out == nullptr);
        CHECK(gs_row_select(o.db, "users", nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_row_update(o.db, "users", 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_row_delete(o.db, nullptr, 1) == GS_ERR_INVALID);
        CHECK(gs_db_import(o.db, GS_IMPORT_CATALOG, nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_user_export(o.db, 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_session_get(o.db, 1, nullptr) == GS_ERR_INVALID);
    }
    for (auto call : {+[] { return gs_row_insert(nullptr, "users", "{}", nullptr); }, +[] { return gs_db_begin(nullptr); },
                      +[] { return gs_db_commit(nullptr); }, +[] { return gs_db_rollback(nullptr); },
                      +[] { return gs_row_delete(nullptr, "users", 1); }, +[] { return gs_row_update(nullptr, "users", 1, "{}"); }}) {
        CHECK(call() == GS_ERR_INVALID);
        CHECK(message(nullptr) == "db: must not be NULL");
    }
    gs_db_close(nullptr);
    gs_string_free(nullptr);
    CHECK(gs_debug_live_objects() == live);
}

TEST_CASE("C ABI: garbage, huge and invalid UTF-8 input is refused cleanly") {
    TempDir dir;
    int64_t live = gs_debug_live_objects();
    {
        Open o(dir.file("garbage.db"));
        const char* garbage[] = {"", "{", "nul", "[1,2", "{\"email\":}", "{\"email\":\"a\",}", "\x01\x02\x03", "{\"a\":1}{\"b\":2}",
                                 "{\"email\":\"\\ud800\"}", "1e999999", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["};
        for (const char* g : garbage) {
            CAPTURE(g);
            int32_t rc = gs_row_insert(o.db, "users", g, nullptr);
            CHECK(rc < 0);
            CHECK(!message(o.db).empty());
        }
        CHECK(gs_row_insert(o.db, "users", "{\"name\":\"\xff\xfe\"}", nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("invalid JSON") != std::string::npos);
        CHECK(gs_row_insert(o.db, "users\xff", "{}", nullptr) == GS_ERR_INVALID);
        std::string huge = "{\"notes\":\"" + std::string(8 << 20, 'x') + "\"}";
        CHECK(gs_row_insert(o.db, "users", huge.c_str(), nullptr) == GS_ERR_INVALID);  // users has no notes column
        CHECK(message(o.db).find("users.notes: unknown column") != std::string::npos);
        std::string deep(100000, '[');
        CHECK(gs_row_insert(o.db, "users", deep.c_str(), nullptr) == GS_ERR_INVALID);
        std::string huge_name = "{\"name\":\"" + std::string(4 << 20, 'y') + "\"}";
        CHECK(gs_row_insert(o.db, "users", huge_name.c_str(), nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("users.name: longer than 100") != std::string::npos);
        char* out = nullptr;
        REQUIRE(gs_row_select(o.db, "users", "{}", &out) == GS_OK);
        CHECK(std::string(out) == "[]");  // nothing was half-written
        gs_string_free(out);
        CHECK(gs_db_import(o.db, static_cast<gs_import_format>(99), "{}", nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("format") != std::string::npos);
        CHECK(gs_row_select(o.db, "users", "[1]", &out) == GS_ERR_INVALID);
        CHECK(gs_row_select(o.db, "users", "{\"nope\":1}", &out) == GS_ERR_INVALID);
        CHECK(message(o.db) == "users.nope: unknown column");
    }
    CHECK(gs_debug_live_objects() == live);
}

TEST_CASE("C ABI: Unicode of every width round-trips") {
    TempDir dir;
    Open o(dir.file("unicode.db"));
    const std::string name = "Zoë Łódź 東京 🏋️‍♀️ 𝄞";
    std::string doc = "{\"name\":\"" + name + "\",\"email\":\"u@example.com\"}";
    int64_t id = 0;
    REQUIRE(gs_row_insert(o.db, "users", doc.c_str(), &id) == GS_OK);
    char* out = nullptr;
    REQUIRE(gs_row_get(o.db, "users", id, &out) == GS_OK);
    CHECK(std::string(out).find(name) != std::string::npos);
    gs_string_free(out);
}

TEST_CASE("C ABI: a newer file is refused with GS_ERR_VERSION and a closed-handle style error model") {
    TempDir dir;
    std::string path = dir.file("v.db");
    {
        Open o(path);
        CHECK(gs_error_code(o.db) == GS_OK);
        CHECK(gs_row_insert(o.db, "nope", "{}", nullptr) == GS_ERR_INVALID);
        CHECK(gs_error_code(o.db) == GS_ERR_INVALID);
        CHECK(gs_row_insert(o.db, "users", "{}", nullptr) == GS_OK);
        CHECK(gs_error_code(o.db) == GS_OK);
        CHECK(message(o.db).empty());
    }
    {
        gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = 1000");
    }
    gs_db* db = nullptr;
    CHECK(gs_db_open(path.c_str(), &db) == GS_ERR_VERSION);
    CHECK(db == nullptr);
    CHECK(message(nullptr).find("newer") != std::string::npos);
    CHECK(std::strcmp(gs_status_name(GS_ERR_VERSION), "GS_ERR_VERSION") == 0);
    CHECK(std::strcmp(gs_status_name(12345), "GS_UNKNOWN") == 0);
}

TEST_CASE("C ABI: several handles on one file, in several threads, work together") {
    TempDir dir;
    std::string path = dir.file("shared.db");
    { Open first(path); }  // create the file (and its catalog) once
    auto writer = [&](int n, int* failures) {
        gs_db* db = nullptr;
        if (gs_db_open(path.c_str(), &db) != GS_OK) {
            std::fprintf(stderr, "writer %d: open: %s\n", n, gs_error_message(nullptr));
            ++*failures;
            return;
        }
        for (int i = 0; i < 200; ++i) {
            std::string doc = "{\"email\":\"w" + std::to_string(n) + "_" + std::to_string(i) + "@example.com\"}";
            if (gs_row_insert(db, "users", doc.c_str(), nullptr) != GS_OK) {
                if (!*failures) std::fprintf(stderr, "writer %d: insert: %s\n", n, gs_error_message(db));
                ++*failures;
            }
        }
        gs_db_close(db);
    };
    int failures_a = 0, failures_b = 0;
    std::thread a(writer, 1, &failures_a), b(writer, 2, &failures_b);
    a.join();
    b.join();
    CHECK(failures_a == 0);
    CHECK(failures_b == 0);
    Open reader(path);
    char* out = nullptr;
    REQUIRE(gs_row_select(reader.db, "users", nullptr, &out) == GS_OK);
    size_t rows = 0;
    for (const char* p = out; (p = std::strstr(p, "\"email\"")); ++p) ++rows;
    gs_string_free(out);
    CHECK(rows == 400);
}

// What the device refuses at write time because the PostgreSQL mirror would refuse it later
// (32-bit int columns, NUL in JSON), and the limits that keep any input from exhausting the
// stack or memory (JSON nesting depth, value size), through every JSON entry point.
TEST_CASE("device validation: values PostgreSQL would refuse are refused at gs_row_insert and gs_row_update, naming table.column") {
    TempDir dir;
    Open o(dir.file("v.db"));
    const std::string user = std::to_string(new_user(o.db));
    int64_t log = 0;
    // duration_seconds is `integer` (32 bits) on the server.
    CHECK(gs_row_insert(o.db, "workout_logs", (R"({"user_id":)" + user + R"(,"duration_seconds":3000000000})").c_str(), &log) == GS_ERR_INVALID);
    CHECK(message(o.db).find("workout_logs.duration_seconds: 3000000000 is out of range") != std::string::npos);
    CHECK(gs_row_insert(o.db, "workout_logs", (R"({"user_id":)" + user + R"(,"mood_before":-2147483649})").c_str(), &log) == GS_ERR_INVALID);
    REQUIRE(gs_row_insert(o.db, "workout_logs", (R"({"user_id":)" + user + R"(,"duration_seconds":2147483647})").c_str(), &log) == GS_OK);
    CHECK(gs_row_update(o.db, "workout_logs", log, R"({"duration_seconds":2147483648})") == GS_ERR_INVALID);
    CHECK(message(o.db).find("workout_logs.duration_seconds") != std::string::npos);
    // NUL in a JSON column (a string or a key): jsonb refuses \u0000.
    CHECK(gs_row_insert(o.db, "user_profiles", (R"({"user_id":)" + user + R"(,"scheduling_preferences":{"days":"a\u0000b"}})").c_str(), nullptr) ==
          GS_ERR_INVALID);
    CHECK(message(o.db).find("user_profiles.scheduling_preferences: contains a NUL character") != std::string::npos);
    CHECK(gs_row_insert(o.db, "user_profiles", (R"({"user_id":)" + user + R"(,"scheduling_preferences":{"\u0000":1}})").c_str(), nullptr) ==
          GS_ERR_INVALID);
    // Value size: one text value above 1 MiB.
    std::string notes = R"({"notes":")" + std::string(size_t(1) << 21, 'n') + R"("})";
    CHECK(gs_row_update(o.db, "workout_logs", log, notes.c_str()) == GS_ERR_INVALID);
    CHECK(message(o.db).find("workout_logs.notes: longer than 1048576 bytes") != std::string::npos);
    char* out = nullptr;
    REQUIRE(gs_row_get(o.db, "workout_logs", log, &out) == GS_OK);
    CHECK(std::string(out).find("\"duration_seconds\":2147483647") != std::string::npos);  // nothing half-written
    gs_string_free(out);
    // A filter may still look for any value an old file could hold.
    REQUIRE(gs_row_select(o.db, "workout_logs", R"({"duration_seconds":3000000000})", &out) == GS_OK);
    CHECK(std::string(out) == "[]");
    gs_string_free(out);
}

TEST_CASE("limits: JSON nested a million deep is refused by every JSON entry point, nothing crashes") {
    TempDir dir;
    int64_t live = gs_debug_live_objects();
    {
        Open o(dir.file("deep.db"));
        const std::string user = std::to_string(new_user(o.db));
        const std::string deep = nested(1000000);
        const std::string row = R"({"user_id":)" + user + R"(,"scheduling_preferences":)" + deep + "}";
        CHECK(gs_row_insert(o.db, "user_profiles", row.c_str(), nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("json: JSON nested deeper than") != std::string::npos);
        CHECK(gs_row_update(o.db, "users", 1, (R"({"name":"x","extra":)" + deep + "}").c_str()) == GS_ERR_INVALID);
        char* out = nullptr;
        CHECK(gs_row_select(o.db, "users", (R"({"name":)" + deep + "}").c_str(), &out) == GS_ERR_INVALID);
        CHECK(message(o.db).find("filter_json: JSON nested deeper") != std::string::npos);
        CHECK(gs_db_import(o.db, GS_IMPORT_USER_EXPORT, deep.c_str(), &out) == GS_ERR_INVALID);
        CHECK(gs_sync_import_page(o.db, deep.c_str(), &out) == GS_ERR_INVALID);  // the device half: in every build
        CHECK(gs_sync_import_ack(o.db, deep.c_str()) == GS_ERR_INVALID);
#ifdef GAINSLY_WITH_POSTGRES
        // The server side refuses it before connecting anywhere.
        CHECK(gs_server_push(nullptr, deep.c_str(), &out) == GS_ERR_INVALID);
        CHECK(message(nullptr).find("batch_json: JSON nested deeper") != std::string::npos);
        CHECK(gs_server_pull(nullptr, deep.c_str(), &out) == GS_ERR_INVALID);
        CHECK(message(nullptr).find("request_json: JSON nested deeper") != std::string::npos);
#endif
        // A column value just past the column limit, inside a document within the document limit.
        const std::string row65 = R"({"user_id":)" + user + R"(,"scheduling_preferences":)" + nested(65) + "}";
        CHECK(gs_row_insert(o.db, "user_profiles", row65.c_str(), nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("user_profiles.scheduling_preferences: JSON nested deeper than 64") != std::string::npos);
        const std::string row64 = R"({"user_id":)" + user + R"(,"scheduling_preferences":)" + nested(64) + "}";
        CHECK(gs_row_insert(o.db, "user_profiles", row64.c_str(), nullptr) == GS_OK);
#ifdef GAINSLY_WITH_POSTGRES
        // A batch within the document limit is parsed (and fails only for want of a server); past it, refused first.
        auto batch = [](size_t depth) {
            return std::string(R"({"format":"gainsly-sync/1","kind":"push","schema":2,"device":"01890a5d-ac96-774b-bcce-b302099a8057",)"
                               R"("user":"01890a5d-ac96-774b-bcce-b302099a8058","batch":"01890a5d-ac96-774b-bcce-b302099a8059","mutation":1,"base":0,)"
                               R"("changes":[{"table":"user_profiles","uid":"01890a5d-ac96-774b-bcce-b302099a805a","op":"update","hlc":1,)"
                               R"("values":{"scheduling_preferences":)") +
                   nested(depth) + "}}]}";
        };
        CHECK(gs_server_push(nullptr, batch(70).c_str(), &out) == GS_ERR_INVALID);
        CHECK(message(nullptr) == "server: must not be NULL");
        CHECK(gs_server_push(nullptr, batch(100).c_str(), &out) == GS_ERR_INVALID);
        CHECK(message(nullptr).find("batch_json: JSON nested deeper than 80") != std::string::npos);
#endif
    }
    CHECK(gs_debug_live_objects() == live);
}

TEST_CASE("C ABI: the device half of sync runs in every build; rows written through any handle are captured") {
    // A build without PostgreSQL once installed no insert capture at open: a row inserted through a
    // fresh handle never reached a batch, and the server never got it.
    TempDir dir;
    const std::string path = dir.file("device.db");
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK);
    int64_t user = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"half@example.com"})", &user) == GS_OK);
    gs_db_close(db);
    REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK);  // a new handle, as every app launch makes
    REQUIRE(gs_row_insert(db, "user_injuries", (R"({"user_id":)" + std::to_string(user) + R"(,"body_part":"quadriceps","severity":0.5})").c_str(),
                          nullptr) == GS_OK);
    char* batch = nullptr;
    REQUIRE(gs_sync_export_batch(db, nullptr, &batch) == GS_OK);
    REQUIRE(batch != nullptr);
    const auto doc = nlohmann::json::parse(batch);
    gs_string_free(batch);
    std::set<std::string> tables;
    for (const auto& change : doc["changes"])
        if (change["op"] == "insert") tables.insert(change["table"].get<std::string>());
    CHECK(tables.count("users") == 1);
    CHECK(tables.count("user_injuries") == 1);
    char* request = nullptr;
    REQUIRE(gs_sync_export_request(db, nullptr, &request) == GS_OK);
    CHECK(std::string(request).find("\"kind\":\"pull\"") != std::string::npos);
    gs_string_free(request);
    gs_db_close(db);
}
