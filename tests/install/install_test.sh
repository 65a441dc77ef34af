#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then builds and runs a consumer of the shared
# and of the static library, with CMake's find_package(gainsly CONFIG) and with pkg-config. The
# statically linked programs must not need libgainsly.so at all.
set -euo pipefail
build=$1 here=$(cd "$(dirname "$0")" && pwd) work=$2
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
lib=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
lib=$work/prefix/${lib:-lib}
test -f "$lib/libgainsly.a"
static_only() {  # runs a program with no library path: it must not ask for libgainsly
  if readelf -d "$1" | grep -q 'NEEDED.*libgainsly'; then
    echo "$1 is linked to libgainsly.so, not libgainsly.a" >&2
    return 1
  fi
  env -u LD_LIBRARY_PATH "$1" "$2"
}

cmake -S "$here" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$lib" "$work/consumer/consumer" "$work/a.db"
static_only "$work/consumer/consumer_static" "$work/a_static.db"

export PKG_CONFIG_PATH="$lib/pkgconfig"
cc -std=c99 "$here/consumer.c" $(pkg-config --cflags --libs gainsly) -o "$work/consumer_pc"
LD_LIBRARY_PATH="$lib" "$work/consumer_pc" "$work/b.db"
cc -std=c99 "$here/consumer.c" $(pkg-config --cflags --libs gainsly-static) -o "$work/consumer_pc_static"
static_only "$work/consumer_pc_static" "$work/b_static.db"

# The installed tool starts without LD_LIBRARY_PATH: it finds the library through its install RPATH.
env -u LD_LIBRARY_PATH "$work/prefix/bin/gainsly" --help | grep -q "Gainsly Core command-line tool"
echo "install OK: find_package and pkg-config consumers of libgainsly.so and libgainsly.a ran, the installed tool found its library"
