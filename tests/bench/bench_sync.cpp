// Sync benchmark (issue 9), every figure against a baseline measured in the same run:
//   capture: 100k top_set_logs inserted in one transaction through the library, with the sync
//            change capture (insert hook and triggers) vs without it, same file settings (target <= 1.3x)
//   push:    10k changed (new) top_set_logs pushed by a device over libpq as its account role vs
//            PostgreSQL COPY of the same rows into the same table of the same server (target <= 3x)
//   pull:    initial pull of 100k rows into an empty device (rows/s; PowerSync publishes 27.6k)
//   size:    sync bookkeeping (outbox, tombstones, in-flight batch, parked rows, sync meta) as a
//            share of the device file after 10k updates of 100 rows and after 100k inserts (<= 10%)
// Needs a PostgreSQL server (GAINSLY_PG_ADMIN, a superuser conninfo; scripts/bench.sh starts one):
// without it only the capture figure is measured.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "capi/handle.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"
#include "sync/pg.hpp"
#include "sync/server.hpp"
#include "sync/sync.hpp"
#include "timing.hpp"

using gainsly::store::Database;
using gainsly::store::Row;
using json = nlohmann::json;
namespace gsync = gainsly::sync;
namespace pg = gainsly::sync::pg;
using bench::median;
using bench::seconds;

namespace {

std::string dir() {
    static std::string d = [] {
        auto p = std::filesystem::temp_directory_path() / ("gainsly-bench-sync-" + gainsly::model::new_uuid_v7());
        std::filesystem::create_directories(p);
        return p.string();
    }();
    return d;
}

void remove_file(const std::string& path) {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

// ---- capture overhead -------------------------------------------------------------------------

constexpr int kCaptureRows = 100000;

double capture(bool captured, int run) {
    std::string path = dir() + "/capture-" + (captured ? "on" : "off") + std::to_string(run) + ".db";
    remove_file(path);
    Database db(path);
    if (captured) gsync::install_change_capture(db);  // what gs_db_open does
    int64_t user = db.insert("users", {{"email", "bench@example.com"}});
    int64_t movement = db.insert("movements", {{"name", "Bench Squat"}});
    const auto& t = db.schema().table("top_set_logs");
    const auto *u = t.find("user_id"), *m = t.find("movement_id"), *set = t.find("set_number"), *reps = t.find("reps"), *load = t.find("load_kg"),
               *rpe = t.find("rpe");
    double s = seconds([&] {
        db.begin();
        for (int i = 0; i < kCaptureRows; ++i)
            db.insert(t, Row{{u, user}, {m, movement}, {set, int64_t(i % 5 + 1)}, {reps, int64_t(5)}, {load, 100.0 + i % 50}, {rpe, 8.0}});
        db.commit();
    });
    if (captured && gsync::Device(db).outbox_depth() < kCaptureRows) {
        std::fprintf(stderr, "capture: the outbox does not hold every insert\n");
        std::exit(1);
    }
    return s;
}

// ---- the server -------------------------------------------------------------------------------

std::string conninfo_with(const std::string& base, const std::string& extra) { return base + " " + extra; }

struct Server {
    std::string admin_base, db, admin;
    std::unique_ptr<pg::Connection> conn;
    std::vector<std::string> roles;
    explicit Server(const std::string& base) : admin_base(base) {
        db = "gs_bench_" + gainsly::model::new_uuid_v7().substr(24);
        pg::Connection(base, 60000).exec("CREATE DATABASE " + db);
        admin = conninfo_with(base, "dbname=" + db);
        gsync::server_setup(admin, 0);
        conn = std::make_unique<pg::Connection>(admin, 0);
    }
    ~Server() {
        conn.reset();
        try {
            pg::Connection c(admin_base, 60000);
            c.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            for (const auto& r : roles) c.exec("DROP ROLE IF EXISTS " + r);
        } catch (...) {
        }
    }
    std::string account(const std::string& user) {
        std::string role = db + "_" + std::to_string(roles.size()), pw = "bench-" + gainsly::model::new_uuid_v7();
        gsync::server_add_account(admin, user, role, pw, 60000);
        roles.push_back(role);
        return conninfo_with(admin, "user=" + role + " password=" + pw);
    }
};

// A device file as an app has it (gs_db_open: schema, catalog, change capture) with one user.
std::unique_ptr<Database> device(const std::string& name, std::string& user_uid, int64_t& user_id) {
    std::string path = dir() + "/" + name + ".db";
    remove_file(path);
    auto db = gainsly::capi::open_database(path.c_str());
    user_id = db->insert("users", {{"email", name + "@example.com"}});
    user_uid = db->get("users", user_id)["uid"];
    return db;
}

int64_t first_movement(Database& db) { return db.sql().execAndGet("SELECT id FROM movements ORDER BY id LIMIT 1").getInt64(); }

void insert_sets(Database& db, int64_t user, int64_t movement, int n) {
    const auto& t = db.schema().table("top_set_logs");
    const auto *u = t.find("user_id"), *m = t.find("movement_id"), *set = t.find("set_number"), *reps = t.find("reps"), *load = t.find("load_kg"),
               *rpe = t.find("rpe");
    db.begin();
    for (int i = 0; i < n; ++i)
        db.insert(t, Row{{u, user}, {m, movement}, {set, int64_t(i % 5 + 1)}, {reps, int64_t(5)}, {load, 100.0 + i % 50}, {rpe, 8.0}});
    db.commit();
}

// Pushes the whole outbox over one connection; returns seconds.
double push_all(Database& db, const std::string& conninfo, int batch_rows, int64_t& pushed) {
    gsync::Server server(conninfo, 0);
    gsync::Device dev(db);
    pushed = 0;
    double te = 0, ts = 0, ta = 0;
    double total = seconds([&] {
        for (;;) {
            gsync::Batch b;
            te += seconds([&] { b = dev.export_batch(batch_rows); });
            if (b.empty()) break;
            gsync::Ack a;
            ts += seconds([&] { a = server.push(b); });
            ta += seconds([&] { dev.accept_ack(a); });
            pushed += int64_t(b.changes.size());
        }
    });
    if (std::getenv("GAINSLY_BENCH_SPLIT")) std::printf("  split: device export %.3f s, server push %.3f s, device ack %.3f s\n", te, ts, ta);
    return total;
}

// The same rows as COPY text for top_set_logs of `owner` (columns as the push writes them).
std::string copy_rows(Database& db, const std::string& owner, int64_t server_user, int64_t server_movement) {
    std::string out;
    gainsly::sqlite::Statement s(db.sql(), "SELECT set_number, reps, load_kg, rpe, created_at FROM top_set_logs ORDER BY id");
    while (s.executeStep()) {
        out += gainsly::model::new_uuid_v7() + "\t" + owner + "\t" + std::to_string(server_user) + "\t" + std::to_string(server_movement) + "\t" +
               s.getColumn(0).getString() + "\t" + s.getColumn(1).getString() + "\t" + gsync::shortest(s.getColumn(2).getDouble()) + "\t" +
               gsync::shortest(s.getColumn(3).getDouble()) + "\t" + s.getColumn(4).getString() + "\n";
    }
    return out;
}

// A users row for `owner` created on the server (as the account's first push would).
int64_t server_user(Server& srv, const std::string& owner) {
    return srv.conn->exec("INSERT INTO users (uid, gs_owner, email) VALUES ($1, $1, $2) RETURNING id", {owner, owner + "@example.com"}).integer(0, 0);
}

// ---- bookkeeping size ---------------------------------------------------------------------------

struct Share {
    double bookkeeping = 0, user_data = 0, file = 0;
};

Share share(Database& db) {
    db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    Share s;
    s.file = double(db.sql().execAndGet("PRAGMA page_count").getInt64() * db.sql().execAndGet("PRAGMA page_size").getInt64());
    std::vector<std::string> user_tables;
    for (const auto& st : gsync::layout())
        if (!st.catalog) user_tables.push_back(st.name());
    gainsly::sqlite::Statement q(db.sql(), "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1");
    while (q.executeStep()) {
        std::string t = q.getColumn(0).getString();
        double bytes = q.getColumn(1).getDouble();
        if (t.rfind("gs_outbox", 0) == 0 || t.rfind("gs_sync_", 0) == 0) s.bookkeeping += bytes;
        else if (std::find(user_tables.begin(), user_tables.end(), t) != user_tables.end()) s.user_data += bytes;
    }
    // The sync.* keys in gs_meta (the device id, cursors, clock, mutation id): a few hundred bytes.
    s.bookkeeping += db.sql().execAndGet("SELECT coalesce(sum(length(key) + length(value)), 0) FROM gs_meta WHERE key LIKE 'sync.%'").getDouble();
    return s;
}

void print_share(const char* what, const Share& s) {
    std::printf("  %-44s bookkeeping %8.1f KiB = %5.2f%% of the %6.1f MiB file (%5.2f%% of bookkeeping + user rows)  target <= 10%%\n", what,
                s.bookkeeping / 1024, 100 * s.bookkeeping / s.file, s.file / 1048576, 100 * s.bookkeeping / (s.bookkeeping + s.user_data));
}

}  // namespace

// GAINSLY_BENCH_SYNC=capture,push,pull,size (default: all) picks the parts to run.
bool part(const char* name) {
    const char* only = std::getenv("GAINSLY_BENCH_SYNC");
    return !only || !*only || std::string(only).find(name) != std::string::npos;
}

int main() {
    if (part("capture")) {
    std::printf("capture: %d top_set_logs in one transaction, sync capture on vs off (median of 3)\n", kCaptureRows);
    std::vector<double> on, off;
    for (int run = 0; run < 3; ++run) {
        off.push_back(capture(false, run));
        on.push_back(capture(true, run));
    }
    double con = median(on), coff = median(off);
    std::printf("  capture off %.3f s (%.0f rows/s), on %.3f s (%.0f rows/s): %.2fx  target <= 1.3x\n", coff, kCaptureRows / coff, con,
                kCaptureRows / con, con / coff);
    }

    const char* admin = std::getenv("GAINSLY_PG_ADMIN");
    if (!admin || !*admin) {
        std::printf("push, pull, size: skipped (no PostgreSQL: set GAINSLY_PG_ADMIN or run scripts/bench.sh)\n");
        std::filesystem::remove_all(dir());
        return 0;
    }
    try {
        Server srv(admin);
        // ---- push vs COPY
        if (part("push")) {
            constexpr int n = 10000;
            std::printf("push: %d new top_set_logs from a device (as its account role, RLS on) vs COPY of the same rows (superuser), median of 3\n", n);
            for (int batch : {1000, 10000}) {
                std::vector<double> pushes, plains, loggeds;
                int64_t pushed = 0;
                for (int rep = 0; rep < 3; ++rep) {  // the median of 3: one run on this shared machine varies by +-30%
                    std::string uid;
                    int64_t uid_id = 0;
                    auto db = device("push" + std::to_string(batch) + "-" + std::to_string(rep), uid, uid_id);
                    std::string conn = srv.account(uid);
                    gsync::sync(*db, conn, gsync::Options{uid, 1000, 0, "", {}});  // the users row
                    int64_t mv = first_movement(*db);
                    insert_sets(*db, uid_id, mv, n);
                    pushes.push_back(push_all(*db, conn, batch, pushed));
                    // COPY of the same rows, for another owner, into the same table (its triggers included).
                    std::string owner = gainsly::model::new_uuid_v7();
                    std::string muid = db->get("movements", mv)["uid"];
                    int64_t smv = srv.conn->exec("SELECT id FROM movements WHERE uid = $1", {muid}).integer(0, 0);
                    int64_t su = server_user(srv, owner);
                    const char* copy_sql = "COPY top_set_logs (uid, gs_owner, user_id, movement_id, set_number, reps, load_kg, rpe, created_at) FROM STDIN";
                    // Plain COPY: the table's keys, checks and foreign keys, without the change log.
                    std::string data = copy_rows(*db, owner, su, smv);
                    plains.push_back(seconds([&] {
                        srv.conn->exec("BEGIN");
                        srv.conn->exec("ALTER TABLE top_set_logs DISABLE TRIGGER gs_log_i");
                        srv.conn->copy_in(copy_sql, data);
                        srv.conn->exec("ALTER TABLE top_set_logs ENABLE TRIGGER gs_log_i");
                        srv.conn->exec("COMMIT");
                    }));
                    // COPY with the change log written as a push writes it (one sequence for the transaction).
                    std::string owner2 = gainsly::model::new_uuid_v7();
                    int64_t su2 = server_user(srv, owner2);
                    std::string data2 = copy_rows(*db, owner2, su2, smv);
                    loggeds.push_back(seconds([&] {
                        srv.conn->exec("BEGIN");
                        srv.conn->copy_in(copy_sql, data2);
                        srv.conn->exec("COMMIT");
                    }));
                }
                double push = median(pushes), plain = median(plains), logged = median(loggeds);
                std::printf("  batch_rows %5d: push %.3f s (%lld rows, %.0f rows/s); COPY %.3f s (%.0f rows/s): %.2fx  target <= 3x; "
                            "COPY with the change log %.3f s: %.2fx\n",
                            batch, push, static_cast<long long>(pushed), double(pushed) / push, plain, n / plain, push / plain, logged, push / logged);
            }
        }

        // ---- initial pull of 100k rows
        if (part("pull")) {
            constexpr int n = 100000;
            std::string owner = gainsly::model::new_uuid_v7();
            // The account's rows on the server as 100 pushed batches of 1000 would leave them.
            int64_t su = 0;
            {
                srv.conn->exec("BEGIN");
                su = server_user(srv, owner);
                srv.conn->exec("COMMIT");
            }
            int64_t smv = srv.conn->exec("SELECT id FROM movements ORDER BY id LIMIT 1").integer(0, 0);
            for (int b = 0; b < n / 1000; ++b) {
                std::string data;
                for (int i = 0; i < 1000; ++i) {
                    int k = b * 1000 + i;
                    data += gainsly::model::new_uuid_v7() + "\t" + owner + "\t" + std::to_string(su) + "\t" + std::to_string(smv) + "\t" +
                            std::to_string(k % 5 + 1) + "\t5\t" + std::to_string(100 + k % 50) + "\t8\t2026-01-05T10:00:00.000Z\n";
                }
                srv.conn->exec("BEGIN");
                srv.conn->copy_in("COPY top_set_logs (uid, gs_owner, user_id, movement_id, set_number, reps, load_kg, rpe, created_at) FROM STDIN", data);
                srv.conn->exec("COMMIT");
            }
            std::string conn = srv.account(owner);
            std::printf("pull: initial pull of %d top_set_logs (+ the users row) into an empty device, as the account role\n", n);
            for (int batch : {1000, 10000}) {
                std::string path = dir() + "/pull" + std::to_string(batch) + ".db";
                remove_file(path);
                auto db = gainsly::capi::open_database(path.c_str());  // schema and catalog: not timed
                json r;
                double s = seconds([&] { r = gsync::sync(*db, conn, gsync::Options{owner, batch, 0, "", {}}); });
                int64_t pulled = r["pulled"].get<int64_t>();
                int64_t have = db->sql().execAndGet("SELECT count(*) FROM top_set_logs").getInt64();
                if (std::getenv("GAINSLY_BENCH_SPLIT")) {  // where the time goes: server round trips vs applying pages
                    std::string p2 = dir() + "/pull-split" + std::to_string(batch) + ".db";
                    remove_file(p2);
                    auto d2 = gainsly::capi::open_database(p2.c_str());
                    gsync::Device dev(*d2);
                    dev.user(owner);
                    gsync::Server server(conn, 0);
                    double ts = 0, ta = 0;
                    for (bool more = true; more;) {
                        gsync::PullRequest rq = dev.pull_request(batch);
                        gsync::Page pg;
                        ts += seconds([&] { pg = server.pull(rq); });
                        ta += seconds([&] { dev.apply(pg); });
                        more = pg.more;
                    }
                    std::printf("  split: server pull %.3f s, device apply %.3f s\n", ts, ta);
                }
                std::printf("  batch_rows %5d: %lld rows in %.3f s = %.0f rows/s (%lld pages; PowerSync: 27.6k rows/s): %.2fx%s\n", batch,
                            static_cast<long long>(pulled), s, double(pulled) / s, static_cast<long long>(r["pages"].get<int64_t>()),
                            double(pulled) / s / 27600.0, have == n ? "" : "  ROWS MISSING");
            }
        }

        // ---- bookkeeping size
        if (part("size")) {
            std::printf("size: sync bookkeeping in the device file (dbstat)\n");
            std::string uid;
            int64_t uid_id = 0;
            auto db = device("size-updates", uid, uid_id);
            std::string conn = srv.account(uid);
            int64_t mv = first_movement(*db);
            insert_sets(*db, uid_id, mv, 100);
            gsync::sync(*db, conn, gsync::Options{uid, 1000, 0, "", {}});
            std::vector<int64_t> ids;
            {
                gainsly::sqlite::Statement s(db->sql(), "SELECT id FROM top_set_logs");
                while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
            }
            const auto& t = db->schema().table("top_set_logs");
            const auto* reps = t.find("reps");
            db->begin();
            for (int i = 0; i < 10000; ++i) db->update(t, ids[size_t(i) % ids.size()], Row{{reps, int64_t(1 + i % 12)}});
            db->commit();
            print_share("10k updates of 100 rows, before the push", share(*db));
            gsync::sync(*db, conn, gsync::Options{uid, 1000, 0, "", {}});
            print_share("10k updates of 100 rows, after the sync", share(*db));

            auto big = device("size-inserts", uid, uid_id);
            std::string conn2 = srv.account(uid);
            insert_sets(*big, uid_id, first_movement(*big), 100000);
            print_share("100k inserts, before the push", share(*big));
            json r;
            double s = seconds([&] { r = gsync::sync(*big, conn2, gsync::Options{uid, 1000, 0, "", {}}); });
            print_share("100k inserts, after the sync", share(*big));
            std::printf("  (that sync pushed %lld rows in %.2f s = %.0f rows/s with batch_rows 1000)\n", static_cast<long long>(r["pushed"].get<int64_t>()), s,
                        double(r["pushed"].get<int64_t>()) / s);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sync: %s\n", e.what());
        std::filesystem::remove_all(dir());
        return 1;
    }
    std::filesystem::remove_all(dir());
    return 0;
}
