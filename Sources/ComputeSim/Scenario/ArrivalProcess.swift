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
