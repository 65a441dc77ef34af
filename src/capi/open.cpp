#include "capi/handle.hpp"
#include "catalog/catalog.hpp"
#ifdef GAINSLY_WITH_POSTGRES
#include "sync/device.hpp"
#endif
#include "sync/tokens.hpp"

namespace gainsly::capi {

std::unique_ptr<store::Database> open_database(const char* path) {
    auto db = std::make_unique<store::Database>(path);
    catalog::install(*db);  // first open, or a library with a newer catalog
#ifdef GAINSLY_WITH_POSTGRES
    sync::install(*db);  // change-capture triggers (re-created after an app upgrade)
#endif
    sync::install_token_rule(*db);  // OAuth tokens stored sealed only, with or without sync
    db->reset_statements();  // hand the app a connection with no read snapshot held open
    return db;
}

}  // namespace gainsly::capi
