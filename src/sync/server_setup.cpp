// gs_server_setup and gs_server_add_account: the server's bookkeeping, the mirrored schema built
// from the schema model, row-level security and grants, the built-in catalog, account roles.
#include "sync/server.hpp"

#include "store/sqlite.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "catalog/catalog.hpp"
#include "model/error.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"
#include "sync/server_sql.hpp"

namespace gainsly::sync {

using namespace server_sql;
using model::Type;

namespace {

// ---- DDL --------------------------------------------------------------------------------------

// The bookkeeping that does not depend on the mirrored tables.
//
// Every account role is hostile and may run any SQL, and it keeps TEMP on the database (push stages
// batches in a temporary table): its temporary objects come first in its own search_path for
// relations. So the functions installed here run with a fixed search_path that puts pg_temp last
// (or name the schema), and none is executable by PUBLIC. The trigger functions run as the owner:
// they check that they fire on the table their argument names, and take the owner from the rows
// and the sequence from gs_owners, never from anything a session can set.
std::string bookkeeping_sql(const std::string& schema) {
    const std::string S = q(schema), path = "SET search_path = pg_catalog, " + S + ", pg_temp";
    auto log_trigger = [&](const char* kind) {
        return "  IF TG_TABLE_SCHEMA <> " + literal(schema) + " OR NOT EXISTS (SELECT 1 FROM gs_tables g WHERE g.tbl = TG_ARGV[0]::smallint AND g.name = " +
               "TG_TABLE_NAME AND g.kind = '" + kind + "') THEN\n    RAISE EXCEPTION USING ERRCODE = 'GSAUT', MESSAGE = TG_NAME || ': fires only on " +
               "Gainsly''s own tables, not on ' || TG_RELID::regclass::text;\n  END IF;\n";
    };
    return R"(
CREATE TABLE IF NOT EXISTS gs_server_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS gs_accounts (role name PRIMARY KEY, user_uid uuid NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE OR REPLACE VIEW gs_my_account AS SELECT user_uid FROM gs_accounts WHERE role = current_user;
-- The policies' hot path: schema-qualified instead of SET search_path, so the planner can still inline it.
CREATE OR REPLACE FUNCTION gs_account() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT user_uid FROM )" + S + R"(.gs_my_account $$;
CREATE TABLE IF NOT EXISTS gs_tables (tbl smallint PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL);
CREATE TABLE IF NOT EXISTS gs_owners (owner uuid PRIMARY KEY, seq bigint NOT NULL DEFAULT 0, gc_seq bigint NOT NULL DEFAULT 0);
-- The transaction that last took the account's sequence: every change of one transaction shares it.
ALTER TABLE gs_owners ADD COLUMN IF NOT EXISTS xact xid8;
CREATE TABLE IF NOT EXISTS gs_devices (owner uuid NOT NULL, device uuid NOT NULL, mutation bigint NOT NULL DEFAULT 0, batch uuid,
  cursor bigint NOT NULL DEFAULT 0, catalog_cursor bigint NOT NULL DEFAULT 0, schema integer, pushed_at timestamptz,
  pulled_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, device));
ALTER TABLE gs_devices ADD COLUMN IF NOT EXISTS restored_before timestamptz;
ALTER TABLE gs_devices ADD COLUMN IF NOT EXISTS resync_gc bigint;
CREATE TABLE IF NOT EXISTS gs_changes (owner uuid NOT NULL, tbl smallint NOT NULL, uid uuid NOT NULL, seq bigint NOT NULL,
  op "char" NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, tbl, uid));
CREATE INDEX IF NOT EXISTS ix_gs_changes_owner_seq ON gs_changes (owner, seq);
CREATE INDEX IF NOT EXISTS ix_gs_changes_tombstones ON gs_changes (owner, seq) WHERE op = 'd';
CREATE TABLE IF NOT EXISTS gs_catalog_changes (tbl smallint NOT NULL, uid uuid NOT NULL, seq bigint NOT NULL, op "char" NOT NULL,
  at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tbl, uid));
CREATE INDEX IF NOT EXISTS ix_gs_catalog_changes_seq ON gs_catalog_changes (seq);
CREATE TABLE IF NOT EXISTS gs_catalog_seq (id boolean PRIMARY KEY DEFAULT true CHECK (id), seq bigint NOT NULL DEFAULT 0);
INSERT INTO gs_catalog_seq DEFAULT VALUES ON CONFLICT DO NOTHING;
-- The account's sequence for the current transaction: the one push took, else the next one.
CREATE OR REPLACE FUNCTION gs_xact_seq(p_owner uuid) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER )" +
           path + R"( AS $$
DECLARE v bigint;
BEGIN
  SELECT o.seq INTO v FROM gs_owners o WHERE o.owner = p_owner AND o.xact = pg_current_xact_id();
  IF v IS NULL THEN
    INSERT INTO gs_owners AS o (owner, seq, xact) VALUES (p_owner, 1, pg_current_xact_id())
    ON CONFLICT (owner) DO UPDATE SET seq = o.seq + 1, xact = excluded.xact RETURNING o.seq INTO v;
  END IF;
  RETURN v;
END $$;
CREATE OR REPLACE FUNCTION gs_log_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER )" +
           path + R"( AS $$
BEGIN
)" + log_trigger("user") + R"(  -- one change-log entry per row, holding the sequence of its latest change (a tombstone for a delete)
  IF TG_OP = 'DELETE' THEN
    INSERT INTO gs_changes AS g (owner, tbl, uid, seq, op, at)
    SELECT o.gs_owner, TG_ARGV[0]::smallint, o.uid, s.seq, 'd', now()
    FROM old_rows o JOIN (SELECT x.owner, gs_xact_seq(x.owner) AS seq FROM (SELECT DISTINCT gs_owner AS owner FROM old_rows) x) s ON s.owner = o.gs_owner
    ON CONFLICT (owner, tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'd', at = excluded.at;
  ELSE
    INSERT INTO gs_changes AS g (owner, tbl, uid, seq, op, at)
    SELECT n.gs_owner, TG_ARGV[0]::smallint, n.uid, s.seq, 'u', now()
    FROM new_rows n JOIN (SELECT x.owner, gs_xact_seq(x.owner) AS seq FROM (SELECT DISTINCT gs_owner AS owner FROM new_rows) x) s ON s.owner = n.gs_owner
    ON CONFLICT (owner, tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'u', at = excluded.at;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION gs_log_catalog() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER )" +
           path + R"( AS $$
DECLARE v_seq bigint;
BEGIN
)" + log_trigger("catalog") + R"(  UPDATE gs_catalog_seq SET seq = seq + 1 RETURNING seq INTO v_seq;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO gs_catalog_changes AS g (tbl, uid, seq, op, at) SELECT TG_ARGV[0]::smallint, o.uid, v_seq, 'd', now() FROM old_rows o
    ON CONFLICT (tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'd', at = excluded.at;
  ELSE
    INSERT INTO gs_catalog_changes AS g (tbl, uid, seq, op, at) SELECT TG_ARGV[0]::smallint, n.uid, v_seq, 'u', now() FROM new_rows n
    ON CONFLICT (tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'u', at = excluded.at;
  END IF;
  RETURN NULL;
END $$;
-- Older servers: the change log took its sequence from session settings (gainsly.seq, gainsly.owner).
DROP FUNCTION IF EXISTS gs_next_seq(uuid);
)";
}

// A constraint name within PostgreSQL's 63 bytes (a longer one would be truncated silently and
// no longer match the name the idempotent setup looks for).
std::string constraint_name(const std::string& name) {
    if (name.size() <= 63) return name;
    uint32_t h = 2166136261u;
    for (unsigned char ch : name) h = (h ^ ch) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return name.substr(0, 54) + "_" + hex;
}

// Servers set up before the owner key joined the primary and foreign keys of user tables: drop
// those single-column keys (foreign keys first) so the composite ones below replace them.
std::string owner_key_migration(const model::Schema& schema) {
    std::string rels;
    for (const auto& t : schema.tables())
        if (t.kind == model::TableKind::user) rels += std::string(rels.empty() ? "" : ", ") + "to_regclass(" + literal(q(t.name)) + ")";
    return "DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.conrelid::regclass AS rel, c.conname FROM pg_constraint c WHERE c.conrelid = ANY (ARRAY[" +
           rels + "]::regclass[]) AND (c.contype = 'p' OR (c.contype = 'f' AND c.confrelid = ANY (ARRAY[" + rels +
           "]::regclass[]))) AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attname = 'gs_owner' AND a.attnum = ANY "
           "(c.conkey)) ORDER BY c.contype LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.conname); END LOOP; END $$;\n";
}

// The mirrored schema, built from the schema model like model::postgres_ddl and made idempotent,
// with the owner key and the clocks added to every user table. Every key of a user table includes
// the owner, as a table distributed by owner (Citus, schema/citus.sql) requires: unique keys are
// (gs_owner, ...), the primary key is (gs_owner, id) and references between user tables are
// (gs_owner, x_id) -> (gs_owner, id) (ON DELETE SET NULL clears only x_id). References to catalog
// tables stay as they are.
std::string mirror_sql(const model::Schema& schema) {
    std::string out = owner_key_migration(schema);
    for (const auto& e : schema.enums()) {
        if (e.integer) continue;
        out += "DO $$ BEGIN " + model::postgres_enum(e) + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n";
        for (const auto& v : e.values) out += "ALTER TYPE " + q(e.name) + " ADD VALUE IF NOT EXISTS " + literal(v) + ";\n";
    }
    for (const auto& t : schema.tables()) {
        const std::string& name = t.name;
        const bool user = t.kind == model::TableKind::user;
        std::vector<std::string> columns, constraints, fkeys;
        for (const auto& c : t.columns) {
            if (c.since > schema.version()) continue;
            const bool user_parent = !c.ref_table.empty() && schema.table(c.ref_table).kind == model::TableKind::user;
            if (!user) {
                columns.push_back(model::postgres_column(t, c));
                continue;
            }
            columns.push_back(model::postgres_column(t, c, {false, false, !user_parent}));
            if (c.is_key())  // the primary key becomes (gs_owner, key)
                constraints.insert(constraints.begin(), "CONSTRAINT " + q(constraint_name(name + "_pkey")) + " PRIMARY KEY (\"gs_owner\", " + q(c.name) + ")");
            if (user_parent) {  // a reference to a user table becomes (gs_owner, column) -> (gs_owner, key)
                std::string action = c.on_delete == model::OnDelete::cascade    ? " ON DELETE CASCADE"
                                     : c.on_delete == model::OnDelete::restrict ? " ON DELETE RESTRICT"
                                     : c.on_delete == model::OnDelete::set_null ? " ON DELETE SET NULL (" + q(c.name) + ")"
                                                                                : "";
                fkeys.push_back("CONSTRAINT " + q(constraint_name(name + "_" + c.name + "_fkey")) + " FOREIGN KEY (\"gs_owner\", " + q(c.name) +
                                ") REFERENCES " + q(c.ref_table) + " (\"gs_owner\", " + q(c.ref_column) + ")" + action);
            }
            if (c.unique)  // a column's UNIQUE becomes (gs_owner, column)
                constraints.push_back("CONSTRAINT " + q(model::unique_name(t, c.name)) + " UNIQUE (\"gs_owner\", " + q(c.name) + ")");
        }
        for (const auto& u : t.unique) {
            std::string cols = user ? "\"gs_owner\"" : "";
            for (const auto& col : u) cols += (cols.empty() ? "" : ", ") + q(col.substr(0, col.find(' ')));
            constraints.push_back("CONSTRAINT " + q(model::unique_name(t, u)) + " UNIQUE (" + cols + ")");
        }
        for (const auto& chk : t.checks) constraints.push_back("CONSTRAINT " + q(chk.name) + " CHECK (" + chk.expr + ")");
        if (user) {
            columns.insert(columns.begin() + 2, "\"gs_owner\" uuid NOT NULL DEFAULT gs_account()");
            columns.push_back("\"gs_hlc\" bigint NOT NULL DEFAULT 0");
            columns.push_back("\"gs_clock\" jsonb");
        }
        constraints.insert(constraints.end(), fkeys.begin(), fkeys.end());
        std::string create = "CREATE TABLE IF NOT EXISTS " + q(name) + " (\n";
        for (size_t i = 0; i < columns.size(); ++i) create += "  " + columns[i] + (i + 1 < columns.size() || !constraints.empty() ? ",\n" : "\n");
        for (size_t i = 0; i < constraints.size(); ++i) create += "  " + constraints[i] + (i + 1 < constraints.size() ? ",\n" : "\n");
        out += create + ");\n";
        for (const auto& c : columns) out += "ALTER TABLE " + q(name) + " ADD COLUMN IF NOT EXISTS " + c + ";\n";
        for (const auto& c : constraints) {
            const std::string cname = c.substr(12, c.find('"', 12) - 12);  // CONSTRAINT "name" ...
            out += "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = " + literal(q(name)) + "::regclass AND conname = " +
                   literal(cname) + ") THEN ALTER TABLE " + q(name) + " ADD " + c + "; END IF; END $$;\n";
        }
        for (const auto& ix : model::postgres_indexes(t, schema.version())) out += "CREATE INDEX IF NOT EXISTS" + ix.substr(12);
    }
    return out;
}

// 62 random bits (the last 16 hex digits of a v4 uuid, its variant bits masked off with the sign).
const char* random_id = "(('x' || translate(right(gen_random_uuid()::text, 17), '-', ''))::bit(64)::bigint & 4611686018427387903)";

// Per-table pieces: triggers, row-level security, grants.
std::string tables_sql(const model::Schema& schema) {
    std::string out;
    for (const auto& st : layout()) {
        const std::string t = q(st.name()), name = literal(st.name());
        out += "INSERT INTO gs_tables (tbl, name, kind) SELECT coalesce((SELECT max(tbl) FROM gs_tables), -1) + 1, " + name + ", " +
               literal(st.catalog ? "catalog" : "user") + " WHERE NOT EXISTS (SELECT 1 FROM gs_tables WHERE name = " + name + ");\n";
        const std::string fn = st.catalog ? "gs_log_catalog" : "gs_log_user";
        const std::string arg = "((SELECT tbl FROM gs_tables WHERE name = " + name + "))";
        for (const char* ev : {"INSERT", "UPDATE", "DELETE"}) {
            std::string trg = std::string("gs_log_") + char(std::tolower(ev[0]));
            std::string ref = ev[0] == 'D' ? "OLD TABLE AS old_rows" : "NEW TABLE AS new_rows";
            out += "DROP TRIGGER IF EXISTS " + q(trg) + " ON " + t + ";\n";
            out += "DO $$ BEGIN EXECUTE format('CREATE TRIGGER " + trg + " AFTER " + ev + " ON " + t + " REFERENCING " + ref +
                   " FOR EACH STATEMENT EXECUTE FUNCTION " + fn + "(%s)', (SELECT tbl FROM gs_tables WHERE name = " + name + ")); END $$;\n";
        }
        (void)arg;
        if (st.catalog) {
            out += "GRANT SELECT ON " + t + " TO " + device_group + ";\n";
            continue;
        }
        std::string check = "gs_owner = (SELECT gs_account())";
        if (st.name() == "users") check += " AND uid = gs_owner";
        // Server ids are per account (the keys include gs_owner) and random: an identity shared by
        // all accounts would show each one how many rows the others insert.
        const auto& key = st.table->key();
        if (key.type == Type::pk) {
            out += "ALTER TABLE " + t + " ALTER COLUMN " + q(key.name) + " DROP IDENTITY IF EXISTS;\n";
            out += "ALTER TABLE " + t + " ALTER COLUMN " + q(key.name) + " SET DEFAULT " + random_id + ";\n";
        }
        out += "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY;\n";
        out += "ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY;\n";
        out += "DROP POLICY IF EXISTS gs_owner_only ON " + t + ";\n";
        out += "CREATE POLICY gs_owner_only ON " + t + " TO " + device_group + " USING (gs_owner = (SELECT gs_account())) WITH CHECK (" + check + ");\n";
        out += "GRANT SELECT, INSERT, UPDATE, DELETE ON " + t + " TO " + device_group + ";\n";
    }
    for (const char* t : {"gs_changes", "gs_devices", "gs_owners"}) {
        out += std::string("ALTER TABLE ") + t + " ENABLE ROW LEVEL SECURITY;\n";
        out += std::string("DROP POLICY IF EXISTS gs_owner_only ON ") + t + ";\n";
        out += std::string("CREATE POLICY gs_owner_only ON ") + t + " TO " + device_group +
               " USING (owner = (SELECT gs_account())) WITH CHECK (owner = (SELECT gs_account()));\n";
        out += std::string("GRANT SELECT, INSERT, UPDATE") + (std::string(t) == "gs_changes" ? ", DELETE" : "") + " ON " + t + " TO " + device_group + ";\n";
    }
    out += std::string("GRANT SELECT ON gs_catalog_changes, gs_catalog_seq TO ") + device_group + ";\n";
    // Harmless to anyone who can connect: lets a role that is not an account be told so clearly.
    out += "GRANT SELECT ON gs_tables, gs_server_meta, gs_my_account TO PUBLIC;\n";
    // Only gs_account() is for accounts (policies and the gs_owner default call it as the account);
    // the trigger functions fire without EXECUTE, and without it no account can attach them to a
    // table of its own.
    out += "DO $$ DECLARE f record; BEGIN FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace "
           "AND p.proname LIKE 'gs\\_%' LOOP EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig); END LOOP; END $$;\n";
    out += std::string("GRANT EXECUTE ON FUNCTION gs_account() TO ") + device_group + ";\n";
    out += "REVOKE ALL ON gs_accounts FROM PUBLIC;\n";
    (void)schema;
    return out;
}

// A temporary SQLite file holding the built-in catalog, removed at scope exit.
class CatalogFile {
public:
    CatalogFile() {
        path_ = (std::filesystem::temp_directory_path() / ("gainsly-catalog-" + model::new_uuid_v7() + ".db")).string();
        db_ = std::make_unique<store::Database>(path_);
        catalog::install(*db_);
    }
    ~CatalogFile() {
        db_.reset();
        std::error_code ec;
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix, ec);
    }
    store::Database& db() { return *db_; }

private:
    std::string path_;
    std::unique_ptr<store::Database> db_;
};

// Stage rows of the built-in catalog (every column, references as uids) for an upsert by uid.
std::string catalog_stage(store::Database& db, const SyncTable& st, int k, size_t& rows) {
    std::string sql = "SELECT t.uid";
    for (const auto& sc : st.columns) {
        if (sc.parent) sql += ", (SELECT p.uid FROM " + q(sc.parent->name) + " p WHERE p." + q(sc.column->ref_column) + " = t." + q(sc.column->name) + ")";
        else sql += ", t." + q(sc.column->name);
    }
    sql += " FROM " + q(st.name()) + " t";
    sqlite::Statement s(db.sql(), sql);
    std::string out;
    while (s.executeStep()) {
        ++rows;
        out += std::to_string(k) + "\t" + s.getColumn(0).getString() + "\ti\t0\t0\t";
        std::vector<Value> v(st.table->columns.size());
        int col = 1;
        for (const auto& sc : st.columns) {
            auto c = s.getColumn(col++);
            if (c.isNull()) continue;
            if (sc.parent) v[size_t(sc.pos)] = c.getString();
            else if (sc.column->type == Type::boolean) v[size_t(sc.pos)] = c.getInt64() ? "t" : "f";
            else if (sc.column->is_integer_valued()) v[size_t(sc.pos)] = std::to_string(c.getInt64());
            else if (sc.column->type == Type::real) v[size_t(sc.pos)] = shortest(c.getDouble());
            else v[size_t(sc.pos)] = c.getString();
        }
        std::string arr = "{";
        for (size_t i = 0; i < v.size(); ++i) {
            if (i) arr += ',';
            array_element(arr, v[i]);
        }
        arr += '}';
        pg::copy_field(out, arr);
        out += '\n';
    }
    return out;
}

}  // namespace

// ---- setup ------------------------------------------------------------------------------------

json server_setup(const std::string& conninfo, int timeout_ms) {
    pg::Connection c(conninfo, timeout_ms);
    const auto& schema = model::Schema::builtin();
    json report;
    c.exec("BEGIN");
    c.exec("SELECT pg_advisory_xact_lock(4747001)");  // one setup at a time per database
    std::string ns(c.exec("SELECT current_schema()").text(0, 0));
    int before = 0;
    if (!c.exec("SELECT to_regclass('gs_server_meta')").null(0, 0)) before = int(to_i64(meta_value(c, "schema_version")));
    if (before > schema.version())
        throw Error(Status::version, "server schema version " + std::to_string(before) + " is newer than this library's " +
                                         std::to_string(schema.version()) + "; the server was left unchanged");
    c.exec("DO $$ BEGIN CREATE ROLE " + std::string(device_group) + " NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
    c.exec(bookkeeping_sql(ns));
    c.exec(mirror_sql(schema));
    c.exec(tables_sql(schema));
    // Accounts use the schema and create nothing in it; no sequence is theirs (older servers granted them).
    c.exec("GRANT USAGE ON SCHEMA " + q(ns) + " TO " + device_group);
    c.exec("REVOKE CREATE ON SCHEMA " + q(ns) + " FROM PUBLIC, " + device_group);
    c.exec("REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + q(ns) + " FROM PUBLIC, " + device_group);
    c.exec("INSERT INTO gs_server_meta (key, value) VALUES ('gc_horizon_seconds', " + literal(std::to_string(default_gc_horizon)) +
           "), ('clock_skew_ms', " + literal(std::to_string(default_clock_skew_ms)) + ") ON CONFLICT DO NOTHING");

    // The built-in catalog, upserted by uid (server-authoritative; devices pull it).
    int catalog_before = int(to_i64(meta_value(c, "catalog_version")));
    size_t catalog_rows = 0;
    if (catalog_before < catalog::builtin_version()) {
        CatalogFile file;
        std::map<std::string, int> numbers;
        auto r = c.exec("SELECT name, tbl FROM gs_tables");
        for (int i = 0; i < r.rows(); ++i) numbers[std::string(r.text(i, 0))] = int(to_i64(r.text(i, 1)));
        c.exec(stage_ddl);
        for (const auto& st : layout()) {
            if (!st.catalog) continue;
            int k = numbers.at(st.name());
            std::string data = catalog_stage(file.db(), st, k, catalog_rows);
            if (data.empty()) continue;
            c.copy_in("COPY gs_stage (tbl, uid, op, hlc, mask, v) FROM STDIN", data);
            std::string names = "uid", values = "s.uid", sets, differs_old, differs_new;
            for (const auto& sc : st.columns) {
                const std::string col = q(sc.column->name);
                names += ", " + col;
                values += ", " + conv(sc, "s.v[" + std::to_string(sc.pos + 1) + "]");
                sets += std::string(sets.empty() ? "" : ", ") + col + " = excluded." + col;
                differs_old += std::string(differs_old.empty() ? "" : ", ") + q(st.name()) + "." + col;
                differs_new += std::string(differs_new.empty() ? "" : ", ") + "excluded." + col;
            }
            c.exec("INSERT INTO " + q(st.name()) + " (" + names + ") SELECT " + values + " FROM gs_stage s WHERE s.tbl = " + std::to_string(k) +
                   " ON CONFLICT (uid) DO UPDATE SET " + sets + " WHERE (" + differs_old + ") IS DISTINCT FROM (" + differs_new + ")");
        }
        c.exec("DELETE FROM gs_stage");
        std::string seq(c.exec("SELECT seq FROM gs_catalog_seq").text(0, 0));
        c.exec("INSERT INTO gs_server_meta (key, value) VALUES ('catalog_version', $1), ('catalog_seq', $2) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               {std::to_string(catalog::builtin_version()), seq});
    }
    c.exec("INSERT INTO gs_server_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
           {std::to_string(schema.version())});
    c.exec("COMMIT");
    report["schema_version"] = schema.version();
    report["previous_schema_version"] = before;
    report["created"] = before == 0;
    report["migrated"] = before != 0 && before < schema.version();
    report["catalog_version"] = catalog::builtin_version();
    report["catalog_rows"] = catalog_rows;
    report["device_role"] = device_group;
    report["schema"] = ns;
    int user_tables = 0, catalog_tables = 0;
    for (const auto& st : layout()) (st.catalog ? catalog_tables : user_tables)++;
    report["user_tables"] = user_tables;
    report["catalog_tables"] = catalog_tables;
    return report;
}

json server_add_account(const std::string& admin_conninfo, const std::string& user_uid, const std::string& role,
                        const std::string& password, int timeout_ms) {
    std::string uid = user_uid;
    for (auto& ch : uid) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (!model::is_canonical_uuid(uid)) invalid("user_uid: '" + user_uid + "' is not a UUID");
    if (role.empty() || role.size() > 63) invalid("role: must be 1 to 63 characters");
    for (char ch : role)
        if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
            invalid("role: '" + role + "' may hold only lower-case letters, digits and _");
    if (std::isdigit(static_cast<unsigned char>(role[0]))) invalid("role: must not start with a digit");
    if (role.rfind("pg_", 0) == 0 || role == device_group) invalid("role: '" + role + "' is reserved");
    if (password.size() < 8) invalid("password: must be at least 8 characters");
    pg::Connection c(admin_conninfo, timeout_ms);
    char* verifier = PQencryptPasswordConn(c.raw(), password.c_str(), role.c_str(), "scram-sha-256");
    if (!verifier) throw Error(Status::internal, "cannot compute the password verifier");
    std::string v = verifier;
    PQfreemem(verifier);
    c.exec("BEGIN");
    if (c.exec("SELECT to_regclass('gs_accounts')").null(0, 0)) invalid("server: not set up (run gs_server_setup first)");
    auto other = c.exec("SELECT role FROM gs_accounts WHERE user_uid = $1 AND role <> $2", {uid, role});
    if (other.rows()) throw Error(Status::constraint, "user_uid: account " + uid + " already has the role " + std::string(other.text(0, 0)));
    auto taken = c.exec("SELECT user_uid FROM gs_accounts WHERE role = $1 AND user_uid <> $2", {role, uid});
    if (taken.rows()) throw Error(Status::constraint, "role: " + role + " already belongs to another account");
    // Only a role this server made for the same account is re-keyed: any other existing role (an
    // admin, another app's) is refused. Every check comes before the statement that carries the
    // verifier, which the server would log if that statement failed; a superuser admin also turns
    // statement logging off for it.
    auto existing = c.exec("SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls, "
                           "EXISTS (SELECT 1 FROM gs_accounts a WHERE a.role = r.rolname AND a.user_uid = $2) FROM pg_roles r WHERE r.rolname = $1",
                           {role, uid});
    const bool exists = existing.rows() > 0;
    if (exists && (existing.text(0, 1) != "t" || existing.text(0, 0) == "t"))
        throw Error(Status::auth, "role: " + role + " already exists and is not this server's account role for " + uid + "; nothing was changed");
    c.exec("DO $$ BEGIN SET LOCAL log_statement = none; SET LOCAL log_min_error_statement = panic; "
           "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$");
    c.exec((exists ? "ALTER ROLE " : "CREATE ROLE ") + q(role) + " LOGIN PASSWORD " + literal(v));
    c.exec("GRANT " + std::string(device_group) + " TO " + q(role));
    c.exec("INSERT INTO gs_accounts (role, user_uid) VALUES ($1, $2) ON CONFLICT (role) DO NOTHING", {role, uid});
    c.exec("COMMIT");
    return json{{"role", role}, {"user_uid", uid}, {"created", !exists}};
}

}  // namespace gainsly::sync
