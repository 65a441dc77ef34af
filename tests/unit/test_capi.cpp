// The C ABI from outside: whatever the arguments (NULL, garbage, huge, invalid UTF-8), every call
// returns a status with a message and nothing crashes, leaks or is half-written.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <cstdio>
#include <cstring>
#include <thread>
#include <string>

#include <SQLiteCpp/Database.h>

#include "test_util.hpp"

namespace {

struct Open {
    gs_db* db = nullptr;
    explicit Open(const std::string& path) { REQUIRE(gs_open(path.c_str(), &db) == GS_OK); }
    ~Open() { gs_close(db); }
};

std::string message(const gs_db* db) { return gs_errmsg(db); }

}  // namespace

TEST_CASE("C ABI: NULL arguments are reported, never dereferenced") {
    TempDir dir;
    int64_t live = gs_live_objects();
    gs_db* db = nullptr;
    CHECK(gs_open(nullptr, &db) == GS_ERR_INVALID);
    CHECK(db == nullptr);
    CHECK(message(nullptr).find("path") != std::string::npos);
    CHECK(gs_open(dir.file("x.db").c_str(), nullptr) == GS_ERR_INVALID);
    CHECK(message(nullptr).find("out") != std::string::npos);
    {
        Open o(dir.file("null.db"));
        char* out = reinterpret_cast<char*>(1);
        int64_t id = 7;
        CHECK(gs_insert(o.db, nullptr, "{}", &id) == GS_ERR_INVALID);
        CHECK(id == 0);
        CHECK(message(o.db) == "table: must not be NULL");
        CHECK(gs_insert(o.db, "users", nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db) == "json: must not be NULL");
        CHECK(gs_get(o.db, "users", 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_get(o.db, nullptr, 1, &out) == GS_ERR_INVALID);
        CHECK(out == nullptr);
        CHECK(gs_select(o.db, "users", nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_update(o.db, "users", 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_delete(o.db, nullptr, 1) == GS_ERR_INVALID);
        CHECK(gs_import(o.db, GS_IMPORT_CATALOG, nullptr, nullptr) == GS_ERR_INVALID);
        CHECK(gs_export_user(o.db, 1, nullptr) == GS_ERR_INVALID);
        CHECK(gs_get_session(o.db, 1, nullptr) == GS_ERR_INVALID);
    }
    for (auto call : {+[] { return gs_insert(nullptr, "users", "{}", nullptr); }, +[] { return gs_begin(nullptr); },
                      +[] { return gs_commit(nullptr); }, +[] { return gs_rollback(nullptr); },
                      +[] { return gs_delete(nullptr, "users", 1); }, +[] { return gs_update(nullptr, "users", 1, "{}"); }}) {
        CHECK(call() == GS_ERR_INVALID);
        CHECK(message(nullptr) == "db: must not be NULL");
    }
    gs_close(nullptr);
    gs_free(nullptr);
    CHECK(gs_live_objects() == live);
}

TEST_CASE("C ABI: garbage, huge and invalid UTF-8 input is refused cleanly") {
    TempDir dir;
    int64_t live = gs_live_objects();
    {
        Open o(dir.file("garbage.db"));
        const char* garbage[] = {"", "{", "nul", "[1,2", "{\"email\":}", "{\"email\":\"a\",}", "\x01\x02\x03", "{\"a\":1}{\"b\":2}",
                                 "{\"email\":\"\\ud800\"}", "1e999999", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["};
        for (const char* g : garbage) {
            CAPTURE(g);
            int32_t rc = gs_insert(o.db, "users", g, nullptr);
            CHECK(rc < 0);
            CHECK(!message(o.db).empty());
        }
        CHECK(gs_insert(o.db, "users", "{\"name\":\"\xff\xfe\"}", nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("invalid JSON") != std::string::npos);
        CHECK(gs_insert(o.db, "users\xff", "{}", nullptr) == GS_ERR_INVALID);
        std::string huge = "{\"notes\":\"" + std::string(8 << 20, 'x') + "\"}";
        CHECK(gs_insert(o.db, "users", huge.c_str(), nullptr) == GS_ERR_INVALID);  // users has no notes column
        CHECK(message(o.db).find("users.notes: unknown column") != std::string::npos);
        std::string deep(100000, '[');
        CHECK(gs_insert(o.db, "users", deep.c_str(), nullptr) == GS_ERR_INVALID);
        std::string huge_name = "{\"name\":\"" + std::string(4 << 20, 'y') + "\"}";
        CHECK(gs_insert(o.db, "users", huge_name.c_str(), nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("users.name: longer than 100") != std::string::npos);
        char* out = nullptr;
        REQUIRE(gs_select(o.db, "users", "{}", &out) == GS_OK);
        CHECK(std::string(out) == "[]");  // nothing was half-written
        gs_free(out);
        CHECK(gs_import(o.db, 99, "{}", nullptr) == GS_ERR_INVALID);
        CHECK(message(o.db).find("format") != std::string::npos);
        CHECK(gs_select(o.db, "users", "[1]", &out) == GS_ERR_INVALID);
        CHECK(gs_select(o.db, "users", "{\"nope\":1}", &out) == GS_ERR_INVALID);
        CHECK(message(o.db) == "users.nope: unknown column");
    }
    CHECK(gs_live_objects() == live);
}

TEST_CASE("C ABI: Unicode of every width round-trips") {
    TempDir dir;
    Open o(dir.file("unicode.db"));
    const std::string name = "Zoë Łódź 東京 🏋️‍♀️ 𝄞";
    std::string doc = "{\"name\":\"" + name + "\",\"email\":\"u@example.com\"}";
    int64_t id = 0;
    REQUIRE(gs_insert(o.db, "users", doc.c_str(), &id) == GS_OK);
    char* out = nullptr;
    REQUIRE(gs_get(o.db, "users", id, &out) == GS_OK);
    CHECK(std::string(out).find(name) != std::string::npos);
    gs_free(out);
}

TEST_CASE("C ABI: a newer file is refused with GS_ERR_VERSION and a closed-handle style error model") {
    TempDir dir;
    std::string path = dir.file("v.db");
    {
        Open o(path);
        CHECK(gs_errcode(o.db) == GS_OK);
        CHECK(gs_insert(o.db, "nope", "{}", nullptr) == GS_ERR_INVALID);
        CHECK(gs_errcode(o.db) == GS_ERR_INVALID);
        CHECK(gs_insert(o.db, "users", "{}", nullptr) == GS_OK);
        CHECK(gs_errcode(o.db) == GS_OK);
        CHECK(message(o.db).empty());
    }
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = 1000");
    }
    gs_db* db = nullptr;
    CHECK(gs_open(path.c_str(), &db) == GS_ERR_VERSION);
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
        if (gs_open(path.c_str(), &db) != GS_OK) {
            std::fprintf(stderr, "writer %d: open: %s\n", n, gs_errmsg(nullptr));
            ++*failures;
            return;
        }
        for (int i = 0; i < 200; ++i) {
            std::string doc = "{\"email\":\"w" + std::to_string(n) + "_" + std::to_string(i) + "@example.com\"}";
            if (gs_insert(db, "users", doc.c_str(), nullptr) != GS_OK) {
                if (!*failures) std::fprintf(stderr, "writer %d: insert: %s\n", n, gs_errmsg(db));
                ++*failures;
            }
        }
        gs_close(db);
    };
    int failures_a = 0, failures_b = 0;
    std::thread a(writer, 1, &failures_a), b(writer, 2, &failures_b);
    a.join();
    b.join();
    CHECK(failures_a == 0);
    CHECK(failures_b == 0);
    Open reader(path);
    char* out = nullptr;
    REQUIRE(gs_select(reader.db, "users", nullptr, &out) == GS_OK);
    size_t rows = 0;
    for (const char* p = out; (p = std::strstr(p, "\"email\"")); ++p) ++rows;
    gs_free(out);
    CHECK(rows == 400);
}
