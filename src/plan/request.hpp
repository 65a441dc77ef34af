// A program request, validated and normalised (request.cpp; fields in README.md "Request").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "plan/catalog_view.hpp"

namespace gainsly::plan {

struct GoalWeight {
    std::string goal;
    int weight = 0;
};

struct Request {
    int64_t user_id = 0;
    std::string name;
    Date start;
    int weeks = 0;
    int days_per_week = 0;
    std::vector<int> weekdays;  // ISO 1..7, sorted; empty = planner chooses
    std::string split;
    std::vector<GoalWeight> goals;
    int session_minutes = 60;
    std::vector<int> equipment;  // Catalog::equipment indices (bodyweight always included)
    bool equipment_given = false;
    std::string progression_style = "double_progression";
    uint64_t seed = 1;
    int time_limit_ms = 200;
    bool time_limit_given = false;
    int64_t search_nodes = 0;  // deterministic search effort for the whole program; 0 = from time_limit_ms
    bool exact = false;
    json source;  // the request as given
};

// Validates and normalises a request. Error(invalid) names the field; Error(not_found) for an
// unknown user. The user must exist in `db`.
Request parse_request(store::Database& db, const Catalog& catalog, const json& request);
json request_json(const Request& r, const Catalog& catalog);  // normalised form, stored in programs.request_json

}  // namespace gainsly::plan
