// Importing Strong and Hevy exports into the log, exporting it with Strong's columns
// (definitions in history.hpp).
#include "training/history.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "model/embedded.hpp"
#include "model/error.hpp"
#include "model/time.hpp"
#include "training/context.hpp"
#include "training/daily_state.hpp"
#include "training/history_csv.hpp"
#include "training/training.hpp"

namespace gainsly::training {
namespace {

// ---- names ------------------------------------------------------------------------------------

// Lower case, punctuation as spaces, single spaces: "Bench Press (Barbell)" -> "bench press barbell".
std::string name_key(std::string_view s) {
    std::string out;
    bool space = false;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c)) {
            if (space && !out.empty()) out += ' ';
            out += char(std::tolower(c));
            space = false;
        } else {
            space = true;
        }
    }
    return out;
}

std::vector<std::string> words(const std::string& key) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < key.size()) {
        size_t j = key.find(' ', i);
        if (j == std::string::npos) j = key.size();
        out.push_back(key.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

// Dice coefficient of the letter pairs of two words (1 for equal words).
double word_similarity(const std::string& a, const std::string& b) {
    if (a == b) return 1.0;
    if (a.size() < 2 || b.size() < 2) return 0.0;
    std::vector<std::string> pa, pb;
    for (size_t i = 0; i + 1 < a.size(); ++i) pa.push_back(a.substr(i, 2));
    for (size_t i = 0; i + 1 < b.size(); ++i) pb.push_back(b.substr(i, 2));
    size_t common = 0;
    std::vector<bool> used(pb.size());
    for (const auto& x : pa)
        for (size_t j = 0; j < pb.size(); ++j)
            if (!used[j] && pb[j] == x) {
                used[j] = true;
                ++common;
                break;
            }
    return 2.0 * double(common) / double(pa.size() + pb.size());
}

// Word-order-free similarity of two name keys in [0, 1]: every word counts its best match in the
// other name (a misspelt word still counts when its letter pairs are 70 % alike).
double name_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() || b.empty()) return 0.0;
    auto side = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
        double sum = 0;
        for (const auto& w : x) {
            double best = 0;
            for (const auto& v : y) best = std::max(best, word_similarity(w, v));
            if (best >= 0.7) sum += best;
        }
        return sum;
    };
    return (side(a, b) + side(b, a)) / double(a.size() + b.size());
}

struct Movement {
    int64_t id = 0;
    std::string uid, name, key;
    std::vector<std::string> words;
};

struct Match {
    std::string how;  // "mapping", "exact", "alias", "fuzzy", "none", "skipped"
    const Movement* movement = nullptr;
    double score = 0;
    const Movement* suggestion = nullptr;  // "none": the best guess below kFuzzyMinScore
};

class Matcher {
public:
    explicit Matcher(Database& db) {
        auto& q = db.prepare("SELECT id, uid, name FROM movements ORDER BY id");
        while (q.executeStep()) {
            Movement m{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(), "", {}};
            m.key = name_key(m.name);
            m.words = words(m.key);
            movements_.push_back(std::move(m));
        }
        q.tryReset();
        for (size_t i = 0; i < movements_.size(); ++i) {
            by_key_.emplace(movements_[i].key, i);
            by_id_.emplace(movements_[i].id, i);
            by_uid_.emplace(movements_[i].uid, i);
        }
        for (const auto& a : json::parse(embedded::file("catalog/movement_aliases.json"))) {
            auto it = by_key_.find(name_key(a.at("movement").get<std::string>()));
            if (it != by_key_.end()) alias_.emplace(name_key(a.at("name").get<std::string>()), it->second);
        }
    }

    // A mapping value: a movement id or uid.
    const Movement& resolve(const std::string& field, const json& v) const {
        if (v.is_number_integer()) {
            auto it = by_id_.find(v.get<int64_t>());
            if (it == by_id_.end()) throw Error(Status::not_found, field + ": no movement with id " + v.dump());
            return movements_[it->second];
        }
        if (v.is_string()) {
            auto it = by_uid_.find(v.get<std::string>());
            if (it == by_uid_.end()) throw Error(Status::not_found, field + ": no movement with uid " + v.get<std::string>());
            return movements_[it->second];
        }
        invalid(field + ": expected a movement id, a movement uid or null");
    }

    Match match(const std::string& name) const {
        const std::string key = name_key(name);
        if (auto it = by_key_.find(key); it != by_key_.end()) return {"exact", &movements_[it->second], 1.0, nullptr};
        if (auto it = alias_.find(key); it != alias_.end()) return {"alias", &movements_[it->second], 1.0, nullptr};
        const auto w = words(key);
        const Movement* best = nullptr;
        double best_score = -1;
        for (const auto& m : movements_) {  // ties: the shorter name, then the lower id
            double s = name_similarity(w, m.words);
            if (s > best_score + 1e-9 || (std::abs(s - best_score) <= 1e-9 && best && m.name.size() < best->name.size())) {
                best = &m;
                best_score = s;
            }
        }
        if (best && best_score >= kFuzzyMinScore) return {"fuzzy", best, best_score, nullptr};
        return {"none", nullptr, std::max(0.0, best_score), best};
    }

private:
    std::vector<Movement> movements_;
    std::unordered_map<std::string, size_t> by_key_, alias_, by_uid_;
    std::unordered_map<int64_t, size_t> by_id_;
};

// ---- stable keys ------------------------------------------------------------------------------

std::optional<int64_t> id_by_uid(Database& db, const char* sql, const std::string& uid) {
    auto& q = db.prepare(sql);
    q.bind(1, uid);
    std::optional<int64_t> id;
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    q.tryReset();
    return id;
}

std::string user_uid(Database& db, int64_t user_id) {
    auto& q = db.prepare("SELECT uid FROM users WHERE id = ?");
    q.bind(1, user_id);
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "user_id: no user with id " + std::to_string(user_id));
    }
    std::string uid = q.getColumn(0).getString();
    q.tryReset();
    return uid;
}

std::string workout_notes(const csv::Row& r) {
    if (r.workout_notes.empty()) return r.workout_name;
    return r.workout_name + "\n\n" + r.workout_notes;  // export splits at the first blank line
}

std::string skip_reason(const csv::Row& r) {
    std::string what;
    // Strong writes 0 in the Distance and Seconds of a row without them: only a value says something.
    if (r.distance_km && *r.distance_km > 0) what += " distance " + json(*r.distance_km).dump() + " km";
    if (r.seconds && *r.seconds > 0) what += std::string(what.empty() ? "" : ",") + " " + json(*r.seconds).dump() + " s";
    return "no reps" + (what.empty() ? std::string() : " (" + what.substr(1) + ")") +
           ": only sets with reps are stored (top_set_logs has no duration or distance column)";
}

}  // namespace

json import_history(Database& db, int64_t user_id, HistoryFormat format, std::string_view text, const HistoryImportOptions& options) {
    if (!options.mapping.is_object()) invalid("mapping: expected a JSON object {name: movement id or uid}");
    const std::string owner_uid = user_uid(db, user_id);
    csv::Parsed parsed = csv::read(format, text, options.imperial);
    Matcher matcher(db);
    auto report_progress = [&](const char* phase, size_t done, size_t total) {
        if (options.progress && !options.progress(json{{"phase", phase}, {"done", done}, {"total", total}}))
            throw Error(Status::canceled, std::string("history import: canceled by the progress callback (") + phase + "), nothing was written");
    };

    // Names: the mapping first, then exact, alias, fuzzy.
    std::map<std::string, Match> names;
    std::map<std::string, std::pair<size_t, size_t>> name_use;  // name -> (sets, first line)
    for (const auto& r : parsed.rows) {
        if (!r.error.empty() || r.rest_timer || r.exercise.empty()) continue;
        auto [it, fresh] = name_use.emplace(r.exercise, std::pair<size_t, size_t>{0, r.line});
        ++it->second.first;
        if (!fresh) continue;
        Match m;
        auto mapped = options.mapping.find(r.exercise);
        if (mapped != options.mapping.end()) {
            if (mapped->is_null()) m = {"skipped", nullptr, 0, nullptr};
            else m = {"mapping", &matcher.resolve("mapping." + r.exercise, *mapped), 1.0, nullptr};
        } else {
            m = matcher.match(r.exercise);
        }
        names.emplace(r.exercise, m);
    }
    for (const auto& [name, v] : options.mapping.items())
        if (!v.is_null()) matcher.resolve("mapping." + name, v);  // an unused entry is still checked

    const model::Table& wt = db.schema().table("workout_logs");
    const model::Table& st = db.schema().table("top_set_logs");
    const bool has_set_type = st.find("set_type") != nullptr;
    json errors = json::array(), skipped = json::array();
    size_t rest_rows = 0, sets_new = 0, sets_old = 0, workouts_new = 0, workouts_old = 0;
    std::optional<Date> first_day, last_day;
    std::set<int64_t> movements;  // of the imported sets: their personal records are recomputed

    struct WorkoutState {
        int64_t id = 0;
        Date date;
        std::map<std::string, int> positions;  // exercise key -> rows seen
        std::map<int64_t, int> set_numbers;    // movement -> last set number
    };
    std::unordered_map<std::string, WorkoutState> workouts;

    Savepoint sp(db);
    size_t done = 0;
    const size_t step = std::max<size_t>(1, parsed.rows.size() / 100);
    for (const auto& r : parsed.rows) {
        if (++done % step == 0) report_progress("import", done, parsed.rows.size());
        if (r.rest_timer) {
            ++rest_rows;
            continue;
        }
        // The row's position among its exercise's rows in the workout, failed rows included.
        int position = -1;
        WorkoutState* w = nullptr;
        if (!r.start.empty() && !r.exercise.empty()) {
            w = &workouts[r.start];
            position = w->positions[name_key(r.exercise)]++;
        }
        if (!r.error.empty()) {
            errors.push_back({{"line", r.line}, {"message", r.error}});
            continue;
        }
        const Match& m = names.at(r.exercise);
        if (!m.movement) continue;  // unmatched or skipped by the mapping: listed under names
        if (!r.reps || *r.reps < 1) {
            skipped.push_back({{"line", r.line}, {"reason", skip_reason(r)}});
            continue;
        }
        const std::string workout_key = owner_uid + "|" + r.start;
        if (w->id == 0) {
            const std::string uid = derived_uid("workout|" + workout_key);
            w->date = *model::parse_date(r.start.substr(0, 10));
            if (auto id = id_by_uid(db, "SELECT id FROM workout_logs WHERE uid = ?", uid)) {
                w->id = *id;
                ++workouts_old;
                auto& q = db.prepare("SELECT movement_id, MAX(set_number) FROM top_set_logs WHERE workout_log_id = ? GROUP BY movement_id");
                q.bind(1, w->id);
                while (q.executeStep()) w->set_numbers[q.getColumn(0).getInt64()] = q.getColumn(1).getInt();
                q.tryReset();
            } else {
                const std::string notes = workout_notes(r);
                w->id = db.insert(wt, make_row(wt, {{"uid", uid},
                                                    {"user_id", user_id},
                                                    {"workout_date", r.start.substr(0, 10)},
                                                    {"duration_seconds", r.duration_seconds ? json(*r.duration_seconds) : json()},
                                                    {"notes", notes.empty() ? json() : json(notes)},
                                                    {"created_at", r.start + ".000Z"},
                                                    {"updated_at", r.start + ".000Z"}}));
                ++workouts_new;
            }
        }
        const std::string set_uid = derived_uid("set|" + workout_key + "|" + name_key(r.exercise) + "|" + std::to_string(position));
        if (id_by_uid(db, "SELECT id FROM top_set_logs WHERE uid = ?", set_uid)) {
            ++sets_old;
            continue;
        }
        Row row = make_row(st, {{"uid", set_uid},
                                {"user_id", user_id},
                                {"workout_log_id", w->id},
                                {"movement_id", m.movement->id},
                                {"set_number", ++w->set_numbers[m.movement->id]},
                                {"reps", *r.reps},
                                {"load_kg", r.weight_kg ? json(*r.weight_kg) : json()},
                                {"rpe", r.rpe ? json(*r.rpe) : json()},
                                {"notes", r.notes.empty() ? json() : json(r.notes)},
                                {"created_at", r.start + ".000Z"}});
        if (has_set_type) row.emplace_back(st.find("set_type"), to_sql(st, *st.find("set_type"), json(r.set_type)));
        db.insert(st, std::move(row));
        ++sets_new;
        movements.insert(m.movement->id);
        first_day = first_day ? std::min(*first_day, w->date) : w->date;
        last_day = last_day ? std::max(*last_day, w->date) : w->date;
    }

    // What depends on the log, once for the whole file.
    json recomputed;
    if (first_day) {
        report_progress("recompute", 0, 1);
        refresh_pattern_exposure(db, user_id);
        auto latest = latest_state_day(db, user_id);
        const Date to = latest && *latest > *last_day ? *latest : *last_day;
        recompute_days(db, user_id, *first_day, to);
        recompute_personal_records(db, user_id, std::vector<int64_t>(movements.begin(), movements.end()));
        recomputed = {{"from", model::format_date(*first_day)}, {"to", model::format_date(to)}};
        report_progress("recompute", 1, 1);
    }
    sp.commit();

    json name_list = json::array(), fuzzy = json::array(), unmatched = json::array();
    for (const auto& [name, m] : names) {
        const auto& [count, first_line] = name_use.at(name);
        json entry = {{"name", name},
                      {"match", m.how},
                      {"movement_id", m.movement ? json(m.movement->id) : json()},
                      {"movement", m.movement ? json(m.movement->name) : json()},
                      {"score", round2(m.score)},
                      {"sets", count}};
        if (m.how == "fuzzy") fuzzy.push_back(entry);
        if (m.how == "none") {
            unmatched.push_back({{"name", name},
                                 {"sets", count},
                                 {"first_line", first_line},
                                 {"suggestion", m.suggestion ? json{{"movement_id", m.suggestion->id},
                                                                    {"movement", m.suggestion->name},
                                                                    {"score", round2(m.score)}}
                                                             : json()}});
        }
        name_list.push_back(std::move(entry));
    }
    return {{"format", format == HistoryFormat::strong ? "strong" : "hevy"},
            {"delimiter", std::string(1, parsed.delimiter)},
            {"records", parsed.records},
            {"workouts", {{"imported", workouts_new}, {"existing", workouts_old}}},
            {"sets", {{"imported", sets_new}, {"existing", sets_old}}},
            {"rest_timer_rows", rest_rows},
            {"names", std::move(name_list)},
            {"fuzzy", std::move(fuzzy)},
            {"unmatched", std::move(unmatched)},
            {"skipped", std::move(skipped)},
            {"errors", std::move(errors)},
            {"recomputed", recomputed}};
}

namespace {

std::string number_text(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string duration_text(int64_t s) {
    const int64_t h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
    std::string out;
    if (h) out += std::to_string(h) + "h ";
    if (m || (!h && !sec)) out += std::to_string(m) + "m ";
    if (sec) out += std::to_string(sec) + "s ";
    out.pop_back();
    return out;
}

}  // namespace

std::string export_history(Database& db, int64_t user_id) {
    user_uid(db, user_id);  // not_found for an unknown user
    const bool has_set_type = db.schema().table("top_set_logs").find("set_type") != nullptr;
    const std::string sql =
        std::string("SELECT w.workout_date, w.created_at, w.duration_seconds, w.notes, m.name, t.set_number, t.load_kg, t.reps, "
                    "t.notes, t.rpe, ") +
        (has_set_type ? "t.set_type" : "NULL") +
        " FROM top_set_logs t JOIN workout_logs w ON w.id = t.workout_log_id JOIN movements m ON m.id = t.movement_id "
        "WHERE t.user_id = ? ORDER BY w.workout_date, w.created_at, w.id, t.id";
    std::string out = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n";
    auto& q = db.prepare(sql);
    q.bind(1, user_id);
    while (q.executeStep()) {
        const std::string date = q.getColumn(0).getString(), created = q.getColumn(1).getString();
        // The start time when the workout was created on its own day (an import keeps it there).
        const std::string start = created.size() >= 19 && created.compare(0, 10, date) == 0 ? date + " " + created.substr(11, 8) : date + " 00:00:00";
        const std::string notes = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
        const size_t gap = notes.find("\n\n");
        const std::string name = notes.empty() ? "Workout" : notes.substr(0, gap);
        const std::string workout_notes = gap == std::string::npos ? "" : notes.substr(gap + 2);
        const std::string set_type = q.getColumn(10).isNull() ? "" : q.getColumn(10).getString();
        const std::string order = set_type == "warmup" ? "W" : set_type == "dropset" ? "D" : set_type == "failure" ? "F" : std::to_string(q.getColumn(5).getInt());
        const std::string fields[] = {start,
                                      name,
                                      q.getColumn(2).isNull() ? "" : duration_text(q.getColumn(2).getInt64()),
                                      q.getColumn(4).getString(),
                                      order,
                                      q.getColumn(6).isNull() ? "" : number_text(q.getColumn(6).getDouble()),
                                      q.getColumn(7).isNull() ? "" : std::to_string(q.getColumn(7).getInt64()),
                                      "",
                                      "",
                                      q.getColumn(8).isNull() ? "" : q.getColumn(8).getString(),
                                      workout_notes,
                                      q.getColumn(9).isNull() ? "" : number_text(q.getColumn(9).getDouble())};
        for (size_t i = 0; i < std::size(fields); ++i) {
            if (i) out += ',';
            csv::append_field(out, fields[i]);
        }
        out += '\n';
    }
    q.tryReset();
    return out;
}

}  // namespace gainsly::training
