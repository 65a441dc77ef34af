#include "sync/tokens.hpp"

#include <sqlite3.h>

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
        throw Error(Status::invalid, "token: no token sealer registered on this handle (gs_set_token_sealer)");
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    sqlite3_bind_text(st, 1, arg.data(), int(arg.size()), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) throw Error(Status::auth, std::string("token: ") + sqlite3_errmsg(h));
    const char* out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    return out ? std::string(out, size_t(sqlite3_column_bytes(st, 0))) : std::string();
}

}  // namespace

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
