/// The physical build model's part of a report: per workload, where build time went, and the
/// cloud's cache and queue counters.
public struct BuildReport: Hashable, Sendable {
    /// The phases reported, in order.
    public static let phases = ["total", "scheduling", "queued", "networking", "fetch", "disk", "boot"]
    /// Per workload (in order): each phase's summary over the servers that became ACTIVE.
    public var workloads: [(name: String, cacheHits: Int, phases: [DurationSummary])]
    public var statistics: BuildStatistics

    public static func == (lhs: BuildReport, rhs: BuildReport) -> Bool {
        lhs.statistics == rhs.statistics && lhs.workloads.map(\.name) == rhs.workloads.map(\.name)
            && lhs.workloads.map(\.phases) == rhs.workloads.map(\.phases) && lhs.workloads.map(\.cacheHits) == rhs.workloads.map(\.cacheHits)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(statistics) }

    /// Summaries of `times` by phase, in ``phases`` order.
    static func summarise(_ times: [BuildTimes]) -> [DurationSummary] {
        let pick: [(BuildTimes) -> SimDuration] = [\.total, \.scheduling, \.queued, \.networking, \.fetch, \.disk, \.boot]
        return pick.map { key in DurationSummary(nanoseconds: times.map { key($0).nanoseconds }) }
    }

    var json: JSONValue {
        .object([
            ("cacheHits", .int(Int64(statistics.cacheHits))), ("cacheMisses", .int(Int64(statistics.cacheMisses))),
            ("cacheHitPercent", .string(RunReport.percent(statistics.cacheHits, of: statistics.cacheHits + statistics.cacheMisses))),
            ("peakBuildQueue", .int(Int64(statistics.peakQueueLength))),
            ("imageStoreGiB", .string(RunReport.percent(statistics.imageStoreBytes / 1_073_741_824, of: 100))),
            (
                "workloads",
                .array(
                    workloads.map { workload in
                        .object([
                            ("name", .string(workload.name)), ("cacheHits", .int(Int64(workload.cacheHits))),
                            ("phases", .object(zip(Self.phases, workload.phases).map { ($0, $1.json) })),
                        ])
                    })
            ),
        ])
    }
}
