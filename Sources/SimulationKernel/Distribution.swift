import Foundation  // log, exp, sqrt, cos

/// A probability distribution over real numbers (durations in seconds, rates, sizes), sampled
/// with a ``DeterministicRandom`` by ComputeSim's own algorithms.
///
/// Create one through ``validated()`` (or the throwing factory methods) so bad parameters are
/// a ``KernelError`` with code `invalidDistribution` before a run starts, never a crash or a NaN
/// mid-run.
///
/// Algorithms (fixed; pinned by golden tests): uniform is `min + u·(max − min)`; exponential is
/// inversion, `−mean·ln(1 − u)`; normal is Box–Muller with one pair of draws per sample (the
/// cosine branch); lognormal is `exp(normal(mu, sigma))`; weighted and empirical pick by one
/// bounded draw. The transcendental functions come from the platform's libm, which is the same
/// on every machine of one kind; different libms may differ in the last bit.
public enum Distribution: Hashable, Sendable {
    /// Always `value`.
    case constant(Double)
    /// Uniform on [min, max).
    case uniform(min: Double, max: Double)
    /// Exponential with the given mean (rate 1/mean).
    case exponential(mean: Double)
    /// Normal (Gaussian).
    case normal(mean: Double, standardDeviation: Double)
    /// Lognormal: `exp(X)` with X normal(mu, sigma).
    case lognormal(mu: Double, sigma: Double)
    /// One of `values`, each with probability proportional to its weight.
    case weighted([WeightedValue])
    /// One of `values`, uniformly (an empirical distribution from observations).
    case empirical([Double])

    /// One value of a ``Distribution/weighted(_:)`` distribution.
    public struct WeightedValue: Hashable, Sendable {
        public var value: Double
        public var weight: Double
        public init(value: Double, weight: Double) {
            self.value = value
            self.weight = weight
        }
    }

    /// Checks the parameters and returns the distribution unchanged.
    ///
    /// - Throws: ``KernelError`` `invalidDistribution` naming the parameter, e.g. "exponential
    ///   mean must be positive and finite, got -3.0".
    public func validated() throws(KernelError) -> Distribution {
        func fail(_ message: String) -> KernelError { KernelError(.invalidDistribution, message) }
        switch self {
        case .constant(let value):
            guard value.isFinite else { throw fail("constant value must be finite, got \(value)") }
        case .uniform(let low, let high):
            guard low.isFinite, high.isFinite else { throw fail("uniform bounds must be finite, got \(low) and \(high)") }
            guard low <= high else { throw fail("uniform min must not exceed max, got min \(low) and max \(high)") }
        case .exponential(let mean):
            guard mean.isFinite, mean > 0 else { throw fail("exponential mean must be positive and finite, got \(mean)") }
        case .normal(let mean, let deviation):
            guard mean.isFinite else { throw fail("normal mean must be finite, got \(mean)") }
            guard deviation.isFinite, deviation >= 0 else { throw fail("normal standard deviation must be non-negative and finite, got \(deviation)") }
        case .lognormal(let mu, let sigma):
            guard mu.isFinite, mu <= 700 else { throw fail("lognormal mu must be finite and at most 700, got \(mu)") }
            guard sigma.isFinite, sigma >= 0, sigma <= 100 else { throw fail("lognormal sigma must be in [0, 100], got \(sigma)") }
        case .weighted(let values):
            guard !values.isEmpty else { throw fail("weighted distribution needs at least one value") }
            for (index, item) in values.enumerated() {
                guard item.value.isFinite else { throw fail("weighted value \(index) must be finite, got \(item.value)") }
                guard item.weight.isFinite, item.weight >= 0 else {
                    throw fail("weighted value \(index) has weight \(item.weight); weights must be non-negative and finite")
                }
            }
            let total = values.reduce(0) { $0 + $1.weight }
            guard total > 0, total.isFinite else { throw fail("weighted distribution weights must sum to a positive finite number, got \(total)") }
        case .empirical(let values):
            guard !values.isEmpty else { throw fail("empirical distribution needs at least one observation") }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw fail("empirical observation \(index) must be finite, got \(values[index])")
            }
        }
        return self
    }

    /// The distribution's mean (exact for every case; used by reports and tests).
    public var mean: Double {
        switch self {
        case .constant(let value): return value
        case .uniform(let low, let high): return (low + high) / 2
        case .exponential(let mean): return mean
        case .normal(let mean, _): return mean
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .weighted(let values):
            let total = values.reduce(0) { $0 + $1.weight }
            return values.reduce(0) { $0 + $1.value * $1.weight } / total
        case .empirical(let values): return values.reduce(0, +) / Double(values.count)
        }
    }

    /// Draws one value.
    ///
    /// - Precondition: the distribution passed ``validated()``.
    /// - Complexity: O(1), except weighted: O(k) in the number of values.
    public func sample(using random: inout DeterministicRandom) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let low, let high):
            return low + random.nextUnitDouble() * (high - low)
        case .exponential(let mean):
            return -mean * log(1 - random.nextUnitDouble())
        case .normal(let mean, let deviation):
            return mean + deviation * Self.standardNormal(&random)
        case .lognormal(let mu, let sigma):
            return exp(mu + sigma * Self.standardNormal(&random))
        case .weighted(let values):
            let total = values.reduce(0) { $0 + $1.weight }
            let target = random.nextUnitDouble() * total
            var cumulative = 0.0
            for item in values {
                cumulative += item.weight
                if target < cumulative { return item.value }
            }
            return values.last(where: { $0.weight > 0 })?.value ?? values[values.count - 1].value
        case .empirical(let values):
            return values[random.nextIndex(below: values.count)]
        }
    }

    /// Draws one non-negative duration, reading the sample as seconds: negative samples of a
    /// normal distribution become zero and samples past ``SimDuration/limit`` (100 years, which
    /// a heavy-tailed lognormal can draw) become the limit.
    public func sampleDuration(using random: inout DeterministicRandom) -> SimDuration {
        let seconds = sample(using: &random)
        guard seconds > 0 else { return .zero }  // also NaN
        let nanoseconds = Swift.min((seconds * 1e9).rounded(), Double(SimDuration.limit.nanoseconds))
        return SimDuration(nanoseconds: Int64(nanoseconds))
    }

    private static func standardNormal(_ random: inout DeterministicRandom) -> Double {
        let u1 = 1 - random.nextUnitDouble()  // (0, 1]: log never sees zero
        let u2 = random.nextUnitDouble()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }
}
