#!/usr/bin/env python3
"""Crash safety of the history import: SIGKILL `gainsly import --format strong` into a fresh copy of
a file at a random moment within the time a whole import takes (12 trials), then check that the file
passes PRAGMA integrity_check and holds either no imported set or all of them, every workout whole
(the import is one transaction), and that the import run again to its end gives every set once."""
import os, random, shutil, signal, sqlite3, subprocess, sys, time

gainsly, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
path = os.path.join(workdir, "import_crash.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
seed = int(os.environ.get("GAINSLY_SEED", time.time_ns() % 1_000_000))
rng = random.Random(seed)
print(f"seed {seed}")

# 500 workouts of 24 sets (6 exercises x 4) over about three years.
names = ["Bench Press (Barbell)", "Squat (Barbell)", "Deadlift (Barbell)", "Lat Pulldown (Cable)", "Bicep Curl (Dumbbell)",
         "Seated Row (Cable)", "Leg Press"]
rows = ["Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"]
for w in range(500):
    day = 1 + w * 2
    start = f"{2020 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 365) % 31 % 28:02d} {6 + w % 12:02d}:00:00"
    for e in range(6):
        for s in range(1, 5):
            rows.append(f'{start},"Day {w % 4}, full",1h,{names[(w + e) % len(names)]},{s},{60 + s * 5},5,,0,,,8')
csv = os.path.join(workdir, "history.csv")
with open(csv, "w") as f:
    f.write("\n".join(rows) + "\n")
total = 500 * 24

template = os.path.join(workdir, "import_template.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(template + suffix):
        os.remove(template + suffix)
subprocess.run([gainsly, "init", "--db", template], check=True, stdout=subprocess.DEVNULL)
user = os.path.join(workdir, "user.json")
with open(user, "w") as f:
    f.write('{"format": "gainsly.user-export", "format_version": 1, "schema_version": 1, "tables": {"users": '
            '[{"uid": "019ac000-0000-7000-8000-0000000000cc", "email": "crash@example.com"}]}}')
subprocess.run([gainsly, "import", "--db", template, "--format", "user", user], check=True, stdout=subprocess.DEVNULL)


def fresh():
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
        if os.path.exists(template + suffix):
            shutil.copyfile(template + suffix, path + suffix)

command = [gainsly, "import", "--db", path, "--user", "1", "--format", "strong", csv]


def check(trial):
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"trial {trial}: integrity_check failed (seed {seed})"
    n = db.execute("SELECT count(*) FROM top_set_logs").fetchone()[0]
    assert n in (0, total), f"trial {trial}: {n} of {total} sets after a kill: a partial import (seed {seed})"
    partial = db.execute("SELECT count(*) FROM (SELECT workout_log_id FROM top_set_logs GROUP BY workout_log_id "
                         "HAVING count(*) <> 24)").fetchone()[0]
    assert partial == 0, f"trial {trial}: {partial} workouts are not whole (seed {seed})"
    db.close()
    return n


fresh()
t0 = time.monotonic()
subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
whole = time.monotonic() - t0
kills = 0
for trial in range(12):
    fresh()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.0, whole))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        kills += 1
    proc.wait()
    check(trial)
subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
assert check("final") == total, f"the final import did not leave every set (seed {seed})"
print(f"import crash test OK: {kills} kills in 12 trials within the {whole:.2f} s of a whole import, then {total} sets once")
