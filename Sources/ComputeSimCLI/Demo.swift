import ComputeSim
import ComputeSimTesting

/// Options of the built-in demo.
struct DemoOptions: Equatable {
    var seed: UInt64 = 1
    var duration: SimDuration = .hours(1)
    var printTrace = false

    /// The longest demo `--until` accepts: 365 days.
    static let maximumDuration = SimDuration.days(365)
}

/// The demo's events.
enum DemoEvent: TraceableEvent {
    /// A create request arrives.
    case arrival(request: Int)
    /// A server's build finishes (BUILD to ACTIVE).
    case buildFinished(server: Int)
    /// A server is deleted and its resources are released.
    case deleted(server: Int)

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .arrival(let request):
            line.append("arrival request=")
            line.append(request)
        case .buildFinished(let server):
            line.append("build-finished server=")
            line.append(server)
        case .deleted(let server):
            line.append("deleted server=")
            line.append(server)
        }
    }
}

/// A small cloud: 8 hosts in two zones, three projects creating servers of the default flavors
/// (Poisson arrivals, mean 20 s apart), one in four joining its project's hard anti-affinity
/// group. Builds take 30–90 s, servers live exponentially distributed lifetimes (mean 15 min).
/// Placement uses ComputeSim's defaults, including strict per-project spreading.
struct DemoModel: EventHandler {
    static let projects: [ProjectID] = ["alpha", "beta", "gamma"]
    static let interArrival = Distribution.exponential(mean: 20)
    static let buildTime = Distribution.uniform(min: 30, max: 90)
    static let lifetime = Distribution.exponential(mean: 900)

    var pool: HostPool
    var workload: DeterministicRandom
    var timing: DeterministicRandom
    var placement: DeterministicRandom
    var nextRequest = 0
    var placed = 0
    var rejections: [PlacementFilter: Int] = [:]
    var rejected = 0
    var building: Set<Int> = []
    var active: Set<Int> = []
    var deleted = 0
    var firstHost: [ProjectID: HostName] = [:]

    init(seed: UInt64) throws {
        var pool = try HostPool()
        for index in 0..<8 {
            let zone = AvailabilityZone(index < 4 ? "az1" : "az2")
            try pool.addHost(Host(name: HostName("compute-\(index + 1)"), availabilityZone: zone, vcpus: 16, memoryMiB: 65_536, diskGiB: 1_000))
        }
        for project in Self.projects {
            try pool.addGroup(ServerGroup(id: ServerGroupID("\(project)-web"), name: "web", project: project, policy: .antiAffinity))
        }
        self.pool = pool
        workload = DeterministicRandom(seed: seed, stream: "workload")
        timing = DeterministicRandom(seed: seed, stream: "timing")
        placement = DeterministicRandom(seed: seed, stream: "placement")
    }

    mutating func handle(_ event: DemoEvent, scheduler: inout Scheduler<DemoEvent>) {
        switch event {
        case .arrival(let request):
            arrive(request, scheduler: &scheduler)
            nextRequest += 1
            scheduler.schedule(.arrival(request: nextRequest), after: Self.interArrival.sampleDuration(using: &workload))
        case .buildFinished(let server):
            building.remove(server)
            active.insert(server)
            scheduler.schedule(.deleted(server: server), after: Self.lifetime.sampleDuration(using: &timing))
        case .deleted(let server):
            active.remove(server)
            deleted += 1
            // The claim exists: it was made when the server was placed.
            try? pool.release(HostPool.ClaimKey(server: ServerID("server-\(server)")))
        }
    }

    private mutating func arrive(_ request: Int, scheduler: inout Scheduler<DemoEvent>) {
        let project = Self.projects[workload.nextIndex(below: Self.projects.count)]
        let flavor = Flavor.defaultCatalog[workload.nextIndex(below: 4)]
        let group = workload.next(below: 4) == 0 ? ServerGroupID("\(project)-web") : nil
        let placementRequest = PlacementRequest(project: project, flavor: flavor, group: group)
        do {
            switch try pool.select(placementRequest, random: &placement) {
            case .placed(let host, _):
                try pool.claim(HostPool.ClaimKey(server: ServerID("server-\(request)")), resources: flavor.claim, on: host, project: project, group: group)
                placed += 1
                building.insert(request)
                if firstHost[project] == nil { firstHost[project] = host }
                scheduler.schedule(.buildFinished(server: request), after: Self.buildTime.sampleDuration(using: &timing))
            case .noValidHost(let reason):
                rejected += 1
                for item in reason.eliminated { rejections[item.filter, default: 0] += item.hosts }
            }
        } catch {
            rejected += 1
        }
    }
}

/// Runs the demo and returns everything it prints, so tests can compare it byte for byte.
func runDemo(_ options: DemoOptions) -> String {
    var scheduler = Scheduler<DemoEvent>(trace: TraceRecorder(capture: options.printTrace ? .all : .none))
    var model: DemoModel
    do {
        model = try DemoModel(seed: options.seed)
        scheduler.schedule(.arrival(request: 0), at: .zero)
        // Arrivals never stop, so the horizon bounds the run.
        try scheduler.run(until: SimTime(options.duration), handler: &model)
    } catch {
        return "compute-sim: \(error)\n"
    }
    var output = ""
    if options.printTrace {
        for line in scheduler.trace.capturedLines { output += line + "\n" }
    }
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
    output += """
        ComputeSim demo: 8 hosts in 2 zones, 3 projects, strict per-project spreading
        seed                \(options.seed)
        simulated time      \(options.duration)
        requests            \(model.nextRequest)
        placed              \(model.placed)
        no valid host       \(model.rejected)\(eliminations(model.rejections))
        building at end     \(model.building.count)
        active at end       \(model.active.count)
        deleted             \(model.deleted)

        """
    output += "\n" + pad("host", 12) + pad("zone", 6) + pad("servers", 9) + pad("vCPU used", 12) + "RAM used (MiB)\n"
    for name in model.pool.hostNames {
        guard let usage = model.pool.usage(of: name), let host = model.pool.host(name) else { continue }
        output +=
            pad(name.rawValue, 12) + pad(host.availabilityZone.rawValue, 6) + pad("\(usage.servers)", 9)
            + pad("\(usage.used.vcpus)/\(usage.capacity.vcpus)", 12) + "\(usage.used.memoryMiB)/\(usage.capacity.memoryMiB)\n"
    }
    output += "\n" + pad("project", 9) + pad("servers", 9) + pad("hosts", 7) + pad("most on one host", 18) + "hostId of its first host\n"
    for project in DemoModel.projects {
        let holding = model.pool.hostsHolding(project)
        let servers = holding.reduce(0) { $0 + $1.servers }
        let most = holding.map(\.servers).max() ?? 0
        output +=
            pad(project.rawValue, 9) + pad("\(servers)", 9) + pad("\(holding.count)", 7) + pad("\(most)", 18) + project.hostID(on: model.firstHost[project])
            + "\n"
    }
    let problems = model.pool.checkInvariants()
    output += """

        invariants          \(problems.isEmpty ? "hold" : problems.map(\.description).joined(separator: "; "))
        events processed    \(scheduler.processedEventCount)
        events pending      \(scheduler.pendingEventCount)
        trace digest        \(scheduler.traceDigest)

        """
    return output
}

/// " (hosts eliminated: ServerGroupAntiAffinityFilter 272)", or "" when nothing was rejected.
func eliminations(_ counts: [PlacementFilter: Int]) -> String {
    let reasons = PlacementFilter.allCases.compactMap { filter in counts[filter].map { "\(filter.rawValue) \($0)" } }
    return reasons.isEmpty ? "" : " (hosts eliminated: \(reasons.joined(separator: ", ")))"
}
