#include "store/user_export.hpp"

#include "model/error.hpp"
#include "model/time.hpp"

namespace gainsly::store {
namespace {

using json = nlohmann::json;
using model::Table;
using model::TableKind;

constexpr const char* export_format = "gainsly.user-export";
constexpr int export_format_version = 1;

std::string q(std::string_view id) { return "\"" + std::string(id) + "\""; }

// SQL condition selecting the rows of `t` that belong to the user bound as ?1: a direct user_id, or
// an owning (cascading) reference to a table whose rows the user owns.
std::string owner_condition(const model::Schema& schema, const Table& t) {
    if (t.name == "users") return q("id") + " = ?1";
    if (const auto* c = t.find("user_id"); c && c->ref_table == "users") return q("user_id") + " = ?1";
    for (const auto& c : t.columns) {
        if (c.ref_table.empty() || c.on_delete != model::OnDelete::cascade) continue;
        const Table& parent = schema.table(c.ref_table);
        if (parent.kind != TableKind::user) continue;
        return q(c.name) + " IN (SELECT " + q(c.ref_column) + " FROM " + q(parent.name) + " WHERE " + owner_condition(schema, parent) + ")";
    }
    throw Error(Status::internal, t.name + ": no owner path to users");
}

// Whether a column holds an integer reference that crosses a document as the target's uid.
bool by_uid(const model::Column& c) { return !c.ref_table.empty() && c.ref_column == "id"; }

class UidMap {
public:
    explicit UidMap(Database& db) : db_(db) {}
    std::string uid(const std::string& table, int64_t id) {
        auto& q_ = db_.prepare("SELECT uid FROM " + q(table) + " WHERE id = ?");
        q_.bind(1, id);
        if (!q_.executeStep()) throw Error(Status::corrupt, table + ": dangling reference to id " + std::to_string(id));
        std::string uid = q_.getColumn(0).getString();
        q_.tryReset();
        return uid;
    }
    int64_t id(const std::string& table, const std::string& uid, const std::string& where) {
        auto& q_ = db_.prepare("SELECT id FROM " + q(table) + " WHERE uid = ?");
        q_.bind(1, uid);
        if (!q_.executeStep()) throw Error(Status::constraint, where + ": no " + table + " row with uid " + uid);
        int64_t id = q_.getColumn(0).getInt64();
        q_.tryReset();
        return id;
    }

private:
    Database& db_;
};

}  // namespace

json export_user(Database& db, int64_t user_id) {
    const auto& schema = db.schema();
    if (!db.exists(schema.table("users"), user_id)) throw Error(Status::not_found, "users: no row with id " + std::to_string(user_id));
    UidMap uids(db);
    json tables = json::object();
    for (const auto& t : schema.tables()) {
        if (t.kind != TableKind::user) continue;
        sqlite3_stmt* st = db.prepare_raw(db.select_sql(t) + " WHERE " + owner_condition(schema, t) + " ORDER BY " + q(t.key().name));
        sqlite3_bind_int64(st, 1, user_id);
        std::string text = "[";
        while (db.step(st)) {
            if (text.size() > 1) text += ',';
            Database::append_row_json(text, t, st);
        }
        sqlite3_reset(st);
        json rows = json::parse(text + "]");
        for (auto& row : rows) {
            if (t.key().ref_table.empty()) row.erase(t.key().name);
            for (const auto& c : t.columns)
                if (by_uid(c) && !row[c.name].is_null()) row[c.name] = uids.uid(c.ref_table, row[c.name].get<int64_t>());
        }
        if (!rows.empty()) tables[t.name] = std::move(rows);
    }
    return {{"format", export_format},
            {"format_version", export_format_version},
            {"schema_version", schema.version()},
            {"catalog_version", db.meta("catalog_version", "0")},
            {"exported_at", model::now_timestamp()},
            {"user_uid", tables["users"][0]["uid"]},
            {"tables", std::move(tables)}};
}

json import_user(Database& db, const json& document) {
    const auto& schema = db.schema();
    if (!document.is_object() || document.value("format", "") != export_format)
        invalid(std::string("import: not a ") + export_format + " document (format)");
    if (!document.contains("format_version") || !document["format_version"].is_number_integer() ||
        document["format_version"].get<int>() > export_format_version)
        throw Error(Status::version, "import: format_version is missing or newer than this library's");
    if (!document.contains("schema_version") || !document["schema_version"].is_number_integer() ||
        document["schema_version"].get<int>() > schema.version())
        throw Error(Status::version, "import: schema_version is missing or newer than this library's " + std::to_string(schema.version()));
    const json& tables = document.value("tables", json());
    if (!tables.is_object() || !tables.contains("users")) invalid("import.tables: expected an object with a users array");
    for (const auto& [name, rows] : tables.items()) {
        const Table* t = schema.find(name);
        if (!t || t->kind != TableKind::user) invalid("import.tables." + name + ": not a user table");
        if (!rows.is_array()) invalid("import.tables." + name + ": expected an array");
    }
    if (tables["users"].size() != 1) invalid("import.tables.users: expected exactly one user");
    UidMap uids(db);
    size_t count = 0;
    int64_t user_id = 0;
    Savepoint sp(db);
    for (const auto& t : schema.tables()) {
        if (!tables.contains(t.name)) continue;
        size_t index = 0;
        for (json row : tables[t.name]) {
            std::string where = t.name + "[" + std::to_string(index++) + "]";
            if (!row.is_object()) invalid("import." + where + ": expected an object");
            if (row.contains(t.key().name) && t.key().ref_table.empty()) invalid("import." + where + ": must not carry a local id");
            for (const auto& c : t.columns) {
                if (!by_uid(c) || !row.contains(c.name) || row[c.name].is_null()) continue;
                if (!row[c.name].is_string()) invalid("import." + where + "." + c.name + ": expected the uid of a " + c.ref_table + " row");
                row[c.name] = uids.id(c.ref_table, row[c.name].get<std::string>(), "import." + where + "." + c.name);
            }
            int64_t id = db.insert(t.name, row);
            if (t.name == "users") user_id = id;
            ++count;
        }
    }
    sp.commit();
    return {{"user_id", user_id}, {"rows", count}};
}

}  // namespace gainsly::store
