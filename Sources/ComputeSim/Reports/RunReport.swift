/// The outcome of a ``ScenarioRunner`` run: per-workload tallies, a time series and digests.
///
/// Three renderings, all byte-stable for a seed: ``json`` (the canonical report: keys sorted, no
/// whitespace, ratios as fixed-point strings), ``timeSeriesCSV`` and ``summary`` (for a terminal).
public struct RunReport: Sendable {
    public var scenario: String
    public var seed: UInt64
    public var duration: SimDuration
    public var epoch: WallClock
    public var workloads: [WorkloadStats]
    public var samples: [RunSample]
    /// The cloud's trace digest and the workload scheduler's: equal digests, equal runs.
    public var cloudDigest: String
    public var runDigest: String
    /// The cloud's invariant check at the end; empty when consistent.
    public var invariantViolations: [InvariantViolation]
    /// Time spent in each status, by status name.
    public var statusTimes: [StatusTime]
    /// Per project (in workload order), how its servers are spread at the end.
    public var spread: [SpreadQuality]
    /// Events the cloud processed.
    public var cloudEvents: UInt64
    /// Builds that found no valid host, and per filter in how many of them it eliminated hosts.
    public var placementFailures = PlacementFailures.none
    /// The fault plan entries that fell inside the run, e.g. `9h hostFailure az1-compute-7`.
    public var faults: [String]
    /// The physical build model's figures (nil under the distribution timing model).
    public var builds: BuildReport?
    /// The headroom the scenario asked to check at every sample (``headroomSummaries``).
    public var headroom: HeadroomCheck? = nil
    /// The thresholds the scenario asked time to exhaustion for (``exhaustionSummary``).
    public var exhaustion: ExhaustionCheck? = nil
    /// How full each host (or host group) was over the run (nil for a report built elsewhere).
    package var heatMap: HostHeatMap? = nil

    /// The tallies of every workload added up.
    public var totals: WorkloadStats {
        var total = WorkloadStats(name: "total", project: ProjectID("*"))
        for stats in workloads {
            total.createRequests += stats.createRequests
            total.becameActive += stats.becameActive
            total.failedToBuild += stats.failedToBuild
            total.deletedWhileBuilding += stats.deletedWhileBuilding
            total.actionRequests += stats.actionRequests
            total.actionsAccepted += stats.actionsAccepted
            total.deletes += stats.deletes
            total.groupFailures += stats.groupFailures
            total.hostsHolding = max(total.hostsHolding, stats.hostsHolding)
            total.createRefusals.merge(stats.createRefusals, uniquingKeysWith: +)
            total.actionRefusals.merge(stats.actionRefusals, uniquingKeysWith: +)
            total.deleteRefusals.merge(stats.deleteRefusals, uniquingKeysWith: +)
            total.errorFaults.merge(stats.errorFaults, uniquingKeysWith: +)
            total.firstRefusals.merge(stats.firstRefusals) { first, _ in first }
        }
        return total
    }

    /// `part / whole` as a percentage with two decimals ("12.34").
    static func percent(_ part: Int, of whole: Int) -> String { Percentage(Double(part), of: Double(whole)).description }

    /// The same from totals that could overflow integers (sums over many samples).
    static func percent(_ part: Double, of whole: Double) -> String { Percentage(part, of: whole).description }

    /// Mean and peak use of one resource over the samples, as percentages of capacity.
    /// Complexity: O(samples).
    public func utilisation(_ used: (RunSample) -> Int, of capacity: (RunSample) -> Int) -> Utilisation {
        guard !samples.isEmpty else { return Utilisation(mean: .zero, peak: .zero) }
        let usedTotal = samples.reduce(0.0) { $0 + Double(used($1)) }
        let capacityTotal = samples.reduce(0.0) { $0 + Double(capacity($1)) }
        let peak = samples.max { Double(used($0)) * Double(capacity($1)) < Double(used($1)) * Double(capacity($0)) } ?? samples[0]
        return Utilisation(mean: Percentage(usedTotal, of: capacityTotal), peak: Percentage(Double(used(peak)), of: Double(capacity(peak))))
    }
}
