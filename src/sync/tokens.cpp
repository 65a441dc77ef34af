#include "sync/tokens.hpp"

#include "store/sqlite.hpp"
#include <sqlite3.h>

#include <map>

#include "model/error.hpp"

namespace gainsly::sync {
namespace {

constexpr const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The sealer travels as SQL functions' user data, so SQLite frees it with the connection.
struct Slot {
    std::shared_ptr<TokenSealer> sealer;
    bool sealing;
};

void call(sqlite3_context* ctx, int, sqlite3_value** argv) {
    auto* slot = static_cast<Slot*>(sqlite3_user_data(ctx));
    const char* in = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    if (!in) {
        sqlite3_result_null(ctx);
        return;
    }
    std::string_view text(in, size_t(sqlite3_value_bytes(argv[0])));
    try {
        std::string out;
        if (slot->sealing) {
            out = std::string(sealed_prefix) + base64_encode(slot->sealer->seal(text));
        } else {
            if (text.substr(0, sealed_prefix.size()) != sealed_prefix) throw Error(Status::invalid, "token: not a sealed token");
            out = slot->sealer->open(base64_decode(text.substr(sealed_prefix.size())));
        }
        sqlite3_result_text(ctx, out.data(), int(out.size()), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(ctx, e.what(), -1);
    } catch (...) {
        sqlite3_result_error(ctx, "token sealer failed", -1);
    }
}

void destroy(void* p) { delete static_cast<Slot*>(p); }

std::string run(store::Database& db, const char* fn, std::string_view arg) {
    sqlite3* h = db.sql().getHandle();
    sqlite3_stmt* st = nullptr;
    std::string sql = std::string("SELECT ") + fn + "(?)";
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        throw Error(Status::invalid, "token: no token sealer registered on this handle (gs_token_set_sealer)");
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    sqlite3_bind_text(st, 1, arg.data(), int(arg.size()), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) throw Error(Status::auth, std::string("token: ") + sqlite3_errmsg(h));
    const char* out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    return out ? std::string(out, size_t(sqlite3_column_bytes(st, 0))) : std::string();
}

// True (as SQL) when column `c` of NEW or the row holds something other than a sealed token:
// "gs-sealed:" then base64 (alphabet only, a multiple of 4, at most two '=' and only at the end).
std::string not_sealed(const std::string& c) {
    const std::string b = "substr(" + c + ", 11)";
    return "(" + c + " IS NOT NULL AND NOT (substr(" + c + ", 1, 10) = 'gs-sealed:' AND length(" + c + ") > 10 AND (length(" + c + ") - 10) % 4 = 0 AND " +
           b + " NOT GLOB '*[^A-Za-z0-9+/=]*' AND rtrim(" + b + ", '=') NOT GLOB '*=*' AND length(" + c + ") - length(rtrim(" + c + ", '=')) <= 2))";
}

constexpr const char* token_columns[] = {"access_token", "refresh_token"};

std::map<std::string, std::string> token_triggers() {
    std::map<std::string, std::string> out;
    for (const char* col : token_columns)
        for (const char* ev : {"INSERT", "UPDATE"}) {
            std::string name = std::string("gs_token_") + (ev[0] == 'I' ? "i_" : "u_") + col;
            out[name] = "CREATE TRIGGER " + name + " BEFORE " + ev + " ON external_provider_accounts WHEN " + not_sealed(std::string("NEW.") + col) +
                        " BEGIN SELECT RAISE(ABORT, 'external_provider_accounts." + col +
                        ": tokens are stored sealed only; seal it with gs_token_seal (register a sealer with gs_token_set_sealer)'); END";
        }
    return out;
}

}  // namespace

int install_token_rule(store::Database& db) {
    sqlite::Database& sql = db.sql();
    const auto want = token_triggers();
    std::map<std::string, std::string> have;
    {
        sqlite::Statement s(sql, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gs\\_token\\_%' ESCAPE '\\'");
        while (s.executeStep()) have[s.getColumn(0).getString()] = s.getColumn(1).getString();
    }
    std::string clear_where;
    for (const char* col : token_columns) clear_where += std::string(clear_where.empty() ? "" : " OR ") + not_sealed(col);
    const bool stale = have != want;
    const int in_clear = sql.execAndGet("SELECT count(*) FROM external_provider_accounts WHERE " + clear_where).getInt();
    if (!stale && in_clear == 0) return 0;  // the common open: nothing to write
    // Overwrite the cleared bytes in the file rather than leave them in free space.
    const int secure = sql.execAndGet("PRAGMA secure_delete").getInt();
    sql.exec("PRAGMA secure_delete = ON");
    const bool outer = db.in_transaction();
    sql.exec(outer ? "SAVEPOINT gs_token_rule" : "BEGIN IMMEDIATE");
    try {
        for (const auto& [name, text] : have) sql.exec("DROP TRIGGER " + name);
        for (const auto& [name, text] : want) sql.exec(text);
        std::string sets;  // one statement: the rule checks both columns of the updated row
        for (const char* col : token_columns)
            sets += std::string(sets.empty() ? "" : ", ") + col + " = CASE WHEN " + not_sealed(col) + " THEN NULL ELSE " + col + " END";
        sql.exec("UPDATE external_provider_accounts SET " + sets + " WHERE " + clear_where);
        sql.exec(outer ? "RELEASE gs_token_rule" : "COMMIT");
    } catch (...) {
        try {
            sql.exec(outer ? "ROLLBACK TO gs_token_rule" : "ROLLBACK");
            if (outer) sql.exec("RELEASE gs_token_rule");
        } catch (...) {
        }
        sql.exec("PRAGMA secure_delete = " + std::to_string(secure));
        throw;
    }
    sql.exec("PRAGMA secure_delete = " + std::to_string(secure));
    return in_clear;
}

std::string base64_encode(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
        for (int s : {18, 12, 6, 0}) out += alphabet[(v >> s) & 63];
    }
    if (i < in.size()) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16 | (i + 1 < in.size() ? uint32_t(uint8_t(in[i + 1])) << 8 : 0);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (in.size() % 4) invalid("token: malformed sealed token");
    std::string out;
    for (size_t i = 0; i < in.size(); i += 4) {
        int a = value(in[i]), b = value(in[i + 1]);
        int c = in[i + 2] == '=' ? 0 : value(in[i + 2]), d = in[i + 3] == '=' ? 0 : value(in[i + 3]);
        if (a < 0 || b < 0 || c < 0 || d < 0 || (in[i + 2] == '=' && in[i + 3] != '=') || ((in[i + 2] == '=' || in[i + 3] == '=') && i + 4 != in.size()))
            invalid("token: malformed sealed token");
        uint32_t v = uint32_t(a) << 18 | uint32_t(b) << 12 | uint32_t(c) << 6 | uint32_t(d);
        out += char(v >> 16);
        if (in[i + 2] != '=') out += char((v >> 8) & 0xFF);
        if (in[i + 3] != '=') out += char(v & 0xFF);
    }
    return out;
}

void set_token_sealer(store::Database& db, std::shared_ptr<TokenSealer> sealer) {
    sqlite3* h = db.sql().getHandle();
    for (bool sealing : {true, false}) {
        const char* name = sealing ? "gs_token_seal" : "gs_token_open";
        int rc;
        if (sealer) {
            // SQLite owns the slot from here: destroy() frees it, also when registration fails.
            rc = sqlite3_create_function_v2(h, name, 1, SQLITE_UTF8, new Slot{sealer, sealing}, call, nullptr, nullptr, destroy);
        } else {
            rc = sqlite3_create_function_v2(h, name, 1, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr, nullptr);
        }
        if (rc != SQLITE_OK) throw Error(Status::busy, std::string("token: cannot register the sealer: ") + sqlite3_errmsg(h));
    }
}

std::string seal_token(store::Database& db, std::string_view plain) { return run(db, "gs_token_seal", plain); }

std::string open_token(store::Database& db, std::string_view sealed) {
    if (sealed.substr(0, sealed_prefix.size()) != sealed_prefix) invalid("sealed: not a sealed token (no gs-sealed: prefix)");
    base64_decode(sealed.substr(sealed_prefix.size()));  // malformed input is the caller's error, not the sealer's
    return run(db, "gs_token_open", sealed);
}

}  // namespace gainsly::sync
