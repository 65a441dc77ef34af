// Nightly metrics into recovery_signals rows of their source (see the definitions in ingest.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ingest/process.hpp"
#include "math/params.hpp"
#include "math/readiness.hpp"
#include "store/heuristics.hpp"
#include "training/training.hpp"

namespace gainsly::ingest {
namespace {

double round2(double x) { return std::round(x * 100.0) / 100.0; }

// The HRV measure a source reports: SDNN for Apple Health, RMSSD for every other source.
const char* hrv_measure(const std::string& source) { return source == "apple" ? metric::hrv_sdnn : metric::hrv_rmssd; }

// Sleep quality (0..100) from time asleep when the provider gives no score: 8 h or more is 100,
// less in proportion (adults need 7-9 h).
double sleep_quality_from(double seconds) { return round2(std::clamp(100.0 * seconds / (8 * 3600.0), 0.0, 100.0)); }

std::optional<int64_t> first_id(Database& db, const std::string& sql, int64_t user, const std::string& date, const std::string* source = nullptr) {
    auto& q = db.prepare(sql);
    q.bind(1, user);
    q.bind(2, date);
    if (source) q.bind(3, *source);
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

// The day's own row (training's) is the lowest id of the date; a source's row is its lowest other.
constexpr const char* kDayRow = "SELECT id FROM recovery_signals WHERE user_id = ? AND signal_date = ? ORDER BY id LIMIT 1";
constexpr const char* kSourceRow =
    "SELECT id FROM recovery_signals WHERE user_id = ?1 AND signal_date = ?2 AND source = ?3 AND id > "
    "(SELECT MIN(id) FROM recovery_signals WHERE user_id = ?1 AND signal_date = ?2) ORDER BY id LIMIT 1";

// The inputs a row's linked metrics give: hrv (the source's measure), resting HR, sleep quality,
// and the provider's readiness.
struct Inputs {
    std::optional<double> hrv, rhr, sleep, provider_readiness;
};

Inputs linked_inputs(Database& db, int64_t signal_id, const std::string& source) {
    auto& q = db.prepare(
        "SELECT metric_type, AVG(value), SUM(value) FROM external_metric_streams WHERE processed_to_signal_id = ? GROUP BY metric_type");
    q.bind(1, signal_id);
    Inputs in;
    std::optional<double> sleep_seconds;
    while (q.executeStep()) {
        const std::string type = q.getColumn(0).getString();
        const double avg = q.getColumn(1).getDouble(), sum = q.getColumn(2).getDouble();
        if (type == hrv_measure(source)) in.hrv = round2(avg);
        else if (type == metric::resting_hr) in.rhr = round2(avg);
        else if (type == metric::sleep_score) in.sleep = round2(avg);
        else if (type == metric::sleep_duration) sleep_seconds = sum;  // HealthKit: one sample per sleep stage
        else if (type == metric::readiness) in.provider_readiness = round2(avg);
    }
    q.tryReset();
    if (!in.sleep && sleep_seconds) in.sleep = sleep_quality_from(*sleep_seconds);
    return in;
}

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// A source's rows of the user within [from, to]: date -> (id, sleep, hrv, rhr, stored readiness, stored overall).
struct SourceRow {
    int64_t id;
    std::optional<double> sleep, hrv, rhr;
    double readiness, overall;
};

std::map<model::Date, SourceRow> source_rows(Database& db, int64_t user, const std::string& source, model::Date from, model::Date to) {
    auto& q = db.prepare(
        "SELECT s.id, s.signal_date, s.sleep_quality_score, s.hrv_score, s.resting_heart_rate, s.readiness_score, s.overall_recovery_score "
        "FROM recovery_signals s WHERE s.user_id = ?1 AND s.source = ?2 AND s.signal_date BETWEEN ?3 AND ?4 "
        "AND s.id > (SELECT MIN(d.id) FROM recovery_signals d WHERE d.user_id = ?1 AND d.signal_date = s.signal_date) ORDER BY s.signal_date, s.id");
    q.bind(1, user);
    q.bind(2, source);
    q.bind(3, model::format_date(from));
    q.bind(4, model::format_date(to));
    std::map<model::Date, SourceRow> out;
    auto value = [&](int c) { return q.getColumn(c).isNull() || q.getColumn(c).getDouble() <= 0 ? std::nullopt : std::optional<double>(q.getColumn(c).getDouble()); };
    while (q.executeStep()) {
        auto d = model::parse_date(q.getColumn(1).getString());
        if (d && !out.count(*d))
            out.emplace(*d, SourceRow{q.getColumn(0).getInt64(), value(2), value(3), value(4), q.getColumn(5).getDouble(), q.getColumn(6).getDouble()});
    }
    q.tryReset();
    return out;
}

}  // namespace

std::vector<int64_t> write_signals(Database& db, int64_t user_id, const std::vector<StoredMetric>& metrics) {
    std::map<std::pair<std::string, std::string>, std::vector<int64_t>> nights;  // (source, night) -> stream ids
    for (const auto& m : metrics) nights[{m.metric.source, *m.metric.night}].push_back(m.stream_id);
    if (nights.empty()) return {};
    std::vector<int64_t> ids;
    std::map<std::string, std::pair<model::Date, model::Date>> spans;  // source -> nights touched
    for (const auto& [key, streams] : nights) {
        const auto& [source, night] = key;
        const model::Date day = *model::parse_date(night);
        if (!first_id(db, kDayRow, user_id, night)) training::recompute_days(db, user_id, day, day);  // the day's own row first
        auto id = first_id(db, kSourceRow, user_id, night, &source);
        if (!id) id = db.insert("recovery_signals", json{{"user_id", user_id}, {"signal_date", night}, {"source", source}});
        for (int64_t s : streams) db.update("external_metric_streams", s, json{{"processed_to_signal_id", *id}});
        const Inputs in = linked_inputs(db, *id, source);
        json changes = {{"hrv_score", opt(in.hrv)}, {"resting_heart_rate", opt(in.rhr)}, {"sleep_quality_score", in.sleep.value_or(0.0)},
                        {"notes", "ingested from " + source + (source == "apple" ? " (HRV: SDNN)" : " (HRV: RMSSD)")}};
        json stored = db.get("recovery_signals", *id);
        bool differs = false;
        for (const auto& [k, v] : changes.items()) differs = differs || stored[k] != v;
        if (differs) db.update("recovery_signals", *id, changes);
        ids.push_back(*id);
        auto [it, fresh] = spans.emplace(source, std::make_pair(day, day));
        if (!fresh) it->second = {std::min(it->second.first, day), std::max(it->second.second, day)};
    }
    // Readiness against the source's own rolling baseline, for the touched nights and the nights
    // whose baseline they enter.
    static const std::vector<std::string> keys = math::param_keys();
    const math::ReadinessParams p = math::load_params(store::read_heuristics(db, keys)).readiness;
    const auto window = std::chrono::days(p.baseline_days);
    for (const auto& [source, span] : spans) {
        const auto rows = source_rows(db, user_id, source, span.first - window, span.second + window);
        for (const auto& [day, row] : rows) {
            if (day < span.first) continue;
            math::ReadinessInput in;
            in.sleep_quality = row.sleep;
            in.hrv = row.hrv;
            in.resting_hr = row.rhr;
            for (auto back = window; back.count() >= 1; back -= std::chrono::days(1)) {
                auto it = rows.find(day - back);
                in.hrv_history.push_back(it == rows.end() ? std::nullopt : it->second.hrv);
                in.resting_hr_history.push_back(it == rows.end() ? std::nullopt : it->second.rhr);
            }
            const double readiness = round2(math::readiness(in, p).score);
            const double overall = linked_inputs(db, row.id, source).provider_readiness.value_or(readiness);
            if (readiness != row.readiness || overall != row.overall)
                db.update("recovery_signals", row.id, json{{"readiness_score", readiness}, {"overall_recovery_score", overall}});
        }
    }
    return ids;
}

}  // namespace gainsly::ingest
