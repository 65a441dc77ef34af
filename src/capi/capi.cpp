// The C ABI: thin noexcept shims over the C++ layers. Each entry point runs its body inside
// guard(), which turns any exception into a status code and a message, so nothing escapes.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "capi/handle.hpp"
#include "catalog/transfer.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "store/database.hpp"
#include "store/user_export.hpp"
#include "training/training.hpp"

using gainsly::Error;
using gainsly::Status;

// The C++ statuses are the header's codes: a renumbering on either side fails to compile.
static_assert(int(Status::ok) == GS_OK && int(Status::invalid) == GS_ERR_INVALID && int(Status::not_found) == GS_ERR_NOT_FOUND &&
              int(Status::constraint) == GS_ERR_CONSTRAINT && int(Status::infeasible) == GS_ERR_INFEASIBLE &&
              int(Status::io) == GS_ERR_IO && int(Status::corrupt) == GS_ERR_CORRUPT && int(Status::busy) == GS_ERR_BUSY &&
              int(Status::sync) == GS_ERR_SYNC && int(Status::auth) == GS_ERR_AUTH && int(Status::version) == GS_ERR_VERSION &&
              int(Status::internal) == GS_ERR_INTERNAL && int(Status::nomem) == GS_ERR_NOMEM &&
              int(Status::canceled) == GS_ERR_CANCELED && int(Status::readonly) == GS_ERR_READONLY);

namespace gainsly::capi {

std::atomic<int64_t> live_objects{0};
thread_local std::string thread_message;
thread_local int32_t thread_status = GS_OK;

void record(gs_db* db, int32_t status, const std::string& message) noexcept {
    try {
        if (db) {
            db->status = status;
            db->message = message;
        } else {
            thread_status = status;
            thread_message = message;
        }
    } catch (...) {  // no memory for the message: keep the status
        if (db) db->status = status;
        else thread_status = status;
    }
}

int32_t fail_from_current_exception(gs_db* db) noexcept {
    try {
        throw;
    } catch (const Error& e) {
        record(db, int32_t(e.status()), e.what());
        return int32_t(e.status());
    } catch (const std::bad_alloc&) {
        record(db, GS_ERR_NOMEM, "out of memory");
        return GS_ERR_NOMEM;
    } catch (const std::exception& e) {
        try {
            store::rethrow_as_error(e, "");
        } catch (const Error& mapped) {
            record(db, int32_t(mapped.status()), mapped.what());
            return int32_t(mapped.status());
        } catch (...) {
        }
        record(db, GS_ERR_INTERNAL, e.what());
        return GS_ERR_INTERNAL;
    } catch (...) {
        record(db, GS_ERR_INTERNAL, "unknown internal error");
        return GS_ERR_INTERNAL;
    }
}

OptionsSize::OptionsSize(uint32_t size, size_t first_size, size_t current_size, const char* field, const char* init_macro) : size_(size) {
    if (size < first_size || size > current_size)
        throw Error(Status::invalid, std::string(field) + ": " + std::to_string(size) + " is not a size this library knows (" +
                                         std::to_string(first_size) + ".." + std::to_string(current_size) + "); initialise with " +
                                         init_macro + " or the matching _init function");
}

char* to_c_string(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.c_str(), s.size() + 1);
    ++live_objects;
    return p;
}

const char* need(const char* arg, const char* name) {
    if (!arg) throw Error(Status::invalid, std::string(name) + ": must not be NULL");
    return arg;
}

store::json parse_json(const char* text, const char* name) {
    try {
        store::check_json_depth(need(text, name), name);  // before parsing: a deep document would overflow the stack later
        return store::json::parse(text);
    } catch (const store::json::exception& e) {
        throw Error(Status::invalid, std::string(name) + ": invalid JSON: " + e.what());
    }
}

}  // namespace gainsly::capi

using namespace gainsly::capi;

// CMake passes the version it read from the header; other builds (the SwiftPM source package)
// spell it from the header's macros.
#ifndef GAINSLY_VERSION_STRING
#define GAINSLY_TEXT(x) #x
#define GAINSLY_VERSION_TEXT(major, minor, patch) GAINSLY_TEXT(major) "." GAINSLY_TEXT(minor) "." GAINSLY_TEXT(patch)
#define GAINSLY_VERSION_STRING GAINSLY_VERSION_TEXT(GS_VERSION_MAJOR, GS_VERSION_MINOR, GS_VERSION_PATCH)
#endif

extern "C" {

const char* gs_library_version(void) { return GAINSLY_VERSION_STRING; }

int32_t gs_schema_version(void) {
    int32_t v = 0;
    guard_free([&] { v = gainsly::model::Schema::builtin().version(); });
    return v;
}

const char* gs_status_name(int32_t status) {
    switch (status) {
        case GS_OK: return "GS_OK";
        case GS_ERR_INVALID: return "GS_ERR_INVALID";
        case GS_ERR_NOT_FOUND: return "GS_ERR_NOT_FOUND";
        case GS_ERR_CONSTRAINT: return "GS_ERR_CONSTRAINT";
        case GS_ERR_INFEASIBLE: return "GS_ERR_INFEASIBLE";
        case GS_ERR_IO: return "GS_ERR_IO";
        case GS_ERR_CORRUPT: return "GS_ERR_CORRUPT";
        case GS_ERR_BUSY: return "GS_ERR_BUSY";
        case GS_ERR_SYNC: return "GS_ERR_SYNC";
        case GS_ERR_AUTH: return "GS_ERR_AUTH";
        case GS_ERR_VERSION: return "GS_ERR_VERSION";
        case GS_ERR_INTERNAL: return "GS_ERR_INTERNAL";
        case GS_ERR_NOMEM: return "GS_ERR_NOMEM";
        case GS_ERR_CANCELED: return "GS_ERR_CANCELED";
        case GS_ERR_READONLY: return "GS_ERR_READONLY";
        default: return "GS_UNKNOWN";
    }
}

int32_t gs_db_open(const char* path, gs_db** out) { return gs_db_open_v2(path, nullptr, out); }

int32_t gs_db_options_init(gs_db_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_db_options GS_DB_OPTIONS_INIT, "gs_db_options"); });
}

int32_t gs_db_open_v2(const char* path, const gs_db_options* opts, gs_db** out) {
    if (out) *out = nullptr;
    return guard_free([&] {
        need(path, "path");
        if (!out) throw Error(Status::invalid, "out_db: must not be NULL");
        gainsly::store::OpenOptions options;
        if (opts) {
            OptionsSize given(opts->size, sizeof(gs_db_options), sizeof(gs_db_options), "opts.size", "GS_DB_OPTIONS_INIT");
            if (given.has(offsetof(gs_db_options, flags), sizeof opts->flags)) {
                if (opts->flags & ~uint32_t(GS_OPEN_READ_ONLY))
                    throw Error(Status::invalid, "opts.flags: unknown bits " + std::to_string(opts->flags & ~uint32_t(GS_OPEN_READ_ONLY)));
                options.read_only = (opts->flags & GS_OPEN_READ_ONLY) != 0;
            }
            if (given.has(offsetof(gs_db_options, busy_timeout_ms), sizeof opts->busy_timeout_ms)) {
                if (opts->busy_timeout_ms < 0 || opts->busy_timeout_ms > 600000)
                    throw Error(Status::invalid, "opts.busy_timeout_ms: must be between 0 and 600000, got " + std::to_string(opts->busy_timeout_ms));
                options.busy_timeout_ms = opts->busy_timeout_ms;
            }
        }
        auto handle = std::make_unique<gs_db>();
        handle->db = open_database(path, options);
        *out = handle.release();
        ++live_objects;
    });
}

void gs_db_close(gs_db* db) {
    if (!db) return;
    delete db;  // the handle owns its Database; unique_ptr inside closes the file
    --live_objects;
}

const char* gs_error_message(const gs_db* db) { return db ? db->message.c_str() : thread_message.c_str(); }

int32_t gs_error_code(const gs_db* db) { return db ? db->status : thread_status; }

void gs_string_free(void* p) {
    if (!p) return;
    std::free(p);
    --live_objects;
}

int64_t gs_debug_live_objects(void) { return live_objects.load(); }

int32_t gs_row_insert(gs_db* db, const char* table, const char* json, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard(db, [&] {
        auto row = parse_json(json, "row_json");
        const std::string name = need(table, "table");
        int64_t id = gainsly::training::write_log_row(*db->db, name, std::nullopt, [&] { return db->db->insert(name, row); });
        if (out_id) *out_id = id;
    });
}

int32_t gs_row_update(gs_db* db, const char* table, int64_t id, const char* json) {
    return guard(db, [&] {
        const std::string name = need(table, "table");
        auto changes = parse_json(json, "row_json");
        gainsly::training::write_log_row(*db->db, name, id, [&] {
            db->db->update(name, id, changes);
            return id;
        });
    });
}

int32_t gs_row_delete(gs_db* db, const char* table, int64_t id) {
    return guard(db, [&] {
        const std::string name = need(table, "table");
        gainsly::training::write_log_row(*db->db, name, id, [&] {
            db->db->remove(name, id);
            return id;
        });
    });
}

int32_t gs_row_get(gs_db* db, const char* table, int64_t id, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(db->db->get_text(need(table, "table"), id));
    });
}

int32_t gs_row_select(gs_db* db, const char* table, const char* filter_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto filter = filter_json ? parse_json(filter_json, "filter_json") : gainsly::store::json();
        *out_json = to_c_string(db->db->select_text(need(table, "table"), filter));
    });
}

int32_t gs_session_get(gs_db* db, int64_t session_id, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(db->db->session_text(session_id));
    });
}

int32_t gs_user_export(gs_db* db, int64_t user_id, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(gainsly::store::export_user(*db->db, user_id).dump());
    });
}

int32_t gs_db_import(gs_db* db, gs_import_format format, const char* json, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        auto doc = parse_json(json, "document_json");
        gainsly::store::json report;
        switch (format) {
            case GS_IMPORT_USER_EXPORT: {
                // Personal records are derived from the imported log (as after a sync pull), in the
                // import's savepoint: store does not use the training layer.
                gainsly::store::Savepoint sp(*db->db);
                report = gainsly::store::import_user(*db->db, doc);
                report["personal_records"] = gainsly::training::recompute_personal_records(*db->db, report["user_id"].get<int64_t>());
                sp.commit();
                break;
            }
            case GS_IMPORT_CATALOG: report = gainsly::catalog::import_catalog(*db->db, doc); break;
            case GS_IMPORT_FREE_EXERCISE_DB: report = gainsly::catalog::import_free_exercise_db(*db->db, doc); break;
            default: throw Error(Status::invalid, "format: " + std::to_string(int32_t(format)) + " is not a GS_IMPORT_* value");
        }
        if (out_report_json) *out_report_json = to_c_string(report.dump());
    });
}

int32_t gs_db_begin(gs_db* db) {
    return guard(db, [&] { db->db->begin(); });
}

int32_t gs_db_commit(gs_db* db) {
    return guard(db, [&] { db->db->commit(); });
}

int32_t gs_db_rollback(gs_db* db) {
    return guard(db, [&] { db->db->rollback(); });
}

}  // extern "C"
