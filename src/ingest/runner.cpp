// One ingestion run: the request checked, the payload parsed by the provider's adapter, the run
// row taken through pending -> running -> succeeded / partial / failed, each record stored
// idempotently in its own savepoint (a bad one fails alone; a run killed half-way leaves whole
// records, and running the payload again adds none twice), then the signals derived.
#include <map>

#include "ingest/ingest.hpp"
#include "ingest/process.hpp"
#include "model/error.hpp"

namespace gainsly::ingest {
namespace {

using Parser = std::vector<ParsedRecord> (*)(const json&);

struct Provider {
    const char* type;  // external_provider_accounts.provider_type
    Parser parse;
};

constexpr Provider providers[] = {{"apple_health", parse_apple_health},
                                  {"garmin", parse_garmin},
                                  {"health_connect", parse_health_connect},
                                  {"oura", parse_oura},
                                  {"whoop", parse_whoop}};

std::string provider_names() {
    std::string s;
    for (const auto& p : providers) s += std::string(s.empty() ? "" : ", ") + p.type;
    return s;
}

const Provider* find_provider(const std::string& type) {
    for (const auto& p : providers)
        if (type == p.type) return &p;
    return nullptr;
}

struct Account {
    int64_t id = 0, user_id = 0;
    std::string provider;
    std::optional<std::string> provider_user;
};

int64_t request_id(const json& request, const char* key) {
    auto it = request.find(key);
    if (it == request.end() || !it->is_number_integer() || it->get<int64_t>() <= 0)
        invalid(std::string("request.") + key + ": expected a positive integer id");
    return it->get<int64_t>();
}

Account load_account(Database& db, const json& request) {
    if (!request.is_object()) invalid("request: expected an object {\"account_id\", \"payload\"}");
    for (const auto& [key, v] : request.items())
        if (key != "account_id" && key != "payload" && key != "provider" && key != "user_id")
            invalid("request." + key + ": unknown field (expected account_id, payload, provider, user_id)");
    std::optional<std::string> named;
    if (auto it = request.find("provider"); it != request.end()) {
        if (!it->is_string()) invalid("request.provider: expected a string");
        named = it->get<std::string>();
        if (!find_provider(*named)) invalid("request.provider: unknown provider '" + *named + "' (expected " + provider_names() + ")");
    }
    const int64_t id = request_id(request, "account_id");
    auto& q = db.prepare("SELECT user_id, provider_type, provider_user_id, is_active FROM external_provider_accounts WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "request.account_id: no external_provider_accounts row " + std::to_string(id));
    }
    Account a;
    a.id = id;
    a.user_id = q.getColumn(0).isNull() ? 0 : q.getColumn(0).getInt64();
    a.provider = q.getColumn(1).isNull() ? "" : q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) a.provider_user = q.getColumn(2).getString();
    const bool active = q.getColumn(3).getInt() != 0;
    q.tryReset();
    const std::string acc = "request.account_id: account " + std::to_string(id);
    if (a.user_id == 0) invalid(acc + " has no user");
    if (!active) invalid(acc + " is not active (is_active = 0)");
    if (!find_provider(a.provider))
        invalid(acc + " is a '" + a.provider + "' account, which has no adapter (expected " + provider_names() + ")");
    if (named && *named != a.provider) invalid("request.provider: '" + *named + "' but " + acc.substr(20) + " is a '" + a.provider + "' account");
    if (request.contains("user_id") && request_id(request, "user_id") != a.user_id)
        invalid(acc + " belongs to another user than request.user_id " + std::to_string(request["user_id"].get<int64_t>()));
    if (!request.contains("payload")) invalid("request.payload: missing (the provider's JSON as it returned it)");
    return a;
}

const char* run_type_name(RunType t) { return t == RunType::full ? "full" : t == RunType::backfill ? "backfill" : "incremental"; }

enum class Change { inserted, updated, unchanged };

Change worst(Change a, Change b) { return a == Change::inserted || b == Change::inserted ? Change::inserted : a == Change::updated || b == Change::updated ? Change::updated : Change::unchanged; }

// The stored row of the same provider record (same account), if any: id, raw JSON, value.
struct Existing {
    int64_t id = 0;
    json raw;
    double value = 0;
    std::optional<int64_t> processed;
};

std::optional<Existing> existing_activity(Database& db, int64_t account, int64_t user, const std::string& provider_id) {
    auto& q = db.prepare(
        "SELECT e.id, e.raw_data_json, e.processed_to_instance_id FROM external_activity_records e "
        "JOIN external_ingestion_runs r ON r.id = e.ingestion_run_id "
        "WHERE e.user_id = ? AND e.provider_activity_id = ? AND r.provider_account_id = ? ORDER BY e.id LIMIT 1");
    q.bind(1, user);
    q.bind(2, provider_id);
    q.bind(3, account);
    std::optional<Existing> out;
    if (q.executeStep()) {
        out = Existing{q.getColumn(0).getInt64(), json::parse(q.getColumn(1).isNull() ? "null" : q.getColumn(1).getString(), nullptr, false), 0,
                       std::nullopt};
        if (!q.getColumn(2).isNull()) out->processed = q.getColumn(2).getInt64();
    }
    q.tryReset();
    return out;
}

std::optional<Existing> existing_metric(Database& db, int64_t account, int64_t user, const Metric& m) {
    auto& q = db.prepare(
        "SELECT m.id, m.raw_data_json, m.value FROM external_metric_streams m JOIN external_ingestion_runs r ON r.id = m.ingestion_run_id "
        "WHERE m.user_id = ? AND m.metric_type = ? AND m.timestamp = ? AND r.provider_account_id = ? ORDER BY m.id LIMIT 1");
    q.bind(1, user);
    q.bind(2, m.type);
    q.bind(3, m.timestamp);
    q.bind(4, account);
    std::optional<Existing> out;
    if (q.executeStep())
        out = Existing{q.getColumn(0).getInt64(), json::parse(q.getColumn(1).isNull() ? "null" : q.getColumn(1).getString(), nullptr, false),
                       q.getColumn(2).isNull() ? 0.0 : q.getColumn(2).getDouble(), std::nullopt};
    q.tryReset();
    return out;
}

struct RunState {
    int64_t run_id = 0;
    Account account;
    std::vector<StoredMetric> nightly;
    json activities = json::array(), skipped = json::array(), errors = json::array();
    int inserted = 0, updated = 0, unchanged = 0, linked = 0;
};

// Stores one record (its metrics and workout) and derives its activity; throws on a bad record.
Change store_record(Database& db, RunState& st, const ParsedRecord& rec) {
    const Account& a = st.account;
    if (rec.provider_user && a.provider_user && *rec.provider_user != *a.provider_user)
        invalid(rec.label + ": user " + *rec.provider_user + " is not the account's provider user " + *a.provider_user +
                " (a record of another user)");
    Change change = Change::unchanged;
    for (const Metric& m : rec.metrics) {
        auto old = existing_metric(db, a.id, a.user_id, m);
        int64_t id;
        if (!old) {
            id = db.insert("external_metric_streams", json{{"ingestion_run_id", st.run_id}, {"user_id", a.user_id}, {"metric_type", m.type},
                                                            {"timestamp", m.timestamp}, {"value", m.value}, {"unit", m.unit}, {"raw_data_json", rec.raw}});
            change = worst(change, Change::inserted);
        } else {
            id = old->id;
            if (old->raw != rec.raw || old->value != m.value) {
                db.update("external_metric_streams", id, json{{"ingestion_run_id", st.run_id}, {"value", m.value}, {"unit", m.unit}, {"raw_data_json", rec.raw}});
                change = worst(change, Change::updated);
            }
        }
        if (m.night && !m.source.empty()) st.nightly.push_back({m, id});
    }
    if (rec.workout) {
        const Workout& w = *rec.workout;
        auto old = existing_activity(db, a.id, a.user_id, w.provider_id);
        int64_t id;
        bool process = true;
        if (!old) {
            id = db.insert("external_activity_records", json{{"ingestion_run_id", st.run_id}, {"user_id", a.user_id}, {"provider_activity_id", w.provider_id},
                                                              {"activity_type", w.kind.substr(0, 100)}, {"performed_at", w.start}, {"raw_data_json", rec.raw}});
            change = worst(change, Change::inserted);
        } else {
            id = old->id;
            if (old->raw != rec.raw) {
                db.update("external_activity_records", id,
                          json{{"ingestion_run_id", st.run_id}, {"activity_type", w.kind.substr(0, 100)}, {"performed_at", w.start}, {"raw_data_json", rec.raw}});
                change = worst(change, Change::updated);
            } else {
                process = !old->processed;
            }
        }
        if (process) {
            WorkoutResult r = write_workout(db, a.user_id, a.id, a.provider, id, w);
            if (r.instance_id) st.activities.push_back(r.instance_id);
            if (r.linked) ++st.linked;
            if (!r.skipped.empty()) st.skipped.push_back(r.skipped);
        }
    }
    return change;
}

void set_run(Database& db, int64_t run_id, json changes) {
    db.update("external_ingestion_runs", run_id, changes);
}

}  // namespace

json run(Database& db, const json& request, RunType type) {
    const Account account = load_account(db, request);
    const Provider& provider = *find_provider(account.provider);
    std::vector<ParsedRecord> records = provider.parse(request["payload"]);  // a payload of the wrong shape throws: nothing written

    RunState st;
    st.account = account;
    {
        store::Savepoint sp(db);
        // A run of this account that never finished (the process was killed): closed as failed;
        // this run stores its records again, each once.
        auto& q = db.prepare("SELECT id FROM external_ingestion_runs WHERE provider_account_id = ? AND status IN ('pending', 'running')");
        q.bind(1, account.id);
        std::vector<int64_t> stale;
        while (q.executeStep()) stale.push_back(q.getColumn(0).getInt64());
        q.tryReset();
        for (int64_t id : stale)
            set_run(db, id, {{"status", "failed"}, {"finished_at", model::now_timestamp()}, {"error_message", "interrupted before it finished; a later run resumed it"}});
        st.run_id = db.insert("external_ingestion_runs", json{{"user_id", account.user_id}, {"provider_account_id", account.id},
                                                              {"run_type", run_type_name(type)}, {"status", "pending"}});
        sp.commit();
    }
    set_run(db, st.run_id, {{"status", "running"}, {"started_at", model::now_timestamp()}});

    int failed = 0;
    for (const ParsedRecord& rec : records) {
        if (!rec.skipped.empty()) st.skipped.push_back(rec.skipped);
        if (!rec.error.empty()) {
            ++failed;
            st.errors.push_back({{"record", rec.label}, {"message", rec.error}});
            continue;
        }
        if (rec.metrics.empty() && !rec.workout) continue;  // a type not read: nothing to keep
        try {
            store::Savepoint sp(db);
            Change c = store_record(db, st, rec);
            sp.commit();
            (c == Change::inserted ? st.inserted : c == Change::updated ? st.updated : st.unchanged)++;
        } catch (const Error& e) {
            if (e.status() != Status::invalid && e.status() != Status::constraint) throw;
            ++failed;
            st.errors.push_back({{"record", rec.label}, {"message", e.what()}});
        }
    }
    json signals = json::array();
    std::string fatal;
    try {
        store::Savepoint sp(db);
        for (int64_t id : write_signals(db, account.user_id, st.nightly)) signals.push_back(id);
        sp.commit();
    } catch (const Error& e) {
        if (e.status() != Status::invalid && e.status() != Status::constraint) throw;
        fatal = std::string("recovery signals: ") + e.what();
    }
    const int ok = st.inserted + st.updated + st.unchanged;
    const std::string status = !fatal.empty() || (failed > 0 && ok == 0) ? "failed" : failed > 0 ? "partial" : "succeeded";
    std::string message = fatal;
    for (const auto& e : st.errors) {
        if (message.size() > 2000) break;
        message += std::string(message.empty() ? "" : "; ") + e["message"].get<std::string>();
    }
    json done = {{"status", status}, {"finished_at", model::now_timestamp()}, {"records_processed", ok}};
    if (!message.empty()) done["error_message"] = message;
    set_run(db, st.run_id, done);
    return {{"run_id", st.run_id},     {"status", status},         {"provider", account.provider}, {"records", int(records.size())},
            {"inserted", st.inserted}, {"updated", st.updated},    {"unchanged", st.unchanged},   {"failed", failed},
            {"errors", st.errors},     {"signals", signals},       {"activities", st.activities}, {"linked", st.linked},
            {"skipped", st.skipped}};
}

}  // namespace gainsly::ingest
