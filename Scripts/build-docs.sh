#!/usr/bin/env bash
# Builds the DocC documentation of the four library modules with the toolchain's docc, from
# symbol graphs SwiftPM dumps (no docc plugin: the package has no dependencies), and fails on any
# warning, so a broken symbol link or article reference fails CI.
# Output: .build/docs/<Module>.doccarchive. Usage: Scripts/build-docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
graphs=.build/docs/symbol-graphs
rm -rf .build/docs && mkdir -p "$graphs"
swift package dump-symbol-graph --minimum-access-level public >/dev/null
dumped=$(find .build -path '*/symbolgraph' -type d -not -path './.build/docs/*' | head -1)
status=0
for module in SimulationKernel ComputeSim ComputeSimTesting ComputeSimServer; do
    mkdir -p "$graphs/$module"
    cp "$dumped/$module".symbols.json "$graphs/$module/"
    cp "$dumped/$module"@*.symbols.json "$graphs/$module/" 2>/dev/null || true
    docc convert "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$graphs/$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.computesim.$module" \
        --output-path ".build/docs/$module.doccarchive" --warnings-as-errors || status=1
done
[[ $status == 0 ]] && echo "docs: 4 archives in .build/docs, no warnings"
exit $status
