// Training history from other apps into the log, and the log back out: Strong's and Hevy's CSV
// exports are imported (gs_history_import), the log is exported with Strong's columns
// (gs_history_export) so a user is never locked in. The CSV reading and writing is in
// history_csv.hpp; this is the layer's face.
//
// Definitions (documented choices):
// - A workout of a file is the rows sharing a start time (Strong "Date", Hevy "start_time"). The
//   files carry no time zone: the wall-clock time is kept as it is written, stored as the
//   created_at of the workout and its sets (read as UTC), and its date is the workout_date.
// - Stable keys: a workout's uid is derived from (user uid, start time); a set's from (user uid,
//   start time, the exercise name as written, its position among that name's rows in the
//   workout). Re-importing a file therefore finds every row it wrote and changes nothing; a row
//   skipped before (an unmatched name) is added when a mapping names its movement.
// - Names: a mapping entry first, then the movement's own name, then an alias of
//   catalog/movement_aliases.json (both compared without case, punctuation or extra spaces), then
//   the most similar movement name if its score reaches kFuzzyMinScore. The report lists every name
//   matched fuzzily or not at all.
// - A set is stored when it has reps (>= 1); rows with only a time or a distance are reported under
//   "skipped" (top_set_logs has no duration or distance column); Strong's "Rest Timer" rows are
//   counted, never stored. A line that cannot be read fails alone and is reported with its number.
// - The import is one transaction: a cancel (progress callback) or an error leaves nothing. At the
//   end pattern_exposure is rebuilt once and the daily state recomputed once, from the earliest
//   imported day through the latest day with a state (or the latest imported day).
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace gainsly::training {

enum class HistoryFormat { strong, hevy };

inline constexpr double kFuzzyMinScore = 0.7;  // below: reported as unmatched, with the best guess

struct HistoryImportOptions {
    // {"exercise name as in the file": movement id | movement uid | null (do not import)}.
    nlohmann::json mapping = nlohmann::json::object();
    // Weights and distances of a file without unit columns are pounds and miles (default kg, km).
    bool imperial = false;
    // Called with {"phase", "done", "total"}; returning false cancels (nothing is written).
    std::function<bool(const nlohmann::json&)> progress;
};

// Imports a Strong or Hevy CSV export into the user's log (see the definitions above). Returns the
// report: {"format", "delimiter", "records", "workouts": {"imported", "existing"}, "sets":
// {"imported", "existing"}, "rest_timer_rows", "names": [{"name", "match", "movement_id",
// "movement", "score", "sets"}], "fuzzy": [...], "unmatched": [{"name", "sets", "first_line",
// "suggestion"}], "skipped": [{"line", "reason"}], "errors": [{"line", "message"}],
// "recomputed": {"from", "to"} | null}.
nlohmann::json import_history(store::Database& db, int64_t user_id, HistoryFormat format, std::string_view csv,
                              const HistoryImportOptions& options = {});

// The user's whole log as CSV with Strong's columns (comma-delimited, kg, RFC 4180 quoting).
std::string export_history(store::Database& db, int64_t user_id);

}  // namespace gainsly::training
