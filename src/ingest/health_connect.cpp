// Android Health Connect records as the app serialises them: {"records": [...]}, each with
// recordType (HeartRateVariabilityRmssdRecord, RestingHeartRateRecord, SleepSessionRecord,
// ExerciseSessionRecord, HeartRateRecord), the record's fields under their Kotlin names, and
// metadata {id, dataOrigin {packageName}}. Times are instants with a zoneOffset ("+01:00"). An
// exercise session with segments lasts the sum of its segments.
// Health Connect gathers other apps' data, so the recovery_signals source is the app that wrote
// the record (dataOrigin): Garmin Connect, Oura and Whoop map to their source; the schema has no
// source for other apps, so their signals are stored and not processed (reported as skipped).
#include "ingest/adapter.hpp"

namespace gainsly::ingest {
namespace {

std::string origin_of(const json& r) {
    if (auto m = r.find("metadata"); m != r.end() && m->is_object())
        if (auto d = m->find("dataOrigin"); d != m->end() && d->is_object())
            if (auto p = d->find("packageName"); p != d->end() && p->is_string()) return p->get<std::string>();
    return "unknown";
}

std::string source_of(const json& r) {
    static const std::pair<const char*, const char*> origins[] = {
        {"com.garmin.android.apps.connectmobile", "garmin"}, {"com.ouraring.oura", "aura ring"}, {"com.whoop.android", "whoop band"}};
    const std::string origin = origin_of(r);
    for (const auto& [package, source] : origins)
        if (origin == package) return source;
    return "";
}

// ExerciseSessionRecord.exerciseType: the constant's name ("EXERCISE_TYPE_RUNNING", "RUNNING") or its
// number for the common ones.
std::string exercise_name(const json& v, const std::string& w) {
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        for (const char* prefix : {"EXERCISE_SESSION_TYPE_", "EXERCISE_TYPE_"})
            if (s.rfind(prefix, 0) == 0) s = s.substr(std::string_view(prefix).size());
        return s;
    }
    if (!v.is_number_integer()) invalid(w + ".exerciseType: expected a name or an integer, got " + v.dump());
    static const std::pair<int, const char*> known[] = {{8, "BIKING"},   {9, "BIKING_STATIONARY"}, {37, "HIKING"},  {51, "ROCK_CLIMBING"},
                                                        {56, "RUNNING"}, {70, "STRENGTH_TRAINING"}, {76, "TENNIS"}, {79, "WALKING"},
                                                        {81, "WEIGHTLIFTING"}};
    for (const auto& [n, name] : known)
        if (v.get<int>() == n) return name;
    return "exercise_type_" + std::to_string(v.get<int>());
}

}  // namespace

std::vector<ParsedRecord> parse_health_connect(const json& payload) {
    return each_record(list_of(payload, "records", "a Health Connect export is {\"records\": [...]}"), "records", [&](const json& r, ParsedRecord& o) {
        const std::string& w = o.label;
        const std::string type = text(r, "recordType", w);
        const std::string source = source_of(r);
        auto id = [&] {
            const json& m = field(r, "metadata", w);
            return id_text(m, "id", w + ".metadata");
        };
        auto instant = [&](const char* time_key, const char* zone_key, std::string& date) {
            const std::string ts = utc(text(r, time_key, w), w + "." + time_key);
            date = date_from_epoch(epoch_seconds(ts), offset_seconds(r, zone_key, w));
            return ts;
        };
        // A signal of an app without a source keeps its origin in the metric type, so two apps'
        // records of the same instant stay two rows and never feed a signal.
        auto unsourced = [&](Metric& m) {
            if (!source.empty()) return;
            o.skipped = w + ": written by an app with no recovery_signals source: stored, not processed";
            m.type = (m.type + ":" + origin_of(r)).substr(0, 100);
            m.night.reset();
        };
        auto signal = [&](const char* metric_type, const char* value_key) {
            std::string date;
            const std::string ts = instant("time", "zoneOffset", date);
            Metric m = nightly(metric_type, date, number(r, value_key, w), source, w + "." + value_key);
            m.timestamp = ts;
            unsourced(m);
            o.metrics.push_back(m);
        };
        if (type == "HeartRateVariabilityRmssdRecord") {
            signal(metric::hrv_rmssd, "heartRateVariabilityMillis");
        } else if (type == "RestingHeartRateRecord") {
            signal(metric::resting_hr, "beatsPerMinute");
        } else if (type == "SleepSessionRecord") {
            std::string start_date, night;
            const std::string start = instant("startTime", "startZoneOffset", start_date), end = instant("endTime", "endZoneOffset", night);
            double asleep = double(epoch_seconds(end) - epoch_seconds(start));
            if (asleep < 0) invalid(w + ".endTime: before startTime");
            if (auto st = r.find("stages"); st != r.end() && st->is_array() && !st->empty()) {
                asleep = 0;  // stages 2 sleeping, 4 light, 5 deep, 6 REM are asleep; awake and out of bed are not
                size_t i = 0;
                for (const auto& s : *st) {
                    const std::string ws = w + ".stages[" + std::to_string(i++) + "]";
                    if (!s.is_object()) invalid(ws + ": expected an object");
                    const double stage = number(s, "stage", ws);
                    const double secs = double(epoch_seconds(utc(text(s, "endTime", ws), ws + ".endTime")) - epoch_seconds(utc(text(s, "startTime", ws), ws + ".startTime")));
                    if (secs < 0) invalid(ws + ".endTime: before startTime");
                    if (stage == 2 || stage == 4 || stage == 5 || stage == 6) asleep += secs;
                }
            }
            Metric m = nightly(metric::sleep_duration, night, asleep, source, w + ".stages");
            m.timestamp = start;
            unsourced(m);
            o.metrics.push_back(m);
        } else if (type == "ExerciseSessionRecord") {
            Workout wo;
            wo.provider_id = id();
            wo.kind = exercise_name(field(r, "exerciseType", w), w);
            std::string d;
            wo.start = instant("startTime", "startZoneOffset", d);
            wo.end = instant("endTime", "endZoneOffset", d);
            if (epoch_seconds(wo.end) < epoch_seconds(wo.start)) invalid(w + ".endTime: before startTime");
            // Segments, when given, are the active parts: the duration is their sum (pauses left out).
            if (auto seg = r.find("segments"); seg != r.end() && !seg->is_null()) {
                if (!seg->is_array()) invalid(w + ".segments: expected an array");
                size_t i = 0;
                for (const auto& s : *seg) {
                    const std::string ws = w + ".segments[" + std::to_string(i++) + "]";
                    if (!s.is_object()) invalid(ws + ": expected an object");
                    const int64_t secs = epoch_seconds(utc(text(s, "endTime", ws), ws + ".endTime")) - epoch_seconds(utc(text(s, "startTime", ws), ws + ".startTime"));
                    if (secs < 0) invalid(ws + ".endTime: before startTime");
                    wo.duration_seconds += secs;
                }
            }
            o.workout = wo;
        } else if (type == "HeartRateRecord") {
            std::string d;
            const json& samples = field(r, "samples", w);
            if (!samples.is_array()) invalid(w + ".samples: expected an array");
            size_t i = 0;
            for (const auto& s : samples) {
                const std::string ws = w + ".samples[" + std::to_string(i++) + "]";
                if (!s.is_object()) invalid(ws + ": expected an object");
                o.metrics.push_back({metric::heart_rate, utc(text(s, "time", ws), ws + ".time"), number(s, "beatsPerMinute", ws), "bpm", std::nullopt, ""});
            }
        } else {
            o.skipped = w + ": recordType " + type + " is not read";
        }
    });
}

}  // namespace gainsly::ingest
