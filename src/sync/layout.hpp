// What sync carries for each table: the schema's tables in dependency order with their synced
// columns, which of them are references (sent as the referenced row's uid), and the bit each
// column has in a change mask. Shared by the device half, the server half and the wire format.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/schema.hpp"

namespace gainsly::sync {

struct SyncColumn {
    const model::Column* column = nullptr;
    int pos = 0;                             // index in table->columns, the bit in a change mask
    const model::Table* parent = nullptr;    // referenced table, or null
    bool parent_by_key = true;               // reference to the parent's key (else to another column, e.g. muscles.name)
};

struct SyncTable {
    const model::Table* table = nullptr;
    int number = 0;                          // index in Schema::tables() (dependency order)
    bool catalog = false;                    // pull-only, server-authoritative
    std::vector<SyncColumn> columns;         // data columns that cross the wire (never the integer id or uid)
    uint64_t all_bits = 0;                   // mask with every synced column
    bool key_is_ref = false;                 // user_profiles: the key is the users reference
    const SyncColumn* find(std::string_view name) const;
    const SyncColumn* at_pos(int pos) const;
    const std::string& name() const { return table->name; }
};

// The layout of the built-in schema (every table, user and catalog, in dependency order).
const std::vector<SyncTable>& layout();
const SyncTable& layout_of(const model::Table& table);
const SyncTable* find_layout(std::string_view name);  // null for unknown names

// Columns that never leave the device (OAuth tokens, sealed locally).
bool device_only(const model::Table& table, const model::Column& column);

// Protocol constants.
inline constexpr std::string_view wire_format = "gainsly-sync/1";

// Canonical text of a value on the wire: integers in decimal, reals in shortest round-trip form,
// booleans "t"/"f", timestamps "YYYY-MM-DDTHH:MM:SS.mmmZ", JSON as text, references as uids.
using Value = std::optional<std::string>;

}  // namespace gainsly::sync
