// Whoop API v2 pages, {"records": [...], "next_token": ...}: recovery, sleep and workout records,
// told apart by their fields. Whoop's HRV is RMSSD (score.hrv_rmssd_milli). A record not yet scored
// (score_state other than SCORED) is stored and derives nothing. A recovery has no time zone: its
// night is the UTC date of its created_at.
#include "ingest/adapter.hpp"

namespace gainsly::ingest {
namespace {

bool scored(const json& r, ParsedRecord& out) {
    const std::string state = r.value("score_state", std::string("SCORED"));
    if (state == "SCORED" && r.contains("score") && r["score"].is_object()) return true;
    out.skipped = out.label + ": score_state " + state + ": stored, nothing derived until it is scored";
    return false;
}

}  // namespace

std::vector<ParsedRecord> parse_whoop(const json& payload) {
    const char* source = "whoop band";
    return each_record(list_of(payload, "records", "Whoop API v2 pages are {\"records\": [...], \"next_token\": ...}"), "records",
                       [&](const json& r, ParsedRecord& out) {
        const std::string& w = out.label;
        if (r.contains("user_id")) out.provider_user = id_text(r, "user_id", w);
        if (r.contains("sport_name") || r.contains("sport_id")) {  // workout
            Workout wo;
            wo.provider_id = id_text(r, "id", w);
            wo.kind = r.contains("sport_name") ? text(r, "sport_name", w) : "sport_" + id_text(r, "sport_id", w);
            wo.start = utc(text(r, "start", w), w + ".start");
            wo.end = utc(text(r, "end", w), w + ".end");
            if (r.value("score_state", std::string("SCORED")) == "SCORED" && r.contains("score") && r["score"].is_object()) {
                const json& s = r["score"];
                wo.strain = optional_number(s, "strain");
                wo.average_hr = optional_number(s, "average_heart_rate");
                wo.max_hr = optional_number(s, "max_heart_rate");
                if (wo.strain && (*wo.strain < 0 || *wo.strain > 21)) invalid(w + ".score.strain: must be 0..21");
            }
            out.workout = wo;
        } else if (r.contains("cycle_id") && !r.contains("start")) {  // recovery
            const std::string night = utc(text(r, "created_at", w), w + ".created_at").substr(0, 10);
            if (!scored(r, out)) {
                out.metrics.push_back({"recovery_pending", midnight(night), 0, "score", std::nullopt, ""});
                return;
            }
            const json& s = r["score"];
            const std::string ws = w + ".score";
            out.metrics.push_back(nightly(metric::readiness, night, number(s, "recovery_score", ws), source, ws + ".recovery_score"));
            out.metrics.push_back(nightly(metric::resting_hr, night, number(s, "resting_heart_rate", ws), source, ws + ".resting_heart_rate"));
            out.metrics.push_back(nightly(metric::hrv_rmssd, night, number(s, "hrv_rmssd_milli", ws), source, ws + ".hrv_rmssd_milli"));
        } else if (r.contains("start") && r.contains("end")) {  // sleep
            const std::string end = utc(text(r, "end", w), w + ".end");
            const std::string night = date_from_epoch(epoch_seconds(end), offset_seconds(r, "timezone_offset", w));
            if (r.value("nap", false)) {
                out.skipped = w + ": a nap: stored, no nightly signal";
                out.metrics.push_back({"nap_end", end, 0, "s", std::nullopt, ""});
                return;
            }
            if (!scored(r, out)) {
                out.metrics.push_back({"sleep_pending", midnight(night), 0, "s", std::nullopt, ""});
                return;
            }
            const json& s = r["score"];
            const std::string ws = w + ".score.stage_summary";
            const json& st = field(s, "stage_summary", w + ".score");
            const double asleep_ms = number(st, "total_light_sleep_time_milli", ws) + number(st, "total_slow_wave_sleep_time_milli", ws) +
                                     number(st, "total_rem_sleep_time_milli", ws);
            out.metrics.push_back(nightly(metric::sleep_duration, night, asleep_ms / 1000.0, source, ws));
            if (auto v = optional_number(s, "sleep_performance_percentage"))
                out.metrics.push_back(nightly(metric::sleep_score, night, *v, source, w + ".score.sleep_performance_percentage"));
        } else {
            invalid(w + ": not a Whoop recovery, sleep or workout record (expected cycle_id, start/end or sport_name)");
        }
    });
}

}  // namespace gainsly::ingest
