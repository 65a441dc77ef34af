#include <cmath>
#include <cstdio>

#include "ingest/adapter.hpp"
#include "model/time.hpp"

namespace gainsly::ingest {
namespace {

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

// The accepted range of each metric type: (low, high], low exclusive when `open_low`.
struct Range {
    double low, high;
    bool open_low;
};

Range range_of(std::string_view type) {
    if (type == metric::hrv_rmssd || type == metric::hrv_sdnn) return {0, 1000, true};
    if (type == metric::resting_hr || type == metric::heart_rate) return {0, 249.999, true};
    if (type == metric::sleep_duration) return {0, 86400, false};
    return {0, 100, false};  // scores and stress
}

}  // namespace

const json& field(const json& record, std::string_view key, const std::string& where) {
    auto it = record.find(key);
    if (it == record.end() || it->is_null()) invalid(where + "." + std::string(key) + ": missing");
    return *it;
}

double number(const json& record, std::string_view key, const std::string& where) {
    const json& v = field(record, key, where);
    if (!v.is_number() || !std::isfinite(v.get<double>())) invalid(where + "." + std::string(key) + ": expected a number, got " + v.dump());
    return v.get<double>();
}

std::optional<double> optional_number(const json& record, std::string_view key) {
    auto it = record.find(key);
    if (it == record.end() || !it->is_number() || !std::isfinite(it->get<double>())) return std::nullopt;
    return it->get<double>();
}

std::string text(const json& record, std::string_view key, const std::string& where) {
    const json& v = field(record, key, where);
    if (!v.is_string() || v.get<std::string>().empty()) invalid(where + "." + std::string(key) + ": expected a non-empty string, got " + v.dump());
    return v.get<std::string>();
}

std::string id_text(const json& record, std::string_view key, const std::string& where) {
    const json& v = field(record, key, where);
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    std::string s = text(record, key, where);
    if (s.size() > 255) invalid(where + "." + std::string(key) + ": longer than 255 characters");
    return s;
}

// "+0100" -> "+01:00" (HealthKit exports write the offset without a colon).
static std::string with_colon_offset(std::string s) {
    if (s.size() > 5) {
        const size_t n = s.size();
        if ((s[n - 5] == '+' || s[n - 5] == '-') && std::isdigit(static_cast<unsigned char>(s[n - 4])) && s[n - 3] != ':') {
            s.insert(n - 2, ":");
            if (s[n - 6] == ' ') s.erase(n - 6, 1);  // "2026-11-30 06:40:00 +0100"
        }
    }
    return s;
}

std::string utc(const std::string& value, const std::string& where) {
    auto t = model::normalize_timestamp(with_colon_offset(value));
    if (!t) invalid(where + ": '" + value + "' is not an ISO-8601 timestamp with a zone");
    return *t;
}

std::string local_date(const std::string& value, const std::string& where) {
    utc(value, where);  // validates the whole timestamp
    std::string date = value.substr(0, 10);
    check_date(date, where);
    return date;
}

std::string utc_from_epoch(int64_t seconds) {
    using namespace std::chrono;
    const sys_seconds t{std::chrono::seconds(seconds)};
    const auto day = floor<days>(t);
    const hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.000Z", model::format_date(day).c_str(), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buf;
}

std::string date_from_epoch(int64_t seconds, int64_t offset_seconds) {
    using namespace std::chrono;
    return model::format_date(floor<days>(sys_seconds{std::chrono::seconds(seconds + offset_seconds)}));
}

std::string midnight(const std::string& date) { return date + "T00:00:00.000Z"; }

int64_t epoch_seconds(const std::string& utc_ts) {
    auto d = model::parse_date(utc_ts.substr(0, 10));
    if (!d || utc_ts.size() < 19) throw Error(Status::internal, "not a canonical timestamp: " + utc_ts);
    return std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() + std::stoi(utc_ts.substr(11, 2)) * 3600 +
           std::stoi(utc_ts.substr(14, 2)) * 60 + std::stoi(utc_ts.substr(17, 2));
}

int64_t offset_seconds(const json& r, const char* key, const std::string& where) {
    auto it = r.find(key);
    if (it == r.end() || it->is_null()) return 0;
    int h = 0, m = 0;
    char sign = 0;
    if (!it->is_string() || std::sscanf(it->get<std::string>().c_str(), "%c%2d:%2d", &sign, &h, &m) != 3 || (sign != '+' && sign != '-') ||
        h > 14 || m > 59)
        invalid(where + "." + key + ": expected \"+HH:MM\", got " + it->dump());
    return (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
}

void check_date(const std::string& date, const std::string& where) {
    if (!model::parse_date(date)) invalid(where + ": '" + date + "' is not a date (YYYY-MM-DD)");
}

Metric nightly(const char* type, const std::string& date, double value, const std::string& source, const std::string& where) {
    const Range r = range_of(type);
    if (!std::isfinite(value) || value > r.high || (r.open_low ? value <= r.low : value < r.low))
        invalid(where + ": " + type + " " + num(value) + " is out of range (" + (r.open_low ? "above " : "") + num(r.low) + " to " +
                num(r.high) + ")");
    const char* unit = (std::string_view(type) == metric::hrv_rmssd || std::string_view(type) == metric::hrv_sdnn) ? "ms"
                       : std::string_view(type) == metric::resting_hr                                               ? "bpm"
                       : std::string_view(type) == metric::sleep_duration                                           ? "s"
                                                                                                                    : "score";
    return Metric{type, midnight(date), value, unit, date, source};
}

const json& list_of(const json& payload, std::string_view key, const char* shape) {
    if (!payload.is_object()) invalid(std::string("payload: expected an object (") + shape + ")");
    auto it = payload.find(key);
    if (it == payload.end() || !it->is_array())
        invalid("payload." + std::string(key) + ": expected an array (" + shape + ")");
    return *it;
}

}  // namespace gainsly::ingest
