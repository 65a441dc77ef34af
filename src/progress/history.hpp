// What the progress layer reads from the log, as plain structs. Internal to src/progress.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "math/e1rm.hpp"
#include "math/params.hpp"
#include "progress/progress.hpp"

namespace gainsly::progress {

struct User {
    int64_t id = 0;
    math::Formula formula = math::Formula::epley;
    std::string tone = "supportive";        // users.persona_tone (this default when unset)
    std::string long_term_category;         // user_profiles.long_term_goal_category ("" when unset)
    math::Params params;
};

// Throws Error(not_found) naming user_id.
User load_user(Database& db, int64_t user_id);

struct SetRow {
    int64_t id = 0;
    int64_t movement_id = 0;
    std::string movement, pattern;
    int reps = 0;
    std::optional<double> load;
    double rpe = 0.0;
    Date date;
    std::optional<double> e1rm;
};

// The user's sets dated in [from, to], oldest first (date, then id).
std::vector<SetRow> load_sets(Database& db, const User& u, Date from, Date to);

// A movement identified by its name or uid (Error not_found naming `field` otherwise).
int64_t find_movement(Database& db, const std::string& name_or_uid, const std::string& field);

// Volume groups and their windows (volume.groups, volume.windows, plan.coach.secondary_set).
struct VolumeRules {
    std::string window_goal;
    std::vector<std::string> groups;
    std::map<std::string, std::pair<double, double>> windows;  // group -> [lo, hi] of window_goal
    std::map<int64_t, std::map<std::string, double>> credit;   // movement -> group -> 1 or secondary_set
};
VolumeRules load_volume_rules(Database& db, int64_t user_id, Date as_of);

// {group: {"sets", "tonnage", "window", "status"}} for the sets of one week.
json week_volume(const VolumeRules& rules, const std::vector<SetRow>& sets, Date week_start);

// One value per day of [first, last]: the training load (progress.hpp).
std::vector<double> daily_loads(Database& db, int64_t user_id, Date first, Date last);

// Body measurements (user_biometrics_history) of a column, oldest first, dated <= to.
std::vector<std::pair<Date, double>> biometrics(Database& db, int64_t user_id, const std::string& column, Date to);

// Minutes of completed activities per day of [first, last].
std::vector<double> activity_minutes(Database& db, int64_t user_id, Date first, Date last);

struct WeekSessions {
    int planned = 0;    // sessions of the user's programs dated in the week (not a logged activity's own session)
    int done = 0;       // of those, with a workout log
    int unplanned = 0;  // workouts in the week without a session of the week
};
WeekSessions week_sessions(Database& db, int64_t user_id, Date week_start);

// A statement of `sql` with ?1 = user_id, ?2 = first, ?3 = last bound (the layer's range reads).
sqlite::Statement& prepare_range(Database& db, const std::string& sql, int64_t user_id, Date first, Date last);

// The personal_records of the week: [{"id", "movement_id", "movement", "record_type", "value",
// "reps", "load_kg", "previous_value", "date"}], oldest first.
json week_prs(Database& db, int64_t user_id, Date week_start);

// Monday of the week holding d.
Date week_start_of(Date d);
int days_between(Date a, Date b);  // b - a
double round2(double v);
json opt_round(const std::optional<double>& v);

}  // namespace gainsly::progress
