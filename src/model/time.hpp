// Dates and timestamps as stored: ISO-8601 text, dates "YYYY-MM-DD", timestamps in UTC with
// milliseconds "YYYY-MM-DDTHH:MM:SS.mmmZ" (the form SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') gives).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gainsly::model {

using Date = std::chrono::sys_days;

// Parses "YYYY-MM-DD" (a real calendar date); nullopt otherwise.
std::optional<Date> parse_date(std::string_view s);
std::string format_date(Date d);

// Parses an ISO-8601 timestamp with a zone ("Z" or "+HH:MM"/"-HH:MM"; "T" or a space between date
// and time; optional fraction) and returns it in the canonical UTC form; nullopt if malformed.
std::optional<std::string> normalize_timestamp(std::string_view s);

// The current time in the canonical form.
std::string now_timestamp();

// Today's date in UTC: the library's one clock for "today" (an undated log, the planner's as-of day).
Date today();

}  // namespace gainsly::model
