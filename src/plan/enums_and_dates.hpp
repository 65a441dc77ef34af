// Schema enum values and dates as the planner uses them.
#pragma once
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gainsly::plan {

using json = nlohmann::json;
using Date = std::chrono::sys_days;

enum class Role : int { warmup, main, accessory, skill, finisher, cooldown };
inline constexpr int role_count = 6;
std::string_view role_name(Role r);
Role parse_role(std::string_view s);  // throws Error(internal) for an unknown role

// Index of `value` in the schema enum `enum_name` (-1 when not a value).
int enum_index(std::string_view enum_name, std::string_view value);
const std::vector<std::string>& enum_values(std::string_view enum_name);

inline constexpr int cns_very_high = 4;

Date date_from(std::string_view text, const std::string& field);  // Error(invalid) naming field
std::string date_text(Date d);
int iso_weekday(Date d);  // 1 = Monday .. 7 = Sunday
std::string weekday_name(int iso);

}  // namespace gainsly::plan
