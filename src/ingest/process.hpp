// The runner's two processing steps (signals.cpp, activities.cpp), called inside the run.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/adapter.hpp"
#include "store/database.hpp"

namespace gainsly::ingest {

using store::Database;

// A nightly metric of the run and its external_metric_streams row.
struct StoredMetric {
    Metric metric;
    int64_t stream_id = 0;
};

// Links the run's nightly metrics to their (user, night, source) recovery_signals rows (created
// after the day's own row), rewrites those rows' inputs from every metric linked to them, and
// recomputes readiness_score / overall_recovery_score of the source's rows whose baseline they
// enter. Returns the ids of the rows the run's metrics feed.
std::vector<int64_t> write_signals(Database& db, int64_t user_id, const std::vector<StoredMetric>& metrics);

// The activity_instances row of one stored workout (created or brought up to date), its muscles,
// and a 'substitution' link when another provider account already holds the same workout.
struct WorkoutResult {
    int64_t instance_id = 0;  // 0: not an activity (skipped, see `skipped`)
    bool linked = false;
    std::string skipped;
};
WorkoutResult write_workout(Database& db, int64_t user_id, int64_t account_id, const std::string& provider, int64_t record_id,
                            const Workout& workout);

}  // namespace gainsly::ingest
