// Catalog imports: movements in our own catalog format and in the open exercise-database format.
// (A user's data as one document is store/user_export.hpp.)
#pragma once
#include <nlohmann/json.hpp>

#include "store/database.hpp"

namespace gainsly::catalog {

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
