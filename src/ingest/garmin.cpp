// Garmin Health API summaries as pushed or pulled: {"dailies": [...], "activities": [...],
// "sleeps": [...], "hrv": [...]} (any of them). Times are epoch seconds with a local offset
// (startTimeInSeconds, startTimeOffsetInSeconds). Garmin's HRV (hrv.lastNightAvg) is RMSSD; a
// stress level below 0 means "not enough data" and is not stored.
#include "ingest/adapter.hpp"

namespace gainsly::ingest {
namespace {

int64_t integer(const json& r, std::string_view key, const std::string& w) {
    const json& v = field(r, key, w);
    if (!v.is_number_integer()) invalid(w + "." + std::string(key) + ": expected an integer, got " + v.dump());
    return v.get<int64_t>();
}

void user_of(const json& r, ParsedRecord& out) {
    if (r.contains("userId")) out.provider_user = id_text(r, "userId", out.label);
}

std::string calendar_date(const json& r, const std::string& w) {
    std::string d = text(r, "calendarDate", w);
    check_date(d, w + ".calendarDate");
    return d;
}

}  // namespace

std::vector<ParsedRecord> parse_garmin(const json& payload) {
    const char* shape = "Garmin Health API summaries are {\"dailies\": [...], \"activities\": [...], \"sleeps\": [...], \"hrv\": [...]}";
    if (!payload.is_object()) invalid(std::string("payload: expected an object (") + shape + ")");
    const char* source = "garmin";
    std::vector<ParsedRecord> out;
    bool any = false;
    auto add = [&](const char* key, auto&& parse) {
        if (!payload.contains(key)) return;
        any = true;
        auto part = each_record(list_of(payload, key, shape), key, parse);
        for (auto& r : part) out.push_back(std::move(r));
    };
    add("dailies", [&](const json& r, ParsedRecord& o) {
        user_of(r, o);
        const std::string day = calendar_date(r, o.label);
        if (auto v = optional_number(r, "restingHeartRateInBeatsPerMinute"))
            o.metrics.push_back(nightly(metric::resting_hr, day, *v, source, o.label + ".restingHeartRateInBeatsPerMinute"));
        if (auto v = optional_number(r, "averageStressLevel"); v && *v >= 0) {
            Metric m = nightly(metric::stress, day, *v, source, o.label + ".averageStressLevel");
            m.night.reset();  // stored for the plan half; not a recovery_signals column
            o.metrics.push_back(m);
        }
        if (o.metrics.empty()) o.skipped = o.label + ": no resting heart rate or stress level";
    });
    add("sleeps", [&](const json& r, ParsedRecord& o) {
        user_of(r, o);
        const std::string day = calendar_date(r, o.label);
        o.metrics.push_back(nightly(metric::sleep_duration, day, double(integer(r, "durationInSeconds", o.label)), source,
                                    o.label + ".durationInSeconds"));
        if (auto it = r.find("overallSleepScore"); it != r.end() && it->is_object())
            if (auto v = optional_number(*it, "value")) o.metrics.push_back(nightly(metric::sleep_score, day, *v, source, o.label + ".overallSleepScore.value"));
    });
    add("hrv", [&](const json& r, ParsedRecord& o) {
        user_of(r, o);
        const std::string day = calendar_date(r, o.label);
        o.metrics.push_back(nightly(metric::hrv_rmssd, day, number(r, "lastNightAvg", o.label), source, o.label + ".lastNightAvg"));
    });
    add("activities", [&](const json& r, ParsedRecord& o) {
        user_of(r, o);
        Workout wo;
        wo.provider_id = id_text(r, r.contains("summaryId") ? "summaryId" : "activityId", o.label);
        wo.kind = text(r, "activityType", o.label);
        const int64_t start = integer(r, "startTimeInSeconds", o.label), duration = integer(r, "durationInSeconds", o.label);
        if (duration < 0 || duration > 7 * 86400) invalid(o.label + ".durationInSeconds: must be 0..604800");
        wo.start = utc_from_epoch(start);
        wo.end = utc_from_epoch(start + duration);
        wo.duration_seconds = duration;
        wo.average_hr = optional_number(r, "averageHeartRateInBeatsPerMinute");
        wo.max_hr = optional_number(r, "maxHeartRateInBeatsPerMinute");
        o.workout = wo;
    });
    if (!any) invalid(std::string("payload: none of dailies, activities, sleeps, hrv (") + shape + ")");
    return out;
}

}  // namespace gainsly::ingest
