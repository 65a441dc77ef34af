// Import and export: a user's complete data as one JSON document (lossless round trip), movements
// in our own catalog format, and movements in the open exercise-database format.
#pragma once
#include <nlohmann/json.hpp>

#include "store/database.hpp"

namespace gainsly::catalog {

// Every row the user owns (directly or through a parent they own), table by table in dependency
// order. Integer keys are left out and every reference is written as the referenced row's uid, so
// the document means the same thing in any database that holds the same catalog.
nlohmann::json export_user(store::Database& db, int64_t user_id);

// Imports a document made by export_user into this database in one transaction, translating uids
// back to local ids. Fails (writing nothing) if a row with one of its uids already exists or a
// reference cannot be resolved. Returns {"user_id": new id, "rows": count}.
nlohmann::json import_user(store::Database& db, const nlohmann::json& document);

// Movements (and the other catalog tables) in our catalog file format; see catalog/README.md.
// Returns {"written": rows}.
nlohmann::json import_catalog(store::Database& db, const nlohmann::json& document);

// Records in the open exercise-database format (name, force, level, mechanic, equipment,
// primaryMuscles, secondaryMuscles, category, instructions, id). Each record is imported in its own
// savepoint: a record that cannot be mapped gets an entry in "errors" and the others are imported.
// Re-importing the same file updates the same rows (uids derive from the record ids).
// Returns {"imported", "updated", "skipped": [...], "errors": [...], "unmapped": {...}}.
nlohmann::json import_free_exercise_db(store::Database& db, const nlohmann::json& records);

}  // namespace gainsly::catalog
