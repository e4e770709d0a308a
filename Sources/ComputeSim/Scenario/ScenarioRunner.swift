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
        self.scenario = scenario
        self.seed = configuration.seed
        self.duration = duration ?? scenario.duration
        let cloud: ComputeCloud
        do { cloud = try ComputeCloud(configuration: configuration) } catch { throw ScenarioError(path: "", reason: error.message, underlying: error) }
        state = RunState(scenario: scenario, seed: configuration.seed, cloud: cloud)
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
        for (index, workload) in scenario.workloads.enumerated() where workload.maxServers == nil {
            let seconds = max(0, (self.duration - workload.start).secondsValue)
            let expected: Double
            switch workload.arrival {
            case .poisson(let mean): expected = seconds / mean.secondsValue
            case .constant(let interval): expected = seconds / interval.secondsValue
            case .diurnal(let perHour): expected = seconds / 3_600 * (perHour.max() ?? 0)
            case .burst(let offsets, let count): expected = Double(offsets.count * count)
            case .trace(let rows): expected = Double(rows.count)
            }
            guard expected <= Double(Self.maximumCreatesWithoutLimit) else {
                throw ScenarioError(
                    path: "workloads[\(index)]",
                    reason:
                        "expects about \(Int64(min(expected, 9e18))) creates in \(self.duration); set maxServers (the limit without it is \(Self.maximumCreatesWithoutLimit))"
                )
            }
        }
        for (index, workload) in scenario.workloads.enumerated() where workload.start <= self.duration {
            scheduler.schedule(.arrival(workload: index), at: .zero + workload.start)
        }
        let samples = self.duration.nanoseconds / max(1, scenario.sampleInterval.nanoseconds) + 1
        guard samples <= Self.maximumSamples else {
            throw ScenarioError(
                path: "sampleInterval",
                reason: "a \(self.duration) run sampled every \(scenario.sampleInterval) takes \(samples) samples; at most \(Self.maximumSamples)")
        }
        state.end = .zero + self.duration
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

/// A workload event of a run.
enum RunEvent: TraceableEvent {
    case arrival(workload: Int)
    case expire(workload: Int, server: ServerID)
    case action(workload: Int, server: ServerID)
    case scriptStep(workload: Int, server: ServerID, step: Int)
    case sample

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .arrival(let workload):
            line.append("arrival workload=")
            line.append(workload)
        case .expire(let workload, let server):
            line.append("expire workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
        case .action(let workload, let server):
            line.append("action workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
        case .scriptStep(let workload, let server, let step):
            line.append("script workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
            line.append(" step=")
            line.append(step)
        case .sample:
            line.append("sample")
        }
    }
}

/// The mutable side of a run: the cloud, the random streams and the tallies.
struct RunState: EventHandler {
    let scenario: Scenario
    let seed: UInt64
    var cloud: ComputeCloud
    var arrivalRandom: [DeterministicRandom]
    var serverRandom: [DeterministicRandom]
    var actionRandom: [DeterministicRandom]
    var stats: [WorkloadStats]
    /// Servers each workload created, in order (for the build outcomes at the end).
    var created: [[ServerID]]
    var samples: [RunSample] = []
    /// Servers the runner deleted (their pending actions stop).
    var expired = Set<ServerID>()
    /// Servers waiting to become ACTIVE before their next script step: (workload, step).
    var awaitingActive: [ServerID: (workload: Int, step: Int)] = [:]
    /// Who created each server (trace rows name their own project).
    var owners: [ServerID: Caller] = [:]
    /// The next row of each trace workload.
    var traceCursor: [Int]
    /// The end of the run.
    var end = SimTime.zero
    /// Host failures and repairs drawn from MTBF/MTTR, as `<offset> <fault>`.
    var randomFaults: [String] = []

    init(scenario: Scenario, seed: UInt64, cloud: ComputeCloud) {
        self.scenario = scenario
        self.seed = seed
        self.cloud = cloud
        arrivalRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/arrival/\($0.name)") }
        serverRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/servers/\($0.name)") }
        actionRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/actions/\($0.name)") }
        stats = scenario.workloads.map { WorkloadStats(name: $0.name, project: $0.project) }
        created = scenario.workloads.map { _ in [] }
        traceCursor = scenario.workloads.map { _ in 0 }
    }

    mutating func handle(_ event: RunEvent, scheduler: inout Scheduler<RunEvent>) {
        switch event {
        case .arrival(let index): arrive(index, scheduler: &scheduler)
        case .expire(let index, let server): expire(index, server, scheduler: &scheduler)
        case .action(let index, let server): act(index, server, scheduler: &scheduler)
        case .scriptStep(let index, let server, let step): runScriptStep(index, server, step, scheduler: &scheduler)
        case .sample:
            samples.append(sample())
            if let next = try? scheduler.now.advanced(by: scenario.sampleInterval), next <= end { scheduler.schedule(.sample, at: next) }
        }
    }

    private func caller(_ workload: Workload) -> Caller { Caller(project: workload.project, user: workload.name) }

    private static func schedule(_ event: RunEvent, after delay: SimDuration, scheduler: inout Scheduler<RunEvent>) {
        guard let time = try? scheduler.now.advanced(by: delay) else { return }  // beyond the end of time: never
        scheduler.schedule(event, at: time)
    }

    // MARK: Arrivals

    private mutating func arrive(_ index: Int, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        let stop = workload.stop.map { SimTime.zero + $0 }
        if let stop, scheduler.now >= stop { return }
        switch workload.arrival {
        case .burst(let offsets, let count):
            // Every burst due now, then wait for the next (the cursor is shared with traces).
            while traceCursor[index] < offsets.count, let due = try? (SimTime.zero + workload.start).advanced(by: offsets[traceCursor[index]]),
                due <= scheduler.now
            {
                for _ in 0..<count where !isExhausted(index) { create(index, scheduler: &scheduler) }
                traceCursor[index] += 1
            }
            if traceCursor[index] < offsets.count, !isExhausted(index),
                let next = try? (SimTime.zero + workload.start).advanced(by: offsets[traceCursor[index]])
            {
                scheduler.schedule(.arrival(workload: index), at: next)
            }
            return
        case .constant(let interval):
            create(index, scheduler: &scheduler)
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: interval, scheduler: &scheduler) }
        case .diurnal(let perHour):
            // Thinning: candidates at the peak rate, each kept with probability rate(now)/peak.
            let peak = perHour.max() ?? 0
            if stats[index].createRequests > 0 || scheduler.now > .zero + workload.start {
                let unixSeconds = cloud.wallClock.unixNanoseconds(at: scheduler.now) / 1_000_000_000
                let hour = Int(((unixSeconds % 86_400) + 86_400) % 86_400 / 3_600)
                if arrivalRandom[index].nextUnitDouble() * peak < perHour[hour] { create(index, scheduler: &scheduler) }
            }
            let gap = Distribution.exponential(mean: 3_600 / peak).sampleDuration(using: &arrivalRandom[index])
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler) }
        case .trace(let rows):
            // Every row due now, then wait for the next row.
            while traceCursor[index] < rows.count, let due = try? (SimTime.zero + workload.start).advanced(by: rows[traceCursor[index]].at),
                due <= scheduler.now,
                !isExhausted(index)
            {
                create(index, row: rows[traceCursor[index]], scheduler: &scheduler)
                traceCursor[index] += 1
            }
            if traceCursor[index] < rows.count, !isExhausted(index),
                let next = try? (SimTime.zero + workload.start).advanced(by: rows[traceCursor[index]].at)
            {
                scheduler.schedule(.arrival(workload: index), at: next)
            }
        case .poisson(let mean):
            // The first arrival is a gap after the start, like every other.
            if stats[index].createRequests > 0 || scheduler.now > .zero + workload.start { create(index, scheduler: &scheduler) }
            let gap = Distribution.exponential(mean: mean.secondsValue).sampleDuration(using: &arrivalRandom[index])
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler) }
        }
    }

    private func isExhausted(_ index: Int) -> Bool {
        scenario.workloads[index].maxServers.map { stats[index].createRequests >= $0 } ?? false
    }

    private mutating func create(_ index: Int, row: TraceArrival? = nil, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        let number = stats[index].createRequests
        stats[index].createRequests += 1
        let flavor = row?.flavor ?? Self.pick(workload.flavors, using: &serverRandom[index])
        let caller = Caller(project: row?.project ?? workload.project(ofServer: number), user: workload.name)
        guard let image = row?.image ?? workload.image ?? cloud.images.first?.id else {
            stats[index].refuse(CloudError(.badRequest, "the catalog has no image")); return
        }
        var request = CreateServerRequest(name: "\(workload.name)-\(number + 1)", image: image, flavor: flavor)
        if let declared = workload.declaredGroup { request.group = declared }
        request.availabilityZone = workload.availabilityZone
        if let group = workload.group {
            let id = ServerGroupID(rawValue: "\(workload.name)-group-\(number / group.size + 1)")
            if number % group.size == 0 {
                do { try cloud.createServerGroup(id, name: id.rawValue, policy: group.policy, as: caller) } catch { stats[index].groupFailures += 1 }
            }
            request.group = id
        }
        let ids: [ServerID]
        do { ids = try cloud.createServers(request, as: caller).ids } catch {
            stats[index].refuse(error)
            return
        }
        for id in ids {
            created[index].append(id)
            owners[id] = caller
            if let row {
                if let lifetime = row.lifetime { Self.schedule(.expire(workload: index, server: id), after: lifetime, scheduler: &scheduler) }
            } else if let lifetime = workload.lifetime {
                Self.schedule(.expire(workload: index, server: id), after: lifetime.sampleDuration(using: &serverRandom[index]), scheduler: &scheduler)
            }
            scheduleAction(index, id, scheduler: &scheduler)
            if !workload.script.isEmpty { awaitingActive[id] = (index, 0) }
        }
    }

    /// Picks by weight; all-zero weights pick the first.
    private static func pick<Value>(_ choices: [(Value, Double)], using random: inout DeterministicRandom) -> Value {
        let total = choices.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return choices[0].0 }
        var target = random.nextUnitDouble() * total
        for choice in choices {
            if target < choice.1 { return choice.0 }
            target -= choice.1
        }
        return choices[choices.count - 1].0
    }

    // MARK: Actions and deletion

    private mutating func scheduleAction(_ index: Int, _ server: ServerID, scheduler: inout Scheduler<RunEvent>) {
        let perHour = scenario.workloads[index].actions.reduce(0) { $0 + $1.1 }
        guard perHour > 0 else { return }
        let gap = Distribution.exponential(mean: 3_600 / perHour).sampleDuration(using: &actionRandom[index])
        Self.schedule(.action(workload: index, server: server), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler)
    }

    private mutating func act(_ index: Int, _ server: ServerID, scheduler: inout Scheduler<RunEvent>) {
        guard !expired.contains(server) else { return }
        let workload = scenario.workloads[index]
        let action = Self.pick(workload.actions, using: &actionRandom[index])
        if let refusal = perform(action, on: server, workload: index), refusal.code == .itemNotFound { return }  // deleted meanwhile
        scheduleAction(index, server, scheduler: &scheduler)
    }

    /// Performs a workload action as the server's owner and counts it; returns the refusal.
    private mutating func perform(_ action: WorkloadAction, on server: ServerID, workload index: Int) -> CloudError? {
        let owner = owners[server] ?? caller(scenario.workloads[index])
        stats[index].actionRequests += 1
        do throws(CloudError) {
            switch action {
            case .api(let request): _ = try cloud.perform(request, on: server, as: owner)
            case .guestShutdown: try cloud.guestShutdown(server, as: owner)
            }
            stats[index].actionsAccepted += 1
            return nil
        } catch {
            stats[index].actionRefusals[error.code.rawValue, default: 0] += 1
            stats[index].note(error)
            return error
        }
    }

    /// A server turned ACTIVE: schedule its next script step, timed from that instant.
    mutating func scriptBecameActive(_ change: ServerStatusChange, scheduler: inout Scheduler<RunEvent>) {
        guard let (index, step) = awaitingActive.removeValue(forKey: change.server) else { return }
        let delay = scenario.workloads[index].script[step].after.sampleDuration(using: &serverRandom[index])
        guard let time = try? change.time.advanced(by: delay) else { return }
        scheduler.schedule(.scriptStep(workload: index, server: change.server, step: step), at: max(time, scheduler.now))
    }

    private mutating func runScriptStep(_ index: Int, _ server: ServerID, _ step: Int, scheduler: inout Scheduler<RunEvent>) {
        guard !expired.contains(server) else { return }
        let script = scenario.workloads[index].script
        guard let action = script[step].action else {
            expire(index, server, scheduler: &scheduler)
            return
        }
        let owner = owners[server] ?? caller(scenario.workloads[index])
        if let refusal = perform(action, on: server, workload: index) {
            if refusal.code != .itemNotFound {
                Self.schedule(.scriptStep(workload: index, server: server, step: step), after: .minutes(1), scheduler: &scheduler)  // try again
            }
            return
        }
        guard step + 1 < script.count else { return }
        if (try? cloud.status(of: server, as: owner)) == .active {
            // The action left the status ACTIVE (e.g. createImage): time the next step from now.
            let delay = script[step + 1].after.sampleDuration(using: &serverRandom[index])
            Self.schedule(.scriptStep(workload: index, server: server, step: step + 1), after: delay, scheduler: &scheduler)
        } else {
            awaitingActive[server] = (index, step + 1)
        }
    }

    private mutating func expire(_ index: Int, _ server: ServerID, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        noteError(index, server)
        do {
            try cloud.deleteServer(server, as: owners[server] ?? caller(workload))
            stats[index].deletes += 1
            expired.insert(server)
            owners[server] = nil
        } catch {
            stats[index].deleteRefusals[error.code.rawValue, default: 0] += 1
            stats[index].note(error)
            guard error.code != .itemNotFound else { expired.insert(server); return }
            Self.schedule(.expire(workload: index, server: server), after: .minutes(1), scheduler: &scheduler)  // a user tries again
        }
    }

    /// Tallies the fault of a server in ERROR (before the runner deletes it, and at the end).
    private mutating func noteError(_ index: Int, _ id: ServerID) {
        let owner = owners[id] ?? caller(scenario.workloads[index])
        guard (try? cloud.status(of: id, as: owner)) == .error, let server = try? cloud.server(id, as: owner) else { return }
        // Nova's messages name the instance; the tally groups them by everything else.
        stats[index].errorFaults[server.fault?.message.replacing(id.rawValue, with: "<server>") ?? "(no fault)", default: 0] += 1
    }

    // MARK: Samples and the report

    private func sample() -> RunSample {
        var row = RunSample(time: cloud.now)
        for server in cloud.servers(as: Caller(project: ProjectID("admin"), isAdmin: true)) {
            row.statusCounts[server.status, default: 0] += 1
        }
        if let statistics = cloud.buildStatistics {
            row.buildQueue = statistics.queuedNow
            row.imageStoreUtilisation = statistics.imageStoreUtilisation
            row.hostNetworkUtilisation = statistics.hostNetworkUtilisation
        }
        let pool = cloud.hostPool
        for name in pool.hostNames {
            guard let usage = pool.usage(of: name) else { continue }
            row.hosts += 1
            if usage.isUp { row.hostsUp += 1 }
            row.vcpus += usage.capacity.vcpus
            row.vcpusUsed += usage.used.vcpus
            row.memoryMiB += usage.capacity.memoryMiB
            row.memoryMiBUsed += usage.used.memoryMiB
            row.diskGiB += usage.capacity.diskGiB
            row.diskGiBUsed += usage.used.diskGiB
        }
        return row
    }

    mutating func report(duration: SimDuration, runDigest: String) -> RunReport {
        for index in stats.indices {
            for id in created[index] where !expired.contains(id) { noteError(index, id) }
        }
        var stats = self.stats
        var timeInStatus: [ServerStatus: [Int64]] = [:]
        var spread: [SpreadQuality] = []
        for index in stats.indices {
            for id in created[index] {
                let changes = cloud.statusHistory(of: id)
                for (position, change) in changes.enumerated() where change.status != .deleted {
                    let end = position + 1 < changes.count ? changes[position + 1].time : cloud.now
                    timeInStatus[change.status, default: []].append((end - change.time).nanoseconds)
                }
                let history = changes.map(\.status)
                if history.contains(.active) {
                    stats[index].becameActive += 1
                } else if history.contains(.error) {
                    stats[index].failedToBuild += 1
                } else if history.contains(.deleted) {
                    stats[index].deletedWhileBuilding += 1
                }
            }
            let workload = scenario.workloads[index]
            let projects = workload.projects.map { layout in (0..<layout.count).map { workload.project(ofServer: $0 * layout.block) } } ?? [workload.project]
            var hosts = Set<HostName>()
            for project in projects {
                let holding = cloud.hostPool.hostsHolding(project)
                hosts.formUnion(holding.map(\.host))
                // Spread quality per project; a workload spread over more than 20 projects is summarised by its hosts only.
                if projects.count <= 20, !spread.contains(where: { $0.project == project }) {
                    spread.append(
                        SpreadQuality(
                            project: project, servers: holding.reduce(0) { $0 + $1.servers }, hosts: holding.count,
                            sharing: holding.reduce(0) { $0 + ($1.servers > 1 ? $1.servers : 0) }, mostOnOneHost: holding.map(\.servers).max() ?? 0))
                }
            }
            stats[index].hostsHolding = hosts.count
        }
        let statusTimes = timeInStatus.keys.sorted { $0.rawValue < $1.rawValue }.map { StatusTime(status: $0, nanoseconds: timeInStatus[$0] ?? []) }
        var report = RunReport(
            scenario: scenario.name, seed: seed, duration: duration, epoch: cloud.wallClock, workloads: stats, samples: samples,
            cloudDigest: cloud.traceDigest, runDigest: runDigest, invariantViolations: cloud.checkInvariants(),
            statusTimes: statusTimes, spread: spread, cloudEvents: cloud.processedEventCount,
            faults: scenario.faultPlan.filter { $0.at <= duration }.map { "\($0.at) \($0.fault.summary)" } + randomFaults)
        report.placementFailures = cloud.placementFailures
        if let statistics = cloud.buildStatistics {
            let workloads = scenario.workloads.indices.map { index in
                let times = created[index].filter { cloud.statusHistory(of: $0).contains { $0.status == .active } }.compactMap { cloud.buildTimes(of: $0) }
                return (name: scenario.workloads[index].name, cacheHits: times.filter(\.cacheHit).count, phases: BuildReport.summarise(times))
            }
            report.builds = BuildReport(workloads: workloads, statistics: statistics)
        }
        return report
    }
}
