// Provider workouts into activity_instances (see the definitions in ingest.hpp). A provider's
// sport name is matched, without case or punctuation, against catalog/activity_aliases.json
// (read from the embedded copy); an alias without an activity is strength training, which the app
// logs itself, so it derives no activity. An unknown sport is "Other Activity".
#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "ingest/ingest.hpp"
#include "ingest/process.hpp"
#include "model/embedded.hpp"

namespace gainsly::ingest {
namespace {

constexpr const char* kOther = "Other Activity";

std::string normalized(std::string_view s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Normalised alias -> activity definition name ("" for strength training).
const std::unordered_map<std::string, std::string>& aliases() {
    static const std::unordered_map<std::string, std::string> map = [] {
        std::unordered_map<std::string, std::string> m;
        for (const auto& a : json::parse(embedded::file("catalog/activity_aliases.json")))
            m.emplace(normalized(a.at("name").get<std::string>()), a.at("activity").is_null() ? "" : a.at("activity").get<std::string>());
        return m;
    }();
    return map;
}

struct Definition {
    int64_t id = 0;
    std::optional<double> default_intensity;
};

Definition definition(Database& db, const std::string& name) {
    auto& q = db.prepare("SELECT id, default_intensity FROM activity_definitions WHERE name = ?");
    q.bind(1, name);
    Definition d;
    if (q.executeStep()) {
        d.id = q.getColumn(0).getInt64();
        if (!q.getColumn(1).isNull()) d.default_intensity = q.getColumn(1).getDouble();
    }
    q.tryReset();
    if (!d.id) throw Error(Status::not_found, "activity_definitions: no '" + name + "' row (the reference catalog is not installed)");
    return d;
}

double round2(double x) { return std::round(x * 100.0) / 100.0; }

// Intensity 0..10: Whoop's strain (0..21) scaled; else the average heart rate as a share of the
// user's maximum (208 - 0.7 x age, Tanaka 2001; needs user_profiles.date_of_birth), 50% = 0 to
// 100% = 10; else the activity's default intensity.
std::optional<double> intensity(Database& db, int64_t user_id, const Workout& w, const Definition& d) {
    if (w.strain) return round2(*w.strain * 10.0 / 21.0);
    if (w.average_hr) {
        auto& q = db.prepare("SELECT date_of_birth FROM user_profiles WHERE user_id = ? AND date_of_birth IS NOT NULL");
        q.bind(1, user_id);
        std::optional<model::Date> born;
        if (q.executeStep()) born = model::parse_date(q.getColumn(0).getString());
        q.tryReset();
        auto when = model::parse_date(w.start.substr(0, 10));
        if (born && when && *when > *born) {
            const double age = double((*when - *born).count()) / 365.25;
            const double hr_max = 208.0 - 0.7 * age;
            return round2(std::clamp(10.0 * (*w.average_hr / hr_max - 0.5) / 0.5, 0.0, 10.0));
        }
    }
    return d.default_intensity;
}

void copy_muscles(Database& db, int64_t instance_id, int64_t definition_id) {
    auto& del = db.prepare("SELECT id FROM activity_muscle_map WHERE activity_instance_id = ?");
    del.bind(1, instance_id);
    std::vector<int64_t> old;
    while (del.executeStep()) old.push_back(del.getColumn(0).getInt64());
    del.tryReset();
    for (int64_t id : old) db.remove("activity_muscle_map", id);
    auto& q = db.prepare("SELECT muscle_id, role, magnitude FROM activity_definition_muscle_map WHERE activity_definition_id = ? ORDER BY id");
    q.bind(1, definition_id);
    std::vector<json> rows;
    while (q.executeStep())
        rows.push_back({{"activity_instance_id", instance_id}, {"muscle_id", q.getColumn(0).getInt64()},
                        {"role", q.getColumn(1).isNull() ? json(nullptr) : json(q.getColumn(1).getString())}, {"magnitude", q.getColumn(2).getDouble()}});
    q.tryReset();
    for (const auto& r : rows) db.insert("activity_muscle_map", r);
}

// The first instance of another account of the user holding the same workout: same definition,
// overlapping by at least half of the shorter one. Itself a duplicate: its target instead.
std::optional<int64_t> same_workout(Database& db, int64_t user_id, int64_t account_id, int64_t instance_id, int64_t definition_id,
                                    int64_t start, int64_t end) {
    auto& q = db.prepare(
        "SELECT ai.id, ai.completed_at, ai.actual_duration_seconds FROM activity_instances ai "
        "JOIN external_activity_records e ON e.processed_to_instance_id = ai.id JOIN external_ingestion_runs r ON r.id = e.ingestion_run_id "
        "WHERE e.user_id = ? AND r.provider_account_id <> ? AND ai.id <> ? AND ai.activity_definition_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM activity_instance_links l WHERE l.source_activity_instance_id = ai.id AND l.link_type = 'substitution') "
        "ORDER BY ai.id");
    q.bind(1, user_id);
    q.bind(2, account_id);
    q.bind(3, instance_id);
    q.bind(4, definition_id);
    std::optional<int64_t> found;
    while (!found && q.executeStep()) {
        if (q.getColumn(1).isNull()) continue;
        const int64_t e = epoch_seconds(q.getColumn(1).getString()), s = e - (q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64());
        const int64_t overlap = std::min(end, e) - std::max(start, s), shorter = std::min(end - start, e - s);
        if (overlap > 0 && 2 * overlap >= shorter) found = q.getColumn(0).getInt64();
    }
    q.tryReset();
    return found;
}

}  // namespace

WorkoutResult write_workout(Database& db, int64_t user_id, int64_t account_id, const std::string& provider, int64_t record_id, const Workout& w) {
    WorkoutResult out;
    auto alias = aliases().find(normalized(w.kind));
    const std::string name = alias == aliases().end() ? kOther : alias->second;
    if (name.empty()) {
        out.skipped = provider + " workout " + w.provider_id + ": '" + w.kind + "' is strength training, logged in the app: no activity";
        return out;
    }
    const Definition d = definition(db, name);
    const int64_t start = epoch_seconds(w.start), end = epoch_seconds(w.end);
    const int64_t duration = w.duration_seconds > 0 ? w.duration_seconds : std::max<int64_t>(0, end - start);
    json row = {{"activity_definition_id", d.id},
                {"actual_duration_seconds", duration},
                {"actual_intensity", nullptr},
                {"completed", true},
                {"completed_at", w.end},
                {"notes", provider + ": " + w.kind}};
    if (auto i = intensity(db, user_id, w, d)) row["actual_intensity"] = *i;
    auto& q = db.prepare("SELECT processed_to_instance_id, (SELECT activity_definition_id FROM activity_instances WHERE id = processed_to_instance_id) "
                         "FROM external_activity_records WHERE id = ?");
    q.bind(1, record_id);
    std::optional<int64_t> instance, old_definition;
    if (q.executeStep() && !q.getColumn(0).isNull()) {
        instance = q.getColumn(0).getInt64();
        if (!q.getColumn(1).isNull()) old_definition = q.getColumn(1).getInt64();
    }
    q.tryReset();
    if (instance) {
        db.update("activity_instances", *instance, row);
        if (old_definition != d.id) copy_muscles(db, *instance, d.id);
    } else {
        instance = db.insert("activity_instances", row);
        copy_muscles(db, *instance, d.id);
        db.update("external_activity_records", record_id, json{{"processed_to_instance_id", *instance}});
    }
    out.instance_id = *instance;
    auto& linked = db.prepare("SELECT 1 FROM activity_instance_links WHERE (source_activity_instance_id = ?1 OR target_activity_instance_id = ?1) AND link_type = 'substitution'");
    linked.bind(1, *instance);
    const bool has_link = linked.executeStep();
    linked.tryReset();
    if (!has_link)
        if (auto target = same_workout(db, user_id, account_id, *instance, d.id, start, end)) {
            db.insert("activity_instance_links", json{{"source_activity_instance_id", *instance}, {"target_activity_instance_id", *target},
                                                      {"link_type", "substitution"},
                                                      {"notes", "the same " + name + " from two providers: counted once, as the target"}});
            out.linked = true;
        }
    return out;
}

std::vector<Activity> counted_activities(Database& db, int64_t user_id, model::Date from, model::Date to) {
    auto& q = db.prepare(
        "SELECT ai.id, ai.activity_definition_id, d.name, a.provider_type, ai.completed_at, ai.actual_duration_seconds, ai.actual_intensity "
        "FROM activity_instances ai JOIN external_activity_records e ON e.processed_to_instance_id = ai.id "
        "JOIN external_ingestion_runs r ON r.id = e.ingestion_run_id JOIN external_provider_accounts a ON a.id = r.provider_account_id "
        "JOIN activity_definitions d ON d.id = ai.activity_definition_id "
        "WHERE e.user_id = ? AND ai.completed AND substr(ai.completed_at, 1, 10) BETWEEN ? AND ? "
        "AND NOT EXISTS (SELECT 1 FROM activity_instance_links l WHERE l.source_activity_instance_id = ai.id AND l.link_type = 'substitution') "
        "ORDER BY ai.completed_at, ai.id");
    q.bind(1, user_id);
    q.bind(2, model::format_date(from));
    q.bind(3, model::format_date(to));
    std::vector<Activity> out;
    while (q.executeStep()) {
        Activity a;
        a.instance_id = q.getColumn(0).getInt64();
        a.definition_id = q.getColumn(1).getInt64();
        a.name = q.getColumn(2).getString();
        a.provider = q.getColumn(3).getString();
        a.completed_at = q.getColumn(4).getString();
        a.duration_seconds = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt64();
        a.started_at = utc_from_epoch(epoch_seconds(a.completed_at) - a.duration_seconds);
        if (!q.getColumn(6).isNull()) a.intensity = q.getColumn(6).getDouble();
        out.push_back(std::move(a));
    }
    q.tryReset();
    return out;
}

}  // namespace gainsly::ingest
