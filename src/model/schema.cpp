#include "model/schema.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include "model/embedded.hpp"
#include "model/error.hpp"

namespace gainsly::model {
namespace {

using ordered = nlohmann::ordered_json;

std::vector<std::string> split_words(std::string_view s) {
    // Splits on spaces, keeping quoted literals ('a b') together.
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : s) {
        if (c == '\'') quoted = !quoted;
        if (c == ' ' && !quoted) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

Column parse_column(const std::string& table, const std::string& name, const std::string& spec,
                    const Schema& schema) {
    Column col;
    col.name = name;
    auto words = split_words(spec);
    if (words.empty()) invalid("schema: " + table + "." + name + ": empty column spec");
    const std::string& t = words[0];
    auto where = table + "." + name;
    if (t == "pk") col.type = Type::pk;
    else if (t == "int") col.type = Type::integer;
    else if (t == "float") col.type = Type::real;
    else if (t == "text") col.type = Type::text;
    else if (t == "bool") col.type = Type::boolean;
    else if (t == "date") col.type = Type::date;
    else if (t == "timestamp") col.type = Type::timestamp;
    else if (t == "json") col.type = Type::json;
    else if (t == "uuid") col.type = Type::uuid;
    else if (t.rfind("varchar(", 0) == 0 && t.back() == ')') {
        col.type = Type::varchar;
        col.length = std::stoi(t.substr(8, t.size() - 9));
    } else if (t.rfind("enum(", 0) == 0 && t.back() == ')') {
        col.type = Type::enumeration;
        auto en = t.substr(5, t.size() - 6);
        col.enumeration = schema.find_enum(en);
        if (!col.enumeration) invalid("schema: " + where + ": unknown enum " + en);
    } else {
        invalid("schema: " + where + ": unknown type " + t);
    }
    for (size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "not_null") col.not_null = true;
        else if (w == "unique") col.unique = true;
        else if (w == "index") col.index = true;
        else if (w == "cascade") col.on_delete = OnDelete::cascade;
        else if (w == "restrict") col.on_delete = OnDelete::restrict;
        else if (w == "set_null") col.on_delete = OnDelete::set_null;
        else if (w.rfind("default=", 0) == 0) col.default_value = w.substr(8);
        else if (w.rfind("since=", 0) == 0) col.since = std::stoi(w.substr(6));
        else if (w.rfind("ref=", 0) == 0) {
            auto target = w.substr(4);
            auto paren = target.find('(');
            if (paren == std::string::npos) {
                col.ref_table = target;
                col.ref_column = "id";
            } else {
                col.ref_table = target.substr(0, paren);
                col.ref_column = target.substr(paren + 1, target.size() - paren - 2);
            }
        } else {
            invalid("schema: " + where + ": unknown modifier " + w);
        }
    }
    if (col.type == Type::pk) col.not_null = true;
    return col;
}

std::string quote(std::string_view id) { return "\"" + std::string(id) + "\""; }

// PostgreSQL truncates identifiers to 63 bytes; longer generated names get a stable hash suffix so
// both dialects carry the same, distinct name.
std::string object_name(std::string name) {
    if (name.size() <= 63) return name;
    uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char ch : name) h = (h ^ ch) * 16777619u;
    char suffix[10];
    std::snprintf(suffix, sizeof suffix, "_%08x", h);
    return name.substr(0, 54) + suffix;
}

std::string column_list(const std::vector<std::string>& cols, bool with_order) {
    std::string out;
    for (const auto& c : cols) {
        if (!out.empty()) out += ", ";
        auto sp = c.find(' ');
        out += quote(c.substr(0, sp));
        if (with_order && sp != std::string::npos) out += " DESC";
    }
    return out;
}

std::string bare(const std::string& c) { return c.substr(0, c.find(' ')); }

std::string joined_name(const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : "_") + bare(c);
    return out;
}

std::string enum_values_sql(const Enum& e) {
    std::string out;
    for (const auto& v : e.values) {
        if (!out.empty()) out += ", ";
        out += e.integer ? v : "'" + v + "'";
    }
    return out;
}

const char* on_delete_sql(OnDelete d) {
    switch (d) {
        case OnDelete::cascade: return " ON DELETE CASCADE";
        case OnDelete::restrict: return " ON DELETE RESTRICT";
        case OnDelete::set_null: return " ON DELETE SET NULL";
        case OnDelete::none: break;
    }
    return "";
}

enum class Dialect { sqlite, postgres };

std::string default_sql(const Column& c, Dialect d) {
    const std::string& v = *c.default_value;
    if (v == "now") return d == Dialect::sqlite ? "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))" : "now()";
    if (v == "{}" || v == "[]") return d == Dialect::sqlite ? "'" + v + "'" : "'" + v + "'::jsonb";
    if (v == "true" || v == "false") return d == Dialect::sqlite ? (v == "true" ? "1" : "0") : v;
    return v;  // numbers and 'quoted' literals are the same in both
}

// SQLite has no date, boolean, enum or JSON types: CHECK constraints named with a type suffix do
// their work, so a wrong value can never be stored even by SQL outside the library.
std::vector<std::string> sqlite_type_checks(const Table& t, const Column& c) {
    std::vector<std::string> out;
    auto name = [&](const char* suffix) { return "CONSTRAINT " + quote(object_name("ck_" + t.name + "_" + c.name + suffix)) + " CHECK ("; };
    auto q = quote(c.name);
    switch (c.type) {
        case Type::boolean: out.push_back(name("_bool") + q + " IN (0, 1))"); break;
        case Type::date: out.push_back(name("_date") + "date(" + q + ") IS " + q + ")"); break;
        case Type::timestamp:
            out.push_back(name("_ts") + "strftime('%Y-%m-%dT%H:%M:%fZ', " + q + ") IS " + q + ")");
            break;
        case Type::json: out.push_back(name("_json") + q + " IS NULL OR json_valid(" + q + "))"); break;
        case Type::varchar: out.push_back(name("_len") + "length(" + q + ") <= " + std::to_string(c.length) + ")"); break;
        case Type::uuid: {
            std::string glob;
            for (int n : {8, 4, 4, 4, 12}) {
                if (!glob.empty()) glob += "-";
                for (int i = 0; i < n; ++i) glob += "[0-9a-f]";
            }
            out.push_back(name("_uuid") + q + " GLOB '" + glob + "')");
            break;
        }
        case Type::enumeration:
            if (!c.enumeration->integer) out.push_back(name("_enum") + q + " IN (" + enum_values_sql(*c.enumeration) + "))");
            break;
        default: break;
    }
    return out;
}

// An integer enum (persona_aggression) is an integer with a value check in both dialects.
std::optional<std::string> shared_column_check(const Table& t, const Column& c) {
    if (c.type == Type::enumeration && c.enumeration->integer)
        return "CONSTRAINT " + quote(object_name("ck_" + t.name + "_" + c.name + "_values")) + " CHECK (" + quote(c.name) + " IN (" +
               enum_values_sql(*c.enumeration) + "))";
    return std::nullopt;
}

std::string column_sql(const Table& t, const Column& c, Dialect d, PgKeys keys = {}) {
    std::string s = "  " + quote(c.name) + " ";
    const bool pg = d == Dialect::postgres;
    auto int_type = [&] { return pg ? std::string(c.ref_table.empty() ? "integer" : "bigint") : std::string("INTEGER"); };
    switch (c.type) {
        case Type::pk:
            if (!pg) s += "INTEGER PRIMARY KEY";
            else s += std::string(c.ref_table.empty() ? "bigint GENERATED BY DEFAULT AS IDENTITY" : "bigint") + (keys.primary_key ? " PRIMARY KEY" : "");
            break;
        case Type::integer: s += int_type(); break;
        case Type::real: s += pg ? "double precision" : "REAL"; break;
        case Type::text: s += pg ? "text" : "TEXT"; break;
        case Type::varchar: s += (pg ? "varchar(" : "VARCHAR(") + std::to_string(c.length) + ")"; break;
        case Type::boolean: s += pg ? "boolean" : "BOOLEAN"; break;
        case Type::date: s += pg ? "date" : "DATE"; break;
        case Type::timestamp: s += pg ? "timestamptz" : "TIMESTAMP"; break;
        case Type::json: s += pg ? "jsonb" : "JSON"; break;
        case Type::uuid: s += pg ? "uuid" : "UUID"; break;
        case Type::enumeration:
            if (c.enumeration->integer) s += pg ? "integer" : "INTEGER";
            else s += pg ? quote(c.enumeration->name) : "TEXT";
            break;
    }
    if (c.not_null && c.type != Type::pk) s += " NOT NULL";
    if (c.default_value) s += " DEFAULT " + default_sql(c, d);
    if (c.unique && keys.unique) s += " CONSTRAINT " + quote(unique_name(t, c.name)) + " UNIQUE";
    if (!c.ref_table.empty() && keys.reference)
        s += " REFERENCES " + quote(c.ref_table) + " (" + quote(c.ref_column) + ")" + on_delete_sql(c.on_delete);
    if (auto chk = shared_column_check(t, c)) s += " " + *chk;
    if (d == Dialect::sqlite)
        for (const auto& chk : sqlite_type_checks(t, c)) s += " " + chk;
    return s;
}

std::string create_table_sql(const Table& t, Dialect d, int version) {
    std::vector<std::string> parts;
    for (const auto& c : t.columns)
        if (c.since <= version) parts.push_back(column_sql(t, c, d));
    for (const auto& u : t.unique) parts.push_back("  CONSTRAINT " + quote(unique_name(t, u)) + " UNIQUE (" + column_list(u, false) + ")");
    for (const auto& chk : t.checks) parts.push_back("  CONSTRAINT " + quote(chk.name) + " CHECK (" + chk.expr + ")");
    std::string s = "CREATE TABLE " + quote(t.name) + " (\n";
    for (size_t i = 0; i < parts.size(); ++i) s += parts[i] + (i + 1 < parts.size() ? ",\n" : "\n");
    return s + ");\n";
}

std::vector<std::string> index_sql(const Table& t, int only_since_version, int version) {
    // Single-column indexes from the `index` modifier, then the table's composite indexes.
    std::vector<std::string> out;
    for (const auto& c : t.columns) {
        if (!c.index || c.since > version || (only_since_version && c.since != only_since_version)) continue;
        out.push_back("CREATE INDEX " + quote(object_name("ix_" + t.name + "_" + c.name)) + " ON " + quote(t.name) + " (" + quote(c.name) + ");\n");
    }
    if (only_since_version && t.since != only_since_version) return out;
    for (const auto& ix : t.indexes)
        out.push_back("CREATE INDEX " + quote(object_name("ix_" + t.name + "_" + joined_name(ix))) + " ON " + quote(t.name) + " (" +
                      column_list(ix, true) + ");\n");
    return out;
}

}  // namespace

bool Enum::contains(std::string_view v) const { return std::find(values.begin(), values.end(), v) != values.end(); }

bool Column::is_integer_valued() const {
    return type == Type::pk || type == Type::integer || type == Type::boolean ||
           (type == Type::enumeration && enumeration->integer);
}

const Column* Table::find(std::string_view column) const {
    for (const auto& c : columns)
        if (c.name == column) return &c;
    return nullptr;
}

const Table* Schema::find(std::string_view table) const {
    for (const auto& t : tables_)
        if (t.name == table) return &t;
    return nullptr;
}

const Table& Schema::table(std::string_view table) const {
    if (auto t = find(table)) return *t;
    invalid("unknown table '" + std::string(table) + "'");
}

const Enum* Schema::find_enum(std::string_view name) const {
    for (const auto& e : enums_)
        if (e.name == name) return &e;
    return nullptr;
}

Schema Schema::parse(std::string_view text) {
    ordered doc;
    try {
        doc = ordered::parse(text);
    } catch (const std::exception& e) {
        invalid(std::string("schema: ") + e.what());
    }
    Schema s;
    s.version_ = doc.at("version").get<int>();
    s.enums_.reserve(doc.at("enums").size());
    for (const auto& [name, values] : doc.at("enums").items()) {
        Enum e;
        e.name = name;
        for (const auto& v : values) {
            e.integer = v.is_number_integer();
            e.values.push_back(e.integer ? std::to_string(v.get<int64_t>()) : v.get<std::string>());
        }
        s.enums_.push_back(std::move(e));
    }
    std::vector<Table> parsed;
    for (const auto& [name, spec] : doc.at("tables").items()) {
        Table t;
        t.name = name;
        t.kind = spec.value("kind", "user") == "catalog" ? TableKind::catalog : TableKind::user;
        t.since = spec.value("since", 1);
        for (const auto& [cname, cspec] : spec.at("columns").items()) {
            t.columns.push_back(parse_column(name, cname, cspec.get<std::string>(), s));
            if (t.columns.size() == 1) {
                if (!t.columns[0].is_key()) invalid("schema: " + name + ": the first column must be the pk");
                Column uid;
                uid.name = "uid";
                uid.type = Type::uuid;
                uid.not_null = true;
                uid.unique = true;
                t.columns.push_back(uid);
            }
        }
        if (spec.contains("checks"))
            for (const auto& [cname, expr] : spec["checks"].items()) t.checks.push_back({object_name("ck_" + name + "_" + cname), expr.get<std::string>()});
        if (spec.contains("unique")) t.unique = spec["unique"].get<std::vector<std::vector<std::string>>>();
        if (spec.contains("indexes")) t.indexes = spec["indexes"].get<std::vector<std::vector<std::string>>>();
        for (const auto& group : {t.unique, t.indexes})
            for (const auto& cols : group)
                for (const auto& c : cols)
                    if (!t.has(bare(c))) invalid("schema: " + name + ": index names unknown column " + c);
        parsed.push_back(std::move(t));
    }
    // Dependency order (parents before children) so PostgreSQL can create references directly.
    std::set<std::string> placed;
    while (!parsed.empty()) {
        auto before = parsed.size();
        for (auto it = parsed.begin(); it != parsed.end();) {
            bool ready = true;
            for (const auto& c : it->columns)
                if (!c.ref_table.empty() && c.ref_table != it->name && !placed.count(c.ref_table)) ready = false;
            if (ready) {
                placed.insert(it->name);
                s.tables_.push_back(std::move(*it));
                it = parsed.erase(it);
            } else {
                ++it;
            }
        }
        if (parsed.size() == before) invalid("schema: reference cycle or unknown table around " + parsed.front().name);
    }
    return s;
}

const Schema& Schema::builtin() {
    static const Schema schema = parse(embedded::schema_json());
    return schema;
}

std::string sqlite_ddl(const Schema& schema, int version) {
    std::string out = "-- Generated from schema/schema.json (version " + std::to_string(version) + ") by gainsly-schema. Do not edit.\n";
    for (const auto& t : schema.tables()) {
        if (t.since > version) continue;
        out += "\n" + create_table_sql(t, Dialect::sqlite, version);
        for (const auto& ix : index_sql(t, 0, version)) out += ix;
    }
    return out;
}

std::string sqlite_migration(const Schema& schema, int from) {
    const int to = from + 1;
    std::string out;
    for (const auto& t : schema.tables()) {
        if (t.since == to) {
            out += create_table_sql(t, Dialect::sqlite, to);
            for (const auto& ix : index_sql(t, 0, to)) out += ix;
            continue;
        }
        if (t.since > to) continue;
        for (const auto& c : t.columns) {
            if (c.since != to) continue;
            if (c.not_null && !c.default_value) invalid("schema: " + t.name + "." + c.name + ": a column added later needs a default or must be nullable");
            out += "ALTER TABLE " + quote(t.name) + " ADD COLUMN" + column_sql(t, c, Dialect::sqlite).substr(1) + ";\n";
        }
        for (const auto& ix : index_sql(t, to, to)) out += ix;
    }
    return out;
}

std::string postgres_column(const Table& t, const Column& c, PgKeys keys) { return column_sql(t, c, Dialect::postgres, keys).substr(2); }

std::string postgres_enum(const Enum& e) { return "CREATE TYPE " + quote(e.name) + " AS ENUM (" + enum_values_sql(e) + ")"; }

std::vector<std::string> postgres_indexes(const Table& t, int version) { return index_sql(t, 0, version); }

std::string unique_name(const Table& t, const std::string& column) { return object_name("uq_" + t.name + "_" + column); }

std::string unique_name(const Table& t, const std::vector<std::string>& columns) { return object_name("uq_" + t.name + "_" + joined_name(columns)); }

std::string postgres_ddl(const Schema& schema) {
    std::string out = "-- Generated from schema/schema.json (version " + std::to_string(schema.version()) + ") by gainsly-schema. Do not edit.\n\n";
    for (const auto& e : schema.enums())
        if (!e.integer) out += postgres_enum(e) + ";\n";
    for (const auto& t : schema.tables()) {
        out += "\n" + create_table_sql(t, Dialect::postgres, schema.version());
        for (const auto& ix : index_sql(t, 0, schema.version())) out += ix;
    }
    return out;
}

}  // namespace gainsly::model
