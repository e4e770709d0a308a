/// How long servers spent in one status: every visit's length (a visit still open at the end
/// counts up to the end), summarised by nearest-rank percentiles (``DurationSummary``).
public struct StatusTime: Hashable, Sendable {
    public var status: ServerStatus
    public var visits: Int
    public var mean: SimDuration
    public var p50: SimDuration
    public var p95: SimDuration
    public var p99: SimDuration

    /// Summarises `nanoseconds` (any order). O(n log n).
    public init(status: ServerStatus, nanoseconds: [Int64]) {
        let summary = DurationSummary(nanoseconds: nanoseconds)
        self.status = status
        visits = summary.count
        mean = summary.mean
        p50 = summary.p50
        p95 = summary.p95
        p99 = summary.p99
    }
}
