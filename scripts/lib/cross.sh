# The ARM stage of scripts/test.sh: the library, the CLI and the test programs cross-built for aarch64
# and armhf (32-bit, like Android's armeabi-v7a) with Debian 12's cross toolchains and multiarch
# -dev packages (cmake/toolchains/), their tests run under qemu-user, and the Android archive assembled
# from them (gainsly_aar). Sourced by scripts/test.sh.
#
# Tests run here (ctest names; each program runs under qemu through CMAKE_CROSSCOMPILING_EMULATOR):
#   unit (store, math, catalog, training, C ABI, tokens, wide values), plan, abi_c_client, abi_exports,
#   example_quickstart, fuzz_*_replay, sync_relay (the device half, in every build, syncs two ARM files
#   through the native CLI's server half: GAINSLY_HOST_CLI); with PostgreSQL also the device-half sync suites
#   against the stage's PostgreSQL server (sync_basics, sync_security, sync_attack, sync_badinput,
#   sync_versions, sync_clocks, sync_restore, sync_poison). Left to the native stage: the randomised
#   sync suites (convergence, faults, nemesis: slow under emulation, and faults starts a second program,
#   which qemu-user cannot do without binfmt_misc), sync_citus, plan_coach (its 200 random requests
#   now give the solver a node budget, not a time, so qemu should plan alike, but that is not yet
#   verified under emulation), crash_sigkill, cli, install and the host-only checks
#   (schema drift, header, catalog lint, vectors).
gainsly_cross_tests='^(unit|plan|abi_c_client|abi_exports|example_quickstart|fuzz_.*_replay|sync_relay|sync_(basics|security|attack|badinput|versions|clocks|restore|poison))$'

# Installs the cross compiler, qemu-user and the target's libraries for a Debian architecture
# (arm64, armhf). libpq-dev cannot sit beside the build machine's own (it is not Multi-Arch: same),
# so, when $2 is given, its headers are unpacked there and the target's libpq5 is linked directly.
gainsly_cross_install() {
  local arch=$1 headers=${2:-} triple
  triple=$(dpkg-architecture -a "$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    $sudo dpkg --add-architecture "$arch"
    gainsly_apt_update
  fi
  gainsly_install_missing "g++-$triple" qemu-user "libsqlite3-dev:$arch" "zlib1g-dev:$arch" \
     "libstdc++6:$arch" "libpq5:$arch"
  if [ -n "$headers" ] && [ ! -f "$headers/usr/include/postgresql/libpq-fe.h" ]; then
    local deb
    deb=$(mktemp -d /tmp/gainsly-libpq.XXXXXX)
    chmod 777 "$deb"  # apt downloads as its own user
    (cd "$deb" && apt-get download -qq "libpq-dev:$arch")
    mkdir -p "$headers"
    dpkg-deb -x "$deb"/libpq-dev_*.deb "$headers"
    rm -rf "$deb"
  fi
}

# Cross-builds into $2 for Debian architecture $1 (arm64, armhf), with PostgreSQL when $3 is ON,
# and runs the tests above under qemu.
gainsly_cross() {
  local arch=$1 dir=$2 postgres=$3 triple
  gainsly_install_missing dpkg-dev  # dpkg-architecture
  triple=$(dpkg-architecture -a "$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
  local pg=()
  if [ "$postgres" = ON ]; then
    gainsly_cross_install "$arch" "$dir/libpq-dev"
    pg=(-DPostgreSQL_INCLUDE_DIR="$dir/libpq-dev/usr/include/postgresql"
        -DPostgreSQL_LIBRARY="/usr/lib/$triple/libpq.so.5")
  else
    gainsly_cross_install "$arch"
  fi
  echo "== $arch ($triple), PostgreSQL $postgres: cross build"
  cmake -S "$GAINSLY_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_TOOLCHAIN_FILE="$GAINSLY_ROOT/cmake/toolchains/$triple.cmake" -DGAINSLY_WITH_POSTGRES="$postgres" \
    -DGAINSLY_BUILD_BINDINGS=ON -DGAINSLY_HOST_CLI="${GAINSLY_HOST_CLI:-}" "${pg[@]}" >/dev/null
  # The library, the JNI library (for scripts/package-aar.sh), the CLI and the programs of the tests above
  # (not the benchmarks).
  local targets=(gainsly gainsly_static gainsly_jni gainsly-cli gainsly-quickstart gainsly_tests plan_tests abi_c_client fuzz_rows fuzz_import fuzz_plan)
  [ "$postgres" = ON ] && targets+=(sync_tests)
  cmake --build "$dir" --target "${targets[@]}"
  local lib
  for lib in "$dir/libgainsly.so" "$dir/bindings/libgainsly_jni.so"; do
    readelf -h "$lib" | grep -q "Machine: *\(AArch64\|ARM\)" || { echo "$lib is not an ARM library"; return 1; }
  done
  echo "== $arch: tests under qemu"
  (cd "$dir" && ctest --output-on-failure -j2 -R "$gainsly_cross_tests")
}

# The Android library archive from the x86-64 build $1 and the cross builds $2 (arm64) and $3 (armhf):
# scripts/package-aar.sh, then its entries and each library's ELF header against its ABI folder.
gainsly_aar() {
  echo "== Android archive (x86_64, arm64-v8a, armeabi-v7a)"
  "$GAINSLY_ROOT/scripts/package-aar.sh" "$1/gainsly.aar" "x86_64=$1" "arm64-v8a=$2" "armeabi-v7a=$3"
  python3 "$GAINSLY_ROOT/bindings/tools/check_aar.py" "$1/gainsly.aar" arm64-v8a armeabi-v7a x86_64
}
