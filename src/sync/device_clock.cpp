// The hybrid logical clock of device writes (device.hpp: hlc).
#include <algorithm>
#include <cstdint>
#include <string>

#include "sync/device.hpp"

namespace gainsly::sync {

namespace hlc {

int64_t node_of(const std::string& device_id) {
    uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char ch : device_id) h = (h ^ ch) * 16777619u;
    return int64_t(h & 0xFFF);
}

namespace {
// Wall time as a millisecond part, within [0, max_l] (no overflow for any input).
int64_t millis_part(int64_t wall_ms) {
    if (wall_ms <= epoch_ms) return 0;
    return std::min(wall_ms - epoch_ms, max_l);
}
}  // namespace

int64_t next(int64_t last, int64_t wall_ms, int64_t node) {
    last = std::max<int64_t>(last, 0);
    int64_t l_last = last >> 20, c_last = (last >> 12) & 0xFF;
    int64_t pt = millis_part(wall_ms);
    int64_t l = l_last, c = c_last + 1;
    if (pt > l_last) {
        l = pt;
        c = 0;
    } else if (c > 0xFF) {  // counter overflow: borrow a millisecond, unless the clock is at its end
        if (l < max_l) {
            l += 1;
            c = 0;
        } else {
            c = 0xFF;
        }
    }
    return (l << 20) | (c << 12) | (node & 0xFFF);
}

int64_t bound(int64_t h, int64_t limit_ms) {
    const int64_t l = millis_part(limit_ms);
    if ((h >> 20) <= l) return h;
    return (l << 20) | (h & 0xFFFFF);
}

}  // namespace hlc

}  // namespace gainsly::sync
