#include "model/uuid.hpp"

#include <chrono>
#include <cstdint>
#include <random>

namespace gainsly::model {

std::string new_uuid_v7() {
    thread_local std::mt19937_64 rng{std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32)};
    thread_local uint64_t last_ms = 0;
    thread_local uint32_t counter = 0;
    uint64_t ms = uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count());
    if (ms <= last_ms) {
        ms = last_ms;
        if (++counter > 0xfff) {  // counter exhausted: borrow the next millisecond
            ++ms;
            counter = uint32_t(rng() & 0x3ff);
        }
    } else {
        counter = uint32_t(rng() & 0x3ff);  // leave headroom so the counter rarely overflows
    }
    last_ms = ms;
    uint8_t b[16];
    for (int i = 0; i < 6; ++i) b[i] = uint8_t(ms >> (40 - 8 * i));
    b[6] = uint8_t(0x70 | ((counter >> 8) & 0x0f));
    b[7] = uint8_t(counter & 0xff);
    uint64_t r = rng();
    b[8] = uint8_t(0x80 | ((r >> 56) & 0x3f));
    for (int i = 9; i < 16; ++i) b[i] = uint8_t(r >> (8 * (15 - i)));
    static const char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
        s += hex[b[i] >> 4];
        s += hex[b[i] & 15];
    }
    return s;
}

bool is_canonical_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

}  // namespace gainsly::model
