// The catalog as the planner reads it: movements with their muscles, tags, equipment and
// relationships, and circuits, indexed for the solver.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plan/enums_and_dates.hpp"
#include "store/database.hpp"

namespace gainsly::plan {

struct MuscleLoad {
    int muscle = 0;         // index into Catalog::muscles
    int role = 0;           // 0 primary, 1 secondary, 2 stabilizer
    double magnitude = 1.0;
};

struct Movement {
    int64_t id = 0;
    std::string name;
    int pattern = -1;         // movement_pattern index
    std::string block_type;
    int primary_muscle = -1;  // Catalog::muscles index
    std::string region;       // primary_region value
    int cns = 2;              // cns_load index (very_low .. very_high)
    int skill = 0;            // index in skill.order
    int spinal = 0;           // none, low, moderate, high
    std::string metric = "reps";
    double fatigue = 1.0, stimulus = 1.0, risk = 0.1;
    std::vector<MuscleLoad> muscles;
    std::vector<int> tags;       // Catalog::tags indices, sorted
    std::vector<int> equipment;  // Catalog::equipment indices
    std::vector<int64_t> disciplines;
    bool power = false;          // power work: block type power, or a ballistic lift (swings, throws)
    bool has_tag(int tag) const;
    double magnitude_of(int muscle) const;  // 0 when not in the map
};

enum class Relation : int { progression, regression, variation, antagonist, prep };

struct Link {
    int other = 0;  // movement index
    Relation type = Relation::variation;
    double severity = 0.5;
    bool forward = true;  // this movement is movement_1 (direction matters for progression/regression/prep)
};

struct Circuit {
    int64_t id = 0;
    std::string name;
    std::string type;
    std::vector<int> movements;  // movement indices, in order (unresolved names drop the circuit)
    std::vector<json> entries;   // exercises_json entries, same order
    int rounds = 1;
    int duration_s = 0;
    double fatigue = 1.0, stimulus = 1.0;
    int difficulty = 1;
};

struct Catalog {
    std::vector<Movement> movements;
    std::unordered_map<int64_t, int> by_id;
    std::vector<std::string> muscles;  // muscles.name by index
    std::vector<std::string> muscle_region;
    std::unordered_map<std::string, int> muscle_index;
    std::vector<std::string> equipment;
    std::unordered_map<std::string, int> equipment_index;
    int bodyweight = -1;
    std::vector<std::string> tags;
    std::unordered_map<std::string, int> tag_index;
    std::vector<std::vector<Link>> links;  // per movement
    std::vector<Circuit> circuits;
    std::unordered_map<int64_t, int> circuit_by_id;
    int tag(std::string_view name) const;  // -1 when no movement has it
    int muscle(std::string_view name) const;
    const Movement* find(int64_t id) const;
};

Catalog load_catalog(store::Database& db);

}  // namespace gainsly::plan
