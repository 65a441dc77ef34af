// OAuth tokens of provider accounts: sealed with the handle's sealer through the SQL function
// gs_token_seal that the sync layer registers (gs_token_set_sealer), so this layer needs no more
// than SQLite; the triggers on external_provider_accounts refuse anything not sealed.
#include "ingest/ingest.hpp"
#include "model/error.hpp"

namespace gainsly::ingest {
namespace {

std::string seal(Database& db, const std::string& plain, const char* field) {
    if (plain.empty()) invalid(std::string(field) + ": must not be empty (null leaves the stored token as it is)");
    try {
        auto& q = db.prepare("SELECT gs_token_seal(?)");
        q.bind(1, plain);
        q.executeStep();
        std::string sealed = q.getColumn(0).getString();
        q.tryReset();
        return sealed;
    } catch (const sqlite::Exception& e) {
        db.reset_statements();
        throw Error(Status::invalid, std::string(field) + ": cannot seal it: no token sealer registered on this handle (gs_token_set_sealer) or the sealer failed");
    }
}

}  // namespace

void store_tokens(Database& db, int64_t account_id, const json& access_token, const json& refresh_token, const json& expires_at) {
    if (!db.exists(db.schema().table("external_provider_accounts"), account_id))
        throw Error(Status::not_found, "account_id: no external_provider_accounts row " + std::to_string(account_id));
    json changes = json::object();
    auto token = [&](const json& v, const char* column) {
        if (v.is_null()) return;
        if (!v.is_string()) invalid(std::string(column) + ": expected a string or null");
        changes[column] = seal(db, v.get<std::string>(), column);
    };
    token(access_token, "access_token");
    token(refresh_token, "refresh_token");
    if (!expires_at.is_null()) {
        if (!expires_at.is_string()) invalid("token_expires_at: expected a timestamp or null");
        auto t = model::normalize_timestamp(expires_at.get<std::string>());
        if (!t) invalid("token_expires_at: '" + expires_at.get<std::string>() + "' is not an ISO-8601 timestamp with a zone");
        changes["token_expires_at"] = *t;
    }
    if (changes.empty()) return;
    changes["updated_at"] = model::now_timestamp();
    db.update("external_provider_accounts", account_id, changes);
}

json accounts_needing_refresh(Database& db, int64_t user_id, int64_t within_seconds) {
    if (within_seconds < 0) invalid("within_seconds: must be >= 0");
    const std::string now = model::now_timestamp();
    auto& r = db.prepare(
        "SELECT id, user_id, provider_type, token_expires_at, token_expires_at <= ?3, refresh_token IS NOT NULL FROM external_provider_accounts "
        "WHERE is_active AND (?1 = 0 OR user_id = ?1) AND (access_token IS NOT NULL OR refresh_token IS NOT NULL) "
        "AND ((token_expires_at IS NOT NULL AND token_expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', ?3, '+' || ?2 || ' seconds')) "
        "OR (token_expires_at IS NULL AND refresh_token IS NOT NULL)) ORDER BY token_expires_at, id");
    r.bind(1, user_id);
    r.bind(2, within_seconds);
    r.bind(3, now);
    json out = json::array();
    while (r.executeStep())
        out.push_back({{"id", r.getColumn(0).getInt64()},
                       {"user_id", r.getColumn(1).isNull() ? json(nullptr) : json(r.getColumn(1).getInt64())},
                       {"provider_type", r.getColumn(2).isNull() ? json(nullptr) : json(r.getColumn(2).getString())},
                       {"token_expires_at", r.getColumn(3).isNull() ? json(nullptr) : json(r.getColumn(3).getString())},
                       {"expired", !r.getColumn(4).isNull() && r.getColumn(4).getInt() != 0},
                       {"has_refresh_token", r.getColumn(5).getInt() != 0}});
    r.tryReset();
    return out;
}

}  // namespace gainsly::ingest
