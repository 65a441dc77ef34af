// Property tests: random interleavings of offline inserts (parents and children), updates of the
// same and of different columns, deletes and syncs on two and three devices. Afterwards every
// device and the server hold identical rows (full dumps keyed by uid), nothing that was never
// deleted is lost, the outboxes are empty and the files pass integrity_check.
// GAINSLY_SYNC_SEED=<n> GAINSLY_SYNC_CASES=<k> replay a failing case.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <set>
#include <stdexcept>

#include "sync_fixture.hpp"
#include "training/training.hpp"

using namespace synctest;

namespace {

uint64_t env_u64(const char* name, uint64_t fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// GAINSLY_SYNC_TRACE=1 prints every step of a case (with GAINSLY_SYNC_SEED, to study a failure).
bool tracing() {
    static const bool on = env_u64("GAINSLY_SYNC_TRACE", 0) != 0;
    return on;
}

struct Device {
    std::unique_ptr<Database> db;
    std::unique_ptr<sync::Server> server;  // each device keeps its connection between syncs (connecting dominates small syncs)
};

class Case {
public:
    Case(PgDb& pgdb, TempDir& dir, uint64_t seed, int devices) : pgdb_(pgdb), rng_(seed), seed_(seed) {
        for (int i = 0; i < devices; ++i) devs_.push_back({new_device(dir.file("s" + std::to_string(seed) + "_" + std::to_string(i) + ".db")), nullptr});
        Database& first = *devs_[0].db;
        int64_t u = first.insert("users", {{"email", "p" + std::to_string(seed) + "@example.com"}});
        user_ = uid_of(first, "users", u);
        movements_ = {one_id(first, "SELECT id FROM movements ORDER BY id LIMIT 1"), one_id(first, "SELECT id FROM movements ORDER BY id LIMIT 1 OFFSET 7")};
        sync(0);  // the account's user row reaches the server; the others pull it
        for (int i = 1; i < devices; ++i) sync(i);
    }

    void run(int steps) {
        for (int s = 0; s < steps; ++s) {
            int d = pick(int(devs_.size()));
            int op = pick(100);
            if (op < 12) sync(d);
            else if (op < 20) insert_program(d);
            else if (op < 32) insert_session(d);
            else if (op < 44) insert_exercise(d);
            else if (op < 56) insert_set(d);
            else if (op < 60) insert_settings(d);
            else if (op < 86) update(d);
            else delete_row(d);
        }
        // Everyone syncs until quiet: the second round delivers what the first one settled.
        // A sync that returns leaves nothing behind in the outbox (nothing else writes meanwhile).
        for (int round = 0; round < 2; ++round)
            for (size_t d = 0; d < devs_.size(); ++d)
                if (int64_t left = sync(int(d)); left != 0)
                    throw std::runtime_error("device" + std::to_string(d) + ": " + std::to_string(left) + " outbox entries left after a sync");
    }

    std::string check() {
        Dump server = server_dump(pgdb_, user_);
        for (size_t d = 0; d < devs_.size(); ++d) {
            Database& db = *devs_[d].db;
            Dump mine = device_dump(db);
            std::string dd = diff(mine, server, "device" + std::to_string(d), "server");
            if (!dd.empty()) {
                dd = "device" + std::to_string(d) + ": " + dd;
                if (tracing()) {
                    std::string uid = dd.substr(dd.find(' ', dd.find(": ") + 2) + 1, 36), table = dd.substr(dd.find(": ") + 2);
                    table = table.substr(0, table.find(' '));
                    auto show = [&](const char* who, Dump& x) {
                        auto it = x[table].find(uid);
                        if (it == x[table].end()) return (void)std::fprintf(stderr, "  %s: no row\n", who);
                        std::string line;
                        for (const auto& [c, v] : it->second) line += c + "=" + v + " ";
                        std::fprintf(stderr, "  %s: %s\n", who, line.c_str());
                    };
                    show("server", server);
                    for (size_t e = 0; e < devs_.size(); ++e) {
                        Dump x = device_dump(*devs_[e].db);
                        show(("device" + std::to_string(e)).c_str(), x);
                    }
                }
                gainsly::sqlite::Statement p(db.sql(), "SELECT tbl, uid, body FROM gs_sync_parked");
                while (p.executeStep()) dd += " | parked " + p.getColumn(0).getString() + " " + p.getColumn(2).getString().substr(0, 400);
                return dd;
            }
            if (sync::Device(db).outbox_depth() != 0) return "device" + std::to_string(d) + ": outbox not empty";
            if (one_id(db, "SELECT count(*) FROM gs_sync_parked") != 0) return "device" + std::to_string(d) + ": parked rows left";
            if (integrity(db) != "ok") return "device" + std::to_string(d) + ": integrity_check failed";
        }
        // Nothing lost: rows never deleted (with no deleted ancestor) are on the server.
        for (const auto& [table, uid, parents] : created_) {
            bool doomed = deleted_.count(uid) > 0;
            for (const auto& p : parents) doomed = doomed || deleted_.count(p) > 0;
            if (!doomed && !server[table].count(uid)) return table + " " + uid + " was lost";
        }
        return "";
    }

private:
    int pick(int n) { return int(rng_() % uint64_t(n)); }
    Database& db(int d) { return *devs_[size_t(d)].db; }

    int64_t sync(int d) {
        static const int sizes[] = {1, 6, 40};  // one-row batches and pages (worst ordering), small and larger ones
        sync::Options o = options(user_, sizes[pick(3)]);
        auto& server = devs_[size_t(d)].server;
        if (!server) server = std::make_unique<sync::Server>(pgdb_.admin(), o.timeout_ms);
        json r = sync::sync(db(d), *server, o);
        if (tracing()) {
            std::fprintf(stderr, "dev%d sync batch=%d %s\n", d, o.batch_rows, r.dump().c_str());
            gainsly::sqlite::Statement s(db(d).sql(), "SELECT tbl, row_id, op, mask, clock FROM gs_outbox UNION ALL SELECT tbl, uid, 'd', 0, clock FROM gs_outbox_deleted");
            while (s.executeStep())
                std::fprintf(stderr, "  outbox tbl=%s row=%s op=%s mask=%s\n", s.getColumn(0).getString().c_str(), s.getColumn(1).getString().c_str(),
                             s.getColumn(2).getString().c_str(), s.getColumn(3).getString().c_str());
        }
        return r["outbox"].get<int64_t>();
    }
    void trace(int d, const char* what, const std::string& table, int64_t id) {
        if (tracing()) std::fprintf(stderr, "dev%d %s %s id=%lld uid=%s\n", d, what, table.c_str(), (long long)id, uid_of(db(d), table, id).c_str());
    }

    // A random row id of `table` on device d, 0 if none.
    // Picked by the case's own generator (not SQLite's random()), so a seed replays the same case.
    int64_t any(int d, const std::string& table) {
        int64_t n = one_id(db(d), "SELECT count(*) FROM \"" + table + "\"");
        if (n == 0) return 0;
        return one_id(db(d), "SELECT id FROM \"" + table + "\" ORDER BY id LIMIT 1 OFFSET " + std::to_string(pick(int(n))));
    }
    int64_t user_id(int d) { return one_id(db(d), "SELECT id FROM users"); }

    std::vector<std::string> ancestors(int d, const std::string& table, int64_t id) {
        std::vector<std::string> out;
        if (table == "sessions") out.push_back(uid_of(db(d), "programs", one_id(db(d), "SELECT program_id FROM sessions WHERE id = " + std::to_string(id))));
        if (table == "session_exercises") {
            int64_t s = one_id(db(d), "SELECT session_id FROM session_exercises WHERE id = " + std::to_string(id));
            out = ancestors(d, "sessions", s);
            out.push_back(uid_of(db(d), "sessions", s));
        }
        return out;
    }

    void created(int d, const std::string& table, int64_t id) {
        trace(d, "insert", table, id);
        created_.emplace_back(table, uid_of(db(d), table, id), ancestors(d, table, id));
    }

    void insert_program(int d) {
        int64_t id = db(d).insert("programs", {{"user_id", user_id(d)}, {"name", "P" + std::to_string(pick(1000))}, {"duration_weeks", 1 + pick(8)}});
        created(d, "programs", id);
    }
    void insert_session(int d) {
        int64_t p = any(d, "programs");
        if (!p) return insert_program(d);
        int64_t id = db(d).insert("sessions", {{"user_id", user_id(d)}, {"program_id", p}, {"date", "2026-01-0" + std::to_string(1 + pick(9))}});
        created(d, "sessions", id);
    }
    void insert_exercise(int d) {
        int64_t s = any(d, "sessions");
        if (!s) return insert_session(d);
        int64_t id = db(d).insert("session_exercises", {{"session_id", s}, {"movement_id", movements_[size_t(pick(2))]}, {"session_section", "main"},
                                                        {"order_in_session", 1 + pick(5)}, {"target_sets", 1 + pick(5)}, {"target_rpe", 6.5 + pick(7) * 0.5}});
        created(d, "session_exercises", id);
    }
    void insert_set(int d) {
        int64_t s = any(d, "sessions");
        json row = {{"user_id", user_id(d)}, {"movement_id", movements_[size_t(pick(2))]}, {"set_number", 1 + pick(3)}, {"reps", 1 + pick(10)},
                    {"load_kg", 20.0 + pick(200) * 0.5}};
        if (s && pick(4)) row["session_id"] = s;
        int64_t id = 0;
        try {
            id = db(d).insert("top_set_logs", row);  // may collide with a local set of the same number: a normal refusal
        } catch (const gainsly::Error& e) {
            if (e.status() != gainsly::Status::constraint) throw;
            return;
        }
        trace(d, "insert", "top_set_logs", id);
    }
    void insert_settings(int d) {
        if (one_id(db(d), "SELECT count(*) FROM user_settings")) return;
        int64_t id = db(d).insert("user_settings", {{"user_id", user_id(d)}, {"use_metric", pick(2) == 0}, {"active_e1rm_formula", pick(2) ? "epley" : "brzycki"}});
        trace(d, "insert", "user_settings", id);
    }

    void update(int d) {
        switch (pick(6)) {
            case 0:
                if (int64_t id = any(d, "programs")) {
                    json c = {{"name", "N" + std::to_string(pick(100))}};
                    if (pick(2)) c["goal_1"] = "strength", c["goal_weight_1"] = 10;
                    else c["goal_1"] = nullptr, c["goal_weight_1"] = nullptr;
                    db(d).update("programs", id, c);
                }
                break;
            case 1:
                if (int64_t id = any(d, "sessions")) db(d).update("sessions", id, {{"coach_notes", "n" + std::to_string(pick(100))}});
                break;
            case 2:
                if (int64_t id = any(d, "session_exercises")) db(d).update("session_exercises", id, {{"target_sets", 1 + pick(6)}});
                break;
            case 3:
                if (int64_t id = any(d, "top_set_logs")) db(d).update("top_set_logs", id, {{"reps", 1 + pick(12)}});
                break;
            case 4:
                if (int64_t id = any(d, "top_set_logs")) db(d).update("top_set_logs", id, {{"notes", "t" + std::to_string(pick(100))}, {"rpe", 6 + pick(5)}});
                break;
            default:
                db(d).update("users", user_id(d), {{"name", "U" + std::to_string(pick(50))}, {"persona_aggression", 1 + pick(5)}});
        }
    }

    void delete_row(int d) {
        static const char* tables[] = {"programs", "sessions", "session_exercises", "top_set_logs", "user_settings"};
        std::string t = tables[pick(5)];
        if (t == "programs" && pick(3)) return;  // deleting whole programs often empties the case
        int64_t id = any(d, t);
        if (!id) return;
        deleted_.insert(uid_of(db(d), t, id));
        trace(d, "delete", t, id);
        db(d).remove(t, id);
    }

    PgDb& pgdb_;
    std::mt19937_64 rng_;
    uint64_t seed_;
    std::vector<Device> devs_;
    std::string user_;
    std::vector<int64_t> movements_;
    std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> created_;
    std::set<std::string> deleted_;
};

void property(int devices, int cases, int steps) {
    PgDb pgdb;
    TempDir dir;
    uint64_t base = env_u64("GAINSLY_SYNC_SEED", std::random_device{}());
    int n = int(env_u64("GAINSLY_SYNC_CASES", uint64_t(cases)));
    for (int i = 0; i < n; ++i) {
        uint64_t seed = base + uint64_t(i);
        std::string failure;
        try {
            Case c(pgdb, dir, seed, devices);
            c.run(steps);
            failure = c.check();
        } catch (const std::exception& e) {
            failure = std::string("exception: ") + e.what();
        }
        if (!failure.empty()) {
            std::fprintf(stderr, "convergence failed with %d devices: GAINSLY_SYNC_SEED=%llu GAINSLY_SYNC_CASES=1 (%s)\n", devices,
                         static_cast<unsigned long long>(seed), failure.c_str());
            FAIL_CHECK("seed " << seed << ": " << failure);
            return;
        }
    }
    MESSAGE(n << " random cases with " << devices << " devices converged (seeds " << base << ".." << base + uint64_t(n) - 1 << ")");
}

}  // namespace

TEST_SUITE("convergence") {
    TEST_CASE("two devices: random offline edits converge") { property(2, 110, 40); }
    TEST_CASE("three devices: random offline edits converge") { property(3, 100, 50); }

    // Personal records are derived on each device and synced: their uids come from what they
    // record, and a pull recomputes the movements it touched (gs_sync_run), so two devices that
    // log offline end with the same rows, none twice, whoever synced first.
    TEST_CASE("personal records: two devices logging offline end with the same records, none twice") {
        PgDb pgdb;
        TempDir dir;
        gs_db a, b;
        a.db = new_device(dir.file("a.db"));
        b.db = new_device(dir.file("b.db"));
        const int64_t squat = one_id(*a.db, "SELECT id FROM movements ORDER BY id LIMIT 1");
        const int64_t ua = a.db->insert("users", {{"email", "pr@example.com"}, {"persona_aggression", 3}});
        const std::string user = uid_of(*a.db, "users", ua);
        const std::string conn = pgdb.account(user);
        gs_sync_options o = GS_SYNC_OPTIONS_INIT;
        o.user_uid = user.c_str();
        auto run = [&](gs_db& d) {
            char* report = nullptr;
            REQUIRE_MESSAGE(gs_sync_run(&d, conn.c_str(), &o, &report) == GS_OK, gs_error_message(&d));
            gs_string_free(report);
        };
        auto settle = [&] {
            for (int i = 0; i < 3; ++i) {
                run(a);
                run(b);
            }
            REQUIRE(sync::Device(*a.db).outbox_depth() == 0);
            REQUIRE(sync::Device(*b.db).outbox_depth() == 0);
        };
        run(a);
        run(b);
        const int64_t ub = one_id(*b.db, "SELECT id FROM users WHERE uid = '" + user + "'");
        auto log_set = [&](gs_db& d, int64_t u, const char* date, double load) {
            int64_t w = 0, s = 0;
            json wj = {{"user_id", u}, {"workout_date", date}};
            REQUIRE(gs_row_insert(&d, "workout_logs", wj.dump().c_str(), &w) == GS_OK);
            json sj = {{"user_id", u}, {"workout_log_id", w}, {"movement_id", squat}, {"set_number", 1}, {"reps", 5}, {"load_kg", load}, {"rpe", 8.0}};
            REQUIRE(gs_row_insert(&d, "top_set_logs", sj.dump().c_str(), &s) == GS_OK);
            return uid_of(*d.db, "top_set_logs", s);
        };
        // The set that holds the current e1rm record, by uid ("" if none).
        auto e1rm_holder = [](gs_db& d) {
            std::string out;
            gainsly::sqlite::Statement q(d.db->sql(),
                                "SELECT ts.uid FROM personal_records r JOIN top_set_logs ts ON ts.id = r.top_set_log_id "
                                "WHERE r.record_type = 'e1rm' ORDER BY r.achieved_date DESC, r.value DESC LIMIT 1");
            if (q.executeStep()) out = q.getColumn(0).getString();
            return out;
        };
        auto same_everywhere = [&] {
            const Dump da = device_dump(*a.db), db_ = device_dump(*b.db);
            CHECK(diff(da, db_, "a", "b") == "");
            CHECK(diff(da, server_dump(pgdb, user), "a", "server") == "");
            // No record twice: one row per (type, set or workout).
            CHECK(one_id(*a.db, "SELECT count(*) FROM (SELECT record_type, top_set_log_id, workout_log_id FROM personal_records "
                                "GROUP BY 1, 2, 3 HAVING count(*) > 1)") == 0);
            // And what a full recompute derives is what is stored.
            json r = gainsly::training::recompute_personal_records(*a.db, ua);
            CHECK(r["inserted"] == 0);
            CHECK(r["updated"] == 0);
            CHECK(r["deleted"] == 0);
        };

        const std::string s1 = log_set(a, ua, "2026-03-02", 100);  // A's record
        const std::string s2 = log_set(b, ub, "2026-03-04", 110);  // B, offline: heavier, later
        CHECK(e1rm_holder(b) == s2);
        run(a);
        run(b);  // B pulls S1 and its records: S2's record now has S1's e1rm as the previous value
        settle();
        same_everywhere();
        CHECK(e1rm_holder(a) == s2);
        CHECK(e1rm_holder(b) == s2);
        CHECK(one_id(*a.db, "SELECT count(*) FROM personal_records WHERE record_type = 'e1rm'") == 2);
        CHECK(one_id(*b.db, "SELECT count(*) FROM personal_records r JOIN top_set_logs ts ON ts.id = r.top_set_log_id "
                            "WHERE r.record_type = 'e1rm' AND ts.uid = '" + s2 + "' AND r.previous_value > 0") == 1);

        // A logs a set that beats S1 but not S2; B deletes S2: A pulls the delete and S3 holds the record.
        const std::string s3 = log_set(a, ua, "2026-03-06", 105);
        run(a);
        CHECK(e1rm_holder(a) == s2);
        REQUIRE(gs_row_delete(&b, "top_set_logs", one_id(*b.db, "SELECT id FROM top_set_logs WHERE uid = '" + s2 + "'")) == GS_OK);
        run(b);
        run(a);
        CHECK(e1rm_holder(a) == s3);
        settle();
        same_everywhere();
        CHECK(e1rm_holder(b) == s3);
        CHECK(one_id(*a.db, "SELECT count(*) FROM personal_records WHERE top_set_log_id IS NULL AND record_type <> 'session_volume'") == 0);
    }
}
