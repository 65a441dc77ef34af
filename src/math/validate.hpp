// Input checks shared by the math functions. Every failure throws gainsly::Error(Status::invalid)
// with a message that starts with the name of the offending field, e.g.
// "reps: must be between 1 and 30, got 40".
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace gainsly::math::detail {

// Sanity bounds on raw inputs so that no result can overflow to infinity. They are not training
// heuristics (those live in Params); they only reject absurd values.
inline constexpr double max_load = 100000.0;       // kg or lb on the bar / an e1RM
inline constexpr double max_daily_load = 1.0e7;    // session-RPE load units per day
inline constexpr double max_minutes = 1440.0;      // one session at most a day long
inline constexpr int max_series_days = 100000;     // ~270 years of daily values

// "v" formatted for messages: 40, 0.5, nan, inf.
std::string num(double v);
// "name[index].member" (member may be empty: "name[index]").
std::string item(std::string_view name, std::size_t index, std::string_view member = {});

[[noreturn]] void fail(std::string_view field, std::string_view what);

void require_finite(std::string_view field, double v);
// lo <= v <= hi (and finite).
void require_range(std::string_view field, double v, double lo, double hi);
// lo <= v <= hi for integers.
void require_int_range(std::string_view field, long long v, long long lo, long long hi);
// An optional RPE: <= 0 means "not given"; otherwise 1 <= rpe <= 10. NaN and inf are refused.
void require_optional_rpe(std::string_view field, double rpe);
// v > 0 (and finite).
void require_positive(std::string_view field, double v);
// 0 <= v <= hi (and finite).
void require_nonnegative(std::string_view field, double v, double hi);

}  // namespace gainsly::math::detail
