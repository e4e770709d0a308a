import Testing

@testable import SimulationKernel

struct DistributionTests {
    @Test(
        "sample means are within tolerance of the distribution mean",
        arguments: [
            Distribution.constant(4),
            .uniform(min: 5, max: 30),
            .exponential(mean: 600),
            .normal(mean: 10, standardDeviation: 2),
            .lognormal(mu: 1, sigma: 0.5),
            .weighted([.init(value: 1, weight: 1), .init(value: 2, weight: 2), .init(value: 4, weight: 1)]),
            .empirical([3, 5, 7, 11]),
        ])
    func sampleMeansAreWithinTolerance(distribution: Distribution) throws {
        let checked = try distribution.validated()
        var random = DeterministicRandom(seed: 2026, stream: "distribution-test")
        let draws = 100_000
        var sum = 0.0
        for _ in 0..<draws { sum += checked.sample(using: &random) }
        let mean = sum / Double(draws)
        #expect(abs(mean - checked.mean) <= 0.02 * abs(checked.mean) + 1e-9, "mean \(mean) vs \(checked.mean)")
    }

    @Test("the first samples of each distribution are pinned")
    func firstSamplesArePinned() {
        func firstThree(_ distribution: Distribution) -> [Double] {
            var random = DeterministicRandom(seed: 7)
            return (0..<3).map { _ in distribution.sample(using: &random) }
        }
        // uniform: 5 + u * 25 with the pinned unit draws of seed 7.
        let units: [Double] = [0.7005764821796896, 0.2787512294737843, 0.8396274618764198]
        let expectedUniform: [Double] = units.map { 5 + $0 * 25 }
        #expect(firstThree(.uniform(min: 5, max: 30)) == expectedUniform)
        #expect(firstThree(.empirical([10, 20, 30])) == [30, 10, 30])
        #expect(firstThree(.weighted([.init(value: 1, weight: 1), .init(value: 2, weight: 3)])) == [2, 2, 2])
        let exponential = firstThree(.exponential(mean: 600))
        #expect(abs(exponential[0] - 723.5377561484698) < 1e-9)
    }

    @Test(
        "invalid parameters are rejected naming the parameter",
        arguments: [
            (Distribution.exponential(mean: -3), "exponential mean must be positive and finite, got -3.0"),
            (.uniform(min: 5, max: 1), "uniform min must not exceed max, got min 5.0 and max 1.0"),
            (.uniform(min: 0, max: .infinity), "uniform bounds must be finite, got 0.0 and inf"),
            (.normal(mean: 0, standardDeviation: -1), "normal standard deviation must be non-negative and finite, got -1.0"),
            (.constant(.nan), "constant value must be finite, got nan"),
            (.lognormal(mu: 1, sigma: 200), "lognormal sigma must be in [0, 100], got 200.0"),
            (.weighted([]), "weighted distribution needs at least one value"),
            (.weighted([.init(value: 1, weight: -1)]), "weighted value 0 has weight -1.0; weights must be non-negative and finite"),
            (.weighted([.init(value: 1, weight: 0)]), "weighted distribution weights must sum to a positive finite number, got 0.0"),
            (.empirical([]), "empirical distribution needs at least one observation"),
            (.empirical([1, .nan]), "empirical observation 1 must be finite, got nan"),
        ])
    func invalidParametersAreRejected(distribution: Distribution, message: String) {
        #expect(throws: KernelError(.invalidDistribution, message)) { try distribution.validated() }
    }

    @Test("durations are sampled as non-negative seconds")
    func durationsAreSampledAsNonNegativeSeconds() {
        var random = DeterministicRandom(seed: 1)
        #expect(Distribution.constant(1.5).sampleDuration(using: &random) == .milliseconds(1_500))
        #expect(Distribution.constant(-4).sampleDuration(using: &random) == .zero)
        for _ in 0..<1_000 {
            #expect(Distribution.normal(mean: 0, standardDeviation: 1).sampleDuration(using: &random) >= .zero)
        }
    }
}
