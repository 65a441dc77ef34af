#include "catalog/catalog.hpp"

#include <cstdio>
#include <set>

#include "model/embedded.hpp"
#include "model/error.hpp"
#include "model/uuid.hpp"

namespace gainsly::catalog {
namespace {

using json = nlohmann::json;
using model::Table;
using store::Database;
using store::Row;

// Tables in load order (parents first) with the column that names a row in the files.
struct Source {
    const char* table;
    const char* file;      // embedded file name
    const char* natural;   // unique natural key column
};
constexpr Source sources[] = {
    {"muscles", "catalog/muscles.json", "name"},
    {"equipment", "catalog/equipment.json", "name"},
    {"disciplines", "catalog/disciplines.json", "name"},
    {"goals", "catalog/goals.json", "name"},
    {"movements", "catalog/movements.json", "name"},
    {"movement_relationships", "catalog/movement_relationships.json", nullptr},
    {"circuit_templates", "catalog/circuit_templates.json", "name"},
    {"activity_definitions", "catalog/activity_definitions.json", "name"},
    {"heuristic_configs", nullptr, "key"},
};

// name -> id for one catalog table, refreshed after that table is written.
class Names {
public:
    Names(Database& db, const char* table, const char* column = "name") : db_(db), table_(table), column_(column) { refresh(); }
    void refresh() {
        ids_.clear();
        auto& q = db_.prepare(std::string("SELECT \"") + column_ + "\", id FROM \"" + table_ + "\"");
        while (q.executeStep()) ids_[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    }
    int64_t operator()(const json& name, const std::string& where) const {
        if (!name.is_string()) invalid(where + ": expected a " + table_ + " name");
        auto it = ids_.find(name.get<std::string>());
        if (it == ids_.end()) invalid(where + ": unknown " + std::string(table_) + " '" + name.get<std::string>() + "'");
        return it->second;
    }

private:
    Database& db_;
    const char* table_;
    const char* column_;
    std::map<std::string, int64_t> ids_;
};

// Inserts or updates one row by uid. A different row that already holds the natural key (a custom
// movement with the catalog's name, say) is renamed out of the way rather than overwritten.
int64_t upsert_row(Database& db, const Table& t, Row row, const char* natural) {
    std::string uid;
    for (const auto& [c, v] : row)
        if (c->name == "uid") uid = std::get<std::string>(v);
    if (natural)
        for (const auto& [c, v] : row) {
            if (c->name != natural || !std::holds_alternative<std::string>(v)) continue;
            auto& q = db.prepare("SELECT id FROM \"" + t.name + "\" WHERE \"" + natural + "\" = ? AND uid <> ?");
            q.bind(1, std::get<std::string>(v));
            q.bind(2, uid);
            if (q.executeStep()) {
                int64_t other = q.getColumn(0).getInt64();
                q.tryReset();
                auto& r = db.prepare("UPDATE \"" + t.name + "\" SET \"" + natural + "\" = \"" + natural + "\" || ' (custom ' || id || ')' WHERE id = ?");
                r.bind(1, other);
                r.exec();
            }
        }
    std::string cols, marks, sets;
    for (const auto& [c, v] : row) {
        cols += (cols.empty() ? "\"" : ", \"") + c->name + "\"";
        marks += marks.empty() ? "?" : ", ?";
        if (c->name != "uid") sets += (sets.empty() ? "\"" : ", \"") + c->name + "\" = excluded.\"" + c->name + "\"";
    }
    if (t.has("updated_at")) sets += ", \"updated_at\" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    auto& q = db.prepare("INSERT INTO \"" + t.name + "\" (" + cols + ") VALUES (" + marks + ") ON CONFLICT (uid) DO UPDATE SET " + sets +
                         " RETURNING id");
    int i = 1;
    for (const auto& [c, v] : row) {
        if (std::holds_alternative<int64_t>(v)) q.bind(i++, std::get<int64_t>(v));
        else if (std::holds_alternative<double>(v)) q.bind(i++, std::get<double>(v));
        else if (std::holds_alternative<std::string>(v)) q.bind(i++, std::get<std::string>(v));
        else q.bind(i++);
    }
    try {
        if (!q.executeStep()) throw Error(Status::internal, t.name + ": upsert returned no id");
        int64_t id = q.getColumn(0).getInt64();
        q.tryReset();
        return id;
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        q.tryReset();
        store::rethrow_as_error(e, t.name + " '" + uid + "'");
    }
}

// Validates the record's own columns (every key that names a column of the table).
Row columns_of(const Table& t, const json& record, const std::set<std::string>& skip) {
    Row row;
    for (const auto& [key, value] : record.items()) {
        if (skip.count(key)) continue;
        const model::Column* c = t.find(key);
        if (!c) continue;  // relation fields (equipment, muscles, ...) are handled by the caller
        json v = value;
        if (c->type == model::Type::uuid && v.is_string()) {
            std::string s = v.get<std::string>();
            for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
            v = s;
        }
        row.emplace_back(c, store::to_sql(t, *c, v));
    }
    bool has_uid = false;
    for (const auto& [c, v] : row) has_uid |= c->name == "uid";
    if (!has_uid) row.emplace_back(t.find("uid"), model::new_uuid_v7());
    return row;
}

std::string uid_of(const Row& row) {
    for (const auto& [c, v] : row)
        if (c->name == "uid") return std::get<std::string>(v);
    return {};
}

// Replaces the child rows of one parent (e.g. a movement's muscle map) with `wanted`, keyed by
// their derived uids, so an upgrade that drops a muscle from a movement drops the row too.
size_t replace_children(Database& db, const Table& child, const std::string& parent_column, int64_t parent_id,
                        const std::vector<Row>& wanted) {
    std::set<std::string> keep;
    for (const auto& row : wanted) {
        upsert_row(db, child, row, nullptr);
        keep.insert(uid_of(row));
    }
    auto& q = db.prepare("SELECT id, uid FROM \"" + child.name + "\" WHERE \"" + parent_column + "\" = ?");
    q.bind(1, parent_id);
    std::vector<int64_t> stale;
    while (q.executeStep())
        if (!keep.count(q.getColumn(1).getString())) stale.push_back(q.getColumn(0).getInt64());
    q.tryReset();
    for (int64_t id : stale) db.remove(child.name, id);
    return wanted.size();
}

std::vector<Row> muscle_map_rows(const Table& map, const std::string& parent_column, int64_t parent_id, const std::string& parent_uid,
                                 const json& muscles, const Names& muscle_ids, const std::string& where) {
    std::vector<Row> rows;
    if (!muscles.is_array()) invalid(where + ".muscles: expected an array");
    for (const auto& m : muscles) {
        if (!m.is_object()) invalid(where + ".muscles: expected objects");
        Row r{{map.find(parent_column), parent_id},
              {map.find("muscle_id"), muscle_ids(m.value("muscle", json()), where + ".muscles")},
              {map.find("role"), store::to_sql(map, *map.find("role"), m.value("role", json()))},
              {map.find("magnitude"), store::to_sql(map, *map.find("magnitude"), m.value("magnitude", json(1.0)))},
              {map.find("uid"), derived_uid(parent_uid, "muscle:" + m.value("muscle", std::string()))}};
        rows.push_back(std::move(r));
    }
    return rows;
}

json load_embedded(std::string_view file) { return json::parse(embedded::file(file)); }

}  // namespace

std::string derived_uid(std::string_view parent_uid, std::string_view key) {
    // Two FNV-1a-64 passes with different bases give 128 bits; version 8 (custom) and the RFC variant.
    auto fnv = [&](uint64_t h) {
        for (std::string_view part : {parent_uid, std::string_view("/"), key})
            for (unsigned char ch : part) h = (h ^ ch) * 1099511628211ull;
        return h;
    };
    uint64_t a = fnv(14695981039346656037ull), b = fnv(0x6c62272e07bb0142ull ^ a);
    a = (a & ~0xf000ull) | 0x8000ull;                                  // version 8 in bits 48-51
    b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull;           // variant 10
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32), unsigned((a >> 16) & 0xffff), unsigned(a & 0xffff),
                  unsigned(b >> 48), (unsigned long long)(b & 0xffffffffffffull));
    return buf;
}

int builtin_version() { return load_embedded("catalog/catalog.json").at("catalog_version").get<int>(); }

size_t upsert(Database& db, const json& document) {
    if (!document.is_object()) invalid("catalog: expected a JSON object of tables");
    for (const auto& [key, value] : document.items()) {
        bool known = false;
        for (const auto& s : sources) known |= key == s.table;
        if (!known) invalid("catalog: unknown table '" + key + "'");
        if (!value.is_array()) invalid("catalog." + key + ": expected an array");
    }
    const auto& schema = db.schema();
    size_t written = 0;
    store::Savepoint sp(db);
    Names muscles(db, "muscles"), equipment(db, "equipment"), disciplines(db, "disciplines"), movements(db, "movements");
    for (const auto& source : sources) {
        if (!document.contains(source.table)) continue;
        const Table& t = schema.table(source.table);
        const std::string table = source.table;
        size_t index = 0;
        for (const auto& record : document[source.table]) {
            std::string where = table + "[" + std::to_string(index++) + "]";
            if (!record.is_object()) invalid(where + ": expected an object");
            if (record.contains("name") && record["name"].is_string()) where = table + " '" + record["name"].get<std::string>() + "'";
            if (table == "movement_relationships") {
                Row row = columns_of(t, record, {});
                row.emplace_back(t.find("movement_1_id"), movements(record.value("movement_1", json()), where + ".movement_1"));
                row.emplace_back(t.find("movement_2_id"), movements(record.value("movement_2", json()), where + ".movement_2"));
                upsert_row(db, t, std::move(row), nullptr);
            } else if (table == "activity_definitions") {
                Row row = columns_of(t, record, {});
                if (record.contains("discipline")) row.emplace_back(t.find("discipline_id"), disciplines(record["discipline"], where + ".discipline"));
                std::string uid = uid_of(row);
                int64_t id = upsert_row(db, t, std::move(row), source.natural);
                const Table& map = schema.table("activity_definition_muscle_map");
                written += replace_children(db, map, "activity_definition_id", id,
                                            muscle_map_rows(map, "activity_definition_id", id, uid, record.value("muscles", json::array()),
                                                            muscles, where));
            } else if (table == "heuristic_configs") {
                json r = record;
                if (r.contains("value") && !(r["value"].is_string() && r.value("data_type", "") == "string")) r["value"] = r["value"].dump();
                upsert_row(db, t, columns_of(t, r, {}), source.natural);
            } else if (table == "movements") {
                Row row = columns_of(t, record, {});
                std::string uid = uid_of(row);
                int64_t id = upsert_row(db, t, std::move(row), source.natural);
                auto links = [&](const char* field, const char* child_table, const char* column, const Names& names) {
                    const Table& child = schema.table(child_table);
                    std::vector<Row> rows;
                    for (const auto& name : record.value(field, json::array()))
                        rows.push_back(Row{{child.find("movement_id"), id},
                                           {child.find(column), names(name, where + "." + field)},
                                           {child.find("uid"), derived_uid(uid, std::string(field) + ":" + name.get<std::string>())}});
                    written += replace_children(db, child, "movement_id", id, rows);
                };
                links("equipment", "movement_equipment", "equipment_id", equipment);
                links("disciplines", "movement_disciplines", "discipline_id", disciplines);
                const Table& tags = schema.table("movement_tags");
                std::vector<Row> tag_rows;
                for (const auto& tag : record.value("tags", json::array()))
                    tag_rows.push_back(Row{{tags.find("movement_id"), id},
                                           {tags.find("tag"), store::to_sql(tags, *tags.find("tag"), tag)},
                                           {tags.find("uid"), derived_uid(uid, "tag:" + tag.dump())}});
                written += replace_children(db, tags, "movement_id", id, tag_rows);
                const Table& map = schema.table("movement_muscle_map");
                written += replace_children(db, map, "movement_id", id,
                                            muscle_map_rows(map, "movement_id", id, uid, record.value("muscles", json::array()), muscles, where));
            } else {
                upsert_row(db, t, columns_of(t, record, {}), source.natural);
            }
            ++written;
        }
        if (table == "muscles") muscles.refresh();
        if (table == "equipment") equipment.refresh();
        if (table == "disciplines") disciplines.refresh();
        if (table == "movements") movements.refresh();
    }
    sp.commit();
    return written;
}

bool install(Database& db) {
    const int version = builtin_version();
    if (std::atoi(db.meta("catalog_version", "0").c_str()) >= version) return false;
    store::Savepoint sp(db);
    // One file's JSON at a time, in dependency order: holding the whole catalog as one DOM was most
    // of the peak memory of a first open.
    for (const auto& s : sources)
        if (s.file) upsert(db, json{{s.table, load_embedded(s.file)}});
    json heuristics = json::array();
    for (const auto& [name, data] : embedded::files())
        if (name.rfind("catalog/heuristic_configs/", 0) == 0)
            for (auto& h : json::parse(data)) heuristics.push_back(std::move(h));
    upsert(db, json{{"heuristic_configs", std::move(heuristics)}});
    db.set_meta("catalog_version", std::to_string(version));
    sp.commit();
    return true;
}

}  // namespace gainsly::catalog
