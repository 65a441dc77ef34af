// Clocks: a device whose wall clock is wrong. The server bounds every pushed clock to its own time
// plus the stated skew (gs_server_meta clock_skew_ms, 5 minutes by default), so a device that
// believes it is 2100 wins no conflict past that bound and no device adopts its clock; the hybrid
// logical clock saturates instead of wrapping negative; a device whose clock is behind still
// writes after what it has seen.
#include <doctest/doctest.h>

#include <chrono>
#include <climits>

#include "gainsly/gainsly.h"
#include "sync_fixture.hpp"

using namespace synctest;
namespace hlc = gainsly::sync::hlc;

namespace {

constexpr int64_t year_2100_ms = 4102444800000;  // 2100-01-01T00:00:00Z
constexpr int64_t default_skew_ms = 5 * 60 * 1000;

int64_t wall_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The clock the server holds for users.name of the account.
int64_t name_clock(PgDb& pgdb, const std::string& user) {
    return pgdb.scalar("SELECT coalesce((gs_clock->>'name')::bigint, gs_hlc) FROM users WHERE uid = $1", {user});
}

std::string server_name(PgDb& pgdb, const std::string& user) {
    return std::string(pgdb.conn().exec("SELECT name FROM users WHERE uid = $1", {user}).text(0, 0));
}

int64_t device_clock(Database& db) { return std::stoll(db.meta("sync.hlc", "0")); }

}  // namespace

TEST_SUITE("clocks") {
    TEST_CASE("the hybrid logical clock saturates: no clock wraps negative, a clock behind still moves on") {
        const int64_t now = wall_now();
        for (int64_t last : {INT64_MAX, INT64_MAX - 1, INT64_MAX - (int64_t(1) << 20), int64_t(0)}) {
            int64_t n = hlc::next(last, now, 7);
            CHECK(n > 0);
            CHECK(n >= (last & ~int64_t(0xFFF)));  // never goes back (the node bits aside)
        }
        CHECK(hlc::next(0, INT64_MAX, 7) > 0);              // a wall clock absurdly far ahead
        CHECK(hlc::next(0, INT64_MIN, 7) >= 0);             // ... or before 1970
        const int64_t seen = hlc::next(0, now, 1);
        CHECK(hlc::next(seen, hlc::epoch_ms, 2) > seen);    // a device whose clock says 2020 writes after what it saw
        CHECK(hlc::next(seen, now - 3600000, 2) > seen);
    }

    TEST_CASE("a device whose clock says 2100 wins no conflict beyond the skew bound and nobody adopts its clock") {
        PgDb pgdb;
        TempDir dir;
        FirstDevice first = first_device(pgdb, dir.file("a.db"), "clock@example.com");
        auto& a = first.db;
        const int64_t u = first.user_id;
        const std::string user = first.user, conn = first.conn;
        sync::sync(*a, conn, options(user));
        auto b = new_device(dir.file("b.db"));
        sync::sync(*b, conn, options(user));
        auto d = new_device(dir.file("d.db"));
        sync::sync(*d, conn, options(user));

        // A's clock says 2100 when it writes.
        a->update("users", u, {{"name", "from 2100"}});
        set_write_time(*a, year_2100_ms);
        sync::sync(*a, conn, options(user));
        CHECK(server_name(pgdb, user) == "from 2100");
        int64_t bound = server_now_ms(pgdb) + default_skew_ms;
        CHECK(hlc::millis(name_clock(pgdb, user)) <= bound);
        CHECK(name_clock(pgdb, user) > 0);

        // B pulls A's write: its clock stays within the bound, and B's next write comes after A's.
        sync::sync(*b, conn, options(user));
        CHECK(hlc::millis(device_clock(*b)) <= bound);
        b->update("users", one_id(*b, "SELECT id FROM users"), {{"name", "B after"}});
        sync::sync(*b, conn, options(user));
        CHECK(server_name(pgdb, user) == "B after");

        // D has not pulled since A's write. Its write comes after the bound on A's clock (D's clock
        // is 7 minutes ahead, accepted once the stated skew is 10 minutes): D wins, A's 2100 does not.
        pgdb.conn().exec("INSERT INTO gs_server_meta (key, value) VALUES ('clock_skew_ms', '600000') ON CONFLICT (key) DO UPDATE SET value = '600000'");
        d->update("users", one_id(*d, "SELECT id FROM users"), {{"name", "D later"}});
        set_write_time(*d, wall_now() + 7 * 60 * 1000);
        sync::sync(*d, conn, options(user));
        CHECK(server_name(pgdb, user) == "D later");

        // A device whose clock says 2020 (or 1970) writes after what it has pulled.
        auto c = new_device(dir.file("c.db"));
        sync::sync(*c, conn, options(user));
        c->update("users", one_id(*c, "SELECT id FROM users"), {{"name", "C behind"}});
        set_write_time(*c, 1);  // 1970
        sync::sync(*c, conn, options(user));
        CHECK(server_name(pgdb, user) == "C behind");
        for (auto* dev : {a.get(), b.get(), d.get()}) sync::sync(*dev, conn, options(user));
        const Dump server = server_dump(pgdb, user);
        CHECK(diff(device_dump(*d), server, "D", "server") == "");
        CHECK(diff(device_dump(*a), server, "A", "server") == "");
        CHECK(diff(device_dump(*b), server, "B", "server") == "");
        CHECK(diff(device_dump(*c), server, "C", "server") == "");
        CHECK(hlc::millis(device_clock(*c)) <= server_now_ms(pgdb) + 600000);  // the skew now in force
    }

    TEST_CASE("clocks near INT64_MAX: the server bounds them, a device that pulls one keeps syncing") {
        PgDb pgdb;
        TempDir dir;
        FirstDevice first = first_device(pgdb, dir.file("a.db"), "max@example.com");
        auto& a = first.db;
        const int64_t u = first.user_id;
        const std::string user = first.user, conn = first.conn;
        sync::sync(*a, conn, options(user));

        // A batch (from an app's own transport) claiming the largest clock there is.
        a->update("users", u, {{"name", "max"}});
        json batch = json::parse(sync::to_json(sync::Device(*a).export_batch(100)));
        batch["changes"][0]["hlc"] = INT64_MAX;
        a->sql().exec("DELETE FROM gs_sync_inflight");
        char* ack = nullptr;
        REQUIRE(gs_server_push(ServerHandle(conn), batch.dump().c_str(), &ack) == GS_OK);
        gs_string_free(ack);
        a->set_meta("sync.mutation", std::to_string(batch["mutation"].get<int64_t>()));
        CHECK(server_name(pgdb, user) == "max");
        CHECK(name_clock(pgdb, user) > 0);
        CHECK(hlc::millis(name_clock(pgdb, user)) <= server_now_ms(pgdb) + default_skew_ms);

        // A page (from a server that predates the bound) carrying that clock: the device adopts it
        // without wrapping and its next write still reaches the server.
        sync::Page page;
        page.schema = a->schema().version();
        page.cursor = std::stoll(a->meta("sync.cursor", "0"));
        page.catalog_cursor = std::stoll(a->meta("sync.catalog_cursor", "0"));
        sync::PulledRow row;
        row.table = sync::find_layout("users");
        row.uid = user;
        row.values.resize(row.table->table->columns.size());
        row.hlc = INT64_MAX;
        page.rows.push_back(row);
        sync::Device(*a).apply(page);
        CHECK(device_clock(*a) > 0);
        a->update("users", u, {{"name", "after max"}});
        sync::sync(*a, conn, options(user));
        CHECK(device_clock(*a) > 0);
        CHECK(server_name(pgdb, user) == "after max");
    }
}
