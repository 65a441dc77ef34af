// Prescriptions: sets, rep range, RPE/RIR, rest, duration and load of one exercise in one week,
// by role, goal dose and progression style; and the time estimate every session is checked with.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "plan/internal.hpp"

namespace gainsly::plan {

struct WeekSpec {
    int week = 1;           // program week number (1-based)
    int loading_index = 0;  // index among the loading weeks of its block (deload: the last one)
    int loading_weeks = 1;  // loading weeks in its block
    bool deload = false;
    bool early_deload = false;
};

struct Prescription {
    int sets = 3;
    int rep_min = 0, rep_max = 0;  // 0 = not rep-based
    double rpe = 7;
    int duration_seconds = 0;      // per set (time / distance / tempo); 0 = from reps
    int rest_seconds = 60;
    std::optional<double> load;    // top working load (kg or lb), rounded to the plate increment
    std::string detail;            // progression detail for the notes ("2 s pause", "wave 5/3/2 ...")
    int distance_m = 0;
    bool reduced = false;          // mild injury: reduced load
};

// The goal doses used per role: main lifts and skill work follow the heaviest-weighted goal that
// prefers strength or power blocks; accessories the first of plan.coach.accessory_goals in the
// request (hypertrophy when none is); power work the request's power goal. Lifts that cannot be
// loaded (bodyweight, bands) take the accessory dose and never ramp RPE.
struct Doses {
    const Dose* main = nullptr;
    const Dose* accessory = nullptr;
    const Dose* mobility = nullptr;
    const Dose* speed = nullptr;
    const Dose* power = nullptr;  // throws, jumps, olympic lifts: the request's power goal (else explosiveness)
};
Doses pick_doses(const PlanParams& p, const std::vector<GoalWeight>& goals);
const Dose& dose_for(const Context& ctx, const Doses& doses, const Movement& m, Role role);

// Best e1RM of the movement on its most recent logged day (user's formula), if any.
std::optional<double> latest_e1rm(const Context& ctx, int movement);

// `describe`: fill Prescription::detail (the solver's option building skips the text).
Prescription prescribe(const Context& ctx, const Doses& doses, int movement, Role role, int base_sets, const WeekSpec& week,
                       const std::optional<double>& e1rm, bool reduced, bool describe = true);

// Seconds per set of work (reps x time.seconds_per_rep, or the duration).
int work_seconds(const PlanParams& p, const Prescription& x);
// setup + transition + sets x (work + rest): one exercise outside a superset.
int exercise_seconds(const PlanParams& p, const Prescription& x);
// A finisher circuit: setup + transition + its default duration.
int circuit_seconds(const PlanParams& p, const Circuit& c);

// The set counts the solver may choose for a role (main lifts depend on the progression style).
std::vector<int> set_options(const Context& ctx, const Movement& m, Role role, const std::string& session_type);

}  // namespace gainsly::plan
