#ifndef COMPUTESIM_CPP_BASELINE_H
#define COMPUTESIM_CPP_BASELINE_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Result of one run of the hold model on std::priority_queue.
typedef struct {
    double seconds;          ///< wall time of the N hold operations (setup excluded)
    uint64_t checksum;       ///< sum of popped times, so the work cannot be optimised away
    int64_t finalTime;       ///< time of the last popped event
} CppHoldResult;

/// Runs the classic hold model: P pending events with times uniform in [0, 1 s), then N times:
/// pop the earliest, push one at its time + uniform[0, 1 ms). Keys are (time, sequence), the
/// payload a 32-bit value, as in the Swift kernel. Random numbers come from the same
/// xoshiro256** + Lemire algorithms as ComputeSim's DeterministicRandom.
CppHoldResult computesim_cpp_hold(uint64_t pending, uint64_t events, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
