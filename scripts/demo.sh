#!/usr/bin/env bash
# The demo: installs what is missing, builds, creates ./gainsly.db (schema + reference catalog),
# adds the sample user from examples/sample_user.json and prints what the database holds.
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$GAINSLY_ROOT/scripts/lib/deps.sh"
gainsly_install_missing "${gainsly_packages[@]}"
build=${GAINSLY_DEMO_BUILD_DIR:-$GAINSLY_ROOT/build-release}
gainsly_build "$build" -DCMAKE_BUILD_TYPE=Release -DGAINSLY_BUILD_TESTS=OFF >/dev/null
gainsly="$build/examples/gainsly"
db=${GAINSLY_DEMO_DB:-./gainsly.db}

rm -f "$db" "$db-wal" "$db-shm"
echo "== gainsly init"
"$gainsly" init --db "$db"
echo
echo "== gainsly import --format user examples/sample_user.json"
"$gainsly" import --db "$db" --format user "$GAINSLY_ROOT/examples/sample_user.json"
echo
echo "== gainsly show"
"$gainsly" show --db "$db"
