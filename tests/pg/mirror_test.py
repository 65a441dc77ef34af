#!/usr/bin/env python3
"""Mirror test: loads schema/postgres.sql into a fresh database on a live PostgreSQL, creates the
SQLite schema the library creates, introspects both (information_schema / pg_catalog and SQLite's
pragmas) into one normalised form, and fails on any difference in tables, columns, type classes,
nullability, default classes, foreign keys, unique constraints, named checks and indexes.

usage: mirror_test.py GAINSLY_SCHEMA_TOOL WORK_DB    (needs GAINSLY_PG_ADMIN, a libpq conninfo)
Exit 77 (skipped) without a server, unless GAINSLY_REQUIRE_PG=1."""
import json, os, re, secrets, sqlite3, subprocess, sys

TYPE_CHECK_SUFFIXES = ("_bool", "_enum", "_date", "_ts", "_json", "_len", "_uuid")
ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def psql(conninfo, sql, *extra):
    out = subprocess.run(["psql", conninfo, "-AtqX", "-v", "ON_ERROR_STOP=1", "-F", "\t", *extra, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def with_db(conninfo, dbname):
    return re.sub(r"dbname=\S+", "", conninfo) + f" dbname={dbname}"


def pg_schema(conninfo):
    enums = {}
    for name, label in psql(conninfo, "SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                                      "ORDER BY t.typname, e.enumsortorder"):
        enums.setdefault(name, []).append(label)
    tables = {}
    for t, c, dtype, udt, nullable, default, length, identity in psql(conninfo, """
            SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, ''),
                   coalesce(character_maximum_length::text, ''), is_identity
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"""):
        cls = {"integer": "int", "bigint": "int", "double precision": "float", "text": "text", "boolean": "bool",
               "date": "date", "timestamp with time zone": "timestamp", "jsonb": "json", "uuid": "uuid",
               "character varying": f"varchar({length})"}.get(dtype)
        if dtype == "USER-DEFINED":
            cls = "enum" + json.dumps(enums[udt])
        if identity == "YES" or default.startswith("nextval"):
            dclass = "identity"
        elif default == "":
            dclass = "none"
        elif re.fullmatch(r"'.*'::[\w\" ]+|-?[\d.]+|true|false", default):
            dclass = "constant"
        else:
            dclass = "expression"
        tables.setdefault(t, {"columns": {}, "foreign_keys": [], "unique": [], "checks": [], "indexes": {}})
        tables[t]["columns"][c] = {"type": cls, "not_null": nullable == "NO", "default": dclass}
    for t, kind, name, cols, ftable, fcols, deltype in psql(conninfo, """
            SELECT c.conrelid::regclass::text, c.contype, c.conname,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att),
                   coalesce(c.confrelid::regclass::text, ''),
                   coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att), ''),
                   c.confdeltype
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('f', 'u', 'c')"""):
        t = t.strip('"')
        if kind == "f":
            tables[t]["foreign_keys"].append([cols, ftable.strip('"'), fcols, ON_DELETE[deltype]])
        elif kind == "u":
            tables[t]["unique"].append(cols.split(","))
        else:
            tables[t]["checks"].append(name)
    for t, name, unique, cols in psql(conninfo, """
            SELECT i.indrelid::regclass::text, ic.relname, i.indisunique,
                   (SELECT string_agg(a.attname || CASE WHEN (i.indoption[k.n - 1] & 1) = 1 THEN ' desc' ELSE '' END, ','
                                      ORDER BY k.n)
                      FROM unnest(i.indkey) WITH ORDINALITY k(att, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.att)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
            WHERE n.nspname = 'public' AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"""):
        t = t.strip('"')
        if unique == "t":
            tables[t]["unique"].append(cols.split(","))
        else:
            tables[t]["indexes"][name] = cols.split(",")
    return normalise(tables)


def sqlite_schema(path):
    db = sqlite3.connect(path)
    tables = {}
    for (t, ddl) in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                               "AND name NOT LIKE 'gs_%'"):
        enum_values = {m.group(1): re.findall(r"'((?:[^']|'')*)'", m.group(2)) for m in
                       re.finditer(r'CONSTRAINT "ck_%s_(\w+)_enum" CHECK \("\w+" IN \(([^)]*)\)\)' % re.escape(t), ddl)}
        fk_cols = {row[3] for row in db.execute("SELECT * FROM pragma_foreign_key_list(?)", (t,))}
        info = {"columns": {}, "foreign_keys": [], "unique": [], "checks": [], "indexes": {}}
        for _, c, dtype, notnull, default, pk in db.execute("SELECT * FROM pragma_table_info(?)", (t,)):
            cls = {"INTEGER": "int", "REAL": "float", "TEXT": "text", "BOOLEAN": "bool", "DATE": "date",
                   "TIMESTAMP": "timestamp", "JSON": "json", "UUID": "uuid"}.get(dtype, dtype.lower())
            if c in enum_values:
                cls = "enum" + json.dumps(enum_values[c])
            if pk and dtype == "INTEGER" and c not in fk_cols:
                dclass = "identity"  # a rowid alias numbers itself, like an identity column
            elif default is None:
                dclass = "none"
            else:
                dclass = "constant" if re.fullmatch(r"'.*'|-?[\d.]+", default) else "expression"
            info["columns"][c] = {"type": cls, "not_null": bool(notnull or pk), "default": dclass}
        for row in db.execute("SELECT * FROM pragma_foreign_key_list(?)", (t,)):
            info["foreign_keys"].append([row[3], row[2], row[4] or "id", row[6]])
        for _, name, unique, origin, _ in db.execute("SELECT * FROM pragma_index_list(?)", (t,)):
            if origin == "pk":
                continue
            cols = [r[2] + (" desc" if r[3] else "") for r in
                    db.execute("SELECT seqno, cid, name, desc, key FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", (name,))]
            if unique:
                info["unique"].append(cols)
            else:
                info["indexes"][name] = cols
        info["checks"] = [n for n in re.findall(r'CONSTRAINT "(\w+)" CHECK', ddl) if not n.endswith(TYPE_CHECK_SUFFIXES)]
        tables[t] = info
    return normalise(tables)


def normalise(tables):
    for t in tables.values():
        t["foreign_keys"].sort()
        t["unique"].sort()
        t["checks"].sort()
    return tables


def main():
    tool, work_db = sys.argv[1], sys.argv[2]
    admin = os.environ.get("GAINSLY_PG_ADMIN")
    if not admin:
        print("pg_mirror: GAINSLY_PG_ADMIN is not set (scripts/test.sh starts a server)")
        sys.exit(1 if os.environ.get("GAINSLY_REQUIRE_PG") == "1" else 77)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if os.path.exists(work_db):
        os.remove(work_db)
    lite = sqlite3.connect(work_db)
    lite.executescript(subprocess.run([tool, "sqlite"], check=True, capture_output=True, text=True).stdout)
    lite.close()

    dbname = "gainsly_mirror_" + secrets.token_hex(4)
    psql(admin, f"CREATE DATABASE {dbname}")
    try:
        conn = with_db(admin, dbname)
        psql(conn, "SELECT 1", "-f", os.path.join(root, "schema", "postgres.sql"))
        pg, sq = pg_schema(conn), sqlite_schema(work_db)
    finally:
        psql(admin, f"DROP DATABASE {dbname}")

    problems = []
    for t in sorted(set(pg) | set(sq)):
        if t not in pg or t not in sq:
            problems.append(f"table {t}: only in {'PostgreSQL' if t in pg else 'SQLite'}")
            continue
        a, b = pg[t], sq[t]
        for c in sorted(set(a["columns"]) | set(b["columns"])):
            ca, cb = a["columns"].get(c), b["columns"].get(c)
            if ca != cb:
                problems.append(f"{t}.{c}: PostgreSQL {ca} vs SQLite {cb}")
        if list(a["columns"]) != list(b["columns"]) and set(a["columns"]) == set(b["columns"]):
            problems.append(f"{t}: column order differs")
        for key in ("foreign_keys", "unique", "checks", "indexes"):
            if a[key] != b[key]:
                problems.append(f"{t} {key}: PostgreSQL {a[key]} vs SQLite {b[key]}")
    if problems:
        print("PostgreSQL and SQLite schemas differ:\n  " + "\n  ".join(problems))
        sys.exit(1)
    n_cols = sum(len(t["columns"]) for t in pg.values())
    n_fk = sum(len(t["foreign_keys"]) for t in pg.values())
    n_ck = sum(len(t["checks"]) for t in pg.values())
    n_ix = sum(len(t["indexes"]) + len(t["unique"]) for t in pg.values())
    print(f"mirror OK: {len(pg)} tables, {n_cols} columns, {n_fk} foreign keys, {n_ck} checks, {n_ix} indexes/unique "
          f"identical in PostgreSQL and SQLite")


if __name__ == "__main__":
    main()
