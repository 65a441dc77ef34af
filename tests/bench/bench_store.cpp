// Store benchmark: the library's write and read paths against hand-written sqlite3 code on
// identical files (same schema, indexes, triggers and pragmas), measured side by side in one run.
//   insert: 100k top_set_logs in one transaction, the library's file with its sync change capture
//           against raw prepared INSERTs into a file without it (target <= 2.0x)
//   read:   one session with its session_exercises by id (target <= 1.5x)
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"
#include "timing.hpp"

using gainsly::store::Database;
using gainsly::store::json;
using gainsly::store::Row;
using bench::median;
using bench::seconds;

namespace {

struct Fixture {
    std::string path;
    int64_t user = 0, movement = 0;
    bool synced = false;  // opened as gs_db_open does: with sync's change capture
};

Fixture fresh(const std::string& dir, const std::string& name, bool synced = false) {
    Fixture f{dir + "/" + name};
    f.synced = synced;
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f.path + suffix);
    Database db(f.path);
    if (synced) gainsly::sync::install_change_capture(db);  // what gs_db_open does
    f.user = db.insert("users", {{"email", name + "@bench"}});
    f.movement = db.insert("movements", {{"name", "Bench Squat " + name}});
    return f;
}

void check(int rc, sqlite3* db) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
        std::exit(1);
    }
}

// Opens a file with the settings the library uses (WAL, synchronous FULL, foreign keys on).
sqlite3* raw_open(const std::string& path) {
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr, nullptr, nullptr), db);
    return db;
}

constexpr int kRows = 100000;

double insert_store_typed(const Fixture& f) {
    Database db(f.path);
    if (f.synced) gainsly::sync::install_change_capture(db);
    const auto& t = db.schema().table("top_set_logs");
    const auto *user = t.find("user_id"), *movement = t.find("movement_id"), *set = t.find("set_number"), *reps = t.find("reps"),
               *load = t.find("load_kg"), *rpe = t.find("rpe");
    double s = seconds([&] {
        db.begin();
        for (int i = 0; i < kRows; ++i)
            db.insert(t, Row{{user, f.user}, {movement, f.movement}, {set, int64_t(i % 5 + 1)}, {reps, int64_t(5)},
                             {load, 100.0 + i % 50}, {rpe, 8.0}});
        db.commit();
    });
    if (f.synced && gainsly::sync::Device(db).outbox_depth() < kRows) {
        std::fprintf(stderr, "insert: the sync outbox does not hold every insert\n");
        std::exit(1);
    }
    return s;
}

double insert_store_json(const Fixture& f) {
    Database db(f.path);
    return seconds([&] {
        db.begin();
        for (int i = 0; i < kRows; ++i)
            db.insert("top_set_logs", json{{"user_id", f.user}, {"movement_id", f.movement}, {"set_number", i % 5 + 1}, {"reps", 5},
                                           {"load_kg", 100.0 + i % 50}, {"rpe", 8.0}});
        db.commit();
    });
}

double insert_raw(const Fixture& f) {
    sqlite3* db = raw_open(f.path);
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO top_set_logs (user_id, movement_id, set_number, reps, load_kg, rpe, uid) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             -1, &st, nullptr),
          db);
    double s = seconds([&] {
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db);
        for (int i = 0; i < kRows; ++i) {
            std::string uid = gainsly::model::new_uuid_v7();
            sqlite3_bind_int64(st, 1, f.user);
            sqlite3_bind_int64(st, 2, f.movement);
            sqlite3_bind_int64(st, 3, i % 5 + 1);
            sqlite3_bind_int64(st, 4, 5);
            sqlite3_bind_double(st, 5, 100.0 + i % 50);
            sqlite3_bind_double(st, 6, 8.0);
            sqlite3_bind_text(st, 7, uid.c_str(), int(uid.size()), SQLITE_TRANSIENT);
            check(sqlite3_step(st), db);
            sqlite3_reset(st);
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
    });
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

// Builds 200 sessions of 8 exercises each for the read benchmark.
std::vector<int64_t> make_sessions(const Fixture& f) {
    Database db(f.path);
    std::vector<int64_t> ids;
    db.begin();
    for (int s = 0; s < 200; ++s) {
        int64_t session = db.insert("sessions", {{"user_id", f.user}, {"date", "2026-01-05"}, {"session_type", "upper"},
                                                 {"coach_notes", "Heavy bench first, then accessories."}, {"total_stimulus", 42.5}});
        for (int e = 1; e <= 8; ++e)
            db.insert("session_exercises", {{"session_id", session}, {"movement_id", f.movement}, {"session_section", "main"},
                                            {"role", "main"}, {"order_in_session", e}, {"target_sets", 4}, {"target_rep_range_min", 6},
                                            {"target_rep_range_max", 8}, {"target_rpe", 8.0}, {"default_rest_seconds", 120}});
        ids.push_back(session);
    }
    db.commit();
    return ids;
}

constexpr int kReads = 20000;

double read_store_session(const Fixture& f, const std::vector<int64_t>& ids) {
    Database db(f.path);
    size_t total = 0;
    double s = seconds([&] {
        for (int i = 0; i < kReads; ++i) {
            std::string session = db.session_text(ids[size_t(i) % ids.size()]);  // what gs_session_get returns
            total += size_t(std::count(session.begin(), session.end(), '{')) - 1;
        }
    });
    if (total != size_t(kReads) * 8) std::exit(1);
    return s;
}

double read_store(const Fixture& f, const std::vector<int64_t>& ids) {
    Database db(f.path);
    size_t total = 0;
    double s = seconds([&] {
        for (int i = 0; i < kReads; ++i) {
            int64_t id = ids[size_t(i) % ids.size()];
            // What gs_row_get + gs_row_select do: JSON text straight from the rows.
            std::string session = db.get_text("sessions", id);
            std::string exercises = db.select_text("session_exercises", json{{"session_id", id}});
            total += size_t(std::count(exercises.begin(), exercises.end(), '{'));
        }
    });
    if (total != size_t(kReads) * 8) std::exit(1);
    return s;
}

// The hand-written equivalent: the same two queries, every column read into C++ values.
double read_raw(const Fixture& f, const std::vector<int64_t>& ids) {
    sqlite3* db = raw_open(f.path);
    sqlite3_stmt *qs = nullptr, *qe = nullptr;
    check(sqlite3_prepare_v2(db, "SELECT * FROM sessions WHERE id = ?", -1, &qs, nullptr), db);
    check(sqlite3_prepare_v2(db, "SELECT * FROM session_exercises WHERE session_id = ? ORDER BY id", -1, &qe, nullptr), db);
    struct Value {
        int type;
        int64_t i;
        double d;
        std::string s;
    };
    size_t total = 0;
    auto read_row = [](sqlite3_stmt* st, std::vector<Value>& out) {
        int n = sqlite3_column_count(st);
        out.resize(size_t(n));
        for (int c = 0; c < n; ++c) {
            Value& v = out[size_t(c)];
            v.type = sqlite3_column_type(st, c);
            if (v.type == SQLITE_INTEGER) v.i = sqlite3_column_int64(st, c);
            else if (v.type == SQLITE_FLOAT) v.d = sqlite3_column_double(st, c);
            else if (v.type == SQLITE_TEXT) v.s.assign(reinterpret_cast<const char*>(sqlite3_column_text(st, c)), size_t(sqlite3_column_bytes(st, c)));
        }
    };
    double s = seconds([&] {
        for (int i = 0; i < kReads; ++i) {
            int64_t id = ids[size_t(i) % ids.size()];
            std::vector<Value> session;
            std::vector<std::vector<Value>> exercises;
            sqlite3_bind_int64(qs, 1, id);
            if (sqlite3_step(qs) == SQLITE_ROW) read_row(qs, session);
            sqlite3_reset(qs);
            sqlite3_bind_int64(qe, 1, id);
            while (sqlite3_step(qe) == SQLITE_ROW) read_row(qe, exercises.emplace_back());
            sqlite3_reset(qe);
            total += exercises.size();
        }
    });
    if (total != size_t(kReads) * 8) std::exit(1);
    sqlite3_finalize(qs);
    sqlite3_finalize(qe);
    sqlite3_close(db);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string() + "/gainsly-bench";
    std::filesystem::create_directories(dir);
    const int runs = 3;
    std::vector<double> typed, synced, js, raw, rs, rr, rsess;
    for (int r = 0; r < runs; ++r) {  // alternate so drift in machine load hits both sides alike
        raw.push_back(insert_raw(fresh(dir, "raw")));
        typed.push_back(insert_store_typed(fresh(dir, "typed")));
        synced.push_back(insert_store_typed(fresh(dir, "synced", true)));
        js.push_back(insert_store_json(fresh(dir, "json")));
    }
    Fixture rf = fresh(dir, "read");
    auto ids = make_sessions(rf);
    for (int r = 0; r < runs; ++r) {
        rr.push_back(read_raw(rf, ids));
        rs.push_back(read_store(rf, ids));
        rsess.push_back(read_store_session(rf, ids));
    }
    double raw_s = median(raw), typed_s = median(typed), json_s = median(js), rr_s = median(rr), rs_s = median(rs);
    std::printf("insert 100k top_set_logs, one transaction (median of %d):\n", runs);
    std::printf("  raw sqlite3 prepared INSERT   %7.3f s  (%6.0f rows/s)\n", raw_s, kRows / raw_s);
    std::printf("  store, typed rows             %7.3f s  ratio %.2fx\n", typed_s, typed_s / raw_s);
    std::printf("  store, typed, sync capture    %7.3f s  ratio %.2fx  (target <= 2.0x)\n", median(synced), median(synced) / raw_s);
    std::printf("  store, JSON rows (gs_row_insert)  %7.3f s  ratio %.2fx\n", json_s, json_s / raw_s);
    std::printf("read one session + 8 exercises by id, %d reads (median of %d):\n", kReads, runs);
    std::printf("  raw sqlite3 query             %7.3f s  (%5.1f us/read)\n", rr_s, 1e6 * rr_s / kReads);
    std::printf("  store session_text (gs_session_get) %7.3f s  ratio %.2fx  (target <= 1.5x)\n", median(rsess), median(rsess) / rr_s);
    std::printf("  store gs_row_get + gs_row_select paths      %7.3f s  ratio %.2fx\n", rs_s, rs_s / rr_s);
    std::filesystem::remove_all(dir);
    return 0;
}
