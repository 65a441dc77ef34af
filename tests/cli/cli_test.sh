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
"$gainsly" import --db t.db --format user "$root/examples/sample_user.json" --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["rows"] == 145' \
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

# Training: e1rm, log, fatigue.
"$gainsly" e1rm 100 5 --formula epley --json | python3 -c 'import json,sys; assert abs(json.load(sys.stdin)["e1rm"]["epley"] - 116.6667) < 1e-3' \
  || fail "e1rm --json"
"$gainsly" e1rm 100 5 --rpe 8 | grep -q "rpe chart" || fail "e1rm table"
squat=$("$gainsly" show --db t.db movements --json | python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin) if m["name"] == "Barbell Back Squat"][0])')
workout=$(echo "{\"workout_date\": \"2026-03-02\", \"sets\": [{\"movement_id\": $squat, \"reps\": 5, \"load_kg\": 100, \"rpe\": 8}]}" \
  | "$gainsly" log workout - --db t.db --user 1 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["state"]["muscle_fatigue"]["quadriceps"] == 8.0, d; print(d["workout_log_id"])') \
  || fail "log workout"
out=$("$gainsly" log set --db t.db --user 1 --workout "$workout" --movement "Barbell Back Squat" --reps 3 --load 110 --rpe 9)
echo "$out" | grep -q "e1RM 124.7" || fail "log set"
echo "$out" | grep -q "PR e1rm (movement $squat): 124.67 (was 123.33)" || fail "log set reports its e1RM record: $out"
echo '{"signal_date": "2026-03-03", "sleep_quality_score": 90}' | "$gainsly" log recovery - --db t.db --user 1 >/dev/null || fail "log recovery"
"$gainsly" fatigue --db t.db --user 1 --date 2026-03-03 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["readiness"]["score"] == 88.0 and 0 < d["muscle_fatigue"]["quadriceps"] < 16, d' \
  || fail "fatigue --json"
"$gainsly" fatigue --db t.db --user 1 --date 2026-03-03 --days 3 | grep -q "quadriceps" || fail "fatigue --days"
"$gainsly" log set --db t.db --user 1 --workout "$workout" --movement "Barbell Back Squat" --reps 3 --load 200 --set-type warmup | grep -q "PR" \
  && fail "a warm-up set must not report a record"
"$gainsly" prs --db t.db --user 1 --json | python3 -c '
import json,sys
d=json.load(sys.stdin); e=[r for r in d["records"] if r["record_type"] == "e1rm" and r["achieved_date"] == "2026-03-02"]
assert [r["value"] for r in e] == [124.67, 123.33] and [r["previous_value"] for r in e] == [123.33, None], d
assert d["records"][0]["current"] and d["records"][0]["achieved_date"] > "2026-03-02", d  # the sample history is later' || fail "prs --json"
"$gainsly" prs --db t.db --user 1 --movement "Barbell Back Squat" --recompute | grep -q "session_volume" || fail "prs table"
set +e
out=$("$gainsly" e1rm 100 40 2>&1); rc=$?
out2=$("$gainsly" log set --db t.db --user 1 --workout "$workout" --movement "Barbell Back Squat" --reps 5 --load -5 2>&1); rc2=$?
"$gainsly" fatigue --db t.db >/dev/null 2>&1; rc3=$?
out4=$("$gainsly" log set --db t.db --user 1 --workout "$workout" --movement "Barbell Back Squat" --reps 5 --load 50 --set-type easy 2>&1); rc4=$?
set -e
[ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q "reps:" || fail "e1rm bad reps: $rc $out"
[ $rc2 -eq 1 ] && echo "$out2" | grep -q "GS_ERR_INVALID: load_kg:" || fail "log set bad load: $rc2 $out2"
[ $rc3 -eq 2 ] || fail "fatigue without --user must exit 2 ($rc3)"
[ $rc4 -eq 1 ] && echo "$out4" | grep -q "GS_ERR_INVALID: set_type:" || fail "log set bad set type: $rc4 $out4"

# Planning: plan (table and --json), substitute (list and swap), log session, bad requests.
"$gainsly" plan --db t.db --user 1 --start 2026-11-30 --weeks 2 --days 3 --goals strength:6,hypertrophy:4 > plan.txt || fail "plan"
grep -q "^Week 2" plan.txt && grep -q "hard constraints: 12 of 12 hold" plan.txt || fail "plan output: $(head -5 plan.txt)"
program=$("$gainsly" plan --db t.db --user 1 --start 2026-11-30 --weeks 1 --days 2 --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(c["ok"] for c in d["hard_constraints"]); print(d["program_id"])') || fail "plan --json"
row=$("$gainsly" show --db t.db session_exercises --json | python3 -c "import json,sys; print([r['id'] for r in json.load(sys.stdin) if r['role'] == 'accessory'][-1])")
alt=$("$gainsly" substitute "$row" --db t.db --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["substitutes"][0]["movement_id"])') || fail "substitute list"
"$gainsly" substitute "$row" "$alt" --db t.db >/dev/null || fail "substitute swap"
[ "$("$gainsly" show --db t.db session_exercises --json | python3 -c "import json,sys; print([r['movement_id'] for r in json.load(sys.stdin) if r['id'] == $row][0])")" = "$alt" ] \
  || fail "substitute did not swap"
session=$("$gainsly" show --db t.db sessions --json | python3 -c "import json,sys; print([s['id'] for s in json.load(sys.stdin) if s['program_id'] == $program][0])")
"$gainsly" log session "$session" --db t.db --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["sets"]) > 0 and d["state"]["systemic_fatigue"] > 0, d' \
  || fail "log session"
# --search-nodes sizes the search deterministically: the same request plans the same program twice.
objective() { "$gainsly" plan --db t.db --user 1 --start 2026-11-30 --weeks 2 --days 4 --seed 7 --search-nodes 2500 --time-limit 600000 --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert not d["time_limit_hit"]; print(d["objective"]["value"], d["nodes"])'; }
first=$(objective) && second=$(objective) && [ "$first" = "$second" ] || fail "plan --search-nodes: '$first' then '$second'"
set +e
"$gainsly" plan --db t.db --user 1 --search-nodes 0 >/dev/null 2>&1; rc4=$?
out=$("$gainsly" plan --db t.db --user 1 --goals strength:6,hypertrophy:3 2>&1); rc=$?
out2=$("$gainsly" plan --db t.db --user 999 2>&1); rc2=$?
"$gainsly" plan --db t.db --user 1 --days 8 >/dev/null 2>&1; rc3=$?
set -e
[ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q "GS_ERR_INVALID: goals" || fail "plan bad weights: $rc $out"
[ $rc2 -eq 1 ] && echo "$out2" | grep -q "GS_ERR_NOT_FOUND" || fail "plan unknown user: $rc2 $out2"
[ $rc3 -eq 2 ] || fail "plan --days 8 must exit 2 ($rc3)"
[ $rc4 -eq 2 ] || fail "plan --search-nodes 0 must exit 2 ($rc4)"

# History from Strong and Hevy: import (report, bad line, unmatched name), a mapping re-run, the
# idempotent re-import, export with Strong's columns, and that export imported into a fresh file
# exports the same text again.
data="$root/tests/data/history"
echo '{"format": "gainsly.user-export", "format_version": 1, "schema_version": 1, "tables": {"users": [{"uid": "019ac000-0000-7000-8000-0000000000aa", "email": "h@example.com"}]}}' > h_user.json
"$gainsly" init --db h.db >/dev/null
"$gainsly" import --db h.db --user 1 --format strong "$data/strong.csv" >/dev/null 2>&1 && fail "import for a missing user must fail"
"$gainsly" import --db h.db --format user h_user.json >/dev/null || fail "history user"
"$gainsly" import --db h.db --user 1 --format strong "$data/strong.csv" > h1.txt || fail "import strong"
grep -q "^sets: 8 imported, 0 already there" h1.txt && grep -q '^unmatched: "Zottman Curl"' h1.txt && grep -q "^line 10: Weight" h1.txt \
  && grep -q '^fuzzy: "Barbell Bench Pres" -> Barbell Bench Press' h1.txt || fail "import strong report: $(cat h1.txt)"
hammer=$("$gainsly" show --db h.db movements --json | python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin) if m["name"] == "Hammer Curl"][0])')
echo "{\"Zottman Curl\": $hammer}" > mapping.json
"$gainsly" import --db h.db --user 1 --format strong "$data/strong.csv" --mapping mapping.json --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["sets"] == {"imported": 1, "existing": 8} and not d["unmatched"], d' || fail "import mapping"
"$gainsly" import --db h.db --user 1 --format hevy "$data/hevy.csv" --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["sets"]["imported"] == 7 and d["errors"][0]["line"] == 8, d' || fail "import hevy"
"$gainsly" import --db h.db --user 1 --format hevy "$data/hevy.csv" --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["sets"] == {"imported": 0, "existing": 7}, d' || fail "re-import hevy"
"$gainsly" export --db h.db --user 1 --format strong --out h_out.csv 2>/dev/null || fail "export strong"
head -1 h_out.csv | grep -qx "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE" \
  || fail "export header: $(head -1 h_out.csv)"
"$gainsly" init --db h2.db >/dev/null && "$gainsly" import --db h2.db --format user h_user.json >/dev/null
"$gainsly" import --db h2.db --user 1 --format strong h_out.csv >/dev/null || fail "import the export"
"$gainsly" export --db h2.db --user 1 --format strong > h2_out.csv || fail "export again"
cmp -s h_out.csv h2_out.csv || fail "export, import, export differs: $(diff h_out.csv h2_out.csv | head -5)"

# Sync without a server: status works, a missing --server is a usage error, an unreachable one a one-line error.
"$gainsly" sync status --db t.db --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["outbox"] > 0, d' || fail "sync status"
set +e
"$gainsly" sync --db t.db >/dev/null 2>&1; rc=$?
out=$("$gainsly" sync --db t.db --server "host=127.0.0.1 port=1 dbname=x user=u password=secret-pw-1 connect_timeout=2" 2>&1); rc2=$?
set -e
[ $rc -eq 2 ] || fail "sync without --server must exit 2 ($rc)"
[ $rc2 -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && ! echo "$out" | grep -q "secret-pw-1" || fail "sync unreachable: $rc2 $out"
# Progress: trends and load, goals and the weekly check-in (once per week), the weekly summary.
"$gainsly" progress --db t.db --user 1 --from 2026-02-23 --to 2026-03-08 --json | python3 -c '
import json,sys; d=json.load(sys.stdin)
sq=[m for m in d["movements"] if m["name"] == "Barbell Back Squat"][0]
assert sq["history"][-1] == {"date": "2026-03-02", "e1rm": 124.67}, sq
assert len(d["load"]["days"]) == 14 and d["load"]["days"][7]["load"] > 0, d["load"]' || fail "progress --json"
"$gainsly" progress --db t.db --user 1 --from 2026-02-23 --to 2026-03-08 | grep -q "^Training load, last 7 days" || fail "progress table"
"$gainsly" goals checkin --db t.db --user 1 --date 2026-03-04 --json >/dev/null || fail "goals checkin"
n1=$("$gainsly" show --db t.db goal_checkins --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$gainsly" goals checkin --db t.db --user 1 --date 2026-03-05 >/dev/null || fail "goals checkin again"
n2=$("$gainsly" show --db t.db goal_checkins --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n1" = "$n2" ] || fail "a second check-in in the week added rows ($n1 -> $n2)"
"$gainsly" goals --db t.db --user 1 --date 2026-03-05 >/dev/null || fail "goals"
"$gainsly" summary --db t.db --user 1 --date 2026-03-04 --json | python3 -c '
import json,sys; d=json.load(sys.stdin); assert d["week_start"] == "2026-03-02" and d["sessions"]["unplanned"] >= 1 and d["text"], d' \
  || fail "summary --json"
[ -n "$("$gainsly" summary --db t.db --user 1 --date 2026-03-04)" ] || fail "summary text"
set +e
out=$("$gainsly" progress --db t.db --user 1 --from 2026-03-09 --to 2026-03-01 2>&1); rc=$?
out2=$("$gainsly" summary --db t.db --user 999 2>&1); rc2=$?
"$gainsly" progress --db t.db --user 1 --from 2026-02-30 >/dev/null 2>&1; rc3=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "GS_ERR_INVALID: from:" || fail "progress reversed range: $rc $out"
[ $rc2 -eq 1 ] && echo "$out2" | grep -q "GS_ERR_NOT_FOUND: user_id:" || fail "summary unknown user: $rc2 $out2"
[ $rc3 -eq 2 ] || fail "progress --from 2026-02-30 must exit 2 ($rc3)"
# The plan reacts: a ride adds fatigue; adapt makes the next session lighter on a red day and says why.
"$gainsly" log activity --db t.db --user 1 --date 2026-11-29 --activity cycling --minutes 180 --intensity 8 --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["activity"] == "Cycling" and d["state"]["muscle_fatigue"]["quadriceps"] >= 96, d' \
  || fail "log activity"
next=$("$gainsly" show --db t.db sessions --json | python3 -c "import json,sys; print(sorted((s['date'], s['id']) for s in json.load(sys.stdin) if s['program_id'] == $program)[1][0])")
echo "{\"signal_date\": \"$next\", \"sleep_quality_score\": 30}" | "$gainsly" log recovery - --db t.db --user 1 >/dev/null
echo "{\"log_date\": \"$next\", \"body_part\": \"lower_back\", \"severity\": 8}" | "$gainsly" log soreness - --db t.db --user 1 >/dev/null
"$gainsly" adapt --db t.db --program "$program" --date "$next" --sessions 1 --json | python3 -c '
import json,sys; d=json.load(sys.stdin)
assert d["readiness"]["red"] and d["changed"] > 0, d
assert all(c["action"] in ("lighter", "swapped") and c["reasons"][0].startswith("readiness") for c in d["changes"]), d' || fail "adapt --json"
"$gainsly" adapt --db t.db --program "$program" --date "$next" --sessions 1 | grep -q "unchanged" || fail "adapt again changes nothing"
set +e
out=$("$gainsly" adapt --db t.db --program 98765 2>&1); rc=$?
out2=$("$gainsly" log activity --db t.db --user 1 --activity cycling --minutes 0 2>&1); rc2=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "GS_ERR_NOT_FOUND: program_id:" || fail "adapt unknown program: $rc $out"
[ $rc2 -eq 1 ] && echo "$out2" | grep -q "GS_ERR_INVALID: activity.duration_minutes:" || fail "log activity bad minutes: $rc2 $out2"
# ingest: a provider's payload stored once; a second run changes nothing; a bad account is refused
python3 -c '
import sqlite3; db = sqlite3.connect("t.db")
db.execute("INSERT INTO external_provider_accounts(uid, user_id, provider_type) VALUES (\"019ac000-0000-7000-8000-0000000001aa\", 1, \"oura\")")
db.commit()'
acc=$(python3 -c 'import sqlite3; print(sqlite3.connect("t.db").execute("SELECT max(id) FROM external_provider_accounts").fetchone()[0])')
"$gainsly" ingest --db t.db --provider oura --account "$acc" "$root/tests/data/ingest/oura.json" | grep -q "succeeded  records 8: 8 new" || fail "ingest"
"$gainsly" ingest --db t.db --account "$acc" --json "$root/tests/data/ingest/oura.json" | python3 -c '
import json,sys; d=json.load(sys.stdin); assert d["status"] == "succeeded" and d["inserted"] == 0 and d["unchanged"] == 8, d' || fail "ingest twice"
set +e
out=$("$gainsly" ingest --db t.db --provider whoop --account "$acc" "$root/tests/data/ingest/oura.json" 2>&1); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "request.provider" || fail "ingest with the wrong provider: $rc $out"
echo "cli OK"
