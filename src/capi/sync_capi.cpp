// The C ABI of sync (gainsly.h "Sync" section): noexcept shims over src/sync.
#include <cstddef>
#include <cstring>
#include <map>
#include <set>
#include <vector>
#include <memory>
#include <mutex>
#include <string>

#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"

#include "sync/device.hpp"
#ifdef GAINSLY_WITH_POSTGRES
#include "sync/server.hpp"
#endif
#include "sync/sync.hpp"
#include "sync/tokens.hpp"
#include "training/training.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace gainsly::capi;

namespace {

namespace sync = gainsly::sync;

// While a sync call applies pulled pages, personal records follow the pulled log: the movements of
// pulled sets (before and after the change, and of a pulled workout's sets) and of pulled records
// are recomputed at the end of each page, in its transaction. Records have uids derived from what
// they record (src/training/README.md), so two devices derive the same rows and never duplicate.
// Set only around the C ABI's sync calls: sync itself does not use the training layer.
class PulledRecords {
public:
    explicit PulledRecords(gainsly::store::Database& db) : db_(db) {
        sync::set_pull_hook(db_, [this](const gainsly::model::Table* t, int64_t id, char phase) { on_pulled(t, id, phase); });
    }
    ~PulledRecords() { sync::set_pull_hook(db_, nullptr); }
    PulledRecords(const PulledRecords&) = delete;
    PulledRecords& operator=(const PulledRecords&) = delete;

private:
    void on_pulled(const gainsly::model::Table* t, int64_t id, char phase) {
        if (phase == 'e') {
            auto touched = std::move(touched_);
            touched_.clear();
            for (const auto& [user, movements] : touched)
                if (db_.exists(db_.schema().table("users"), user))
                    gainsly::training::recompute_personal_records(db_, user, std::vector<int64_t>(movements.begin(), movements.end()));
            return;
        }
        const char* sql = nullptr;
        if (t->name == "top_set_logs") sql = "SELECT user_id, movement_id FROM top_set_logs WHERE id = ?1 AND user_id IS NOT NULL AND movement_id IS NOT NULL";
        else if (t->name == "workout_logs") sql = "SELECT DISTINCT user_id, movement_id FROM top_set_logs WHERE workout_log_id = ?1 AND user_id IS NOT NULL AND movement_id IS NOT NULL";
        else if (t->name == "personal_records") sql = "SELECT user_id, movement_id FROM personal_records WHERE id = ?1";
        if (!sql) return;
        auto& q = db_.prepare(sql);
        q.bind(1, static_cast<int64_t>(id));
        while (q.executeStep()) touched_[q.getColumn(0).getInt64()].insert(q.getColumn(1).getInt64());
        q.tryReset();
    }

    gainsly::store::Database& db_;
    std::map<int64_t, std::set<int64_t>> touched_;  // user -> movements
};

sync::Options read_options(const gs_sync_options* o) {
    sync::Options out;
    if (!o) return out;
    OptionsSize given(o->size, offsetof(gs_sync_options, progress), sizeof(gs_sync_options), "opts.size", "GS_SYNC_OPTIONS_INIT");
    auto has = [&](size_t offset, size_t len) { return given.has(offset, len); };
    if (has(offsetof(gs_sync_options, user_uid), sizeof(o->user_uid)) && o->user_uid) out.user_uid = o->user_uid;
    if (has(offsetof(gs_sync_options, batch_rows), sizeof(o->batch_rows)) && o->batch_rows != 0) {
        if (o->batch_rows < 1 || o->batch_rows > 100000) throw Error(Status::invalid, "opts.batch_rows: must be between 1 and 100000");
        out.batch_rows = o->batch_rows;
    }
    if (has(offsetof(gs_sync_options, timeout_ms), sizeof(o->timeout_ms))) {
        if (o->timeout_ms < 0) throw Error(Status::invalid, "opts.timeout_ms: must not be negative");
        out.timeout_ms = o->timeout_ms;
    }
    if (has(offsetof(gs_sync_options, progress_context), sizeof(o->progress_context)) && o->progress) {
        gs_sync_progress_fn fn = o->progress;
        void* ctx = o->progress_context;
        out.on_progress = [fn, ctx](const sync::json& p) { return fn(ctx, p.dump().c_str()) == 0; };
    }
    return out;
}

#ifndef GAINSLY_WITH_POSTGRES
[[noreturn]] void no_sync() { throw Error(Status::sync, "sync: this library was built without PostgreSQL support (GAINSLY_WITH_POSTGRES=OFF)"); }
#endif

}  // namespace

// The handle behind gs_server: one connection kept between calls, replaced when it was lost.
struct gs_server {
    std::string conninfo;
    std::string role;
    int timeout_ms = 30000;
    std::mutex mutex;  // a backend may share the handle between threads: their calls take turns
#ifdef GAINSLY_WITH_POSTGRES
    std::unique_ptr<gainsly::sync::Server> server;
#endif
};

namespace {

#ifdef GAINSLY_WITH_POSTGRES
// Runs f on the handle's connection. A connection found lost (server restarted, idle connection
// cut by a proxy) is replaced and f tried once more on the new one: a push is applied exactly once
// whatever happened to the first attempt, and a pull only reads.
template <class F>
std::string on_server(gs_server* handle, F&& f) {
    if (!handle) throw Error(Status::invalid, "server: must not be NULL");
    std::lock_guard lock(handle->mutex);
    auto connect = [&] { handle->server = std::make_unique<sync::Server>(handle->conninfo, handle->timeout_ms, handle->role); };
    if (!handle->server || !handle->server->connection().ok()) connect();
    try {
        return f(*handle->server);
    } catch (...) {
        if (handle->server->connection().ok()) throw;  // the request failed, not the connection
    }
    handle->server.reset();
    connect();
    return f(*handle->server);
}
#endif

// Runs a host callback with a growing buffer; callbacks are C and cannot throw.
std::string call_host(int32_t (*fn)(void*, const char*, size_t, char*, size_t, size_t*), void* ctx, std::string_view in, const char* what) {
    if (!fn) throw Error(Status::invalid, std::string("sealer.") + what + ": must not be NULL");
    std::string buf(in.size() * 2 + 256, '\0');
    for (int attempt = 0; attempt < 3; ++attempt) {
        size_t len = 0;
        int32_t rc = fn(ctx, in.data(), in.size(), buf.data(), buf.size(), &len);
        if (rc != 0) throw Error(Status::auth, std::string("token: the host's ") + what + " callback failed (" + std::to_string(rc) + ")");
        if (len <= buf.size()) return buf.substr(0, len);
        if (len > (size_t(64) << 20)) break;
        buf.assign(len, '\0');
    }
    throw Error(Status::auth, std::string("token: the host's ") + what + " callback gave no usable output size");
}

template <class T>
void clear(T** out) {
    if (out) *out = nullptr;
}

}  // namespace

extern "C" {

int32_t gs_server_setup(const char* conninfo, char** out_report_json) {
    clear(out_report_json);
    return guard_free([&] {
#ifdef GAINSLY_WITH_POSTGRES
        auto report = sync::server_setup(need(conninfo, "conninfo"), 0);
        if (out_report_json) *out_report_json = to_c_string(report.dump());
#else
        no_sync();
#endif
    });
}

int32_t gs_server_add_account(const char* admin_conninfo, const char* user_uid, const char* role, const char* password, char** out_report_json) {
    clear(out_report_json);
    return guard_free([&] {
#ifdef GAINSLY_WITH_POSTGRES
        auto report = sync::server_add_account(need(admin_conninfo, "admin_conninfo"), need(user_uid, "user_uid"), need(role, "role"),
                                               need(password, "password"), 30000);
        if (out_report_json) *out_report_json = to_c_string(report.dump());
#else
        no_sync();
#endif
    });
}

int32_t gs_sync_run(gs_db* db, const char* conninfo, const gs_sync_options* opts, char** out_report_json) {
    clear(out_report_json);
    return guard(db, [&] {
#ifdef GAINSLY_WITH_POSTGRES
        PulledRecords records(*db->db);
        auto report = sync::sync(*db->db, need(conninfo, "conninfo"), read_options(opts));
        if (out_report_json) *out_report_json = to_c_string(report.dump());
#else
        no_sync();
#endif
    });
}

int32_t gs_sync_status_get(gs_db* db, char** out_json) {
    clear(out_json);
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(sync::Device(*db->db).status().dump());
    });
}

int32_t gs_sync_export_batch(gs_db* db, const gs_sync_options* opts, char** out_batch_json) {
    clear(out_batch_json);
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_batch_json), "out_batch_json");
        auto o = read_options(opts);
        sync::Device dev(*db->db);
        dev.user(o.user_uid);
        auto batch = dev.export_batch(o.batch_rows);
        if (!batch.empty()) *out_batch_json = to_c_string(sync::to_json(batch));
    });
}

int32_t gs_sync_import_ack(gs_db* db, const char* ack_json) {
    return guard(db, [&] {
        sync::Device(*db->db).accept_ack(sync::ack_from_json(parse_json(ack_json, "ack_json")));
    });
}

int32_t gs_sync_export_request(gs_db* db, const gs_sync_options* opts, char** out_request_json) {
    clear(out_request_json);
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_request_json), "out_request_json");
        auto o = read_options(opts);
        sync::Device dev(*db->db);
        dev.user(o.user_uid);
        *out_request_json = to_c_string(sync::to_json(dev.pull_request(o.batch_rows)));
    });
}

int32_t gs_sync_import_page(gs_db* db, const char* page_json, char** out_report_json) {
    clear(out_report_json);
    return guard(db, [&] {
        auto page = sync::page_from_json(parse_json(page_json, "page_json"));
        sync::Device dev(*db->db);
        PulledRecords records(*db->db);
        auto s = dev.apply(page);
        if (out_report_json) {
            gainsly::store::json r{{"applied", s.applied}, {"deleted", s.deleted}, {"conflicts", s.conflicts}, {"parked", s.parked},
                                   {"more", page.more || page.resync}, {"resync", page.resync}, {"cursor", page.cursor}};
            *out_report_json = to_c_string(r.dump());
        }
    });
}

int32_t gs_server_options_init(gs_server_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_server_options GS_SERVER_OPTIONS_INIT, "gs_server_options"); });
}

int32_t gs_server_open(const char* conninfo, const gs_server_options* opts, gs_server** out_server) {
    clear(out_server);
    return guard_free([&] {
        if (!out_server) throw Error(Status::invalid, "out_server: must not be NULL");
        auto handle = std::make_unique<gs_server>();
        handle->conninfo = need(conninfo, "conninfo");
        if (opts) {
            OptionsSize given(opts->size, sizeof(gs_server_options), sizeof(gs_server_options), "opts.size", "GS_SERVER_OPTIONS_INIT");
            if (opts->account_role) handle->role = opts->account_role;
            if (opts->timeout_ms < 1 || opts->timeout_ms > 600000)
                throw Error(Status::invalid, "opts.timeout_ms: must be between 1 and 600000, got " + std::to_string(opts->timeout_ms));
            handle->timeout_ms = opts->timeout_ms;
        }
#ifdef GAINSLY_WITH_POSTGRES
        // Connect now, so that a wrong password or a server never set up fails here.
        handle->server = std::make_unique<sync::Server>(handle->conninfo, handle->timeout_ms, handle->role);
#else
        no_sync();
#endif
        *out_server = handle.release();
        ++live_objects;
    });
}

void gs_server_close(gs_server* server) {
    if (!server) return;
    std::unique_ptr<gs_server> owned(server);  // closes the connection
    --live_objects;
}

int32_t gs_server_push(gs_server* server, const char* batch_json, char** out_ack_json) {
    clear(out_ack_json);
    return guard_free([&] {
        need(reinterpret_cast<const char*>(out_ack_json), "out_ack_json");
#ifdef GAINSLY_WITH_POSTGRES
        // Refused before parsing: a giant document would cost the server its memory first.
        if (const size_t n = std::strlen(need(batch_json, "batch_json")); n > sync::batch_max_bytes)
            throw Error(Status::invalid, "batch_json: " + std::to_string(n) + " bytes, over the " + std::to_string(sync::batch_max_bytes) +
                                             " bytes a batch may carry (gs_sync_export_batch never makes one; split it)");
        auto batch = sync::batch_from_json(parse_json(batch_json, "batch_json"));
        *out_ack_json = to_c_string(on_server(server, [&](sync::Server& s) { return sync::to_json(s.push(batch)); }));
#else
        (void)server;
        (void)batch_json;
        no_sync();
#endif
    });
}

int32_t gs_server_pull(gs_server* server, const char* request_json, char** out_page_json) {
    clear(out_page_json);
    return guard_free([&] {
        need(reinterpret_cast<const char*>(out_page_json), "out_page_json");
#ifdef GAINSLY_WITH_POSTGRES
        auto request = sync::pull_request_from_json(parse_json(request_json, "request_json"));
        *out_page_json = to_c_string(on_server(server, [&](sync::Server& s) { return sync::to_json(s.pull(request)); }));
#else
        (void)server;
        (void)request_json;
        no_sync();
#endif
    });
}

int32_t gs_sync_options_init(gs_sync_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_sync_options GS_SYNC_OPTIONS_INIT, "gs_sync_options"); });
}

int32_t gs_token_sealer_init(gs_token_sealer* sealer, uint32_t size) {
    return guard_free([&] { init_options(sealer, size, gs_token_sealer GS_TOKEN_SEALER_INIT, "gs_token_sealer"); });
}

int32_t gs_token_set_sealer(gs_db* db, const gs_token_sealer* sealer) {
    return guard(db, [&] {  // in every build: the sealed-token rule does not depend on sync
        if (!sealer) {
            gainsly::sync::set_token_sealer(*db->db, nullptr);
            return;
        }
        OptionsSize given(sealer->size, sizeof(gs_token_sealer), sizeof(gs_token_sealer), "sealer.size", "GS_TOKEN_SEALER_INIT");
        if (!sealer->seal || !sealer->open) throw Error(Status::invalid, "sealer: seal and open must not be NULL");
        gs_token_sealer copy = *sealer;
        auto s = std::make_shared<gainsly::sync::TokenSealer>();
        s->seal = [copy](std::string_view in) { return call_host(copy.seal, copy.context, in, "seal"); };
        s->open = [copy](std::string_view in) { return call_host(copy.open, copy.context, in, "open"); };
        gainsly::sync::set_token_sealer(*db->db, s);
    });
}

int32_t gs_token_seal(gs_db* db, const char* plain, char** out_sealed) {
    clear(out_sealed);
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_sealed), "out_sealed");
        *out_sealed = to_c_string(gainsly::sync::seal_token(*db->db, need(plain, "plain")));
    });
}

int32_t gs_token_unseal(gs_db* db, const char* sealed, char** out_plain) {
    clear(out_plain);
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_plain), "out_plain");
        *out_plain = to_c_string(gainsly::sync::open_token(*db->db, need(sealed, "sealed")));
    });
}

}  // extern "C"
