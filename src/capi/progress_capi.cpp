// C ABI: progress (src/progress/progress.hpp): trends, goals and their weekly check-ins, the weekly
// summary. Dates are checked and named here; the layer does the work (check-ins in one savepoint).
#include <optional>
#include <string>

#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "model/time.hpp"
#include "progress/progress.hpp"

using gainsly::Error;
using gainsly::Status;
using namespace gainsly::capi;
namespace progress = gainsly::progress;

namespace {

// NULL: the default; otherwise a real "YYYY-MM-DD" date or Error(invalid) naming the parameter.
std::optional<gainsly::model::Date> date_arg(const char* text, const char* name) {
    if (!text) return std::nullopt;
    auto d = gainsly::model::parse_date(text);
    if (!d) throw Error(Status::invalid, std::string(name) + ": '" + text + "' is not a valid date (YYYY-MM-DD)");
    return d;
}

}  // namespace

extern "C" {

int32_t gs_progress_get(gs_db* db, int64_t user_id, const char* from, const char* to, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto doc = progress::progress(*db->db, user_id, date_arg(from, "from"), date_arg(to, "to"));
        *out_json = to_c_string(doc.dump());
    });
}

int32_t gs_goal_checkin(gs_db* db, int64_t user_id, const char* date, const char* options_json, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        auto day = date_arg(date, "date").value_or(gainsly::model::today());
        auto options = options_json ? parse_json(options_json, "options_json") : progress::json::object();
        auto report = progress::checkin(*db->db, user_id, day, options);
        if (out_json) *out_json = to_c_string(report.dump());
    });
}

int32_t gs_goal_list(gs_db* db, int64_t user_id, const char* date, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto day = date_arg(date, "date").value_or(gainsly::model::today());
        *out_json = to_c_string(progress::goals(*db->db, user_id, day).dump());
    });
}

int32_t gs_summary_get(gs_db* db, int64_t user_id, const char* date, char** out_json) {
    if (out_json) *out_json = nullptr;
    return guard(db, [&] {
        need(reinterpret_cast<const char*>(out_json), "out_json");
        auto day = date_arg(date, "date").value_or(gainsly::model::today());
        *out_json = to_c_string(progress::weekly_summary(*db->db, user_id, day).dump());
    });
}

}  // extern "C"
