// OAuth tokens of external_provider_accounts are stored only sealed, by callbacks the host app
// supplies (Keychain / Keystore backed); they are never sent to the server (layout.cpp). A sealed
// token is "gs-sealed:" + base64 of what the host's seal returned; the capture triggers refuse
// anything else in those columns.
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

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);  // throws Error(invalid) on malformed input

}  // namespace gainsly::sync
