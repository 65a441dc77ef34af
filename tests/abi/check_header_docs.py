#!/usr/bin/env python3
"""Fails when a declaration of the public header lacks its Doxygen comment.

Checked: every #define (except the include guard), every typedef, every field of a struct, and
every GS_API function. A declaration is documented by a /** ... */ block right before it (blank
lines, #if/#else/#endif lines in between are allowed) or a /**< ... */ comment on its own line.
A function's comment must also state its thread-safety ("Thread-safety" or "thread-safe"), and,
when the function returns memory through a char** parameter, who frees it (it names gs_string_free).

Usage: check_header_docs.py include/gainsly/gainsly.h
"""
import re
import sys

CONDITIONAL = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b")


def doc_before(lines, i, macro=None):
    """The /** ... */ comment ending right before line i (skipping blanks and conditionals, and for
    a macro its other definitions in the same #if chain), or None."""
    j = i - 1
    while j >= 0 and (not lines[j].strip() or CONDITIONAL.match(lines[j]) or
                      (macro and re.match(r"\s*#\s*define\s+" + macro + r"\b", lines[j]))):
        j -= 1
    if j < 0 or not lines[j].rstrip().endswith("*/"):
        return None
    end = j
    while j >= 0 and "/*" not in lines[j]:
        j -= 1
    if j < 0:
        return None
    start = lines[j][lines[j].index("/*"):]
    if not start.startswith("/**") or start.startswith("/**<"):
        return None
    return "\n".join(lines[j:end + 1])


def trailing_doc(line):
    m = re.search(r"/\*\*<(.*?)\*/", line)
    return m.group(1) if m else None


def main(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    problems = []
    guard = None
    in_struct = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        where = f"{path}:{i + 1}"
        m = re.match(r"#\s*ifndef\s+(\w+)", stripped)
        if m and guard is None:
            guard = m.group(1)
        m = re.match(r"#\s*define\s+(\w+)", stripped)
        if m and m.group(1) != guard:
            if trailing_doc(line) is None and doc_before(lines, i, m.group(1)) is None:
                problems.append(f"{where}: macro {m.group(1)} has no doc comment")
        elif stripped.startswith("typedef"):
            name = re.findall(r"\w+", stripped)[2] if len(re.findall(r"\w+", stripped)) > 2 else stripped
            if trailing_doc(line) is None and doc_before(lines, i) is None:
                problems.append(f"{where}: typedef {name} has no doc comment")
            in_struct = stripped.endswith("{")
        elif in_struct:
            if stripped.startswith("}"):
                in_struct = False
            elif stripped and not stripped.startswith(("/*", "*")) and stripped.endswith(";"):
                if trailing_doc(line) is None and doc_before(lines, i) is None:
                    problems.append(f"{where}: field '{stripped}' has no doc comment")
        elif stripped.startswith("GS_API"):
            def code(text):
                return re.sub(r"/\*.*?\*/", "", text).strip()
            decl = code(stripped)
            k = i
            while not decl.endswith(";") and k + 1 < len(lines):
                k += 1
                decl += " " + code(lines[k])
            name = re.search(r"(\w+)\s*\(", decl)
            name = name.group(1) if name else decl
            doc = trailing_doc(line) or doc_before(lines, i)
            if doc is None:
                problems.append(f"{where}: function {name} has no doc comment")
            else:
                if not re.search(r"thread-safe|thread-safety", doc, re.I):
                    problems.append(f"{where}: the comment of {name} does not state its thread-safety")
                if re.search(r"char\s*\*\*", decl) and "gs_string_free" not in doc:
                    problems.append(f"{where}: the comment of {name} does not say who frees its char** result (gs_string_free)")
        i += 1
    for p in problems:
        print(p)
    print(f"{path}: {len(problems)} undocumented declaration(s)" if problems else f"{path}: every declaration documented")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "include/gainsly/gainsly.h"))
