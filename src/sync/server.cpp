#include "sync/server.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_map>
#include <set>

#include "catalog/catalog.hpp"
#include "model/error.hpp"
#include "model/uuid.hpp"
#include "store/database.hpp"
#include "sync/device.hpp"

namespace gainsly::sync {
namespace {

using model::Type;
using pg::ident;
using pg::literal;

constexpr const char* device_group = "gainsly_device";
constexpr int64_t default_gc_horizon = 30 * 24 * 3600;  // seconds a tombstone is kept for devices that never come back
constexpr int64_t default_clock_skew_ms = 5 * 60 * 1000;  // how far past the server's time a pushed clock may be

std::string q(std::string_view id) { return ident(id); }

// An error that refuses one row of a push (its values or a constraint) rather than the whole
// batch: the connection is fine and the other rows can still land.
bool refused_row(const Error& e) { return e.status() == Status::constraint || e.status() == Status::invalid || e.status() == Status::sync; }

int64_t to_i64(std::string_view s) {
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

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

// ---- values -----------------------------------------------------------------------------------

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

// ---- statements of one table, generated per client schema version ---------------------------

struct TableSql {
    std::string drop_tombstoned, stale_inserts, unknown_updates, missing_refs, update, insert, insert_plain, losers, deletes;
};

// Parent references of staged rows `s` resolved by joins: the distinct parent uids are looked up
// once each. (A sub-select per row and column cost a third of a push.) The parent side is
// matched on uuid values, so the qual on a table under row-level security stays leakproof and
// reaches its (owner, uid) index.
struct RefJoins {
    std::string ctes, joins;
    std::map<int, std::string> value;  // column pos -> the resolved local value
};

RefJoins ref_joins(const std::vector<const SyncColumn*>& cols) {
    RefJoins r;
    for (const auto* sc : cols) {
        if (!sc->parent) continue;
        const std::string n = std::to_string(sc->pos + 1), alias = "r" + n, src = "(s.v[" + n + "])::uuid";
        std::string owner = sc->parent->kind == model::TableKind::user ? "p.gs_owner = $1 AND " : "";
        r.ctes += ", " + alias + " AS (SELECT p.uid AS u, p." + q(sc->column->ref_column) + " AS x FROM " + q(sc->parent->name) + " p WHERE " + owner +
                  "p.uid IN (SELECT " + src + " FROM s))";
        r.joins += " LEFT JOIN " + alias + " ON " + alias + ".u = " + src;
        r.value[sc->pos] = alias + ".x";
    }
    return r;
}

std::string bit(const SyncColumn& sc) { return std::to_string(uint64_t(1) << sc.pos); }

TableSql table_sql(const SyncTable& st, int k, int schema) {
    TableSql s;
    const std::string t = q(st.name()), K = std::to_string(k), key = q(st.table->key().name);
    const std::string only = " AND ($3::uuid IS NULL OR s.uid = $3::uuid)";
    std::vector<const SyncColumn*> cols;
    for (const auto& sc : st.columns)
        if (visible(sc, schema)) cols.push_back(&sc);
    auto v = [](const SyncColumn& sc) { return "s.v[" + std::to_string(sc.pos + 1) + "]"; };

    s.drop_tombstoned = "WITH x AS (DELETE FROM gs_stage s USING gs_changes g WHERE s.tbl = " + K + " AND s.op <> 'd' AND g.owner = $1 AND g.tbl = " + K +
                        " AND g.uid = s.uid AND g.op = 'd' RETURNING s.uid) SELECT count(*) FROM x";
    // From a restored file: inserts of rows the server knows neither as rows nor as tombstones,
    // created (UUIDv7 time, $2 in ms) before the device's last push: pushed then, deleted since and
    // their tombstones collected. They get a tombstone again, so the device drops them.
    s.stale_inserts = "WITH l AS (DELETE FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'i' AND substr(s.uid::text, 15, 1) = '7' AND ('x' || "
                      "translate(substr(s.uid::text, 1, 13), '-', ''))::bit(48)::bigint <= $2::bigint AND NOT EXISTS (SELECT 1 FROM " + t +
                      " t WHERE t.gs_owner = $1 AND t.uid = s.uid) RETURNING s.uid) INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K +
                      ", uid, $3, 'd' FROM l ON CONFLICT (owner, tbl, uid) DO UPDATE SET op = 'd', seq = excluded.seq RETURNING uid::text";
    s.unknown_updates = "SELECT s.uid::text FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'u' AND NOT EXISTS (SELECT 1 FROM " + t +
                        " t WHERE t.gs_owner = $1 AND t.uid = s.uid)";
    const RefJoins refs = ref_joins(cols);
    for (const auto* sc : cols) {
        if (!sc->parent) continue;
        const std::string r = "r" + std::to_string(sc->pos + 1);
        s.missing_refs += std::string(s.missing_refs.empty() ? "" : " UNION ALL ") + "SELECT s.uid::text, " + literal(sc->column->name) + ", " + v(*sc) +
                          " FROM s LEFT JOIN " + r + " ON " + r + ".u = (" + v(*sc) + ")::uuid WHERE (s.mask & " + bit(*sc) + ") <> 0 AND " + v(*sc) +
                          " IS NOT NULL AND " + r + ".u IS NULL";
    }

    // Per-column last-writer-wins: a carried column is taken when its clock is newer than the
    // column's clock on the server (gs_clock entry, else the row's base clock gs_hlc).
    std::string wins, any, lost, sets, clocks;
    for (const auto* sc : cols) {
        const std::string w = "w" + std::to_string(sc->pos), c = q(sc->column->name);
        wins += ", ((s.mask & " + bit(*sc) + ") <> 0 AND s.hlc > coalesce((t.gs_clock->>" + literal(sc->column->name) + ")::bigint, t.gs_hlc)) AS " + w;
        any += std::string(any.empty() ? "" : " OR ") + "x." + w;
        lost += std::string(lost.empty() ? "" : " OR ") + "((x.mask & " + bit(*sc) + ") <> 0 AND NOT x." + w + ")";
        sets += c + " = CASE WHEN x." + w + " THEN " + conv(*sc, "x.v[" + std::to_string(sc->pos + 1) + "]") + " ELSE t." + c + " END, ";
        clocks += std::string(clocks.empty() ? "" : ", ") + literal(sc->column->name) + ", CASE WHEN x." + w + " THEN x.hlc END";
    }
    if (cols.empty()) {
        any = "false";
        lost = "false";
    }
    s.update = "WITH x AS (SELECT s.uid, s.hlc, s.mask, s.v" + wins + " FROM gs_stage s JOIN " + t +
               " t ON t.gs_owner = $1 AND t.uid = s.uid WHERE s.tbl = " + K + " AND s.op <> 'd'" + only + "), u AS (UPDATE " + t + " t SET " + sets +
               "gs_clock = coalesce(t.gs_clock, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object(" + clocks + ")) FROM x WHERE t.gs_owner = $1 AND t.uid = x.uid AND (" +
               any + ") RETURNING 1) SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM x WHERE " + lost + "), $2::bigint";
    if (clocks.empty()) s.update = "SELECT 0, 0, $1::uuid, $2::bigint, $3::uuid";

    std::string names = "gs_owner, uid, gs_hlc", values = "$1, s.uid, s.hlc";
    for (const auto* sc : cols) {
        names += ", " + q(sc->column->name);
        values += ", " + (sc->parent ? refs.value.at(sc->pos) : conv(*sc, v(*sc)));
    }
    // Inserts, then (only when fewer rows went in than were staged) the losers: new rows another
    // row's unique key kept out get a tombstone, so the device that pushed them drops them.
    // insert_plain is tried first: ON CONFLICT's speculative insertion costs about 12% more, and a
    // conflict (a uid the server has, or a unique key another device took) is rare.
    auto insert = [&](const char* conflict) {
        return "WITH s AS MATERIALIZED (SELECT s.uid, s.hlc, s.v FROM gs_stage s WHERE s.tbl = " + K + " AND s.op = 'i'" + only + ")" + refs.ctes +
               ", i AS (INSERT INTO " + t + " (" + names + ") SELECT " + values + " FROM s" + refs.joins + conflict +
               " RETURNING 1) SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM s), $2::bigint";
    };
    s.insert = insert(" ON CONFLICT DO NOTHING");  // a row the server has already (its uid) is left as it is
    s.insert_plain = insert("");
    s.losers = "WITH l AS (INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K + ", s.uid, $2, 'd' FROM gs_stage s WHERE s.tbl = " + K +
               " AND s.op = 'i'" + only + " AND NOT EXISTS (SELECT 1 FROM " + t +
               " t WHERE t.gs_owner = $1 AND t.uid = s.uid) ON CONFLICT (owner, tbl, uid) DO UPDATE SET op = 'd', seq = excluded.seq RETURNING uid::text) "
               "SELECT string_agg(uid, ',') FROM l";
    s.deletes = "WITH d AS (DELETE FROM " + t + " t USING gs_stage s WHERE s.tbl = " + K + " AND s.op = 'd' AND t.gs_owner = $1 AND t.uid = s.uid RETURNING t.uid), "
                "n AS (INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + K + ", s.uid, $2, 'd' FROM gs_stage s WHERE s.tbl = " + K +
                " AND s.op = 'd' AND s.uid NOT IN (SELECT uid FROM d) ON CONFLICT (owner, tbl, uid) DO NOTHING RETURNING 1) "
                "SELECT (SELECT count(*) FROM d)";
    if (!s.missing_refs.empty())
        s.missing_refs = "WITH s AS MATERIALIZED (SELECT s.uid, s.mask, s.v FROM gs_stage s WHERE s.tbl = " + K + " AND s.op <> 'd')" + refs.ctes +
                         " SELECT * FROM (" + s.missing_refs + ") m WHERE $1::uuid IS NOT NULL";
    (void)key;
    return s;
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
    SQLite::Statement s(db.sql(), sql);
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

const char* stage_ddl =
    "CREATE TEMP TABLE IF NOT EXISTS gs_stage (tbl smallint NOT NULL, uid uuid NOT NULL, op \"char\" NOT NULL, hlc bigint NOT NULL, "
    "mask bigint NOT NULL, v text[]) ON COMMIT DELETE ROWS";

std::string meta_value(pg::Connection& c, const char* key) {
    auto r = c.exec("SELECT value FROM gs_server_meta WHERE key = $1", {std::string(key)});
    return r.rows() ? std::string(r.text(0, 0)) : std::string();
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

// ---- Server -----------------------------------------------------------------------------------

Server::Server(const std::string& conninfo, int timeout_ms, const std::string& role) : conn_(conninfo, timeout_ms), role_(role) {
    if (!role_.empty())
        for (char ch : role_)
            if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
                invalid("role: '" + role_ + "' may hold only lower-case letters, digits and _");
    // The schema that holds the server's tables (a temporary table of the same name does not count),
    // then a search_path in which no temporary object of this session can stand in for them.
    auto ns = conn_.exec("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'gs_server_meta' "
                         "AND c.relkind = 'r' AND n.nspname = ANY (current_schemas(false)) AND n.oid <> pg_my_temp_schema() "
                         "ORDER BY array_position(current_schemas(false), n.nspname) LIMIT 1");
    if (!ns.rows()) throw Error(Status::sync, "server: no Gainsly schema in this database (run gs_server_setup first)");
    conn_.exec("SELECT set_config('search_path', 'pg_catalog, ' || quote_ident($1) || ', pg_temp', false)", {std::string(ns.text(0, 0))});
    auto r = conn_.exec("SELECT key, value FROM gs_server_meta");
    for (int i = 0; i < r.rows(); ++i) {
        auto k = r.text(i, 0);
        if (k == "schema_version") server_version_ = int(to_i64(r.text(i, 1)));
        else if (k == "catalog_version") catalog_version_ = int(to_i64(r.text(i, 1)));
        else if (k == "catalog_seq") catalog_seq_at_install_ = to_i64(r.text(i, 1));
        else if (k == "gc_horizon_seconds") gc_horizon_seconds_ = to_i64(r.text(i, 1));
        else if (k == "clock_skew_ms") clock_skew_ms_ = std::max<int64_t>(to_i64(r.text(i, 1)), 0);
    }
    const int lib = model::Schema::builtin().version();
    if (server_version_ < lib)
        throw Error(Status::version, "server schema version " + std::to_string(server_version_) + " is older than this library's " +
                                         std::to_string(lib) + " (run gs_server_setup with this library); nothing was changed");
    if (server_version_ > lib + 1)
        throw Error(Status::version, "server schema version " + std::to_string(server_version_) + " is more than one version ahead of this library's " +
                                         std::to_string(lib) + "; update the app; nothing was changed");
    server_tbl_.assign(layout().size(), -1);
    auto t = conn_.exec("SELECT name, tbl FROM gs_tables");
    for (int i = 0; i < t.rows(); ++i)
        if (const SyncTable* st = find_layout(t.text(i, 0))) {
            int k = int(to_i64(t.text(i, 1)));
            server_tbl_[size_t(st->number)] = k;
            by_tbl_[k] = st;
        }
}

void Server::check_client_version(int schema) const {
    const int lib = model::Schema::builtin().version();
    if (schema > lib)
        throw Error(Status::version, "schema: the device's schema version " + std::to_string(schema) + " is newer than the server's " +
                                         std::to_string(lib) + " (upgrade the server with gs_server_setup); nothing was changed");
    if (schema < lib - 1)
        throw Error(Status::version, "schema: the device's schema version " + std::to_string(schema) +
                                         " is more than one version behind the server's " + std::to_string(lib) + " (update the app); nothing was changed");
}

void Server::begin(const char* mode) {
    conn_.exec(std::string("BEGIN") + mode);
    if (!role_.empty()) conn_.exec("SET LOCAL ROLE " + q(role_));
}

std::string Server::owner_for(const std::string& claimed) {
    auto r = conn_.exec("SELECT (SELECT user_uid::text FROM gs_my_account), (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), current_user");
    std::string role(r.text(0, 2));
    if (r.null(0, 0)) {
        if (r.text(0, 1) == "t") return claimed;  // an administrator acting for the account the batch names
        throw Error(Status::auth, "role " + role + " is not a Gainsly account (gs_server_add_account)");
    }
    std::string account(r.text(0, 0));
    if (account != claimed)
        throw Error(Status::auth, "user: the request claims account " + claimed + " but role " + role + " belongs to account " + account);
    return account;
}

template <class F>
auto Server::rolled_back_on_error(F&& f) {
    try {
        return f();
    } catch (...) {
        PGconn* c = conn_.raw();
        if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE) {
            PQclear(PQexec(c, "ROLLBACK"));
            stage_ready_ = false;  // the stage table may have been created by the transaction rolled back
        }
        throw;
    }
}

Ack Server::push(const Batch& b) {
    return rolled_back_on_error([&] { return push_tx(b); });
}

Page Server::pull(const PullRequest& r) {
    return rolled_back_on_error([&] { return pull_tx(r); });
}

Ack Server::push_tx(const Batch& b) {
    check_client_version(b.schema);
    Ack ack;
    ack.mutation = b.mutation;
    ack.batch_id = b.batch_id;
    if (b.changes.empty()) invalid("changes: the batch is empty");
    size_t bytes = 0;
    for (const auto& ch : b.changes) bytes += json_size(ch);
    if (bytes > batch_max_bytes)
        invalid("changes: " + std::to_string(bytes) + " bytes, over the " + std::to_string(batch_max_bytes) + " bytes a batch may carry (split it)");
    conn_.step("push.begin");
    begin("");
    const std::string owner = owner_for(b.user);
    for (const auto& ch : b.changes)
        if (ch.table->name() == "users" && ch.uid != owner)
            throw Error(Status::auth, "changes: users row " + ch.uid + " is not the account's own (" + owner + ")");

    // Exactly once: the device's last mutation id is checked and moved in this same transaction.
    conn_.step("push.device");
    conn_.exec("INSERT INTO gs_devices (owner, device, schema) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
               {owner, b.device, std::to_string(b.schema)});
    auto dev = conn_.exec("SELECT mutation, batch, (extract(epoch FROM restored_before) * 1000)::bigint FROM gs_devices WHERE owner = $1 AND device = $2 FOR UPDATE",
                          {owner, b.device});
    int64_t last = dev.integer(0, 0);
    std::string last_batch = dev.null(0, 1) ? "" : std::string(dev.text(0, 1));
    const int64_t restored_ms = dev.null(0, 2) ? 0 : dev.integer(0, 2);
    if (b.mutation == last && b.batch_id == last_batch) {
        conn_.exec("ROLLBACK");
        ack.duplicate = true;
        return ack;
    }
    if (b.mutation <= last) {
        // A file restored from a backup: its outbox may hold inserts this device pushed after the
        // backup was made. Until it pulls again, such an insert of a row the server no longer
        // knows (created before its last push, tombstone collected) is not brought back.
        conn_.exec("UPDATE gs_devices SET restored_before = coalesce(restored_before, pushed_at, now()) WHERE owner = $1 AND device = $2",
                   {owner, b.device});
        conn_.exec("COMMIT");
        ack.refused = "mutation_behind";
        ack.server_mutation = last;
        return ack;
    }
    // The batch's sequence; the change-log triggers find it by this transaction's id.
    auto seqr = conn_.exec("INSERT INTO gs_owners AS o (owner, seq, xact) VALUES ($1, 1, pg_current_xact_id()) ON CONFLICT (owner) DO UPDATE "
                           "SET seq = o.seq + 1, xact = excluded.xact RETURNING seq, gc_seq, (extract(epoch FROM clock_timestamp()) * 1000)::bigint",
                           {owner});
    const std::string seq(seqr.text(0, 0));
    const int64_t gc_seq = seqr.integer(0, 1);
    // No clock past the server's time plus the stated skew is taken: a device whose clock says
    // 2100 would otherwise win every conflict, and every device would adopt its clock.
    const int64_t clock_limit = seqr.integer(0, 2) + clock_skew_ms_;
    ack.seq = to_i64(seq);

    // Stage every change with one COPY.
    if (!stage_ready_) {
        conn_.exec(stage_ddl);
        stage_ready_ = true;
    }
    std::string data;
    data.reserve(b.changes.size() * 160);
    std::set<int> tables_with_deletes, tables_with_rows;
    std::map<int, std::vector<std::string>> clamped;  // layout number -> uids of rows whose clock was bounded
    for (const auto& ch : b.changes) {
        int k = server_tbl_[size_t(ch.table->number)];
        if (k < 0) throw Error(Status::sync, "changes: table " + ch.table->name() + " does not exist on the server");
        (ch.op == 'd' ? tables_with_deletes : tables_with_rows).insert(ch.table->number);
        data += std::to_string(k);
        data += '\t';
        data += ch.uid;
        data += '\t';
        data += ch.op;
        data += '\t';
        const int64_t h = hlc::bound(ch.hlc, clock_limit);
        if (h != ch.hlc && ch.op != 'd') clamped[ch.table->number].push_back(ch.uid);
        data += std::to_string(h);
        data += '\t';
        data += std::to_string(int64_t(ch.mask));
        data += '\t';
        if (ch.op == 'd') {
            data += "\\N\n";
            continue;
        }
        std::string arr = "{";
        size_t n = 0;
        for (const auto& sc : ch.table->columns)
            if (ch.mask >> sc.pos & 1) n = std::max(n, size_t(sc.pos) + 1);
        for (size_t i = 0; i < n; ++i) {
            if (i) arr += ',';
            const SyncColumn* sc = (ch.mask >> i & 1) ? ch.table->at_pos(int(i)) : nullptr;
            array_element(arr, sc ? ch.values[i] : Value());
        }
        arr += '}';
        pg::copy_field(data, arr);
        data += '\n';
    }
    conn_.step("push.copy");
    conn_.copy_in("COPY gs_stage (tbl, uid, op, hlc, mask, v) FROM STDIN", data);
    // A temporary table has no statistics: the planner would take a large batch for one row and
    // join it to the account's rows by nested loops (quadratic once the tables grow faster than
    // their statistics, as in a first sync). Counted rows let it hash instead.
    if (b.changes.size() >= 200) conn_.exec("ANALYZE gs_stage (tbl, uid, op)");  // not v: its statistics cost most and serve nothing

    const pg::Param owner_p = owner, seq_p = seq;
    const auto& tables = layout();
    // Deletes first, children before parents; a delete of a row the server does not have still
    // leaves a tombstone, so a late insert of that uid cannot bring it back.
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
        if (!tables_with_deletes.count(it->number)) continue;
        conn_.step("push.delete");
        auto sql = table_sql(*it, server_tbl_[size_t(it->number)], b.schema);
        auto r = conn_.exec(sql.deletes, {owner_p, seq_p});
        ack.applied += r.integer(0, 0);
    }
    std::vector<std::pair<const SyncTable*, std::string>> touch;  // rows whose change lost: devices re-pull them
    std::set<std::pair<int, std::string>> held;                    // (layout number, uid) quarantined by this push
    auto quarantine = [&](const SyncTable& st, const std::string& uid, const std::string& reason, const SyncTable* parent, const std::string& parent_uid) {
        Rejected r{st.name(), uid, reason};
        r.quarantine = true;
        if (parent) r.waits_table = parent->name(), r.waits_uid = parent_uid;
        ack.rejected.push_back(std::move(r));
        ++ack.conflicts;
        held.emplace(st.number, uid);
        conn_.exec("DELETE FROM gs_stage WHERE tbl = " + std::to_string(server_tbl_[size_t(st.number)]) + " AND uid = $1", {uid});
    };
    for (const auto& st : tables) {
        if (!tables_with_rows.count(st.number)) continue;
        conn_.step("push.table");
        const int k = server_tbl_[size_t(st.number)];
        auto sql = table_sql(st, k, b.schema);
        // Changes to rows deleted on the server lose: deletes win.
        ack.conflicts += conn_.exec(sql.drop_tombstoned, {owner_p}).integer(0, 0);
        if (restored_ms > 0 && gc_seq > 0) {
            auto stale = conn_.exec(sql.stale_inserts, {owner_p, std::to_string(restored_ms), seq_p});
            for (int i = 0; i < stale.rows(); ++i)
                ack.rejected.push_back({st.name(), std::string(stale.text(i, 0)), "deleted after this file's backup was made; not brought back"});
            ack.conflicts += stale.rows();
        }
        auto unknown = conn_.exec(sql.unknown_updates, {owner_p});
        if (unknown.rows()) {
            for (int i = 0; i < unknown.rows(); ++i) {
                std::string uid(unknown.text(i, 0));
                if (b.base < gc_seq) {  // deleted and forgotten past the GC horizon: stays deleted
                    ack.rejected.push_back({st.name(), uid, "the row no longer exists (deleted)"});
                    ++ack.conflicts;
                } else {  // a row the server never accepted: held on the device, not a reason to refuse the batch
                    quarantine(st, uid, "update of " + st.name() + " row " + uid + ", which does not exist on the server", nullptr, "");
                }
            }
            conn_.exec("DELETE FROM gs_stage s WHERE s.tbl = " + std::to_string(k) + " AND s.op = 'u' AND NOT EXISTS (SELECT 1 FROM " + q(st.name()) +
                           " t WHERE t.gs_owner = $1 AND t.uid = s.uid)",
                       {owner_p});
        }
        if (!sql.missing_refs.empty()) {
            auto miss = conn_.exec(sql.missing_refs, {owner_p});
            for (int i = 0; i < miss.rows(); ++i) {
                std::string child(miss.text(i, 0)), column(miss.text(i, 1)), parent_uid(miss.text(i, 2));
                const SyncColumn* sc = st.find(column);
                const SyncTable& parent = layout_of(*sc->parent);
                bool tombstoned = false;
                if (!parent.catalog)
                    tombstoned = conn_.exec("SELECT 1 FROM gs_changes WHERE owner = $1 AND tbl = $2 AND uid = $3 AND op = 'd'",
                                            {owner_p, std::to_string(server_tbl_[size_t(parent.number)]), parent_uid})
                                     .rows() > 0;
                if (held.count({st.number, child})) continue;  // already quarantined for another column
                if (!tombstoned) {
                    // The parent was refused in this batch: the child waits for it on the device.
                    if (held.count({parent.number, parent_uid})) {
                        quarantine(st, child, "waits for " + parent.name() + " " + parent_uid + ", which the server refused", &parent, parent_uid);
                        continue;
                    }
                    // No tombstone and the device is not behind the GC horizon: a parent the server
                    // never had (refused earlier, or a bad reference). The child is held on the device.
                    if (parent.catalog || b.base >= gc_seq) {
                        quarantine(st, child, st.name() + "." + column + " refers to " + parent.name() + " uid " + parent_uid + ", which does not exist on the server",
                                   nullptr, "");
                        continue;
                    }
                    // Behind the horizon: the parent was deleted and its tombstone collected; the
                    // schema's ON DELETE rule applies as if the tombstone were still there.
                }
                if (sc->column->on_delete == model::OnDelete::set_null) {
                    conn_.exec("UPDATE gs_stage SET v[" + std::to_string(sc->pos + 1) + "] = NULL WHERE tbl = " + std::to_string(k) + " AND uid = $1",
                               {child});
                } else {  // the parent was deleted: the child goes with it (ON DELETE CASCADE)
                    conn_.exec("DELETE FROM gs_stage WHERE tbl = " + std::to_string(k) + " AND uid = $1", {child});
                    conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) VALUES ($1, $2, $3, $4, 'd') ON CONFLICT (owner, tbl, uid) DO UPDATE "
                               "SET op = 'd', seq = excluded.seq",
                               {owner_p, std::to_string(k), child, seq_p});
                    ack.rejected.push_back({st.name(), child, parent.name() + " " + parent_uid + (tombstoned ? " was deleted" : " was deleted (past the GC horizon)")});
                    ++ack.conflicts;
                }
            }
        }
        // Set-based merge; if a constraint refuses the merged rows, fall back to one row at a time
        // and let the rows that cannot be merged lose (devices then re-pull the server's row).
        auto run = [&](const pg::Param& only) {
            auto u = conn_.exec(sql.update, {owner_p, seq_p, only});
            conn_.exec("SAVEPOINT gs_row_insert");
            auto i = [&] {
                try {
                    auto plain = conn_.exec(sql.insert_plain, {owner_p, seq_p, only});
                    conn_.exec("RELEASE SAVEPOINT gs_row_insert");
                    return plain;
                } catch (const Error& e) {
                    if (e.status() != Status::constraint) throw;
                    conn_.exec("ROLLBACK TO SAVEPOINT gs_row_insert");
                    conn_.exec("RELEASE SAVEPOINT gs_row_insert");
                    return conn_.exec(sql.insert, {owner_p, seq_p, only});
                }
            }();
            ack.applied += u.integer(0, 0) + i.integer(0, 0);
            ack.conflicts += u.integer(0, 1);
            if (i.integer(0, 0) == i.integer(0, 1)) return;  // every staged insert went in
            auto l = conn_.exec(sql.losers, {owner_p, seq_p, only});
            if (!l.null(0, 0)) {
                std::string losers(l.text(0, 0));
                for (size_t at = 0; at < losers.size();) {
                    size_t end = losers.find(',', at);
                    if (end == std::string::npos) end = losers.size();
                    ack.rejected.push_back({st.name(), losers.substr(at, end - at), "another row already holds its unique key"});
                    ++ack.conflicts;
                    at = end + 1;
                }
            }
        };
        conn_.exec("SAVEPOINT gs_table");
        try {
            run(std::nullopt);
            conn_.exec("RELEASE SAVEPOINT gs_table");
        } catch (const Error& e) {
            if (!refused_row(e)) throw;
            conn_.exec("ROLLBACK TO SAVEPOINT gs_table");
            auto uids = conn_.exec("SELECT uid::text, op FROM gs_stage WHERE tbl = " + std::to_string(k) + " AND op <> 'd'");
            for (int r = 0; r < uids.rows(); ++r) {
                std::string uid(uids.text(r, 0));
                conn_.exec("SAVEPOINT gs_row");
                try {
                    run(uid);
                    conn_.exec("RELEASE SAVEPOINT gs_row");
                } catch (const Error& e2) {
                    if (!refused_row(e2)) throw;
                    conn_.exec("ROLLBACK TO SAVEPOINT gs_row");
                    if (e2.status() == Status::constraint) {  // a merge rule (unique key, ...): the server's row wins
                        ack.rejected.push_back({st.name(), uid, e2.what()});
                        ++ack.conflicts;
                        touch.emplace_back(&st, uid);
                    } else {  // a value the server cannot hold: quarantined on the device, the rest lands
                        quarantine(st, uid, e2.what(), nullptr, "");
                    }
                }
            }
        }
    }
    for (const auto& [st, uid] : touch) {
        // Existing row: a new sequence makes every device re-pull the server's version. New row:
        // a tombstone makes the pushing device drop it.
        std::string k = std::to_string(server_tbl_[size_t(st->number)]);
        bool exists = conn_.exec("SELECT 1 FROM " + q(st->name()) + " WHERE gs_owner = $1 AND uid = $2", {owner_p, uid}).rows() > 0;
        conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner, tbl, uid) DO UPDATE "
                   "SET seq = excluded.seq, op = excluded.op",
                   {owner_p, k, uid, seq_p, std::string(exists ? "u" : "d")});
    }
    // Rows whose clock was bounded: the device compared its unbounded clock when it merged pulls,
    // so it may hold a value the server did not take. A new sequence makes it re-pull the row.
    for (const auto& [number, uids] : clamped) {
        const SyncTable& st = layout()[size_t(number)];
        conn_.exec("INSERT INTO gs_changes (owner, tbl, uid, seq, op) SELECT $1, " + std::to_string(server_tbl_[size_t(number)]) + ", t.uid, $2, 'u' FROM " +
                       q(st.name()) + " t WHERE t.gs_owner = $1 AND t.uid = ANY($3::uuid[]) ON CONFLICT (owner, tbl, uid) DO UPDATE SET seq = excluded.seq, op = 'u'",
                   {owner_p, seq_p, uuid_array(uids)});
    }
    // Garbage-collect tombstones every device of the account has pulled, or older than the horizon.
    conn_.step("push.gc");
    conn_.exec("WITH g AS (DELETE FROM gs_changes WHERE owner = $1 AND op = 'd' AND (seq <= (SELECT min(cursor) FROM gs_devices WHERE owner = $1) "
               "OR at < now() - make_interval(secs => $2::double precision)) RETURNING seq) "
               "UPDATE gs_owners SET gc_seq = greatest(gc_seq, (SELECT max(seq) FROM g)) WHERE owner = $1 AND EXISTS (SELECT 1 FROM g)",
               {owner_p, std::to_string(gc_horizon_seconds_)});
    conn_.exec("UPDATE gs_devices SET mutation = $3, batch = $4, pushed_at = now(), schema = $5 WHERE owner = $1 AND device = $2",
               {owner_p, b.device, std::to_string(b.mutation), b.batch_id, std::to_string(b.schema)});
    conn_.step("push.commit");
    conn_.exec("COMMIT");
    conn_.step("push.committed");
    return ack;
}

Page Server::pull_tx(const PullRequest& r) {
    check_client_version(r.schema);
    Page page;
    page.schema = r.schema;
    page.cursor = r.cursor;
    page.after = r.after;
    page.catalog_cursor = r.catalog_cursor;
    conn_.step("pull.begin");
    begin("");
    const std::string owner = owner_for(r.user);
    // What the device confirms it holds whole: tombstones up to there may be collected.
    // (A request read ahead holds less than it asks from; a device that stopped inside a sequence
    // holds the one before it.) A device pulls after pushing its outbox, so a restored file's stale
    // inserts are behind it.
    const int64_t done = r.done();
    auto d = conn_.exec("INSERT INTO gs_devices AS d (owner, device, cursor, catalog_cursor, schema, pulled_at) VALUES ($1, $2, $3, $4, $5, now()) "
                        "ON CONFLICT (owner, device) DO UPDATE SET cursor = excluded.cursor, catalog_cursor = excluded.catalog_cursor, pulled_at = now(), "
                        "restored_before = NULL RETURNING d.resync_gc, (SELECT gc_seq FROM gs_owners WHERE owner = $1)",
                        {owner, r.device, std::to_string(std::min(r.held, done)), std::to_string(r.catalog_cursor), std::to_string(r.schema)});
    const int64_t gc_seq = d.null(0, 1) ? 0 : d.integer(0, 1), resync_gc = d.null(0, 0) ? 0 : d.integer(0, 0);
    // Behind collected tombstones: re-pull everything and sweep — at cursor 0 too (a restored file,
    // or a first pull that failed part way, may hold rows deleted since). A device re-pulling
    // already restarts only if tombstones were collected since its re-pull began (a row it has
    // seen may have been deleted, its tombstone gone); otherwise the sweep settles every delete.
    // (Restarting whenever its cursor was below gc_seq never let a re-pull of several pages end.)
    if (r.resync ? gc_seq > resync_gc : done < gc_seq) {
        conn_.exec("UPDATE gs_devices SET resync_gc = $3 WHERE owner = $1 AND device = $2", {owner, r.device, std::to_string(gc_seq)});
        conn_.exec("COMMIT");
        page.resync = true;
        page.cursor = 0;
        page.after.clear();
        page.more = true;
        return page;
    }
    conn_.exec("COMMIT");

    conn_.step("pull.snapshot");
    begin(" ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const pg::Param owner_p = owner;
    auto o = conn_.exec("SELECT seq FROM gs_owners WHERE owner = $1", {owner_p});
    const int64_t top = o.rows() ? o.integer(0, 0) : 0;
    // The changes the page may take, in the order pages follow: sequence, deletions before rows,
    // table number, uid (user changes), then catalog changes by their own sequence.
    struct Ref {
        int64_t seq = 0;
        int tbl = 0;
        std::string uid;
        bool deleted = false, catalog = false;
        std::optional<PulledRow> row{};  // none: a table this device does not know, or a row gone
    };
    auto key = [](const Ref& x) { return std::string(x.deleted ? "0." : "1.") + std::to_string(x.tbl) + "." + x.uid; };
    std::vector<Ref> refs;
    auto add_refs = [&refs](const pg::Result& c, bool catalog) {  // (seq, tbl, uid, op) rows
        for (int i = 0; i < c.rows(); ++i) {
            Ref x;
            x.seq = c.integer(i, 0);
            x.tbl = int(to_i64(c.text(i, 1)));
            x.uid = std::string(c.text(i, 2));
            x.deleted = c.text(i, 3) == "d";
            x.catalog = catalog;
            refs.push_back(std::move(x));
        }
    };
    // A device that can resume inside a sequence (it sent max_bytes) gets pages cut anywhere; an
    // older one gets whole sequences, as before.
    const bool split = r.max_bytes > 0;
    const int64_t max_bytes = split ? std::min(r.max_bytes, page_cap_bytes) : page_max_bytes;
    bool user_more = false;
    size_t user_refs = 0;  // refs[0, user_refs) are user changes the page may take
    int64_t high = r.cursor;
    if (top > r.cursor || !r.after.empty()) {
        conn_.step("pull.changes");
        pg::Result c;
        if (split) {
            // One row past the limit tells whether more follow, and where the page ends.
            std::string sql = "SELECT seq, tbl, uid::text, op FROM gs_changes WHERE owner = $1 AND seq >= $2 AND (seq > $2";
            std::vector<pg::Param> params{owner_p, std::to_string(r.cursor), std::to_string(r.limit + 1)};
            if (!r.after.empty()) {
                const size_t dot = r.after.find('.', 2);
                sql += " OR ((op <> 'd')::int, tbl, uid) > ($4::int, $5::smallint, $6::uuid)";
                params.push_back(r.after.substr(0, 1));
                params.push_back(r.after.substr(2, dot - 2));
                params.push_back(r.after.substr(dot + 1));
            }
            sql += ") ORDER BY seq, op <> 'd', tbl, uid LIMIT $3";
            c = conn_.exec(sql, params);
        } else {
            auto b = conn_.exec("SELECT seq FROM gs_changes WHERE owner = $1 AND seq > $2 ORDER BY seq OFFSET $3 LIMIT 1",
                                {owner_p, std::to_string(r.cursor), std::to_string(r.limit - 1)});
            high = b.rows() ? b.integer(0, 0) : top;
            user_more = high < top;
            c = conn_.exec("SELECT seq, tbl, uid::text, op FROM gs_changes WHERE owner = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, op <> 'd', tbl, uid",
                           {owner_p, std::to_string(r.cursor), std::to_string(high)});
        }
        add_refs(c, false);
        user_refs = refs.size();
        if (split && refs.size() > size_t(r.limit)) {
            user_more = true;
            user_refs = size_t(r.limit);
        }
    }
    if (split && !user_more) high = std::max(top, r.cursor);
    // Catalog changes share the page.
    int64_t ccur = r.catalog_cursor;
    if (ccur == 0 && r.catalog_version > 0 && r.catalog_version >= catalog_version_) ccur = catalog_seq_at_install_;
    page.catalog_cursor = ccur;
    bool catalog_more = false;
    int64_t chigh = ccur;
    const int64_t ctop = conn_.exec("SELECT seq FROM gs_catalog_seq").integer(0, 0);
    if (ctop > ccur) {
        int remaining = r.limit - int(user_refs);
        if (user_more || remaining <= 0) {
            catalog_more = true;
        } else {
            auto b = conn_.exec("SELECT seq FROM gs_catalog_changes WHERE seq > $1 ORDER BY seq OFFSET $2 LIMIT 1",
                                {std::to_string(ccur), std::to_string(remaining - 1)});
            chigh = b.rows() ? b.integer(0, 0) : ctop;
            catalog_more = chigh < ctop;
            auto c = conn_.exec("SELECT seq, tbl, uid::text, op FROM gs_catalog_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq, op <> 'd', tbl, uid",
                                {std::to_string(ccur), std::to_string(chigh)});
            if (split && user_refs < refs.size()) refs.resize(user_refs);  // (never: the look-ahead row means user_more)
            add_refs(c, true);
        }
    }
    const size_t candidates = split && user_more ? user_refs : refs.size();  // the look-ahead row is not a candidate

    // Reads the rows of refs[from, to) (tables in one statement each).
    auto fetch = [&](size_t from, size_t to) {
        std::map<int, std::vector<size_t>> by_table;  // layout number -> refs
        for (size_t i = from; i < to; ++i) {
            Ref& ref = refs[i];
            auto it = by_tbl_.find(ref.tbl);
            if (it == by_tbl_.end() || it->second->table->since > r.schema) continue;  // a table this device does not know
            if (ref.deleted) {
                PulledRow row;
                row.table = it->second;
                row.uid = ref.uid;
                row.deleted = true;
                ref.row = std::move(row);
            } else {
                by_table[it->second->number].push_back(i);
            }
        }
        for (const auto& [number, which] : by_table) {
            const SyncTable& st = layout()[size_t(number)];
            std::vector<std::string> uids;
            std::unordered_map<std::string, size_t> at;
            for (size_t i : which) {
                uids.push_back(refs[i].uid);
                at.emplace(refs[i].uid, i);
            }
            std::string sql = "SELECT t.uid::text";
            std::vector<const SyncColumn*> cols;
            for (const auto& sc : st.columns)
                if (visible(sc, r.schema)) {
                    cols.push_back(&sc);
                    sql += ", " + out_expr(sc);
                }
            if (st.catalog) sql += ", 0, NULL FROM " + q(st.name()) + " t WHERE t.uid = ANY($1::uuid[])";
            else sql += ", t.gs_hlc, t.gs_clock::text FROM " + q(st.name()) + " t WHERE t.gs_owner = $2 AND t.uid = ANY($1::uuid[])";
            conn_.step("pull.rows");
            auto rows = st.catalog ? conn_.exec(sql, {uuid_array(uids)}) : conn_.exec(sql, {uuid_array(uids), owner_p});
            const int ncol = int(cols.size());
            for (int i = 0; i < rows.rows(); ++i) {
                PulledRow row;
                row.table = &st;
                row.uid = std::string(rows.text(i, 0));
                row.values.resize(st.table->columns.size());
                for (int c = 0; c < ncol; ++c) {
                    row.values[size_t(cols[size_t(c)]->pos)] = rows.opt(i, c + 1);
                    row.present |= uint64_t(1) << cols[size_t(c)]->pos;
                }
                row.hlc = rows.integer(i, ncol + 1);
                if (!rows.null(i, ncol + 2)) {
                    json clocks = json::parse(rows.text(i, ncol + 2));
                    for (const auto& [name, h] : clocks.items())
                        if (const SyncColumn* sc = st.find(name))  // like values: only columns the device's version has
                            if (visible(*sc, r.schema) && h.is_number_integer()) row.clocks.emplace_back(sc->pos, h.get<int64_t>());
                }
                auto it = at.find(row.uid);
                if (it != at.end()) refs[it->second].row = std::move(row);
            }
        }
    };

    // The page takes refs in order while their JSON fits in max_bytes (at least one). A page may
    // end inside a user sequence only for a device that resumes there; otherwise it ends at a
    // sequence's end (and takes at least one whole sequence, whatever its size).
    auto same_group = [&](size_t a, size_t b) { return refs[a].catalog == refs[b].catalog && refs[a].seq == refs[b].seq; };
    auto splittable = [&](size_t i) { return split && !refs[i].catalog; };
    size_t taken = candidates, fetched = 0;
    int64_t bytes = 256;  // the page's header
    bool cut = false;
    for (size_t i = 0; i < candidates; ++i) {
        if (i == fetched) {  // read rows in chunks sized by what the page can still take
            size_t chunk = 256;
            if (i > 0) chunk = size_t(std::max<int64_t>(16, (max_bytes - bytes) / std::max<int64_t>(1, bytes / int64_t(i)) + 16));
            fetched = std::min(candidates, i + chunk);
            fetch(i, fetched);
        }
        const int64_t size = refs[i].row ? int64_t(json_size(*refs[i].row)) : 0;
        if (i > 0 && bytes + size > max_bytes) {
            taken = i;
            cut = true;
            break;
        }
        bytes += size;
    }
    if (cut && !splittable(taken)) {
        size_t start = taken;
        while (start > 0 && same_group(start - 1, taken)) --start;
        if (start > 0) {
            taken = start;
        } else {  // the first sequence alone is over the bound: it goes whole
            while (taken < candidates && same_group(taken, 0)) ++taken;
            cut = taken < candidates;
            if (fetched < taken) fetch(fetched, taken);
        }
    }

    // Cursors: after the last change taken. Inside a sequence (the next change has the same one)
    // the position goes in `after`.
    page.more = user_more || catalog_more || cut;
    size_t last_user = 0, last_catalog = 0;  // 1 + index of the last taken user / catalog ref
    for (size_t i = 0; i < taken; ++i) (refs[i].catalog ? last_catalog : last_user) = i + 1;
    const bool user_cut = taken < user_refs || (split && user_more);
    if (user_cut) {
        const Ref& last = refs[last_user - 1];
        page.cursor = last.seq;
        page.after = refs[taken].seq == last.seq ? key(last) : std::string();
    } else {
        page.cursor = high;
        page.after.clear();
    }
    if (user_cut) page.catalog_cursor = ccur;
    else if (taken < refs.size()) page.catalog_cursor = last_catalog ? refs[last_catalog - 1].seq : ccur;
    else if (refs.size() > user_refs || chigh > ccur) page.catalog_cursor = chigh;

    // Deletions first, then rows table by table in dependency order (parents before children).
    std::map<int, std::vector<PulledRow>> by_table;  // layout number -> rows
    for (size_t i = 0; i < taken; ++i) {
        if (!refs[i].row) continue;
        if (refs[i].deleted) page.rows.push_back(std::move(*refs[i].row));
        else by_table[refs[i].row->table->number].push_back(std::move(*refs[i].row));
    }
    for (auto& [number, rows] : by_table)
        for (auto& row : rows) page.rows.push_back(std::move(row));
    conn_.exec("COMMIT");
    conn_.step("pull.done");
    return page;
}

}  // namespace gainsly::sync
