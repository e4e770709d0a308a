#!/usr/bin/env bash
# Builds and runs ComputeSim's libFuzzer harnesses.
#
#   Fuzz/run.sh NAME SECONDS      one harness (json-facade, scenario-parser, session-parser,
#                                 duration-parser, base64, path-normalisation)
#   Fuzz/run.sh all SECONDS       each harness in turn, SECONDS each
#   Fuzz/run.sh NAME repro FILE   re-runs one saved input (a crash-* file) once
#   Fuzz/run.sh NAME build        only builds the harness
#
# Each harness is compiled with the library's sources into one module by
# `swiftc -sanitize=fuzzer,address`. Seeds come from Fuzz/Corpus/NAME (committed); the growing
# corpus and any crash-*/timeout-*/oom-* inputs go to .build/fuzz/. Exit status is libFuzzer's:
# non-zero when an input crashed, hung (-timeout=10 s) or exceeded -rss_limit_mb=4096.
#
# FUZZ_NO_REBUILD=1 runs an existing binary even when sources changed since it was built.
set -euo pipefail
cd "$(dirname "$0")/.."
# Swift's own backtracer and AddressSanitizer both want the crash: let libFuzzer have it.
export SWIFT_BACKTRACE=enable=no
# See Fuzz/lsan.supp: the lazily built global image trees are not leaks.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
modules=(Sources/SimulationKernel Sources/ComputeSim Sources/ComputeSimTesting)
harnesses=(json-facade scenario-parser session-parser duration-parser base64 path-normalisation)
name=${1:?usage: Fuzz/run.sh NAME|all SECONDS | NAME repro FILE}
mode=${2:?usage: Fuzz/run.sh NAME|all SECONDS | NAME repro FILE}

build() {
    local harness=$1 binary=.build/fuzz/bin/$1
    mkdir -p .build/fuzz/bin
    local sources
    if [[ -x $binary && ${FUZZ_NO_REBUILD:-0} == 1 ]]; then return; fi
    if [[ ! -x $binary || -n $(find "${modules[@]}" Fuzz/Harnesses -newer "$binary" -name '*.swift' | head -1) ]]; then
        echo "building $harness" >&2
        # The three library modules compile as one module here: copy their sources without the
        # imports that name each other (and without the re-export file).
        rm -rf .build/fuzz/src && mkdir -p .build/fuzz/src
        for module in "${modules[@]}"; do
            find "$module" -name '*.swift' ! -name Exports.swift | while read -r file; do
                sed -e '/^import ComputeSim$/d' -e '/^import SimulationKernel$/d' "$file" > ".build/fuzz/src/$(echo "$file" | tr / _)"
            done
        done
        sources=$(find .build/fuzz/src -name '*.swift' | sort)
        # shellcheck disable=SC2086
        swiftc -swift-version 6 -O -sanitize=fuzzer,address -parse-as-library -module-name ComputeSimFuzz -package-name ComputeSim \
            $sources Fuzz/Harnesses/Support.swift "Fuzz/Harnesses/$harness.swift" -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
}

run() {
    local harness=$1 seconds=$2
    build "$harness"
    mkdir -p ".build/fuzz/corpus/$harness" ".build/fuzz/artifacts/$harness"
    echo "fuzzing $harness for ${seconds}s" >&2
    ".build/fuzz/bin/$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix=".build/fuzz/artifacts/$harness/" ".build/fuzz/corpus/$harness" "Fuzz/Corpus/$harness"
}

if [[ $mode == repro ]]; then
    build "$name"
    ".build/fuzz/bin/$name" "${3:?a saved input file}"
elif [[ $mode == build ]]; then
    build "$name"
elif [[ $name == all ]]; then
    for harness in "${harnesses[@]}"; do run "$harness" "$mode"; done
else
    run "$name" "$mode"
fi
