#include "training/history_csv.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "model/error.hpp"
#include "model/time.hpp"

namespace gainsly::training::csv {
namespace {

constexpr double kg_per_lb = 0.45359237;  // exact, by definition of the pound
constexpr double km_per_mile = 1.609344;  // exact, by definition of the mile

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A failed line: the message names the column.
struct LineError {
    std::string message;
};

[[noreturn]] void fail(const std::string& message) { throw LineError{message}; }

std::optional<double> number(const std::string& column, std::string_view raw, char delimiter) {
    std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    if (delimiter == ';') std::replace(s.begin(), s.end(), ',', '.');  // decimal comma in ;-files
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) fail(column + ": '" + s + "' is not a number");
    return v;
}

std::optional<double> non_negative(const std::string& column, std::string_view raw, char delimiter, double max) {
    auto v = number(column, raw, delimiter);
    if (v && (*v < 0 || *v > max)) fail(column + ": must be between 0 and " + std::to_string(int64_t(max)) + ", got " + trim(raw));
    return v;
}

std::optional<int64_t> whole(const std::string& column, std::string_view raw, char delimiter) {
    auto v = non_negative(column, raw, delimiter, 100000);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v)) fail(column + ": expected a whole number, got " + trim(raw));
    return int64_t(*v);
}

std::optional<double> rpe(std::string_view raw, char delimiter) {
    auto v = number("RPE", raw, delimiter);
    if (!v || *v == 0) return std::nullopt;  // Strong writes 0 or nothing for "not given"
    if (*v < 1 || *v > 10) fail("RPE: must be between 1 and 10, got " + trim(raw));
    return v;
}

// "HH:MM" or "HH:MM:SS" -> "HH:MM:SS".
std::optional<std::string> clock(std::string_view s) {
    int h = 0, m = 0, sec = 0;
    char extra = 0;
    std::string t(s);
    int n = std::sscanf(t.c_str(), "%2d:%2d:%2d%c", &h, &m, &sec, &extra);
    if (n < 2 || n > 3 || h > 23 || m > 59 || sec > 59 || h < 0 || m < 0 || sec < 0) return std::nullopt;
    if (n == 2 && t.size() != 5) return std::nullopt;
    if (n == 3 && t.size() != 8) return std::nullopt;
    char out[40];
    std::snprintf(out, sizeof out, "%02d:%02d:%02d", h, m, sec);
    return std::string(out);
}

// Strong: "2024-01-15 07:30:00"; Hevy: "21 Feb 2025, 07:17". Either is accepted in both files.
std::string start_time(const std::string& column, std::string_view raw) {
    std::string s = trim(raw);
    std::string date, time;
    if (s.size() >= 10 && s[4] == '-') {
        date = s.substr(0, 10);
        if (s.size() > 11 && (s[10] == ' ' || s[10] == 'T')) time = s.substr(11);
    } else {
        static const std::array<const char*, 12> months = {"jan", "feb", "mar", "apr", "may", "jun",
                                                            "jul", "aug", "sep", "oct", "nov", "dec"};
        int day = 0, year = 0;
        char mon[4] = {0};
        int used = 0;
        if (std::sscanf(s.c_str(), "%2d %3s %4d%n", &day, mon, &year, &used) == 3) {
            auto it = std::find(months.begin(), months.end(), lower(mon));
            if (it != months.end()) {
                char d[40];
                std::snprintf(d, sizeof d, "%04d-%02d-%02d", year, int(it - months.begin()) + 1, day);
                date = d;
                std::string rest = trim(std::string_view(s).substr(size_t(used)));
                if (!rest.empty() && rest[0] == ',') rest = trim(rest.substr(1));
                time = rest;
            }
        }
    }
    auto t = clock(trim(time));
    auto day = date.empty() ? std::nullopt : model::parse_date(date);
    if (!day || !t) fail(column + ": '" + s + "' is not a date and time (2024-01-15 07:30:00 or 21 Feb 2025, 07:17)");
    // A training log is recent history: a date far off (a typo, a year 4048) would make the daily
    // state be recomputed for every day in between, and no app shows it.
    const auto first = *model::parse_date("1970-01-01"), last = model::today() + std::chrono::days(2);
    if (*day < first || *day > last)
        fail(column + ": '" + s + "' is outside 1970-01-01 .. " + model::format_date(last) + " (a training date cannot be in the future)");
    return date + "T" + *t;
}

// Strong's "Duration": "1h 5m", "45m", "30s" or plain seconds.
std::optional<int64_t> duration(std::string_view raw) {
    std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    if (std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::stoll(s.substr(0, 9));
    int64_t total = 0;
    size_t i = 0;
    bool any = false;
    while (i < s.size()) {
        if (s[i] == ' ') { ++i; continue; }
        size_t j = i;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j == i || j - i > 6 || j >= s.size()) fail("Duration: '" + s + "' is not a duration (1h 5m)");
        int64_t n = std::stoll(s.substr(i, j - i));
        char unit = char(std::tolower(static_cast<unsigned char>(s[j])));
        if (unit == 'h') total += n * 3600;
        else if (unit == 'm') total += n * 60;
        else if (unit == 's') total += n;
        else fail("Duration: '" + s + "' is not a duration (1h 5m)");
        any = true;
        i = j + 1;
    }
    if (!any) return std::nullopt;
    return total;
}

// Seconds between two "YYYY-MM-DDTHH:MM:SS" times (nullopt when end is before start).
std::optional<int64_t> seconds_between(const std::string& start, const std::string& end) {
    auto at = [](const std::string& s) {
        auto d = model::parse_date(s.substr(0, 10));
        int64_t secs = std::stoi(s.substr(11, 2)) * 3600 + std::stoi(s.substr(14, 2)) * 60 + std::stoi(s.substr(17, 2));
        return int64_t(d->time_since_epoch().count()) * 86400 + secs;
    };
    int64_t diff = at(end) - at(start);
    if (diff < 0) return std::nullopt;
    return diff;
}

bool pounds_unit(const std::string& column, std::string_view raw, bool fallback) {
    std::string u = lower(trim(raw));
    if (u.empty()) return fallback;
    if (u == "kg" || u == "kgs") return false;
    if (u == "lb" || u == "lbs") return true;
    fail(column + ": '" + trim(raw) + "' is not a weight unit (kg or lbs)");
}

bool miles_unit(const std::string& column, std::string_view raw, bool fallback) {
    std::string u = lower(trim(raw));
    if (u.empty()) return fallback;
    if (u == "km") return false;
    if (u == "mi" || u == "miles" || u == "mile") return true;
    if (u == "m") return false;  // converted below
    fail(column + ": '" + trim(raw) + "' is not a distance unit (km, m or mi)");
}

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// The columns of a header, by lower-cased name.
class Columns {
public:
    Columns(const Record& header) {
        for (size_t i = 0; i < header.fields.size(); ++i) index_[lower(trim(header.fields[i]))] = i;
        count_ = header.fields.size();
    }
    std::optional<size_t> find(const std::string& name) const {
        auto it = index_.find(name);
        return it == index_.end() ? std::nullopt : std::optional<size_t>(it->second);
    }
    size_t need(const std::string& name, const std::string& shown) const {
        auto i = find(name);
        if (!i) invalid("header: missing column '" + shown + "'");
        return *i;
    }
    size_t count() const { return count_; }

private:
    std::map<std::string, size_t> index_;
    size_t count_ = 0;
};

// A field by optional column index ("" when the column is absent).
std::string_view at(const Record& r, std::optional<size_t> i) { return i ? std::string_view(r.fields[*i]) : std::string_view(); }

void read_strong(const Columns& c, const Record& r, Row& row, char delim, bool imperial) {
    const size_t date = c.need("date", "Date"), exercise = c.need("exercise name", "Exercise Name"),
                 order = c.need("set order", "Set Order"), weight = c.need("weight", "Weight"), reps = c.need("reps", "Reps");
    const auto name = c.find("workout name"), dur = c.find("duration"), dist = c.find("distance"), secs = c.find("seconds"),
               notes = c.find("notes"), wnotes = c.find("workout notes"), rpe_col = c.find("rpe"), wunit = c.find("weight unit"),
               dunit = c.find("distance unit");
    row.start = start_time("Date", r.fields[date]);
    row.exercise = trim(r.fields[exercise]);
    if (row.exercise.empty()) fail("Exercise Name: is empty");
    row.workout_name = trim(at(r, name));
    row.workout_notes = trim(at(r, wnotes));
    std::string o = lower(trim(r.fields[order]));
    if (o == "rest timer") {
        row.rest_timer = true;
        return;
    }
    if (o == "w") row.set_type = "warmup";
    else if (o == "d") row.set_type = "dropset";
    else if (o == "f") row.set_type = "failure";
    else if (!o.empty() && std::all_of(o.begin(), o.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) row.set_type = "working";
    else fail("Set Order: '" + trim(r.fields[order]) + "' is not a set number, W, D, F or Rest Timer");
    row.duration_seconds = duration(at(r, dur));
    const bool lb = pounds_unit("Weight Unit", at(r, wunit), imperial);
    if (auto w = non_negative("Weight", r.fields[weight], delim, lb ? 220000 : 100000)) row.weight_kg = round3(lb ? *w * kg_per_lb : *w);
    row.reps = whole("Reps", r.fields[reps], delim);
    const std::string du = lower(trim(at(r, dunit)));
    const bool mi = miles_unit("Distance Unit", at(r, dunit), imperial);
    if (auto d = non_negative("Distance", at(r, dist), delim, 1e6)) row.distance_km = round3(mi ? *d * km_per_mile : du == "m" ? *d / 1000 : *d);
    row.seconds = non_negative("Seconds", at(r, secs), delim, 1e7);
    row.notes = trim(at(r, notes));
    row.rpe = rpe(at(r, rpe_col), delim);
}

void read_hevy(const Columns& c, const Record& r, Row& row, char delim, bool imperial) {
    const size_t start = c.need("start_time", "start_time"), exercise = c.need("exercise_title", "exercise_title"),
                 reps = c.need("reps", "reps");
    const auto title = c.find("title"), end = c.find("end_time"), desc = c.find("description"), enotes = c.find("exercise_notes"),
               type = c.find("set_type"), kg = c.find("weight_kg"), lbs = c.find("weight_lbs"), km = c.find("distance_km"),
               miles = c.find("distance_miles"), secs = c.find("duration_seconds"), rpe_col = c.find("rpe");
    if (!kg && !lbs) invalid("header: missing column 'weight_kg' (or 'weight_lbs')");
    (void)imperial;  // Hevy names its unit in the column
    row.start = start_time("start_time", r.fields[start]);
    row.exercise = trim(r.fields[exercise]);
    if (row.exercise.empty()) fail("exercise_title: is empty");
    row.workout_name = trim(at(r, title));
    row.workout_notes = trim(at(r, desc));
    if (end && !trim(r.fields[*end]).empty()) row.duration_seconds = seconds_between(row.start, start_time("end_time", r.fields[*end]));
    std::string t = lower(trim(at(r, type)));
    if (t == "warmup") row.set_type = "warmup";
    else if (t == "normal" || t.empty()) row.set_type = "working";
    else if (t == "failure") row.set_type = "failure";
    else if (t == "dropset") row.set_type = "dropset";
    else fail("set_type: '" + trim(at(r, type)) + "' is not warmup, normal, failure or dropset");
    if (kg) row.weight_kg = non_negative("weight_kg", r.fields[*kg], delim, 100000);
    if (!row.weight_kg && lbs)
        if (auto w = non_negative("weight_lbs", r.fields[*lbs], delim, 220000)) row.weight_kg = round3(*w * kg_per_lb);
    row.reps = whole("reps", r.fields[reps], delim);
    if (km) row.distance_km = non_negative("distance_km", r.fields[*km], delim, 1e6);
    if (!row.distance_km && miles)
        if (auto d = non_negative("distance_miles", r.fields[*miles], delim, 1e6)) row.distance_km = round3(*d * km_per_mile);
    row.seconds = non_negative("duration_seconds", at(r, secs), delim, 1e7);
    row.notes = trim(at(r, enotes));
    row.rpe = rpe(at(r, rpe_col), delim);
}

}  // namespace

char detect_delimiter(std::string_view text) {
    size_t commas = 0, semicolons = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted && c == ',') ++commas;
        else if (!quoted && c == ';') ++semicolons;
    }
    return semicolons > commas ? ';' : ',';
}

std::vector<Record> split(std::string_view text, char delimiter) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Record> out;
    size_t pos = 0, line = 1;
    while (pos < text.size()) {
        Record r;
        r.line = line;
        const size_t record_start = pos, record_line = line;
        std::string field;
        bool done = false;
        while (!done) {
            if (pos < text.size() && text[pos] == '"') {  // a quoted field
                ++pos;
                bool closed = false;
                while (pos < text.size()) {
                    char c = text[pos++];
                    if (c == '"') {
                        if (pos < text.size() && text[pos] == '"') {
                            field += '"';
                            ++pos;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        if (c == '\n') ++line;
                        field += c;
                    }
                }
                if (!closed) {  // fails this record only: go on after the line it started on
                    r.fields.clear();
                    r.error = "a quoted field is not closed (a \" is missing)";
                    size_t nl = text.find('\n', record_start);
                    pos = nl == std::string_view::npos ? text.size() : nl + 1;
                    line = record_line + 1;
                    break;
                }
                // Text between the closing quote and the delimiter is kept as written (lenient).
            }
            while (pos < text.size() && text[pos] != delimiter && text[pos] != '\n') field += text[pos++];
            if (!field.empty() && field.back() == '\r' && (pos >= text.size() || text[pos] == '\n')) field.pop_back();
            r.fields.push_back(std::move(field));
            field.clear();
            if (pos >= text.size()) {
                done = true;
            } else if (text[pos] == '\n') {
                ++pos;
                ++line;
                done = true;
            } else {
                ++pos;  // the delimiter
            }
        }
        const bool blank = r.error.empty() && r.fields.size() == 1 && r.fields[0].empty();
        if (!blank) out.push_back(std::move(r));
    }
    return out;
}

Parsed read(HistoryFormat format, std::string_view text, bool imperial) {
    Parsed p;
    p.delimiter = detect_delimiter(text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text);
    auto records = split(text, p.delimiter);
    if (records.empty() || !records[0].error.empty()) invalid("csv: no header line");
    const Columns columns(records[0]);
    Row probe;  // a header without a required column fails the whole file, before any row
    Record empty_record;
    empty_record.fields.assign(columns.count(), "");
    try {
        if (format == HistoryFormat::strong) read_strong(columns, empty_record, probe, p.delimiter, imperial);
        else read_hevy(columns, empty_record, probe, p.delimiter, imperial);
    } catch (const LineError&) {
    }
    p.records = records.size() - 1;
    p.rows.reserve(p.records);
    for (size_t i = 1; i < records.size(); ++i) {
        const Record& r = records[i];
        Row row;
        row.line = r.line;
        if (!r.error.empty()) {
            row.error = r.error;
        } else if (r.fields.size() != columns.count()) {
            row.error = "expected " + std::to_string(columns.count()) + " fields, got " + std::to_string(r.fields.size());
        } else {
            try {
                if (format == HistoryFormat::strong) read_strong(columns, r, row, p.delimiter, imperial);
                else read_hevy(columns, r, row, p.delimiter, imperial);
            } catch (const LineError& e) {
                row.error = e.message;
            }
        }
        p.rows.push_back(std::move(row));
    }
    return p;
}

void append_field(std::string& out, std::string_view field, char delimiter) {
    if (field.find_first_of(std::string{'"', '\n', '\r', delimiter}) == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace gainsly::training::csv
