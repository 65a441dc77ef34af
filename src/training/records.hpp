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

// Rewrites the user's records of `movements` from the log (inside the caller's savepoint). Rows
// that stay the same are not written.
RecordDiff refresh_records(CallContext& ctx, const std::set<int64_t>& movements);

// The records a write made for its sets: those of `set_ids`, and the session_volume record of
// `workout_log_id`.
std::vector<PersonalRecord> records_of(const RecordDiff& diff, const std::set<int64_t>& set_ids, int64_t workout_log_id);

}  // namespace gainsly::training
