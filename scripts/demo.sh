#!/usr/bin/env bash
# The demo: installs what is missing, builds, creates ./gainsly.db (schema + reference catalog),
# adds the sample user (examples/sample_user.json: rules, a mild elbow injury, weekly bouldering
# and three weeks of logged training) and the 14 weeks before them as exported from Strong
# (examples/sample_history_strong.csv), plans a 4-week program from that history and prints it week
# by week, then logs the first week as prescribed and shows how fatigue and readiness moved; it
# ends with the week's summary.
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$GAINSLY_ROOT/scripts/lib/deps.sh"
gainsly_install_missing "${gainsly_packages[@]}"
build=${GAINSLY_DEMO_BUILD_DIR:-$GAINSLY_ROOT/build-release}
gainsly_build "$build" -DCMAKE_BUILD_TYPE=MinSizeRel -DGAINSLY_BUILD_TESTS=OFF -DGAINSLY_BUILD_BINDINGS=OFF >/dev/null
gainsly="$build/examples/gainsly"
db=${GAINSLY_DEMO_DB:-./gainsly.db}
start=2026-11-30  # a fixed Monday, so the demo prints the same plan every time

rm -f "$db" "$db-wal" "$db-shm"
echo "== gainsly init"
"$gainsly" init --db "$db"
echo
echo "== gainsly import --format user examples/sample_user.json"
"$gainsly" import --db "$db" --format user "$GAINSLY_ROOT/examples/sample_user.json"
echo
echo "== gainsly import --format strong examples/sample_history_strong.csv: 14 weeks logged in Strong before that"
"$gainsly" import --db "$db" --format strong --user 1 "$GAINSLY_ROOT/examples/sample_history_strong.csv" \
  | awk '/ skipped: /{ if (!n++) print; next } { print } END { if (n > 1) print "... and " n - 1 " more plank rows skipped the same way" }'
echo
echo "== gainsly plan: 4 weeks from $start, 4 days a week, 60 minutes, strength 6 / hypertrophy 4"
"$gainsly" plan --db "$db" --user 1 --name "Demo block" --start "$start" --weeks 4 --days 4 --minutes 60 \
  --goals strength:6,hypertrophy:4 --seed 1
echo
echo "== week 1 logged as prescribed (gainsly log session), with sleep / HRV / resting HR each morning"
for i in 0 1 2 3 4 5 6; do  # the morning signals first, so each logged session sees its day's readiness
  day=$(date -u -d "$start + $i day" +%F)
  sleep=$((86 - 9 * (i % 3))) hrv=$((64 - 3 * (i % 4))) hr=$((53 + i % 3))  # a short night and a dip in HRV mid-week
  echo "{\"signal_date\": \"$day\", \"sleep_quality_score\": $sleep, \"hrv_score\": $hrv, \"resting_heart_rate\": $hr}" \
    | "$gainsly" log recovery - --db "$db" --user 1 >/dev/null
done
sessions=$("$gainsly" show --db "$db" sessions --json \
  | python3 -c 'import json,sys; print(" ".join(str(s["id"]) for s in json.load(sys.stdin) if s["microcycle_id"] == 1))')
for s in $sessions; do
  "$gainsly" log session "$s" --db "$db" --json \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["workout_date"], "session logged:", len(d["sets"]), "sets; readiness that day", d["state"]["readiness"]["score"])'
done
echo
echo "== gainsly fatigue: the week day by day"
"$gainsly" fatigue --db "$db" --user 1 --date "$(date -u -d "$start + 6 day" +%F)" --days 7
echo
echo "== gainsly fatigue: the day after week 1"
"$gainsly" fatigue --db "$db" --user 1 --date "$(date -u -d "$start + 7 day" +%F)"

# Sync: to the PostgreSQL in GAINSLY_DEMO_PG (an admin conninfo) or, when PostgreSQL 15 is
# installed here, a throw-away server on loopback; then a second device file pulls the same data.
if [ -z "${GAINSLY_DEMO_PG:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ] && [ "${GAINSLY_DEMO_SYNC:-1}" = 1 ]; then
  source "$GAINSLY_ROOT/scripts/lib/pg.sh"
  pg_start >/dev/null
  GAINSLY_DEMO_PG=$GAINSLY_PG_ADMIN
fi
if [ -n "${GAINSLY_DEMO_PG:-}" ]; then
  echo
  echo "== gainsly sync setup (server schema, change log, row-level security)"
  "$gainsly" sync setup --server "$GAINSLY_DEMO_PG" | grep -E "schema_version|created|migrated" || true
  uid=$("$gainsly" show --db "$db" users --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uid"])')
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  GAINSLY_SYNC_PASSWORD=$password "$gainsly" sync account --server "$GAINSLY_DEMO_PG" --user-uid "$uid" --role gainsly_demo_sam >/dev/null
  device=$(python3 - "$GAINSLY_DEMO_PG" "$password" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split())
parts.update(user="gainsly_demo_sam", password=sys.argv[2])
print(" ".join(f"{k}={v}" for k, v in parts.items()))
PY
)
  echo "== gainsly sync (this device, as the account's own login role)"
  "$gainsly" sync --db "$db" --server "$device" | grep -E "^(pushed|pulled|conflicts|duration_ms)"
  second="${db%.db}-device2.db"
  rm -f "$second" "$second-wal" "$second-shm"
  echo "== a second device: gainsly sync --db $second"
  "$gainsly" sync --db "$second" --server "$device" --user-uid "$uid" | grep -E "^(pushed|pulled|initial_pull_complete)"
  echo "== the second device holds the same program"
  "$gainsly" show --db "$second" summary | grep -E "^program|^sessions|^session_exercises|^top_set_logs"
  "$gainsly" show --db "$second" program 1 | sed -n 1,12p
fi

# Progress: what week 1 did to trends and load, the goal check-in, and the weekly summary.
week_end=$(date -u -d "$start + 6 day" +%F)
echo
echo "== gainsly progress: e1RM trends, the week's sets against the windows, training load (to $week_end)"
"$gainsly" progress --db "$db" --user 1 --from "$(date -u -d "$start - 21 day" +%F)" --to "$week_end"
echo
echo "== gainsly goals checkin: the long-term goal (a 140 kg squat) and the program's goals"
"$gainsly" goals checkin --db "$db" --user 1 --date "$week_end" --target 140 --movement "Barbell Back Squat"

# The plan reacts: a long hard ride the day before week 2's first leg session and a bad night
# before it; gainsly adapt makes that session lighter (most on what the ride tired) and says why.
next=$("$gainsly" show --db "$db" sessions --json | python3 -c '
import json, sys
legs = sorted((s["date"], s["id"]) for s in json.load(sys.stdin)
              if s["microcycle_id"] == 2 and s["session_type"] in ("lower", "legs", "full_body"))
print(legs[0][1], legs[0][0])')
next_id=${next% *} next_day=${next#* }
ride_day=$(date -u -d "$next_day - 1 day" +%F)
echo
echo "== the plan reacts: a 3-hour hard ride on $ride_day (gainsly log activity) and a bad night before $next_day"
"$gainsly" log activity --db "$db" --user 1 --date "$ride_day" --activity cycling --minutes 180 --intensity 8 | sed -n 1,3p
echo "{\"signal_date\": \"$next_day\", \"sleep_quality_score\": 30, \"hrv_score\": 41, \"resting_heart_rate\": 62}" \
  | "$gainsly" log recovery - --db "$db" --user 1 >/dev/null
echo
echo "== gainsly adapt: session $next_id on $next_day"
"$gainsly" adapt --db "$db" --program 1 --date "$next_day" --sessions 1
echo
echo "== the lighter session as the app shows it, with its notes (gainsly show session $next_id)"
"$gainsly" show --db "$db" session "$next_id"
"$gainsly" show --db "$db" session "$next_id" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("coach notes:", s["coach_notes"])
for e in s["exercises"]:
    if "[Adapted" in (e["notes"] or ""):
        print(" -", e["notes"])'

# Last, the week as the lifter reads it: what week 1 did, in the user's persona tone.
echo
echo "== gainsly summary: week 1 in the user's persona tone"
"$gainsly" summary --db "$db" --user 1 --date "$week_end"
