/// What one workload did during a run.
public struct WorkloadStats: Hashable, Sendable {
    public var name: String
    public var project: ProjectID
    /// Create requests sent (each asks for one server).
    public var createRequests = 0
    /// Create requests the API refused, by error code (e.g. `forbidden` for quota).
    public var createRefusals: [String: Int] = [:]
    /// Servers that reached ACTIVE at least once.
    public var becameActive = 0
    /// Servers that went to ERROR without ever being ACTIVE (no valid host, build failure).
    public var failedToBuild = 0
    public var actionRequests = 0
    public var actionsAccepted = 0
    /// Actions refused, by error code (`conflictingRequest` for a state that does not allow it).
    public var actionRefusals: [String: Int] = [:]
    /// Deletes accepted.
    public var deletes = 0
    public var deleteRefusals: [String: Int] = [:]
    /// Server groups that could not be created (the servers were created without one).
    public var groupFailures = 0
    /// The first message of each refusal code, create, action and delete alike (why it happened).
    public var firstRefusals: [String: String] = [:]
    /// Servers found in ERROR (when the runner deleted them, or at the end), by fault message.
    public var errorFaults: [String: Int] = [:]
    /// Servers deleted before they were ever ACTIVE or ERROR.
    public var deletedWhileBuilding = 0
    /// Hosts holding the project's servers at the end.
    public var hostsHolding = 0

    public init(name: String, project: ProjectID) {
        self.name = name
        self.project = project
    }

    /// Create requests the API accepted.
    public var created: Int { createRequests - createRefusals.values.reduce(0, +) }

    mutating func refuse(_ error: CloudError) {
        createRefusals[error.code.rawValue, default: 0] += 1
        note(error)
    }

    mutating func note(_ error: CloudError) {
        if firstRefusals[error.code.rawValue] == nil { firstRefusals[error.code.rawValue] = error.message }
    }
}

/// One row of a run's time series.
public struct RunSample: Hashable, Sendable {
    public var time: SimTime
    /// Servers (not deleted) by status.
    public var statusCounts: [ServerStatus: Int] = [:]
    public var hosts = 0
    public var hostsUp = 0
    public var vcpus = 0
    public var vcpusUsed = 0
    public var memoryMiB = 0
    public var memoryMiBUsed = 0
    public var diskGiB = 0
    public var diskGiBUsed = 0

    /// Physical build model only: builds waiting for a slot, and link loads (0...1).
    public var buildQueue: Int?
    public var imageStoreUtilisation: Double?
    public var hostNetworkUtilisation: Double?

    public init(time: SimTime) { self.time = time }

    public var servers: Int { statusCounts.values.reduce(0, +) }
}

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

/// How one project's servers are spread at the end of a run.
public struct SpreadQuality: Hashable, Sendable {
    public var project: ProjectID
    public var servers: Int
    public var hosts: Int
    /// Servers sharing a host with another server of the same project.
    public var sharing: Int
    public var mostOnOneHost: Int
}

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
    public var invariantViolations: [String]
    /// Time spent in each status, by status name.
    public var statusTimes: [StatusTime]
    /// Per project (in workload order), how its servers are spread at the end.
    public var spread: [SpreadQuality]
    /// Events the cloud processed.
    public var cloudEvents: UInt64
    /// Builds that found no valid host, and per filter in how many of them it eliminated hosts.
    public var placementFailures: (total: Int, byFilter: [(filter: PlacementFilter, failures: Int)]) = (0, [])
    /// The fault plan entries that fell inside the run, e.g. `9h hostFailure az1-compute-7`.
    public var faults: [String]
    /// The physical build model's figures (nil under the distribution timing model).
    public var builds: BuildReport?

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

    /// `part / whole` as a percentage with two decimals, computed in integers ("12.34").
    static func percent(_ part: Int, of whole: Int) -> String { percent(Double(part), of: Double(whole)) }

    /// The same from totals that could overflow integers (sums over many samples); IEEE
    /// arithmetic keeps it deterministic.
    static func percent(_ part: Double, of whole: Double) -> String {
        guard whole > 0, part >= 0 else { return "0.00" }
        let hundredths = Int64(min((part / whole * 10_000).rounded(), 1e15))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })
    }

    private static func json(_ stats: WorkloadStats, includeName: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if includeName { fields += [("name", .string(stats.name)), ("project", .string(stats.project.rawValue))] }
        fields += [
            ("createRequests", .int(Int64(stats.createRequests))), ("created", .int(Int64(stats.created))),
            ("createRefusals", counts(stats.createRefusals)), ("becameActive", .int(Int64(stats.becameActive))),
            ("failedToBuild", .int(Int64(stats.failedToBuild))), ("deletedWhileBuilding", .int(Int64(stats.deletedWhileBuilding))),
            ("actionRequests", .int(Int64(stats.actionRequests))),
            ("actionsAccepted", .int(Int64(stats.actionsAccepted))), ("actionRefusals", counts(stats.actionRefusals)),
            ("deletes", .int(Int64(stats.deletes))), ("deleteRefusals", counts(stats.deleteRefusals)),
            ("groupFailures", .int(Int64(stats.groupFailures))),
            ("errorFaults", counts(stats.errorFaults)),
            ("firstRefusals", .object(stats.firstRefusals.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        if includeName { fields.append(("hostsHolding", .int(Int64(stats.hostsHolding)))) }
        return .object(fields)
    }

    private static func json(_ sample: RunSample) -> JSONValue {
        .object([
            ("time", .string(sample.time.sinceStart.description)),
            ("servers", .int(Int64(sample.servers))),
            ("statuses", .object(sample.statusCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .int(Int64($0.value))) })),
            ("hostsUp", .int(Int64(sample.hostsUp))), ("hosts", .int(Int64(sample.hosts))),
            ("vcpusUsed", .int(Int64(sample.vcpusUsed))), ("vcpus", .int(Int64(sample.vcpus))),
            ("memoryMiBUsed", .int(Int64(sample.memoryMiBUsed))), ("memoryMiB", .int(Int64(sample.memoryMiB))),
        ])
    }

    /// The sample with the most servers, the highest vCPU and memory use (first of equals).
    public var peaks: (servers: RunSample?, vcpus: RunSample?, memory: RunSample?) {
        func first(by key: (RunSample) -> Int) -> RunSample? {
            samples.reduce(nil) { best, sample in best.map { key(sample) > key($0) ? sample : $0 } ?? sample }
        }
        return (first { $0.servers }, first { $0.vcpusUsed }, first { $0.memoryMiBUsed })
    }

    /// Mean and peak use of one resource over the samples, as percentages of capacity.
    public func utilisation(_ used: (RunSample) -> Int, of capacity: (RunSample) -> Int) -> (mean: String, peak: String) {
        guard !samples.isEmpty else { return ("0.00", "0.00") }
        let usedTotal = samples.reduce(0.0) { $0 + Double(used($1)) }
        let capacityTotal = samples.reduce(0.0) { $0 + Double(capacity($1)) }
        let peak = samples.max { Double(used($0)) * Double(capacity($1)) < Double(used($1)) * Double(capacity($0)) } ?? samples[0]
        return (Self.percent(usedTotal, of: capacityTotal), Self.percent(used(peak), of: capacity(peak)))
    }

    var utilisationJSON: JSONValue {
        let rows: [(String, (RunSample) -> Int, (RunSample) -> Int)] = [
            ("vcpu", { $0.vcpusUsed }, { $0.vcpus }), ("memory", { $0.memoryMiBUsed }, { $0.memoryMiB }), ("disk", { $0.diskGiBUsed }, { $0.diskGiB }),
        ]
        return .object(
            rows.map { name, used, capacity in
                let value = utilisation(used, of: capacity)
                return (name, .object([("meanPercent", .string(value.mean)), ("peakPercent", .string(value.peak))]))
            })
    }

    /// The canonical report.
    public var json: JSONValue {
        guard case .object(var fields) = baseJSON else { return baseJSON }
        if let builds { fields.append(("builds", builds.json)) }
        return .object(fields)
    }

    private var baseJSON: JSONValue {
        let peaks = self.peaks
        var peakFields: [(String, JSONValue)] = []
        if let servers = peaks.servers {
            peakFields += [("servers", .int(Int64(servers.servers))), ("serversAt", .string(servers.time.sinceStart.description))]
        }
        if let vcpus = peaks.vcpus {
            peakFields += [("vcpuPercent", .string(Self.percent(vcpus.vcpusUsed, of: vcpus.vcpus))), ("vcpuAt", .string(vcpus.time.sinceStart.description))]
        }
        if let memory = peaks.memory {
            peakFields += [
                ("memoryPercent", .string(Self.percent(memory.memoryMiBUsed, of: memory.memoryMiB))), ("memoryAt", .string(memory.time.sinceStart.description)),
            ]
        }
        return .object([
            ("scenario", .string(scenario)),
            ("seed", .string(String(seed))),
            ("duration", .string(duration.description)),
            ("epoch", .string(epoch.iso8601(at: .zero))),
            ("totals", Self.json(totals, includeName: false)),
            ("workloads", .array(workloads.map { Self.json($0, includeName: true) })),
            ("peaks", .object(peakFields)),
            ("final", samples.last.map(Self.json) ?? .null),
            ("samples", .int(Int64(samples.count))),
            ("cloudTraceDigest", .string(cloudDigest)),
            ("runTraceDigest", .string(runDigest)),
            ("invariantViolations", .array(invariantViolations.map(JSONValue.string))),
            ("utilisation", utilisationJSON),
            ("cloudEvents", .int(Int64(clamping: cloudEvents))),
            ("faults", .array(faults.map(JSONValue.string))),
            (
                "placementFailures",
                .object([
                    ("noValidHost", .int(Int64(placementFailures.total))),
                    ("byFilter", .object(placementFailures.byFilter.map { ($0.filter.rawValue, .int(Int64($0.failures))) })),
                ])
            ),
            (
                "timeInStatus",
                .object(
                    statusTimes.map { time in
                        (
                            time.status.rawValue,
                            .object([
                                ("visits", .int(Int64(time.visits))), ("mean", .string(time.mean.description)), ("p50", .string(time.p50.description)),
                                ("p95", .string(time.p95.description)), ("p99", .string(time.p99.description)),
                            ])
                        )
                    })
            ),
            (
                "spread",
                .array(
                    spread.map { quality in
                        .object([
                            ("project", .string(quality.project.rawValue)), ("servers", .int(Int64(quality.servers))), ("hosts", .int(Int64(quality.hosts))),
                            ("sharingAHost", .int(Int64(quality.sharing))), ("mostOnOneHost", .int(Int64(quality.mostOnOneHost))),
                        ])
                    })
            ),
        ])
    }

    /// The statuses the time series has a column for; the rest are summed under `other`.
    static let csvStatuses: [ServerStatus] = [.build, .active, .shutoff, .error, .unknown]

    /// One row per sample: `seconds,time,servers,BUILD,ACTIVE,SHUTOFF,ERROR,UNKNOWN,other,
    /// hosts_up,hosts,vcpus_used,vcpus,memory_mib_used,memory_mib,disk_gib_used,disk_gib`,
    /// newline-terminated.
    public var timeSeriesCSV: String {
        let physical = builds != nil
        var text =
            "seconds,time,servers," + Self.csvStatuses.map(\.rawValue).joined(separator: ",")
            + ",other,hosts_up,hosts,vcpus_used,vcpus,memory_mib_used,memory_mib,disk_gib_used,disk_gib"
            + (physical ? ",build_queue,image_store_util_percent,host_network_util_percent\n" : "\n")
        for sample in samples {
            let buildCells =
                physical
                ? [
                    String(sample.buildQueue ?? 0), Self.percent(sample.imageStoreUtilisation ?? 0, of: 1),
                    Self.percent(sample.hostNetworkUtilisation ?? 0, of: 1),
                ] : []
            let named = Self.csvStatuses.map { sample.statusCounts[$0] ?? 0 }
            let cells =
                [sample.time.sinceStart.nanoseconds / 1_000_000_000].map(String.init) + [epoch.iso8601(at: sample.time), String(sample.servers)]
                + named.map(String.init) + [String(sample.servers - named.reduce(0, +))]
                + [sample.hostsUp, sample.hosts, sample.vcpusUsed, sample.vcpus, sample.memoryMiBUsed, sample.memoryMiB, sample.diskGiBUsed, sample.diskGiB]
                .map(String.init)
                + buildCells
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    /// A few lines for a terminal.
    public var summary: String {
        let total = totals
        var lines = [
            "scenario \(scenario), seed \(seed), \(duration) from \(epoch.iso8601(at: .zero))",
            "creates: \(total.createRequests) requested, \(total.created) accepted, \(total.becameActive) became ACTIVE, \(total.failedToBuild) failed to build"
                + (total.createRefusals.isEmpty
                    ? "" : "; refused: " + total.createRefusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            "actions: \(total.actionRequests) requested, \(total.actionsAccepted) accepted; deletes: \(total.deletes)",
        ]
        for (code, message) in total.firstRefusals.sorted(by: { $0.key < $1.key }) { lines.append("  first \(code): \(message)") }
        // The ten most common ERROR faults (messages naming hosts can be many).
        let errors = total.errorFaults.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (message, count) in errors.prefix(10) { lines.append("  ERROR \(count)x: \(message)") }
        if errors.count > 10 { lines.append("  ERROR: \(errors.dropFirst(10).reduce(0) { $0 + $1.value })x more, with \(errors.count - 10) other message(s)") }
        for stats in workloads {
            lines.append(
                "  \(stats.name) (\(stats.project)): \(stats.createRequests) requested, \(stats.created) accepted, \(stats.becameActive) ACTIVE, \(stats.failedToBuild) failed, on \(stats.hostsHolding) hosts at the end"
            )
        }
        let peaks = self.peaks
        if let servers = peaks.servers { lines.append("peak: \(servers.servers) servers at \(servers.time.sinceStart)") }
        let vcpu = utilisation({ $0.vcpusUsed }, of: { $0.vcpus }), memory = utilisation({ $0.memoryMiBUsed }, of: { $0.memoryMiB })
        let disk = utilisation({ $0.diskGiBUsed }, of: { $0.diskGiB })
        lines.append("utilisation mean/peak: vCPU \(vcpu.mean)%/\(vcpu.peak)%, RAM \(memory.mean)%/\(memory.peak)%, disk \(disk.mean)%/\(disk.peak)%")
        if placementFailures.total > 0 {
            lines.append(
                "placement: \(placementFailures.total) NoValidHost (filters eliminating hosts: "
                    + placementFailures.byFilter.map { "\($0.filter.rawValue) in \($0.failures)" }.joined(separator: ", ") + ")")
        }
        if !faults.isEmpty {
            lines.append("faults: " + faults.prefix(20).joined(separator: ", ") + (faults.count > 20 ? " and \(faults.count - 20) more" : ""))
        }
        if !statusTimes.isEmpty {
            lines.append("time in status (visits, mean, p50, p95, p99):")
            for time in statusTimes { lines.append("  \(time.status.rawValue): \(time.visits), \(time.mean), \(time.p50), \(time.p95), \(time.p99)") }
        }
        if let builds {
            let statistics = builds.statistics
            lines.append(
                "builds: image cache \(statistics.cacheHits) hits, \(statistics.cacheMisses) misses (\(Self.percent(statistics.cacheHits, of: statistics.cacheHits + statistics.cacheMisses))% hits), peak build queue on a host \(statistics.peakQueueLength)"
            )
            lines.append("build time by phase (count, mean, p50, p95, p99):")
            for workload in builds.workloads {
                lines.append("  \(workload.name) (\(workload.cacheHits) cache hits):")
                for (phase, summary) in zip(BuildReport.phases, workload.phases) { lines.append("    \(phase): \(summary.text)") }
            }
        }
        if !spread.isEmpty {
            lines.append("spread at the end (servers on hosts, sharing a host, most on one host):")
            for quality in spread { lines.append("  \(quality.project): \(quality.servers) on \(quality.hosts), \(quality.sharing), \(quality.mostOnOneHost)") }
        }
        if let last = samples.last {
            let statuses = last.statusCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            lines.append("end: \(last.servers) servers (\(statuses.isEmpty ? "none" : statuses)), \(last.hostsUp)/\(last.hosts) hosts up")
        }
        lines.append(
            invariantViolations.isEmpty
                ? "invariants: hold" : "invariants: \(invariantViolations.count) violated: " + invariantViolations.joined(separator: "; "))
        lines.append("cloud events: \(cloudEvents); digests: cloud \(cloudDigest) run \(runDigest)")
        return lines.joined(separator: "\n") + "\n"
    }
}
