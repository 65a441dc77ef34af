#!/usr/bin/env bash
# Assembles the Android library archive gainsly.aar from builds made by the same CMake:
#   AndroidManifest.xml   bindings/kotlin/android/ (package app.gainsly, minSdkVersion 26 for java.time)
#   classes.jar           the Kotlin wrapper compiled by kotlinc (-jvm-target 1.8), without the Kotlin
#                         standard library or org.json (the app has both: org.json is built into Android)
#   proguard.txt          keeps what the JNI shim finds by name
#   R.txt                 empty (no resources)
#   jni/<abi>/libgainsly_jni.so   one self-contained JNI library per ABI (it links libgainsly.a),
#                         without debug information
#
# usage: scripts/package-aar.sh OUT.aar [ABI=BUILD_DIR]...
#   Without ABI arguments it takes the build folders of scripts/test.sh: x86_64=build,
#   arm64-v8a=build-arm64, armeabi-v7a=build-armhf (GAINSLY_BUILD_DIR, GAINSLY_ARM64_BUILD_DIR and
#   GAINSLY_ARMHF_BUILD_DIR override them). Each BUILD_DIR must hold bindings/libgainsly_jni.so (cmake
#   --build BUILD_DIR --target gainsly_jni). classes.jar is the first build's bindings/kotlin/gainsly.jar
#   when present, else it is compiled here.
#
# The libraries built here by Debian's cross compilers link glibc and Debian's shared SQLite, zlib
# and libstdc++: this archive shows and tests the layout, it does not run on a phone. For a
# device, configure each ABI with the Android NDK's toolchain file (docs/android.md) and pass those
# build folders.
set -euo pipefail
GAINSLY_ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
out=$(realpath -m "$1")
shift
if [ $# -eq 0 ]; then
  set -- "x86_64=${GAINSLY_BUILD_DIR:-$GAINSLY_ROOT/build}" \
         "arm64-v8a=${GAINSLY_ARM64_BUILD_DIR:-$GAINSLY_ROOT/build-arm64}" \
         "armeabi-v7a=${GAINSLY_ARMHF_BUILD_DIR:-$GAINSLY_ROOT/build-armhf}"
fi

# llvm-strip reads every architecture; else the ABI's own binutils.
strip_for() {
  command -v llvm-strip || command -v llvm-strip-14 || case $1 in
    arm64-v8a) echo aarch64-linux-gnu-strip ;; armeabi-v7a) echo arm-linux-gnueabihf-strip ;; *) echo strip ;; esac
}
stage=$(mktemp -d /tmp/gainsly-aar.XXXXXX)
trap 'rm -rf "$stage"' EXIT
first_build=""
for pair in "$@"; do
  abi=${pair%%=*} dir=${pair#*=}
  case $abi in
    arm64-v8a|armeabi-v7a|x86|x86_64) ;;
    *) echo "package-aar.sh: unknown Android ABI '$abi' (arm64-v8a, armeabi-v7a, x86, x86_64)" >&2; exit 2 ;;
  esac
  lib=$dir/bindings/libgainsly_jni.so
  [ -f "$lib" ] || { echo "package-aar.sh: $lib is missing (cmake --build $dir --target gainsly_jni)" >&2; exit 1; }
  mkdir -p "$stage/jni/$abi"
  # Debug information stays in the build folder (it is ~95% of a RelWithDebInfo library).
  "$(strip_for "$abi")" --strip-debug -o "$stage/jni/$abi/libgainsly_jni.so" "$lib"
  [ -n "$first_build" ] || first_build=$dir
done

jar=$first_build/bindings/kotlin/gainsly.jar
if [ -f "$jar" ]; then
  cp "$jar" "$stage/classes.jar"
else
  kotlinc=$(command -v kotlinc) || { echo "package-aar.sh: no $jar and no kotlinc" >&2; exit 1; }
  "$kotlinc" -J-XX:+UseSerialGC -jvm-target 1.8 -nowarn -cp /usr/share/java/com.android.json.jar \
    -d "$stage/classes.jar" $(find "$GAINSLY_ROOT/bindings/kotlin/src/main/kotlin" -name '*.kt' | sort)
fi
cp "$GAINSLY_ROOT/bindings/kotlin/android/AndroidManifest.xml" "$GAINSLY_ROOT/bindings/kotlin/android/proguard.txt" "$stage/"
: > "$stage/R.txt"

# A zip with a fixed entry order and times, so the same inputs give the same archive.
python3 - "$stage" "$out" <<'EOF'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
names = sorted(os.path.relpath(os.path.join(d, f), stage) for d, _, fs in os.walk(stage) for f in fs)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in names:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(stage, name), "rb") as f:
            z.writestr(info, f.read())
EOF
echo "package-aar.sh: $out ($(du -k "$out" | cut -f1) KB):"
python3 -c 'import sys, zipfile; [print(f"  {i.filename:40} {i.file_size:>10}") for i in zipfile.ZipFile(sys.argv[1]).infolist()]' "$out"
