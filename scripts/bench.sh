#!/usr/bin/env bash
# Runs the benchmarks (MinSizeRel, the shipping build) and prints each ratio against its baseline measured in the
# same run. Not part of CI's timing; the figures go into the issue notes.
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$GAINSLY_ROOT/scripts/lib/deps.sh"
gainsly_install_missing "${gainsly_packages[@]}"
build=${GAINSLY_BENCH_BUILD_DIR:-$GAINSLY_ROOT/build-release}
gainsly_build "$build" -DCMAKE_BUILD_TYPE=MinSizeRel
# bench_sync needs a PostgreSQL server: a throw-away one on loopback unless GAINSLY_PG_ADMIN names one.
if [ -z "${GAINSLY_PG_ADMIN:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  source "$GAINSLY_ROOT/scripts/lib/pg.sh"
  pg_start >/dev/null
fi
for b in "$build"/tests/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
