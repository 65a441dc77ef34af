#!/usr/bin/env bash
# Sync with the documents carried by hand, as an app with its own HTTP stack does: the device half
# (export-batch, import-ack, export-request, import-page) runs in DEVICE_CLI, the server half (push,
# pull) in SERVER_CLI, another process and possibly another build: in the ARM stage the device is the
# ARM build under qemu (without PostgreSQL) and the server is the native build.
# usage: relay_test.sh DEVICE_CLI SERVER_CLI SOURCE_DIR WORK_DIR [EMULATOR...]
# Needs GAINSLY_PG_ADMIN (a superuser conninfo); exits 77 (skipped) without it unless GAINSLY_REQUIRE_PG=1.
set -euo pipefail
device_cli=$1 server_cli=$2 root=$3 work=$4
shift 4
emulator=("$@")
fail() { echo "sync relay test: $*"; exit 1; }
if [ "$server_cli" = none ] || [ -z "$server_cli" ]; then
  echo "SKIPPED: no CLI with the server half (a build without PostgreSQL; a cross build names one with -DGAINSLY_HOST_CLI)"; exit 77
fi
[ -x "$server_cli" ] || fail "the server's CLI $server_cli is missing"
if [ -z "${GAINSLY_PG_ADMIN:-}" ]; then
  [ "${GAINSLY_REQUIRE_PG:-0}" = 1 ] && fail "GAINSLY_PG_ADMIN is not set"
  echo "SKIPPED: needs GAINSLY_PG_ADMIN"; exit 77
fi
rm -rf "$work" && mkdir -p "$work" && cd "$work"
device() { "${emulator[@]}" "$device_cli" "$@"; }
server() { "$server_cli" "$@"; }

dbname="gs_relay_$$_$RANDOM"
psql "$GAINSLY_PG_ADMIN" -qAt -c "CREATE DATABASE $dbname" >/dev/null
trap 'psql "$GAINSLY_PG_ADMIN" -qAt -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
admin="$GAINSLY_PG_ADMIN dbname=$dbname"  # libpq: the last dbname wins
server sync setup --server "$admin" --json >/dev/null || fail "server setup"

# Device A: a user with a history (the sample user), in the device's own build.
device init --db a.db >/dev/null
device import --db a.db --format user "$root/examples/sample_user.json" >/dev/null || fail "import sample user"
uid=$(device show --db a.db users --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uid"])')
role="gs_relay_acct_$$"
GAINSLY_SYNC_PASSWORD=relay-secret server sync account --server "$admin" --user-uid "$uid" --role "$role" --json >/dev/null \
  || fail "account"
host=$(python3 -c 'import sys; print(" ".join(p for p in sys.argv[1].split() if p.split("=")[0] in ("host", "port")))' "$GAINSLY_PG_ADMIN")
account="$host dbname=$dbname user=$role password=relay-secret"

push_all() {  # device $1: carry batches until the outbox is empty
  local n=0
  while :; do
    device sync export-batch --db "$1" --user-uid "$uid" --batch 40 > batch.json || fail "export-batch"
    [ -s batch.json ] || break
    server sync push --server "$account" batch.json > ack.json || fail "push"
    device sync import-ack --db "$1" ack.json --json > status.json || fail "import-ack"
    n=$((n + 1)); [ $n -lt 100 ] || fail "the outbox never empties"
  done
  python3 -c 'import json,sys; s=json.load(open("status.json")); assert s["outbox"] == 0, s' || fail "outbox not empty after the acks"
}
pull_all() {  # device $1: carry requests and pages until the device is current
  local n=0
  while :; do
    device sync export-request --db "$1" --user-uid "$uid" > request.json || fail "export-request"
    server sync pull --server "$account" request.json > page.json || fail "pull"
    device sync import-page --db "$1" page.json --json > report.json || fail "import-page"
    python3 -c 'import json,sys; sys.exit(0 if json.load(open("report.json"))["more"] else 1)' || break
    n=$((n + 1)); [ $n -lt 100 ] || fail "pulling never ends"
  done
}
# What a user's rows say, without local ids (each file numbers its rows itself).
summary() {
  device export --db "$1" --user "$(device show --db "$1" users --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" --json \
    | python3 -c '
import json, sys
doc = json.load(sys.stdin)
keep = {t: sorted(json.dumps({k: v for k, v in r.items() if k not in ("id", "created_at", "updated_at")}, sort_keys=True) for r in rows)
        for t, rows in doc["tables"].items()}
print(json.dumps(keep, sort_keys=True))'
}

push_all a.db
device init --db b.db >/dev/null
pull_all b.db
[ "$(summary a.db)" = "$(summary b.db)" ] || fail "device B does not hold what device A pushed"

# An edit on B travels back to A; a replayed ack and a replayed page change nothing.
workout=$(device show --db b.db workout_logs --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
device log set --db b.db --user "$(device show --db b.db users --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" \
  --workout "$workout" --movement "Barbell Back Squat" --reps 2 --load 140 --rpe 9.5 >/dev/null || fail "log on B"
push_all b.db
device sync import-ack --db b.db ack.json >/dev/null || fail "a replayed ack must be accepted"
pull_all a.db
device sync import-page --db a.db page.json >/dev/null || fail "a replayed page must be accepted"
[ "$(summary a.db)" = "$(summary b.db)" ] || fail "device A does not hold B's set"
device show --db a.db top_set_logs --json | python3 -c 'import json,sys; assert any(r["load_kg"] == 140 for r in json.load(sys.stdin))' \
  || fail "B's 140 kg set is not on A"

# A broken document is refused with a status and a message, and changes nothing.
set +e
out=$(echo '{"rows": [' | device sync import-page --db a.db - 2>&1); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "GS_ERR_INVALID" || fail "a broken page: exit $rc: $out"
echo "sync relay: two devices converged through carried documents (device: ${emulator[*]:-native} $device_cli)"
