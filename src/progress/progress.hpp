// The progress layer: what a lifter sees of their own history. Trends of e1RM per movement and per
// pattern, weekly volume per muscle group against the planner's windows, training load day by day;
// goals with current values, trends and projected dates (and the weekly goal_checkins rows); the
// weekly summary as data and as text in the user's persona_tone. It reads the training log and the
// planner's rows and sits below the C ABI; nothing below it uses it. Files: README.md.
//
// Definitions (documented choices):
// - Date of a set: as in training.hpp (workout_date, else its session's date, else created_at).
//   Warm-up sets (top_set_logs.set_type 'warmup') count for nothing here but the daily load.
//   A set has an e1RM when it has a load (>= 0) and 1..e1rm.max_reps reps; the user's
//   active_e1rm_formula computes it. A movement's e1RM of a day is the best of its sets that day.
// - Trend: Theil–Sen slope of those daily bests, in kg per week. change_4w / change_12w: the latest
//   day's best minus the latest best at least 4 / 12 weeks before it (null when there is none).
// - Pattern strength index: math::pattern_strength over the best e1RM per pattern and workout day,
//   microcycles = calendar weeks (Monday first) counted from the range's first week.
// - Weekly volume: every logged set of a movement counts 1 for a volume group (volume.groups) when
//   a muscle of the group is primary for the movement (movement_muscle_map), plan.coach.secondary_set
//   when only secondary; tonnage = reps x load_kg of the sets counted 1. Windows:
//   volume.windows.<dominant goal of the user's latest program> (hypertrophy without a program).
// - Daily load: per workout, Foster's session RPE x minutes (perceived_effort x duration); without
//   them, the mean set RPE (kDefaultEffort without any) x kMinutesPerSet per set; plus completed
//   activity_instances of the user's sessions: actual_intensity x minutes. ACWR: rolling coupled.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/time.hpp"
#include "store/database.hpp"

namespace gainsly::progress {

using store::Database;
using model::Date;
using json = nlohmann::json;

inline constexpr double kMinutesPerSet = 3.0;   // a set with its rest, for a workout without a duration
inline constexpr double kDefaultEffort = 7.0;   // session RPE of a workout with no effort and no set RPE
inline constexpr int kDefaultRangeDays = 84;    // 12 weeks
inline constexpr int kMaxRangeDays = 3660;      // ten years
inline constexpr int kLoadHistoryDays = 126;    // load read before the range (3 x Banister's tau1)

// The progress document for [from, to] (defaults: to = today, from = to - 83 days):
// {"user_id", "from", "to", "e1rm_formula",
//  "movements": [{"movement_id", "name", "pattern", "history": [{"date", "e1rm"}], "latest", "best",
//                 "slope_per_week", "change_4w", "change_12w"}],
//  "patterns": [{"pattern", "index", "exposures", "trend", "change", "early_deload", "slope_per_week"}],
//  "volume": {"window_goal", "weeks": [{"week_start", "groups": {group: {"sets", "tonnage",
//             "window": [lo, hi], "status": "below|within|above"}}}]},
//  "load": {"acwr_method", "days": [{"date", "load", "acwr", "acwr_band", "monotony", "strain",
//           "fitness", "fatigue", "performance"}]}}
// Errors: not_found naming user_id; invalid naming from / to (order, range over kMaxRangeDays).
json progress(Database& db, int64_t user_id, std::optional<Date> from, std::optional<Date> to);

// Goals: each program_goals row of the user's current program (the latest with start_date <= date)
// and the long-term goal of user_profiles, with the metric it is measured by, its current value
// on `date`, trend per week, target, projected date ("not_at_this_rate" when the trend is flat or
// goes the wrong way) and whether it is achieved. Reads only.
json goals(Database& db, int64_t user_id, Date date, const json& options = json::object());

// The weekly check-in (one savepoint): evaluates goals(), writes program_goals.current_value (and
// achieved / achieved_at the first time a target is reached) and one goal_checkins row per goal
// for the week (Monday..Sunday) of `date`; a second call in the same week updates that row instead
// of adding one. `options`: {"long_term_target": number, "long_term_movement": name or uid} set the
// long-term goal's target (kept in its check-ins; later calls reuse the latest). Returns
// {"user_id", "date", "week_start", "goals": [... as goals(), plus "checkin_id", "created"]}.
json checkin(Database& db, int64_t user_id, Date date, const json& options = json::object());

// Targets for the goals a generated program carries (program_goals rows without a target; the
// planner writes only their goal_type, and does not use this layer): measured on the day before
// the program starts, each gets its unit, current_value and, where the data allows, target_value:
//   strength      the program's main lift (most main-section slots): its e1RM, grown for the
//                 program's weeks at the lift's own 12-week trend, bounded to 0.25-1.5 %/week
//                 (0.75 %/week without a trend); unit "kg:<movement uid>"
//   fat_loss      body weight less 0.5 %/week, not below a lower long-term body_composition target
//   hypertrophy   lean mass plus 0.25 %/week
//   endurance     activity minutes (current only)
//   mobility, explosiveness, speed   the plan's sessions per week
// Without a measurement the goal keeps no target (a check-in then reports no_target).
// Returns [{"program_goal_id", "goal", "metric", "unit", "movement_id", "current", "target"}].
json set_program_goal_targets(Database& db, int64_t program_id);

// The week (Monday..Sunday) holding `date` as data, and as text in the user's persona_tone:
// {"user_id", "week_start", "week_end", "persona_tone", "sessions": {"planned", "done", "unplanned"},
//  "volume": {"window_goal", "groups": {...}}, "prs": [personal_records of the week], "readiness": {"days": [{"date",
//  "readiness", "systemic_fatigue"}], "readiness_trend", "fatigue_trend"}, "goals": [... as goals()],
//  "text": "..."}.
json weekly_summary(Database& db, int64_t user_id, Date date);

}  // namespace gainsly::progress
