// Error type used inside the library. C++ code throws gainsly::Error; only src/capi turns it into
// a status code and a message, so no exception ever crosses the C ABI.
#pragma once
#include <stdexcept>
#include <string>

namespace gainsly {

// Mirrors the GS_* status codes of include/gainsly/gainsly.h (same numbers).
enum class Status : int {
    ok = 0,
    invalid = -1,     // invalid argument: bad JSON, unknown table/column, wrong type, out of range
    not_found = -2,   // no row / user / file with that key
    constraint = -3,  // CHECK, UNIQUE or FOREIGN KEY constraint refused the write
    infeasible = -4,  // the planner's hard constraints cannot all hold
    io = -5,          // file system or network I/O failed
    corrupt = -6,     // not a database, or a damaged one
    busy = -7,        // locked by another connection
    sync = -8,        // sync protocol error (malformed batch, server refused)
    auth = -9,        // authentication / authorisation refused
    version = -10,    // schema or protocol version not supported
    internal = -11,   // a bug: should never happen
    nomem = -12,      // out of memory
    canceled = -13,   // a progress callback asked the call to stop
    readonly = -14,   // a write on a file opened read-only
};

class Error : public std::runtime_error {
public:
    Error(Status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    Status status() const noexcept { return status_; }

private:
    Status status_;
};

// Shorthand for the most common case: an invalid argument naming the field.
[[noreturn]] inline void invalid(const std::string& message) { throw Error(Status::invalid, message); }

}  // namespace gainsly
