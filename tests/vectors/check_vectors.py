#!/usr/bin/env python3
"""Checks that the expected values written in the math tests are the independent reference values.

The tests cite a vector beside each constant (`CHECK(x == near(24.0));  // vectors: fatigue.quads.day0`).
This runs math_vectors.py, finds every cited vector in the given test files, and fails when a cited
name is unknown or when the constant on that line (or the value after `=` in the comment) differs
from the script's value. Names written as patterns (`e1rm.<formula>.r5`) are not checked here.
"""
import io
import math
import pathlib
import re
import runpy
import sys
from contextlib import redirect_stdout

here = pathlib.Path(__file__).resolve().parent
with redirect_stdout(io.StringIO()):
    vectors = runpy.run_path(str(here / "math_vectors.py"))["out"]

number = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
cite = re.compile(r"//\s*vectors:\s*([A-Za-z0-9_.]+)(.*)$")
literal = re.compile(r"(?:==\s*(?:near\()?|Approx\()(" + number + r")")
comment_value = re.compile(r"^\s*=\s*(" + number + r")\s*$")

checked, failures = 0, []
for path in sys.argv[1:]:
    for lineno, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        m = cite.search(line)
        if not m or "<" in m.group(0):
            continue
        name, rest = m.group(1).rstrip("."), m.group(2)
        where = f"{pathlib.Path(path).name}:{lineno}"
        if name not in vectors:
            failures.append(f"{where}: cites '{name}', which math_vectors.py does not define")
            continue
        code = line[: m.start()]
        found = comment_value.match(rest) or literal.search(code)
        if not found:
            continue  # the constant is elsewhere (a table, a loop); the name was still checked
        written, want = float(found.group(1)), vectors[name]
        # Constants are written with 9-12 significant digits, or rounded where the comment says so.
        tol = max(1e-6, abs(want) * 1e-6) if comment_value.match(rest) is None else 10 ** -(len(found.group(1).split(".")[-1]))
        if not math.isclose(written, want, rel_tol=0, abs_tol=tol):
            failures.append(f"{where}: {name} is written as {written}, math_vectors.py gives {want:.12g}")
        checked += 1

for f in failures:
    print(f)
print(f"{checked} constants compared with math_vectors.py, {len(failures)} differences")
if checked < 40:
    print("too few cited constants found: the citation format of the tests changed?")
    sys.exit(1)
sys.exit(1 if failures else 0)
