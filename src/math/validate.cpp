#include "math/validate.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "model/error.hpp"

namespace gainsly::math::detail {

std::string num(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::ostringstream os;
    os << std::setprecision(10) << v;
    return os.str();
}

std::string item(std::string_view name, std::size_t index, std::string_view member) {
    std::string s(name);
    s += '[';
    s += std::to_string(index);
    s += ']';
    if (!member.empty()) {
        s += '.';
        s += member;
    }
    return s;
}

void fail(std::string_view field, std::string_view what) {
    std::string msg(field);
    msg += ": ";
    msg += what;
    throw Error(Status::invalid, msg);
}

void require_finite(std::string_view field, double v) {
    if (!std::isfinite(v)) fail(field, "must be a finite number, got " + num(v));
}

void require_range(std::string_view field, double v, double lo, double hi) {
    require_finite(field, v);
    if (v < lo || v > hi) fail(field, "must be between " + num(lo) + " and " + num(hi) + ", got " + num(v));
}

void require_int_range(std::string_view field, long long v, long long lo, long long hi) {
    if (v < lo || v > hi)
        fail(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                        std::to_string(v));
}

void require_optional_rpe(std::string_view field, double rpe) {
    require_finite(field, rpe);
    if (rpe > 0 && (rpe < 1 || rpe > 10)) fail(field, "must be between 1 and 10 (or <= 0 for not given), got " + num(rpe));
}

void require_positive(std::string_view field, double v) {
    require_finite(field, v);
    if (!(v > 0)) fail(field, "must be > 0, got " + num(v));
}

void require_nonnegative(std::string_view field, double v, double hi) {
    require_finite(field, v);
    if (v < 0) fail(field, "must be >= 0, got " + num(v));
    if (v > hi) fail(field, "must be <= " + num(hi) + ", got " + num(v));
}

}  // namespace gainsly::math::detail
