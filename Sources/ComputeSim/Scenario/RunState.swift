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
    var created: [[RunServer]]
    var samples: [RunSample] = []
    /// Servers the runner deleted (their pending actions stop), by record number.
    var expired = Set<Int32>()
    /// Servers waiting to become ACTIVE before their next script step, by record number:
    /// (workload, step).
    var awaitingActive = RecordMap<(workload: Int, step: Int)>()
    /// Who created each server, by record number (trace rows name their own project).
    var owners = RecordMap<Caller>()
    /// With archiving (``CloudConfiguration/deletedServerRetention``): where each created
    /// server sits in ``created`` (by record number, so an archived one is removed in O(1)),
    /// the ids of archived servers something other than the runner deleted (their pending
    /// workload events still meet a refusal, as without archiving), and what archived servers
    /// added to the report before their records were freed.
    var createdPosition = RecordMap<(workload: Int, position: Int)>()
    var deletedElsewhere = Set<ServerID>()
    var archivedTimeInStatus = [[Int64]](repeating: [], count: ServerStatus.allCases.count)
    var archivedBuildTimes: [[BuildTimes]] = []
    /// The next row of each trace workload.
    var traceCursor: [Int]
    /// The end of the run.
    var end = SimTime.zero
    /// Host failures and repairs drawn from MTBF/MTTR, as `<offset> <fault>`.
    var randomFaults: [String] = []
    /// What each planned evacuation did, as `<offset> evacuate <host>: …`.
    var evacuationNotes: [String] = []
    /// The per-host heat map being recorded, the row of each host, and how many samples apart
    /// its columns are (see `RunState+HeatMap.swift`).
    var heatMap: HostHeatMap? = nil
    var heatRowOfRecord: [Int32] = []
    var heatStride = 1
    /// Per workload, the caller of each of its projects, built at its first create (a workload
    /// spread over projects names project k `<project>-k`; up to ``cachedCallers`` projects), and
    /// its current server group's block and id: each create reads them instead of formatting
    /// strings.
    var callers: [[Caller]]
    var currentGroup: [(block: Int, id: ServerGroupID)?]

    init(scenario: Scenario, seed: UInt64, cloud: ComputeCloud) {
        self.scenario = scenario
        self.seed = seed
        self.cloud = cloud
        arrivalRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/arrival/\($0.name)") }
        serverRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/servers/\($0.name)") }
        actionRandom = scenario.workloads.map { DeterministicRandom(seed: seed, stream: "run/actions/\($0.name)") }
        stats = scenario.workloads.map { WorkloadStats(name: $0.name, project: $0.project) }
        created = scenario.workloads.map { _ in [] }
        archivedBuildTimes = scenario.workloads.map { _ in [] }
        traceCursor = scenario.workloads.map { _ in 0 }
        callers = scenario.workloads.map { _ in [] }
        currentGroup = scenario.workloads.map { _ in nil }
    }

    mutating func handle(_ event: RunEvent, scheduler: inout Scheduler<RunEvent>) {
        switch event {
        case .arrival(let index): arrive(index, scheduler: &scheduler)
        case .expire(let index, let server): expire(index, server, scheduler: &scheduler)
        case .action(let index, let server): act(index, server, scheduler: &scheduler)
        case .scriptStep(let index, let server, let step): runScriptStep(index, server, step, scheduler: &scheduler)
        case .sample:
            takeSample()
            if let next = try? scheduler.now.advanced(by: scenario.sampleInterval), next <= end { scheduler.schedule(.sample, at: next) }
        case .evacuate(let plan): evacuate(scenario.evacuations[plan])
        }
    }

    /// An operator's evacuation of a host whose compute service is still down: every server
    /// on it is evacuated, in record order, as an administrator would one by one; what the
    /// cloud refuses (a server in a state evacuate does not take) stays.
    mutating func evacuate(_ plan: PlannedEvacuation) {
        let note = "\(plan.at) evacuate \(plan.host)"
        guard !cloud.isServiceUp(plan.host) else {
            evacuationNotes.append("\(note): skipped, its service is up")
            return
        }
        let operator_ = Caller(project: "admin", user: "operator", isAdmin: true)
        var moved = 0, refused = 0, unplaced = 0
        for index in cloud.world.residents(of: plan.host) where !cloud.world.servers[Int(index)].isDeleted {
            guard (try? cloud.perform(.evacuate(), at: index, as: operator_)) != nil else {
                refused += 1
                continue
            }
            if cloud.world.servers[Int(index)].server.host == plan.host { unplaced += 1 } else { moved += 1 }
        }
        evacuationNotes.append("\(note): \(moved) moved, \(unplaced) without a host for them, \(refused) refused")
    }

    func caller(_ workload: Workload) -> Caller { Caller(project: workload.project, user: workload.name) }

    static func schedule(_ event: RunEvent, after delay: SimDuration, scheduler: inout Scheduler<RunEvent>) {
        guard let time = try? scheduler.now.advanced(by: delay) else { return }  // beyond the end of time: never
        scheduler.schedule(event, at: time)
    }

    // MARK: Arrivals
}
