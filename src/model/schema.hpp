// The schema as data: parsed from the declarative source schema/schema.json (embedded in the
// library), used to validate rows, to generate the SQLite and PostgreSQL DDL and the migrations.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gainsly::model {

enum class Type { pk, integer, real, text, varchar, boolean, date, timestamp, json, uuid, enumeration };
enum class OnDelete { none, cascade, restrict, set_null };
enum class TableKind { user, catalog };

struct Enum {
    std::string name;
    std::vector<std::string> values;  // integer enums keep their values as decimal text
    bool integer = false;
    bool contains(std::string_view v) const;
};

struct Column {
    std::string name;
    Type type = Type::text;
    int length = 0;                 // varchar(N)
    const Enum* enumeration = nullptr;
    bool not_null = false;
    bool unique = false;
    bool index = false;
    std::optional<std::string> default_value;  // token from the source: now, {}, [], 'text', 1.5, true
    std::string ref_table;           // foreign key target table, empty if none
    std::string ref_column;          // target column (id unless named)
    OnDelete on_delete = OnDelete::none;
    int since = 1;                   // schema version that added the column
    bool is_key() const { return type == Type::pk; }
    bool is_integer_valued() const;  // stored as an SQL integer
};

struct Check {
    std::string name;   // full constraint name ck_<table>_<short>
    std::string expr;   // SQL common to both dialects
};

struct Table {
    std::string name;
    TableKind kind = TableKind::user;
    std::vector<Column> columns;  // key first, then uid, then the source's columns in order
    std::vector<Check> checks;
    std::vector<std::vector<std::string>> unique;
    std::vector<std::vector<std::string>> indexes;  // entries may end in " desc"
    int since = 1;
    const Column* find(std::string_view column) const;
    const Column& key() const { return columns.front(); }
    bool has(std::string_view column) const { return find(column) != nullptr; }
};

class Schema {
public:
    static const Schema& builtin();             // the embedded schema/schema.json
    static Schema parse(std::string_view json);  // throws Error(invalid) on a malformed source

    int version() const { return version_; }
    const std::vector<Table>& tables() const { return tables_; }  // in dependency order
    const std::vector<Enum>& enums() const { return enums_; }
    const Table* find(std::string_view table) const;
    const Table& table(std::string_view table) const;  // throws Error(invalid) naming the table
    const Enum* find_enum(std::string_view name) const;

private:
    int version_ = 0;
    std::vector<Enum> enums_;  // stable addresses: reserved before tables point into it
    std::vector<Table> tables_;
};

// DDL generation. The SQLite text creates the schema as of `version`; the migration text moves a
// file from `from` to `from + 1` (additive changes only: new tables, columns and indexes).
std::string sqlite_ddl(const Schema& schema, int version);
std::string sqlite_migration(const Schema& schema, int from);
std::string postgres_ddl(const Schema& schema);

// The pieces postgres_ddl is made of, for the sync server's mirror (src/sync), which builds the
// keys of user tables itself (each includes the account).
struct PgKeys {
    bool primary_key = true, unique = true, reference = true;  // the column's own key clauses
};
// One column's PostgreSQL definition without indent: name, type, NOT NULL, DEFAULT, the value
// check of an integer enum, and the key clauses `keys` asks for.
std::string postgres_column(const Table& t, const Column& c, PgKeys keys = {});
std::string postgres_enum(const Enum& e);  // CREATE TYPE ... AS ENUM (...), without ';'
// CREATE INDEX statements of the table ("CREATE INDEX "ix_..." ON ...;\n").
std::vector<std::string> postgres_indexes(const Table& t, int version);
// The names the DDL gives a column's and a table's unique constraints (63 bytes at most).
std::string unique_name(const Table& t, const std::string& column);
std::string unique_name(const Table& t, const std::vector<std::string>& columns);

// Suffixes of the SQLite-only CHECK constraints that implement a type (PostgreSQL has the type).
inline constexpr std::string_view type_check_suffixes[] = {"_bool", "_enum", "_date", "_ts", "_json", "_len", "_uuid"};

}  // namespace gainsly::model
