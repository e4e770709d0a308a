#!/usr/bin/env bash
# Dumps the public interface of each library module with the toolchain's swift-api-digester and
# compares it with the committed listing in API/<Module>.txt, so any change to the public surface
# shows in review and fails CI until the listing is updated on purpose.
#   Scripts/check-api.sh            check (after a debug build, e.g. `swift test`)
#   Scripts/check-api.sh --update   rewrite API/*.txt from the current build
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
modules_dir=$(swift build --show-bin-path)/Modules
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for module in SimulationKernel ComputeSim ComputeSimTesting ComputeSimServer; do
    swift-api-digester -dump-sdk -module "$module" -I "$modules_dir" -I "$modules_dir/../CLinuxShims.build" -o "$work/$module.json" \
        -avoid-location -avoid-tool-args -swift-only -abort-on-module-fail
    python3 Scripts/api-listing.py "$work/$module.json" "$module" > "$work/$module.txt"
    if [[ ${1:-} == --update ]]; then
        cp "$work/$module.txt" "API/$module.txt"
    elif ! diff -u "API/$module.txt" "$work/$module.txt"; then
        echo "public interface of $module changed: review, then run Scripts/check-api.sh --update" >&2
        status=1
    fi
done
[[ $status == 0 ]] && echo "api: $(cat API/*.txt | wc -l) public declarations and conformances, as committed"
exit $status
