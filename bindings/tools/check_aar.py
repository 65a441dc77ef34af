#!/usr/bin/env python3
"""Checks an Android library archive made by scripts/package-aar.sh: the entries an AAR needs are
there (AndroidManifest.xml with the package and a minSdkVersion, classes.jar holding the wrapper's
classes but not the Kotlin standard library, proguard.txt, R.txt) and every jni/<abi>/*.so is a shared
library for that ABI: its ELF header's class (32/64-bit), byte order and machine are the ABI's, and it
defines JNI_OnLoad (the natives are bound there).

usage: check_aar.py AAR ABI...      (e.g. arm64-v8a armeabi-v7a x86_64: the ABIs that must be present)
       check_aar.py --self-test     (the check refuses archives built wrong)
"""
import io
import re
import struct
import sys
import zipfile

# ABI -> (ELF class: 1 = 32-bit, 2 = 64-bit; e_machine), all little-endian.
ABIS = {
    "arm64-v8a": (2, 183, "AArch64"),
    "armeabi-v7a": (1, 40, "ARM"),
    "x86_64": (2, 62, "x86-64"),
    "x86": (1, 3, "i386"),
}
MACHINE_NAMES = {m: n for _, m, n in ABIS.values()}
JNI_LIBRARY = "libgainsly_jni.so"
WRAPPER_CLASSES = ["app/gainsly/Database.class", "app/gainsly/Native.class", "app/gainsly/GainslyException.class"]


def elf_problems(name, data, abi):
    """What is wrong with `data` as the shared library of `abi` (empty when nothing)."""
    if len(data) < 20 or data[:4] != b"\x7fELF":
        return [f"{name}: not an ELF file"]
    want_class, want_machine, want_name = ABIS[abi]
    elf_class, byte_order = data[4], data[5]
    if byte_order != 1:
        return [f"{name}: big-endian, {abi} is little-endian"]
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    found = []
    if e_machine != want_machine:
        found.append(f"{name}: machine {MACHINE_NAMES.get(e_machine, e_machine)}, {abi} needs {want_name}")
    if elf_class != want_class:
        found.append(f"{name}: {32 * elf_class}-bit ELF, {abi} is {32 * want_class}-bit")
    if e_type != 3:
        found.append(f"{name}: ELF type {e_type}, not a shared library (3)")
    if b"JNI_OnLoad\0" not in data:
        found.append(f"{name}: no JNI_OnLoad symbol")
    return found


def problems(aar, abis):
    try:
        z = zipfile.ZipFile(aar)
    except (OSError, zipfile.BadZipFile) as e:
        return [f"{aar}: {e}"]
    names = set(z.namelist())
    found = [f"missing entry {n}" for n in ("AndroidManifest.xml", "classes.jar", "proguard.txt", "R.txt")
             if n not in names]
    if "AndroidManifest.xml" in names:
        manifest = z.read("AndroidManifest.xml").decode()
        if not re.search(r'<manifest[^>]*package="app\.gainsly"', manifest):
            found.append("AndroidManifest.xml: package is not app.gainsly")
        if not re.search(r'android:minSdkVersion="\d+"', manifest):
            found.append("AndroidManifest.xml: no minSdkVersion")
    if "classes.jar" in names:
        classes = set(zipfile.ZipFile(io.BytesIO(z.read("classes.jar"))).namelist())
        found += [f"classes.jar: missing {c}" for c in WRAPPER_CLASSES if c not in classes]
        if any(c.startswith(("kotlin/", "org/json/")) for c in classes):
            found.append("classes.jar: carries the Kotlin standard library or org.json (the app has them)")
    for abi in abis:
        if f"jni/{abi}/{JNI_LIBRARY}" not in names:
            found.append(f"missing entry jni/{abi}/{JNI_LIBRARY}")
    for name in sorted(names):
        m = re.fullmatch(r"jni/([^/]+)/[^/]+\.so", name)
        if name.startswith("jni/") and not m:
            found.append(f"{name}: jni/ holds only jni/<abi>/<library>.so")
        elif m and m.group(1) not in ABIS:
            found.append(f"{name}: {m.group(1)} is not an Android ABI")
        elif m:
            found += elf_problems(name, z.read(name), m.group(1))
    return found


def fake_elf(elf_class, machine, e_type=3):
    header = b"\x7fELF" + bytes([elf_class, 1, 1]) + bytes(9) + struct.pack("<HH", e_type, machine)
    return header + bytes(64) + b"JNI_OnLoad\0"


def fake_aar(libs, drop=(), manifest='<manifest package="app.gainsly"><uses-sdk android:minSdkVersion="26"/></manifest>',
             extra_classes=()):
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as j:
        for c in WRAPPER_CLASSES + list(extra_classes):
            j.writestr(c, b"\xca\xfe\xba\xbe")
    out = io.BytesIO()
    entries = {"AndroidManifest.xml": manifest.encode(), "classes.jar": jar.getvalue(), "proguard.txt": b"",
               "R.txt": b"", **libs}
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            if name not in drop:
                z.writestr(name, data)
    out.seek(0)
    return out


def self_test():
    abis = list(ABIS)
    good = {f"jni/{abi}/{JNI_LIBRARY}": fake_elf(c, m) for abi, (c, m, _) in ABIS.items()}
    cases = {
        "a correct archive": (fake_aar(good), None),
        "arm64 and armv7 libraries swapped": (fake_aar({**good, f"jni/arm64-v8a/{JNI_LIBRARY}": fake_elf(1, 40)}),
                                              "machine ARM, arm64-v8a needs AArch64"),
        "an x86-64 library in the arm64 folder": (fake_aar({**good, f"jni/arm64-v8a/{JNI_LIBRARY}": fake_elf(2, 62)}),
                                                  "machine x86-64, arm64-v8a needs AArch64"),
        "a 64-bit ARM header in armeabi-v7a": (fake_aar({**good, f"jni/armeabi-v7a/{JNI_LIBRARY}": fake_elf(2, 40)}),
                                               "64-bit ELF, armeabi-v7a is 32-bit"),
        "an executable, not a library": (fake_aar({**good, f"jni/x86_64/{JNI_LIBRARY}": fake_elf(2, 62, 2)}),
                                         "not a shared library"),
        "no manifest": (fake_aar(good, drop=("AndroidManifest.xml",)), "missing entry AndroidManifest.xml"),
        "no minSdk": (fake_aar(good, manifest='<manifest package="app.gainsly"/>'), "no minSdkVersion"),
        "an ABI missing": (fake_aar(good, drop=(f"jni/x86_64/{JNI_LIBRARY}",)), f"missing entry jni/x86_64/{JNI_LIBRARY}"),
        "a misspelt ABI folder": (fake_aar({**good, f"jni/arm64/{JNI_LIBRARY}": fake_elf(2, 183)}), "not an Android ABI"),
        "the Kotlin stdlib in classes.jar": (fake_aar(good, extra_classes=["kotlin/Unit.class"]), "Kotlin standard library"),
    }
    failures = []
    for what, (aar, expect) in cases.items():
        got = problems(aar, abis)
        if expect is None and got:
            failures.append(f"{what}: refused: {got}")
        elif expect is not None and not any(expect in p for p in got):
            failures.append(f"{what}: not refused with '{expect}' (got {got})")
    for f in failures:
        print("self-test:", f)
    if not failures:
        print(f"self-test: {len(cases)} archives judged right")
    return not failures


def main(argv):
    if argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    unknown = [a for a in argv[2:] if a not in ABIS]
    if unknown:
        print(f"unknown ABI {unknown}; known: {list(ABIS)}", file=sys.stderr)
        return 2
    found = problems(argv[1], argv[2:])
    for p in found:
        print(f"{argv[1]}: {p}")
    if found:
        return 1
    print(f"{argv[1]}: layout and ELF headers right for {', '.join(argv[2:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
