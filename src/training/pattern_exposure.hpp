// pattern_exposure kept up to date as sets are logged (the definitions are in training.hpp).
// Internal to src/training; refresh_pattern_exposure in training.hpp is its public face.
#pragma once
#include <set>
#include <string>

#include "training/context.hpp"

namespace gainsly::training {

// The movement patterns the sets of a workout train.
std::set<std::string> workout_patterns(Database& db, int64_t workout_id);

// After sets were added to workout `w` (which trained `before` until then): the common case, `w`
// being the newest unit, extends the stored rows; anything else (a backfill) rebuilds them.
void update_exposure(Database& db, int64_t user_id, const Workout& w, const std::set<std::string>& before);

}  // namespace gainsly::training
