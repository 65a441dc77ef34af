#include <filesystem>

#include "capi/handle.hpp"
#include "catalog/catalog.hpp"
#include "sync/device.hpp"
#include "sync/tokens.hpp"

namespace gainsly::capi {

std::unique_ptr<store::Database> open_database(const char* path, const store::OpenOptions& options) {
    if (options.read_only) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec))
            throw Error(Status::not_found, std::string(path) + ": no such file (a read-only open does not create one)");
        auto db = std::make_unique<store::Database>(path, options);  // nothing installed: that would write
        db->reset_statements();
        return db;
    }
    auto db = std::make_unique<store::Database>(path, options);
    catalog::install(*db);  // first open, or a library with a newer catalog
    sync::install_change_capture(*db);  // change capture, in every build: an app without libpq carries the batches itself
    sync::install_token_rule(*db);  // OAuth tokens stored sealed only, with or without sync
    db->reset_statements();  // hand the app a connection with no read snapshot held open
    return db;
}

}  // namespace gainsly::capi
