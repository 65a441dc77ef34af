#!/usr/bin/env bash
# The demo: installs what is missing, builds, creates ./gainsly.db (schema + reference catalog),
# adds the sample user (examples/sample_user.json: rules, a mild elbow injury, weekly bouldering
# and three weeks of logged training), plans a 4-week program and prints it week by week, then
# logs the first week as prescribed and shows how fatigue and readiness moved.
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
