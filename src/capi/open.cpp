#include "capi/handle.hpp"

namespace gainsly::capi {

std::unique_ptr<store::Database> open_database(const char* path) {
    auto db = std::make_unique<store::Database>(path);
    return db;
}

}  // namespace gainsly::capi
