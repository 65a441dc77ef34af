// gainsly: the command-line tool over the C ABI (it uses only include/gainsly/gainsly.h, like an app).
// Human-readable tables by default, --json for scripts; exit 0 on success, 1 with a one-line message
// on error, 2 on a usage error.
#include <gainsly/gainsly.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
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

const std::vector<std::string> value_options = {"--db", "--format", "--user", "--rpe", "--formula", "--file", "--out"};

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

// An open database handle, closed on scope exit.
class Db {
public:
    explicit Db(const std::string& path) {
        if (gs_open(path.c_str(), &db_) != GS_OK) throw Failure{1, std::string("cannot open ") + path + ": " + gs_errmsg(nullptr)};
    }
    ~Db() { gs_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    gs_db* get() const { return db_; }
    // Calls a gs_* function that returns JSON through char** and gives it back parsed.
    json call(const std::function<int32_t(char**)>& f) const {
        char* out = nullptr;
        int32_t rc = f(&out);
        if (rc != GS_OK) throw Failure{1, std::string(gs_status_name(rc)) + ": " + gs_errmsg(db_)};
        json result = out ? json::parse(out) : json();
        gs_free(out);
        return result;
    }

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
        counts[t] = db.call([&](char** out) { return gs_select(db.get(), t, nullptr, out); }).size();
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
        if (mid && !names.count(mid)) names[mid] = fmt_value(db.call([&](char** out) { return gs_get(db.get(), "movements", mid, out); })["name"]);
        std::string reps = e["target_rep_range_min"].is_null() ? (e["target_duration_seconds"].is_null() ? "" : fmt_value(e["target_duration_seconds"]) + "s")
                                                              : fmt_value(e["target_rep_range_min"]) + "-" + fmt_value(e["target_rep_range_max"]);
        std::printf("      %-9s %-34s %s x %-7s @RPE %-4s rest %ss%s\n", fmt_value(e["session_section"]).c_str(),
                    (mid ? names[mid] : std::string("circuit")).substr(0, 34).c_str(), fmt_value(e["target_sets"]).c_str(), reps.c_str(),
                    fmt_value(e["target_rpe"]).c_str(), fmt_value(e["default_rest_seconds"]).c_str(),
                    e["superset_group"].is_null() ? "" : (" [superset " + fmt_value(e["superset_group"]) + "]").c_str());
    }
}

void show_program(const Db& db, int64_t program_id, bool as_json) {
    json program = db.call([&](char** out) { return gs_get(db.get(), "programs", program_id, out); });
    json micro = db.call([&](char** out) { return gs_select(db.get(), "microcycles", json{{"program_id", program_id}}.dump().c_str(), out); });
    json sessions = db.call([&](char** out) { return gs_select(db.get(), "sessions", json{{"program_id", program_id}}.dump().c_str(), out); });
    for (auto& s : sessions) s = db.call([&](char** out) { return gs_get_session(db.get(), s["id"].get<int64_t>(), out); });
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
        json s = db.call([&](char** out) { return gs_get_session(db.get(), id_arg(), out); });
        if (as_json) std::cout << s.dump(2) << "\n";
        else show_session(db, s, true);
        return;
    }
    if (what != "summary") {  // a table: all its rows
        json rows = db.call([&](char** out) { return gs_select(db.get(), what.c_str(), nullptr, out); });
        std::cout << rows.dump(as_json ? 2 : -1) << "\n";
        return;
    }
    json counts = json::object();
    for (const char* t : table_names) counts[t] = db.call([&](char** out) { return gs_select(db.get(), t, nullptr, out); }).size();
    json programs = db.call([&](char** out) { return gs_select(db.get(), "programs", nullptr, out); });
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

void cmd_import(const Args& a) {
    if (a.positional.empty()) throw Failure{2, "import needs a FILE (or - for stdin)"};
    std::string format = a.get("--format", "free-exercise-db");
    std::map<std::string, int32_t> formats = {{"user", GS_IMPORT_USER_EXPORT}, {"catalog", GS_IMPORT_CATALOG},
                                              {"free-exercise-db", GS_IMPORT_FREE_EXERCISE_DB}};
    if (!formats.count(format)) throw Failure{2, "--format must be user, catalog or free-exercise-db"};
    Db db(a.get("--db", "gainsly.db"));
    progress("reading " + a.positional[0] + " ...");
    std::string text = read_input(a.positional[0]);
    progress("importing " + std::to_string(text.size() / 1024) + " KiB ...");
    json report = db.call([&](char** out) { return gs_import(db.get(), formats[format], text.c_str(), out); });
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
    json doc = db.call([&](char** out) { return gs_export_user(db.get(), user, out); });
    std::string text = doc.dump(a.flag("--json") ? -1 : 2);
    if (a.options.count("--out")) {
        std::ofstream(a.get("--out")) << text << "\n";
        std::fprintf(stderr, "wrote %s\n", a.get("--out").c_str());
    } else {
        std::cout << text << "\n";
    }
}

std::vector<Command>& commands();

void print_help(const Command& c) {
    std::printf("usage: gainsly %s %s\n\n%s\n\nCommon options: --db PATH (default ./gainsly.db), --json, --help\n", c.name, c.usage, c.help);
}

std::vector<Command>& commands() {
    static std::vector<Command> list = {
        {"init", "[--db PATH]", "Creates or migrates the database file and installs the reference catalog; prints its size.", cmd_init},
        {"show", "[summary | program ID | session ID | TABLE]", "Prints what the database holds: row counts, a program week by week, one session, or a table's rows.", cmd_show},
        {"import", "FILE [--format free-exercise-db|catalog|user]", "Imports exercises (open exercise-database records), catalog records in our format, or a user export; prints a report.", cmd_import},
        {"export", "--user ID [--out FILE]", "Writes every row the user owns as one JSON document (references as uids).", cmd_export},
    };
    return list;
}

void usage() {
    std::printf("gainsly %s - Gainsly Core command-line tool\n\nusage: gainsly COMMAND [options]\n\ncommands:\n", gs_version());
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
            std::fprintf(stderr, "gainsly %s: %s\n", c.name, f.message.c_str());
            return f.exit_code;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "gainsly %s: %s\n", c.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "gainsly: unknown command '%s' (try gainsly --help)\n", argv[1]);
    return 2;
}
