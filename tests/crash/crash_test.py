#!/usr/bin/env python3
"""Crash safety: SIGKILL a writer process at random moments (40 trials), then check that the file
passes PRAGMA integrity_check, that every transaction the writer reported committed is there in
full (1 user + 20 sets), and that no partial transaction exists."""
import os, random, signal, sqlite3, subprocess, sys, time

writer, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
path = os.path.join(workdir, "crash.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
seed = int(os.environ.get("GAINSLY_SEED", time.time_ns() % 1_000_000))
rng = random.Random(seed)
print(f"seed {seed}")
committed = set()
next_tx = 1
for trial in range(40):
    proc = subprocess.Popen([writer, path, str(next_tx)], stdout=subprocess.PIPE, text=True)
    time.sleep(rng.uniform(0.02, 0.4))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    for line in out.split():
        committed.add(int(line))
    next_tx = max(committed | {next_tx}) + 1000  # fresh tags for the next writer
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"trial {trial}: integrity_check failed (seed {seed})"
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'users'").fetchone()[0] == 0:
        # killed before the first open finished creating the schema (a loaded machine): nothing was
        # committed yet, and the next writer must create the schema in the same file
        assert not committed, f"trial {trial}: the schema vanished after commits (seed {seed})"
        db.close()
        continue
    users = {name: uid for uid, name in db.execute("SELECT id, name FROM users")}
    for tx in committed:
        assert f"tx{tx}" in users, f"trial {trial}: committed transaction {tx} lost (seed {seed})"
    for name, uid in users.items():
        n = db.execute("SELECT count(*) FROM top_set_logs WHERE user_id = ?", (uid,)).fetchone()[0]
        assert n == 20, f"trial {trial}: transaction {name} is partial: {n} of 20 sets (seed {seed})"
    db.close()
print(f"crash test OK: 40 kills, {len(committed)} committed transactions verified")
