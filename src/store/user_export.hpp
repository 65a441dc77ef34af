// A user's complete data as one JSON document and back (a lossless round trip between files that
// hold the same catalog). Generic over the schema: a table's rows belong to the user through
// user_id or an owning (cascading) reference, and references travel as uids. It needs nothing
// above the store, which is why it lives here and not with the catalog.
#pragma once
#include <nlohmann/json.hpp>

#include "store/database.hpp"

namespace gainsly::store {

// Every row the user owns (directly or through a parent they own), table by table in dependency
// order. Integer keys are left out and every reference is written as the referenced row's uid, so
// the document means the same thing in any database that holds the same catalog.
nlohmann::json export_user(Database& db, int64_t user_id);

// Imports a document made by export_user into this database in one transaction, translating uids
// back to local ids. Fails (writing nothing) if a row with one of its uids already exists or a
// reference cannot be resolved. Returns {"user_id": new id, "rows": count}.
nlohmann::json import_user(Database& db, const nlohmann::json& document);

}  // namespace gainsly::store
