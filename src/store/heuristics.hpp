// The one reader of heuristic_configs: every layer that needs tunable constants (the training math,
// the planner) gets them from here and parses the values it knows (math::load_params,
// plan::load_plan_params).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "store/database.hpp"

namespace gainsly::store {

// heuristic_configs.key -> the parsed value (math::Heuristics is the same type).
using Heuristics = std::map<std::string, nlohmann::json, std::less<>>;

// The active rows, each value parsed by its data_type ("string" rows as text, the rest as JSON).
// With `keys`, only those rows: a one-set log reads the few math keys, not the planner's large
// values. A value that is not valid JSON throws Error(invalid) naming heuristic_configs.<key>.
Heuristics read_heuristics(Database& db, std::span<const std::string> keys = {});

}  // namespace gainsly::store
