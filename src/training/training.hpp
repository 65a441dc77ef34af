// The training layer: the log of workouts and their top sets, soreness, recovery signals and
// biometrics, and what is derived from it (user_fatigue_state, the computed columns of
// recovery_signals, pattern_exposure). The files of this folder are listed in its README.
//
// Every write runs in one savepoint, so a bad set leaves nothing behind. All constants come from
// heuristic_configs through math::load_params(store::read_heuristics(db, math::param_keys())).
//
// Definitions (documented choices, not tunable constants):
// - Date of a set: its workout's workout_date, else its session's date, else the date part of its
//   created_at (UTC). A workout logged without a date takes its session's date, else model::today().
// - Exercise (for CNS): a movement within one workout (or, for sets without a workout, one day).
//   Its role is the session_exercises row of that movement in the set's session (lowest
//   order_in_session); `deload` when the session's microcycle is a deload week; otherwise
//   kDefaultRole. A movement without cns_load counts as kDefaultCnsLoad. A user without
//   persona_aggression gets the budget of kDefaultAggression.
// - Sets without a movement carry no fatigue information and are skipped by the fatigue model.
// - Affected days of a write on day D: D through the latest day that already has a
//   user_fatigue_state or recovery_signals row of the user (at least D). Each of those days gets
//   both rows (created when missing). Training older than the lookback window (the time after
//   which the slowest decay has fallen below kNegligibleDecay) is not loaded.
// - The day's recovery_signals row is the user's lowest-id row with that signal_date (the table
//   allows several; the library writes one and leaves others alone). Its sleep_quality_score 0
//   means "not recorded" (the column is NOT NULL DEFAULT 0), hrv_score NULL or 0 likewise.
// - Readiness of day D: sleep, HRV and resting HR of D's row; soreness = the worst severity among
//   D's soreness_logs (none logged = skipped); HRV / resting-HR baselines from the rows of the
//   readiness.baseline_days days before D.
// - pattern_exposure: a unit is a workout that trained at least one movement pattern (sets logged
//   without a workout do not count). exposure_count = units that trained the pattern;
//   last_exposure_date = the latest of their dates; consecutive_exposures = how many of the user's
//   most recent units in a row, ordered by date then workout id and counted back from the latest,
//   trained the pattern (0 when the latest did not). Logging into the newest workout extends the
//   stored rows; a backfill rebuilds them from the whole log (refresh_pattern_exposure()).
// - Activities (activity_instances) count once they are completed. Their user is their session's
//   user_id, or for an ingested one without a session the user_id of the external_activity_records
//   row processed into it; their date the session's date, else the date part of completed_at.
//   Duration: actual_duration_seconds, else the definition's default_duration_seconds; intensity
//   (0..10, read as an RPE for the effort factor): actual_intensity, else the definition's
//   default_intensity, else "not given". Muscles: the instance's activity_muscle_map rows, else its
//   definition's activity_definition_muscle_map. An activity adds fatigue like minutes /
//   fatigue.activity.minutes_per_set (optional key, default kActivityMinutesPerSet) sets of a
//   movement with those muscles and fatigue_factor = the definition's stress_points (capped at 5);
//   it costs no CNS exercise. Duplicates: an activity_instance_links row of link_type
//   `substitution` says its two ends are one activity recorded twice (the same ride from two
//   providers); its source is the duplicate and is not counted (as in src/ingest).
// - Stored and reported fatigue, recovery and readiness values are rounded to 0.01.
// - Personal records (personal_records) of a movement are derived from the user's sets of it in log
//   order (date of the set, then id). Warm-up sets (set_type warmup) never count; NULL, working,
//   failure and dropset sets do. Record types, each a row for the set (or session) that set it:
//   e1rm: the set's e1RM (user's formula, RPE applied, rounded to 0.01; sets with a load > 0 and at
//   most e1rm.max_reps reps) beats the best before it by more than strength.pr.min_e1rm_gain; the
//   movement's first e1RM is a record (previous_value NULL). reps_at_load: more reps than any earlier
//   set at the same load (to the gram; load 0 counts, no load does not); load_at_reps: a heavier load
//   than any earlier set of exactly these reps. Those two need an earlier set to beat, so a first set
//   at a load or rep count is not one. session_volume: the volume (sum of load x reps) of the
//   movement in one workout (sets without a workout: one day) beats every earlier one; the first
//   session with a volume > 0 is a record. Equal is never a record. previous_value is the best the
//   record beat. Every write to the log (log_workout, log_set, write_log_row) leaves the records the
//   log now implies: a set appended after every counted set of its movement is judged against a
//   cached per-movement state (bulk logging stays linear); a back-dated, changed or deleted set
//   recomputes the movement's records. Unchanged rows are not rewritten.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "math/fatigue.hpp"
#include "math/readiness.hpp"
#include "model/time.hpp"
#include "store/database.hpp"

namespace gainsly::training {

using store::Database;

using model::Date;

inline constexpr std::string_view kDefaultRole = "accessory";    // multiplier 1: the bare cns_load cost
inline constexpr std::string_view kDefaultCnsLoad = "moderate";  // the middle of the scale
inline constexpr int kDefaultAggression = 3;                      // the middle budget
inline constexpr double kNegligibleDecay = 1e-4;                  // < 0.01 points on the 0..100 scales
inline constexpr double kActivityMinutesPerSet = 15.0;            // a hard working set about every 15 min

// One top set as logged. Field names are the top_set_logs columns.
struct SetInput {
    int64_t movement_id = 0;
    int set_number = 0;              // 0: the next free number of this movement in the workout
    int reps = 0;                    // 1..e1rm.max_reps
    std::optional<double> load_kg;   // >= 0 (0 = body weight); empty: not recorded, no e1RM
    double rpe = 0.0;                // <= 0: not given; else 1..10
    std::optional<double> velocity;  // m/s, >= 0
    std::optional<std::string> notes;
    std::optional<std::string> set_type;  // top_set_logs.set_type; empty: working
};

// A personal_records row (see the definitions above).
struct PersonalRecord {
    int64_t id = 0;  // 0 until stored
    int64_t movement_id = 0;
    std::string type;  // pr_type: e1rm, reps_at_load, load_at_reps, session_volume
    std::optional<int64_t> top_set_log_id, workout_log_id;
    double value = 0;
    std::optional<int64_t> reps;
    std::optional<double> load_kg, previous_value;
    std::string achieved_date;
    // The row's uid, derived from what it records (user, movement, type and the set, workout or
    // day that holds it), so the same record derived on two devices is one synced row.
    std::string uid;
};

// {"id", "movement_id", "record_type", "value", "reps", "load_kg", "previous_value",
//  "achieved_date", "top_set_log_id", "workout_log_id"}
nlohmann::json record_json(const PersonalRecord& r);

struct LoggedSet {
    int64_t id = 0;
    int64_t movement_id = 0;
    int set_number = 0;
    int reps = 0;
    std::optional<double> load_kg;
    double rpe = 0.0;
    std::optional<double> e1rm;  // with the user's active_e1rm_formula; empty without a load
    Date date;
    std::optional<std::string> set_type;
    std::vector<PersonalRecord> records;  // the records this set set (session_volume: its workout's)
};

// A counted activity (see the definitions above).
struct Activity {
    int64_t id = 0;  // activity_instances.id
    Date date;
    std::string name;                       // activity_definitions.name
    std::optional<std::string> enjoyable;   // activity_definitions.enjoyable_activity
    double minutes = 0, set_equivalents = 0;
    std::optional<double> intensity;        // 0..10
};

// The state of one day, computed from the log (a read never writes).
struct DayState {
    int64_t user_id = 0;
    Date date;
    int persona_aggression = kDefaultAggression;
    math::FatigueState fatigue;
    math::ReadinessInput readiness_input;  // today's signals (histories left empty)
    math::ReadinessResult readiness;
    std::vector<Activity> activities;  // counted activities of the 7 days up to `date`, oldest first
};

// Records a workout and its top sets in one savepoint, rebuilds pattern_exposure and recomputes the
// affected days. `workout`: the workout_logs columns (user_id required; workout_date, session_id,
// duration_seconds, perceived_effort, mood_before, mood_after, notes) and "sets": an array of
// SetInput objects ({"movement_id", "reps", "load_kg", "rpe", "set_number", "velocity", "notes"}).
// Returns {"workout_log_id", "workout_date", "e1rm_formula", "sets": [set_json...], "records":
// [record_json...] (what the workout set, session_volume included), "patterns", "recomputed":
// {"from", "to"}, "state": day_state_json(workout date)}. Each set may carry "set_type".
// Errors name the field: "sets[2].reps: must be between 1 and 30, got 40",
// "sets[1]: top_set_logs.movement_id: no movements row with id 99".
nlohmann::json log_workout(Database& db, const nlohmann::json& workout);

// The hot path: one set into an existing workout of the user (session_id and date from the
// workout), then pattern_exposure and the affected days. Errors name the SetInput field.
LoggedSet log_set(Database& db, int64_t user_id, int64_t workout_log_id, const SetInput& set);

// A logged set as the reports give it: {"id", "movement_id", "set_number", "reps", "load_kg",
// "rpe", "e1rm", "set_type", "records": [record_json...]}.
nlohmann::json set_json(const LoggedSet& set);

// A soreness_logs row ({"user_id", "log_date", "severity" 1..10, "body_part", "notes"}), then that
// day's state. Returns the row's id.
int64_t log_soreness(Database& db, const nlohmann::json& soreness);

// Upserts the day's recovery_signals row from {"user_id", "signal_date", "sleep_quality_score"
// 0..100, "hrv_score" (ms, 0..1000), "resting_heart_rate" (0 < bpm < 250), "source", "notes"}:
// given keys overwrite, absent keys keep their value. Then recomputes that day and the following
// readiness.baseline_days days that already have a state (their baselines include this day).
// Returns the row's id.
int64_t log_recovery(Database& db, const nlohmann::json& signals);

// Logs a completed activity: {"user_id", "date", "activity" (an enjoyable_activity value or an
// activity_definitions.name), "duration_minutes" (0 < x <= 1440), "intensity" (0..10, optional:
// the definition's default), "session_id" (optional: a session of the user on that date; without
// it a session of type cardio, no program, is created for the activity), "notes"}. Writes the
// activity_instances row (completed), its activity_muscle_map rows (the definition's muscles) and
// recomputes the affected days, in one savepoint. Returns {"activity_instance_id", "session_id",
// "date", "activity", "state": day_state_json(date)}.
nlohmann::json log_activity(Database& db, const nlohmann::json& activity);

// A user_biometrics_history row (user_id and measurement_date required). Returns its id.
int64_t log_biometrics(Database& db, const nlohmann::json& biometrics);

// The state of day `date` for the user (not_found if there is no such user).
DayState day_state(Database& db, int64_t user_id, Date date);
// {"user_id", "date", "muscle_fatigue", "muscle_recovery", "systemic_fatigue", "recovery_score",
//  "cns": {"fatigue", "today": {"total", "budget", "remaining", "within"}, "persona_aggression"},
//  "readiness": {"score", "signals_used", "sleep_quality_score", "soreness_score", "hrv_score",
//  "resting_heart_rate", "hrv_baseline", "resting_hr_baseline",
//  "modifiers": {"sleep", "soreness", "hrv", "resting_hr"}}, "activities": [{"id", "date", "name",
//  "activity", "minutes", "intensity", "set_equivalents"}]}; missing values are null.
nlohmann::json day_state_json(const DayState& state);

// Rewrites user_fatigue_state and the computed columns of recovery_signals for every day of
// [from, to] (in one savepoint). For callers that changed the log by other means (sync, import).
void recompute_days(Database& db, int64_t user_id, Date from, Date to);

// Recomputes the user's personal_records of `movement_ids` (empty: every movement the user has
// sets or records of) from the whole log, in one savepoint; rows that would not change are left
// alone. For writers that change the log by other means (an import calls it once at the end).
// Returns {"user_id", "movements", "inserted", "updated", "deleted"}.
nlohmann::json recompute_personal_records(Database& db, int64_t user_id, const std::vector<int64_t>& movement_ids = {});

// The user's personal records, newest first (optionally of one movement): {"user_id", "records":
// [{"id", "uid", "movement_id", "movement", "record_type", "value", "reps", "load_kg",
// "previous_value", "achieved_date", "top_set_log_id", "workout_log_id", "current"}]}; current:
// not beaten since (per movement and type; per load for reps_at_load, per reps for load_at_reps).
nlohmann::json personal_records_json(Database& db, int64_t user_id, std::optional<int64_t> movement_id);

// Runs `write` (an insert, update or delete of row `id` of `table`; it returns the row's id) and,
// for top_set_logs and workout_logs, recomputes the records of the movements the row fed before
// and after, all in one savepoint. The generic row calls of the C ABI go through it.
int64_t write_log_row(Database& db, std::string_view table, std::optional<int64_t> id, const std::function<int64_t()>& write);

// Rebuilds the user's pattern_exposure rows from the whole log (see the definitions above), e.g.
// after sets were deleted or written by other means.
void refresh_pattern_exposure(Database& db, int64_t user_id);

}  // namespace gainsly::training
