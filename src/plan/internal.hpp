// The planner's internal headers, one per subject; a file that needs most of them includes this.
// Nothing here touches C strings or status codes.
#pragma once
#include "plan/catalog_view.hpp"
#include "plan/eligibility.hpp"
#include "plan/enums_and_dates.hpp"
#include "plan/params.hpp"
#include "plan/request.hpp"
#include "plan/user_data.hpp"
