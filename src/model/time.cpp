#include "model/time.hpp"

#include <cstdio>

namespace gainsly::model {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::string format_utc(std::chrono::sys_time<std::chrono::milliseconds> t) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd{day};
    auto ms = (t - day).count();
    char buf[64];  // roomy enough for any value the types can hold, so no truncation is possible
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), (long long)(ms / 3600000), (long long)(ms / 60000 % 60),
                  (long long)(ms / 1000 % 60), (long long)(ms % 1000));
    return buf;
}

}  // namespace

std::optional<Date> parse_date(std::string_view s) {
    int y, m, d;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d))
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)}, std::chrono::day{unsigned(d)}};
    if (!ymd.ok() || y < 1) return std::nullopt;
    return Date{ymd};
}

std::string format_date(Date d) {
    std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

std::optional<std::string> normalize_timestamp(std::string_view s) {
    if (s.size() < 20) return std::nullopt;
    auto day = parse_date(s.substr(0, 10));
    int hh, mi, ss;
    if (!day || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mi) ||
        s[16] != ':' || !digits(s, 17, 2, ss) || hh > 23 || mi > 59 || ss > 59)
        return std::nullopt;
    size_t pos = 19;
    long long millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start || pos - start > 9) return std::nullopt;
        std::string frac(s.substr(start, pos - start));
        frac.resize(3, '0');
        millis = std::stoll(frac.substr(0, 3));
    }
    int offset_min = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_min = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
        pos += 6;
    } else {
        return std::nullopt;  // a timestamp without a zone is ambiguous
    }
    if (pos != s.size()) return std::nullopt;
    using namespace std::chrono;
    sys_time<milliseconds> t = *day + hours(hh) + minutes(mi) + seconds(ss) + milliseconds(millis) - minutes(offset_min);
    return format_utc(t);
}

std::string now_timestamp() {
    return format_utc(std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

Date today() { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }

}  // namespace gainsly::model
