// Faults: the connection cut (the device's server backend terminated from an admin connection)
// at every step of push and pull, and the device process killed with SIGKILL mid-sync (at server
// round trips, inside its own SQLite transactions, and at random moments). After recovery (the
// device simply syncs again) nothing is lost, nothing is doubled, every batch was applied once,
// and both files pass PRAGMA integrity_check.
//
// Each trial: device A and device B share an account; both hold a synced baseline; each edits its
// own half offline (inserts of parents and children, updates, deletes with cascades); B syncs;
// A's sync is interrupted; A recovers; B syncs again. The expected rows are the baseline with both
// halves' edits, and every device and the server must hold exactly them.
// Knobs: GAINSLY_SYNC_FAULT_TRIALS (per test case; default 52 cuts, 60 kills), GAINSLY_SYNC_SEED.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "sync_fixture.hpp"

extern char** environ;

using namespace synctest;

namespace {

uint64_t env_u64(const char* name, uint64_t fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

const std::vector<std::string> steps = {"push.begin", "push.device", "push.copy",   "push.delete", "push.table",   "push.gc",  "push.commit",
                                        "push.committed", "pull.begin", "pull.snapshot", "pull.changes", "pull.rows", "pull.done"};

constexpr int batch_rows = 3;  // small batches and pages: every step happens several times

// The baseline plus the edits of two devices on disjoint rows (per column: the device that
// changed it from the baseline; a row either deleted is gone).
Dump merge(const Dump& base, const Dump& x, const Dump& y) {
    Dump out = base;
    for (const Dump* d : {&x, &y})
        for (const auto& [table, rows] : *d)
            for (const auto& [uid, row] : rows) {
                auto bt = base.find(table);
                const auto* brow = bt == base.end() ? nullptr : (bt->second.count(uid) ? &bt->second.at(uid) : nullptr);
                if (!brow) {
                    out[table][uid] = row;
                    continue;
                }
                for (const auto& [c, v] : row)
                    if (brow->at(c) != v) out[table][uid][c] = v;
            }
    for (const auto& [table, rows] : base)
        for (const auto& [uid, row] : rows) {
            auto in = [&table = table, &uid = uid](const Dump& d) {  // explicit captures: clang 14 cannot capture bindings
                auto it = d.find(table);
                return it != d.end() && it->second.count(uid);
            };
            if (!in(x) || !in(y)) out[table].erase(uid);
        }
    return out;
}

class Trial {
public:
    Trial(PgDb& pgdb, TempDir& dir, uint64_t seed, int n) : pgdb_(pgdb), rng_(seed) {
        path_a = dir.file("a" + std::to_string(n) + ".db");
        path_b = dir.file("b" + std::to_string(n) + ".db");
        a = new_device(path_a);
        a->begin();  // one commit (and fsync) for the baseline
        mv_ = {one_id(*a, "SELECT id FROM movements ORDER BY id LIMIT 1"), one_id(*a, "SELECT id FROM movements ORDER BY id LIMIT 1 OFFSET 5")};
        int64_t u = a->insert("users", {{"email", "f" + std::to_string(seed) + "_" + std::to_string(n) + "@example.com"}, {"name", "F"}});
        user = uid_of(*a, "users", u);
        a->insert("user_settings", {{"user_id", u}, {"use_metric", true}});
        for (int p = 0; p < 4; ++p) {
            int64_t prog = program(*a, "Base " + std::to_string(p));
            for (int s = 0; s < 2; ++s) {
                int64_t sess = session(*a, prog);
                exercise(*a, sess);
                exercise(*a, sess);
                set(*a, sess, set_no_++);
                set(*a, sess, set_no_++);
            }
        }
        a->commit();
        conn = pgdb.account(user);
        sync::sync(*a, conn, options(user));
        b = new_device(path_b);
        b_server = std::make_unique<sync::Server>(conn, 60000);
        sync::sync(*b, *b_server, options(user));
        baseline = device_dump(*a);
        REQUIRE(diff(baseline, device_dump(*b), "a", "b") == "");
        a->begin();
        edit_a();
        a->commit();
        b->begin();
        edit_b();
        b->commit();
        expected = merge(baseline, device_dump(*a), device_dump(*b));
    }

    // A writes a poison row (a workout log whose duration PostgreSQL's integer cannot hold, as an
    // older file could hold it) and a set under it: both stay on A, quarantined, until corrected.
    void add_poison() {
        Database& db = *a;
        poison_log = db.insert("workout_logs", {{"user_id", user_id(db)}, {"workout_date", "2026-03-05"}, {"duration_seconds", 60}});
        poison(db, "workout_logs", poison_log, "duration_seconds", "3000000000");
        int64_t set = db.insert("top_set_logs", {{"user_id", user_id(db)}, {"workout_log_id", poison_log}, {"set_number", 900}, {"reps", 5}, {"load_kg", 80.0}});
        const Dump now = device_dump(db);
        for (const auto& [table, id] : {std::pair<std::string, int64_t>{"workout_logs", poison_log}, {"top_set_logs", set}}) {
            const std::string uid = uid_of(db, table, id);
            held_on_a.insert({table, uid});
            expected[table][uid] = now.at(table).at(uid);
        }
    }
    // The poison row corrected on A: it and its set sync to everyone.
    void correct_poison() {
        const std::string uid = uid_of(*a, "workout_logs", poison_log);  // (ids survive kills: the row was committed before)
        a->update("workout_logs", poison_log, {{"duration_seconds", 60}});
        expected["workout_logs"][uid] = device_dump(*a).at("workout_logs").at(uid);
        held_on_a.clear();
    }

    // Every device and the server hold exactly the expected rows (A's quarantined rows only on A,
    // listed by its status); "" when so.
    std::string verify() {
        Dump shared = expected;  // what B and the server hold
        for (const auto& [table, uid] : held_on_a) shared[table].erase(uid);
        const json status = sync::Device(*a).status();
        if (status["quarantined"] != held_on_a.size()) return "device A: " + status["quarantined"].dump() + " quarantined rows, expected " + std::to_string(held_on_a.size());
        for (const auto& e : status["quarantine"])
            if (!held_on_a.count({e["table"].get<std::string>(), e["uid"].get<std::string>()})) return "device A: quarantined " + e.dump();
        for (auto* dev : {a.get(), b.get()}) {
            const char* name = dev == a.get() ? "device A" : "device B";
            std::string d = diff(device_dump(*dev), dev == a.get() ? expected : shared, name, "expected");
            if (!d.empty()) return d;
            if (sync::Device(*dev).outbox_depth() != 0) return std::string(name) + ": outbox not empty";
            if (one_id(*dev, "SELECT count(*) FROM gs_sync_parked") != 0) return std::string(name) + ": parked rows left";
            if (one_id(*dev, "SELECT count(*) FROM gs_sync_inflight") != 0) return std::string(name) + ": a batch still in flight";
            if (integrity(*dev) != "ok") return std::string(name) + ": integrity_check failed";
        }
        std::string d = diff(server_dump(pgdb_, user), shared, "server", "expected");
        if (!d.empty()) return d;
        // Nothing doubled: raw row counts (the dumps are keyed by uid) and one device row each.
        std::string counts;
        for (const auto& st : sync::layout())
            if (!st.catalog)
                counts += std::string(counts.empty() ? "" : " UNION ALL ") + "SELECT " + pg::literal(st.name()) + ", count(*) FROM \"" + st.name() +
                          "\" WHERE gs_owner = $1";
        auto r = pgdb_.conn().exec(counts, {user});
        for (int i = 0; i < r.rows(); ++i) {
            std::string table(r.text(i, 0));
            auto it = shared.find(table);
            int64_t want = it == shared.end() ? 0 : int64_t(it->second.size()), have = r.integer(i, 1);
            if (have != want) return table + ": " + std::to_string(have) + " rows on the server, expected " + std::to_string(want);
        }
        if (pgdb_.scalar("SELECT count(*) FROM gs_devices WHERE owner = $1", {user}) != 2) return "gs_devices: not one row per device";
        // Exactly once: the server's last applied mutation of A is A's last batch.
        std::string dev_a = a->meta("sync.device");
        int64_t server_mutation = pgdb_.scalar("SELECT mutation FROM gs_devices WHERE owner = $1 AND device = $2", {user, dev_a});
        int64_t device_mutation = std::stoll(a->meta("sync.mutation", "0"));
        if (server_mutation != device_mutation)
            return "mutation: server " + std::to_string(server_mutation) + ", device " + std::to_string(device_mutation);
        return "";
    }

    std::unique_ptr<Database> a, b;
    std::unique_ptr<sync::Server> b_server;  // B keeps its connection through the trial
    std::string path_a, path_b, user, conn;
    Dump baseline, expected;
    std::set<std::pair<std::string, std::string>> held_on_a;  // (table, uid) quarantined on A
    int64_t poison_log = 0;

private:
    int pick(int n) { return int(rng_() % uint64_t(n)); }
    int64_t user_id(Database& db) { return one_id(db, "SELECT id FROM users"); }
    int64_t program(Database& db, const std::string& name) {
        return db.insert("programs", {{"user_id", user_id(db)}, {"name", name}, {"duration_weeks", 1 + pick(8)}});
    }
    int64_t session(Database& db, int64_t prog) {
        return db.insert("sessions", {{"user_id", user_id(db)}, {"program_id", prog}, {"date", "2026-03-0" + std::to_string(1 + pick(9))}});
    }
    int64_t exercise(Database& db, int64_t sess) {
        return db.insert("session_exercises", {{"session_id", sess}, {"movement_id", mv_[size_t(pick(2))]}, {"session_section", "main"},
                                               {"order_in_session", 1 + pick(5)}, {"target_sets", 1 + pick(5)}});
    }
    int64_t set(Database& db, int64_t sess, int number) {
        return db.insert("top_set_logs", {{"user_id", user_id(db)}, {"session_id", sess}, {"movement_id", mv_[0]}, {"set_number", number},
                                          {"reps", 1 + pick(10)}, {"load_kg", 20.0 + pick(100)}});
    }
    // The baseline programs in uid order, as ids on `db`.
    std::vector<int64_t> programs(Database& db) {
        std::vector<int64_t> out;
        gainsly::sqlite::Statement s(db.sql(), "SELECT id FROM programs ORDER BY uid");
        while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
        return out;
    }
    std::vector<int64_t> ids(Database& db, const std::string& sql) {
        std::vector<int64_t> out;
        gainsly::sqlite::Statement s(db.sql(), sql);
        while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
        return out;
    }
    std::string in(int64_t id) { return std::to_string(id); }

    // A edits programs 0 and 2 (and the user row); B edits programs 1 and 3 (and the settings).
    void edit_a() {
        Database& db = *a;
        auto progs = programs(db);
        int64_t p = program(db, "A new");
        for (int s = 0, n = 1 + pick(2); s < n; ++s) {
            int64_t sess = session(db, p);
            for (int e = 0, m = 1 + pick(2); e < m; ++e) exercise(db, sess);
            set(db, sess, 100 + set_no_++);
        }
        db.update("programs", progs[0], {{"name", "A renamed"}});
        auto s0 = ids(db, "SELECT id FROM sessions WHERE program_id = " + in(progs[0]) + " ORDER BY uid");
        db.update("sessions", s0[0], {{"coach_notes", "A notes " + std::to_string(pick(100))}});
        auto sets0 = ids(db, "SELECT id FROM top_set_logs WHERE session_id = " + in(s0[0]) + " ORDER BY uid");
        db.update("top_set_logs", sets0[0], {{"reps", 11}, {"notes", "A"}});
        if (pick(2)) db.remove("top_set_logs", sets0[1]);
        auto ex1 = ids(db, "SELECT id FROM session_exercises WHERE session_id = " + in(s0[1]) + " ORDER BY uid");
        db.remove("session_exercises", ex1[0]);
        auto s2 = ids(db, "SELECT id FROM sessions WHERE program_id = " + in(progs[2]) + " ORDER BY uid");
        db.remove("sessions", s2[0]);  // its exercises go, its sets keep with no session
        db.update("users", user_id(db), {{"name", "A" + std::to_string(pick(100))}, {"persona_aggression", 1 + pick(5)}});
    }

    void edit_b() {
        Database& db = *b;
        auto progs = programs(db);
        int64_t p = program(db, "B new");
        int64_t sess = session(db, p);
        exercise(db, sess);
        set(db, sess, 500 + set_no_++);
        db.update("programs", progs[1], {{"name", "B renamed"}, {"duration_weeks", 12}});
        auto s1 = ids(db, "SELECT id FROM sessions WHERE program_id = " + in(progs[1]) + " ORDER BY uid");
        db.update("sessions", s1[1], {{"coach_notes", "B notes"}});
        auto ex = ids(db, "SELECT id FROM session_exercises WHERE session_id = " + in(s1[0]) + " ORDER BY uid");
        db.update("session_exercises", ex[0], {{"target_sets", 6}});
        auto sets = ids(db, "SELECT id FROM top_set_logs WHERE session_id = " + in(s1[1]) + " ORDER BY uid");
        db.remove("top_set_logs", sets[0]);
        if (pick(2)) db.remove("programs", progs[3]);  // cascades to its sessions and their exercises
        db.update("user_settings", one_id(db, "SELECT id FROM user_settings"), {{"use_metric", false}});
    }

    PgDb& pgdb_;
    std::mt19937_64 rng_;
    std::vector<int64_t> mv_;
    int set_no_ = 1;
};

// Terminates a backend from the admin connection and waits until it is gone (polling: the
// built-in wait of pg_terminate_backend sleeps in 100 ms steps).
void terminate(PgDb& pgdb, int pid) {
    const std::string p = std::to_string(pid);
    REQUIRE(pgdb.scalar("SELECT pg_terminate_backend($1)::int", {p}) == 1);
    for (int i = 0; i < 10000 && pgdb.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", {p}) > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void fail_trial(uint64_t seed, int trial, const std::string& what, const std::string& failure) {
    std::fprintf(stderr, "fault trial failed: GAINSLY_SYNC_SEED=%llu trial %d (%s): %s\n", static_cast<unsigned long long>(seed), trial, what.c_str(),
                 failure.c_str());
    FAIL_CHECK("trial " << trial << " (" << what << "): " << failure);
}

// B syncs with its own connection; used before and after A's interrupted sync.
void sync_b(Trial& t) { sync::sync(*t.b, *t.b_server, options(t.user, batch_rows)); }

#ifndef SYNC_WORKER
#define SYNC_WORKER "sync_worker"
#endif

// Runs the worker on A's file; optionally SIGKILLs it after delay_ms. Returns the wait status.
int run_worker(Trial& t, const std::string& mode, int delay_ms) {
    std::string rows = std::to_string(batch_rows);
    std::vector<std::string> args = {SYNC_WORKER, t.path_a, t.conn, t.user, rows, mode};
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, SYNC_WORKER, nullptr, nullptr, argv.data(), environ) == 0);
    if (delay_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

// Recovery is simply syncing again; then both devices and the server must agree.
std::string recover(Trial& t) {
    sync::sync(*t.a, t.conn, options(t.user, batch_rows));
    sync_b(t);
    return t.verify();
}

// A's sync with its connection cut at the k-th round trip named `step`. Returns "" when the sync
// failed as a cut connection should (or ran past the step); sets *cut when the cut happened.
std::string cut_sync(PgDb& pgdb, Trial& t, const std::string& step, int k, bool* cut_out) {
    sync::Server server(t.conn, 60000);
    const int pid = server.connection().backend_pid();
    bool cut = false;
    int seen = 0;
    sync::Options o = options(t.user, batch_rows);
    server.connection().on_step = [&](std::string_view name) {
        if (cut || name != step || ++seen != k) return;
        cut = true;
        terminate(pgdb, pid);
        // After these the server has answered: the answer is lost with the connection.
        if (step == "push.committed" || step == "pull.done") throw gainsly::Error(gainsly::Status::io, "PostgreSQL connection lost (fault test)");
    };
    std::string failure;
    try {
        sync::sync(*t.a, server, o);
        if (cut) failure = "the sync succeeded over a terminated connection";
    } catch (const gainsly::Error& e) {
        if (!cut) failure = std::string("failed without a fault: ") + e.what();
        else if (e.status() != gainsly::Status::io) failure = std::string("not an I/O error: ") + e.what();
    }
    *cut_out = cut;
    return failure;
}

// A's sync in the worker process, SIGKILLed per `mode` (after delay_ms for "none"), then A's file
// reopened. Returns "" or the failure; sets *died when the process was killed.
std::string kill_sync(Trial& t, const std::string& mode, int delay_ms, bool* died_out) {
    t.a.reset();  // the worker process owns the file now
    int status = run_worker(t, mode, delay_ms);
    *died_out = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!*died_out && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) return "the worker failed (status " + std::to_string(status) + ")";
    t.a = gainsly::capi::open_database(t.path_a.c_str());
    if (integrity(*t.a) != "ok") return "device A: integrity_check failed after the kill";
    return "";
}

// The kill modes: every server round trip, inside the device's export, acknowledgement and apply
// transactions, and random moments ("none": killed after a delay).
std::vector<std::string> kill_modes() {
    std::vector<std::string> modes;
    for (const auto& s : steps) modes.push_back("step:" + s + ":1");
    for (const char* m : {"export:1", "export:2", "ack:1", "ack:2", "apply:1", "apply:3", "apply:6", "none", "none", "none"}) modes.push_back(m);
    return modes;
}

}  // namespace

TEST_SUITE("faults") {
    TEST_CASE("the connection cut at every step of push and pull: nothing lost, nothing doubled") {
        PgDb pgdb;
        TempDir dir;
        const uint64_t seed = env_u64("GAINSLY_SYNC_SEED", std::random_device{}());
        const int trials = int(env_u64("GAINSLY_SYNC_FAULT_TRIALS", 52));
        std::map<std::string, int> cut_at;
        int cuts = 0;
        for (int i = 0; i < trials; ++i) {
            const std::string step = steps[size_t(i) % steps.size()];
            const int k = 1 + (i / int(steps.size())) % 3;
            const std::string what = "cut at " + step + " #" + std::to_string(k);
            std::string failure;
            try {
                Trial t(pgdb, dir, seed + uint64_t(i), i);
                sync_b(t);
                bool cut = false;
                failure = cut_sync(pgdb, t, step, k, &cut);
                if (cut) {
                    ++cuts;
                    ++cut_at[step];
                }
                if (failure.empty()) failure = recover(t);
            } catch (const std::exception& e) {
                failure = std::string("exception: ") + e.what();
            }
            if (!failure.empty()) {
                fail_trial(seed, i, what, failure);
                return;
            }
        }
        MESSAGE(trials << " trials (seed " << seed << "), " << cuts << " connections cut");
        if (trials >= int(steps.size())) {
            for (const auto& s : steps) CHECK_MESSAGE(cut_at[s] > 0, "never cut at " << s);
            if (trials >= 52) CHECK(cuts >= 50);
        }
    }

    TEST_CASE("the device process killed with SIGKILL mid-sync: nothing lost, nothing doubled, files intact") {
        PgDb pgdb;
        TempDir dir;
        const uint64_t seed = env_u64("GAINSLY_SYNC_SEED", std::random_device{}()) ^ 0x5151;
        const int trials = int(env_u64("GAINSLY_SYNC_FAULT_TRIALS", 60));
        std::mt19937_64 rng(seed);
        const std::vector<std::string> modes = kill_modes();
        std::map<std::string, int> deaths;
        int killed = 0;
        for (int i = 0; i < trials; ++i) {
            std::string mode = modes[size_t(i) % modes.size()];
            const int round = i / int(modes.size());
            if (round > 0 && mode.rfind("step:", 0) == 0) mode = mode.substr(0, mode.size() - 1) + std::to_string(1 + round % 3);
            const int delay = mode == "none" ? 5 + int(rng() % 150) : -1;
            const std::string what = mode == "none" ? "SIGKILL after " + std::to_string(delay) + " ms" : "SIGKILL at " + mode;
            std::string failure;
            try {
                Trial t(pgdb, dir, seed + uint64_t(i), i);
                sync_b(t);
                bool died = false;
                failure = kill_sync(t, mode, delay, &died);
                if (died) {
                    ++killed;
                    ++deaths[mode.substr(0, mode.find(':'))];
                }
                if (failure.empty()) failure = recover(t);
            } catch (const std::exception& e) {
                failure = std::string("exception: ") + e.what();
            }
            if (!failure.empty()) {
                fail_trial(seed, i, what, failure);
                return;
            }
        }
        std::string where;
        for (const auto& [k, n] : deaths) where += " " + k + "=" + std::to_string(n);
        MESSAGE(trials << " trials (seed " << seed << "), " << killed << " processes killed mid-sync:" << where);
        if (trials >= 60) CHECK(killed >= 50);
    }
}

// The nemesis: every trial mixes, at random (from the trial's seed), wrong device clocks (2100,
// near the largest clock, 1970), a device file restored from a backup taken before its sync,
// aggressive garbage collection (every push collects every tombstone), poison rows on A (a value
// the server refuses, and a child of that row) and a kill or a cut of A's sync. After recovery the
// same invariants as above hold (the poison rows only on A, listed by its status, on no other
// device nor the server; once corrected on A, everywhere), and no clock the server holds is past
// its time plus the skew bound, nor is any clock adopted by a device whose own clock is sane.
// Knobs: GAINSLY_SYNC_NEMESIS_TRIALS (default 200), GAINSLY_SYNC_SEED, GAINSLY_SYNC_NEMESIS_ONLY
// (replays one trial of the seed).
TEST_SUITE("nemesis") {
    TEST_CASE("nemesis: wrong clocks, restored files, GC and poison rows mixed with kills and cuts") {
        PgDb pgdb;
        TempDir dir;
        const uint64_t seed = env_u64("GAINSLY_SYNC_SEED", std::random_device{}()) ^ 0x4e454d;
        const int trials = int(env_u64("GAINSLY_SYNC_NEMESIS_TRIALS", 200));
        const int only = int(env_u64("GAINSLY_SYNC_NEMESIS_ONLY", uint64_t(-1)));
        const std::vector<std::string> modes = kill_modes();
        constexpr int64_t skew_ms = 5 * 60 * 1000, year_2100 = 4102444800000;
        // Wall times a device's clock may say: right (0), 2100, the largest there is, 1970.
        const int64_t wrong[] = {0, 0, 0, year_2100, INT64_MAX, 1};
        std::map<std::string, int> mix;
        const auto start = std::chrono::steady_clock::now();
        int run = 0;
        for (int i = 0; i < trials; ++i) {
            if (only >= 0 && i != only) continue;
            std::mt19937_64 r(seed + uint64_t(i) * 7919);
            const int64_t clock_a = wrong[r() % 6], clock_b = wrong[r() % 6];
            const bool restore = r() % 3 == 0, gc = r() % 2 == 0;
            const int fault = int(r() % 5);  // 0-1 cut, 2-3 kill, 4 none
            const bool poisoned = r() % 3 == 0;
            std::string what = std::string(restore ? "restored A, " : "") + (gc ? "GC, " : "") + (poisoned ? "poison row on A, " : "");
            if (clock_a) what += "A's clock " + std::to_string(clock_a) + ", ";
            if (clock_b) what += "B's clock " + std::to_string(clock_b) + ", ";
            std::string step, mode;
            int k = 1 + int(r() % 3), delay = -1;
            if (fault < 2) {
                step = steps[r() % steps.size()];
                what += "cut at " + step + " #" + std::to_string(k);
            } else if (fault < 4) {
                mode = modes[r() % modes.size()];
                if (mode.rfind("step:", 0) == 0) mode = mode.substr(0, mode.size() - 1) + std::to_string(k);
                if (mode == "none") delay = 5 + int(r() % 150);
                what += mode == "none" ? "SIGKILL after " + std::to_string(delay) + " ms" : "SIGKILL at " + mode;
            } else {
                what += "no interruption";
            }
            ++mix[restore ? "restored" : "not restored"];
            if (gc) ++mix["gc"];
            if (poisoned) ++mix["poison"];
            if (clock_a || clock_b) ++mix["wrong clock"];
            ++mix[fault < 2 ? "cut" : fault < 4 ? "kill" : "plain"];
            if (std::getenv("GAINSLY_SYNC_TRACE")) std::fprintf(stderr, "nemesis trial %d: %s\n", i, what.c_str());
            std::string failure;
            try {
                // Every push collects every tombstone (older than 0 seconds) of the account.
                pgdb.conn().exec("UPDATE gs_server_meta SET value = $1 WHERE key = 'gc_horizon_seconds'", {std::string(gc ? "0" : "2592000")});
                Trial t(pgdb, dir, seed + uint64_t(i), i);
                if (clock_a) set_write_time(*t.a, clock_a);
                if (clock_b) set_write_time(*t.b, clock_b);
                sync_b(t);
                if (restore) {  // A syncs fully, then its file is put back as it was before
                    const std::string copy = t.path_a + ".backup";
                    t.a->sql().exec("VACUUM INTO '" + copy + "'");
                    sync::sync(*t.a, t.conn, options(t.user, batch_rows));
                    sync_b(t);
                    t.a.reset();
                    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(t.path_a + suffix);
                    std::filesystem::rename(copy, t.path_a);
                    t.a = gainsly::capi::open_database(t.path_a.c_str());
                }
                if (poisoned) t.add_poison();  // after the restore: its uid is younger than A's last push
                bool hit = false;
                if (fault < 2) failure = cut_sync(pgdb, t, step, k, &hit);
                else if (fault < 4) failure = kill_sync(t, mode, delay, &hit);
                if (hit) ++mix["interrupted"];
                if (failure.empty()) failure = recover(t);
                if (failure.empty() && poisoned) {  // corrected on A, it reaches everyone
                    t.correct_poison();
                    failure = recover(t);
                }
                const int64_t limit = server_now_ms(pgdb) + skew_ms;
                if (failure.empty() && sync::hlc::millis(server_max_clock(pgdb, t.user)) > limit)
                    failure = "the server holds a clock past its time plus the skew";
                for (auto* dev : {t.a.get(), t.b.get()}) {
                    const bool sane = (dev == t.a.get() ? clock_a : clock_b) == 0;
                    if (failure.empty() && sane && sync::hlc::millis(std::stoll(dev->meta("sync.hlc", "0"))) > limit)
                        failure = std::string(dev == t.a.get() ? "A" : "B") + " adopted a clock past the bound";
                }
            } catch (const std::exception& e) {
                failure = std::string("exception: ") + e.what();
            }
            ++run;
            if (!failure.empty()) {
                std::fprintf(stderr, "nemesis trial failed: GAINSLY_SYNC_SEED=%llu GAINSLY_SYNC_NEMESIS_ONLY=%d (%s): %s\n",
                             static_cast<unsigned long long>(seed ^ 0x4e454d), i, what.c_str(), failure.c_str());
                FAIL_CHECK("trial " << i << " (" << what << "): " << failure);
                return;
            }
        }
        pgdb.conn().exec("UPDATE gs_server_meta SET value = '2592000' WHERE key = 'gc_horizon_seconds'");
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::string counts;
        for (const auto& [name, n] : mix) counts += " " + name + "=" + std::to_string(n);
        MESSAGE(run << " nemesis trials (seed " << (seed ^ 0x4e454d) << ") in " << seconds << " s:" << counts);
        if (only < 0 && trials >= 200) CHECK(mix["interrupted"] >= trials / 3);
    }
}
