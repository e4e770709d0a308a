/// Durations summarised: count, mean and nearest-rank percentiles, rounded to the millisecond.
public struct DurationSummary: Hashable, Sendable {
    public var count: Int
    public var mean: SimDuration
    public var p50: SimDuration
    public var p95: SimDuration
    public var p99: SimDuration

    /// Summarises `nanoseconds` (any order). O(n log n).
    public init(nanoseconds: [Int64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        func rank(_ percent: Int) -> SimDuration {
            guard !sorted.isEmpty else { return .zero }
            let index = max(0, (percent * sorted.count + 99) / 100 - 1)
            return Self.milliseconds(Double(sorted[min(index, sorted.count - 1)]))
        }
        // Summed in Double: nanosecond totals of millions of visits overflow Int64.
        let total = sorted.reduce(0.0) { $0 + Double($1) }
        mean = Self.milliseconds(sorted.isEmpty ? 0 : total / Double(sorted.count))
        p50 = rank(50)
        p95 = rank(95)
        p99 = rank(99)
    }

    private static func milliseconds(_ nanoseconds: Double) -> SimDuration {
        // Clamped: a visit as long as the longest possible run must not overflow when rounded up.
        SimDuration(nanoseconds: Int64(min((nanoseconds / 1e6).rounded(), 9_223_372_036_853)) * 1_000_000)
    }

    var json: JSONValue {
        .object([
            ("count", .int(Int64(count))), ("mean", .string(mean.description)), ("p50", .string(p50.description)),
            ("p95", .string(p95.description)), ("p99", .string(p99.description)),
        ])
    }

    var text: String { "\(count), \(mean), \(p50), \(p95), \(p99)" }
}
