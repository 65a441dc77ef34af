#include "sync/server_sql.hpp"

#include <charconv>

#include "model/error.hpp"

namespace gainsly::sync::server_sql {

using model::Type;

int64_t to_i64(std::string_view s) {
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool refused_row(const Error& e) { return e.status() == Status::constraint || e.status() == Status::invalid || e.status() == Status::sync; }


// The typed value of a stage column (text) for an insert or update.
std::string conv(const SyncColumn& sc, const std::string& src) {
    const auto& c = *sc.column;
    if (sc.parent) {
        std::string owner = sc.parent->kind == model::TableKind::user ? "p.gs_owner = $1 AND " : "";
        // The uid is cast in a sub-select: under row-level security a qual holding a function that is
        // not leakproof (the text -> uuid cast) cannot reach the index, and every row of the
        // account's parent table would be scanned for each child.
        return "(SELECT p." + q(c.ref_column) + " FROM " + q(sc.parent->name) + " p WHERE " + owner + "p.uid = (SELECT (" + src + ")::uuid))";
    }
    switch (c.type) {
        case Type::boolean: return "(" + src + ")::boolean";
        case Type::pk:
        case Type::integer: return "(" + src + ")::bigint";
        case Type::real: return "(" + src + ")::double precision";
        case Type::date: return "(" + src + ")::date";
        case Type::timestamp: return "(" + src + ")::timestamptz";
        case Type::json: return "(" + src + ")::jsonb";
        case Type::uuid: return "(" + src + ")::uuid";
        case Type::enumeration:
            if (c.enumeration->integer) return "(" + src + ")::integer";
            return "(" + src + ")::" + q(c.enumeration->name);
        default: return src;
    }
}

// The canonical text of a column of row alias t, for pulls.
std::string out_expr(const SyncColumn& sc) {
    const auto& c = *sc.column;
    if (sc.parent) {
        // ids are unique per account only: a user table's parent is looked up within the row's owner
        std::string owner = sc.parent->kind == model::TableKind::user ? "p.gs_owner = t.gs_owner AND " : "";
        return "(SELECT p.uid::text FROM " + q(sc.parent->name) + " p WHERE " + owner + "p." + q(c.ref_column) + " = t." + q(c.name) + ")";
    }
    if (c.type == Type::timestamp) return "to_char(t." + q(c.name) + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
    return "t." + q(c.name);
}

// Element of a text[] literal.
void array_element(std::string& out, const Value& v) {
    if (!v) {
        out += "NULL";
        return;
    }
    out += '"';
    for (char ch : *v) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    out += '"';
}

std::string uuid_array(const std::vector<std::string>& uids) {
    std::string out = "{";
    for (size_t i = 0; i < uids.size(); ++i) out += (i ? "," : "") + uids[i];
    return out + "}";
}

bool visible(const SyncColumn& sc, int schema) { return sc.column->since <= schema; }


std::string meta_value(pg::Connection& c, const char* key) {
    auto r = c.exec("SELECT value FROM gs_server_meta WHERE key = $1", {std::string(key)});
    return r.rows() ? std::string(r.text(0, 0)) : std::string();
}

}  // namespace gainsly::sync::server_sql
