#!/usr/bin/env bash
# Regenerates schema/sqlite.sql and schema/postgres.sql from schema/schema.json (commit the result).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GAINSLY_BUILD_DIR:-build}
cmake --build "$build" --target gainsly-schema >/dev/null
"$build/gainsly-schema" sqlite > schema/sqlite.sql
"$build/gainsly-schema" postgres > schema/postgres.sql
echo "wrote schema/sqlite.sql and schema/postgres.sql (schema version $(grep -o '"version": [0-9]*' schema/schema.json | grep -o '[0-9]*'))"
