#!/usr/bin/env bash
# Compares the dynamic symbols libgainsly defines with the committed export list.
set -eu
lib=$1 list=$2
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//' | grep -v '^GAINSLY_' | sort -u)
expected=$(grep '^gs_' "$list" | sort -u)
if [ "$actual" != "$expected" ]; then
  echo "exported symbols differ from $list:"
  diff <(echo "$expected") <(echo "$actual") 2>/dev/null || { echo "expected:"; echo "$expected"; echo "actual:"; echo "$actual"; }
  exit 1
fi
echo "exports OK: $(echo "$actual" | wc -l) symbols"
