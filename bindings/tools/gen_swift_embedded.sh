#!/usr/bin/env bash
# Writes bindings/swift/Generated/embedded_files.cpp: the schema and the reference catalog compiled into
# the library, for the SwiftPM source package (Package.swift at the repository root), which runs no
# build step of its own. The same files and tool as CMake's embedded_files.cpp; run this after changing
# schema/schema.json or catalog/. `--check BUILD/embedded_files.cpp` (ctest swift_source_current) fails
# while the committed copy differs from the one CMake generated, or Package.swift misses a layer of src/
set -euo pipefail
cd "$(dirname "$0")/../.."
committed=bindings/swift/Generated/embedded_files.cpp
if [ "${1:-}" = --check ]; then
  cmp -s "$2" "$committed" || { echo "$committed is stale: run bindings/tools/gen_swift_embedded.sh"; exit 1; }
  echo "$committed is current"
  # Every layer CMake compiles (src/<layer>/*.cpp) is in Package.swift's coreSources too.
  for layer in $(grep -o 'src/[a-z_]*/\*\.cpp' CMakeLists.txt | cut -d/ -f2 | sort -u); do
    grep -q "^let coreSources = .*\"$layer\"" Package.swift || { echo "Package.swift: coreSources lacks \"$layer\""; exit 1; }
  done
  exit 0
fi
python3 tools/embed.py "$committed" . \
  schema/schema.json catalog/*.json catalog/heuristic_configs/*.json
