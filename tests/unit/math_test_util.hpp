// Shared by the math tests: special values, a tight Approx, and the bad-input expectation.
#pragma once
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "model/error.hpp"

namespace math_test {

inline constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf_v = std::numeric_limits<double>::infinity();

// f() must throw Error(Status::invalid) whose message starts with "<field>:".
template <class F>
void expect_invalid(F&& f, const std::string& field) {
    try {
        f();
        FAIL("no exception, expected one naming " << field);
    } catch (const gainsly::Error& e) {
        CHECK(e.status() == gainsly::Status::invalid);
        const std::string msg = e.what();
        CHECK_MESSAGE(msg.rfind(field + ":", 0) == 0, "message: " << msg);
    }
}

inline doctest::Approx near(double v) { return doctest::Approx(v).epsilon(1e-9); }

}  // namespace math_test
