import ComputeSim
import Foundation

/// The full-cloud benchmark (issue 8): H hosts; M servers of mixed flavors over 1,000 projects
/// arrive as a Poisson process during the first simulated hour (a tenth with a personality
/// file); then for one simulated day every server performs on average one random action an hour
/// (soft reboot, stop then start, resize then confirm, rebuild, metadata update, equally
/// likely), while 1% of the hosts fail once at a uniform time of the day and come back after
/// uniform(10 min, 60 min). A user deletes and replaces a server lost to a host failure at its
/// next action. The driver is a second ``Scheduler`` beside the cloud's; before each driver event
/// the cloud advances to its time.
func fullCloudBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let hosts = try options.integer("hosts", default: 100_000)
    let servers = try options.integer("servers", default: 1_000_000)
    let seed = try options.integer("seed", default: 1)
    let days = try options.integer("hours", default: 24)
    // A capacity-planning run keeps no action log or migration records, as the scenario runner
    // (`--action-log on` keeps both, to measure what they cost).
    let actionLog = try options.flag("action-log", default: false)
    guard hosts > 0, servers > 0 else { throw UsageError("--hosts and --servers must be positive") }
    let baseline = peakRSSBytes()
    var driver = try FullCloudDriver(hosts: hosts, servers: servers, seed: UInt64(seed), hours: days, actionLog: actionLog)
    let start = DispatchTime.now().uptimeNanoseconds
    driver.run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let peak = peakRSSBytes()
    let events = driver.eventCount
    var line = JSONLine()
    line.add("benchmark", "full-cloud")
    line.add("hosts", hosts)
    line.add("servers", servers)
    line.add("seed", seed)
    line.add("seconds", (seconds * 1000).rounded() / 1000)
    line.add("events", events)
    line.add("eventsPerSecond", (Double(events) / seconds).rounded())
    line.add("statusTransitions", driver.cloud.statusChangeCount)
    line.add("transitionsPerSecond", (Double(driver.cloud.statusChangeCount) / seconds).rounded())
    line.add("actionsAccepted", driver.tally.accepted)
    line.add("actionsRefused", driver.tally.refused)
    line.add("serversLost", driver.tally.lost)
    line.add("liveServers", driver.tally.live)
    line.add("peakRSSBytes", peak)
    line.add("bytesPerServer", driver.tally.live > 0 ? (peak - baseline) / driver.tally.live : 0)
    line.add("traceDigest", driver.cloud.traceDigest)
    let violations = driver.cloud.checkInvariants()
    line.add("invariantsHold", violations.isEmpty)
    for violation in violations.prefix(20) { printError("invariant: \(violation)\n") }
    return [line.text]
}

/// Peak resident set size of this process so far.
func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// A driver event: a create, a server's next random action, or the second half of a two-step
/// action (start after stop, confirm after resize).
enum FullCloudEvent: TraceableEvent {
    case create(slot: Int32)
    case action(slot: Int32)
    case followUp(slot: Int32, confirm: Bool)

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .create(let slot):
            line.append("create slot=")
            line.append(Int(slot))
        case .action(let slot):
            line.append("action slot=")
            line.append(Int(slot))
        case .followUp(let slot, let confirm):
            line.append(confirm ? "confirm slot=" : "start slot=")
            line.append(Int(slot))
        }
    }
}

struct FullCloudTally {
    var accepted = 0
    var refused = 0
    var lost = 0
    var live = 0
}

/// The driver's scheduler beside the state its events act on.
struct FullCloudDriver {
    var driver: CloudDriver<FullCloudState>

    init(hosts: Int, servers: Int, seed: UInt64, hours: Int, actionLog: Bool) throws(UsageError) {
        let state = try FullCloudState(hosts: hosts, servers: servers, seed: seed, hours: hours, actionLog: actionLog)
        var random = state.random
        driver = CloudDriver(state: state)
        driver.schedulePoissonHour(servers, random: &random) { .create(slot: $0) }
        driver.state.random = random
    }

    var cloud: ComputeCloud { driver.state.cloud }
    var tally: FullCloudTally { driver.state.tally }
    var eventCount: UInt64 { driver.eventCount }

    mutating func run() { driver.run(until: driver.state.end) }
}

/// The cloud and the driver's own state: which server each slot holds, the random stream and
/// the tallies.
struct FullCloudState: CloudDriving {
    var cloud: ComputeCloud
    var tally = FullCloudTally()
    let servers: Int
    let dayStart = SimTime.zero + .hours(1)
    let end: SimTime
    /// Each slot's server (a replacement takes over its slot) and its project. Handles, so the
    /// driver's calls reach the server without hashing its id.
    var slots: [ServerHandle?]
    let projects: [Caller]
    let flavors: [FlavorID]
    let image: ImageID
    var random: DeterministicRandom
    let actionGap = Distribution.exponential(mean: 3_600)

    init(hosts: Int, servers: Int, seed: UInt64, hours: Int, actionLog: Bool) throws(UsageError) {
        let json = """
            {"name": "full-cloud", "seed": \(seed), "duration": "\(hours + 1)h",
             "hosts": [{"name": "compute-{n}", "count": \(hosts), "zone": "nova", "vcpus": 64, "memoryMiB": 262144, "diskGiB": 4000, "cpuAllocationRatio": 2.0}],
             "flavors": [
               {"id": "m1", "name": "m.1", "vcpus": 1, "memoryMiB": 2048, "diskGiB": 20},
               {"id": "m2", "name": "m.2", "vcpus": 2, "memoryMiB": 4096, "diskGiB": 40},
               {"id": "m4", "name": "m.4", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 80},
               {"id": "m8", "name": "m.8", "vcpus": 8, "memoryMiB": 16384, "diskGiB": 160}],
             "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1, "serverGroups": -1, "serverGroupMembers": -1}},
             "workloads": []}
            """
        let scenario: Scenario
        do { scenario = try Scenario.parse(json: try JSONValue(parsing: json)) } catch { throw UsageError("full-cloud scenario: \(error)") }
        var configuration = scenario.configuration
        configuration.recordsInstanceActions = actionLog
        configuration.recordsMigrations = actionLog
        do { cloud = try ComputeCloud(configuration: configuration) } catch { throw UsageError("full-cloud cloud: \(error.message)") }
        guard let image = cloud.images.first?.id else { throw UsageError("full-cloud: the default catalog has no image") }
        self.image = image
        self.servers = servers
        flavors = cloud.flavors.map(\.id)
        end = dayStart + .hours(Int64(hours))
        slots = Array(repeating: nil, count: servers)
        projects = (0..<1_000).map { Caller(project: ProjectID("project-\($0)"), user: "user-\($0)") }
        random = DeterministicRandom(seed: seed, stream: "full-cloud/driver")
        // 1% of the hosts fail once during the day and come back 10 to 60 minutes later.
        var faults = DeterministicRandom(seed: seed, stream: "full-cloud/faults")
        let names = cloud.hostPool.hostNames
        for host in faults.shuffled(names).prefix(max(1, hosts / 100)) {
            let failAt = dayStart + SimDuration(nanoseconds: Int64(faults.next(below: UInt64(hours) * 3_600_000_000_000)))
            let upAt = failAt + SimDuration(nanoseconds: faults.next(in: 600_000_000_000...3_600_000_000_000))
            do {
                try cloud.inject(.hostFailure(host), at: failAt)
                try cloud.inject(.hostUp(host), at: upAt)
            } catch { throw UsageError("full-cloud faults: \(error.message)") }
        }
    }

    mutating func handle(_ event: FullCloudEvent, scheduler: inout Scheduler<FullCloudEvent>) {
        switch event {
        case .create(let slot):
            create(slot, scheduler: &scheduler)
        case .action(let slot):
            act(slot, scheduler: &scheduler)
        case .followUp(let slot, let confirm):
            followUp(slot, confirm: confirm, scheduler: &scheduler)
        }
    }

    private func owner(_ slot: Int32) -> Caller { projects[Int(slot) % projects.count] }

    private mutating func create(_ slot: Int32, scheduler: inout Scheduler<FullCloudEvent>) {
        var request = CreateServerRequest(name: "server-\(slot)", image: image, flavor: flavors[random.nextIndex(below: flavors.count)])
        request.network = .none
        if random.nextIndex(below: 10) == 0 { request.personality = [.text("slot \(slot)\n", at: "/etc/motd")] }
        guard let created = try? cloud.createServers(request, as: owner(slot)), let handle = cloud.handles(of: created).first else {
            tally.refused += 1
            return
        }
        slots[Int(slot)] = handle
        tally.live += 1
        let first = max(scheduler.now, dayStart) + actionGap.sampleDuration(using: &random)
        scheduler.schedule(.action(slot: slot), at: first)
    }

    private mutating func act(_ slot: Int32, scheduler: inout Scheduler<FullCloudEvent>) {
        guard let id = slots[Int(slot)] else { return }
        let caller = owner(slot)
        let choice = random.nextIndex(below: 5)
        var followUp: Bool? = nil
        do throws(CloudError) {
            if try cloud.status(of: id, as: caller) == .error {
                // Lost with its host: the user deletes it and creates a replacement.
                try cloud.deleteServer(id, as: caller)
                tally.lost += 1
                tally.live -= 1
                slots[Int(slot)] = nil
                create(slot, scheduler: &scheduler)
                return
            }
            switch choice {
            case 0: _ = try cloud.perform(.reboot(hard: false), on: id, as: caller)
            case 1:
                _ = try cloud.perform(.stop, on: id, as: caller)
                followUp = false
            case 2:
                let current = try cloud.server(id, as: caller).flavor.id
                let position = flavors.firstIndex(of: current) ?? 0
                _ = try cloud.perform(.resize(flavor: flavors[(position + 1 + random.nextIndex(below: flavors.count - 1)) % flavors.count]), on: id, as: caller)
                followUp = true
            case 3: _ = try cloud.perform(.rebuild(image: nil, adminPass: nil), on: id, as: caller)
            default: _ = try cloud.updateMetadata(id.id, ["touched": "\(scheduler.now.sinceStart)"], replacing: false, as: caller)
            }
            tally.accepted += 1
        } catch {
            tally.refused += 1
        }
        if let confirm = followUp { scheduler.schedule(.followUp(slot: slot, confirm: confirm), at: scheduler.now + .minutes(2)) }
        scheduler.schedule(.action(slot: slot), at: scheduler.now + actionGap.sampleDuration(using: &random))
    }

    /// Starts a stopped server or confirms a resize once it is ready; tries again a minute later
    /// while the first step is still running.
    private mutating func followUp(_ slot: Int32, confirm: Bool, scheduler: inout Scheduler<FullCloudEvent>) {
        guard let id = slots[Int(slot)], let status = try? cloud.status(of: id, as: owner(slot)) else { return }
        switch (status, confirm) {
        case (.verifyResize, true): _ = try? cloud.perform(.confirmResize, on: id, as: owner(slot))
        case (.shutoff, false): _ = try? cloud.perform(.start, on: id, as: owner(slot))
        case (.resize, true), (.active, false):
            scheduler.schedule(.followUp(slot: slot, confirm: confirm), at: scheduler.now + .minutes(1))
        default: break  // lost, or a later action took over
        }
    }
}
