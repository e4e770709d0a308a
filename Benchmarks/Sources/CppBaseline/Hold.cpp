// The hold-model baseline on std::priority_queue; see CppBaseline.h.
#include "CppBaseline.h"
#include <chrono>
#include <cstdint>
#include <queue>
#include <vector>

namespace {

struct Entry {
    int64_t time;
    uint64_t sequence;
    uint32_t payload;
};

// std::priority_queue is a max-heap: "later" means lower priority.
struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
        return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
};

inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct Xoshiro {
    uint64_t s[4];
    explicit Xoshiro(uint64_t seed) {
        uint64_t sm = seed;
        for (auto& word : s) { sm += 0x9E3779B97F4A7C15ull; word = mix64(sm); }
    }
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t next() {
        uint64_t result = rotl(s[1] * 5, 7) * 9;
        uint64_t t = s[1] << 17;
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
        s[2] ^= t; s[3] = rotl(s[3], 45);
        return result;
    }
    uint64_t below(uint64_t bound) {
        __uint128_t m = (__uint128_t)next() * bound;
        uint64_t low = (uint64_t)m;
        if (low < bound) {
            uint64_t threshold = (0 - bound) % bound;
            while (low < threshold) { m = (__uint128_t)next() * bound; low = (uint64_t)m; }
        }
        return (uint64_t)(m >> 64);
    }
};

}  // namespace

extern "C" CppHoldResult computesim_cpp_hold(uint64_t pending, uint64_t events, uint64_t seed) {
    Xoshiro random(seed);
    std::vector<Entry> storage;
    storage.reserve(pending + 1);
    std::priority_queue<Entry, std::vector<Entry>, Later> queue(Later(), std::move(storage));
    uint64_t sequence = 0;
    for (uint64_t i = 0; i < pending; ++i) {
        queue.push(Entry{(int64_t)random.below(1000000000ull), sequence++, (uint32_t)i});
    }
    uint64_t checksum = 0;
    int64_t last = 0;
    auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < events; ++i) {
        Entry top = queue.top();
        queue.pop();
        checksum += (uint64_t)top.time + top.payload;
        last = top.time;
        queue.push(Entry{top.time + (int64_t)random.below(1000000ull), sequence++, top.payload + 1});
    }
    auto stop = std::chrono::steady_clock::now();
    return CppHoldResult{std::chrono::duration<double>(stop - start).count(), checksum, last};
}
