#include "capi/handle.hpp"
#include "catalog/catalog.hpp"

namespace gainsly::capi {

std::unique_ptr<store::Database> open_database(const char* path) {
    auto db = std::make_unique<store::Database>(path);
    catalog::install(*db);  // first open, or a library with a newer catalog
    return db;
}

}  // namespace gainsly::capi
