// C ABI: the training log (src/training/training.hpp). Thin shims: arguments are checked and named,
// the C++ layer does the work inside one savepoint, out-parameters are set only on success.
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "model/time.hpp"
#include "training/history.hpp"
#include "training/training.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace gainsly::capi;
namespace training = gainsly::training;

namespace {

// Reads the fields of a caller's gs_set_options that fit in its declared size: an older caller's
// smaller struct leaves the newer fields at their defaults.
void apply_options(const gs_set_options* o, training::SetInput& s) {
    if (!o) return;
    OptionsSize given(o->size, offsetof(gs_set_options, velocity), sizeof(gs_set_options), "opts.size", "GS_SET_OPTIONS_INIT");
    auto has = [&](std::size_t offset, std::size_t size) { return given.has(offset, size); };
    if (has(offsetof(gs_set_options, velocity), sizeof o->velocity)) {
        if (std::isnan(o->velocity)) throw Error(Status::invalid, "opts.velocity: must be a number, got nan");
        if (o->velocity >= 0) s.velocity = o->velocity;
    }
    if (has(offsetof(gs_set_options, notes), sizeof o->notes) && o->notes) s.notes = std::string(o->notes);
    if (has(offsetof(gs_set_options, set_type), sizeof o->set_type) && o->set_type) s.set_type = std::string(o->set_type);
}

training::LoggedSet log_one_set(gs_db* db, int64_t user_id, int64_t workout_log_id, int64_t movement_id, int32_t set_number, int32_t reps,
                                double load_kg, double rpe, const gs_set_options* options) {
    training::SetInput s;
    s.movement_id = movement_id;
    s.set_number = set_number;
    s.reps = reps;
    s.load_kg = load_kg;  // always given: 0 for body weight
    s.rpe = rpe;
    apply_options(options, s);
    return training::log_set(*db->db, user_id, workout_log_id, s);
}

// The history import's options from a caller's gs_history_options (NULL: the defaults).
training::HistoryImportOptions history_options(const gs_history_options* o) {
    training::HistoryImportOptions out;
    if (!o) return out;
    OptionsSize given(o->size, sizeof(gs_history_options), sizeof(gs_history_options), "opts.size", "GS_HISTORY_OPTIONS_INIT");
    if (o->flags & ~GS_HISTORY_IMPERIAL) throw Error(Status::invalid, "opts.flags: unknown bits " + std::to_string(o->flags & ~GS_HISTORY_IMPERIAL));
    out.imperial = (o->flags & GS_HISTORY_IMPERIAL) != 0;
    if (o->mapping_json) out.mapping = parse_json(o->mapping_json, "opts.mapping_json");
    if (o->progress) {
        gs_progress_fn fn = o->progress;
        void* ctx = o->progress_context;
        out.progress = [fn, ctx](const gainsly::store::json& p) { return fn(ctx, p.dump().c_str()) == 0; };
    }
    return out;
}

training::HistoryFormat history_format(gs_history_format format) {
    switch (format) {
        case GS_HISTORY_STRONG: return training::HistoryFormat::strong;
        case GS_HISTORY_HEVY: return training::HistoryFormat::hevy;
    }
    throw Error(Status::invalid, "format: " + std::to_string(int32_t(format)) + " is not a GS_HISTORY_* value");
}

}  // namespace

extern "C" {

int32_t gs_set_options_init(gs_set_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_set_options GS_SET_OPTIONS_INIT, "gs_set_options"); });
}

int32_t gs_workout_log(gs_db* db, const char* workout_json, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        auto report = training::log_workout(*db->db, parse_json(workout_json, "workout_json"));
        if (out_report_json) *out_report_json = to_c_string(report.dump());
    });
}

int32_t gs_set_log(gs_db* db, int64_t user_id, int64_t workout_log_id, int64_t movement_id, int32_t set_number, int32_t reps,
                   double load_kg, double rpe, const gs_set_options* options, int64_t* out_id, double* out_e1rm) {
    if (out_id) *out_id = 0;
    if (out_e1rm) *out_e1rm = 0.0;
    return guard(db, [&] {
        auto logged = log_one_set(db, user_id, workout_log_id, movement_id, set_number, reps, load_kg, rpe, options);
        if (out_id) *out_id = logged.id;
        if (out_e1rm) *out_e1rm = logged.e1rm.value_or(0.0);
    });
}

int32_t gs_set_log_v2(gs_db* db, int64_t user_id, int64_t workout_log_id, int64_t movement_id, int32_t set_number, int32_t reps,
                      double load_kg, double rpe, const gs_set_options* options, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        auto logged = log_one_set(db, user_id, workout_log_id, movement_id, set_number, reps, load_kg, rpe, options);
        if (out_report_json) *out_report_json = to_c_string(training::set_json(logged).dump());
    });
}

int32_t gs_pr_list(gs_db* db, int64_t user_id, int64_t movement_id, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        if (movement_id < 0) throw Error(Status::invalid, "movement_id: must be a movements id, or 0 for every movement");
        auto doc = training::personal_records_json(*db->db, user_id, movement_id ? std::optional<int64_t>(movement_id) : std::nullopt);
        *out_json = to_c_string(doc.dump());
    });
}

int32_t gs_pr_recompute(gs_db* db, int64_t user_id, int64_t movement_id, char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        if (movement_id < 0) throw Error(Status::invalid, "movement_id: must be a movements id, or 0 for every movement");
        std::vector<int64_t> movements;
        if (movement_id) movements.push_back(movement_id);
        auto report = training::recompute_personal_records(*db->db, user_id, movements);
        if (out_report_json) *out_report_json = to_c_string(report.dump());
    });
}

int32_t gs_soreness_log(gs_db* db, const char* soreness_json, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard(db, [&] {
        int64_t id = training::log_soreness(*db->db, parse_json(soreness_json, "soreness_json"));
        if (out_id) *out_id = id;
    });
}

int32_t gs_activity_log(gs_db* db, const char* activity_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        auto report = training::log_activity(*db->db, parse_json(activity_json, "activity_json"));
        if (out_json) *out_json = to_c_string(report.dump());
    });
}

int32_t gs_recovery_log(gs_db* db, const char* signals_json, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard(db, [&] {
        int64_t id = training::log_recovery(*db->db, parse_json(signals_json, "signals_json"));
        if (out_id) *out_id = id;
    });
}

int32_t gs_biometrics_log(gs_db* db, const char* biometrics_json, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard(db, [&] {
        int64_t id = training::log_biometrics(*db->db, parse_json(biometrics_json, "biometrics_json"));
        if (out_id) *out_id = id;
    });
}

int32_t gs_day_state_get(gs_db* db, int64_t user_id, const char* date, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        std::string text = need(date, "date");
        auto day = gainsly::model::parse_date(text);
        if (!day) throw Error(Status::invalid, "date: '" + text + "' is not a valid date (YYYY-MM-DD)");
        *out_json = to_c_string(training::day_state_json(training::day_state(*db->db, user_id, *day)).dump());
    });
}

int32_t gs_history_options_init(gs_history_options* opts, uint32_t size) {
    return guard_free([&] { init_options(opts, size, gs_history_options GS_HISTORY_OPTIONS_INIT, "gs_history_options"); });
}

int32_t gs_history_import(gs_db* db, int64_t user_id, gs_history_format format, const char* csv_text, const gs_history_options* opts,
                          char** out_report_json) {
    if (out_report_json) *out_report_json = nullptr;
    return guard(db, [&] {
        auto f = history_format(format);
        auto options = history_options(opts);
        auto report = training::import_history(*db->db, user_id, f, need(csv_text, "csv_text"), options);
        if (out_report_json) *out_report_json = to_c_string(report.dump());
    });
}

int32_t gs_history_export(gs_db* db, int64_t user_id, gs_history_format format, char** out_csv) {
    if (out_csv) *out_csv = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_csv), "out_csv");
        if (history_format(format) != training::HistoryFormat::strong)
            throw Error(Status::invalid, "format: only GS_HISTORY_STRONG is written (Strong's columns)");
        *out_csv = to_c_string(training::export_history(*db->db, user_id));
    });
}

}  // extern "C"
