// Everything in gainsly::math: pure training math, no I/O. See src/math/README.md.
#pragma once
#include "math/e1rm.hpp"       // IWYU pragma: export
#include "math/fatigue.hpp"    // IWYU pragma: export
#include "math/load.hpp"       // IWYU pragma: export
#include "math/params.hpp"     // IWYU pragma: export
#include "math/readiness.hpp"  // IWYU pragma: export
#include "math/rpe.hpp"        // IWYU pragma: export
#include "math/strength.hpp"   // IWYU pragma: export
