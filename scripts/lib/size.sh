# Library sizes for scripts/bench.sh: the stripped libgainsly.so, and what libgainsly.a adds to a
# minimal app (tests/install/consumer.c: open a database, print the version) over the same app without
# the library, both linked with --gc-sections and stripped. SQLite and zlib are shared libraries in
# both, so neither figure includes them.
# $1: build dir, $2: the target's multiarch triple (x86_64-linux-gnu, aarch64-linux-gnu, ...), $3: a label.
gainsly_size_report() {
  local dir=$1 triple=$2 label=$3 work prefix=""
  work=$(mktemp -d /tmp/gainsly-size.XXXXXX)
  [ "$triple" != "$(gcc -dumpmachine)" ] && prefix="$triple-"
  local cxx="${prefix}g++" strip="${prefix}strip"
  local libs=(-L"/usr/lib/$triple" -Wl,-rpath-link="/usr/lib/$triple:/lib/$triple"
              -lsqlite3 -lz -ldl -lpthread)
  grep -q '^GAINSLY_WITH_POSTGRES:BOOL=ON' "$dir/CMakeCache.txt" && libs+=(-l:libpq.so.5)
  "$strip" -o "$work/libgainsly.so" "$dir/libgainsly.so"
  printf 'int main(void) { return 0; }\n' > "$work/empty.c"
  "$cxx" -Os -x c "$work/empty.c" -Wl,--gc-sections -o "$work/empty"
  "$cxx" -Os -x c -I"$GAINSLY_ROOT/include" "$GAINSLY_ROOT/tests/install/consumer.c" -x none -Wl,--gc-sections \
    "$dir/libgainsly.a" "${libs[@]}" -o "$work/app"
  "$strip" "$work/empty" "$work/app"
  local so empty app
  so=$(stat -c %s "$work/libgainsly.so") empty=$(stat -c %s "$work/empty") app=$(stat -c %s "$work/app")
  awk -v l="$label" -v so="$so" -v a="$((app - empty))" 'BEGIN { printf "%-22s libgainsly.so stripped %8d bytes (%.2f MB); libgainsly.a in a minimal app %8d bytes (%.2f MB)\n", l, so, so / 1048576, a, a / 1048576 }'
  rm -rf "$work"
}
