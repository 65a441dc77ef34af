// The ingestion layer: raw provider payloads (the JSON a provider's API or a phone's health store
// returns, fetched by the host app) recorded as external_ingestion_runs, external_activity_records
// and external_metric_streams, then turned into recovery_signals and activity_instances. It sits
// above store, math and training (it asks training to own each day's first recovery_signals row)
// and below the C ABI. The files of this folder are listed in its README.
//
// Definitions (documented choices, see README.md for the full list):
// - The same provider record is the same (provider account, provider_activity_id) for activities
//   and the same (provider account, metric_type, timestamp) for metrics, whatever run stored it.
//   Stored again unchanged it is left alone; changed, its row is updated (raw JSON, values, run).
// - A nightly metric's timestamp is the night's local wake-up date at 00:00:00.000Z, so a night
//   holds one value per metric type and a provider's recalculation replaces it.
// - recovery_signals: one row per (user, signal_date, source) written by this layer, after the
//   day's own row (the lowest id, owned by training) exists. Its hrv_score, resting_heart_rate and
//   sleep_quality_score are the provider's; readiness_score is math::readiness of those against
//   the rows of the same source in the readiness.baseline_days days before (a source measures HRV
//   one way only: apple is SDNN, every other source RMSSD); overall_recovery_score is the
//   provider's own readiness / recovery score, or readiness_score when it gives none.
// - activity_instances written here have no session; their user is that of the
//   external_activity_records row pointing at them. completed_at is the end of the workout.
//   The same workout from two providers (same activity definition, times overlapping by at least
//   half of the shorter) is linked: the later instance is the source of a 'substitution' link to
//   the first and does not count (counted_activities() leaves it out).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/time.hpp"
#include "store/database.hpp"

namespace gainsly::ingest {

using store::Database;
using store::json;

enum class RunType { incremental, full, backfill };

// Ingests one payload for a provider account. request: {"account_id": N, "payload": <provider
// JSON>, "provider": "oura" (optional, checked against the account), "user_id": N (optional,
// checked)}. Request-level faults (invalid JSON, unknown provider, unknown or inactive account,
// another user's account, a payload not of the provider's shape) throw Error and write nothing; a
// bad record fails only itself and is listed in the report. Returns the report:
// {"run_id", "status", "records", "inserted", "updated", "unchanged", "failed", "errors": [...],
//  "signals": [recovery_signals ids], "activities": [activity_instances ids], "linked": n,
//  "skipped": [...]}.
json run(Database& db, const json& request, RunType type);

// An ingested activity as the plan half reads it (duplicates across providers left out).
struct Activity {
    int64_t instance_id = 0;
    int64_t definition_id = 0;
    std::string name;            // activity_definitions.name
    std::string provider;        // external_provider_accounts.provider_type
    std::string started_at, completed_at;  // canonical UTC timestamps
    int64_t duration_seconds = 0;
    std::optional<double> intensity;  // 0..10
};

// The user's ingested activities completed within [from, to] (UTC dates), oldest first.
std::vector<Activity> counted_activities(Database& db, int64_t user_id, model::Date from, model::Date to);

// Stores an account's OAuth tokens sealed (the handle's registered sealer, gs_token_set_sealer)
// with their expiry (canonical timestamp or null). Either token may be null (left as it is).
void store_tokens(Database& db, int64_t account_id, const json& access_token, const json& refresh_token, const json& expires_at);

// The active accounts of the user (0: every user) whose access token expires within
// `within_seconds` from now or has expired, or which hold a refresh token but no expiry:
// [{"id", "user_id", "provider_type", "token_expires_at", "expired", "has_refresh_token"}].
json accounts_needing_refresh(Database& db, int64_t user_id, int64_t within_seconds);

}  // namespace gainsly::ingest
