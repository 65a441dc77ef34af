// What a provider adapter turns a payload into: one ParsedRecord per provider record, each with
// its metrics and at most one workout, all in canonical units (ms, bpm, seconds, 0..100 scores).
// Adapters only read JSON; the runner (runner.cpp) writes. A payload not of the provider's shape
// throws Error(invalid) naming the field; a bad record carries its error and fails alone.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.hpp"
#include "store/database.hpp"

namespace gainsly::ingest {

using store::json;

// Canonical metric types (external_metric_streams.metric_type) and their units.
namespace metric {
inline constexpr const char* hrv_rmssd = "hrv_rmssd";            // ms, nightly
inline constexpr const char* hrv_sdnn = "hrv_sdnn";              // ms, nightly
inline constexpr const char* resting_hr = "resting_heart_rate";  // bpm, nightly
inline constexpr const char* sleep_duration = "sleep_duration";  // s asleep, nightly
inline constexpr const char* sleep_score = "sleep_score";        // 0..100, the provider's, nightly
inline constexpr const char* readiness = "readiness_score";      // 0..100, the provider's, nightly
inline constexpr const char* stress = "stress_average";          // 0..100 (Garmin), daily
inline constexpr const char* heart_rate = "heart_rate";          // bpm, a sample
}  // namespace metric

struct Metric {
    std::string type;
    std::string timestamp;  // canonical UTC; nightly metrics: the night's date at 00:00:00.000Z
    double value = 0;
    std::string unit;
    std::optional<std::string> night;  // "YYYY-MM-DD" for a nightly metric: its signal_date
    std::string source;                // recovery_signals.source; empty: none (not processed)
};

struct Workout {
    std::string provider_id;   // external_activity_records.provider_activity_id
    std::string kind;          // the provider's name of the sport (activity_type)
    std::string start, end;    // canonical UTC
    int64_t duration_seconds = 0;
    std::optional<double> average_hr, max_hr, strain;  // strain: Whoop's 0..21
};

struct ParsedRecord {
    std::string label;                          // "data[3]" or "records[0] (id ...)": for messages
    json raw;                                   // the provider's record as given
    std::optional<std::string> provider_user;   // the record's user id at the provider, if it has one
    std::vector<Metric> metrics;
    std::optional<Workout> workout;
    std::string error;                          // non-empty: the record is refused with this message
    std::string skipped;                        // non-empty: stored, nothing derived (why)
};

// One adapter per provider; each throws Error(invalid) for a payload not of its shape.
std::vector<ParsedRecord> parse_oura(const json& payload);
std::vector<ParsedRecord> parse_whoop(const json& payload);
std::vector<ParsedRecord> parse_garmin(const json& payload);
std::vector<ParsedRecord> parse_apple_health(const json& payload);
std::vector<ParsedRecord> parse_health_connect(const json& payload);

// Helpers the adapters share (adapter.cpp). Each throws Error(invalid) "<where>.<key>: ..." which
// the adapters catch per record.
const json& field(const json& record, std::string_view key, const std::string& where);
double number(const json& record, std::string_view key, const std::string& where);
std::optional<double> optional_number(const json& record, std::string_view key);
std::string text(const json& record, std::string_view key, const std::string& where);
std::string id_text(const json& record, std::string_view key, const std::string& where);  // string or integer id
// An ISO-8601 timestamp with a zone ("Z", "+01:00", "+0100") as canonical UTC, and its local date.
std::string utc(const std::string& value, const std::string& where);
std::string local_date(const std::string& value, const std::string& where);
// Epoch seconds as canonical UTC; with an offset (seconds east of UTC), the local date.
std::string utc_from_epoch(int64_t seconds);
std::string date_from_epoch(int64_t seconds, int64_t offset_seconds);
std::string midnight(const std::string& date);
int64_t epoch_seconds(const std::string& utc_ts);  // a canonical UTC timestamp as epoch seconds
// "+HH:MM" / "-HH:MM" at r[key] as seconds east of UTC; 0 when absent.
int64_t offset_seconds(const json& r, const char* key, const std::string& where);  // "YYYY-MM-DD" -> "YYYY-MM-DDT00:00:00.000Z"
void check_date(const std::string& date, const std::string& where);
// A nightly metric of `date` for `source` (validated: finite, in range for its type).
Metric nightly(const char* type, const std::string& date, double value, const std::string& source, const std::string& where);
// The array at payload[key], or an Error naming it with the provider's list shape.
const json& list_of(const json& payload, std::string_view key, const char* shape);


// Runs `parse(raw, record)` for each element of `list`; a record's Error becomes its error.
template <class F>
std::vector<ParsedRecord> each_record(const json& list, const std::string& name, F&& parse) {
    std::vector<ParsedRecord> out;
    size_t i = 0;
    for (const auto& raw : list) {
        ParsedRecord r;
        r.label = name + "[" + std::to_string(i++) + "]";
        r.raw = raw;
        try {
            if (!raw.is_object()) invalid(r.label + ": expected an object");
            parse(raw, r);
        } catch (const Error& e) {
            r.error = e.what();
            r.metrics.clear();
            r.workout.reset();
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace gainsly::ingest
