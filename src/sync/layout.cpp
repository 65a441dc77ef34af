#include "sync/layout.hpp"

#include <unordered_map>

#include "model/error.hpp"

namespace gainsly::sync {

const SyncColumn* SyncTable::find(std::string_view name) const {
    for (const auto& c : columns)
        if (c.column->name == name) return &c;
    return nullptr;
}

const SyncColumn* SyncTable::at_pos(int pos) const {
    for (const auto& c : columns)
        if (c.pos == pos) return &c;
    return nullptr;
}

bool device_only(const model::Table& table, const model::Column& column) {
    return table.name == "external_provider_accounts" && (column.name == "access_token" || column.name == "refresh_token");
}

const std::vector<SyncTable>& layout() {
    static const std::vector<SyncTable> tables = [] {
        const auto& schema = model::Schema::builtin();
        std::vector<SyncTable> out;
        int number = 0;
        for (const auto& t : schema.tables()) {
            SyncTable st;
            st.table = &t;
            st.number = number++;
            st.catalog = t.kind == model::TableKind::catalog;
            for (size_t i = 0; i < t.columns.size(); ++i) {
                const auto& c = t.columns[i];
                if (c.name == "uid" || device_only(t, c)) continue;
                if (c.is_key() && c.ref_table.empty()) continue;  // local integer id
                if (i >= 63) throw Error(Status::internal, "sync: " + t.name + " has more than 63 columns");
                SyncColumn sc;
                sc.column = &c;
                sc.pos = int(i);
                if (!c.ref_table.empty()) {
                    sc.parent = &schema.table(c.ref_table);
                    sc.parent_by_key = c.ref_column == sc.parent->key().name;
                }
                if (c.is_key()) st.key_is_ref = true;
                st.all_bits |= uint64_t(1) << i;
                st.columns.push_back(sc);
            }
            out.push_back(std::move(st));
        }
        return out;
    }();
    return tables;
}

const SyncTable& layout_of(const model::Table& table) {
    for (const auto& st : layout())
        if (st.table == &table) return st;
    throw Error(Status::internal, "sync: no layout for " + table.name);
}

const SyncTable* find_layout(std::string_view name) {
    for (const auto& st : layout())
        if (st.table->name == name) return &st;
    return nullptr;
}

}  // namespace gainsly::sync
