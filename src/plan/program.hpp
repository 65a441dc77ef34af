// A planned program in memory: what generate() and replan() persist and what verify() checks.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "plan/build.hpp"
#include "plan/prescribe.hpp"

namespace gainsly::plan {

struct PlannedExercise {
    int64_t id = 0;    // session_exercises.id once stored
    int movement = -1;
    int circuit = -1;  // finisher circuit rows carry its id
    Role role = Role::accessory;
    std::string section;
    int superset = 0;  // 0 = none
    Prescription x;
    std::string notes;
};

struct PlannedSession {
    int64_t id = 0;  // set once persisted (or for existing sessions)
    Date date{};
    int day_number = 1;
    std::string type;
    bool fixed = false;  // completed: never rewritten
    std::vector<PlannedExercise> exercises;
    std::string coach_notes;
    std::vector<std::string> intent_tags;
    int finisher_circuit = -1;
};

struct PlannedWeek {
    int64_t id = 0;
    WeekSpec spec;
    Date start{};
    std::string type;  // microcycle_type
    double intensity_percent = 100, volume_percent = 100;
    std::string notes;
    std::vector<PlannedSession> sessions;
};

struct PlannedProgram {
    std::vector<PlannedWeek> weeks;
    std::vector<int> weekdays;  // ISO, in week order
};

// Per-session derived values (the same formulas verify() and the persisted rows use).
struct SessionTotals {
    int seconds = 0;
    double cns = 0, stimulus = 0, fatigue = 0;
    json muscle_volume = json::object();
};
SessionTotals session_totals(const Context& ctx, const PlannedSession& s, bool deload);

// CNS cost of one exercise row; in a deload microcycle the role multiplier is
// min(cns.role.<role>, cns.role.deload).
double exercise_cns(const Context& ctx, const PlannedExercise& e, bool deload);

// Turns a solved template day into a session for one week: prescriptions, warm-up and cooldown
// drills, antagonist supersets when time is short, exercise notes.
PlannedSession expand_day(Planner& planner, const WeekProblem& wp, const std::vector<int>& options, const LayoutDay& day,
                          const WeekSpec& week, Date date, const std::vector<std::pair<int, int>>& superset_pairs);

// Antagonist pairs (indices into `options`) to run as supersets for a template day.
std::vector<std::pair<int, int>> superset_pairs(const Planner& planner, const WeekProblem& wp, int day, const std::vector<int>& options);

// Coach notes for a session (tone by users.persona_tone).
std::string coach_notes(const Planner& planner, const PlannedSession& s, const WeekSpec& week, const Layout& layout, const LayoutDay& day,
                        const std::string& extra);

// The template-week layout of a block of weeks for a new program (cyclic week from start_date).
Layout block_layout(const Context& ctx, const std::vector<int>& weekdays, const std::vector<std::string>& types, const std::vector<WeekSpec>& weeks);

// Early deload: the pattern strength index from the user's top sets dropped by
// strength.deload_drop or more; the reason in words, or nothing.
std::optional<std::string> early_deload_reason(const Context& ctx);

// Why the week cannot be planned: the smallest conflicting set of hard constraints, in words.
std::string explain_infeasible(const Context& ctx, const Layout& layout, const std::vector<int>& weekdays);

// Checks every hard constraint over the whole program. Sessions marked fixed (completed or past,
// when re-planning) count toward rules and heavy spacing but their own rows are not re-judged.
// Returns one entry per constraint.
json verify(const Context& ctx, const Eligibility& elig, const PlannedProgram& program);

// The coach report: per week the sets per volume group against the dominant goal's window,
// push:pull, the main lifts and why each was chosen; per week and rule 1-8 whether it holds, its
// value, and why it yields when the request cannot meet it.
json coach_report(Planner& planner, const PlannedProgram& program);

// The coach report as text (describe, the CLI).
std::string coach_text(const json& coach);

// The coach report of a stored program, read back from its rows (describe, replan).
json stored_coach_report(store::Database& db, int64_t program_id);

}  // namespace gainsly::plan
