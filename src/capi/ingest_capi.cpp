// C ABI: ingestion of provider payloads and provider tokens (src/ingest/ingest.hpp). Thin shims:
// arguments are checked and named, out-parameters are set only on success.
#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "ingest/ingest.hpp"
#include "model/error.hpp"
#include "model/time.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace gainsly::capi;
namespace ingest = gainsly::ingest;

namespace {

ingest::RunType run_type(const gs_ingest_options* o) {
    if (!o) return ingest::RunType::incremental;
    OptionsSize given(o->size, sizeof(gs_ingest_options), sizeof(gs_ingest_options), "opts.size", "GS_INGEST_OPTIONS_INIT");
    switch (o->run_type) {
        case GS_INGEST_INCREMENTAL: return ingest::RunType::incremental;
        case GS_INGEST_FULL: return ingest::RunType::full;
        case GS_INGEST_BACKFILL: return ingest::RunType::backfill;
    }
    throw Error(Status::invalid, "opts.run_type: unknown value " + std::to_string(static_cast<int>(o->run_type)) +
                                     " (expected GS_INGEST_INCREMENTAL, GS_INGEST_FULL or GS_INGEST_BACKFILL)");
}

gainsly::model::Date date_or(const char* text, const char* name, gainsly::model::Date fallback) {
    if (!text) return fallback;
    auto d = gainsly::model::parse_date(text);
    if (!d) throw Error(Status::invalid, std::string(name) + ": '" + text + "' is not a valid date (YYYY-MM-DD)");
    return *d;
}

gainsly::store::json text_or_null(const char* s) { return s ? gainsly::store::json(s) : gainsly::store::json(nullptr); }

}  // namespace

extern "C" {

int32_t gs_ingest_options_init(gs_ingest_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_ingest_options GS_INGEST_OPTIONS_INIT, "gs_ingest_options"); });
}

int32_t gs_ingest_run(gs_db* db, const char* request_json, const gs_ingest_options* opts, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        const auto type = run_type(opts);
        auto report = ingest::run(*db->db, parse_json(request_json, "request_json"), type);
        if (out_report_json) *out_report_json = to_c_string(report.dump());
    });
}

int32_t gs_activity_list(gs_db* db, int64_t user_id, const char* from, const char* to, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        const auto last = date_or(to, "to", gainsly::model::today());
        const auto first = date_or(from, "from", last - std::chrono::days(28));
        if (last < first) throw Error(Status::invalid, "to: must not be before from");
        gainsly::store::json out = gainsly::store::json::array();
        for (const auto& a : ingest::counted_activities(*db->db, user_id, first, last))
            out.push_back({{"instance_id", a.instance_id}, {"activity_definition_id", a.definition_id}, {"name", a.name}, {"provider", a.provider},
                           {"started_at", a.started_at}, {"completed_at", a.completed_at}, {"duration_seconds", a.duration_seconds},
                           {"intensity", a.intensity ? gainsly::store::json(*a.intensity) : gainsly::store::json(nullptr)}});
        *out_json = to_c_string(out.dump());
    });
}

int32_t gs_provider_tokens_set(gs_db* db, int64_t account_id, const char* access_token, const char* refresh_token, const char* expires_at) {
    return guard(db, [&] {
        gainsly::store::Savepoint sp(*db->db);
        ingest::store_tokens(*db->db, account_id, text_or_null(access_token), text_or_null(refresh_token), text_or_null(expires_at));
        sp.commit();
    });
}

int32_t gs_provider_tokens_list(gs_db* db, int64_t user_id, int64_t within_seconds, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        *out_json = to_c_string(ingest::accounts_needing_refresh(*db->db, user_id, within_seconds).dump());
    });
}

}  // extern "C"
