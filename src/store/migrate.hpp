// Schema versions of the SQLite file. PRAGMA user_version is the schema version; every step from
// version N to N+1 runs in one IMMEDIATE transaction together with the version bump, so a crash
// leaves the file at N or at N+1, never between.
#pragma once
#include "store/sqlite.hpp"

#include <string>

namespace gainsly::store {

inline constexpr int application_id = 0x47534C59;  // "GSLY" in the SQLite header

// How a file is opened (the C ABI's gs_db_options).
struct OpenOptions {
    bool read_only = false;       // nothing is written: no creation, migration or catalog install
    int busy_timeout_ms = 5000;   // how long a statement waits for another connection's lock
};

// Reads the file's version, refuses files that are not ours or newer than this library (without
// writing to them), then sets WAL/foreign keys and creates or migrates to the latest version.
// Read-only, a file that would need creating or migrating is refused (Status::readonly).
void bring_up_to_date(sqlite::Database& db, const std::string& path, const OpenOptions& options = {});

// For tests: creates a new file holding the schema exactly as it was at `version`.
void create_at_version(const std::string& path, int version);

// The schema's tables, columns, keys, checks and indexes read back from an open SQLite file, in a
// normalised JSON form (used by the migration and drift tests and by the PostgreSQL mirror test).
std::string introspect(sqlite::Database& db);

}  // namespace gainsly::store
