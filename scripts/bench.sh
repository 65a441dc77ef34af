#!/usr/bin/env bash
# Runs the benchmarks (MinSizeRel, the shipping build) and prints each ratio against its baseline measured in the
# same run. Not part of CI's timing; the figures go into the issue notes.
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$GAINSLY_ROOT/scripts/lib/deps.sh"
gainsly_install_missing "${gainsly_packages[@]}"
# Its own build folder: demo.sh builds build-release without tests, and a benchmark binary left
# there from an earlier configuration would run stale.
build=${GAINSLY_BENCH_BUILD_DIR:-$GAINSLY_ROOT/build-bench}
cmake -S "$GAINSLY_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DGAINSLY_BUILD_TESTS=ON -DGAINSLY_BUILD_BINDINGS=OFF >/dev/null
benches=(bench_store bench_plan bench_history)
grep -q '^GAINSLY_WITH_POSTGRES:BOOL=ON' "$build/CMakeCache.txt" && benches+=(bench_sync)
cmake --build "$build" --target "${benches[@]}"
# bench_sync needs a PostgreSQL server: a throw-away one on loopback unless GAINSLY_PG_ADMIN names one.
if [ -z "${GAINSLY_PG_ADMIN:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  source "$GAINSLY_ROOT/scripts/lib/pg.sh"
  pg_start >/dev/null
fi
for b in "${benches[@]}"; do
  echo "== $b"
  "$build/tests/bench/$b"
done

# Sizes per architecture: this build, then the phone configuration (MinSizeRel, no PostgreSQL) for
# x86-64 and, when Debian's cross compilers are installed (scripts/lib/cross.sh), aarch64 and armhf.
source "$GAINSLY_ROOT/scripts/lib/size.sh"
echo "== sizes (SQLite, zlib and libpq are shared libraries, counted in neither figure)"
cmake --build "$build" --target gainsly gainsly_static >/dev/null
gainsly_size_report "$build" "$(gcc -dumpmachine)" "x86-64 with PostgreSQL"
for triple in "$(gcc -dumpmachine)" aarch64-linux-gnu arm-linux-gnueabihf; do
  toolchain=()
  if [ "$triple" != "$(gcc -dumpmachine)" ]; then
    command -v "$triple-g++" >/dev/null && [ -f "/usr/lib/$triple/libsqlite3.so" ] || { echo "$triple: no cross toolchain, skipped"; continue; }
    toolchain=(-DCMAKE_TOOLCHAIN_FILE="$GAINSLY_ROOT/cmake/toolchains/$triple.cmake")
  fi
  dir="$build-phone-$triple"
  cmake -S "$GAINSLY_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DGAINSLY_WITH_POSTGRES=OFF \
    -DGAINSLY_BUILD_TESTS=OFF -DGAINSLY_BUILD_EXAMPLES=OFF "${toolchain[@]}" >/dev/null
  cmake --build "$dir" --target gainsly gainsly_static >/dev/null
  gainsly_size_report "$dir" "$triple" "${triple%%-*} phone"
done
