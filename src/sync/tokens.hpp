// OAuth tokens of external_provider_accounts are stored only sealed, by callbacks the host app
// supplies (Keychain / Keystore backed); they are never sent to the server (layout.cpp). A sealed
// token is "gs-sealed:" + non-empty base64 of what the host's seal returned; triggers installed on
// every open (whatever the build: with or without the PostgreSQL sync) refuse anything else in
// those columns. Needs only SQLite.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace gainsly::sync {

struct TokenSealer {
    std::function<std::string(std::string_view)> seal;  // throw Error to refuse
    std::function<std::string(std::string_view)> open;
};

inline constexpr std::string_view sealed_prefix = "gs-sealed:";

// Registers the sealer on this connection (replacing any earlier one); null removes it. The
// sealer lives as long as the connection or until replaced.
void set_token_sealer(store::Database& db, std::shared_ptr<TokenSealer> sealer);
std::string seal_token(store::Database& db, std::string_view plain);
std::string open_token(store::Database& db, std::string_view sealed);

// Installs (or brings up to date) the triggers that keep tokens sealed, and clears any token stored
// in clear before they existed (written by an older library, or by another SQLite client): the
// host cannot seal at open (no sealer is registered yet), and a token at rest in clear is the leak
// this rule prevents. The app links the provider again. Returns how many tokens were cleared.
int install_token_rule(store::Database& db);

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);  // throws Error(invalid) on malformed input

}  // namespace gainsly::sync
