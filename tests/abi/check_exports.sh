#!/usr/bin/env bash
# The header, the committed export list and the library agree: every function the header declares is
# in the list, every name in the list is declared, and the library exports exactly the list. With a
# fourth argument (the bindings folder), every declared function is also called by both bindings (Swift
# sources, Kotlin's JNI shim) or listed, with its reason, in bindings/tools/unwrapped.txt.
set -eu
lib=$1 list=$2 header=$3 bindings=${4:-}
listed=$(grep '^gs_' "$list" | sort -u)
declared=$(grep -oE '^GS_API[^(]*[^a-z_0-9](gs_[a-z_0-9]+)\(' "$header" | grep -oE 'gs_[a-z_0-9]+\($' | tr -d '(' | sort -u)
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//' | grep -v '^GAINSLY_' | sort -u)
status=0
compare() {  # name of the first, the first, name of the second, the second
  if [ "$2" != "$4" ]; then
    echo "$1 and $3 differ (< only in $1, > only in $3):"
    diff <(echo "$2") <(echo "$4") | grep '^[<>]' || true
    status=1
  fi
}
compare "the header's GS_API declarations" "$declared" "$list" "$listed"
compare "$list" "$listed" "the library's exports" "$actual"
[ -n "$declared" ] || { echo "no GS_API declaration found in $header"; status=1; }
if [ -n "$bindings" ]; then
  unwrapped=$(grep -oE '^gs_[a-z_0-9]+' "$bindings/tools/unwrapped.txt" | sort -u)
  # The code of each binding without its comment lines; a function counts when its name is a word there
  # (a call, or a pointer passed to a template as the JNI shim does).
  swift_code=$(cat "$bindings"/swift/Sources/Gainsly/*.swift | grep -vE '^\s*(//|\*|/\*)')
  kotlin_code=$(grep -vE '^\s*(//|\*|/\*)' "$bindings/kotlin/jni/gainsly_jni.cpp")
  missing="" stale=""
  for f in $declared; do
    in_swift=0 in_kotlin=0
    grep -qw "$f" <<<"$swift_code" && in_swift=1
    grep -qw "$f" <<<"$kotlin_code" && in_kotlin=1
    if echo "$unwrapped" | grep -qx "$f"; then
      [ $in_swift -eq 1 ] && [ $in_kotlin -eq 1 ] && stale="$stale $f"
    elif [ $in_swift -eq 0 ] || [ $in_kotlin -eq 0 ]; then
      missing="$missing $f(swift:$in_swift,kotlin:$in_kotlin)"
    fi
  done
  for f in $unwrapped; do echo "$declared" | grep -qx "$f" || stale="$stale $f(not declared)"; done
  [ -z "$missing" ] || { echo "not called by both bindings nor listed in bindings/tools/unwrapped.txt:$missing"; status=1; }
  [ -z "$stale" ] || { echo "listed in bindings/tools/unwrapped.txt but called by both or not declared:$stale"; status=1; }
  [ $status -eq 0 ] && echo "bindings OK: $(echo "$declared" | wc -l) functions, $(echo "$unwrapped" | wc -l) listed as not wrapped"
fi
[ $status -eq 0 ] && echo "exports OK: $(echo "$actual" | wc -l) symbols, each declared in the header and listed"
exit $status
