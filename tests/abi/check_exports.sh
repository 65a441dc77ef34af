#!/usr/bin/env bash
# The header, the committed export list and the library agree: every function the header declares is
# in the list, every name in the list is declared, and the library exports exactly the list.
set -eu
lib=$1 list=$2 header=$3
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
[ $status -eq 0 ] && echo "exports OK: $(echo "$actual" | wc -l) symbols, each declared in the header and listed"
exit $status
