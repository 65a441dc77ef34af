#include "sync/wire.hpp"


#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "model/error.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"

namespace gainsly::sync {
namespace {

using model::Type;

void append_int(std::string& out, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

const json& field(const json& doc, const char* name, const std::string& where) {
    auto it = doc.find(name);
    if (it == doc.end()) invalid(where + name + ": missing");
    return *it;
}

int64_t integer(const json& doc, const char* name, const std::string& where, int64_t min = 0) {
    const json& v = field(doc, name, where);
    if (!v.is_number_integer()) invalid(where + name + ": expected an integer");
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) invalid(where + name + ": out of range");
    int64_t i = v.get<int64_t>();
    if (i < min) invalid(where + name + ": must be >= " + std::to_string(min));
    return i;
}

std::string uuid(const json& doc, const char* name, const std::string& where) {
    const json& v = field(doc, name, where);
    if (!v.is_string()) invalid(where + name + ": expected a UUID string");
    std::string s = v.get<std::string>();
    for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (!model::is_canonical_uuid(s)) invalid(where + name + ": '" + v.get<std::string>() + "' is not a UUID");
    return s;
}

bool boolean(const json& doc, const char* name, const std::string& where) {
    auto it = doc.find(name);
    if (it == doc.end()) return false;
    if (!it->is_boolean()) invalid(where + name + ": expected true or false");
    return it->get<bool>();
}

void check_header(const json& doc, const char* kind) {
    if (!doc.is_object()) invalid(std::string(kind) + ": expected a JSON object");
    auto f = doc.find("format");
    if (f == doc.end() || !f->is_string()) invalid("format: missing (expected \"" + std::string(wire_format) + "\")");
    if (f->get<std::string>() != wire_format)
        throw Error(Status::version, "format: '" + f->get<std::string>() + "' is not supported (expected " + std::string(wire_format) + ")");
    auto k = doc.find("kind");
    if (k == doc.end() || !k->is_string() || k->get<std::string>() != kind) invalid(std::string("kind: expected \"") + kind + "\"");
}

const SyncTable& table_of(const json& doc, const std::string& where) {
    const json& t = field(doc, "table", where);
    if (!t.is_string()) invalid(where + "table: expected a table name");
    const SyncTable* st = find_layout(t.get<std::string>());
    if (!st) invalid(where + "table: unknown table '" + t.get<std::string>() + "'");
    return *st;
}

void header(std::string& out, const char* kind) {
    out += "{\"format\":";
    append_json_string(out, wire_format);
    out += ",\"kind\":\"";
    out += kind;
    out += '"';
}

}  // namespace

std::string shortest(double d) {
    std::string s;
    store::append_shortest(s, d);
    return s;
}

void append_value_json(std::string& out, const SyncColumn& sc, const Value& v) {
    if (!v) {
        out += "null";
        return;
    }
    const auto& c = *sc.column;
    if (sc.parent) {
        append_json_string(out, *v);
    } else if (c.type == Type::boolean) {
        out += (*v == "t" || *v == "1" || *v == "true") ? "true" : "false";
    } else if (c.is_integer_valued() || c.type == Type::real || c.type == Type::json) {
        out += *v;  // already valid JSON text (numbers in canonical form, JSON as stored)
    } else {
        append_json_string(out, *v);
    }
}

namespace {

size_t int_size(int64_t v) {
    char buf[24];
    return size_t(std::to_chars(buf, buf + sizeof buf, v).ptr - buf);
}

// What append_json_string writes for s.
size_t string_size(std::string_view s) {
    size_t n = s.size() + 2;
    for (unsigned char ch : s)
        if (ch == '"' || ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t') n += 1;
        else if (ch < 0x20) n += 5;
    return n;
}

// What append_value_json writes.
size_t value_size(const SyncColumn& sc, const Value& v) {
    if (!v) return 4;
    const auto& c = *sc.column;
    if (sc.parent) return string_size(*v);
    if (c.type == Type::boolean) return (*v == "t" || *v == "1" || *v == "true") ? 4 : 5;
    if (c.is_integer_valued() || c.type == Type::real || c.type == Type::json) return v->size();
    return string_size(*v);
}

// The "values" object of a change or row: `,"values":{...}`.
size_t values_size(const SyncTable& st, uint64_t mask, const std::vector<Value>& values) {
    size_t n = 11, k = 0;
    for (const auto& sc : st.columns)
        if (mask >> sc.pos & 1) n += string_size(sc.column->name) + 1 + value_size(sc, values[size_t(sc.pos)]) + (k++ ? 1 : 0);
    return n + 1;
}

}  // namespace

// Both count the comma that separates the element from the previous one.
size_t json_size(const Change& ch) {
    size_t n = 1 + 9 + string_size(ch.table->name()) + 7 + string_size(ch.uid) + 6 + 8 + 7 + int_size(ch.hlc) + 1;
    if (ch.op != 'd') n += values_size(*ch.table, ch.mask, ch.values);
    return n;
}

size_t json_size(const PulledRow& r) {
    size_t n = 1 + 9 + string_size(r.table->name()) + 7 + string_size(r.uid);
    if (r.deleted) return n + 16;
    n += 7 + int_size(r.hlc);
    if (!r.clocks.empty()) {
        n += 11 + 1 + (r.clocks.size() - 1);
        for (const auto& [pos, h] : r.clocks) n += string_size(r.table->table->columns[size_t(pos)].name) + 1 + int_size(h);
    }
    return n + values_size(*r.table, r.present, r.values) + 1;
}

bool valid_after(std::string_view a) {
    // <0|1>.<table number>.<uid>: deletions (0) come before rows (1) within a sequence
    if (a.size() < 4 || (a[0] != '0' && a[0] != '1') || a[1] != '.') return false;
    size_t dot = a.find('.', 2);
    if (dot == std::string_view::npos || dot == 2 || dot > 7) return false;
    for (size_t i = 2; i < dot; ++i)
        if (a[i] < '0' || a[i] > '9') return false;
    return model::is_canonical_uuid(std::string(a.substr(dot + 1)));
}

Value value_from_json(const SyncTable& st, const SyncColumn& sc, const json& v, const std::string& where) {
    const auto& c = *sc.column;
    if (sc.parent) {
        if (v.is_null()) {
            if (c.not_null) invalid(where + ": must not be null");
            return std::nullopt;
        }
        if (!v.is_string()) invalid(where + ": expected the uid of a " + sc.parent->name + " row");
        std::string s = v.get<std::string>();
        for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (!model::is_canonical_uuid(s)) invalid(where + ": '" + v.get<std::string>() + "' is not a UUID");
        return s;
    }
    store::SqlValue sql;
    try {
        sql = store::to_sql(*st.table, c, v, false);  // a row already written is carried; the server quarantines what it refuses
    } catch (const Error& e) {
        invalid(where + ": " + e.what());
    }
    if (std::holds_alternative<std::monostate>(sql)) return std::nullopt;
    if (std::holds_alternative<int64_t>(sql)) {
        int64_t i = std::get<int64_t>(sql);
        if (c.type == Type::boolean) return std::string(i ? "t" : "f");
        return std::to_string(i);
    }
    if (std::holds_alternative<double>(sql)) return shortest(std::get<double>(sql));
    return std::get<std::string>(sql);
}

// ---- Batch ------------------------------------------------------------------------------------

std::string to_json(const Batch& b) {
    std::string out;
    out.reserve(256 + b.changes.size() * 200);
    header(out, "push");
    out += ",\"schema\":";
    append_int(out, b.schema);
    out += ",\"device\":";
    append_json_string(out, b.device);
    out += ",\"user\":";
    append_json_string(out, b.user);
    out += ",\"batch\":";
    append_json_string(out, b.batch_id);
    out += ",\"mutation\":";
    append_int(out, b.mutation);
    out += ",\"base\":";
    append_int(out, b.base);
    out += ",\"changes\":[";
    bool first = true;
    for (const auto& ch : b.changes) {
        if (!first) out += ',';
        first = false;
        out += "{\"table\":";
        append_json_string(out, ch.table->name());
        out += ",\"uid\":";
        append_json_string(out, ch.uid);
        out += ",\"op\":";
        out += ch.op == 'i' ? "\"insert\"" : ch.op == 'u' ? "\"update\"" : "\"delete\"";
        out += ",\"hlc\":";
        append_int(out, ch.hlc);
        if (ch.op != 'd') {
            out += ",\"values\":{";
            bool f2 = true;
            for (const auto& sc : ch.table->columns) {
                if (!(ch.mask >> sc.pos & 1)) continue;
                if (!f2) out += ',';
                f2 = false;
                append_json_string(out, sc.column->name);
                out += ':';
                append_value_json(out, sc, ch.values[size_t(sc.pos)]);
            }
            out += '}';
        }
        out += '}';
    }
    out += "]}";
    return out;
}

Batch batch_from_json(const json& doc) {
    check_header(doc, "push");
    Batch b;
    b.schema = int(integer(doc, "schema", "", 1));
    b.device = uuid(doc, "device", "");
    b.user = uuid(doc, "user", "");
    b.batch_id = uuid(doc, "batch", "");
    b.mutation = integer(doc, "mutation", "", 1);
    b.base = integer(doc, "base", "", 0);
    const json& changes = field(doc, "changes", "");
    if (!changes.is_array()) invalid("changes: expected an array");
    std::set<std::pair<int, std::string>> seen;
    b.changes.reserve(changes.size());
    size_t i = 0;
    for (const auto& c : changes) {
        std::string where = "changes[" + std::to_string(i++) + "].";
        if (!c.is_object()) invalid(where.substr(0, where.size() - 1) + ": expected an object");
        Change ch;
        ch.table = &table_of(c, where);
        if (ch.table->catalog) invalid(where + "table: " + ch.table->name() + " is a catalog table (pull-only)");
        if (ch.table->table->since > b.schema) invalid(where + "table: " + ch.table->name() + " does not exist in schema version " + std::to_string(b.schema));
        ch.uid = uuid(c, "uid", where);
        if (!seen.insert({ch.table->number, ch.uid}).second) invalid(where + "uid: " + ch.uid + " appears twice in the batch");
        const json& op = field(c, "op", where);
        std::string ops = op.is_string() ? op.get<std::string>() : "";
        if (ops == "insert") ch.op = 'i';
        else if (ops == "update") ch.op = 'u';
        else if (ops == "delete") ch.op = 'd';
        else invalid(where + "op: expected \"insert\", \"update\" or \"delete\"");
        ch.hlc = integer(c, "hlc", where, 1);
        ch.values.resize(ch.table->table->columns.size());
        if (ch.op != 'd') {
            const json& values = field(c, "values", where);
            if (!values.is_object()) invalid(where + "values: expected an object");
            for (const auto& [name, v] : values.items()) {
                const SyncColumn* sc = ch.table->find(name);
                std::string vw = where + "values." + name;
                if (!sc) {
                    const auto* col = ch.table->table->find(name);
                    if (col && device_only(*ch.table->table, *col)) invalid(vw + ": never leaves the device");
                    invalid(vw + ": unknown column of " + ch.table->name());
                }
                if (sc->column->since > b.schema) invalid(vw + ": not in schema version " + std::to_string(b.schema));
                ch.values[size_t(sc->pos)] = value_from_json(*ch.table, *sc, v, vw);
                ch.mask |= uint64_t(1) << sc->pos;
            }
            if (ch.op == 'i')
                for (const auto& sc : ch.table->columns)
                    if (sc.column->not_null && !sc.column->default_value && sc.column->since <= b.schema && !(ch.mask >> sc.pos & 1))
                        invalid(where + "values." + sc.column->name + ": missing (required for an insert)");
        }
        b.changes.push_back(std::move(ch));
    }
    return b;
}

// ---- Ack --------------------------------------------------------------------------------------

std::string to_json(const Ack& a) {
    std::string out;
    header(out, "ack");
    out += ",\"mutation\":";
    append_int(out, a.mutation);
    out += ",\"batch\":";
    append_json_string(out, a.batch_id);
    out += ",\"duplicate\":";
    out += a.duplicate ? "true" : "false";
    out += ",\"seq\":";
    append_int(out, a.seq);
    out += ",\"applied\":";
    append_int(out, a.applied);
    out += ",\"conflicts\":";
    append_int(out, a.conflicts);
    if (!a.refused.empty()) {
        out += ",\"refused\":";
        append_json_string(out, a.refused);
        out += ",\"server_mutation\":";
        append_int(out, a.server_mutation);
    }
    out += ",\"rejected\":[";
    for (size_t i = 0; i < a.rejected.size(); ++i) {
        if (i) out += ',';
        out += "{\"table\":";
        append_json_string(out, a.rejected[i].table);
        out += ",\"uid\":";
        append_json_string(out, a.rejected[i].uid);
        out += ",\"reason\":";
        append_json_string(out, a.rejected[i].reason);
        if (a.rejected[i].quarantine) {
            out += ",\"quarantine\":true";
            if (!a.rejected[i].waits_uid.empty()) {
                out += ",\"waits_table\":";
                append_json_string(out, a.rejected[i].waits_table);
                out += ",\"waits_uid\":";
                append_json_string(out, a.rejected[i].waits_uid);
            }
        }
        out += '}';
    }
    out += "]}";
    return out;
}

Ack ack_from_json(const json& doc) {
    check_header(doc, "ack");
    Ack a;
    a.mutation = integer(doc, "mutation", "", 1);
    a.batch_id = uuid(doc, "batch", "");
    a.duplicate = boolean(doc, "duplicate", "");
    a.seq = integer(doc, "seq", "", 0);
    a.applied = integer(doc, "applied", "", 0);
    a.conflicts = integer(doc, "conflicts", "", 0);
    if (auto it = doc.find("refused"); it != doc.end()) {
        if (!it->is_string() || it->get<std::string>() != "mutation_behind") invalid("refused: expected \"mutation_behind\"");
        a.refused = it->get<std::string>();
        a.server_mutation = integer(doc, "server_mutation", "", 0);
    }
    if (auto it = doc.find("rejected"); it != doc.end()) {
        if (!it->is_array()) invalid("rejected: expected an array");
        for (const auto& r : *it) {
            if (!r.is_object()) invalid("rejected: expected objects");
            Rejected x{r.value("table", ""), r.value("uid", ""), r.value("reason", "")};
            x.quarantine = r.value("quarantine", false);
            x.waits_table = r.value("waits_table", "");
            x.waits_uid = r.value("waits_uid", "");
            a.rejected.push_back(std::move(x));
        }
    }
    return a;
}

// ---- Pull request -----------------------------------------------------------------------------

std::string to_json(const PullRequest& r) {
    std::string out;
    header(out, "pull");
    out += ",\"schema\":";
    append_int(out, r.schema);
    out += ",\"device\":";
    append_json_string(out, r.device);
    out += ",\"user\":";
    append_json_string(out, r.user);
    out += ",\"cursor\":";
    append_int(out, r.cursor);
    out += ",\"catalog_cursor\":";
    append_int(out, r.catalog_cursor);
    out += ",\"limit\":";
    append_int(out, r.limit);
    out += ",\"catalog_version\":";
    append_int(out, r.catalog_version);
    out += ",\"held\":";
    append_int(out, r.held);
    if (r.resync) out += ",\"resync\":true";
    if (r.max_bytes > 0) {
        out += ",\"max_bytes\":";
        append_int(out, r.max_bytes);
    }
    if (!r.after.empty()) {
        out += ",\"after\":";
        append_json_string(out, r.after);
    }
    out += '}';
    return out;
}

PullRequest pull_request_from_json(const json& doc) {
    check_header(doc, "pull");
    PullRequest r;
    r.schema = int(integer(doc, "schema", "", 1));
    r.device = uuid(doc, "device", "");
    r.user = uuid(doc, "user", "");
    r.cursor = integer(doc, "cursor", "", 0);
    r.catalog_cursor = integer(doc, "catalog_cursor", "", 0);
    r.limit = int(std::min<int64_t>(integer(doc, "limit", "", 1), 100000));
    if (doc.contains("catalog_version")) r.catalog_version = int(integer(doc, "catalog_version", "", 0));
    // Requests from before read-ahead was told apart hold what they ask from.
    r.held = std::min(doc.contains("held") ? integer(doc, "held", "", 0) : r.cursor, r.cursor);
    r.resync = boolean(doc, "resync", "");
    // Requests without max_bytes come from devices that hold whole sequences only.
    if (doc.contains("max_bytes")) r.max_bytes = std::min(integer(doc, "max_bytes", "", 1), page_cap_bytes);
    if (auto it = doc.find("after"); it != doc.end()) {
        if (!it->is_string() || !valid_after(it->get<std::string>())) invalid("after: expected the 'after' of the previous page");
        if (r.max_bytes == 0) invalid("after: only with max_bytes");
        if (r.cursor == 0) invalid("after: only with a cursor above 0");
        r.after = it->get<std::string>();
        r.held = std::min(r.held, r.done());
    }
    return r;
}

// ---- Page -------------------------------------------------------------------------------------

std::string to_json(const Page& p) {
    std::string out;
    out.reserve(256 + p.rows.size() * 200);
    header(out, "page");
    out += ",\"schema\":";
    append_int(out, p.schema);
    out += ",\"cursor\":";
    append_int(out, p.cursor);
    out += ",\"catalog_cursor\":";
    append_int(out, p.catalog_cursor);
    if (!p.after.empty()) {
        out += ",\"after\":";
        append_json_string(out, p.after);
    }
    out += ",\"more\":";
    out += p.more ? "true" : "false";
    out += ",\"resync\":";
    out += p.resync ? "true" : "false";
    out += ",\"rows\":[";
    bool first = true;
    for (const auto& r : p.rows) {
        if (!first) out += ',';
        first = false;
        out += "{\"table\":";
        append_json_string(out, r.table->name());
        out += ",\"uid\":";
        append_json_string(out, r.uid);
        if (r.deleted) {
            out += ",\"deleted\":true}";
            continue;
        }
        out += ",\"hlc\":";
        append_int(out, r.hlc);
        if (!r.clocks.empty()) {
            out += ",\"clocks\":{";
            for (size_t i = 0; i < r.clocks.size(); ++i) {
                if (i) out += ',';
                append_json_string(out, r.table->table->columns[size_t(r.clocks[i].first)].name);
                out += ':';
                append_int(out, r.clocks[i].second);
            }
            out += '}';
        }
        out += ",\"values\":{";
        bool f2 = true;
        for (const auto& sc : r.table->columns) {
            if (!(r.present >> sc.pos & 1)) continue;
            if (!f2) out += ',';
            f2 = false;
            append_json_string(out, sc.column->name);
            out += ':';
            append_value_json(out, sc, r.values[size_t(sc.pos)]);
        }
        out += "}}";
    }
    out += "]}";
    return out;
}

Page page_from_json(const json& doc) {
    check_header(doc, "page");
    Page p;
    p.schema = int(integer(doc, "schema", "", 1));
    p.cursor = integer(doc, "cursor", "", 0);
    p.catalog_cursor = integer(doc, "catalog_cursor", "", 0);
    p.more = boolean(doc, "more", "");
    p.resync = boolean(doc, "resync", "");
    if (auto it = doc.find("after"); it != doc.end()) {
        if (!it->is_string() || !valid_after(it->get<std::string>())) invalid("after: expected a position inside the page's sequence");
        if (p.cursor == 0) invalid("after: only with a cursor above 0");
        p.after = it->get<std::string>();
    }
    const json& rows = field(doc, "rows", "");
    if (!rows.is_array()) invalid("rows: expected an array");
    p.rows.reserve(rows.size());
    size_t i = 0;
    for (const auto& r : rows) {
        std::string where = "rows[" + std::to_string(i++) + "].";
        if (!r.is_object()) invalid(where.substr(0, where.size() - 1) + ": expected an object");
        PulledRow row;
        row.table = &table_of(r, where);
        row.uid = uuid(r, "uid", where);
        row.deleted = boolean(r, "deleted", where);
        row.values.resize(row.table->table->columns.size());
        if (!row.deleted) {
            row.hlc = integer(r, "hlc", where, 0);
            if (auto it = r.find("clocks"); it != r.end()) {
                if (!it->is_object()) invalid(where + "clocks: expected an object");
                for (const auto& [name, h] : it->items()) {
                    const SyncColumn* sc = row.table->find(name);
                    if (!sc) invalid(where + "clocks." + name + ": unknown column of " + row.table->name());
                    if (!h.is_number_integer()) invalid(where + "clocks." + name + ": expected an integer");
                    row.clocks.emplace_back(sc->pos, h.get<int64_t>());
                }
            }
            const json& values = field(r, "values", where);
            if (!values.is_object()) invalid(where + "values: expected an object");
            for (const auto& [name, v] : values.items()) {
                const SyncColumn* sc = row.table->find(name);
                if (!sc) invalid(where + "values." + name + ": unknown column of " + row.table->name());
                row.values[size_t(sc->pos)] = value_from_json(*row.table, *sc, v, where + "values." + name);
                row.present |= uint64_t(1) << sc->pos;
            }
        }
        p.rows.push_back(std::move(row));
    }
    return p;
}

}  // namespace gainsly::sync
