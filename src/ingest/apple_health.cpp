// Apple HealthKit samples as the app exports them: {"samples": [...], "workouts": [...]}, each
// sample {uuid, type (the HealthKit identifier), value, unit, startDate, endDate, sourceName} and
// each workout {uuid, workoutActivityType, startDate, endDate, duration, averageHeartRate,
// maxHeartRate}. Dates carry the device's offset, so their first ten characters are the local
// date. HealthKit's HRV is SDNN (HKQuantityTypeIdentifierHeartRateVariabilitySDNN, ms): it never
// shares a baseline with RMSSD. A sleep analysis sample counts when asleep (core, deep, REM,
// unspecified); its night is the local date of its end. Samples of other types are skipped.
#include "ingest/adapter.hpp"

namespace gainsly::ingest {
namespace {

void require_unit(const json& r, const char* unit, const std::string& w) {
    if (r.contains("unit") && !(r["unit"].is_string() && r["unit"].get<std::string>() == unit))
        invalid(w + ".unit: expected '" + unit + "', got " + r["unit"].dump());
}

}  // namespace

std::vector<ParsedRecord> parse_apple_health(const json& payload) {
    const char* shape = "an Apple Health export is {\"samples\": [...], \"workouts\": [...]}";
    if (!payload.is_object() || (!payload.contains("samples") && !payload.contains("workouts")))
        invalid(std::string("payload: expected samples or workouts (") + shape + ")");
    const char* source = "apple";
    std::vector<ParsedRecord> out;
    if (payload.contains("samples")) {
        out = each_record(list_of(payload, "samples", shape), "samples", [&](const json& r, ParsedRecord& o) {
            const std::string& w = o.label;
            const std::string type = text(r, "type", w);
            const std::string start = text(r, "startDate", w), end = r.contains("endDate") ? text(r, "endDate", w) : start;
            const std::string ts = utc(start, w + ".startDate");
            Metric m;
            if (type == "HKQuantityTypeIdentifierHeartRateVariabilitySDNN") {
                require_unit(r, "ms", w);
                m = nightly(metric::hrv_sdnn, local_date(start, w + ".startDate"), number(r, "value", w), source, w + ".value");
            } else if (type == "HKQuantityTypeIdentifierRestingHeartRate") {
                require_unit(r, "count/min", w);
                m = nightly(metric::resting_hr, local_date(start, w + ".startDate"), number(r, "value", w), source, w + ".value");
            } else if (type == "HKCategoryTypeIdentifierSleepAnalysis") {
                const std::string value = text(r, "value", w);
                const double secs = double(epoch_seconds(utc(end, w + ".endDate")) - epoch_seconds(ts));
                if (secs < 0) invalid(w + ".endDate: before startDate");
                if (value.find("Asleep") == std::string::npos) {
                    o.skipped = w + ": " + value + " is not asleep time: stored, not counted";
                    o.metrics.push_back({"sleep_not_asleep", ts, secs, "s", std::nullopt, ""});
                    return;
                }
                m = nightly(metric::sleep_duration, local_date(end, w + ".endDate"), secs, source, w + ".endDate");
            } else if (type == "HKQuantityTypeIdentifierHeartRate") {
                m = {metric::heart_rate, ts, number(r, "value", w), "bpm", std::nullopt, ""};
            } else {
                o.skipped = w + ": type " + type + " is not read";
                return;
            }
            m.timestamp = ts;  // several samples a night: each keeps its own time
            o.metrics.push_back(m);
        });
    }
    if (payload.contains("workouts")) {
        auto part = each_record(list_of(payload, "workouts", shape), "workouts", [&](const json& r, ParsedRecord& o) {
            const std::string& w = o.label;
            Workout wo;
            wo.provider_id = id_text(r, "uuid", w);
            wo.kind = text(r, "workoutActivityType", w);
            if (wo.kind.rfind("HKWorkoutActivityType", 0) == 0) wo.kind = wo.kind.substr(21);
            wo.start = utc(text(r, "startDate", w), w + ".startDate");
            wo.end = utc(text(r, "endDate", w), w + ".endDate");
            if (auto d = optional_number(r, "duration")) {
                if (*d < 0 || *d > 7 * 86400) invalid(w + ".duration: must be 0..604800 seconds");
                wo.duration_seconds = int64_t(*d + 0.5);
            }
            wo.average_hr = optional_number(r, "averageHeartRate");
            wo.max_hr = optional_number(r, "maxHeartRate");
            o.workout = wo;
        });
        for (auto& r : part) out.push_back(std::move(r));
    }
    return out;
}

}  // namespace gainsly::ingest
