// weekly_summary(): the week as data, and as text in the user's persona_tone from fixed templates.
#include <algorithm>
#include <array>
#include <cstdio>

#include "math/trend.hpp"
#include "progress/history.hpp"
#include "training/training.hpp"

namespace gainsly::progress {
namespace {

using std::chrono::days;

constexpr double kTrendPoints = 5.0;  // a readiness or fatigue change over the week below this is "flat"

std::string trend_word(const std::vector<math::TrendPoint>& pts) {
    auto t = math::theil_sen(pts);
    if (!t) return "insufficient_data";
    double change = t->slope * 6.0;  // over the week
    return change >= kTrendPoints ? "up" : change <= -kTrendPoints ? "down" : "flat";
}

// One line per subject; %1$s.. are filled in order by fill(). Tones: the users.persona_tone enum.
struct Templates {
    const char* headline;
    const char* sessions;   // done, planned
    const char* volume;     // groups within, groups with a window, list of groups below
    const char* prs;        // count, list
    const char* readiness;  // readiness trend, fatigue trend
    const char* goal_on_track;   // goal, current, target, date
    const char* goal_off_track;  // goal, current, target
    const char* goal_achieved;   // goal
};

const Templates& templates(const std::string& tone) {
    static const std::map<std::string, Templates> t = {
        {"drill_sergeant",
         {"Week of {0}. Report.", "Sessions: {0} of {1} done. {2}", "Volume: {0} of {1} muscle groups in their window.{2}",
          "PRs: {0} {1}. ", "Readiness {0}, fatigue {1}. No excuses.", "{0}: {1} now, {2} by {3}. Stay on it.",
          "{0}: {1} now, target {2}. Not at this rate. Fix it.", "{0}: done. Pick a harder one."}},
        {"supportive",
         {"Here is your week of {0}.", "You trained {0} of {1} planned sessions. {2}",
          "{0} of {1} muscle groups got the volume they need.{2}", "You set {0} personal records {1}. ",
          "Readiness is {0} and fatigue is {1}; listen to your body.", "{0}: {1} now, on the way to {2} around {3}. Keep going!",
          "{0}: {1} now, target {2}. Progress has stalled; small steps count.", "{0}: achieved. Well done!"}},
        {"analytical",
         {"Weekly summary, week of {0}.", "Adherence: {0}/{1} sessions. {2}", "Volume in window: {0}/{1} groups.{2}",
          "Personal records: {0} {1}. ", "Readiness trend: {0}; fatigue trend: {1}.", "{0}: {1} (target {2}); projected {3} at the current slope.",
          "{0}: {1} (target {2}); the current slope does not reach it.", "{0}: target reached."}},
        {"motivational",
         {"Week of {0}: let's look at what you built!", "{0} of {1} sessions crushed. {2}", "{0} of {1} muscle groups in the zone.{2}",
          "{0} new PRs {1}! ", "Readiness {0}, fatigue {1}. Keep the fire going.", "{0}: {1} and climbing toward {2}, ETA {3}!",
          "{0}: {1}, target {2}. Time to push harder!", "{0}: smashed it!"}},
        {"minimalist",
         {"{0}", "{0}/{1} sessions. {2}", "{0}/{1} groups in window.{2}", "{0} PRs {1}. ", "Readiness {0}, fatigue {1}.",
          "{0}: {1} -> {2} by {3}.", "{0}: {1}, target {2}, off pace.", "{0}: achieved."}},
    };
    auto it = t.find(tone);
    return it != t.end() ? it->second : t.at("supportive");
}

std::string fill(const char* pattern, std::initializer_list<std::string> args) {
    std::vector<std::string> a(args);
    std::string out;
    for (const char* p = pattern; *p; ++p) {
        if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
            std::size_t i = std::size_t(p[1] - '0');
            if (i < a.size()) out += a[i];
            p += 2;
        } else {
            out += *p;
        }
    }
    return out;
}

std::string number(const json& v) {
    if (!v.is_number()) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.get<double>());
    return buf;
}

std::string render(const std::string& tone, const json& s) {
    const Templates& t = templates(tone);
    std::string text = fill(t.headline, {s["week_start"].get<std::string>()}) + "\n";
    const json& ses = s["sessions"];
    std::string extra = ses["unplanned"].get<int>() > 0 ? "+" + std::to_string(ses["unplanned"].get<int>()) + " unplanned." : "";
    text += fill(t.sessions, {std::to_string(ses["done"].get<int>()), std::to_string(ses["planned"].get<int>()), extra}) + "\n";
    int within = 0, windowed = 0;
    std::string below;
    for (const auto& [group, g] : s["volume"]["groups"].items()) {
        if (g["status"].is_null()) continue;
        ++windowed;
        if (g["status"] == "within") ++within;
        if (g["status"] == "below") below += (below.empty() ? " Below: " : ", ") + group;
    }
    text += fill(t.volume, {std::to_string(within), std::to_string(windowed), below}) + "\n";
    if (!s["prs"].empty()) {
        std::string list;
        for (const auto& p : s["prs"])
            list += (list.empty() ? "(" : ", ") + p["movement"].get<std::string>() + " " + p["record_type"].get<std::string>() + " " + number(p["value"]);
        text += fill(t.prs, {std::to_string(s["prs"].size()), list + ")"});
    }
    text += fill(t.readiness, {s["readiness"]["readiness_trend"].get<std::string>(), s["readiness"]["fatigue_trend"].get<std::string>()}) + "\n";
    for (const auto& g : s["goals"]) {
        const std::string name = g["goal"].get<std::string>() + (g["metric"].is_string() ? " (" + g["metric"].get<std::string>() + ")" : "");
        if (g["achieved"] == true) text += fill(t.goal_achieved, {name}) + "\n";
        else if (g["status"] == "on_track")
            text += fill(t.goal_on_track, {name, number(g["current"]), number(g["target"]), g["projected_date"].get<std::string>()}) + "\n";
        else if (g["status"] == "not_at_this_rate")
            text += fill(t.goal_off_track, {name, number(g["current"]), number(g["target"])}) + "\n";
    }
    return text;
}

}  // namespace

json weekly_summary(Database& db, int64_t user_id, Date date) {
    const User u = load_user(db, user_id);
    const Date week = week_start_of(date), end = week + days{6};
    const auto sets = load_sets(db, u, week, end);
    const VolumeRules rules = load_volume_rules(db, user_id, end);
    const WeekSessions ws = week_sessions(db, user_id, week);

    json days_out = json::array();
    std::vector<math::TrendPoint> readiness, fatigue;
    for (int i = 0; i < 7; ++i) {
        auto st = training::day_state(db, user_id, week + days{i});
        days_out.push_back({{"date", model::format_date(st.date)}, {"readiness", round2(st.readiness.score)},
                            {"systemic_fatigue", round2(st.fatigue.systemic)}});
        readiness.push_back({double(i), st.readiness.score});
        fatigue.push_back({double(i), st.fatigue.systemic});
    }
    json s = {{"user_id", user_id},
              {"week_start", model::format_date(week)},
              {"week_end", model::format_date(end)},
              {"persona_tone", u.tone},
              {"sessions", {{"planned", ws.planned}, {"done", ws.done}, {"unplanned", ws.unplanned}}},
              {"volume", {{"window_goal", rules.window_goal}, {"groups", week_volume(rules, sets, week)}}},
              {"prs", week_prs(db, user_id, week)},
              {"readiness", {{"days", days_out}, {"readiness_trend", trend_word(readiness)}, {"fatigue_trend", trend_word(fatigue)}}},
              {"goals", goals(db, user_id, end)}};
    s["text"] = render(u.tone, s);
    return s;
}

}  // namespace gainsly::progress
