// Oura API v2 lists, {"data": [...], "next_token": ...}: daily_readiness, sleep, heartrate and
// workout documents, told apart by their fields. Oura's HRV (sleep.average_hrv) is RMSSD; its
// resting heart rate is the night's lowest (sleep.lowest_heart_rate).
#include "ingest/adapter.hpp"

namespace gainsly::ingest {

std::vector<ParsedRecord> parse_oura(const json& payload) {
    const char* source = "aura ring";
    return each_record(list_of(payload, "data", "Oura API v2 lists are {\"data\": [...], \"next_token\": ...}"), "data",
                       [&](const json& r, ParsedRecord& out) {
        const std::string& w = out.label;
        if (r.contains("bpm")) {  // heartrate: {bpm, source, timestamp}
            out.metrics.push_back({metric::heart_rate, utc(text(r, "timestamp", w), w + ".timestamp"), number(r, "bpm", w), "bpm",
                                   std::nullopt, ""});
            if (!(out.metrics[0].value > 0 && out.metrics[0].value < 250)) invalid(w + ".bpm: must be above 0 and below 250");
        } else if (r.contains("bedtime_start")) {  // sleep
            const std::string day = text(r, "day", w);
            check_date(day, w + ".day");
            const std::string type = r.value("type", std::string("long_sleep"));
            if (type != "long_sleep") {
                out.skipped = w + ": a '" + type + "' period, not the night's main sleep: stored, no nightly signal";
                out.metrics.push_back({"sleep_period_duration", utc(text(r, "bedtime_start", w), w + ".bedtime_start"),
                                       optional_number(r, "total_sleep_duration").value_or(0), "s", std::nullopt, ""});
                return;
            }
            if (auto v = optional_number(r, "average_hrv")) out.metrics.push_back(nightly(metric::hrv_rmssd, day, *v, source, w + ".average_hrv"));
            if (auto v = optional_number(r, "lowest_heart_rate"))
                out.metrics.push_back(nightly(metric::resting_hr, day, *v, source, w + ".lowest_heart_rate"));
            out.metrics.push_back(nightly(metric::sleep_duration, day, number(r, "total_sleep_duration", w), source, w + ".total_sleep_duration"));
        } else if (r.contains("contributors")) {  // daily_readiness
            const std::string day = text(r, "day", w);
            check_date(day, w + ".day");
            out.metrics.push_back(nightly(metric::readiness, day, number(r, "score", w), source, w + ".score"));
        } else if (r.contains("activity") && r.contains("start_datetime")) {  // workout
            Workout wo;
            wo.provider_id = id_text(r, "id", w);
            wo.kind = text(r, "activity", w);
            wo.start = utc(text(r, "start_datetime", w), w + ".start_datetime");
            wo.end = utc(text(r, "end_datetime", w), w + ".end_datetime");
            out.workout = wo;
        } else {
            invalid(w + ": not an Oura daily_readiness, sleep, heartrate or workout document (expected contributors, bedtime_start, bpm or activity)");
        }
    });
}

}  // namespace gainsly::ingest
