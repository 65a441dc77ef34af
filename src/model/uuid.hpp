// Time-ordered UUIDs (RFC 9562 version 7) for the global `uid` of every row.
#pragma once
#include <string>
#include <string_view>

namespace gainsly::model {

// A new version-7 UUID, lower-case canonical text. Monotonic within a thread even inside one
// millisecond (a 12-bit counter fills rand_a), so uids sort by creation time.
std::string new_uuid_v7();

// True for canonical lower-case 8-4-4-4-12 hexadecimal text.
bool is_canonical_uuid(std::string_view s);

}  // namespace gainsly::model
