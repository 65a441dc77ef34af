#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then builds and runs a consumer twice: with
# CMake's find_package(gainsly CONFIG) and with pkg-config.
set -euo pipefail
build=$1 here=$(cd "$(dirname "$0")" && pwd) work=$2
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$here" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer/consumer" "$work/a.db"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
cc -std=c99 "$here/consumer.c" $(pkg-config --cflags --libs gainsly) -o "$work/consumer_pc"
LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer_pc" "$work/b.db"
# The installed tool starts without LD_LIBRARY_PATH: it finds the library through its install RPATH.
env -u LD_LIBRARY_PATH "$work/prefix/bin/gainsly" --help | grep -q "Gainsly Core command-line tool"
echo "install OK: find_package and pkg-config consumers ran, the installed tool found its library"
