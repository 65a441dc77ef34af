#include "catalog/transfer.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "catalog/catalog.hpp"
#include "model/error.hpp"

namespace gainsly::catalog {

using json = nlohmann::json;
using store::Database;

json import_catalog(Database& db, const json& document) { return {{"written", upsert(db, document)}}; }

namespace {

std::string lower(std::string s) {
    for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool has_word(const std::string& name, std::initializer_list<const char*> words) {
    std::string n = lower(name);
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return n.find(w) != std::string::npos; });
}

// The open exercise database's vocabulary, mapped onto ours (values seen in its 873-record file).
const std::map<std::string, std::string> equipment_map = {
    {"barbell", "barbell"}, {"dumbbell", "dumbbell"}, {"body only", "bodyweight"}, {"cable", "cable"}, {"machine", "machine"},
    {"kettlebells", "kettlebell"}, {"bands", "resistance_band"}, {"medicine ball", "medicine_ball"},
    {"exercise ball", "stability_ball"}, {"e-z curl bar", "ez_bar"}};
const std::map<std::string, std::string> muscle_map = {
    {"abdominals", "core"}, {"hamstrings", "hamstrings"}, {"glutes", "glutes"}, {"quadriceps", "quadriceps"}, {"triceps", "triceps"},
    {"calves", "calves"}, {"chest", "chest"}, {"lower back", "lower_back"}, {"biceps", "biceps"}, {"forearms", "forearms"},
    {"middle back", "upper_back"}, {"traps", "upper_back"}, {"lats", "lats"}, {"adductors", "adductors"}, {"abductors", "glutes"}};
const std::map<std::string, std::string> level_map = {{"beginner", "beginner"}, {"intermediate", "intermediate"}, {"expert", "expert"}};

void count_unmapped(json& unmapped, const std::string& field, const std::string& value) {
    json& bucket = unmapped[field];
    if (bucket.is_null()) bucket = json::object();
    bucket[value] = bucket.value(value, 0) + 1;
}

std::string region_of(const std::string& muscle) {
    static const std::map<std::string, std::string> regions = {
        {"quadriceps", "anterior lower"}, {"hamstrings", "posterior lower"}, {"glutes", "posterior lower"}, {"lower_back", "posterior lower"},
        {"calves", "lower body"}, {"adductors", "lower body"}, {"chest", "anterior upper"}, {"core", "anterior upper"},
        {"obliques", "anterior upper"}, {"lats", "posterior upper"}, {"upper_back", "posterior upper"}, {"rear_delts", "posterior upper"},
        {"front_delts", "shoulder"}, {"side_delts", "shoulder"}, {"biceps", "upper body"}, {"triceps", "upper body"},
        {"forearms", "upper body"}};
    auto it = regions.find(muscle);
    return it == regions.end() ? "full body" : it->second;
}

// Maps one record onto a movement in our catalog format; throws Error(invalid) naming the field
// that cannot be mapped. `unmapped` collects values dropped from optional fields.
json map_record(const json& r, json& unmapped) {
    auto text = [&](const char* field) -> std::string {
        if (!r.contains(field) || r[field].is_null()) return "";
        if (!r[field].is_string()) invalid(std::string(field) + ": expected a string");
        return r[field].get<std::string>();
    };
    std::string name = text("name");
    if (name.empty()) invalid("name: missing");
    if (name.size() > 200) invalid("name: longer than 200 characters");
    std::string force = text("force"), level = text("level"), mechanic = text("mechanic"), equipment = text("equipment"),
                category = text("category");
    if (!level_map.count(level)) invalid("level: '" + level + "' has no skill_level");
    if (equipment.empty()) equipment = "body only";
    auto eq = equipment_map.find(equipment);
    if (eq == equipment_map.end()) invalid("equipment: '" + equipment + "' has no equivalent in our equipment list");
    if (!r.contains("primaryMuscles") || !r["primaryMuscles"].is_array() || r["primaryMuscles"].empty() || !r["primaryMuscles"][0].is_string())
        invalid("primaryMuscles: expected a non-empty array of strings");
    std::string source_muscle = r["primaryMuscles"][0].get<std::string>();
    std::string primary;
    if (source_muscle == "shoulders") primary = force == "pull" ? "rear_delts" : (mechanic == "isolation" && !has_word(name, {"press", "push"}) ? "side_delts" : "front_delts");
    else if (muscle_map.count(source_muscle)) primary = muscle_map.at(source_muscle);
    else invalid("primaryMuscles: '" + source_muscle + "' has no primary_muscle");

    std::string pattern;
    if (category == "stretching") pattern = "mobility";
    else if (category == "plyometrics") pattern = "plyometric";
    else if (category == "olympic weightlifting") pattern = "olympic";
    else if (category == "cardio") pattern = "cardio";
    else if (has_word(name, {"carry", "farmer", "yoke walk", "suitcase"})) pattern = "carry";
    else if (has_word(name, {"twist", "woodchop", "wood chop", "rotation", "russian"})) pattern = "rotation";
    else if (force == "static") pattern = "isometric";
    else if (mechanic == "isolation") pattern = primary == "core" || primary == "obliques" ? "core" : "isolation";
    else if (primary == "core" || primary == "obliques") pattern = "core";
    else if (primary == "quadriceps" || primary == "adductors") pattern = has_word(name, {"lunge", "split", "step"}) ? "lunge" : "squat";
    else if (primary == "hamstrings" || primary == "glutes" || primary == "lower_back") pattern = "hinge";
    else if (primary == "chest") pattern = "horizontal_push";
    else if (primary == "front_delts" || primary == "side_delts" || primary == "triceps") pattern = force == "pull" ? "horizontal_pull" : (has_word(name, {"bench", "push-up", "pushup", "dip"}) ? "horizontal_push" : "vertical_push");
    else if (primary == "lats") pattern = has_word(name, {"row"}) ? "horizontal_pull" : "vertical_pull";
    else if (primary == "upper_back" || primary == "rear_delts" || primary == "biceps") pattern = has_word(name, {"pull-up", "pullup", "chin", "pulldown"}) ? "vertical_pull" : "horizontal_pull";
    else pattern = "isolation";

    const bool compound = mechanic == "compound";
    std::string cns = category == "stretching" ? "very_low"
                      : (category == "olympic weightlifting" || category == "powerlifting" || category == "strongman") && compound ? "high"
                      : compound ? "moderate" : "low";
    std::string spinal = (eq->second == "barbell" && (pattern == "squat" || pattern == "hinge" || pattern == "olympic")) ? "high"
                         : compound && (pattern == "squat" || pattern == "hinge" || pattern == "carry") ? "moderate"
                         : compound ? "low" : "none";
    json muscles = json::array({{{"muscle", primary}, {"role", "primary"}, {"magnitude", 1.0}}});
    std::vector<std::string> seen{primary};
    if (r.contains("secondaryMuscles") && r["secondaryMuscles"].is_array())
        for (const auto& m : r["secondaryMuscles"]) {
            if (!m.is_string()) continue;
            std::string s = m.get<std::string>();
            std::string mapped = s == "shoulders" ? "front_delts" : (muscle_map.count(s) ? muscle_map.at(s) : "");
            if (mapped.empty()) {
                count_unmapped(unmapped, "secondaryMuscles", s);
                continue;
            }
            if (std::find(seen.begin(), seen.end(), mapped) != seen.end()) continue;
            seen.push_back(mapped);
            muscles.push_back({{"muscle", mapped}, {"role", "secondary"}, {"magnitude", 0.5}});
        }
    json tags = json::array({"imported"});
    if (!mechanic.empty()) tags.push_back(mechanic);
    if (pattern == "olympic") tags.push_back("olympic");
    if (pattern == "plyometric") tags.push_back("plyometric");
    std::string description;
    if (r.contains("instructions") && r["instructions"].is_array())
        for (const auto& line : r["instructions"])
            if (line.is_string()) description += (description.empty() ? "" : " ") + line.get<std::string>();
    double load = cns == "high" ? 1.4 : cns == "moderate" ? 1.0 : cns == "low" ? 0.6 : 0.3;
    json movement = {{"name", name},
                     {"pattern", pattern},
                     {"block_type", pattern == "mobility" ? "mobility" : compound ? "strength" : "accessory"},
                     {"primary_muscle", primary},
                     {"primary_region", region_of(primary)},
                     {"cns_load", cns},
                     {"skill_level", level_map.at(level)},
                     {"spinal_compression", spinal},
                     {"metric_type", category == "stretching" || category == "cardio" ? "time" : "reps"},
                     {"fatigue_factor", load},
                     {"stimulus_factor", compound ? 1.0 : 0.7},
                     {"injury_risk_factor", spinal == "high" ? 0.4 : spinal == "moderate" ? 0.25 : 0.1},
                     {"equipment", json::array({eq->second})},
                     {"tags", tags},
                     {"muscles", muscles}};
    if (!description.empty()) movement["description"] = description;
    return movement;
}

}  // namespace

json import_free_exercise_db(Database& db, const json& records) {
    if (!records.is_array()) invalid("import: expected a JSON array of exercise records");
    json report = {{"imported", 0}, {"updated", 0}, {"skipped", json::array()}, {"errors", json::array()}, {"unmapped", json::object()}};
    store::Savepoint all(db);
    size_t index = 0;
    for (const auto& record : records) {
        size_t i = index++;
        std::string name = record.is_object() && record.contains("name") && record["name"].is_string() ? record["name"].get<std::string>() : "";
        try {
            if (!record.is_object()) invalid("record: expected an object");
            json movement = map_record(record, report["unmapped"]);
            std::string key = record.contains("id") && record["id"].is_string() ? record["id"].get<std::string>() : name;
            movement["uid"] = derived_uid("free-exercise-db", key);
            // A catalog movement (or another import) already using the name keeps it.
            auto existing = db.select("movements", {{"name", name}});
            if (!existing.empty() && existing[0]["uid"] != movement["uid"]) {
                report["skipped"].push_back({{"index", i}, {"name", name}, {"reason", "a movement with this name already exists"}});
                continue;
            }
            store::Savepoint one(db);
            upsert(db, {{"movements", json::array({movement})}});
            one.commit();
            report[existing.empty() ? "imported" : "updated"] = report[existing.empty() ? "imported" : "updated"].get<int>() + 1;
        } catch (const Error& e) {
            if (e.status() != Status::invalid && e.status() != Status::constraint) throw;
            report["errors"].push_back({{"index", i}, {"name", name}, {"error", e.what()}});
            if (std::string field = e.what(); field.rfind("equipment: '", 0) == 0 || field.rfind("primaryMuscles: '", 0) == 0) {
                auto quote1 = field.find('\''), quote2 = field.find('\'', quote1 + 1);
                std::string kind = field.substr(0, field.find(':')), value = field.substr(quote1 + 1, quote2 - quote1 - 1);
                count_unmapped(report["unmapped"], kind, value);
            }
        }
    }
    all.commit();
    return report;
}

}  // namespace gainsly::catalog
