// The week problem and its solver. A microcycle is a set of session days; each free day gets main
// lifts, accessories and at most one finisher chosen from precomputed options (a movement with a
// role and a set count, or a finisher circuit). Per-day hard constraints (time, CNS, daily limits,
// interference, one exercise per movement), heavy-pattern spacing between days and rule coverage
// (hard_yes / preferred in every microcycle) are enforced during the search; everything else is
// the soft objective. See README.md "Solver".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "plan/internal.hpp"

namespace gainsly::plan {

struct Option {
    int movement = -1;  // movement index, or -1 for a circuit
    int circuit = -1;   // circuit index (finisher circuits)
    Role role = Role::accessory;
    int sets = 3;         // loading-week sets
    double value = 0;     // unary part of the objective
    double cns = 0;       // CNS cost in a loading week (the worst week)
    int seconds = 0;      // estimated seconds, worst week of the block, when not in a superset
    int work_seconds = 0; // per set (worst week), for superset pairing
    int rest_seconds = 0;
    uint8_t olympic = 0, plyometric = 0, very_high = 0;
    int heavy_pattern = -1;  // pattern trained heavy (limits.heavy_pattern), -1 if none
    int pattern = -1;        // pattern for the same-day duplicate penalty (-1: exempt, e.g. isolation)
    std::vector<std::pair<int, float>> volume;  // muscle -> weekly hard sets
    float push = 0, pull = 0, anterior = 0, posterior = 0;  // sets in the balance groups
    float hpush = 0, hpull = 0;  // horizontal push / pull sets
    uint32_t cover = 0;          // coverage groups (staples, competition lifts) this option covers
    int requirement = -1;  // index into WeekProblem::required, -1 if none
    double volume_potential = 0;  // weights x volume: the most it can reduce a shortfall (bounds)
    bool primary = true;  // the middle set count of its movement and role; the others are its
                          // siblings, tried by the heuristic only when tuning set counts
};

struct Day {
    int offset = 0;        // day number (adjacency is measured in days between offsets)
    std::string type;      // session_type
    bool fixed = false;    // completed session: its options are given and never changed
    std::vector<int> fixed_options;
    double cns_budget = 0;  // what working exercises may use (warm-up/cooldown reserve taken off)
    int seconds_budget = 0; // likewise for time
    int max_main = 2, max_total = 8;
    std::vector<int> main, accessory, finisher;  // candidate options, best value first
};

struct WeekProblem {
    std::vector<Option> options;
    std::vector<Day> days;
    bool cyclic = true;  // template week: the last day neighbours the first (+period)
    int period = 7;
    std::vector<std::pair<int, int>> external_heavy;  // (offset, pattern) heavy exposures outside the week
    std::vector<int> required;                        // movement index of each requirement
    std::vector<int> required_done;                   // already met by fixed days (count)
    std::vector<std::string> required_label;          // "hard_yes Barbell Back Squat"
    int movement_count = 0;
    std::vector<bool> volume_muscle;
    std::vector<double> lo, hi;  // weekly hard-set window per muscle
    double w_volume = 1, w_excess = 1, w_balance = 0.5, repeat_penalty = 1.5;  // w_volume below the window, w_excess above
    double same_pattern_penalty = 1.0;  // per extra exercise of one pattern in a day
    double push_pull_target = 1, ant_post_target = 1, tolerance = 0.2;
    double w_horizontal = 1, horizontal_max = 2;  // horizontal push beyond horizontal_max x horizontal pull
    // Off when no option of the week could balance it (no pull, or no horizontal pull, allowed at
    // all): the coach report says the rule yields, and pushing is not penalised for it.
    bool push_pull_balance = true, horizontal_balance = true;
    std::vector<double> cover_bonus;              // per coverage group: added once the week covers it
    int olympic_max = 1, plyometric_max = 2, very_high_max = 2;
    double heavy_min_hours = 48;
};

// The objective = unary (stimulus, fatigue, enjoyment, variety, ... of each exercise)
// + volume_in_window (weekly sets that count toward each volume group's window floor)
// - volume_excess (sets above a window's ceiling) - balance - repeats + coverage (staple groups
// covered in the week).
struct ObjectiveTerms {
    double unary = 0, volume_in_window = 0, volume_excess = 0, balance = 0, repeats = 0, coverage = 0;
    double total() const { return unary + volume_in_window - volume_excess - balance - repeats + coverage; }
};

struct Solution {
    std::vector<std::vector<int>> days;  // chosen options per day (fixed days: their fixed options)
    double objective = -1e300;
    ObjectiveTerms terms;
    bool feasible = false;
    bool proven_optimal = false;
    bool time_limit_hit = false;
    int64_t nodes = 0;
    int lns_iterations = 0, lns_improvements = 0;
};

struct SolveOptions {
    uint64_t seed = 1;
    // Without a node budget: the search is sized by the time limit (nodes_per_ms each ms) and the
    // wall clock stops it at wall_clock_factor x the limit. With one: the budget alone sizes the
    // search and time_limit_ms is the wall-clock cap itself (a safety net for throttled devices).
    int time_limit_ms = 200;
    bool exact = false;            // branch and bound to completion (proves optimality)
    int64_t node_budget = 0;       // deterministic effort in branch-and-bound nodes; 0 = from the time limit
    const std::vector<std::vector<int>>* start = nullptr;  // an initial assignment to improve (re-planning)
};

// The solver's effort and wall-clock cap for `share` of the program (README.md "Determinism"):
// search_nodes x share with time_limit_ms x share as the cap (default cap: 5x what the budget takes
// on a laptop core), or, without search_nodes, time_limit_ms x share sizing the search.
void size_search(const Request& r, double share, SolveOptions& so);

// Rule coverage only (requirements placed as cheaply as possible, one working exercise per day):
// a complete, exact feasibility test used for infeasibility and its explanation. On success
// `placement` (if given) holds a feasible assignment per day.
bool feasible(const WeekProblem& p, std::vector<std::vector<int>>* placement = nullptr);

// Maximises the objective subject to every hard constraint. Deterministic for a seed as long as
// the deterministic node budget, not the wall-clock limit, ends the search. Throws
// Error(infeasible) when feasible() is false (callers explain it first).
Solution solve(const WeekProblem& p, const SolveOptions& o);

// The objective of an assignment (used by tests and the report).
ObjectiveTerms evaluate(const WeekProblem& p, const std::vector<std::vector<int>>& days);

// Checks an assignment against every per-week hard constraint of the problem; returns the first
// violation as text, empty when valid.
std::string violation(const WeekProblem& p, const std::vector<std::vector<int>>& days);

}  // namespace gainsly::plan
