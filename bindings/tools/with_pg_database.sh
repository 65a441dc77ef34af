#!/usr/bin/env bash
# Runs a command with GAINSLY_TEST_PG set to a fresh, empty database on the PostgreSQL server of
# GAINSLY_PG_ADMIN (scripts/test.sh starts one), and GAINSLY_TEST_PG_ROLE_PREFIX to name login roles;
# drops the database and those roles afterwards. Without GAINSLY_PG_ADMIN it just runs the command
# (the sync tests then skip, or fail when GAINSLY_REQUIRE_PG=1).
set -u
if [ -z "${GAINSLY_PG_ADMIN:-}" ]; then
  exec "$@"
fi
if ! command -v psql >/dev/null; then
  echo "with_pg_database: psql not found" >&2
  exit 1
fi
name=gs_bind_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
admin_sql() { psql "$GAINSLY_PG_ADMIN" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
  admin_sql "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  for role in $(admin_sql "SELECT rolname FROM pg_roles WHERE rolname LIKE '${name}%'" 2>/dev/null); do
    admin_sql "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
  done
}
trap cleanup EXIT
admin_sql "CREATE DATABASE $name" >/dev/null || exit 1
export GAINSLY_TEST_PG="$(printf '%s' "$GAINSLY_PG_ADMIN" | sed -E 's/(^| )dbname=[^ ]*//') dbname=$name"
export GAINSLY_TEST_PG_ROLE_PREFIX=$name
"$@"
