#!/usr/bin/env bash
# Builds and runs ComputeSim's libFuzzer harnesses.
#
#   Fuzz/run.sh NAME SECONDS      one harness for SECONDS (see the list below)
#   Fuzz/run.sh all SECONDS       each harness in turn, SECONDS each
#   Fuzz/run.sh smoke [SECONDS]   each harness for SECONDS (default 5) on a fresh corpus and
#                                 artifact folder: what CI runs
#   Fuzz/run.sh NAME runs N       one harness for N executions (the long run: N >= 10^7)
#   Fuzz/run.sh NAME repro FILE   re-runs one saved input (a crash-* file) once
#   Fuzz/run.sh build             only builds the fuzz binary
#
# Harnesses: json-facade (one request), api-sequence (structure-aware torture: the bytes choose
# a sequence of API calls, advances and faults), query-string (listing filters on hostile
# names; a first byte with bits 0x60 picks name patterns from a regex grammar), timestamps
# (times, epochs, durations, numbers), scenario-parser (parse, run, report; sweeps) and
# session-parser (for both, a first byte 0xFF generates the file from the other bytes),
# duration-parser, base64, path-normalisation, http-parser (the server's request parser: any
# pieces give the same requests and error as all at once).
#
# All harnesses are compiled with the library's sources into one binary by
# `swiftc -sanitize=fuzzer,address`; FUZZ_HARNESS selects one. Seeds come from Fuzz/Corpus/NAME
# (and Fixtures/Scenarios or Fixtures/Sessions for the parsers), tokens from
# Fuzz/Dictionaries/NAME.dict; the growing corpus and any crash-*/timeout-*/oom-* inputs go to
# .build/fuzz/. Exit status is libFuzzer's: non-zero when an input crashed, hung
# (-timeout, default 10 s) or exceeded -rss_limit_mb=2048.
#
# FUZZ_NO_REBUILD=1 runs an existing binary even when sources changed since it was built;
# FUZZ_BINARY=PATH runs a copy kept elsewhere (a long run keeps going while the tree rebuilds).
# FUZZ_TIMEOUT=S changes the per-input time limit. FUZZ_SANITIZERS=fuzzer builds without
# AddressSanitizer (with FUZZ_BINARY naming where): Swift's own checks still trap on overflow,
# bounds and force-unwraps, and the harnesses run 2-3 times faster, which is what the long
# runs of the slow harnesses (session-parser, scenario-parser) use; CI's smoke keeps ASan.
set -euo pipefail
cd "$(dirname "$0")/.."
# Swift's own backtracer and AddressSanitizer both want the crash: let libFuzzer have it.
export SWIFT_BACKTRACE=enable=no
# See Fuzz/lsan.supp: the lazily built global image trees are not leaks.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
modules=(Sources/SimulationKernel Sources/ComputeSim Sources/ComputeSimTesting Sources/ComputeSimServer)
harnesses=(json-facade api-sequence query-string timestamps scenario-parser session-parser duration-parser base64 path-normalisation http-parser)
binary=${FUZZ_BINARY:-.build/fuzz/bin/fuzz}
name=${1:?usage: Fuzz/run.sh NAME|all SECONDS | smoke [SECONDS] | NAME runs N | NAME repro FILE | build}

build() {
    mkdir -p .build/fuzz/bin
    if [[ -x $binary && (${FUZZ_NO_REBUILD:-0} == 1 || -n ${FUZZ_BINARY:-}) ]]; then return; fi
    if [[ ! -x $binary || -n $(find "${modules[@]}" Fuzz/Harnesses -newer "$binary" -name '*.swift' | head -1) ]]; then
        echo "building the fuzz binary" >&2
        # The three library modules compile as one module here: copy their sources without the
        # imports that name each other (and without the re-export file).
        rm -rf .build/fuzz/src && mkdir -p .build/fuzz/src
        for module in "${modules[@]}"; do
            find "$module" -name '*.swift' ! -name Exports.swift | while read -r file; do
                sed -e '/^import ComputeSim$/d' -e '/^import SimulationKernel$/d' "$file" > ".build/fuzz/src/$(echo "$file" | tr / _)"
            done
        done
        # The server's C shim (epoll's header) as a clang module.
        mkdir -p .build/fuzz/shims
        printf 'module CLinuxShims {\n    header "%s/Sources/CLinuxShims/include/CLinuxShims.h"\n    export *\n}\n' "$PWD" > .build/fuzz/shims/module.modulemap
        local sources
        sources=$(find .build/fuzz/src Fuzz/Harnesses -name '*.swift' | sort)
        # shellcheck disable=SC2086
        swiftc -swift-version 6 -O -sanitize="${FUZZ_SANITIZERS:-fuzzer,address}" -parse-as-library -module-name ComputeSimFuzz -package-name ComputeSim \
            -I .build/fuzz/shims $sources -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
}

# run HARNESS CORPUS_DIR ARTIFACT_DIR LIBFUZZER_FLAGS...
run() {
    local harness=$1 corpus=$2 artifacts=$3
    shift 3
    mkdir -p "$corpus" "$artifacts"
    local seeds=()
    [[ -d Fuzz/Corpus/$harness ]] && seeds+=("Fuzz/Corpus/$harness")
    [[ $harness == scenario-parser ]] && seeds+=(Fixtures/Scenarios)
    [[ $harness == session-parser ]] && seeds+=(Fixtures/Sessions)
    local dictionary=()
    [[ -f Fuzz/Dictionaries/$harness.dict ]] && dictionary=(-dict="Fuzz/Dictionaries/$harness.dict")
    FUZZ_HARNESS=$harness "$binary" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 "${dictionary[@]}" \
        -artifact_prefix="$artifacts/" "$@" "$corpus" "${seeds[@]}"
}

case $name in
build) build ;;
smoke)
    build
    seconds=${2:-5}
    status=0
    for harness in "${harnesses[@]}"; do
        # A fresh corpus and artifact folder each time: the smoke run shows the harnesses work
        # from their seeds, and a finding fails it.
        rm -rf ".build/fuzz/smoke/$harness" && mkdir -p .build/fuzz/smoke
        echo "fuzz smoke: $harness for ${seconds}s" >&2
        if ! run "$harness" ".build/fuzz/smoke/$harness/corpus" ".build/fuzz/smoke/$harness/artifacts" -max_total_time="$seconds" 2> ".build/fuzz/smoke/$harness.log"; then
            echo "fuzz smoke: $harness FAILED; see .build/fuzz/smoke/$harness.log and .build/fuzz/smoke/$harness/artifacts" >&2
            tail -30 ".build/fuzz/smoke/$harness.log" >&2
            status=1
        else
            grep -E "stat::number_of_executed_units" ".build/fuzz/smoke/$harness.log" | sed "s/^/fuzz smoke: $harness /" >&2 || true
        fi
    done
    exit $status
    ;;
all)
    build
    for harness in "${harnesses[@]}"; do run "$harness" ".build/fuzz/corpus/$harness" ".build/fuzz/artifacts/$harness" -max_total_time="${2:?SECONDS}"; done
    ;;
*)
    mode=${2:?usage: Fuzz/run.sh NAME SECONDS | NAME runs N | NAME repro FILE}
    build
    if [[ $mode == repro ]]; then
        FUZZ_HARNESS=$name "$binary" "${3:?a saved input file}"
    elif [[ $mode == runs ]]; then
        run "$name" ".build/fuzz/corpus/$name" ".build/fuzz/artifacts/$name" -runs="${3:?N}"
    else
        run "$name" ".build/fuzz/corpus/$name" ".build/fuzz/artifacts/$name" -max_total_time="$mode"
    fi
    ;;
esac
