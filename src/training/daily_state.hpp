// The daily state derived from the log: user_fatigue_state and the computed columns of
// recovery_signals, recomputed for the days a write affects (see training.hpp). Internal to
// src/training; day_state and recompute_days in training.hpp are its public face.
#pragma once
#include <optional>

#include "training/context.hpp"

namespace gainsly::training {

// The latest day with a state of the user, if any.
std::optional<Date> latest_state_day(Database& db, int64_t user_id);

// Rewrites the state of every day of [from, to] (nothing when to < from).
void recompute(CallContext& ctx, Date from, Date to);

// The affected days of a write on `day`: day .. max(day, latest state).
void recompute_from(CallContext& ctx, Date day);

// The state of one day computed from the log, without writing.
DayState read_day(CallContext& ctx, Date day);

}  // namespace gainsly::training
