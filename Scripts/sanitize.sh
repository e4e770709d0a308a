#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer, and the async tests (the only code with threads)
# under ThreadSanitizer, each in its own build folder so the normal build is untouched.
#
#   Scripts/sanitize.sh            both
#   Scripts/sanitize.sh address    only AddressSanitizer (the whole suite)
#   Scripts/sanitize.sh thread     only ThreadSanitizer (SimulatedCloud, SimulationClock, ComputeClient)
#
# Exit status is non-zero when a test fails or a sanitizer reports. On 2 cores each half takes
# several minutes (a full instrumented debug build, then the tests at a few times their speed).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
which=${1:-both}
if [[ $which == address || $which == both ]]; then
    echo "sanitize: address (whole suite)" >&2
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
        swift test --sanitize=address --build-path .build/sanitize-address
fi
if [[ $which == thread || $which == both ]]; then
    echo "sanitize: thread (async tests)" >&2
    TSAN_OPTIONS="halt_on_error=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}" \
        swift test --sanitize=thread --build-path .build/sanitize-thread --filter "SimulatedCloud|SimulationClock|ComputeClient|Async"
fi
