// The heuristics behind the math: catalog/heuristic_configs/math.json must equal the Params
// defaults, key for key, so code and data cannot drift apart.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "math/e1rm.hpp"
#include "math/params.hpp"
#include "math/rpe.hpp"
#include "math_test_util.hpp"
#include "model/error.hpp"

using namespace gainsly::math;
using namespace math_test;
using nlohmann::json;

namespace {

// math.json from the source tree (GAINSLY_SOURCE_DIR, set by the CMake build), next to this file, or
// from the current directory (the repository root).
json load_math_json() {
    namespace fs = std::filesystem;
    const fs::path here = fs::path(__FILE__).parent_path();
    std::vector<fs::path> candidates;
#ifdef GAINSLY_SOURCE_DIR
    candidates.push_back(fs::path(GAINSLY_SOURCE_DIR) / "catalog/heuristic_configs/math.json");
#endif
    candidates.push_back(here / "../../catalog/heuristic_configs/math.json");
    candidates.push_back("catalog/heuristic_configs/math.json");
    for (const fs::path& p : candidates) {
        std::ifstream in(p);
        if (in) return json::parse(in);
    }
    FAIL("catalog/heuristic_configs/math.json not found");
    return {};
}

// Lower-case UUID version 4: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx.
bool is_uuid4(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return s[14] == '4' && std::string("89ab").find(s[19]) != std::string::npos;
}

// Dotted lower snake case with at least two parts: "cns.cost.very_high".
bool is_dotted_key(const std::string& s) {
    std::size_t parts = 0, len = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
            if (len == 0) return false;
            ++parts;
            len = 0;
            continue;
        }
        const char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
        ++len;
    }
    return parts >= 2 && s[0] >= 'a' && s[0] <= 'z';
}

Heuristics one(const std::string& key, json value) {
    Heuristics h;
    h.emplace(key, std::move(value));
    return h;
}

}  // namespace

TEST_CASE("params: math.json equals the code defaults") {
    const json rows = load_math_json();
    const Params loaded = load_params(heuristics_from_json(rows));
    CHECK(loaded == Params{});
    CHECK(load_params({}) == Params{});

    // Same key set both ways: no default without a row, no row the code ignores.
    std::set<std::string> file_keys;
    for (const auto& r : rows) file_keys.insert(r.at("key").get<std::string>());
    const auto code = param_keys();
    const std::set<std::string> code_keys(code.begin(), code.end());
    CHECK(code_keys.size() == code.size());
    for (const auto& k : code_keys) CHECK_MESSAGE(file_keys.count(k) == 1, "missing in math.json: " << k);
    for (const auto& k : file_keys) CHECK_MESSAGE(code_keys.count(k) == 1, "not read by load_params: " << k);

    // Each default row changed on its own really changes the struct (the key is wired to a field).
    for (const auto& r : rows) {
        const std::string key = r.at("key");
        json changed = r.at("value");
        if (changed.is_boolean()) changed = !changed.get<bool>();
        else if (changed.is_number_integer()) changed = changed.get<int>() == 2 ? 3 : 2;
        else if (changed.is_number()) changed = changed.get<double>() + 0.125;
        else if (key == "e1rm.default_formula") changed = "brzycki";
        else if (key == "rpe.chart.percent_by_total_reps") {
            changed.push_back(50.0);
        } else if (key == "fatigue.effort.by_rpe") {
            changed = json::array({json::array({1.0, 0.3}), json::array({10.0, 1.0})});
        }
        CAPTURE(key);
        Params p;
        try {
            p = load_params(one(key, changed));
        } catch (const gainsly::Error& e) {
            // A changed value can break a constraint between keys (chronic > acute days, chart long
            // enough for min_rpe, ...): the error then names one of the keys.
            const std::string msg = e.what();
            const auto named = msg.substr(0, msg.find(':'));
            CHECK_MESSAGE(code_keys.count(named) == 1, msg);
            continue;
        }
        CHECK_FALSE(p == Params{});
    }
}

TEST_CASE("params: format checks") {
    CHECK(is_uuid4("d0b2470f-da0e-487e-8dc2-b7b97d7185ae"));
    CHECK_FALSE(is_uuid4("D0B2470F-DA0E-487E-8DC2-B7B97D7185AE"));
    CHECK_FALSE(is_uuid4("d0b2470f-da0e-187e-8dc2-b7b97d7185ae"));
    CHECK(is_dotted_key("cns.cost.very_high"));
    CHECK_FALSE(is_dotted_key("cns"));
    CHECK_FALSE(is_dotted_key("cns..cost"));
    CHECK_FALSE(is_dotted_key("Cns.cost"));
}

TEST_CASE("params: math.json rows are well formed") {
    const json rows = load_math_json();
    REQUIRE(rows.is_array());
    const std::set<std::string> categories = {"e1rm", "rpe", "load", "fatigue", "cns", "readiness", "strength"};
    std::set<std::string> uids;
    for (const auto& r : rows) {
        CAPTURE(r.dump());
        CHECK(r.size() == 6);
        CHECK(is_uuid4(r.at("uid").get<std::string>()));
        CHECK(uids.insert(r.at("uid").get<std::string>()).second);
        CHECK(is_dotted_key(r.at("key").get<std::string>()));
        CHECK(categories.count(r.at("category").get<std::string>()) == 1);
        const std::string d = r.at("description");
        CHECK(d.size() > 10);
        CHECK(d.back() == '.');
        const std::string t = r.at("data_type");
        const json& v = r.at("value");
        if (t == "int") CHECK(v.is_number_integer());
        else if (t == "float") CHECK(v.is_number_float());
        else if (t == "bool") CHECK(v.is_boolean());
        else if (t == "string") CHECK(v.is_string());
        else if (t == "json") CHECK(v.is_structured());
        else FAIL("bad data_type " << t);
    }
}

TEST_CASE("params: overrides") {
    Heuristics h;
    h["cns.cost.very_high"] = 30.0;
    h["cns.daily_budget.aggression_3"] = 90;           // an int is a valid float
    h["e1rm.max_reps"] = 20;
    h["e1rm.default_formula"] = "lombardi";
    h["load.monotony.sample_sd"] = true;
    h["fatigue.tau_hours.quadriceps"] = 48.0;
    h["fatigue.tau_hours.tibialis"] = 12.0;            // a muscle of the catalog beyond the 19
    h["rpe.plate_increment.lb"] = 2.5;
    h["planner.something.else"] = "ignored";           // other layers' keys are not ours
    const Params p = load_params(h);
    CHECK(p.cns.cost_very_high == 30.0);
    CHECK(p.cns.daily_budget[2] == 90.0);
    CHECK(p.e1rm.max_reps == 20);
    CHECK(p.e1rm.default_formula == "lombardi");
    CHECK(p.load.monotony_sample_sd);
    CHECK(p.fatigue.tau_hours.at("quadriceps") == 48.0);
    CHECK(p.fatigue.tau_hours.at("tibialis") == 12.0);
    CHECK(p.rpe.plate_increment_lb == 2.5);
    CHECK(load_for_units(315.0, 5, 8.0, false, p.rpe) == 255.0);  // 255.465 -> 255 on a 2.5 lb grid too
    expect_invalid([&] { e1rm(Formula::epley, 100.0, 25, 0.0, p.e1rm); }, "reps");

    // Inactive rows are skipped by heuristics_from_json.
    const json rows = json::array({{{"key", "cns.cost.low"}, {"value", 9.0}, {"is_active", false}},
                                   {{"key", "cns.cost.high"}, {"value", 20.0}}});
    const Params q = load_params(heuristics_from_json(rows));
    CHECK(q.cns.cost_low == 6.0);
    CHECK(q.cns.cost_high == 20.0);
}

TEST_CASE("params: bad values name the key") {
    expect_invalid([] { load_params(one("cns.cost.high", "x")); }, "cns.cost.high");
    expect_invalid([] { load_params(one("cns.cost.high", -1.0)); }, "cns.cost.high");
    expect_invalid([] { load_params(one("cns.cost.high", nullptr)); }, "cns.cost.high");
    expect_invalid([] { load_params(one("e1rm.max_reps", 12.5)); }, "e1rm.max_reps");
    expect_invalid([] { load_params(one("e1rm.max_reps", 40)); }, "e1rm.max_reps");
    expect_invalid([] { load_params(one("e1rm.default_formula", "mayhew")); }, "e1rm.default_formula");
    expect_invalid([] { load_params(one("e1rm.default_formula", 3)); }, "e1rm.default_formula");
    expect_invalid([] { load_params(one("load.monotony.sample_sd", 1)); }, "load.monotony.sample_sd");
    expect_invalid([] { load_params(one("load.acwr.chronic_days", 7)); }, "load.acwr.chronic_days");
    expect_invalid([] { load_params(one("load.acwr.band.high_from", 1.0)); }, "load.acwr.band.high_from");
    expect_invalid([] { load_params(one("rpe.chart.percent_by_total_reps", json::array({100, 90}))); },
                   "rpe.chart.percent_by_total_reps");
    expect_invalid([] { load_params(one("rpe.chart.percent_by_total_reps", "100,90")); },
                   "rpe.chart.percent_by_total_reps");
    expect_invalid([] { load_params(one("rpe.plate_increment.kg", 0.0)); }, "rpe.plate_increment.kg");
    expect_invalid([] { load_params(one("fatigue.effort.by_rpe", json::array({json::array({8, 1}), json::array({5, 0.5})}))); },
                   "fatigue.effort.by_rpe");
    expect_invalid([] { load_params(one("fatigue.tau_hours.tibialis", "slow")); }, "fatigue.tau_hours.tibialis");
    expect_invalid([] { load_params(one("fatigue.tau_hours.quadriceps", 0.0)); }, "fatigue.tau_hours.quadriceps");
    expect_invalid([] { load_params(one("readiness.baseline_min_days", 8)); }, "readiness.baseline_min_days");
    expect_invalid([] { load_params(one("readiness.base_score", 120.0)); }, "readiness.base_score");
    expect_invalid([] { load_params(one("strength.min_exposures", 1)); }, "strength.min_exposures");
    expect_invalid([] { heuristics_from_json(json::object()); }, "heuristic_configs");
    expect_invalid([] { heuristics_from_json(json::array({{{"value", 1}}})); }, "heuristic_configs[0].key");
    expect_invalid([] { heuristics_from_json(json::array({{{"key", "a.b"}}})); }, "heuristic_configs[0].value");
    expect_invalid([] { heuristics_from_json(json::array({{{"key", "a.b"}, {"value", 1}}, {{"key", "a.b"}, {"value", 2}}})); },
                   "heuristic_configs[1].key");
}
