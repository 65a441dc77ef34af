#!/usr/bin/env python3
"""Checks that the Kotlin wrapper (bindings/kotlin/src/main) uses only APIs an Android app has at the
AAR's minSdkVersion (bindings/kotlin/android/AndroidManifest.xml). The jar is compiled and tested on a
desktop JVM, where java.awt, javax.swing, ProcessBuilder or java.lang.management compile and run
fine and would only fail on a phone; this check fails first.

Every package the sources name (imports and fully qualified names, outside comments and strings) must
be in ALLOWED with an API level at or below minSdk; a package not listed fails, so a new one is
looked up once (developer.android.com/reference) and added. Classes of java.lang need no import, so
the JVM-only ones are refused by name (JVM_ONLY).

usage: check_android_api.py [--self-test] [SOURCE_DIR] [MANIFEST]
"""
import pathlib
import re
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_SOURCES = HERE.parent / "kotlin" / "src" / "main"
DEFAULT_MANIFEST = HERE.parent / "kotlin" / "android" / "AndroidManifest.xml"

# package prefix -> the Android API level that has it (the longest matching prefix decides).
ALLOWED = {
    "kotlin": 1,  # the Kotlin standard library is packed into the app
    "org.json": 1,
    "java.io": 1,
    "java.util": 1,
    "java.util.concurrent": 1,
    "java.nio.charset": 1,
    "java.util.function": 24,
    "java.util.stream": 24,
    "java.nio.file": 26,
    "java.time": 26,
    "kotlin.io.path": 26,  # java.nio.file underneath
}
# Packages that no Android version has (an allowed prefix never wins over these).
REFUSED = ["java.awt", "java.applet", "java.beans", "java.lang.management", "java.rmi", "javax.swing",
           "javax.management", "javax.naming", "javax.script", "javax.tools", "javax.imageio", "javax.print",
           "javax.sound", "sun", "com.sun", "jdk"]
# java.lang classes (used without an import) that Android lacks or that cannot work in an app.
JVM_ONLY = ["ProcessBuilder", "ProcessHandle", "StackWalker", "ModuleLayer", "System.console",
            "Runtime.getRuntime().exec"]

PACKAGE_USE = re.compile(r"\b((?:java|javax|kotlin|org|android|sun|com|jdk)(?:\.[a-z][A-Za-z0-9_]*)+)")
COMMENT_OR_STRING = re.compile(r'//[^\n]*|/\*.*?\*/|"""(?:.|\n)*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                               re.S)


def min_sdk(manifest):
    m = re.search(r'android:minSdkVersion="(\d+)"', pathlib.Path(manifest).read_text())
    if not m:
        raise SystemExit(f"{manifest}: no android:minSdkVersion")
    return int(m.group(1))


def api_level(package):
    """The API level that has `package`, or None when Android has no such package."""
    for refused in REFUSED:
        if package == refused or package.startswith(refused + "."):
            return None
    best = max((p for p in ALLOWED if package == p or package.startswith(p + ".")), key=len, default=None)
    return ALLOWED[best] if best else None


def problems_in(name, text, sdk):
    code = COMMENT_OR_STRING.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    for lineno, line in enumerate(code.splitlines(), 1):
        for m in PACKAGE_USE.finditer(line):
            package = m.group(1)  # cut at the first capitalised name (the class)
            level = api_level(package)
            if level is None:
                found.append(f"{name}:{lineno}: {package} is not an Android API (or not listed in "
                             f"{pathlib.Path(__file__).name}'s ALLOWED)")
            elif level > sdk:
                found.append(f"{name}:{lineno}: {package} needs Android API {level}, minSdkVersion is {sdk}")
        for jvm in JVM_ONLY:
            if re.search(r"(?<![\w.])" + re.escape(jvm) + r"\b", line):
                found.append(f"{name}:{lineno}: {jvm} is JVM-only (Android apps have no such API)")
    return found


def check(sources, manifest):
    sdk = min_sdk(manifest)
    files = sorted(pathlib.Path(sources).rglob("*.kt"))
    if not files:
        raise SystemExit(f"{sources}: no Kotlin sources")
    problems = []
    for f in files:
        problems += problems_in(str(f), f.read_text(encoding="utf-8"), sdk)
    return sdk, len(files), problems


def self_test():
    """Each refused use is reported, and the allowed ones are not."""
    bad = {
        "import java.awt.Color": "java.awt",
        "import javax.swing.JFrame": "javax.swing",
        "val p = ProcessBuilder(\"ls\")": "ProcessBuilder",
        "val c = System.console()": "System.console",
        "import java.lang.management.ManagementFactory": "java.lang.management",
        "import java.time.LocalDate": "needs Android API 26",  # with minSdk 21 below
        "import org.apache.commons.Foo": "org.apache",
    }
    good = ["import java.util.concurrent.locks.ReentrantLock", "import org.json.JSONObject",
            "// java.awt in a comment", 'val s = "javax.swing in a string"', "val x = kotlin.math.abs(-1)"]
    with tempfile.TemporaryDirectory() as tmp:
        manifest = pathlib.Path(tmp) / "AndroidManifest.xml"
        manifest.write_text('<uses-sdk android:minSdkVersion="21" />')
        failures = []
        for line, expect in bad.items():
            src = pathlib.Path(tmp) / "src"
            src.mkdir(exist_ok=True)
            (src / "A.kt").write_text(f"package app.gainsly\n{line}\n")
            _, _, problems = check(src, manifest)
            if not any(expect in p for p in problems):
                failures.append(f"not refused: {line!r} (got {problems})")
        (src / "A.kt").write_text("package app.gainsly\n" + "\n".join(good) + "\n")
        _, _, problems = check(src, manifest)
        failures += [f"refused wrongly: {p}" for p in problems]
    for f in failures:
        print("self-test:", f)
    return not failures


def main(argv):
    if argv[1:2] == ["--self-test"]:
        if not self_test():
            return 1
        argv = argv[:1] + argv[2:]
    sources = argv[1] if len(argv) > 1 else DEFAULT_SOURCES
    manifest = argv[2] if len(argv) > 2 else DEFAULT_MANIFEST
    sdk, count, problems = check(sources, manifest)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{count} Kotlin files use only Android APIs available at minSdkVersion {sdk}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
