// What every operation of the training layer works with: the user, the math constants, the
// workout a set goes into, and small helpers to build rows. Internal to src/training.
#pragma once
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "math/e1rm.hpp"
#include "math/params.hpp"
#include "training/training.hpp"

namespace gainsly::training {

using json = nlohmann::json;
using store::Row;
using store::Savepoint;
using store::SqlValue;
using store::to_sql;

struct User {
    int64_t id = 0;
    int persona_aggression = kDefaultAggression;
    math::Formula formula = math::Formula::epley;
    bool use_metric = true;
};

// One call's view: the math constants (read once from heuristic_configs) and the user.
struct CallContext {
    Database& db;
    math::Params params;
    User user;
    int lookback_days = 0;  // training older than this has decayed below kNegligibleDecay
    double activity_minutes_per_set = kActivityMinutesPerSet;  // fatigue.activity.minutes_per_set
};

// Throws Error(not_found) naming user_id when there is no such user.
CallContext make_context(Database& db, int64_t user_id);

void require_user_exists(Database& db, int64_t user_id);

// A workout as its sets see it: the date they are placed on (see training.hpp) and its session.
struct Workout {
    int64_t id = 0;
    std::optional<int64_t> session_id;
    Date date;
};

// The user's workout (Error not_found / invalid naming workout_log_id otherwise).
Workout load_workout(Database& db, int64_t user_id, int64_t workout_log_id);

// A typed row of `table` from (column, JSON value) pairs, validated by store::to_sql.
Row make_row(const model::Table& t, std::initializer_list<std::pair<const char*, json>> values);

inline double round2(double v) { return std::round(v * 100.0) / 100.0; }
inline json opt_json(const std::optional<double>& v) { return v ? json(round2(*v)) : json(); }

std::optional<double> column_double(sqlite::Statement& q, int i);
std::optional<std::string> column_text(sqlite::Statement& q, int i);

// A version-8 UUID (RFC 9562: custom) from a hash of `text`: the same text gives the same uid on
// every device, so rows derived from the same facts (an imported set, a personal record) are one row.
std::string derived_uid(const std::string& text);

}  // namespace gainsly::training
