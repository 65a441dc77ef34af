#include "sync/pg.hpp"

#include <charconv>
#include <cstring>

namespace gainsly::sync::pg {
namespace {

std::string replace_all(std::string s, std::string_view what, std::string_view with) {
    if (what.empty()) return s;
    for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size())) s.replace(at, what.size(), with);
    return s;
}

std::string password_of(std::string_view conninfo) {
    std::string copy(conninfo);
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(copy.c_str(), &err);
    if (err) PQfreemem(err);
    std::string out;
    if (opts) {
        for (auto* o = opts; o->keyword; ++o)
            if (std::strcmp(o->keyword, "password") == 0 && o->val) out = o->val;
        PQconninfoFree(opts);
    }
    return out;
}

// Maps a SQLSTATE to the library's status. Our own functions raise GSxxx codes.
Status status_for(std::string_view state) {
    if (state == "GSAUT" || state == "42501" || state.substr(0, 2) == "28") return Status::auth;
    if (state == "GSVER") return Status::version;
    if (state == "GSINV" || state == "22P02" || state == "22007" || state == "22008" || state == "22001" || state == "22003")
        return Status::invalid;
    if (state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03" || state == "57014") return Status::io;
    if (state == "40001" || state == "40P01" || state == "55P03") return Status::busy;
    if (state.substr(0, 2) == "23") return Status::constraint;
    return Status::sync;
}

}  // namespace

std::string scrub(std::string_view conninfo) {
    std::string s(conninfo);
    // key/value form: password=secret or password='se cret'
    for (size_t at = s.find("password"); at != std::string::npos; at = s.find("password", at + 1)) {
        size_t p = at + 8;
        while (p < s.size() && s[p] == ' ') ++p;
        if (p >= s.size() || s[p] != '=') continue;
        ++p;
        while (p < s.size() && s[p] == ' ') ++p;
        size_t end = p;
        if (end < s.size() && s[end] == '\'') {
            ++end;
            while (end < s.size() && s[end] != '\'') end += (s[end] == '\\' ? 2 : 1);
            end = std::min(end + 1, s.size());
        } else {
            while (end < s.size() && s[end] != ' ' && s[end] != '&') ++end;
        }
        s.replace(p, end - p, "***");
    }
    // URI form: postgresql://user:secret@host
    size_t scheme = s.find("://");
    if (scheme != std::string::npos) {
        size_t start = scheme + 3, at = s.find('@', start), colon = s.find(':', start);
        if (at != std::string::npos && colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    std::string pw = password_of(conninfo);
    if (pw.size() >= 3) s = replace_all(s, pw, "***");
    return s;
}

int64_t Result::integer(int row, int col) const {
    if (null(row, col)) return 0;
    auto t = text(row, col);
    int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

Connection::Connection(const std::string& conninfo, int timeout_ms) : where_(scrub(conninfo)), password_(password_of(conninfo)) {
    std::string timeout = std::to_string(timeout_ms > 0 ? std::max(1, (timeout_ms + 999) / 1000) : 0);
    // Defaults first, so the conninfo's own application_name / keepalives_idle win; the timeout
    // given by the caller comes last and wins.
    const char* keys[] = {"fallback_application_name", "keepalives_idle", "dbname", timeout_ms > 0 ? "connect_timeout" : nullptr, nullptr};
    const char* values[] = {"gainsly", "10", conninfo.c_str(), timeout_ms > 0 ? timeout.c_str() : nullptr, nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_) throw Error(Status::internal, "out of memory connecting to PostgreSQL");
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(conn_.get());
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        if (password_.size() >= 3) msg = replace_all(msg, password_, "***");
        bool auth = msg.find("password authentication failed") != std::string::npos ||
                    msg.find("authentication failed") != std::string::npos || msg.find("no password supplied") != std::string::npos ||
                    msg.find("role \"") != std::string::npos || msg.find("no pg_hba.conf entry") != std::string::npos;
        throw Error(auth ? Status::auth : Status::io, "cannot connect to PostgreSQL (" + where_ + "): " + msg);
    }
    PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);  // notices are not errors
    std::string init = "SET client_min_messages = warning; SET DateStyle = ISO; SET extra_float_digits = 1; SET TimeZone = 'UTC'";
    if (timeout_ms > 0) init += "; SET statement_timeout = " + std::to_string(timeout_ms);
    exec(init);
}

void Connection::fail(PGresult* r, const std::string& sql) {
    Result owned(r);
    std::string state, msg;
    if (r) {
        const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (s) state = s;
        const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        if (m) msg = m;
        const char* d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
        if (d) msg += std::string(" (") + d + ")";
    }
    if (msg.empty()) {
        msg = PQerrorMessage(conn_.get());
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    }
    if (password_.size() >= 3) msg = replace_all(msg, password_, "***");
    Status st = state.empty() ? (ok() ? Status::sync : Status::io) : status_for(state);
    if (PQstatus(conn_.get()) != CONNECTION_OK) st = Status::io;
    std::string first = sql.substr(0, sql.find_first_of("\n("));
    if (first.size() > 60) first = first.substr(0, 60) + "...";
    std::string text = st == Status::io ? "PostgreSQL connection lost (" + where_ + "): " + msg : "PostgreSQL: " + msg;
    if (!state.empty() && state.substr(0, 2) != "GS") text += " [" + state + " in " + first + "]";
    throw Error(st, text);
}

Result Connection::exec(const std::string& sql) {
    PGresult* r = PQexec(conn_.get(), sql.c_str());
    auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, sql);
    return Result(r);
}

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = nullptr;
    auto it = prepared_.find(sql);
    if (it == prepared_.end() && prepared_.size() < 1000 && ++seen_[sql] >= 2) {
        std::string name = "gs_" + std::to_string(prepared_.size() + 1);
        PGresult* p = PQprepare(conn_.get(), name.c_str(), sql.c_str(), int(params.size()), nullptr);
        if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) fail(p, sql);
        PQclear(p);
        seen_.erase(sql);
        it = prepared_.emplace(sql, std::move(name)).first;
    }
    if (it != prepared_.end()) r = PQexecPrepared(conn_.get(), it->second.c_str(), int(params.size()), values.data(), nullptr, nullptr, 0);
    else r = PQexecParams(conn_.get(), sql.c_str(), int(params.size()), nullptr, values.data(), nullptr, nullptr, 0);
    auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, sql);
    return Result(r);
}

void Connection::copy_in(const std::string& sql, std::string_view data) {
    PGresult* r = PQexec(conn_.get(), sql.c_str());
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) fail(r, sql);
    PQclear(r);
    constexpr size_t chunk = 1 << 20;
    for (size_t at = 0; at < data.size(); at += chunk) {
        size_t n = std::min(chunk, data.size() - at);
        if (PQputCopyData(conn_.get(), data.data() + at, int(n)) != 1) fail(nullptr, sql);
    }
    if (PQputCopyEnd(conn_.get(), nullptr) != 1) fail(nullptr, sql);
    PGresult* end = PQgetResult(conn_.get());
    if (!end || PQresultStatus(end) != PGRES_COMMAND_OK) {
        // drain so the connection is usable (or known broken) afterwards
        while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
        fail(end, sql);
    }
    PQclear(end);
    while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
}

void copy_field(std::string& out, const std::optional<std::string>& v) {
    if (!v) {
        out += "\\N";
        return;
    }
    for (char ch : *v) {
        switch (ch) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += ch;
        }
    }
}

std::string ident(std::string_view name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::string literal(std::string_view value) {
    std::string out = "'";
    for (char ch : value) out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out + "'";
}

}  // namespace gainsly::sync::pg
