#include "training/context.hpp"

#include <algorithm>
#include <cstdio>

#include "math/validate.hpp"
#include "model/error.hpp"
#include "store/heuristics.hpp"

namespace gainsly::training {
namespace {

User load_user(Database& db, int64_t user_id, const math::Params& p) {
    auto& q = db.prepare(
        "SELECT u.persona_aggression, s.active_e1rm_formula, s.use_metric FROM users u "
        "LEFT JOIN user_settings s ON s.user_id = u.id WHERE u.id = ?");
    q.bind(1, static_cast<int64_t>(user_id));
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "user_id: no users row with id " + std::to_string(user_id));
    }
    User u;
    u.id = user_id;
    if (!q.getColumn(0).isNull()) u.persona_aggression = q.getColumn(0).getInt();
    std::string formula = q.getColumn(1).isNull() ? p.e1rm.default_formula : q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) u.use_metric = q.getColumn(2).getInt() != 0;
    q.tryReset();  // before anything can throw: a statement left on a row holds its read snapshot
    u.formula = math::parse_formula(formula);
    return u;
}

math::Params load_math_params(Database& db) {
    static const std::vector<std::string> keys = math::param_keys();
    return math::load_params(store::read_heuristics(db, keys));
}

}  // namespace

CallContext make_context(Database& db, int64_t user_id) {
    CallContext ctx{db, load_math_params(db), {}, 0};
    ctx.user = load_user(db, user_id, ctx.params);
    const auto& fp = ctx.params.fatigue;
    double tau = std::max({fp.default_tau_hours, fp.systemic_tau_hours, ctx.params.cns.tau_hours});
    for (const auto& [muscle, t] : fp.tau_hours) tau = std::max(tau, t);
    ctx.lookback_days = int(std::ceil(tau * -std::log(kNegligibleDecay) / 24.0));
    // Optional until the catalog ships it (see training.hpp).
    static const std::vector<std::string> activity_key = {"fatigue.activity.minutes_per_set"};
    auto h = store::read_heuristics(db, activity_key);
    if (auto it = h.find(activity_key[0]); it != h.end()) {
        if (!it->second.is_number()) invalid("heuristic_configs.fatigue.activity.minutes_per_set: must be a number");
        ctx.activity_minutes_per_set = it->second.get<double>();
        math::detail::require_range("heuristic_configs.fatigue.activity.minutes_per_set", ctx.activity_minutes_per_set, 1.0, 600.0);
    }
    return ctx;
}

void require_user_exists(Database& db, int64_t user_id) {
    if (!db.exists(db.schema().table("users"), user_id))
        throw Error(Status::not_found, "user_id: no users row with id " + std::to_string(user_id));
}

// The date a workout's sets are placed on (see training.hpp), from its row.
Workout load_workout(Database& db, int64_t user_id, int64_t workout_log_id) {
    auto& q = db.prepare(
        "SELECT w.user_id, w.session_id, COALESCE(w.workout_date, s.date, substr(w.created_at, 1, 10)) "
        "FROM workout_logs w LEFT JOIN sessions s ON s.id = w.session_id WHERE w.id = ?");
    q.bind(1, static_cast<int64_t>(workout_log_id));
    if (!q.executeStep()) {
        q.tryReset();
        throw Error(Status::not_found, "workout_log_id: no workout_logs row with id " + std::to_string(workout_log_id));
    }
    Workout w;
    w.id = workout_log_id;
    bool mine = !q.getColumn(0).isNull() && q.getColumn(0).getInt64() == user_id;
    if (!q.getColumn(1).isNull()) w.session_id = q.getColumn(1).getInt64();
    auto d = model::parse_date(q.getColumn(2).getString());
    q.tryReset();
    if (!mine) invalid("workout_log_id: workout " + std::to_string(workout_log_id) + " belongs to another user");
    w.date = d ? *d : model::today();
    return w;
}

Row make_row(const model::Table& t, std::initializer_list<std::pair<const char*, json>> values) {
    Row row;
    for (const auto& [name, value] : values) {
        const model::Column* c = t.find(name);
        if (!c) throw Error(Status::internal, t.name + "." + name + ": unknown column");
        row.emplace_back(c, to_sql(t, *c, value));
    }
    return row;
}

std::optional<double> column_double(sqlite::Statement& q, int i) {
    if (q.getColumn(i).isNull()) return std::nullopt;
    return q.getColumn(i).getDouble();
}

std::optional<std::string> column_text(sqlite::Statement& q, int i) {
    if (q.getColumn(i).isNull()) return std::nullopt;
    return q.getColumn(i).getString();
}

static uint64_t fnv1a(std::string_view s, uint64_t h) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

// A version-8 UUID (RFC 9562: custom) from a hash of `text`: the same text gives the same uid.
std::string derived_uid(const std::string& text) {
    uint64_t hi = fnv1a(text, 0xcbf29ce484222325ull);
    uint64_t lo = fnv1a(text, hi ^ 0x9e3779b97f4a7c15ull);
    lo ^= lo >> 29;
    hi = (hi & ~(0xfull << 12)) | (0x8ull << 12);  // version 8
    lo = (lo & ~(0x3ull << 62)) | (0x2ull << 62);  // variant 10
    char out[37];
    std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xffff),
                  unsigned(hi & 0xffff), unsigned(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffull));
    return out;
}

}  // namespace gainsly::training
