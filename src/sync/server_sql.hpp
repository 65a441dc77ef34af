// SQL helpers shared by the server's files (server_setup, server_push, server_pull, server):
// quoting, the server's constants, typed values of stage columns and canonical values of pulls.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.hpp"
#include "sync/pg.hpp"
#include "sync/wire.hpp"

namespace gainsly::sync::server_sql {

using pg::literal;

inline constexpr const char* device_group = "gainsly_device";
inline constexpr int64_t default_gc_horizon = 30 * 24 * 3600;  // seconds a tombstone is kept for devices that never come back
inline constexpr int64_t default_clock_skew_ms = 5 * 60 * 1000;  // how far past the server's time a pushed clock may be

// The temporary table a push stages its batch in (COPY), per session.
inline constexpr const char* stage_ddl =
    "CREATE TEMP TABLE IF NOT EXISTS gs_stage (tbl smallint NOT NULL, uid uuid NOT NULL, op \"char\" NOT NULL, hlc bigint NOT NULL, "
    "mask bigint NOT NULL, v text[]) ON COMMIT DELETE ROWS";

inline std::string q(std::string_view id) { return pg::ident(id); }
int64_t to_i64(std::string_view s);
// An error that refuses one row of a push (its values or a constraint) rather than the whole
// batch: the connection is fine and the other rows can still land.
bool refused_row(const Error& e);

// The typed value of a stage column (text) for an insert or update.
std::string conv(const SyncColumn& sc, const std::string& src);
// The canonical text of a column of row alias t, for pulls.
std::string out_expr(const SyncColumn& sc);
// Element of a text[] literal.
void array_element(std::string& out, const Value& v);
std::string uuid_array(const std::vector<std::string>& uids);
// Whether a device of schema version `schema` knows the column.
bool visible(const SyncColumn& sc, int schema);
std::string meta_value(pg::Connection& c, const char* key);

}  // namespace gainsly::sync::server_sql
