import Testing

@testable import SimulationKernel

/// Golden vectors were computed by an independent Python implementation of SplitMix64 seeding,
/// xoshiro256**, the FNV-1a stream derivation and Lemire's bounded draw.
struct DeterministicRandomTests {
    static let goldenSeeds: [(UInt64, [UInt64])] = [
        (0, [0x99ec5f36cb75f2b4, 0xbf6e1f784956452a, 0x1a5f849d4933e6e0]),
        (1, [0xb3f2af6d0fc710c5, 0x853b559647364cea, 0x92f89756082a4514]),
        (42, [0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1]),
        (.max, [0x8f5520d52a7ead08, 0xc476a018caa1802d, 0x81de31c0d260469e]),
    ]

    @Test("the first draws of several seeds match the golden vectors", arguments: goldenSeeds)
    func firstDrawsMatchGoldenVectors(seed: UInt64, expected: [UInt64]) {
        var random = DeterministicRandom(seed: seed)
        #expect((0..<3).map { _ in random.next() } == expected)
    }

    @Test("named streams match the golden vectors")
    func namedStreamsMatchGoldenVectors() {
        var placement = DeterministicRandom(seed: 1, stream: "placement")
        var workload = DeterministicRandom(seed: 1, stream: "workload")
        #expect((0..<3).map { _ in placement.next() } == [0x4508ec358f6c9884, 0x92ddd88b16d9370a, 0x8c12c649dcb1f5c5])
        #expect((0..<3).map { _ in workload.next() } == [0xa13cd8c005643f77, 0x789a58161ac6260c, 0x53cd39f337245bde])
    }

    @Test("bounded and unit draws match the golden vectors")
    func boundedAndUnitDrawsMatchGoldenVectors() {
        var bounded = DeterministicRandom(seed: 7)
        #expect((0..<10).map { _ in bounded.next(below: 10) } == [7, 2, 8, 9, 9, 8, 0, 1, 4, 1])
        var unit = DeterministicRandom(seed: 7)
        #expect((0..<3).map { _ in unit.nextUnitDouble() } == [0.7005764821796896, 0.2787512294737843, 0.8396274618764198])
    }

    @Test("drawing from one stream never changes another stream's draws")
    func streamsAreIndependent() {
        var alone = DeterministicRandom(seed: 99, stream: "faults")
        let expected = (0..<100).map { _ in alone.next() }
        var other = DeterministicRandom(seed: 99, stream: "workload")
        for _ in 0..<1_000 { _ = other.next() }
        var again = DeterministicRandom(seed: 99, stream: "faults")
        #expect((0..<100).map { _ in again.next() } == expected)
        var root = DeterministicRandom(seed: 99)
        #expect(root.next() != expected[0])
    }

    @Test("bounded draws stay in range and cover it evenly", arguments: [UInt64(1), 3, 7, 1_000])
    func boundedDrawsStayInRangeAndCoverItEvenly(bound: UInt64) {
        var random = DeterministicRandom(seed: bound)
        var counts = [Int](repeating: 0, count: Int(bound))
        let draws = 20_000 * Int(min(bound, 10))
        for _ in 0..<draws {
            let value = random.next(below: bound)
            #expect(value < bound)
            counts[Int(value)] += 1
        }
        let expected = Double(draws) / Double(bound)
        for count in counts { #expect(abs(Double(count) - expected) < 6 * expected.squareRoot() + 3) }
    }

    @Test("integer ranges include both ends, including the full 64-bit range")
    func integerRangesIncludeBothEnds() {
        var random = DeterministicRandom(seed: 5)
        var seen = Set<Int64>()
        for _ in 0..<1_000 { seen.insert(random.next(in: -2...2)) }
        #expect(seen == [-2, -1, 0, 1, 2])
        var full = DeterministicRandom(seed: 5)
        var reference = DeterministicRandom(seed: 5)
        #expect(full.next(in: Int64.min...Int64.max) == Int64(bitPattern: reference.next()))
        #expect(random.next(in: 9...9) == 9)
    }

    @Test("unit doubles lie in [0, 1) and average one half")
    func unitDoublesLieInTheUnitInterval() {
        var random = DeterministicRandom(seed: 3)
        var sum = 0.0
        for _ in 0..<100_000 {
            let value = random.nextUnitDouble()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.005)
    }

    @Test("shuffling yields a permutation that depends only on the seed")
    func shufflingYieldsAPermutation() {
        var first = DeterministicRandom(seed: 8)
        var second = DeterministicRandom(seed: 8)
        let shuffled = first.shuffled(Array(0..<50))
        #expect(shuffled.sorted() == Array(0..<50))
        #expect(shuffled != Array(0..<50))
        #expect(second.shuffled(Array(0..<50)) == shuffled)
        #expect(first.nextBool(probability: 1) && !first.nextBool(probability: 0))
    }

    @Test("stable hashes match the published FNV-1a vectors")
    func stableHashesMatchPublishedVectors() {
        #expect(StableHash.fnv1a64("") == 0xcbf29ce484222325)
        #expect(StableHash.fnv1a64("a") == 0xaf63dc4c8601ec8c)
        #expect(StableHash.fnv1a64("foobar") == 0x85944171f73967e8)
    }
}
