// Planner benchmark: requests of growing size from the full reference catalog; for each, the
// median wall time of gs-level generate() over several runs (validation, solve, verification and
// the writes), the objective, and hard-constraint violations counted by the independent checker
// (tests/plan/checker.cpp) - which must be 0. On small instances the heuristic's objective is
// compared with the optimum proven by exact mode.
// Targets (docs/architecture.md): 8 weeks x 4 days <= 250 ms median; <= 1% from the optimum.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "../plan/checker.hpp"
#include "catalog/catalog.hpp"
#include "plan/plan.hpp"
#include "timing.hpp"

using gainsly::store::Database;
using nlohmann::json;
using bench::Clock;
using bench::median;

namespace {

struct Size {
    int weeks, days, minutes;
};

json request(int64_t user, int weeks, int days, int minutes) {
    return {{"user_id", user},
            {"start_date", "2026-03-02"},
            {"duration_weeks", weeks},
            {"days_per_week", days},
            {"goals", {{{"goal", "strength"}, {"weight", 5}}, {{"goal", "hypertrophy"}, {"weight", 4}}, {{"goal", "fat_loss"}, {"weight", 1}}}},
            {"session_minutes", minutes},
            {"progression_style", "double_progression"},
            {"seed", 42}};
}

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    std::string dir = std::filesystem::temp_directory_path() / "gainsly-bench-plan";
    std::filesystem::create_directories(dir);
    std::string path = dir + "/plan.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    Database db(path);
    gainsly::catalog::install(db);
    int64_t movements = db.sql().execAndGet("SELECT COUNT(*) FROM movements").getInt64();
    int64_t user = db.insert("users", {{"email", "bench@example.com"}, {"experience_level", "intermediate"}, {"persona_aggression", 3}});
    // A realistic user: a rule, a mild injury, a weekly climbing day.
    db.insert("user_movement_rules", {{"user_id", user}, {"movement_id", db.select("movements", {{"name", "Barbell Bench Press"}})[0]["id"]}, {"rule_type", "hard_yes"}});
    db.insert("user_injuries", {{"user_id", user}, {"body_part", "elbow"}, {"severity", 0.3}});
    db.insert("user_enjoyable_activities", {{"user_id", user}, {"activity", "bouldering"}, {"planned_weekdays", {6}}, {"enjoyment_score", 0.9}});

    // Small instances use a user without rules (a hard_yes barbell lift cannot fit a dumbbell-only gym).
    int64_t plain = db.insert("users", {{"email", "plain@example.com"}, {"experience_level", "intermediate"}, {"persona_aggression", 3}});

    std::printf("catalog: %lld movements; %d runs per size (median)\n\n", (long long)movements, runs);
    std::printf("%-22s %10s %10s %10s %12s %11s\n", "request", "total ms", "solve ms", "nodes", "objective", "violations");
    int violations_total = 0;
    double target_ms = 0;
    std::vector<Size> sizes = {{1, 2, 45}, {2, 3, 60}, {4, 3, 60}, {4, 4, 60}, {8, 4, 60}, {12, 5, 75}, {16, 6, 90}};
    for (const auto& s : sizes) {
        std::vector<double> total, solve;
        double objective = 0;
        int64_t nodes = 0;
        int violations = 0;
        for (int r = 0; r < runs; ++r) {
            auto t0 = Clock::now();
            json report = gainsly::plan::generate(db, request(user, s.weeks, s.days, s.minutes));
            total.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            solve.push_back(report["solve_ms"].get<double>());
            objective = report["objective"]["value"].get<double>();
            nodes = report["nodes"].get<int64_t>();
            auto check = plan_check::check_program(db, report["program_id"].get<int64_t>());
            for (const auto& v : check.violations) violations += int(v.size());
        }
        violations_total += violations;
        char name[64];
        std::snprintf(name, sizeof name, "%2d weeks x %d days, %d'", s.weeks, s.days, s.minutes);
        std::printf("%-22s %10.1f %10.1f %10lld %12.2f %11d\n", name, median(total), median(solve), (long long)nodes, objective, violations);
        std::fflush(stdout);
        if (s.weeks == 8 && s.days == 4) target_ms = median(total);
    }

    // Optimality gap on small instances: the default heuristic against exact mode's proven optimum.
    std::printf("\n%-40s %12s %12s %8s %10s\n", "small instance", "heuristic", "optimum", "gap %", "exact ms");
    struct Small {
        const char* name;
        int days, minutes;
        json equipment;
    };
    std::vector<Small> small = {{"1 day, 25', dumbbell", 1, 25, {"dumbbell"}},
                                {"1 day, 30', bodyweight", 1, 30, json::array()},
                                {"1 day, 35', kettlebell", 1, 35, {"kettlebell"}},
                                {"1 day, 30', dumbbell + bench", 1, 30, {"dumbbell", "bench"}},
                                {"2 days, 20', bodyweight", 2, 20, json::array()},
                                {"2 days, 20', dumbbell", 2, 20, {"dumbbell"}}};
    double worst_gap = 0;
    int proven = 0;
    for (const auto& s : small) {
        json r = request(plain, 1, s.days, s.minutes);
        r["equipment"] = s.equipment;
        json heuristic = gainsly::plan::generate(db, r);
        r["exact"] = true;
        r["time_limit_ms"] = 120000;
        auto t0 = Clock::now();
        json exact = gainsly::plan::generate(db, r);
        double exact_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        double h = heuristic["objective"]["value"].get<double>(), o = exact["objective"]["value"].get<double>();
        bool is_proven = exact["proven_optimal"].get<bool>();
        double gap = o != 0 ? 100.0 * (o - h) / std::abs(o) : 0.0;
        if (is_proven) {
            ++proven;
            worst_gap = std::max(worst_gap, gap);
        }
        for (const json* rep : {&heuristic, &exact}) {
            auto check = plan_check::check_program(db, (*rep)["program_id"].get<int64_t>());
            for (const auto& v : check.violations) violations_total += int(v.size());
        }
        std::printf("%-40s %12.3f %12.3f %8.2f %10.0f%s\n", s.name, h, o, gap, exact_ms, is_proven ? "" : "  (not proven)");
    }
    std::printf("\n8 weeks x 4 days: %.1f ms median (target <= 250): %s\n", target_ms, target_ms <= 250 ? "met" : "MISSED");
    std::printf("largest gap to a proven optimum: %.2f%% over %d instances (target <= 1%%): %s\n", worst_gap, proven,
                worst_gap <= 1.0 ? "met" : "MISSED");
    std::printf("hard-constraint violations: %d (must be 0)\n", violations_total);
    return violations_total == 0 ? 0 : 1;
}
