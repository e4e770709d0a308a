/// Runs a scenario: its workloads create, act on and delete servers through the typed
/// ``ComputeCloud`` facade, its fault plan takes hosts down and up, and a sample of the cloud is
/// recorded every ``Scenario/sampleInterval``. The result is a ``RunReport``.
///
/// The runner keeps its own `Scheduler` of workload events beside the cloud's. Before each
/// workload event at time `t` the cloud advances to `t` (so the cloud's own events at `t` run
/// first), then the workload event runs; both are seeded, so the same scenario and seed give a
/// byte-identical report. Every random choice draws from a stream named after its workload
/// (`run/arrival/<name>`, `run/servers/<name>`, `run/actions/<name>`), so adding a workload does
/// not change the others' choices. Each sample schedules the next, so a sample at an instant
/// sees the workload events already due then; a run records at most ``maximumSamples`` rows.
///
/// Cost: O(events × log pending) for the run, plus O(servers + hosts) per sample.
public struct ScenarioRunner {
    public let scenario: Scenario
    public let seed: UInt64
    public let duration: SimDuration
    private var scheduler = Scheduler<RunEvent>()
    private var state: RunState
    /// The ACTIVE changes drained after each cloud event (its storage swaps with the cloud's log).
    private var activeChanges: [ServerStatusChange] = []

    /// Prepares a run of `scenario`, optionally with another seed or duration.
    /// - Throws: ``ScenarioError`` when the cloud cannot be built or a fault names a time
    ///   outside the run.
    public init(scenario: Scenario, seed: UInt64? = nil, duration: SimDuration? = nil) throws(ScenarioError) {
        var configuration = scenario.configuration
        if let seed { configuration.seed = seed }
        configuration.recordsInstanceActions = false  // no report reads the action log
        configuration.recordsMigrations = false  // nor the migration records
        self.scenario = scenario
        self.seed = configuration.seed
        self.duration = duration ?? scenario.duration
        let cloud: ComputeCloud
        do { cloud = try ComputeCloud(configuration: configuration) } catch { throw ScenarioError(path: "", reason: error.message, underlying: error) }
        state = RunState(scenario: scenario, seed: configuration.seed, cloud: cloud)
        // With archiving, each archived server's part of the report is counted before it is freed.
        state.cloud.logsArchived = configuration.deletedServerRetention != nil
        for (index, timed) in scenario.faultPlan.enumerated() where timed.at <= self.duration {
            do { try state.cloud.inject(timed.fault, at: .zero + timed.at) } catch {
                throw ScenarioError(path: "faultPlan[\(index)]", reason: error.message, underlying: error)
            }
        }
        for (index, group) in scenario.serverGroups.enumerated() {
            do {
                try state.cloud.createServerGroup(
                    group.id, name: group.id.rawValue, policy: group.policy, maxServerPerHost: group.maxServerPerHost,
                    as: Caller(project: group.project, user: "scenario"))
            } catch { throw ScenarioError(path: "serverGroups[\(index)]", reason: error.message, underlying: error) }
        }
        for (index, failures) in scenario.randomHostFailures.enumerated() {
            var random = DeterministicRandom(seed: configuration.seed, stream: "run/host-failures/\(index)")
            for host in failures.hosts {
                var time = SimTime.zero
                while true {
                    guard let failAt = try? time.advanced(by: max(SimDuration(nanoseconds: 1), failures.timeBetweenFailures.sampleDuration(using: &random))),
                        failAt <= .zero + self.duration
                    else { break }
                    try? state.cloud.inject(.hostFailure(host), at: failAt)  // the host exists: the plan was read from this cloud
                    state.randomFaults.append("\(failAt.sinceStart) hostFailure \(host)")
                    guard let upAt = try? failAt.advanced(by: failures.timeToRepair.sampleDuration(using: &random)), upAt <= .zero + self.duration else {
                        break
                    }
                    try? state.cloud.inject(.hostUp(host), at: upAt)
                    state.randomFaults.append("\(upAt.sinceStart) hostUp \(host)")
                    time = upAt
                    guard state.randomFaults.count <= Self.maximumRandomFaults else {
                        throw ScenarioError(
                            path: "faultPlan",
                            reason: "the MTBF/MTTR distributions draw more than \(Self.maximumRandomFaults) host failures and repairs in \(self.duration)")
                    }
                }
            }
        }
        for (index, workload) in scenario.workloads.enumerated() {
            // What the scenario reader checks, for workloads built in code.
            if case .growing(let perHour, let growth, let every) = workload.arrival,
                !(perHour > 0 && perHour <= 1e7 && growth >= 0 && growth <= 10_000 && every > .zero)
            {
                throw ScenarioError(
                    path: "workloads[\(index)].arrival",
                    reason: "a growing arrival needs perHour above 0 and at most 10000000, growthPercent from 0 to 10000 and a positive every")
            }
        }
        for (index, workload) in scenario.workloads.enumerated() where workload.maxServers == nil {
            let seconds = max(0, (self.duration - workload.start).secondsValue)
            let expected: Double
            switch workload.arrival {
            case .poisson(let mean): expected = seconds / mean.secondsValue
            case .constant(let interval): expected = seconds / interval.secondsValue
            case .diurnal(let perHour): expected = seconds / 3_600 * (perHour.max() ?? 0)
            case .growing(let perHour, let growth, let every):
                expected = ArrivalProcess.expectedGrowingArrivals(in: seconds, perHour: perHour, growthPercent: growth, every: every)
            case .burst(let offsets, let count): expected = Double(offsets.count * count)
            case .trace(let rows): expected = Double(rows.count)
            }
            guard expected <= Double(Self.maximumCreatesWithoutLimit) else {
                // NaN (rates built in code) fails the guard too; it has no count to print.
                let count = expected.isNaN ? "an unknown number of" : "about \(Int64(min(expected, 9e18)))"
                throw ScenarioError(
                    path: "workloads[\(index)]",
                    reason: "expects \(count) creates in \(self.duration); set maxServers (the limit without it is \(Self.maximumCreatesWithoutLimit))")
            }
        }
        for (index, workload) in scenario.workloads.enumerated() where workload.start <= self.duration {
            scheduler.schedule(.arrival(workload: index), at: .zero + workload.start)
        }
        for (index, evacuation) in scenario.evacuations.enumerated() where evacuation.at <= self.duration {
            scheduler.schedule(.evacuate(plan: index), at: .zero + evacuation.at)
        }
        let samples = self.duration.nanoseconds / max(1, scenario.sampleInterval.nanoseconds) + 1
        guard samples <= Self.maximumSamples else {
            throw ScenarioError(
                path: "sampleInterval",
                reason: "a \(self.duration) run sampled every \(scenario.sampleInterval) takes \(samples) samples; at most \(Self.maximumSamples)")
        }
        state.end = .zero + self.duration
        state.setUpHeatMap(samples: samples)
        scheduler.schedule(.sample, at: .zero)  // each sample schedules the next
    }

    /// Keeps every trace line of the cloud and of the workload scheduler for ``traceJSONLines``
    /// (memory grows with the run). Set before ``run(progress:)``.
    public var capturesTrace: Bool {
        get { scheduler.trace.capture == .all }
        set {
            scheduler.trace.capture = newValue ? .all : .none
            state.cloud.traceCapture = newValue ? .all : .none
        }
    }

    /// The most creates a workload without `maxServers` may expect over a run (a guard against
    /// a mistyped interval turning into a run that never ends).
    public static let maximumCreatesWithoutLimit = 100_000_000

    /// The most host failures and repairs MTBF/MTTR distributions may draw for one run.
    public static let maximumRandomFaults = 1_000_000

    /// The most time-series rows a run may record.
    public static let maximumSamples: Int64 = 1_000_000

    /// Runs to the end of the scenario and reports. `progress`, if given, is called after each
    /// workload event with the simulated time and the events processed so far (cloud and
    /// workload); it must not assume a fixed call rate.
    /// - Complexity: O(events × log pending + samples × (servers + hosts)).
    public mutating func run(progress: ((SimTime, UInt64) -> Void)? = nil) -> RunReport {
        let end = SimTime.zero + duration
        let scripted = scenario.workloads.contains { !$0.script.isEmpty }
        state.cloud.logsStatusChanges = scripted
        state.cloud.statusLogFilter = .active  // scripts wait only for ACTIVE
        while let next = scheduler.nextEventTime(), next <= end {
            advanceCloud(to: next, scripted: scripted)
            _ = scheduler.step(handler: &state)
            progress?(scheduler.now, eventCount)
        }
        advanceCloud(to: end, scripted: scripted)
        state.cloud.statusLogFilter = nil  // the cloud handed out afterwards logs as its user asks
        return state.report(duration: duration, runDigest: scheduler.traceDigest)
    }

    /// Advances the cloud to `time`; with scripts, one event at a time, so a server that turns
    /// ACTIVE has its next script step scheduled from that exact instant.
    private mutating func advanceCloud(to time: SimTime, scripted: Bool) {
        if scripted {
            while let next = state.cloud.nextEventTime(), next <= time {
                state.cloud.step()
                state.cloud.drainStatusChanges(into: &activeChanges)
                for change in activeChanges { state.scriptBecameActive(change, scheduler: &scheduler) }
            }
        }
        try? state.cloud.advance(to: time)  // never earlier than the cloud's now: both start at zero
        if state.cloud.logsArchived { state.foldArchived() }  // before the runner's next create may reuse a number
    }

    /// Events processed so far, the cloud's and the workloads'.
    public var eventCount: UInt64 { state.cloud.processedEventCount + scheduler.processedEventCount }

    /// The captured trace (``capturesTrace``) as JSON Lines, one event per line:
    /// `{"event":"build-completed server=3","seq":17,"source":"cloud","time":"90.000000000"}`.
    /// The two schedulers' lines are merged by time, the cloud's first at equal times.
    public var traceJSONLines: String {
        func parse(_ line: String, source: String) -> (nanoseconds: Int64, json: String) {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { return (0, "") }
            let seconds = parts[0].split(separator: ".")
            let nanoseconds = (Int64(seconds.first ?? "0") ?? 0) * 1_000_000_000 + (Int64(seconds.count > 1 ? seconds[1] : "0") ?? 0)
            let json = JSONValue.object([
                ("event", .string(parts[2])), ("seq", .int(Int64(parts[1].dropFirst()) ?? 0)), ("source", .string(source)), ("time", .string(parts[0])),
            ])
            return (nanoseconds, json.canonicalText)
        }
        let cloudLines = state.cloud.capturedTraceLines.map { parse($0, source: "cloud") }
        let runLines = scheduler.trace.capturedLines.map { parse($0, source: "workload") }
        var output = ""
        var i = 0, j = 0
        while i < cloudLines.count || j < runLines.count {
            if j >= runLines.count || (i < cloudLines.count && cloudLines[i].nanoseconds <= runLines[j].nanoseconds) {
                output += cloudLines[i].json + "\n"
                i += 1
            } else {
                output += runLines[j].json + "\n"
                j += 1
            }
        }
        return output
    }

    /// The cloud as it is now (for tests and tools that look further after a run).
    public var cloud: ComputeCloud { state.cloud }
}
