/// What a run reports about resources running out (a scenario's `exhaustion` section,
/// `{"thresholds": [80, 90, 100]}`): for vCPU, RAM and disk, the first sample at which each
/// threshold of the allocatable capacity was in use, and when each flavor first found no valid
/// host. Paired with a ``ArrivalProcess/growing(perHour:growthPercent:every:)`` workload it
/// answers "when do we run out, and of what?".
public struct ExhaustionCheck: Hashable, Sendable {
    /// Percentages of capacity, ascending, each from 1 to 100.
    public var thresholds: [Int]

    /// The most thresholds a scenario may list.
    public static let maximumThresholds = 10

    public init(thresholds: [Int] = [80, 90, 100]) { self.thresholds = thresholds }
}
