// OAuth tokens are stored only sealed, in every build (with or without the PostgreSQL sync): the
// sealed format is checked, not just its prefix, and tokens left in clear are cleared on open.
#include <doctest/doctest.h>
#include <gainsly/gainsly.h>

#include "store/sqlite.hpp"

#include <string>

#include "test_util.hpp"

namespace {

int32_t reverse_seal(void*, const char* in, size_t n, char* out, size_t cap, size_t* out_len) {
    *out_len = n;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; ++i) out[n - 1 - i] = in[i];
    return 0;
}

std::string account_row(int64_t user, const std::string& token) {
    return R"({"user_id":)" + std::to_string(user) + R"(,"provider_type":"strava","access_token":")" + token + "\"}";
}

}  // namespace

TEST_CASE("tokens: only the sealed format is stored, not anything with its prefix") {
    TempDir dir;
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(dir.file("t.db").c_str(), &db) == GS_OK);
    int64_t user = 0, id = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"t@example.com"})", &user) == GS_OK);
    for (const char* bad : {"gs-sealed:", "gs-sealed:ya29.plain-token", "gs-sealed:QUJD=", "gs-sealed:QU=D", "gs-sealed:Q===", "GS-SEALED:QUJD", "ya29.plain"}) {
        CHECK_MESSAGE(gs_row_insert(db, "external_provider_accounts", account_row(user, bad).c_str(), &id) == GS_ERR_CONSTRAINT, bad);
        CHECK(std::string(gs_error_message(db)).find("sealed") != std::string::npos);
    }
    REQUIRE(gs_row_insert(db, "external_provider_accounts", account_row(user, "gs-sealed:QUJD").c_str(), &id) == GS_OK);
    CHECK(gs_row_update(db, "external_provider_accounts", id, R"({"refresh_token":"gs-sealed:ya29 plain"})") == GS_ERR_CONSTRAINT);
    CHECK(gs_row_update(db, "external_provider_accounts", id, R"({"refresh_token":"gs-sealed:QUI="})") == GS_OK);
    // Sealing works in every build too.
    gs_token_sealer sealer{sizeof(gs_token_sealer), nullptr, reverse_seal, reverse_seal};
    REQUIRE(gs_token_set_sealer(db, &sealer) == GS_OK);
    char* sealed = nullptr;
    REQUIRE(gs_token_seal(db, "ya29.secret", &sealed) == GS_OK);
    CHECK(gs_row_update(db, "external_provider_accounts", id, (R"({"access_token":")" + std::string(sealed) + "\"}").c_str()) == GS_OK);
    gs_string_free(sealed);
    gs_db_close(db);
}

TEST_CASE("tokens: a token stored in clear before the rule existed is cleared when the file is opened") {
    TempDir dir;
    const std::string path = dir.file("old.db");
    gs_db* db = nullptr;
    REQUIRE(gs_db_open(path.c_str(), &db) == GS_OK);
    int64_t user = 0, kept = 0, leaked = 0;
    REQUIRE(gs_row_insert(db, "users", R"({"email":"t@example.com"})", &user) == GS_OK);
    REQUIRE(gs_row_insert(db, "external_provider_accounts", account_row(user, "gs-sealed:QUJD").c_str(), &kept) == GS_OK);
    REQUIRE(gs_row_insert(db, "external_provider_accounts", account_row(user, "gs-sealed:QUJD").c_str(), &leaked) == GS_OK);
    gs_db_close(db);
    {
        // What an older library (only a prefix check) or another SQLite client could leave.
        gainsly::sqlite::Database raw(path, gainsly::sqlite::OPEN_READWRITE);
        raw.exec("DROP TRIGGER gs_token_u_access_token");
        raw.exec("DROP TRIGGER gs_token_u_refresh_token");
        raw.exec("UPDATE external_provider_accounts SET access_token = 'ya29.secret-in-clear', refresh_token = 'gs-sealed:1//refresh in clear' WHERE id = " +
                 std::to_string(leaked));
    }
    REQUIRE_MESSAGE(gs_db_open(path.c_str(), &db) == GS_OK, std::string(gs_error_message(nullptr)));
    char* row = nullptr;
    REQUIRE(gs_row_get(db, "external_provider_accounts", leaked, &row) == GS_OK);
    std::string r = row;
    gs_string_free(row);
    CHECK(r.find("secret-in-clear") == std::string::npos);
    CHECK(r.find("refresh in clear") == std::string::npos);
    REQUIRE(gs_row_get(db, "external_provider_accounts", kept, &row) == GS_OK);
    CHECK(std::string(row).find("gs-sealed:QUJD") != std::string::npos);
    gs_string_free(row);
    // The rule is back in place.
    CHECK(gs_row_update(db, "external_provider_accounts", leaked, R"({"access_token":"ya29.again"})") == GS_ERR_CONSTRAINT);
    gs_db_close(db);
    CHECK(read_file(path).find("secret-in-clear") == std::string::npos);  // not left in the file's free space either
}
