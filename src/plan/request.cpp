// Request validation: every field checked, every error names it, nothing is read from the
// database except the user's existence and the equipment list.
#include <algorithm>
#include <set>

#include "model/error.hpp"
#include "plan/internal.hpp"

namespace gainsly::plan {

namespace {

const std::set<std::string> known_fields = {"user_id", "name", "start_date", "duration_weeks", "days_per_week", "weekdays",
                                            "split", "goals", "session_minutes", "equipment", "progression_style", "seed",
                                            "time_limit_ms", "search_nodes", "exact"};

constexpr int64_t max_search_nodes = 100'000'000;

int64_t integer(const json& v, const std::string& field, int64_t lo, int64_t hi) {
    if (!v.is_number_integer() && !(v.is_number_float() && v.get<double>() == double(int64_t(v.get<double>()))))
        invalid(field + ": must be an integer, got " + v.dump());
    int64_t x = v.is_number_integer() ? v.get<int64_t>() : int64_t(v.get<double>());
    if (x < lo || x > hi) invalid(field + ": must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + std::to_string(x));
    return x;
}

std::string enum_value(const json& v, const std::string& field, std::string_view enum_name) {
    if (!v.is_string()) invalid(field + ": must be a string, got " + v.dump());
    std::string s = v.get<std::string>();
    if (enum_index(enum_name, s) < 0) {
        std::string allowed;
        for (const auto& e : enum_values(enum_name)) allowed += (allowed.empty() ? "" : ", ") + e;
        invalid(field + ": unknown " + std::string(enum_name) + " \"" + s + "\" (one of " + allowed + ")");
    }
    return s;
}

int weekday_value(const json& v, const std::string& field) {
    static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        for (int i = 0; i < 7; ++i)
            if (s.rfind(names[i], 0) == 0 && s.size() >= 3) return i + 1;
        invalid(field + ": unknown weekday \"" + v.get<std::string>() + "\" (1 = Monday .. 7 = Sunday, or mon..sun)");
    }
    return int(integer(v, field, 1, 7));
}

}  // namespace

Request parse_request(store::Database& db, const Catalog& catalog, const json& in) {
    if (!in.is_object()) invalid("request: must be a JSON object");
    for (const auto& [k, v] : in.items())
        if (!known_fields.count(k)) invalid("request." + k + ": unknown field");
    auto need = [&](const char* f) -> const json& {
        if (!in.contains(f) || in[f].is_null()) invalid(std::string(f) + ": required");
        return in[f];
    };
    Request r;
    r.source = in;
    r.user_id = integer(need("user_id"), "user_id", 1, INT64_MAX);
    {
        auto& q = db.prepare("SELECT 1 FROM users WHERE id = ?");
        q.bind(1, static_cast<int64_t>(r.user_id));
        if (!q.executeStep()) throw Error(Status::not_found, "user_id: no user " + std::to_string(r.user_id));
    }
    const json& start = need("start_date");
    if (!start.is_string()) invalid("start_date: must be a date YYYY-MM-DD, got " + start.dump());
    r.start = date_from(start.get<std::string>(), "start_date");
    r.weeks = int(integer(need("duration_weeks"), "duration_weeks", 1, 16));

    if (in.contains("weekdays") && !in["weekdays"].is_null()) {
        const json& w = in["weekdays"];
        if (!w.is_array() || w.empty() || w.size() > 7) invalid("weekdays: must be an array of 1 to 7 weekdays (1 = Monday .. 7 = Sunday)");
        for (size_t i = 0; i < w.size(); ++i) r.weekdays.push_back(weekday_value(w[i], "weekdays[" + std::to_string(i) + "]"));
        std::sort(r.weekdays.begin(), r.weekdays.end());
        if (std::adjacent_find(r.weekdays.begin(), r.weekdays.end()) != r.weekdays.end()) invalid("weekdays: a weekday is listed twice");
    }
    if (in.contains("days_per_week") && !in["days_per_week"].is_null()) {
        r.days_per_week = int(integer(in["days_per_week"], "days_per_week", 1, 7));
        if (!r.weekdays.empty() && int(r.weekdays.size()) != r.days_per_week)
            invalid("days_per_week: " + std::to_string(r.days_per_week) + " does not match the " + std::to_string(r.weekdays.size()) + " weekdays given");
    } else if (r.weekdays.empty()) {
        invalid("days_per_week: required (1..7) unless weekdays is given");
    } else {
        r.days_per_week = int(r.weekdays.size());
    }

    const json& goals = need("goals");
    if (!goals.is_array() || goals.empty() || goals.size() > 3) invalid("goals: must be an array of 1 to 3 {goal, weight} objects");
    int sum = 0;
    for (size_t i = 0; i < goals.size(); ++i) {
        std::string f = "goals[" + std::to_string(i) + "]";
        const json& g = goals[i];
        if (!g.is_object() || !g.contains("goal")) invalid(f + ": must be an object {goal, weight}");
        for (const auto& [k, v] : g.items())
            if (k != "goal" && k != "weight") invalid(f + "." + k + ": unknown field");
        GoalWeight gw{enum_value(g["goal"], f + ".goal", "goal"), 0};
        if (!g.contains("weight")) invalid(f + ".weight: required (ten-dollar method: weights sum to 10)");
        gw.weight = int(integer(g["weight"], f + ".weight", 1, 10));
        for (const auto& other : r.goals)
            if (other.goal == gw.goal) invalid(f + ".goal: \"" + gw.goal + "\" is listed twice");
        sum += gw.weight;
        r.goals.push_back(gw);
    }
    if (sum != 10) invalid("goals: weights must sum to 10 (ten-dollar method), got " + std::to_string(sum));

    if (in.contains("split") && !in["split"].is_null()) r.split = enum_value(in["split"], "split", "split_template");
    else r.split = r.days_per_week <= 3 ? "full_body" : r.days_per_week == 4 ? "upper_lower" : "ppl";
    if (in.contains("name") && !in["name"].is_null()) {
        if (!in["name"].is_string() || in["name"].get<std::string>().empty() || in["name"].get<std::string>().size() > 100)
            invalid("name: must be a string of 1 to 100 characters");
        r.name = in["name"].get<std::string>();
    } else {
        r.name = std::to_string(r.weeks) + "-week " + r.split + " program";
    }
    if (in.contains("session_minutes") && !in["session_minutes"].is_null())
        r.session_minutes = int(integer(in["session_minutes"], "session_minutes", 1, 300));
    if (in.contains("equipment") && !in["equipment"].is_null()) {
        const json& eq = in["equipment"];
        if (!eq.is_array()) invalid("equipment: must be an array of equipment names");
        r.equipment_given = true;
        for (size_t i = 0; i < eq.size(); ++i) {
            std::string f = "equipment[" + std::to_string(i) + "]";
            if (!eq[i].is_string()) invalid(f + ": must be a string");
            auto it = catalog.equipment_index.find(eq[i].get<std::string>());
            if (it == catalog.equipment_index.end()) invalid(f + ": unknown equipment \"" + eq[i].get<std::string>() + "\"");
            r.equipment.push_back(it->second);
        }
    } else {
        for (size_t i = 0; i < catalog.equipment.size(); ++i) r.equipment.push_back(int(i));  // a full gym
    }
    if (catalog.bodyweight >= 0) r.equipment.push_back(catalog.bodyweight);
    std::sort(r.equipment.begin(), r.equipment.end());
    r.equipment.erase(std::unique(r.equipment.begin(), r.equipment.end()), r.equipment.end());

    if (in.contains("progression_style") && !in["progression_style"].is_null())
        r.progression_style = enum_value(in["progression_style"], "progression_style", "progression_style");
    if (in.contains("seed") && !in["seed"].is_null()) {
        const json& s = in["seed"];
        if (s.is_number_unsigned()) r.seed = s.get<uint64_t>();
        else r.seed = uint64_t(integer(s, "seed", 0, INT64_MAX));
    }
    if (in.contains("time_limit_ms") && !in["time_limit_ms"].is_null()) {
        r.time_limit_ms = int(integer(in["time_limit_ms"], "time_limit_ms", 1, 600000));
        r.time_limit_given = true;
    }
    if (in.contains("search_nodes") && !in["search_nodes"].is_null()) r.search_nodes = integer(in["search_nodes"], "search_nodes", 1, max_search_nodes);
    if (in.contains("exact") && !in["exact"].is_null()) {
        if (!in["exact"].is_boolean()) invalid("exact: must be true or false");
        r.exact = in["exact"].get<bool>();
    }
    return r;
}

json request_json(const Request& r, const Catalog& catalog) {
    json goals = json::array();
    for (const auto& g : r.goals) goals.push_back({{"goal", g.goal}, {"weight", g.weight}});
    json equipment = json::array();
    for (int e : r.equipment) equipment.push_back(catalog.equipment[size_t(e)]);
    return {{"user_id", r.user_id},
            {"name", r.name},
            {"start_date", date_text(r.start)},
            {"duration_weeks", r.weeks},
            {"days_per_week", r.days_per_week},
            {"weekdays", r.weekdays},
            {"weekdays_given", r.source.contains("weekdays") && !r.source["weekdays"].is_null()},
            {"split", r.split},
            {"goals", goals},
            {"session_minutes", r.session_minutes},
            {"equipment", equipment},
            {"progression_style", r.progression_style},
            {"seed", r.seed},
            {"time_limit_ms", r.time_limit_given ? json(r.time_limit_ms) : json()},
            {"search_nodes", r.search_nodes > 0 ? json(r.search_nodes) : json()},
            {"exact", r.exact}};
}

}  // namespace gainsly::plan
