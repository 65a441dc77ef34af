// personal_records kept in step with the log (internal to src/training; the definitions are in
// training.hpp, the public calls are recompute_personal_records, personal_records_json and
// write_log_row).
#pragma once
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "training/context.hpp"

namespace gainsly::training {

// What a refresh wrote: the rows it inserted or changed, and how many it deleted.
struct RecordDiff {
    std::vector<PersonalRecord> written;
    int64_t inserted = 0, updated = 0, deleted = 0;
};

// The state of each movement's records after its last counted set, per connection, so that a set
// appended to the log decides its records without reading the log again (records.cpp).
struct RecordCache;

// A call that writes the log opens the cache before its first write (it is emptied when anything
// else wrote since the last close) and closes it after its last one.
RecordCache& open_record_cache(Database& db);
void close_record_cache(Database& db, RecordCache& cache);
// How many sets so far took the appended path on this connection (for the tests).
int64_t appended_sets(Database& db);

// Rewrites the user's records of `movements` from the log (inside the caller's savepoint). Rows
// that stay the same are not written. With a cache, it keeps the movements' states.
RecordDiff refresh_records(CallContext& ctx, const std::set<int64_t>& movements, RecordCache* cache);

// The records after inserting the set `set_id` (of ctx's user): a set appended after every counted
// set of its movement (later in log order, into the last unit or a new one) is checked against the
// cached state and only its own records and its unit's session_volume are written; any other set,
// or a movement not in the cache, recomputes the movement (refresh_records). Warm-ups and sets
// without reps change no record.
RecordDiff records_after_insert(CallContext& ctx, RecordCache& cache, int64_t set_id);

// The records a write made for its sets: those of `set_ids`, and the session_volume record of
// `workout_log_id`.
std::vector<PersonalRecord> records_of(const RecordDiff& diff, const std::set<int64_t>& set_ids, int64_t workout_log_id);

}  // namespace gainsly::training
