// progress(): e1RM trends per movement and pattern, weekly volume, training load day by day.
#include <algorithm>
#include <map>

#include "math/load.hpp"
#include "math/strength.hpp"
#include "math/trend.hpp"
#include "model/error.hpp"
#include "progress/history.hpp"

namespace gainsly::progress {
namespace {

using std::chrono::days;

// Latest best minus the latest best at least `weeks` weeks earlier.
json change_over(const std::vector<std::pair<Date, double>>& daily, int weeks) {
    if (daily.empty()) return nullptr;
    const Date cutoff = daily.back().first - days{7 * weeks};
    for (auto it = daily.rbegin(); it != daily.rend(); ++it)
        if (it->first <= cutoff) return round2(daily.back().second - it->second);
    return nullptr;
}

json slope_per_week(const std::vector<math::TrendPoint>& pts) {
    auto t = math::theil_sen(pts);
    return t ? json(round2(t->slope * 7.0)) : json();
}

json movement_trends(const std::vector<SetRow>& sets, Date from) {
    struct Movement {
        std::string name, pattern;
        std::map<Date, double> best;
    };
    std::map<int64_t, Movement> by_id;
    for (const auto& s : sets) {
        if (!s.e1rm) continue;
        auto& m = by_id[s.movement_id];
        m.name = s.movement;
        m.pattern = s.pattern;
        auto [it, fresh] = m.best.emplace(s.date, *s.e1rm);
        if (!fresh) it->second = std::max(it->second, *s.e1rm);
    }
    json out = json::array();
    for (const auto& [id, m] : by_id) {
        std::vector<std::pair<Date, double>> daily(m.best.begin(), m.best.end());
        std::vector<math::TrendPoint> pts;
        json history = json::array();
        double best = 0.0;
        for (const auto& [d, v] : daily) {
            pts.push_back({double(days_between(from, d)), v});
            history.push_back({{"date", model::format_date(d)}, {"e1rm", round2(v)}});
            best = std::max(best, v);
        }
        out.push_back({{"movement_id", id}, {"name", m.name}, {"pattern", m.pattern.empty() ? json() : json(m.pattern)},
                       {"history", history}, {"latest", round2(daily.back().second)}, {"best", round2(best)},
                       {"slope_per_week", slope_per_week(pts)}, {"change_4w", change_over(daily, 4)},
                       {"change_12w", change_over(daily, 12)}});
    }
    return out;
}

json pattern_trends(const std::vector<SetRow>& sets, Date from, Date to, const math::StrengthParams& sp) {
    const Date first_week = week_start_of(from);
    std::map<std::pair<std::string, Date>, double> best;  // (pattern, day) -> best e1RM
    for (const auto& s : sets)
        if (s.e1rm && !s.pattern.empty() && *s.e1rm > 0) {
            auto [it, fresh] = best.emplace(std::make_pair(s.pattern, s.date), *s.e1rm);
            if (!fresh) it->second = std::max(it->second, *s.e1rm);
        }
    std::vector<math::PatternSample> samples;
    std::map<std::string, std::vector<math::TrendPoint>> points;
    for (const auto& [key, v] : best) {
        samples.push_back({key.first, key.second, v, days_between(first_week, key.second) / 7});
        points[key.first].push_back({double(days_between(from, key.second)), v});
    }
    json out = json::array();
    if (samples.empty()) return out;
    for (const auto& p : math::pattern_strength(samples, days_between(first_week, to) / 7, sp))
        out.push_back({{"pattern", p.pattern}, {"index", opt_round(p.index)}, {"exposures", p.exposures},
                       {"trend", math::trend_name(p.trend)}, {"change", round2(p.change)}, {"early_deload", p.early_deload},
                       {"slope_per_week", slope_per_week(points[p.pattern])}});
    return out;
}

json volume_weeks(Database& db, int64_t user_id, const std::vector<SetRow>& sets, Date from, Date to) {
    const VolumeRules rules = load_volume_rules(db, user_id, to);
    json weeks = json::array();
    for (Date w = week_start_of(from); w <= to; w += days{7})
        weeks.push_back({{"week_start", model::format_date(w)}, {"groups", week_volume(rules, sets, w)}});
    return {{"window_goal", rules.window_goal}, {"weeks", weeks}};
}

json load_days(Database& db, const User& u, Date from, Date to) {
    const Date first = from - days{kLoadHistoryDays};
    const std::vector<double> loads = daily_loads(db, u.id, first, to);
    // ACWR from the first day with any load: before a user has trained for chronic_days, the ratio
    // is insufficient_data rather than a spike against days that were never logged.
    const std::size_t start = std::size_t(std::find_if(loads.begin(), loads.end(), [](double x) { return x > 0; }) - loads.begin());
    const auto acwr = math::acwr_series(std::span<const double>(loads).subspan(start), math::AcwrMethod::rolling_coupled, u.params.load);
    const auto banister = math::banister_series(loads, u.params.banister);
    const int n = u.params.load.monotony_days;
    json out = json::array();
    for (std::size_t i = std::size_t(kLoadHistoryDays); i < loads.size(); ++i) {
        json day = {{"date", model::format_date(first + days{i})}, {"load", round2(loads[i])},
                    {"acwr", nullptr}, {"acwr_band", "insufficient_data"}};
        if (i >= start) {
            day["acwr"] = opt_round(acwr[i - start].ratio);
            day["acwr_band"] = math::acwr_band_name(acwr[i - start].band);
        }
        auto week = math::weekly_monotony(std::span<const double>(loads.data() + i + 1 - std::size_t(n), std::size_t(n)), u.params.load);
        day["monotony"] = round2(week.monotony);
        day["strain"] = round2(week.strain);
        // banister_series[t] counts training before day t: the state at the end of day i is t = i + 1.
        day["fitness"] = round2(banister[i + 1].fitness);
        day["fatigue"] = round2(banister[i + 1].fatigue);
        day["performance"] = round2(banister[i + 1].performance);
        out.push_back(day);
    }
    return {{"acwr_method", math::acwr_method_name(math::AcwrMethod::rolling_coupled)}, {"days", out}};
}

}  // namespace

json progress(Database& db, int64_t user_id, std::optional<Date> from_opt, std::optional<Date> to_opt) {
    const Date to = to_opt.value_or(model::today());
    const Date from = from_opt.value_or(to - days{kDefaultRangeDays - 1});
    if (from > to) invalid("from: " + model::format_date(from) + " is after to " + model::format_date(to));
    if (days_between(from, to) >= kMaxRangeDays)
        invalid("from: the range " + model::format_date(from) + ".." + model::format_date(to) + " is longer than " +
                std::to_string(kMaxRangeDays) + " days");
    const User u = load_user(db, user_id);
    const std::vector<SetRow> sets = load_sets(db, u, from, to);
    return {{"user_id", user_id},
            {"from", model::format_date(from)},
            {"to", model::format_date(to)},
            {"e1rm_formula", math::formula_name(u.formula)},
            {"movements", movement_trends(sets, from)},
            {"patterns", pattern_trends(sets, from, to, u.params.strength)},
            {"volume", volume_weeks(db, user_id, sets, from, to)},
            {"load", load_days(db, u, from, to)}};
}

}  // namespace gainsly::progress
