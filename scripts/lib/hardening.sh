# The hardening stage of scripts/test.sh: the unit tests and ABI tests rebuilt with clang under
# AddressSanitizer + UndefinedBehaviorSanitizer (leaks included), then each libFuzzer target for
# GAINSLY_FUZZ_SECONDS (default 60) starting from its committed corpus. The long randomised sync
# suites (convergence, faults, nemesis) run only in the normal stage, to keep CI within its time budget.
gainsly_hardening() {
  local dir=$1 seconds=${GAINSLY_FUZZ_SECONDS:-60}
  CC=clang-14 CXX=clang++-14 cmake -S "$GAINSLY_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGAINSLY_SANITIZE=ON -DGAINSLY_FUZZ=ON -DGAINSLY_BUILD_BINDINGS=OFF >/dev/null
  cmake --build "$dir"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  echo "== unit and ABI tests under ASan + UBSan"
  (cd "$dir" && ctest --output-on-failure -j2 -E '^(crash_sigkill|pg_mirror|cli|install_consumer|subdir_consumer|catalog_lint|schema_drift|header_c99|sync_convergence|sync_faults|sync_nemesis)$' )
  local work
  work=$(mktemp -d /tmp/gainsly-fuzz.XXXXXX)
  for target in "$dir"/tests/fuzz/fuzz_*; do
    local name corpus
    name=$(basename "$target")
    corpus="$work/$name"
    mkdir -p "$corpus"
    cp "$GAINSLY_ROOT/tests/fuzz/corpus/$name/"* "$corpus/" 2>/dev/null || true
    cp "$GAINSLY_ROOT/tests/fuzz/regressions/$name/"* "$corpus/" 2>/dev/null || true
    echo "== fuzz $name for ${seconds}s"
    if ! (cd "$work" && "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$work/$name-" "$corpus" 2>"$work/$name.log"); then
      tail -40 "$work/$name.log"
      echo "fuzz $name found a failure; the input is in $work (copy it to tests/fuzz/regressions/$name/)"
      return 1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$name.log" | tr '\n' ' '
    echo
  done
  rm -rf "$work"
}
