// The device process of the SIGKILL fault test (test_sync_faults.cpp): opens a device file and
// syncs it, and can kill itself with SIGKILL at a chosen point of the sync, so the parent can check
// that recovery loses and doubles nothing.
//
//   sync_worker FILE CONNINFO USER_UID BATCH_ROWS MODE [PAGE_BYTES]
//
// MODE:
//   none              just sync (the parent may SIGKILL this process at any moment)
//   step:NAME:K       SIGKILL before the K-th server round trip named NAME (push.commit, pull.rows, ...;
//                     push.committed and pull.done come right after the server answered)
//   export:K          SIGKILL inside the K-th export transaction (batch recorded as in flight, not committed)
//   ack:K             SIGKILL inside the K-th acknowledgement transaction
//   apply:K           SIGKILL inside a pulled page's transaction, at the K-th row it writes
// Exit status: 0 synced, 2 bad arguments, 3 the sync failed (message on stderr).
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "capi/handle.hpp"
#include "store/database.hpp"
#include "sync/server.hpp"
#include "sync/sync.hpp"

namespace {

long g_countdown = -1;

[[noreturn]] void die() {
    std::fflush(nullptr);
    raise(SIGKILL);
    _exit(99);  // not reached
}

void tick(sqlite3_context* ctx, int, sqlite3_value**) {
    if (g_countdown > 0 && --g_countdown == 0) die();
    sqlite3_result_null(ctx);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6 && argc != 7) {
        std::fprintf(stderr, "usage: sync_worker FILE CONNINFO USER_UID BATCH_ROWS MODE [PAGE_BYTES]\n");
        return 2;
    }
    const std::string path = argv[1], conninfo = argv[2], user = argv[3], mode = argv[5];
    try {
        auto db = gainsly::capi::open_database(path.c_str());
        gainsly::sync::Options o;
        o.user_uid = user;
        o.batch_rows = std::atoi(argv[4]);
        o.timeout_ms = 60000;
        if (argc == 7) o.page_bytes = std::atoll(argv[6]);
        gainsly::sync::Server server(conninfo, o.timeout_ms);
        std::string step;
        long k = 0, seen = 0;
        auto colon = mode.find(':');
        const std::string kind = mode.substr(0, colon);
        if (kind == "step") {
            auto second = mode.rfind(':');
            step = mode.substr(colon + 1, second - colon - 1);
            k = std::atol(mode.c_str() + second + 1);
            server.connection().on_step = [&](std::string_view name) {
                if (name == step && ++seen == k) die();
            };
        } else if (kind == "export" || kind == "ack" || kind == "apply") {
            g_countdown = std::atol(mode.c_str() + colon + 1);
            sqlite3* h = db->sql().getHandle();
            sqlite3_create_function(h, "gs_test_tick", 0, SQLITE_UTF8, nullptr, tick, nullptr, nullptr);
            std::string sql;
            if (kind == "export") sql = "CREATE TEMP TRIGGER gs_test_export AFTER INSERT ON main.gs_sync_inflight BEGIN SELECT gs_test_tick(); END;";
            if (kind == "ack") sql = "CREATE TEMP TRIGGER gs_test_ack AFTER DELETE ON main.gs_sync_inflight BEGIN SELECT gs_test_tick(); END;";
            if (kind == "apply")
                for (const char* t : {"programs", "sessions", "session_exercises", "top_set_logs", "users", "user_settings"})
                    for (const char* ev : {"INSERT", "UPDATE", "DELETE"})
                        sql += std::string("CREATE TEMP TRIGGER gs_test_apply_") + t + "_" + ev + " AFTER " + ev + " ON main." + t +
                               " BEGIN SELECT gs_test_tick(); END;";
            db->sql().exec(sql);
        } else if (kind != "none") {
            std::fprintf(stderr, "sync_worker: unknown mode %s\n", mode.c_str());
            return 2;
        }
        gainsly::sync::sync(*db, server, o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sync_worker: %s\n", e.what());
        return 3;
    }
    return 0;
}
