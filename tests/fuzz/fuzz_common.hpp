// Shared by the fuzz targets: one database per process, and a leak check of library objects.
#pragma once
#include <gainsly/gainsly.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz_detail {
inline gs_db* handle = nullptr;
inline std::string path;
inline void close_and_remove() {
    gs_db_close(handle);
    handle = nullptr;
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
}  // namespace fuzz_detail

inline gs_db* fuzz_db() {
    using namespace fuzz_detail;
    if (!handle) {
        path = "/tmp/gainsly-fuzz-" + std::to_string(getpid()) + ".db";
        if (gs_db_open(path.c_str(), &handle) != GS_OK) {
            std::fprintf(stderr, "fuzz: cannot open %s: %s\n", path.c_str(), gs_error_message(nullptr));
            std::abort();
        }
        std::atexit(close_and_remove);
    }
    return handle;
}

// Only the open handle may be live between inputs: a returned buffer not freed is a leak.
inline void fuzz_check_no_leak() {
    if (gs_debug_live_objects() != 1) {
        std::fprintf(stderr, "fuzz: %lld live library objects after an input (expected 1)\n", (long long)gs_debug_live_objects());
        std::abort();
    }
}
