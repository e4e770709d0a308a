import Foundation  // log1p, exp, expm1 for the growing process

/// How a workload's create requests arrive.
public enum ArrivalProcess: Hashable, Sendable {
    /// Exponentially distributed gaps with this mean.
    case poisson(meanInterval: SimDuration)
    /// One request every `interval`.
    case constant(interval: SimDuration)
    /// `count` requests at once at each offset of `at` (ascending) after the workload starts.
    case burst(at: [SimDuration], count: Int)
    /// A Poisson process whose rate follows the wall clock's hour of day (UTC): `perHour[h]`
    /// requests per hour during hour `h` (24 entries), drawn by thinning.
    case diurnal(perHour: [Double])
    /// A Poisson process whose rate grows by compound interest: `perHour` requests per hour at
    /// the workload's start, `growthPercent` more every `every` (rate(t) = perHour ×
    /// (1 + growthPercent/100)^(t / every)), drawn exactly by inverting the integrated rate.
    /// What a capacity planner runs to find when each resource runs out.
    case growing(perHour: Double, growthPercent: Double, every: SimDuration)
    /// Replays a CSV trace: one create per row, at the row's offset from the workload's start,
    /// for the row's project, flavor, image and lifetime.
    case trace([TraceArrival])
}

/// One row of a replayed arrival trace (`time,account,flavor,image,lifetime`).
public struct TraceArrival: Hashable, Sendable {
    public var at: SimDuration
    public var project: ProjectID
    public var flavor: FlavorID
    public var image: ImageID?
    public var lifetime: SimDuration?
}

extension ArrivalProcess {
    /// The gap to a growing process's next arrival, `elapsed` seconds after the workload's
    /// start, for a uniform draw `unit` in [0, 1): the exponential draw E = -ln(1 - unit) is
    /// spent on the integrated rate, Λ(t') - Λ(t) = E, which for rate r(t) = r₀·g^(t/P) gives
    /// t' - t = P / ln g · ln(1 + E·ln g / (r(t)·P)) (and E / r₀ without growth). At least 1 ns;
    /// past ``SimDuration/limit`` (a rate that has dwindled to nothing) it is the limit.
    /// - Complexity: O(1).
    static func growingGap(after elapsed: Double, draw unit: Double, perHour: Double, growthPercent: Double, every: SimDuration) -> SimDuration {
        let perSecond = perHour / 3_600
        let spent = -log1p(-unit)
        let seconds: Double
        if growthPercent == 0 {
            seconds = spent / perSecond
        } else {
            let logGrowth = log1p(growthPercent / 100)
            let period = every.secondsValue
            // The current rate; past Double's range it is infinite and the gap zero.
            let rate = perSecond * exp(logGrowth * elapsed / period)
            seconds = period / logGrowth * log1p(spent * logGrowth / (rate * period))
        }
        guard seconds.isFinite else { return SimDuration.limit }
        let nanoseconds = min(max((seconds * 1e9).rounded(), 1), Double(SimDuration.limit.nanoseconds))
        return SimDuration(nanoseconds: Int64(nanoseconds))
    }

    /// The expected number of a growing process's arrivals in its first `seconds`:
    /// Λ(T) = r₀·P / ln g · (g^(T/P) - 1), or r₀·T without growth (infinite past Double's range).
    /// - Complexity: O(1).
    static func expectedGrowingArrivals(in seconds: Double, perHour: Double, growthPercent: Double, every: SimDuration) -> Double {
        let perSecond = perHour / 3_600
        guard growthPercent > 0 else { return perSecond * seconds }
        let logGrowth = log1p(growthPercent / 100)
        let period = every.secondsValue
        return perSecond * period / logGrowth * expm1(logGrowth * seconds / period)
    }
}
