// Internals shared by the C ABI shims: the handle behind gs_db, error recording and guard().
#pragma once
#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "gainsly/gainsly.h"
#include "model/error.hpp"
#include "store/database.hpp"

struct gs_db {
    std::unique_ptr<gainsly::store::Database> db;
    std::string message;
    int32_t status = GS_OK;
};

namespace gainsly::capi {

extern std::atomic<int64_t> live_objects;

void record(gs_db* db, int32_t status, const std::string& message) noexcept;
int32_t fail_from_current_exception(gs_db* db) noexcept;  // call only inside a catch block

// Runs body; returns GS_OK or the status of what it threw, recording the message on db (or on the
// thread when db is NULL).
template <class Body>
int32_t run(gs_db* db, Body&& body) noexcept {
    int32_t status = GS_OK;
    try {
        body();
        record(db, GS_OK, "");
    } catch (...) {
        status = fail_from_current_exception(db);
    }
    if (db && db->db) db->db->reset_statements();  // no call leaves a read snapshot open
    return status;
}

// For entry points that take a handle: a NULL or closed handle is reported, never dereferenced.
template <class Body>
int32_t guard(gs_db* db, Body&& body) noexcept {
    if (!db || !db->db) {
        record(nullptr, GS_ERR_INVALID, "db: must not be NULL");
        return GS_ERR_INVALID;
    }
    return run(db, body);
}

// For entry points without a handle: errors go to the thread's slot.
template <class Body>
int32_t guard_free(Body&& body) noexcept {
    return run(nullptr, body);
}

// Library-owned copy of s for the caller, released with gs_string_free (counted as a live object).
char* to_c_string(const std::string& s);

// Throws Error(invalid) "<name>: must not be NULL" when arg is NULL.
const char* need(const char* arg, const char* name);

store::json parse_json(const char* text, const char* name);

// Opens the file, migrates it and installs the reference catalog (src/capi/open.cpp).
std::unique_ptr<store::Database> open_database(const char* path, const store::OpenOptions& options = {});

// Checks the `size` field of an options struct the caller filled: at least the size of its first
// version (`first_size`), at most this library's sizeof (a larger one comes from a newer header).
// Fields past the caller's size keep their defaults; has() says whether a field was given.
class OptionsSize {
public:
    OptionsSize(uint32_t size, size_t first_size, size_t current_size, const char* field, const char* init_macro);
    bool has(size_t offset, size_t len) const { return size_t(size_) >= offset + len; }

private:
    uint32_t size_;
};

// Fills `out` (the caller's struct of `size` bytes) with the defaults in `init`: gs_*_options_init.
template <class T>
void init_options(T* out, uint32_t size, const T& init, const char* name) {
    if (!out) throw Error(Status::invalid, std::string(name) + ": must not be NULL");
    if (size < sizeof(uint32_t) || size > sizeof(T))
        throw Error(Status::invalid, "size: " + std::to_string(size) + " is not a size of this library's " + name +
                                         " (pass sizeof; at most " + std::to_string(sizeof(T)) + ")");
    std::memcpy(static_cast<void*>(out), &init, size);
    out->size = size;
}

}  // namespace gainsly::capi
