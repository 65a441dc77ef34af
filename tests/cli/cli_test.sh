#!/usr/bin/env bash
# The gainsly tool: every command answers --help, errors exit non-zero with one line, --json is JSON.
set -euo pipefail
gainsly=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "cli test: $*"; exit 1; }

"$gainsly" --help | grep -q "commands:" || fail "no usage"
for c in $("$gainsly" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/ {print $1}'); do
  "$gainsly" "$c" --help | grep -q "usage: gainsly $c" || fail "$c --help"
done
"$gainsly" init --db t.db --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["catalog"]["movements"] >= 300' \
  || fail "init --json"
"$gainsly" import --db t.db --format user "$root/examples/sample_user.json" --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["rows"] == 7' \
  || fail "import user"
"$gainsly" export --db t.db --user 1 --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["tables"]["users"][0]["email"] == "sam@example.com"' \
  || fail "export"
set +e
out=$("$gainsly" show --db t.db program 12345 2>&1); rc=$?
set -e
[ $rc -eq 1 ] || fail "missing program: exit $rc"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "error is not one line: $out"
echo "$out" | grep -q "GS_ERR_NOT_FOUND" || fail "error names no status: $out"
set +e
"$gainsly" nonsense >/dev/null 2>&1; rc=$?
"$gainsly" import --db t.db --format nope x.json >/dev/null 2>&1; rc2=$?
set -e
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] || fail "usage errors must exit 2 ($rc, $rc2)"
echo "cli OK"
