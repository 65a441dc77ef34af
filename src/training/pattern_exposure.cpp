#include "training/pattern_exposure.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <vector>

namespace gainsly::training {
namespace {

using model::format_date;

struct Exposure {
    int64_t id = 0;  // 0: no row yet
    int count = 0;
    std::string last;  // "" = NULL
    int consecutive = 0;
    bool operator==(const Exposure& o) const { return count == o.count && last == o.last && consecutive == o.consecutive; }
};

std::map<std::string, Exposure> load_exposure(Database& db, int64_t user_id) {
    auto& q = db.prepare(
        "SELECT id, pattern_type, exposure_count, last_exposure_date, consecutive_exposures FROM pattern_exposure "
        "WHERE user_id = ? AND pattern_type IS NOT NULL");
    q.bind(1, static_cast<int64_t>(user_id));
    std::map<std::string, Exposure> out;
    while (q.executeStep())
        out[q.getColumn(1).getString()] = {q.getColumn(0).getInt64(), q.getColumn(2).getInt(), column_text(q, 3).value_or(""),
                                           q.getColumn(4).getInt()};
    q.tryReset();
    return out;
}

void write_exposure(Database& db, int64_t user_id, const std::string& pattern, const Exposure& e) {
    const model::Table& t = db.schema().table("pattern_exposure");
    Row row = make_row(t, {{"exposure_count", e.count},
                           {"last_exposure_date", e.last.empty() ? json() : json(e.last)},
                           {"consecutive_exposures", e.consecutive}});
    if (e.id) {
        db.update(t, e.id, std::move(row));
    } else {
        Row key = make_row(t, {{"user_id", user_id}, {"pattern_type", pattern}});
        row.insert(row.end(), key.begin(), key.end());
        db.insert(t, std::move(row));
    }
}


// True when `w` is the user's newest unit (no other workout with a patterned set sorts after it)
// and every workout is dated, so the stored runs can be extended instead of rebuilt.
bool is_newest_unit(Database& db, int64_t user_id, int64_t workout_id, const std::string& date) {
    auto& q = db.prepare(R"(
SELECT 1 FROM workout_logs x WHERE x.user_id = ?1 AND x.id <> ?2
  AND (x.workout_date IS NULL OR x.workout_date > ?3 OR (x.workout_date = ?3 AND x.id > ?2))
  AND EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
              WHERE t.workout_log_id = x.id AND m.pattern IS NOT NULL)
LIMIT 1)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(workout_id));
    q.bind(3, date);
    bool later = q.executeStep();
    q.tryReset();
    return !later;
}

// How many units in a row before workout `w` (newest first) trained `pattern`.
int run_before(Database& db, int64_t user_id, int64_t workout_id, const std::string& date, const std::string& pattern) {
    auto& q = db.prepare(R"(
SELECT EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
               WHERE t.workout_log_id = x.id AND m.pattern IS NOT NULL),
       EXISTS (SELECT 1 FROM top_set_logs t JOIN movements m ON m.id = t.movement_id
               WHERE t.workout_log_id = x.id AND m.pattern = ?4)
FROM workout_logs x WHERE x.user_id = ?1 AND (x.workout_date < ?3 OR (x.workout_date = ?3 AND x.id < ?2))
ORDER BY x.workout_date DESC, x.id DESC)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, static_cast<int64_t>(workout_id));
    q.bind(3, date);
    q.bind(4, pattern);
    int run = 0;
    while (q.executeStep()) {
        if (!q.getColumn(0).getInt()) continue;  // not a unit: trained no pattern
        if (!q.getColumn(1).getInt()) break;
        ++run;
    }
    q.tryReset();
    return run;
}

}  // namespace

std::set<std::string> workout_patterns(Database& db, int64_t workout_id) {
    auto& q = db.prepare(
        "SELECT DISTINCT m.pattern FROM top_set_logs t JOIN movements m ON m.id = t.movement_id "
        "WHERE t.workout_log_id = ? AND m.pattern IS NOT NULL");
    q.bind(1, static_cast<int64_t>(workout_id));
    std::set<std::string> out;
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    q.tryReset();
    return out;
}

void update_exposure(Database& db, int64_t user_id, const Workout& w, const std::set<std::string>& before) {
    const auto after = workout_patterns(db, w.id);
    std::vector<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
    if (added.empty()) return;  // the workout already counted for each of its patterns
    const std::string date = format_date(w.date);
    if (!is_newest_unit(db, user_id, w.id, date)) return refresh_pattern_exposure(db, user_id);
    auto rows = load_exposure(db, user_id);
    if (before.empty()) {  // a new newest unit: each run goes on or breaks
        for (auto& [pattern, e] : rows)
            if (!after.count(pattern) && e.consecutive != 0) {
                e.consecutive = 0;
                write_exposure(db, user_id, pattern, e);
            }
    }
    for (const auto& pattern : added) {
        Exposure e = rows.count(pattern) ? rows[pattern] : Exposure{};
        ++e.count;
        e.last = std::max(e.last, date);
        e.consecutive = 1 + (before.empty() ? e.consecutive : run_before(db, user_id, w.id, date, pattern));
        write_exposure(db, user_id, pattern, e);
    }
}

void refresh_pattern_exposure(Database& db, int64_t user_id) {
    auto& q = db.prepare(R"(
SELECT w.id, COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) AS d, m.pattern
FROM workout_logs w
LEFT JOIN sessions s ON s.id = w.session_id
JOIN top_set_logs t ON t.workout_log_id = w.id
JOIN movements m ON m.id = t.movement_id
WHERE w.user_id = ?1 AND m.pattern IS NOT NULL
GROUP BY w.id, m.pattern)");
    q.bind(1, static_cast<int64_t>(user_id));
    struct Unit {
        std::string date;
        int64_t id = 0;
        std::set<std::string> patterns;
    };
    std::map<int64_t, Unit> units;
    while (q.executeStep()) {
        Unit& u = units[q.getColumn(0).getInt64()];
        u.id = q.getColumn(0).getInt64();
        u.date = q.getColumn(1).getString();
        u.patterns.insert(q.getColumn(2).getString());
    }
    q.tryReset();
    std::vector<const Unit*> order;  // newest first
    for (const auto& [id, u] : units) order.push_back(&u);
    std::sort(order.begin(), order.end(), [](const Unit* a, const Unit* b) { return a->date != b->date ? a->date > b->date : a->id > b->id; });
    std::map<std::string, Exposure> by_pattern;
    for (const Unit* u : order)
        for (const auto& p : u->patterns) {
            auto& e = by_pattern[p];
            ++e.count;
            if (e.last.empty()) e.last = u->date;  // newest first: the first seen is the latest
        }
    for (auto& [pattern, e] : by_pattern)
        for (const Unit* u : order) {
            if (!u->patterns.count(pattern)) break;
            ++e.consecutive;
        }
    auto rows = load_exposure(db, user_id);
    for (auto& [pattern, row] : rows)
        if (!by_pattern.count(pattern)) by_pattern[pattern] = Exposure{row.id, 0, "", 0};  // no logged set trains it any more
    for (auto& [pattern, e] : by_pattern) {
        if (auto it = rows.find(pattern); it != rows.end()) e.id = it->second.id;
        if (rows.count(pattern) && rows[pattern] == e) continue;
        write_exposure(db, user_id, pattern, e);
    }
}

}  // namespace gainsly::training
