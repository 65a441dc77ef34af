// gainsly: the command-line tool over the C ABI (it uses only include/gainsly/gainsly.h, like an app).
// Human-readable tables by default, --json for scripts; exit 0 on success, 1 with a one-line message
// on error, 2 on a usage error.
#include <gainsly/gainsly.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using json = nlohmann::json;

namespace {

struct Failure {
    int exit_code;
    std::string message;
};

// Parsed command line: positional arguments and --name [value] options.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    bool flag(const std::string& name) const { return options.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const {
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second;
    }
};

const std::vector<std::string> value_options = {"--db",      "--format",  "--user",     "--rpe",     "--formula", "--file",     "--out",
                                                 "--date",    "--days",    "--workout",  "--movement", "--reps",   "--load",     "--start",
                                                 "--weeks",   "--weekdays", "--goals",   "--minutes",  "--split",  "--equipment", "--progression",
                                                 "--seed",    "--time-limit", "--search-nodes", "--name",  "--replan",   "--limit",
                                                 "--server",  "--user-uid", "--role",   "--batch",   "--mapping", "--from",  "--to",  "--target",
                                                 "--set-type", "--provider", "--account", "--run-type", "--within", "--activity", "--intensity", "--program", "--sessions"};

Args parse_args(int argc, char** argv, int from) {
    Args a;
    for (int i = from; i < argc; ++i) {
        std::string s = argv[i];
        if (s.rfind("--", 0) == 0) {
            bool takes_value = std::find(value_options.begin(), value_options.end(), s) != value_options.end();
            if (takes_value) {
                if (i + 1 >= argc) throw Failure{2, s + " needs a value"};
                a.options[s] = argv[++i];
            } else {
                a.options[s] = "1";
            }
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

// Throws the failure of a gs_* call: its status and message (on the handle, or on the thread for
// calls without one: db == nullptr).
void check(gs_db* db, int32_t rc) {
    if (rc != GS_OK) throw Failure{1, std::string(gs_status_name(rc)) + ": " + gs_error_message(db)};
}

// Calls a gs_* function that returns library-owned text through char** and gives it back.
std::string call_text(gs_db* db, const std::function<int32_t(char**)>& f) {
    char* out = nullptr;
    check(db, f(&out));
    std::string result = out ? out : "";
    gs_string_free(out);
    return result;
}

// The same for a call that returns JSON, parsed.
json call_json(gs_db* db, const std::function<int32_t(char**)>& f) {
    std::string out = call_text(db, f);
    return out.empty() ? json() : json::parse(out);
}

// An open database handle, closed on scope exit.
class Db {
public:
    explicit Db(const std::string& path) {
        if (gs_db_open(path.c_str(), &db_) != GS_OK) throw Failure{1, std::string("cannot open ") + path + ": " + gs_error_message(nullptr)};
    }
    ~Db() { gs_db_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    gs_db* get() const { return db_; }
    std::string text(const std::function<int32_t(char**)>& f) const { return call_text(db_, f); }
    json call(const std::function<int32_t(char**)>& f) const { return call_json(db_, f); }

private:
    gs_db* db_ = nullptr;
};

std::string read_input(const std::string& path) {
    if (path == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Failure{1, "cannot read " + path};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Progress on a terminal only, so scripts and pipes see clean output.
void progress(const std::string& text) {
    if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r%s\033[K", text.c_str());
}
void progress_done() {
    if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");
}

std::string fmt_value(const json& v) {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v.get<double>());
        return buf;
    }
    return v.dump();
}

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> width(header.size());
    for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
    for (const auto& r : rows)
        for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
    auto line = [&](const std::vector<std::string>& r) {
        for (size_t i = 0; i < header.size(); ++i) std::printf("%-*s%s", int(width[i]), i < r.size() ? r[i].c_str() : "", i + 1 < header.size() ? "  " : "\n");
    };
    line(header);
    std::vector<std::string> rule;
    for (size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& r : rows) line(r);
}

// ---- commands -------------------------------------------------------------------------------

struct Command {
    const char* name;
    const char* usage;
    const char* help;
    std::function<void(const Args&)> run;
};

const char* const table_names[] = {"users", "programs", "microcycles", "sessions", "session_exercises", "workout_logs",
                                   "top_set_logs", "movements", "muscles", "equipment", "movement_relationships",
                                   "circuit_templates", "activity_definitions", "heuristic_configs"};

void cmd_init(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    json counts = json::object();
    for (const char* t : {"movements", "muscles", "equipment", "movement_relationships", "circuit_templates", "activity_definitions",
                          "heuristic_configs"})
        counts[t] = db.call([&](char** out) { return gs_row_select(db.get(), t, nullptr, out); }).size();
    if (a.flag("--json")) {
        std::cout << json{{"path", a.get("--db", "gainsly.db")}, {"schema_version", gs_schema_version()}, {"catalog", counts}}.dump(2) << "\n";
        return;
    }
    std::printf("%s ready: schema version %d, reference catalog:\n", a.get("--db", "gainsly.db").c_str(), gs_schema_version());
    std::vector<std::vector<std::string>> rows;
    for (auto& [k, v] : counts.items()) rows.push_back({k, fmt_value(v)});
    print_table({"table", "rows"}, rows);
}

void show_session(const Db& db, const json& s, bool with_header) {
    if (with_header)
        std::printf("  %s %-10s %-9s ~%s min  %s\n", fmt_value(s["date"]).c_str(), fmt_value(s["session_type"]).c_str(),
                    ("#" + fmt_value(s["id"])).c_str(), fmt_value(s["estimated_duration_minutes"]).c_str(),
                    s["coach_notes"].is_string() ? s["coach_notes"].get<std::string>().substr(0, 90).c_str() : "");
    std::map<int64_t, std::string> names;
    for (const auto& e : s["exercises"]) {
        int64_t mid = e["movement_id"].is_null() ? 0 : e["movement_id"].get<int64_t>();
        if (mid && !names.count(mid)) names[mid] = fmt_value(db.call([&](char** out) { return gs_row_get(db.get(), "movements", mid, out); })["name"]);
        std::string reps = e["target_rep_range_min"].is_null() ? (e["target_duration_seconds"].is_null() ? "" : fmt_value(e["target_duration_seconds"]) + "s")
                                                              : fmt_value(e["target_rep_range_min"]) + "-" + fmt_value(e["target_rep_range_max"]);
        std::printf("      %-9s %-34s %s x %-7s @RPE %-4s rest %ss%s\n", fmt_value(e["session_section"]).c_str(),
                    (mid ? names[mid] : std::string("circuit")).substr(0, 34).c_str(), fmt_value(e["target_sets"]).c_str(), reps.c_str(),
                    fmt_value(e["target_rpe"]).c_str(), fmt_value(e["default_rest_seconds"]).c_str(),
                    e["superset_group"].is_null() ? "" : (" [superset " + fmt_value(e["superset_group"]) + "]").c_str());
    }
}

void show_program(const Db& db, int64_t program_id, bool as_json) {
    json program = db.call([&](char** out) { return gs_row_get(db.get(), "programs", program_id, out); });
    json micro = db.call([&](char** out) { return gs_row_select(db.get(), "microcycles", json{{"program_id", program_id}}.dump().c_str(), out); });
    json sessions = db.call([&](char** out) { return gs_row_select(db.get(), "sessions", json{{"program_id", program_id}}.dump().c_str(), out); });
    for (auto& s : sessions) s = db.call([&](char** out) { return gs_session_get(db.get(), s["id"].get<int64_t>(), out); });
    if (as_json) {
        std::cout << json{{"program", program}, {"microcycles", micro}, {"sessions", sessions}}.dump(2) << "\n";
        return;
    }
    std::printf("Program #%lld \"%s\" from %s, %s weeks, split %s, progression %s\n", (long long)program_id, fmt_value(program["name"]).c_str(),
                fmt_value(program["start_date"]).c_str(), fmt_value(program["duration_weeks"]).c_str(), fmt_value(program["split"]).c_str(),
                fmt_value(program["progression_style"]).c_str());
    for (const auto& m : micro) {
        std::printf("\nWeek %s%s  (intensity %s%%, volume %s%%)\n", fmt_value(m["week_number"]).c_str(), m["deload_week"] == true ? " DELOAD" : "",
                    fmt_value(m["intensity_percent"]).c_str(), fmt_value(m["volume_percent"]).c_str());
        for (const auto& s : sessions)
            if (s["microcycle_id"] == m["id"]) show_session(db, s, true);
    }
    // The coach report (rules of a plan a coach would sign), as gs_program_describe writes it.
    std::string text = db.text([&](char** out) { return gs_program_describe(db.get(), program_id, out); });
    auto at = text.find("\nCoach report");
    if (at != std::string::npos) std::cout << text.substr(at);
}

void cmd_show(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    bool as_json = a.flag("--json");
    std::string what = a.positional.empty() ? "summary" : a.positional[0];
    auto id_arg = [&]() -> int64_t {
        if (a.positional.size() < 2) throw Failure{2, "show " + what + " needs an id"};
        try {
            return std::stoll(a.positional[1]);
        } catch (...) {
            throw Failure{2, "show " + what + ": '" + a.positional[1] + "' is not an id"};
        }
    };
    if (what == "program") return show_program(db, id_arg(), as_json);
    if (what == "session") {
        json s = db.call([&](char** out) { return gs_session_get(db.get(), id_arg(), out); });
        if (as_json) std::cout << s.dump(2) << "\n";
        else show_session(db, s, true);
        return;
    }
    if (what != "summary") {  // a table: all its rows
        json rows = db.call([&](char** out) { return gs_row_select(db.get(), what.c_str(), nullptr, out); });
        std::cout << rows.dump(as_json ? 2 : -1) << "\n";
        return;
    }
    json counts = json::object();
    for (const char* t : table_names) counts[t] = db.call([&](char** out) { return gs_row_select(db.get(), t, nullptr, out); }).size();
    json programs = db.call([&](char** out) { return gs_row_select(db.get(), "programs", nullptr, out); });
    if (as_json) {
        std::cout << json{{"rows", counts}, {"programs", programs}}.dump(2) << "\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& [k, v] : counts.items()) rows.push_back({k, fmt_value(v)});
    print_table({"table", "rows"}, rows);
    for (const auto& p : programs) std::printf("program #%s \"%s\" (user %s) from %s\n", fmt_value(p["id"]).c_str(), fmt_value(p["name"]).c_str(),
                                               fmt_value(p["user_id"]).c_str(), fmt_value(p["start_date"]).c_str());
}

// A training history exported by Strong or Hevy into the user's log (gs_history_import).
void import_history(const Args& a, const std::string& format) {
    if (!a.options.count("--user")) throw Failure{2, "import --format " + format + " needs --user ID"};
    Db db(a.get("--db", "gainsly.db"));
    const int64_t user = std::stoll(a.get("--user"));
    std::string text = read_input(a.positional[0]);
    std::string mapping = a.options.count("--mapping") ? read_input(a.get("--mapping")) : "";
    gs_history_options opts = GS_HISTORY_OPTIONS_INIT;
    if (a.flag("--imperial")) opts.flags |= GS_HISTORY_IMPERIAL;
    if (!mapping.empty()) opts.mapping_json = mapping.c_str();
    opts.progress = [](void*, const char* p) -> int32_t {
        json j = json::parse(p);
        progress(j["phase"].get<std::string>() + " " + fmt_value(j["done"]) + "/" + fmt_value(j["total"]));
        return 0;
    };
    json report = db.call([&](char** out) {
        return gs_history_import(db.get(), user, format == "hevy" ? GS_HISTORY_HEVY : GS_HISTORY_STRONG, text.c_str(), &opts, out);
    });
    progress_done();
    if (a.flag("--json")) {
        std::cout << report.dump(2) << "\n";
        return;
    }
    std::printf("records: %s (delimiter '%s'), rest timer rows: %s\n", fmt_value(report["records"]).c_str(),
                fmt_value(report["delimiter"]).c_str(), fmt_value(report["rest_timer_rows"]).c_str());
    std::printf("workouts: %s imported, %s already there\n", fmt_value(report["workouts"]["imported"]).c_str(),
                fmt_value(report["workouts"]["existing"]).c_str());
    std::printf("sets: %s imported, %s already there\n", fmt_value(report["sets"]["imported"]).c_str(), fmt_value(report["sets"]["existing"]).c_str());
    for (const auto& f : report["fuzzy"])
        std::printf("fuzzy: \"%s\" -> %s (movement %s, score %s, %s sets)\n", fmt_value(f["name"]).c_str(), fmt_value(f["movement"]).c_str(),
                    fmt_value(f["movement_id"]).c_str(), fmt_value(f["score"]).c_str(), fmt_value(f["sets"]).c_str());
    for (const auto& u : report["unmatched"])
        std::printf("unmatched: \"%s\" (%s sets, first on line %s; closest: %s)\n", fmt_value(u["name"]).c_str(), fmt_value(u["sets"]).c_str(),
                    fmt_value(u["first_line"]).c_str(), u["suggestion"].is_null() ? "-" : fmt_value(u["suggestion"]["movement"]).c_str());
    for (const auto& e : report["errors"]) std::printf("line %s: %s\n", fmt_value(e["line"]).c_str(), fmt_value(e["message"]).c_str());
    for (const auto& e : report["skipped"]) std::printf("line %s skipped: %s\n", fmt_value(e["line"]).c_str(), fmt_value(e["reason"]).c_str());
    if (!report["unmatched"].empty() || !report["fuzzy"].empty())
        std::printf("fix names with --mapping FILE ({\"name\": movement id, ...}) and run the same import again\n");
}

void cmd_import(const Args& a) {
    if (a.positional.empty()) throw Failure{2, "import needs a FILE (or - for stdin)"};
    std::string format = a.get("--format", "free-exercise-db");
    if (format == "strong" || format == "hevy") return import_history(a, format);
    std::map<std::string, int32_t> formats = {{"user", GS_IMPORT_USER_EXPORT}, {"catalog", GS_IMPORT_CATALOG},
                                              {"free-exercise-db", GS_IMPORT_FREE_EXERCISE_DB}};
    if (!formats.count(format)) throw Failure{2, "--format must be user, catalog, free-exercise-db, strong or hevy"};
    Db db(a.get("--db", "gainsly.db"));
    progress("reading " + a.positional[0] + " ...");
    std::string text = read_input(a.positional[0]);
    progress("importing " + std::to_string(text.size() / 1024) + " KiB ...");
    json report = db.call([&](char** out) { return gs_db_import(db.get(), static_cast<gs_import_format>(formats[format]), text.c_str(), out); });
    progress_done();
    if (a.flag("--json")) {
        std::cout << report.dump(2) << "\n";
        return;
    }
    for (auto& [k, v] : report.items())
        if (!v.is_array() && !v.is_object()) std::printf("%s: %s\n", k.c_str(), fmt_value(v).c_str());
    if (report.contains("skipped")) std::printf("skipped: %zu\n", report["skipped"].size());
    if (report.contains("errors")) {
        std::printf("errors: %zu\n", report["errors"].size());
        for (const auto& e : report["errors"]) std::printf("  #%s %s: %s\n", fmt_value(e["index"]).c_str(), fmt_value(e["name"]).c_str(), fmt_value(e["error"]).c_str());
    }
    if (report.contains("unmapped") && !report["unmapped"].empty()) std::printf("unmapped values: %s\n", report["unmapped"].dump().c_str());
}

void cmd_export(const Args& a) {
    if (!a.options.count("--user")) throw Failure{2, "export needs --user ID"};
    Db db(a.get("--db", "gainsly.db"));
    int64_t user = std::stoll(a.get("--user"));
    const std::string format = a.get("--format", "user");
    if (format != "user" && format != "strong") throw Failure{2, "--format must be user or strong"};
    std::string text;
    if (format == "strong") {
        text = db.text([&](char** out) { return gs_history_export(db.get(), user, GS_HISTORY_STRONG, out); });
        text.pop_back();  // the newline below ends the last row
    } else {
        text = db.call([&](char** out) { return gs_user_export(db.get(), user, out); }).dump(a.flag("--json") ? -1 : 2);
    }
    if (a.options.count("--out")) {
        std::ofstream(a.get("--out")) << text << "\n";
        std::fprintf(stderr, "wrote %s\n", a.get("--out").c_str());
    } else {
        std::cout << text << "\n";
    }
}

// ---- training: e1rm, log, fatigue -------------------------------------------------------------

double number_arg(const std::string& text, const std::string& what) {
    try {
        size_t used = 0;
        double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (...) {
    }
    throw Failure{2, what + ": '" + text + "' is not a number"};
}

int64_t id_option(const Args& a, const std::string& name) {
    if (!a.options.count(name)) throw Failure{2, "needs " + name + " ID"};
    std::string text = a.get(name);
    try {
        size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (...) {
    }
    throw Failure{2, name + ": '" + text + "' is not an id"};
}

// A movement given by id or by name.
int64_t movement_arg(const Db& db, const std::string& m) {
    if (!m.empty() && std::all_of(m.begin(), m.end(), ::isdigit)) return std::stoll(m);
    json rows = db.call([&](char** out) { return gs_row_select(db.get(), "movements", json{{"name", m}}.dump().c_str(), out); });
    if (rows.empty()) throw Failure{1, "GS_ERR_NOT_FOUND: no movement named '" + m + "'"};
    return rows[0]["id"].get<int64_t>();
}

const char* const e1rm_formulas[] = {"epley", "brzycki", "lombardi", "oconner", "mayhew", "wathan", "lander"};  // GS_E1RM_* order

void cmd_e1rm(const Args& a) {
    if (a.positional.size() != 2) throw Failure{2, "e1rm needs LOAD and REPS"};
    double load = number_arg(a.positional[0], "LOAD"), reps_value = number_arg(a.positional[1], "REPS");
    if (reps_value != std::floor(reps_value) || std::fabs(reps_value) > 1e6) throw Failure{2, "REPS: '" + a.positional[1] + "' is not a whole number"};
    int32_t reps = int32_t(reps_value);
    double rpe = a.options.count("--rpe") ? number_arg(a.get("--rpe"), "--rpe") : 0.0;
    std::vector<int> chosen;
    for (int f = 0; f < 7; ++f)
        if (!a.options.count("--formula") || a.get("--formula") == e1rm_formulas[f]) chosen.push_back(f);
    if (chosen.empty()) throw Failure{2, "--formula must be one of epley, brzycki, lombardi, oconner, mayhew, wathan, lander"};
    json result = json::object();
    for (int f : chosen) {
        double out = 0;
        if (gs_e1rm_estimate(static_cast<gs_e1rm_formula>(f), load, reps, rpe, &out) != GS_OK) throw Failure{1, std::string("GS_ERR_INVALID: ") + gs_error_message(nullptr)};
        result[e1rm_formulas[f]] = out;
    }
    json chart = nullptr;  // the RPE chart's estimate, where the chart covers the set
    double from_chart = 0;
    if (rpe > 0 && gs_e1rm_estimate_rpe(load, reps, rpe, &from_chart) == GS_OK) chart = from_chart;
    if (a.flag("--json")) {
        std::cout << json{{"load", load}, {"reps", reps}, {"rpe", rpe > 0 ? json(rpe) : json()}, {"e1rm", result}, {"rpe_chart", chart}}.dump(2) << "\n";
        return;
    }
    std::printf("%g x %d%s\n", load, reps, rpe > 0 ? (" @ RPE " + fmt_value(rpe)).c_str() : "");
    std::vector<std::vector<std::string>> rows;
    char buf[32];
    for (int f : chosen) {  // in GS_E1RM_* order
        std::snprintf(buf, sizeof buf, "%.1f", result[e1rm_formulas[f]].get<double>());
        rows.push_back({e1rm_formulas[f], buf});
    }
    if (!chart.is_null()) {
        std::snprintf(buf, sizeof buf, "%.1f", chart.get<double>());
        rows.push_back({"rpe chart", buf});
    }
    print_table({"formula", "e1RM"}, rows);
}

std::string today_utc() {
    auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    std::chrono::year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

std::string shift_date(const std::string& date, int days) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(date.c_str(), "%d-%u-%u", &y, &m, &d) != 3) throw Failure{2, "--date: '" + date + "' is not YYYY-MM-DD"};
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) throw Failure{2, "--date: '" + date + "' is not a valid date"};
    std::chrono::year_month_day out{std::chrono::sys_days{ymd} + std::chrono::days{days}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(out.year()), unsigned(out.month()), unsigned(out.day()));
    return buf;
}

// Muscles sorted by fatigue, most fatigued first.
std::vector<std::pair<std::string, double>> by_fatigue(const json& muscles) {
    std::vector<std::pair<std::string, double>> out;
    for (auto& [k, v] : muscles.items()) out.emplace_back(k, v.get<double>());
    std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    return out;
}

void print_day(const json& s) {
    const json& r = s["readiness"];
    const json& cns = s["cns"];
    std::printf("%s  readiness %s/100 (%s signal%s)  systemic fatigue %s  recovery %s\n", fmt_value(s["date"]).c_str(),
                fmt_value(r["score"]).c_str(), fmt_value(r["signals_used"]).c_str(), r["signals_used"] == 1 ? "" : "s",
                fmt_value(s["systemic_fatigue"]).c_str(), fmt_value(s["recovery_score"]).c_str());
    std::printf("CNS: fatigue %s, today %s of budget %s (aggression %s)%s\n", fmt_value(cns["fatigue"]).c_str(),
                fmt_value(cns["today"]["total"]).c_str(), fmt_value(cns["today"]["budget"]).c_str(),
                fmt_value(cns["persona_aggression"]).c_str(), cns["today"]["within"] == true ? "" : "  OVER BUDGET");
    std::printf("signals: sleep %s, soreness %s, HRV %s (baseline %s), resting HR %s (baseline %s)\n",
                fmt_value(r["sleep_quality_score"]).c_str(), fmt_value(r["soreness_score"]).c_str(), fmt_value(r["hrv_score"]).c_str(),
                fmt_value(r["hrv_baseline"]).c_str(), fmt_value(r["resting_heart_rate"]).c_str(), fmt_value(r["resting_hr_baseline"]).c_str());
    const json& m = r["modifiers"];
    std::printf("modifiers: sleep x%s, soreness x%s, HRV x%s, resting HR x%s\n", fmt_value(m["sleep"]).c_str(),
                fmt_value(m["soreness"]).c_str(), fmt_value(m["hrv"]).c_str(), fmt_value(m["resting_hr"]).c_str());
    std::vector<std::vector<std::string>> rows;
    for (const auto& [muscle, f] : by_fatigue(s["muscle_fatigue"])) rows.push_back({muscle, fmt_value(f), fmt_value(s["muscle_recovery"][muscle])});
    if (rows.empty()) {
        std::printf("no muscle fatigue\n");
        return;
    }
    std::printf("\n");
    print_table({"muscle", "fatigue", "recovery %"}, rows);
}

void cmd_fatigue(const Args& a) {
    int64_t user = id_option(a, "--user");
    std::string last = a.get("--date", today_utc());
    shift_date(last, 0);  // validates
    int days = 1;
    if (a.options.count("--days")) {
        double d = number_arg(a.get("--days"), "--days");
        if (d < 1 || d > 366 || d != std::floor(d)) throw Failure{2, "--days must be a whole number from 1 to 366"};
        days = int(d);
    }
    Db db(a.get("--db", "gainsly.db"));
    json states = json::array();
    for (int i = days - 1; i >= 0; --i) {
        std::string date = shift_date(last, -i);
        states.push_back(db.call([&](char** out) { return gs_day_state_get(db.get(), user, date.c_str(), out); }));
    }
    if (a.flag("--json")) {
        std::cout << (days == 1 ? states[0] : states).dump(2) << "\n";
        return;
    }
    if (days == 1) return print_day(states[0]);
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : states) {
        std::string top;
        int n = 0;
        for (const auto& [muscle, f] : by_fatigue(s["muscle_fatigue"])) {
            if (n++ == 3 || f < 1) break;
            top += (top.empty() ? "" : ", ") + muscle + " " + fmt_value(f);
        }
        rows.push_back({fmt_value(s["date"]), fmt_value(s["readiness"]["score"]), fmt_value(s["systemic_fatigue"]),
                        fmt_value(s["cns"]["fatigue"]), fmt_value(s["cns"]["today"]["total"]) + "/" + fmt_value(s["cns"]["today"]["budget"]),
                        top.empty() ? "-" : top});
    }
    print_table({"date", "readiness", "systemic", "CNS", "CNS today", "most fatigued muscles"}, rows);
}

void print_workout(const json& report);
void print_records(const json& records);

// The user's best e1RM for a movement from the logged working sets (Epley, or the RPE chart when an
// RPE was given), or nothing without history.
std::optional<double> best_e1rm(const Db& db, int64_t user, int64_t movement) {
    json sets = db.call([&](char** out) {
        return gs_row_select(db.get(), "top_set_logs", json{{"user_id", user}, {"movement_id", movement}}.dump().c_str(), out);
    });
    std::optional<double> best;
    for (const auto& s : sets) {
        if (!s["load_kg"].is_number() || !s["reps"].is_number_integer() || s.value("set_type", json()) == "warmup") continue;
        double rpe = s["rpe"].is_number() ? s["rpe"].get<double>() : 0.0, e = 0;
        if (gs_e1rm_estimate(GS_E1RM_EPLEY, s["load_kg"].get<double>(), s["reps"].get<int32_t>(), rpe, &e) == GS_OK && (!best || e > *best)) best = e;
    }
    return best;
}

// Logs a planned session as done as prescribed: every working exercise measured in reps gets its
// target sets x the bottom of its rep range at the target RPE, with the load the RPE chart gives
// from the user's best e1RM (none without history).
void log_session(const Db& db, const Args& a) {
    if (a.positional.size() < 2) throw Failure{2, "log session needs a SESSION_ID"};
    Args ids;
    ids.options["SESSION_ID"] = a.positional[1];
    int64_t session_id = id_option(ids, "SESSION_ID");
    json s = db.call([&](char** out) { return gs_session_get(db.get(), session_id, out); });
    json program = db.call([&](char** out) { return gs_row_get(db.get(), "programs", s["program_id"].get<int64_t>(), out); });
    int64_t user = program["user_id"].get<int64_t>();
    json workout = {{"user_id", user}, {"session_id", session_id}, {"workout_date", a.get("--date", s["date"].get<std::string>())},
                    {"sets", json::array()}};
    for (const auto& e : s["exercises"]) {
        std::string role = fmt_value(e["role"]);
        if (role != "main" && role != "accessory" && role != "finisher") continue;
        if (!e["movement_id"].is_number_integer() || !e["target_rep_range_min"].is_number_integer()) continue;
        int64_t movement = e["movement_id"].get<int64_t>();
        int32_t reps = std::clamp(e["target_rep_range_min"].get<int32_t>(), 1, 30);
        double rpe = e["target_rpe"].is_number() ? e["target_rpe"].get<double>() : 8.0;
        json load = nullptr;
        if (auto e1rm = best_e1rm(db, user, movement)) {
            double l = 0;
            if (gs_load_prescribe(*e1rm, reps, rpe, 2.5, &l) == GS_OK) load = l;
        }
        int sets = e["target_sets"].is_number_integer() ? e["target_sets"].get<int>() : 1;
        for (int i = 0; i < sets; ++i) workout["sets"].push_back({{"movement_id", movement}, {"reps", reps}, {"load_kg", load}, {"rpe", rpe}});
    }
    json report = db.call([&](char** out) { return gs_workout_log(db.get(), workout.dump().c_str(), out); });
    if (a.flag("--json")) std::cout << report.dump(2) << "\n";
    else print_workout(report);
}

void cmd_log(const Args& a) {
    std::string kind = a.positional.empty() ? "" : a.positional[0];
    Db db(a.get("--db", "gainsly.db"));
    if (kind == "set") {  // the typed hot path, from options
        int64_t user = id_option(a, "--user"), workout = id_option(a, "--workout");
        if (!a.options.count("--movement") || !a.options.count("--reps")) throw Failure{2, "log set needs --movement ID|NAME and --reps N"};
        int64_t movement = movement_arg(db, a.get("--movement"));
        double reps = number_arg(a.get("--reps"), "--reps");
        if (reps != std::floor(reps) || std::fabs(reps) > 1e6) throw Failure{2, "--reps must be a whole number"};
        double load = a.options.count("--load") ? number_arg(a.get("--load"), "--load") : 0.0;
        double rpe = a.options.count("--rpe") ? number_arg(a.get("--rpe"), "--rpe") : 0.0;
        gs_set_options opts = GS_SET_OPTIONS_INIT;
        const std::string set_type = a.get("--set-type");
        if (!set_type.empty()) opts.set_type = set_type.c_str();
        json set = db.call([&](char** out) { return gs_set_log_v2(db.get(), user, workout, movement, 0, int32_t(reps), load, rpe, &opts, out); });
        if (a.flag("--json")) {
            std::cout << set.dump(2) << "\n";
            return;
        }
        std::printf("logged set #%s, e1RM %.1f\n", fmt_value(set["id"]).c_str(), set["e1rm"].is_number() ? set["e1rm"].get<double>() : 0.0);
        print_records(set["records"]);
        return;
    }
    if (kind == "session") return log_session(db, a);
    if (kind == "activity") {  // from options, like set
        if (!a.options.count("--activity") || !a.options.count("--minutes")) throw Failure{2, "log activity needs --activity NAME and --minutes N"};
        json doc = {{"user_id", id_option(a, "--user")}, {"date", a.options.count("--date") ? shift_date(a.get("--date"), 0) : today_utc()}, {"activity", a.get("--activity")},
                    {"duration_minutes", number_arg(a.get("--minutes"), "--minutes")}};
        if (a.options.count("--intensity")) doc["intensity"] = number_arg(a.get("--intensity"), "--intensity");
        json report = db.call([&](char** out) { return gs_activity_log(db.get(), doc.dump().c_str(), out); });
        if (a.flag("--json")) {
            std::cout << report.dump(2) << "\n";
            return;
        }
        std::printf("logged %s #%s on %s (%s min)\n\n", fmt_value(report["activity"]).c_str(), fmt_value(report["activity_instance_id"]).c_str(),
                    fmt_value(report["date"]).c_str(), fmt_value(doc["duration_minutes"]).c_str());
        print_day(report["state"]);
        return;
    }
    static const std::map<std::string, std::function<int32_t(gs_db*, const char*, int64_t*)>> by_id = {
        {"soreness", gs_soreness_log}, {"recovery", gs_recovery_log}, {"biometrics", gs_biometrics_log}};
    if (kind != "workout" && !by_id.count(kind)) throw Failure{2, "log needs workout|session|set|activity|soreness|recovery|biometrics"};
    if (a.positional.size() < 2) throw Failure{2, "log " + kind + " needs a FILE (or - for stdin)"};
    json doc;
    try {
        doc = json::parse(read_input(a.positional[1]));
    } catch (const json::exception& e) {
        throw Failure{1, "GS_ERR_INVALID: " + a.positional[1] + " is not JSON: " + e.what()};
    }
    if (a.options.count("--user") && doc.is_object()) doc["user_id"] = id_option(a, "--user");
    if (kind != "workout") {
        int64_t id = 0;
        check(db.get(), by_id.at(kind)(db.get(), doc.dump().c_str(), &id));
        if (a.flag("--json")) std::cout << json{{"id", id}}.dump(2) << "\n";
        else std::printf("logged %s #%lld\n", kind.c_str(), (long long)id);
        return;
    }
    json report = db.call([&](char** out) { return gs_workout_log(db.get(), doc.dump().c_str(), out); });
    if (a.flag("--json")) std::cout << report.dump(2) << "\n";
    else print_workout(report);
}

void print_workout(const json& report) {
    std::printf("workout #%s on %s: %zu sets, patterns %s, e1RM by %s\n", fmt_value(report["workout_log_id"]).c_str(),
                fmt_value(report["workout_date"]).c_str(), report["sets"].size(), report["patterns"].dump().c_str(),
                fmt_value(report["e1rm_formula"]).c_str());
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : report["sets"])
        rows.push_back({fmt_value(s["id"]), fmt_value(s["movement_id"]), fmt_value(s["set_number"]), fmt_value(s["reps"]),
                        fmt_value(s["load_kg"]), fmt_value(s["rpe"]), fmt_value(s["e1rm"])});
    if (!rows.empty()) print_table({"id", "movement", "set", "reps", "kg", "rpe", "e1RM"}, rows);
    print_records(report["records"]);
    std::printf("\n");
    print_day(report["state"]);
}

// One line per record a log set: "PR e1rm: 119.6 (was 116.7)".
void print_records(const json& records) {
    for (const auto& r : records) {
        std::string what = r["record_type"].get<std::string>();
        if (what == "reps_at_load") what += " at " + fmt_value(r["load_kg"]) + " kg";
        if (what == "load_at_reps") what += " for " + fmt_value(r["reps"]) + " reps";
        std::printf("PR %s (movement %s): %s (was %s)\n", what.c_str(), fmt_value(r["movement_id"]).c_str(), fmt_value(r["value"]).c_str(),
                    r["previous_value"].is_null() ? "none" : fmt_value(r["previous_value"]).c_str());
    }
}

void cmd_prs(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    const int64_t user = id_option(a, "--user");
    const int64_t movement = a.options.count("--movement") ? movement_arg(db, a.get("--movement")) : 0;
    if (a.flag("--recompute")) db.call([&](char** out) { return gs_pr_recompute(db.get(), user, movement, out); });
    json list = db.call([&](char** out) { return gs_pr_list(db.get(), user, movement, out); });
    if (a.flag("--json")) {
        std::cout << list.dump(2) << "\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list["records"])
        rows.push_back({fmt_value(r["achieved_date"]), fmt_value(r["movement"]), fmt_value(r["record_type"]), fmt_value(r["value"]),
                        fmt_value(r["reps"]), fmt_value(r["load_kg"]), fmt_value(r["previous_value"]), r["current"].get<bool>() ? "yes" : ""});
    if (rows.empty()) std::printf("no personal records\n");
    else print_table({"date", "movement", "record", "value", "reps", "kg", "was", "current"}, rows);
}

// ---- planning: plan, substitute ----------------------------------------------------------------

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

int whole_option(const Args& a, const std::string& name, int lo, int hi) {
    double v = number_arg(a.get(name), name);
    if (v != std::floor(v) || v < lo || v > hi) throw Failure{2, name + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)};
    return int(v);
}

// The request: a JSON file (optional) overlaid with the command-line options.
json plan_request(const Args& a) {
    json r = json::object();
    if (!a.positional.empty()) {
        try {
            r = json::parse(read_input(a.positional[0]));
        } catch (const json::exception& e) {
            throw Failure{1, "GS_ERR_INVALID: " + a.positional[0] + " is not JSON: " + e.what()};
        }
        if (!r.is_object()) throw Failure{1, "GS_ERR_INVALID: " + a.positional[0] + " must hold a JSON object"};
    }
    if (a.options.count("--user")) r["user_id"] = id_option(a, "--user");
    if (a.options.count("--start")) r["start_date"] = shift_date(a.get("--start"), 0);
    if (!r.contains("start_date")) r["start_date"] = today_utc();
    if (a.options.count("--weeks")) r["duration_weeks"] = whole_option(a, "--weeks", 1, 16);
    if (!r.contains("duration_weeks")) r["duration_weeks"] = 4;
    if (a.options.count("--days")) r["days_per_week"] = whole_option(a, "--days", 1, 7);
    if (a.options.count("--weekdays")) r["weekdays"] = split_list(a.get("--weekdays"));
    if (!r.contains("days_per_week") && !r.contains("weekdays")) r["days_per_week"] = 3;
    if (a.options.count("--goals")) {  // strength:6,hypertrophy:4
        json goals = json::array();
        for (const auto& g : split_list(a.get("--goals"))) {
            auto colon = g.find(':');
            if (colon == std::string::npos) throw Failure{2, "--goals: '" + g + "' is not GOAL:WEIGHT"};
            goals.push_back({{"goal", g.substr(0, colon)}, {"weight", number_arg(g.substr(colon + 1), "--goals weight")}});
        }
        r["goals"] = goals;
    }
    if (!r.contains("goals")) r["goals"] = json::array({{{"goal", "strength"}, {"weight", 5}}, {{"goal", "hypertrophy"}, {"weight", 5}}});
    if (a.options.count("--minutes")) r["session_minutes"] = whole_option(a, "--minutes", 1, 300);
    if (a.options.count("--split")) r["split"] = a.get("--split");
    if (a.options.count("--equipment")) r["equipment"] = split_list(a.get("--equipment"));
    if (a.options.count("--progression")) r["progression_style"] = a.get("--progression");
    if (a.options.count("--seed")) r["seed"] = whole_option(a, "--seed", 0, 2147483647);
    if (a.options.count("--time-limit")) r["time_limit_ms"] = whole_option(a, "--time-limit", 1, 600000);
    if (a.options.count("--search-nodes")) r["search_nodes"] = whole_option(a, "--search-nodes", 1, 100000000);
    if (a.options.count("--name")) r["name"] = a.get("--name");
    if (a.flag("--exact")) r["exact"] = true;
    return r;
}

void print_plan_report(const json& report) {
    const json& checks = report.value("hard_constraints", json::array());
    size_t held = 0;
    for (const auto& c : checks) held += c.value("ok", false) ? 1 : 0;
    std::printf("\nhard constraints: %zu of %zu hold", held, checks.size());
    for (const auto& c : checks)
        if (!c.value("ok", false)) std::printf("; FAILED %s", fmt_value(c["name"]).c_str());
    std::printf("\nobjective %s", report.contains("objective") ? fmt_value(report["objective"]["value"]).c_str() : "-");
    if (report.contains("solve_ms")) std::printf(", solved in %s ms", fmt_value(report["solve_ms"]).c_str());
    std::printf("\n");
}

void cmd_plan(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    json report;
    if (a.options.count("--replan")) {
        json r = {{"program_id", id_option(a, "--replan")}};
        if (a.options.count("--date")) r["date"] = shift_date(a.get("--date"), 0);
        if (a.options.count("--seed")) r["seed"] = whole_option(a, "--seed", 0, 2147483647);
        if (a.options.count("--time-limit")) r["time_limit_ms"] = whole_option(a, "--time-limit", 1, 600000);
        if (a.options.count("--search-nodes")) r["search_nodes"] = whole_option(a, "--search-nodes", 1, 100000000);
        progress("re-planning ...");
        report = db.call([&](char** out) { return gs_program_replan(db.get(), r.dump().c_str(), out); });
    } else {
        json r = plan_request(a);
        if (!r.contains("user_id")) throw Failure{2, "plan needs --user ID (or user_id in the request file)"};
        progress("planning " + fmt_value(r["duration_weeks"]) + " weeks ...");
        report = db.call([&](char** out) { return gs_program_generate(db.get(), r.dump().c_str(), out); });
    }
    progress_done();
    if (a.flag("--json")) {
        std::cout << report.dump(2) << "\n";
        return;
    }
    int64_t program = report.contains("program_id") ? report["program_id"].get<int64_t>() : id_option(a, "--replan");
    std::cout << db.text([&](char** out) { return gs_program_describe(db.get(), program, out); });
    if (report.contains("replanned_session_ids")) std::printf("\nre-planned sessions: %s\n", report["replanned_session_ids"].dump().c_str());
    print_plan_report(report);
}

void cmd_adapt(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    json r = {{"program_id", id_option(a, "--program")}};
    if (a.options.count("--user")) r["user_id"] = id_option(a, "--user");
    if (a.options.count("--date")) r["date"] = shift_date(a.get("--date"), 0);
    if (a.options.count("--sessions")) r["sessions"] = whole_option(a, "--sessions", 1, 14);
    json report = db.call([&](char** out) { return gs_program_adapt(db.get(), r.dump().c_str(), out); });
    if (a.flag("--json")) {
        std::cout << report.dump(2) << "\n";
        return;
    }
    const json& rd = report["readiness"];
    std::printf("adapting program %s on %s: readiness %s/100%s\n", fmt_value(report["program_id"]).c_str(), fmt_value(report["date"]).c_str(),
                fmt_value(rd["score"]).c_str(), rd["red"].get<bool>() ? " (red day)" : "");
    for (const auto& s : report["sessions"])
        std::printf("session #%s on %s: %s\n", fmt_value(s["session_id"]).c_str(), fmt_value(s["date"]).c_str(),
                    s["changed"].get<bool>() ? "adapted" : "unchanged");
    if (!report["kept_session_ids"].empty()) std::printf("completed, kept as done: %s\n", report["kept_session_ids"].dump().c_str());
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : report["changes"]) {
        std::string reasons;
        for (const auto& x : c["reasons"]) reasons += (reasons.empty() ? "" : "; ") + x.get<std::string>();
        rows.push_back({fmt_value(c["session_id"]), fmt_value(c["movement"]), fmt_value(c["action"]),
                        fmt_value(c["sets"]["from"]) + " -> " + fmt_value(c["sets"]["to"]),
                        fmt_value(c["target_rpe"]["from"]) + " -> " + fmt_value(c["target_rpe"]["to"]), reasons});
    }
    if (rows.empty()) std::printf("no change: the plan already fits the day\n");
    else print_table({"session", "exercise", "change", "sets", "RPE", "why"}, rows);
}

void cmd_substitute(const Args& a) {
    if (a.positional.empty()) throw Failure{2, "substitute needs a SESSION_EXERCISE_ID"};
    Args ids;
    ids.options["--row"] = a.positional[0];
    int64_t row = id_option(ids, "--row");
    Db db(a.get("--db", "gainsly.db"));
    if (a.positional.size() < 2) {  // list the ranked alternatives
        int limit = a.options.count("--limit") ? whole_option(a, "--limit", 1, 100) : 10;
        json list = db.call([&](char** out) { return gs_exercise_list_substitutes(db.get(), row, limit, out); });
        if (a.flag("--json")) {
            std::cout << list.dump(2) << "\n";
            return;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& s : list["substitutes"])
            rows.push_back({fmt_value(s["movement_id"]), fmt_value(s["name"]), fmt_value(s["score"]), fmt_value(s["relationship"]),
                            s.contains("reasons") ? fmt_value(s["reasons"]) : "-"});
        if (rows.empty()) std::printf("no substitute keeps every hard constraint%s\n",
                                      list.contains("blocked_by") ? (": " + fmt_value(list["blocked_by"])).c_str() : "");
        else print_table({"id", "movement", "score", "relationship", "why"}, rows);
        return;
    }
    const std::string& m = a.positional[1];
    int64_t movement = movement_arg(db, m);
    json result = db.call([&](char** out) { return gs_exercise_substitute(db.get(), row, movement, out); });
    if (a.flag("--json")) std::cout << result.dump(2) << "\n";
    else std::printf("session exercise #%lld now uses %s\n", (long long)row, m.c_str());
}

// ---- sync ---------------------------------------------------------------------------------------

void print_fields(const json& report) {
    for (auto& [k, v] : report.items())
        if (!v.is_object() && !v.is_array()) std::printf("%-22s %s\n", k.c_str(), fmt_value(v).c_str());
}

void cmd_sync(const Args& a) {
    std::string what = a.positional.empty() ? "" : a.positional[0];
    auto server = [&] {
        if (!a.options.count("--server")) throw Failure{2, "needs --server CONNINFO (e.g. \"host=127.0.0.1 dbname=gainsly user=...\")"};
        return a.get("--server");
    };
    auto document = [&] {  // the carried document: a FILE or - for standard input
        if (a.positional.size() < 2) throw Failure{2, "sync " + what + " needs a FILE (or - for standard input)"};
        return read_input(a.positional[1]);
    };
    json report;
    if (what == "setup") {  // admin: create or migrate the server side
        std::string conninfo = server();
        progress("setting up the server ...");
        report = call_json(nullptr, [&](char** out) { return gs_server_setup(conninfo.c_str(), out); });
    } else if (what == "account") {  // admin: a login role for one account; the password comes from the environment
        std::string conninfo = server();
        const char* password = std::getenv("GAINSLY_SYNC_PASSWORD");
        if (!a.options.count("--user-uid") || !a.options.count("--role") || !password)
            throw Failure{2, "sync account needs --user-uid UID --role ROLE and the password in GAINSLY_SYNC_PASSWORD"};
        report = call_json(nullptr, [&](char** out) {
            return gs_server_add_account(conninfo.c_str(), a.get("--user-uid").c_str(), a.get("--role").c_str(), password, out);
        });
    } else if (what == "status") {
        Db db(a.get("--db", "gainsly.db"));
        report = db.call([&](char** out) { return gs_sync_status_get(db.get(), out); });
    } else if (what.empty()) {
        std::string conninfo = server();
        Db db(a.get("--db", "gainsly.db"));
        gs_sync_options opts = GS_SYNC_OPTIONS_INIT;
        std::string user_uid = a.get("--user-uid");
        if (!user_uid.empty()) opts.user_uid = user_uid.c_str();
        if (a.options.count("--batch")) opts.batch_rows = whole_option(a, "--batch", 1, 100000);
        json before = db.call([&](char** out) { return gs_sync_status_get(db.get(), out); });
        const std::string outbox = fmt_value(before["outbox"]);
        progress("syncing: pushing " + outbox + " change(s), then pulling ...");
        opts.progress = [](void* ctx, const char* text) -> int32_t {  // live progress on a terminal, after each batch and page
            json p = json::parse(text, nullptr, false);
            if (p.is_discarded()) return 0;
            if (p["phase"] == "push")
                progress("syncing: pushed " + fmt_value(p["pushed"]) + " of " + *static_cast<const std::string*>(ctx) + " change(s) ...");
            else progress("syncing: pulled " + fmt_value(p["pulled"]) + " row(s)" + (p["more"] == true ? " ..." : ""));
            return 0;  // go on
        };
        opts.progress_context = const_cast<std::string*>(&outbox);
        report = db.call([&](char** out) { return gs_sync_run(db.get(), conninfo.c_str(), &opts, out); });
    } else if (what == "export-batch" || what == "export-request") {  // device: the next document to carry to a server
        Db db(a.get("--db", "gainsly.db"));
        gs_sync_options opts = GS_SYNC_OPTIONS_INIT;
        const std::string user_uid = a.get("--user-uid");
        if (!user_uid.empty()) opts.user_uid = user_uid.c_str();
        if (a.options.count("--batch")) opts.batch_rows = whole_option(a, "--batch", 1, 100000);
        std::string doc = db.text([&](char** out) {
            return what == "export-batch" ? gs_sync_export_batch(db.get(), &opts, out) : gs_sync_export_request(db.get(), &opts, out);
        });
        if (!doc.empty()) std::cout << doc << "\n";  // an empty outbox gives no batch: nothing is printed
        return;
    } else if (what == "import-ack" || what == "import-page") {  // device: the server's answer
        const std::string doc = document();
        Db db(a.get("--db", "gainsly.db"));
        if (what == "import-ack") {
            check(db.get(), gs_sync_import_ack(db.get(), doc.c_str()));
            report = db.call([&](char** out) { return gs_sync_status_get(db.get(), out); });
        } else {
            report = db.call([&](char** out) { return gs_sync_import_page(db.get(), doc.c_str(), out); });
        }
    } else if (what == "push" || what == "pull") {  // server half: answers one carried document
        std::string conninfo = server();
        const std::string role = a.get("--role");
        const std::string doc = document();
        gs_server_options opts = GS_SERVER_OPTIONS_INIT;
        if (!role.empty()) opts.account_role = role.c_str();
        gs_server* handle = nullptr;
        check(nullptr, gs_server_open(conninfo.c_str(), &opts, &handle));
        std::unique_ptr<gs_server, void (*)(gs_server*)> server(handle, gs_server_close);
        std::cout << call_text(nullptr, [&](char** out) {
            return what == "push" ? gs_server_push(server.get(), doc.c_str(), out) : gs_server_pull(server.get(), doc.c_str(), out);
        }) << "\n";
        return;
    } else {
        throw Failure{2, "sync takes no argument, or setup, account, status, export-batch, import-ack, export-request, import-page, push or pull"};
    }
    progress_done();
    if (a.flag("--json")) std::cout << report.dump(2) << "\n";
    else print_fields(report);
}

// A --name date option: checked like --date (exit 2 when malformed); "" when absent.
std::string date_option(const Args& a, const std::string& name) {
    if (!a.flag(name)) return "";
    std::string d = a.get(name);
    shift_date(d, 0);  // validates
    return d;
}

const char* or_null(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

void cmd_progress(const Args& a) {
    int64_t user = id_option(a, "--user");
    std::string from = date_option(a, "--from"), to = date_option(a, "--to");
    Db db(a.get("--db", "gainsly.db"));
    json doc = db.call([&](char** out) { return gs_progress_get(db.get(), user, or_null(from), or_null(to), out); });
    if (a.flag("--json")) {
        std::cout << doc.dump(2) << "\n";
        return;
    }
    std::printf("Progress %s .. %s (e1RM: %s)\n\n", fmt_value(doc["from"]).c_str(), fmt_value(doc["to"]).c_str(), fmt_value(doc["e1rm_formula"]).c_str());
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : doc["movements"])
        rows.push_back({fmt_value(m["name"]), std::to_string(m["history"].size()), fmt_value(m["latest"]), fmt_value(m["best"]),
                        fmt_value(m["slope_per_week"]), fmt_value(m["change_4w"]), fmt_value(m["change_12w"])});
    if (rows.empty()) std::printf("no sets with a load in this range\n");
    else print_table({"movement", "days", "e1RM", "best", "kg/week", "4 weeks", "12 weeks"}, rows);
    rows.clear();
    for (const auto& p : doc["patterns"])
        rows.push_back({fmt_value(p["pattern"]), fmt_value(p["index"]), fmt_value(p["exposures"]), fmt_value(p["trend"]),
                        fmt_value(p["slope_per_week"]), p["early_deload"] == true ? "early deload" : ""});
    if (!rows.empty()) {
        std::printf("\n");
        print_table({"pattern", "index", "exposures", "trend", "kg/week", ""}, rows);
    }
    const json& weeks = doc["volume"]["weeks"];
    if (!weeks.empty()) {
        const json& last = weeks.back();
        std::printf("\nWeek of %s: sets per muscle group against the %s window\n", fmt_value(last["week_start"]).c_str(),
                    fmt_value(doc["volume"]["window_goal"]).c_str());
        rows.clear();
        for (const auto& [group, g] : last["groups"].items()) {
            std::string window = g["window"].is_array() ? fmt_value(g["window"][0]) + "-" + fmt_value(g["window"][1]) : "-";
            rows.push_back({group, fmt_value(g["sets"]), window, fmt_value(g["status"]), fmt_value(g["tonnage"])});
        }
        print_table({"group", "sets", "window", "status", "tonnage kg"}, rows);
    }
    const json& load = doc["load"]["days"];
    rows.clear();
    for (std::size_t i = load.size() > 7 ? load.size() - 7 : 0; i < load.size(); ++i) {
        const json& d = load[i];
        rows.push_back({fmt_value(d["date"]), fmt_value(d["load"]), fmt_value(d["acwr"]), fmt_value(d["acwr_band"]), fmt_value(d["monotony"]),
                        fmt_value(d["strain"]), fmt_value(d["fitness"]), fmt_value(d["fatigue"]), fmt_value(d["performance"])});
    }
    std::printf("\nTraining load, last %zu days (ACWR %s)\n", rows.size(), fmt_value(doc["load"]["acwr_method"]).c_str());
    print_table({"date", "load", "ACWR", "zone", "monotony", "strain", "fitness", "fatigue", "performance"}, rows);
}

void print_goals(const json& goals) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : goals) {
        std::string status = fmt_value(g["status"]);
        if (g["status"] == "on_track") status += " (" + fmt_value(g["projected_date"]) + ")";
        if (g["status"] == "unmeasured") status += ": " + fmt_value(g["reason"]);
        rows.push_back({fmt_value(g["key"]), fmt_value(g["goal"]), fmt_value(g["metric"]), fmt_value(g["current"]), fmt_value(g["target"]),
                        fmt_value(g["trend_per_week"]), status});
    }
    if (rows.empty()) std::printf("no goals: neither program_goals in the current program nor a long-term goal\n");
    else print_table({"goal", "type", "metric", "current", "target", "per week", "status"}, rows);
}

void cmd_goals(const Args& a) {
    int64_t user = id_option(a, "--user");
    std::string date = date_option(a, "--date");
    json options = json::object();
    if (a.flag("--target")) options["long_term_target"] = number_arg(a.get("--target"), "--target");
    if (a.flag("--movement")) options["long_term_movement"] = a.get("--movement");
    bool checkin = a.positional.size() == 1 && a.positional[0] == "checkin";
    if (!a.positional.empty() && !checkin) throw Failure{2, "goals takes no argument, or checkin"};
    if (!checkin && !options.empty()) throw Failure{2, "--target and --movement set the long-term goal at a check-in: gainsly goals checkin"};
    Db db(a.get("--db", "gainsly.db"));
    json out;
    if (checkin) {
        std::string opts = options.dump();
        out = db.call([&](char** o) { return gs_goal_checkin(db.get(), user, or_null(date), opts.c_str(), o); });
    } else {
        out = db.call([&](char** o) { return gs_goal_list(db.get(), user, or_null(date), o); });
    }
    if (a.flag("--json")) {
        std::cout << out.dump(2) << "\n";
        return;
    }
    if (checkin) std::printf("Check-in for the week of %s\n", fmt_value(out["week_start"]).c_str());
    print_goals(checkin ? out["goals"] : out);
}

void cmd_summary(const Args& a) {
    int64_t user = id_option(a, "--user");
    std::string date = date_option(a, "--date");
    Db db(a.get("--db", "gainsly.db"));
    json s = db.call([&](char** out) { return gs_summary_get(db.get(), user, or_null(date), out); });
    if (a.flag("--json")) std::cout << s.dump(2) << "\n";
    else std::cout << s["text"].get<std::string>();
}

void cmd_ingest(const Args& a) {
    Db db(a.get("--db", "gainsly.db"));
    if (!a.positional.empty() && a.positional[0] == "tokens") {  // the accounts whose tokens need refreshing
        const int64_t user = a.flag("--user") ? id_option(a, "--user") : 0;
        json list = db.call([&](char** out) { return gs_provider_tokens_list(db.get(), user, std::stoll(a.get("--within", "3600")), out); });
        if (a.flag("--json")) std::cout << list.dump(2) << "\n";
        for (const auto& r : list)
            if (!a.flag("--json"))
                std::printf("account %s  %-15s expires %s%s\n", fmt_value(r["id"]).c_str(), fmt_value(r["provider_type"]).c_str(),
                            fmt_value(r["token_expires_at"]).c_str(), r["expired"].get<bool>() ? "  (expired)" : "");
        return;
    }
    if (a.positional.size() != 1) throw Failure{2, "ingest needs one FILE (the provider's JSON; - for stdin)"};
    const std::string account = a.get("--account");
    if (account.empty() || account.find_first_not_of("0123456789") != std::string::npos) throw Failure{2, "--account: expected an account id"};
    std::string request = "{\"account_id\": " + account + ", ";
    if (a.flag("--provider")) request += "\"provider\": " + json(a.get("--provider")).dump() + ", ";
    request += "\"payload\": " + read_input(a.positional[0]) + "\n}";
    gs_ingest_options opts = GS_INGEST_OPTIONS_INIT;
    const std::string type = a.get("--run-type", "incremental");
    if (type == "full") opts.run_type = GS_INGEST_FULL;
    else if (type == "backfill") opts.run_type = GS_INGEST_BACKFILL;
    else if (type != "incremental") throw Failure{2, "--run-type: expected incremental, full or backfill"};
    json r = db.call([&](char** out) { return gs_ingest_run(db.get(), request.c_str(), &opts, out); });
    if (a.flag("--json")) {
        std::cout << r.dump(2) << "\n";
        return;
    }
    std::printf("run %s (%s): %s  records %s: %s new, %s updated, %s unchanged, %s failed; %zu signal rows, %zu activities, %s linked\n",
                fmt_value(r["run_id"]).c_str(), fmt_value(r["provider"]).c_str(), fmt_value(r["status"]).c_str(), fmt_value(r["records"]).c_str(),
                fmt_value(r["inserted"]).c_str(), fmt_value(r["updated"]).c_str(), fmt_value(r["unchanged"]).c_str(), fmt_value(r["failed"]).c_str(),
                r["signals"].size(), r["activities"].size(), fmt_value(r["linked"]).c_str());
    for (const auto& e : r["errors"]) std::printf("  failed %s\n", e["message"].get<std::string>().c_str());
}

std::vector<Command>& commands();

void print_help(const Command& c) {
    std::printf("usage: gainsly %s %s\n\n%s\n\nCommon options: --db PATH (default ./gainsly.db), --json, --help\n", c.name, c.usage, c.help);
}

std::vector<Command>& commands() {
    static std::vector<Command> list = {
        {"init", "[--db PATH]", "Creates or migrates the database file and installs the reference catalog; prints its size.", cmd_init},
        {"show", "[summary | program ID | session ID | TABLE]", "Prints what the database holds: row counts, a program week by week, one session, or a table's rows.", cmd_show},
        {"import", "FILE [--format free-exercise-db|catalog|user|strong|hevy] [--user ID] [--mapping FILE] [--imperial]",
         "Imports exercises (open exercise-database records), catalog records in our format, a user export, or a user's training history "
         "exported by Strong or Hevy (CSV; --mapping names movements for unmatched exercise names; --imperial: lb and miles "
         "without unit columns); prints a report.",
         cmd_import},
        {"export", "--user ID [--format user|strong] [--out FILE]",
         "Writes every row the user owns as one JSON document (references as uids), or with --format strong the training log as CSV "
         "with Strong's columns.",
         cmd_export},
        {"e1rm", "LOAD REPS [--rpe RPE] [--formula epley|brzycki|lombardi|oconner|mayhew|wathan|lander]", "Estimated one-rep max of a set by every formula (or one), and by the RPE chart when an RPE is given.", cmd_e1rm},
        {"log", "workout|soreness|recovery|biometrics FILE [--user ID] | session SESSION_ID [--date YYYY-MM-DD] | activity --user ID --activity cycling|NAME --minutes N [--intensity 0-10] [--date YYYY-MM-DD] | set --user ID --workout ID --movement ID|NAME --reps N [--load KG] [--rpe RPE] [--set-type warmup|working|failure|dropset]", "Logs a workout with its top sets (JSON, see gs_workout_log), a planned session done as prescribed (loads from your e1RM and the RPE chart), one set, an activity outside the gym (adds its fatigue), soreness, recovery signals or biometrics; prints the personal records a set broke and the day's state.", cmd_log},
        {"plan", "[REQUEST.json] --user ID [--start YYYY-MM-DD] [--weeks N] [--days N | --weekdays mon,wed,fri] [--goals strength:6,hypertrophy:4] [--minutes N] [--split S] [--equipment a,b] [--progression P] [--seed N] [--time-limit MS] [--search-nodes N] [--name NAME] [--exact] | --replan PROGRAM_ID [--date YYYY-MM-DD] [--search-nodes N]",
         "Plans a program (defaults: today, 4 weeks, 3 days, strength:5,hypertrophy:5) and prints it week by week with the verified hard constraints; or re-plans the rest of a program's current week.", cmd_plan},
        {"adapt", "--program ID [--user ID] [--date YYYY-MM-DD] [--sessions N]",
         "Adapts the next sessions (default 2) of a program to the day: lighter on a red day (low readiness), for fatigued or sore "
         "muscles and inside the interference window of an activity actually done; a fresh day restores what was adapted. Prints every "
         "change with its reasons (also written into the session's notes).",
         cmd_adapt},
        {"substitute", "SESSION_EXERCISE_ID [MOVEMENT_ID|NAME] [--limit N]", "Lists ranked substitutes for a planned exercise, or swaps one in after checking every hard constraint.", cmd_substitute},
        {"sync", "--server CONNINFO [--user-uid UID] [--batch N] | status | setup --server ADMIN_CONNINFO | account --server ADMIN_CONNINFO --user-uid UID --role ROLE"
                 " | export-batch|export-request [--user-uid UID] [--batch N] | import-ack|import-page FILE | push|pull FILE --server CONNINFO [--role ROLE]",
         "Syncs the file with PostgreSQL (push, then pull; safe to repeat after any failure), prints the sync status, or, as the server's admin, sets up the server or creates an account's login role (password from GAINSLY_SYNC_PASSWORD). "
         "The documents one by one, for an app that carries them itself: export-batch/import-ack and export-request/import-page on the device (no PostgreSQL needed), push/pull on the server side.", cmd_sync},
        {"prs", "--user ID [--movement ID|NAME] [--recompute]",
         "The user's personal records, newest first: e1RM, reps at a load, load for a rep count and session volume, each with the record "
         "it beat and whether it still stands; --recompute rebuilds them from the whole log first.",
         cmd_prs},
        {"ingest", "FILE --account ID [--provider oura|whoop|garmin|apple_health|health_connect] [--run-type incremental|full|backfill] | tokens [--user ID] [--within SECONDS]",
         "Ingests a provider's payload (JSON as the provider returned it) for a provider account: stores each record once, derives "
         "recovery signals and activities, prints the run; a bad record fails alone. tokens lists the accounts whose tokens need refreshing.",
         cmd_ingest},
        {"fatigue", "--user ID [--date YYYY-MM-DD] [--days N]", "A day's muscle, systemic and CNS fatigue and readiness with its modifiers (default today, UTC), or N days ending on --date.", cmd_fatigue},
        {"progress", "--user ID [--from YYYY-MM-DD] [--to YYYY-MM-DD]", "e1RM trends per movement and pattern, the last week's sets per muscle group against its window, and the training load (ACWR, monotony, strain, Banister) of the last 7 days (default: the 12 weeks up to today).", cmd_progress},
        {"goals", "[checkin] --user ID [--date YYYY-MM-DD] [--target VALUE] [--movement NAME]", "The goals of the current program and the long-term goal with current value, trend and projected date; checkin writes the week's goal check-in (once per week; --target/--movement set the long-term goal's).", cmd_goals},
        {"summary", "--user ID [--date YYYY-MM-DD]", "The week's summary in the user's persona tone: sessions planned and done, sets per muscle group against the window, readiness and fatigue trend, goals.", cmd_summary},
    };
    return list;
}

void usage() {
    std::printf("gainsly %s - Gainsly Core command-line tool\n\nusage: gainsly COMMAND [options]\n\ncommands:\n", gs_library_version());
    for (const auto& c : commands()) std::printf("  %-11s %s\n", c.name, c.help);
    std::printf("\nRun 'gainsly COMMAND --help' for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    for (const auto& c : commands()) {
        if (c.name != std::string(argv[1])) continue;
        try {
            Args a = parse_args(argc, argv, 2);
            if (a.flag("--help")) {
                print_help(c);
                return 0;
            }
            c.run(a);
            return 0;
        } catch (const Failure& f) {
            std::string line = f.message;  // one line, whatever the message (libpq's span several)
            std::replace(line.begin(), line.end(), '\n', ' ');
            std::fprintf(stderr, "gainsly %s: %s\n", c.name, line.c_str());
            return f.exit_code;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "gainsly %s: %s\n", c.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "gainsly: unknown command '%s' (try gainsly --help)\n", argv[1]);
    return 2;
}
