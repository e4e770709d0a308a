import ComputeSim
import TestSupport
import Testing

@testable import ComputeSimTesting

@Suite("API torture")
struct APITortureTests {
    /// 50 seeds × 2,000 requests = 100,000 requests, invariants checked after every one.
    @Test(
        "Random request sequences from several projects never crash, never break an invariant and always answer a status Nova uses", .tags(.seedSweep),
        arguments: SeedSweep.seeds(50))
    func tortureHoldsEveryInvariant(seed: UInt64) throws {
        var torture = try APITorture(seed: seed)
        let report = torture.run(requests: 2_000)
        #expect(report.requests == 2_000)
        #expect(report.problems == [], "seed \(seed)")
        // The run exercised success and refusal paths alike.
        #expect(report.statusCounts[202, default: 0] > 0)
        #expect(report.statusCounts[409, default: 0] > 0)
        #expect(report.statusCounts[404, default: 0] > 0)
        #expect(report.statusCounts[400, default: 0] > 0)
        // Odd seeds archive deleted servers (and reuse their record numbers) along the way.
        if seed % 2 == 1 { #expect(torture.cloud.archivedServerCount > 0, "seed \(seed)") }
    }
}

@Suite("API torture determinism and findings")
struct APITortureFindingTests {
    @Test("The same seed gives the same digest twice, and seed 0's digest is pinned (release builds print the same)")
    func tortureIsDeterministic() throws {
        var first = try APITorture(seed: 0), second = try APITorture(seed: 0)
        let a = first.run(requests: 1_500), b = second.run(requests: 1_500)
        #expect(a == b)
        #expect(a.digest == "45709d19c2f18e1a")
        var other = try APITorture(seed: 1)
        #expect(other.run(requests: 1_500).digest != a.digest)
    }

    @Test(
        "Fuzzer bytes drive the torture: the same bytes give the same run (also on a copied torture), it stops when they are used up, and long advances are refused cleanly"
    )
    func bytesDriveTheTorture() throws {
        var random = DeterministicRandom(seed: 3)
        let bytes = (0..<3_000).map { _ in UInt8(random.nextIndex(below: 256)) }
        var first = try APITorture(choices: bytes), second = try APITorture(choices: bytes)
        let a = first.runUntilChoicesAreUsed(), b = second.runUntilChoicesAreUsed()
        #expect(a == b && a.problems == [])
        #expect(a.requests > 100 && a.requests < 1_000)
        // A copy of the seed-0 torture reading the same bytes (what the fuzz harness does) is
        // the same run.
        var copied = try APITorture(seed: 0).readingChoices(bytes)
        #expect(copied.runUntilChoicesAreUsed() == a)
        var empty = try APITorture(choices: [])
        #expect(empty.runUntilChoicesAreUsed().requests == 0)
        // Choice 0 of 20 advances; 0 of 4 takes the long table; 4 of 6 is the limit, 5 past it.
        var long = try APITorture(choices: [0, 0, 3, 0, 0, 4])
        _ = long.runUntilChoicesAreUsed(maximumSteps: 1)
        #expect(long.cloud.now == .limit)
    }
}
