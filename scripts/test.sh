#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, starts a throw-away PostgreSQL 15 and runs
# the whole suite through ctest (unit, schema drift, ABI, crash, PostgreSQL mirror, bindings, ...),
# then the ARM stage (cross builds for aarch64 without PostgreSQL and armhf with it, tests under qemu,
# the Android archive assembled from the three builds and checked; scripts/lib/cross.sh) and the hardening stage (sanitizers and fuzzing, scripts/lib/hardening.sh).
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$GAINSLY_ROOT/scripts/lib/deps.sh"
source "$GAINSLY_ROOT/scripts/lib/pg.sh"
source "$GAINSLY_ROOT/scripts/lib/hardening.sh"
source "$GAINSLY_ROOT/scripts/lib/cross.sh"

gainsly_install_missing "${gainsly_packages[@]}" "${gainsly_test_packages[@]}"
cross=0
if [ $# -eq 0 ] && [ "${GAINSLY_SKIP_CROSS:-0}" != 1 ]; then
  # The ARM stage's packages before PostgreSQL starts: installing libpq5:<arch> can upgrade the
  # host's PostgreSQL to the same version, and a server started before that upgrade then fails to
  # load its own plpgsql.so. When Debian's mirror cannot give them (an index caught mid-sync), the
  # stage is skipped and says so loudly: the rest of the suite still runs.
  gainsly_install_missing dpkg-dev
  gainsly_cross_install arm64 || true
  gainsly_cross_install armhf || true
  cross=1
  for p in g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user libpq5:arm64 libpq5:armhf libsqlite3-dev:arm64 libsqlite3-dev:armhf; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || cross=0
  done
  [ $cross = 1 ] || echo "*** ARM STAGE SKIPPED: its packages could not be installed from Debian's mirror (see apt's errors above) ***"
fi
build=${GAINSLY_BUILD_DIR:-$GAINSLY_ROOT/build}
gainsly_build "$build"
pg_start
(cd "$build" && ctest --output-on-failure -j2 "$@")
if [ $cross = 1 ]; then  # a filtered run skips the ARM stage too
  export GAINSLY_HOST_CLI="$build/examples/gainsly"  # the server half of the ARM builds' sync_relay
  arm64_build=${GAINSLY_ARM64_BUILD_DIR:-$GAINSLY_ROOT/build-arm64}
  armhf_build=${GAINSLY_ARMHF_BUILD_DIR:-$GAINSLY_ROOT/build-armhf}
  gainsly_cross arm64 "$arm64_build" OFF
  gainsly_cross armhf "$armhf_build" ON
  gainsly_aar "$build" "$arm64_build" "$armhf_build"
fi
if [ $# -eq 0 ] && [ "${GAINSLY_SKIP_HARDENING:-0}" != 1 ]; then  # a filtered run (ctest -R ...) skips this stage
  gainsly_hardening "${GAINSLY_SANITIZE_BUILD_DIR:-$GAINSLY_ROOT/build-sanitize}"
fi
