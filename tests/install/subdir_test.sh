#!/usr/bin/env bash
# Builds tests/install/subdir, an app that adds the source tree with add_subdirectory, and runs its
# programs. Built without PostgreSQL, so this is also CI's x86-64 build of that configuration.
set -euo pipefail
source_dir=$1 here=$(cd "$(dirname "$0")" && pwd) work=$2
rm -rf "$work" && mkdir -p "$work"
cmake -S "$here/subdir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGAINSLY_SOURCE="$source_dir" \
      -DGAINSLY_WITH_POSTGRES=OFF -DGAINSLY_BUILD_BINDINGS=OFF >/dev/null
# Embedded, the library builds neither its tests nor its examples.
if [ -e "$work/build/gainsly/tests" ] || [ -e "$work/build/gainsly/examples" ]; then
  echo "add_subdirectory built gainsly's tests or examples" >&2
  exit 1
fi
cmake --build "$work/build" --target consumer consumer_static >/dev/null
"$work/build/consumer" "$work/a.db"
readelf -d "$work/build/consumer_static" | grep -q 'NEEDED.*libgainsly' && { echo "consumer_static needs libgainsly.so" >&2; exit 1; }
"$work/build/consumer_static" "$work/b.db"
echo "add_subdirectory OK: gainsly::gainsly and gainsly::gainsly_static built inside an app's project and ran"
