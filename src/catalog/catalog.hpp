// The built-in reference catalog (catalog/*.json, embedded in the library): muscles, equipment,
// disciplines, goals, movements with their equipment/disciplines/tags/muscle maps, relationships,
// circuit templates, activity definitions and heuristic_configs.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "store/database.hpp"

namespace gainsly::catalog {

// The catalog version compiled into this library (catalog/catalog.json).
int builtin_version();

// Installs the built-in catalog when the file has none or an older version: every catalog row is
// inserted or updated by uid inside one savepoint; user rows are never touched. Rows that left the
// catalog are removed unless user data still refers to them. Returns true if anything was written.
bool install(store::Database& db);

// Inserts or updates catalog records given in the catalog file format (one array per table key,
// e.g. {"movements": [...], "movement_relationships": [...]}), resolving names to ids. Used by
// install() and by the import of our own catalog format. Returns the number of rows written.
size_t upsert(store::Database& db, const nlohmann::json& document);

// A deterministic UUID for a catalog row that has none in the files (e.g. a movement's muscle map
// entry), derived from its parent's uid and its own key, so every device derives the same one.
std::string derived_uid(std::string_view parent_uid, std::string_view key);

}  // namespace gainsly::catalog
