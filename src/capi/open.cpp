#include "capi/handle.hpp"
#include "catalog/catalog.hpp"
#ifdef GAINSLY_WITH_POSTGRES
#include "sync/device.hpp"
#endif

namespace gainsly::capi {

std::unique_ptr<store::Database> open_database(const char* path) {
    auto db = std::make_unique<store::Database>(path);
    catalog::install(*db);  // first open, or a library with a newer catalog
#ifdef GAINSLY_WITH_POSTGRES
    sync::install(*db);  // change-capture triggers (re-created after an app upgrade)
#endif
    db->reset_statements();  // hand the app a connection with no read snapshot held open
    return db;
}

}  // namespace gainsly::capi
