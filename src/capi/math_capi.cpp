// C ABI: the training math without a database (e1RM, RPE chart). Each shim validates its out
// pointer, runs the pure function under guard_free() and writes the result only on success.
#include <string>

#include "capi/handle.hpp"
#include "gainsly/gainsly.h"
#include "math/e1rm.hpp"
#include "math/rpe.hpp"
#include "model/error.hpp"

using namespace gainsly::capi;
namespace math = gainsly::math;

namespace {

// The GS_E1RM_* numbers are the math::Formula values; this keeps them from drifting apart.
static_assert(GS_E1RM_EPLEY == int(math::Formula::epley) && GS_E1RM_BRZYCKI == int(math::Formula::brzycki) &&
              GS_E1RM_LOMBARDI == int(math::Formula::lombardi) && GS_E1RM_OCONNER == int(math::Formula::oconner) &&
              GS_E1RM_MAYHEW == int(math::Formula::mayhew) && GS_E1RM_WATHAN == int(math::Formula::wathan) &&
              GS_E1RM_LANDER == int(math::Formula::lander));

void need_out(const double* out, const char* name) {
    if (!out) throw gainsly::Error(gainsly::Status::invalid, std::string(name) + ": must not be NULL");
}

// Runs f (which returns the value) and stores it in *out only on success.
template <class F>
int32_t compute(double* out, const char* out_name, F&& f) {
    if (out) *out = 0.0;
    return guard_free([&] {
        need_out(out, out_name);
        double v = f();
        *out = v;
    });
}

}  // namespace

extern "C" {

int32_t gs_e1rm_estimate(gs_e1rm_formula formula, double load, int32_t reps, double rpe, double* out) {
    return compute(out, "out_e1rm", [&] { return math::e1rm(math::formula_from_int(int32_t(formula)), load, reps, rpe); });
}

int32_t gs_rpe_lookup_percent(int32_t reps, double rpe, double* out_percent) {
    return compute(out_percent, "out_percent", [&] { return math::percent_1rm(reps, rpe); });
}

int32_t gs_e1rm_estimate_rpe(double load, int32_t reps, double rpe, double* out_e1rm) {
    return compute(out_e1rm, "out_e1rm", [&] { return math::e1rm_from_rpe(load, reps, rpe); });
}

int32_t gs_load_prescribe(double e1rm, int32_t reps, double rpe, double increment, double* out_load) {
    return compute(out_load, "out_load", [&] { return math::load_for(e1rm, reps, rpe, increment); });
}

}  // extern "C"
