// Options structs, enumerations and opening modes of the C ABI: every options struct has an _INIT
// macro and an _init function that agree, one size rule, a read-only open that never writes, and
// enumeration values outside their range refused as invalid input.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "test_util.hpp"

namespace {

bool same(const gs_db_options& a, const gs_db_options& b) { return a.size == b.size && a.flags == b.flags && a.busy_timeout_ms == b.busy_timeout_ms; }
bool same(const gs_sync_options& a, const gs_sync_options& b) {
    return a.size == b.size && a.user_uid == b.user_uid && a.batch_rows == b.batch_rows && a.timeout_ms == b.timeout_ms &&
           a.progress == b.progress && a.progress_context == b.progress_context;
}
bool same(const gs_set_options& a, const gs_set_options& b) { return a.size == b.size && a.velocity == b.velocity && a.notes == b.notes; }
bool same(const gs_server_options& a, const gs_server_options& b) {
    return a.size == b.size && a.account_role == b.account_role && a.timeout_ms == b.timeout_ms;
}
bool same(const gs_token_sealer& a, const gs_token_sealer& b) {
    return a.size == b.size && a.context == b.context && a.seal == b.seal && a.open == b.open;
}

template <class T>
void check_init_agrees(int32_t (*init)(T*, uint32_t), const T& macro) {
    T filled;
    std::memset(static_cast<void*>(&filled), 0xAB, sizeof filled);
    REQUIRE(init(&filled, uint32_t(sizeof(T))) == GS_OK);
    CHECK(same(filled, macro));
    CHECK(init(nullptr, uint32_t(sizeof(T))) == GS_ERR_INVALID);
    CHECK(init(&filled, uint32_t(sizeof(T) + 8)) == GS_ERR_INVALID);  // a newer header's struct
    CHECK(std::string(gs_error_message(nullptr)).find("size") != std::string::npos);
    CHECK(init(&filled, 0) == GS_ERR_INVALID);
}

}  // namespace

TEST_CASE("C ABI options: each _init function fills what its _INIT macro does, and refuses unknown sizes") {
    const gs_db_options db_init = GS_DB_OPTIONS_INIT;
    const gs_sync_options sync_init = GS_SYNC_OPTIONS_INIT;
    const gs_set_options set_init = GS_SET_OPTIONS_INIT;
    const gs_token_sealer sealer_init = GS_TOKEN_SEALER_INIT;
    check_init_agrees(gs_db_options_init, db_init);
    check_init_agrees(gs_sync_options_init, sync_init);
    check_init_agrees(gs_set_options_init, set_init);
    check_init_agrees(gs_token_sealer_init, sealer_init);
    const gs_server_options server_init = GS_SERVER_OPTIONS_INIT;
    check_init_agrees(gs_server_options_init, server_init);
}

TEST_CASE("C ABI options: one size rule, naming the field, for every struct a call reads") {
    TempDir dir;
    gs_db_options o = GS_DB_OPTIONS_INIT;
    o.size = uint32_t(sizeof o + 4);
    gs_db* db = nullptr;
    CHECK(gs_db_open_v2(dir.file("a.db").c_str(), &o, &db) == GS_ERR_INVALID);
    CHECK(db == nullptr);
    CHECK(std::string(gs_error_message(nullptr)).rfind("opts.size:", 0) == 0);
    o = GS_DB_OPTIONS_INIT;
    o.flags = 0x80;
    CHECK(gs_db_open_v2(dir.file("a.db").c_str(), &o, &db) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(nullptr)).rfind("opts.flags:", 0) == 0);
    o = GS_DB_OPTIONS_INIT;
    o.busy_timeout_ms = -1;
    CHECK(gs_db_open_v2(dir.file("a.db").c_str(), &o, &db) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(nullptr)).rfind("opts.busy_timeout_ms:", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(dir.file("a.db")));  // nothing was created by a refused open

    REQUIRE(gs_db_open_v2(dir.file("a.db").c_str(), nullptr, &db) == GS_OK);
    gs_token_sealer sealer = GS_TOKEN_SEALER_INIT;
    sealer.size = 4;
    CHECK(gs_token_set_sealer(db, &sealer) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).rfind("sealer.size:", 0) == 0);
    gs_sync_options so = GS_SYNC_OPTIONS_INIT;
    so.size = 4096;
    char* out = nullptr;
    CHECK(gs_sync_export_batch(db, &so, &out) != GS_OK);
    CHECK(std::string(gs_error_message(db)).rfind("opts.size:", 0) == 0);
    gs_db_close(db);

    // The server handle's options are checked before any connection is tried (port 1 never answers).
    gs_server_options sv = GS_SERVER_OPTIONS_INIT;
    gs_server* server = nullptr;
    sv.size = 4;
    CHECK(gs_server_open("host=127.0.0.1 port=1", &sv, &server) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(nullptr)).rfind("opts.size:", 0) == 0);
    sv = GS_SERVER_OPTIONS_INIT;
    sv.timeout_ms = 0;
    CHECK(gs_server_open("host=127.0.0.1 port=1", &sv, &server) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(nullptr)).rfind("opts.timeout_ms:", 0) == 0);
    CHECK(gs_server_open("host=127.0.0.1 port=1", nullptr, nullptr) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(nullptr)).rfind("out_server:", 0) == 0);
    CHECK(server == nullptr);
}

TEST_CASE("C ABI: a read-only handle reads, never writes, and never creates or migrates a file") {
    TempDir dir;
    const std::string path = dir.file("ro.db");
    gs_db_options ro = GS_DB_OPTIONS_INIT;
    ro.flags = GS_OPEN_READ_ONLY;
    gs_db* db = nullptr;
    CHECK(gs_db_open_v2(path.c_str(), &ro, &db) == GS_ERR_NOT_FOUND);
    CHECK_FALSE(std::filesystem::exists(path));

    gs_db* rw = nullptr;
    REQUIRE(gs_db_open(path.c_str(), &rw) == GS_OK);
    int64_t user = 0;
    REQUIRE(gs_row_insert(rw, "users", R"({"email":"ro@example.com"})", &user) == GS_OK);

    REQUIRE(gs_db_open_v2(path.c_str(), &ro, &db) == GS_OK);
    char* json = nullptr;
    REQUIRE(gs_row_get(db, "users", user, &json) == GS_OK);
    CHECK(std::string(json).find("ro@example.com") != std::string::npos);
    gs_string_free(json);
    CHECK(gs_row_insert(db, "users", R"({"email":"no@example.com"})", nullptr) == GS_ERR_READONLY);
    CHECK(gs_row_update(db, "users", user, R"({"email":"changed@example.com"})") == GS_ERR_READONLY);
    CHECK(gs_row_delete(db, "users", user) == GS_ERR_READONLY);
    CHECK(std::string(gs_status_name(GS_ERR_READONLY)) == "GS_ERR_READONLY");
    gs_db_close(db);

    REQUIRE(gs_row_get(rw, "users", user, &json) == GS_OK);  // unchanged, seen through the writer
    CHECK(std::string(json).find("ro@example.com") != std::string::npos);
    gs_string_free(json);
    gs_db_close(rw);
}

TEST_CASE("C ABI: enumeration values outside their range are invalid input, not undefined behaviour") {
    double out = 0;
    CHECK(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(7), 100, 5, 0, &out) == GS_ERR_INVALID);
    CHECK(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(-1), 100, 5, 0, &out) == GS_ERR_INVALID);
    CHECK(gs_e1rm_estimate(GS_E1RM_LANDER, 100, 5, 0, &out) == GS_OK);
    CHECK(out > 100);
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("e.db").c_str(), &db) == GS_OK);
    char* report = nullptr;
    CHECK(gs_db_import(db, static_cast<gs_import_format>(99), "{}", &report) == GS_ERR_INVALID);
    CHECK(std::string(gs_error_message(db)).rfind("format:", 0) == 0);
    CHECK(report == nullptr);
    gs_db_close(db);
}
