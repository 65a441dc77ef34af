// A small RAII layer over libpq for the sync adapter: connections, parameterised statements, COPY,
// and errors mapped to gainsly::Error with the password scrubbed out of every message.
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/error.hpp"

namespace gainsly::sync::pg {

using Param = std::optional<std::string>;  // nullopt is SQL NULL

// The conninfo with every password replaced by "***" (key/value and URI forms), for messages.
std::string scrub(std::string_view conninfo);

class Result {
public:
    Result() = default;
    explicit Result(PGresult* r) : r_(r) {}
    int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
    int columns() const { return r_ ? PQnfields(r_.get()) : 0; }
    bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string_view text(int row, int col) const {
        return {PQgetvalue(r_.get(), row, col), size_t(PQgetlength(r_.get(), row, col))};
    }
    std::optional<std::string> opt(int row, int col) const {
        if (null(row, col)) return std::nullopt;
        return std::string(text(row, col));
    }
    int64_t integer(int row, int col) const;  // 0 for NULL
    PGresult* get() const { return r_.get(); }

private:
    struct Clear {
        void operator()(PGresult* r) const { PQclear(r); }
    };
    std::unique_ptr<PGresult, Clear> r_;
};

class Connection {
public:
    // Connects with the given conninfo (libpq key/value or URI form; sslmode and the rest come from
    // it). timeout_ms > 0 bounds the connect and every statement. Throws Error(io) when the server
    // is unreachable and Error(auth) when it refuses the credentials; messages never hold passwords.
    Connection(const std::string& conninfo, int timeout_ms);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Result exec(const std::string& sql);
    Result exec(const std::string& sql, const std::vector<Param>& params);
    // COPY ... FROM STDIN with the given text-format payload.
    void copy_in(const std::string& sql, std::string_view data);
    int backend_pid() const { return PQbackendPID(conn_.get()); }
    bool ok() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }
    const std::string& where() const { return where_; }  // scrubbed conninfo for messages
    PGconn* raw() { return conn_.get(); }

    // Test seam: called with a step name before each round trip (push.begin, pull.rows, ...); the
    // fault tests set it on a Server's connection to cut it, or die, at every step of push and pull.
    // Nothing in the library sets it.
    std::function<void(std::string_view)> on_step;
    void step(std::string_view name) {
        if (on_step) on_step(name);
    }

private:
    [[noreturn]] void fail(PGresult* r, const std::string& sql);

    struct Finish {
        void operator()(PGconn* c) const { PQfinish(c); }
    };
    std::unique_ptr<PGconn, Finish> conn_;
    std::string where_;
    std::string password_;  // removed from any server message that would echo it
    // Parameterised statements run more than once on this connection are prepared (named
    // gs_1, gs_2, ...) so the server parses them once; the generated merge statements are long.
    std::unordered_map<std::string, int> seen_;
    std::unordered_map<std::string, std::string> prepared_;
};

// Escapes a value for COPY text format (tab-separated, \N for NULL).
void copy_field(std::string& out, const std::optional<std::string>& v);
// A PostgreSQL identifier in double quotes.
std::string ident(std::string_view name);
// A string literal ('...' with quotes doubled) for DDL that cannot take parameters.
std::string literal(std::string_view value);

}  // namespace gainsly::sync::pg
