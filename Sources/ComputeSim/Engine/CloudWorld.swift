/// One operation in progress on a server: which action (nil: the initial build), which phase,
/// and the phase durations drawn when it started.
struct Operation: Hashable, Sendable {
    var action: ServerAction?
    var phase = 0
    var durations: [SimDuration]
    var startedAt: SimTime
    /// vm_state and power state before the operation.
    var previousVMState: VMState
    var previousPower: PowerState
    /// resize/migrate/live-migrate: the flavor to move to and the chosen destination.
    var targetFlavor: Flavor?
    var targetHost: HostName?
    /// A shelve that stops at SHELVED (a positive or negative `shelved_offload_time`).
    var keepsShelvedServer = false

    var tasks: [TaskState] {
        guard let action else { return [.scheduling, .networking, .blockDeviceMapping, .spawning] }
        let sequence = ServerLifecycle.rule(for: action).taskSequence
        return keepsShelvedServer ? Array(sequence.dropLast()) : sequence
    }

    var total: SimDuration { durations.reduce(.zero, +) }
}

/// Everything the cloud knows about one server, including what views never show.
struct ServerRecord: Hashable, Sendable {
    var server: Server
    var operation: Operation?
    var pending: EventHandle?
    var history = StatusHistory()
    var isDeleted = false
    /// Hosts of this build's decision still to try, and hosts already tried.
    var alternates: [HostName] = []
    /// The supplied password's policy violation, applied once the build finishes.
    var passwordViolation: String?
    /// A completed resize or migration waiting for confirm or revert.
    /// (The flavor by id: every server's flavor comes from the catalog, and an id is 64 bytes
    /// smaller for every server, resized or not.)
    var resizeSource: (host: HostName, flavor: FlavorID)?
    var storedProgress = 0
    /// The host number of the server's port on the network, once allocated.
    var port: Int?
    /// The server's root filesystem (shares the image tree until changed).
    var fileSystem = VirtualFileSystem()
    /// Personality files waiting for the build (or rebuild) to finish.
    var pendingFiles: [InjectedFile] = []
    /// Paths of the personality files injected into ``fileSystem`` (for the invariant checker).
    var injectedPaths: [VirtualPath] = []
    /// The NIC asked for at create.
    var networkRequest: NetworkRequest = .automatic
    /// Admin-only attributes (microversion 2.3): the create call's reservation, the server's
    /// index in it, and the user data it was given.
    var reservationID = ""
    var launchIndex = 0
    var userData: String?

    static func == (lhs: ServerRecord, rhs: ServerRecord) -> Bool {
        lhs.server == rhs.server && lhs.operation == rhs.operation && lhs.pending == rhs.pending && lhs.history == rhs.history
            && lhs.isDeleted == rhs.isDeleted && lhs.alternates == rhs.alternates
            && lhs.passwordViolation == rhs.passwordViolation && lhs.resizeSource?.host == rhs.resizeSource?.host
            && lhs.resizeSource?.flavor == rhs.resizeSource?.flavor && lhs.storedProgress == rhs.storedProgress && lhs.port == rhs.port
            && lhs.fileSystem == rhs.fileSystem && lhs.pendingFiles == rhs.pendingFiles && lhs.networkRequest == rhs.networkRequest
            && lhs.reservationID == rhs.reservationID && lhs.launchIndex == rhs.launchIndex && lhs.userData == rhs.userData
            && lhs.injectedPaths == rhs.injectedPaths
    }

    func hash(into hasher: inout Hasher) { hasher.combine(server.id) }
}

/// The cloud's state and its event handler. ``ComputeCloud`` owns it next to the scheduler.
struct CloudWorld: EventHandler {
    var configuration: CloudConfiguration
    var pool: HostPool
    var flavors: [FlavorID: Flavor]
    var images: [ImageID: Image]
    var imageOrder: [ImageID]
    var servers: [ServerRecord] = []
    var serverIndex: [ServerID: Int32] = [:]
    /// For each host, the servers given it so far, so host faults touch only its servers. It
    /// may hold servers that moved away since; ``residents(of:)`` filters them out and
    /// ``setHost(_:_:)`` compacts a list whenever its length reaches a power of two.
    var hostResidents: [HostName: [Int32]] = [:]
    var scriptedFaults: [ScriptedFault] = []
    /// Host numbers of the network in use.
    var usedPorts: Set<Int> = []
    /// Every API status change so far (each server's first status included).
    var statusChangeCount: UInt64 = 0
    /// Status changes not yet drained, kept only when `logsStatusChanges`.
    var logsStatusChanges = false
    var statusLog: [ServerStatusChange] = []
    /// When set, only changes to this status are logged (the scenario runner wants ACTIVE only).
    var statusLogOnly: ServerStatus?
    /// Every host number below this is in use (the lowest-free search starts here).
    var lowestFreePortHint = 2
    /// Per project: live servers, their vCPUs and RAM (what the quotas count), kept current so a
    /// create checks quotas in O(1).
    var projectUsage: [ProjectID: QuotaUsage] = [:]
    /// Armed `failNextBuild` faults, oldest first (nil: any host).
    var armedBuildFailures: [HostName?] = []
    /// Server groups deleted through the API (their members keep their placement).
    var deletedGroups: Set<ServerGroupID> = []
    var ids: DeterministicRandom
    var placementRandom: DeterministicRandom
    /// NoValidHost outcomes so far, and for each filter how many of them it eliminated hosts in.
    var placementFailures = 0
    var placementFailuresByFilter: [PlacementFilter: Int] = [:]
    var timing: DeterministicRandom
    var faultRandom: DeterministicRandom
    var passwords: DeterministicRandom
    /// The physical build model's state (nil: builds take drawn durations).
    var plant: BuildPlant?
    /// Servers whose physical work must end (failed or deleted where no scheduler was at hand).
    var workToEnd: [Int32] = []
    /// The physical model's per-server records, by server index (empty without the model).
    var plantServers: [Int32: ServerPlant] = [:]

    init(configuration: CloudConfiguration) throws(CloudError) {
        var configuration = configuration
        do {
            configuration.timing = try configuration.timing.validated()
        } catch {
            throw CloudError(.badRequest, error.message, underlying: error)
        }
        do { configuration.faults = try configuration.faults.validated() } catch { throw CloudError(.badRequest, error.message, underlying: error) }
        self.configuration = configuration
        do {
            pool = try HostPool(policy: configuration.placement)
            for host in configuration.hosts { try pool.addHost(host) }
        } catch {
            throw CloudError(.badRequest, error.message, underlying: error)
        }
        var flavors: [FlavorID: Flavor] = [:]
        for flavor in configuration.flavors {
            do { _ = try flavor.validated() } catch { throw CloudError(.badRequest, error.message, underlying: error) }
            guard flavors[flavor.id] == nil else { throw CloudError(.badRequest, "duplicate flavor id \(flavor.id)") }
            flavors[flavor.id] = flavor
        }
        var images: [ImageID: Image] = [:]
        for image in configuration.images {
            do { _ = try image.validated() } catch { throw CloudError(.badRequest, error.message, underlying: error) }
            guard images[image.id] == nil else { throw CloudError(.badRequest, "duplicate image id \(image.id)") }
            images[image.id] = image
        }
        self.flavors = flavors
        self.images = images
        if let model = configuration.buildModel {
            let validated: BuildModel
            do { validated = try model.validated() } catch { throw CloudError(.badRequest, error.message, underlying: error) }
            plant = BuildPlant(model: validated, hosts: configuration.hosts) { (images[$0]?.sizeGiB ?? 0) * CloudWorld.gibibyte }
        }
        imageOrder = configuration.images.map(\.id)
        let seed = configuration.seed
        ids = DeterministicRandom(seed: seed, stream: "ids")
        placementRandom = DeterministicRandom(seed: seed, stream: "placement")
        timing = DeterministicRandom(seed: seed, stream: "timing")
        faultRandom = DeterministicRandom(seed: seed, stream: "faults")
        passwords = DeterministicRandom(seed: seed, stream: "passwords")
    }

    // MARK: Views

    func isHostDown(_ host: HostName?) -> Bool {
        guard let host else { return false }
        return pool.isDown(host)
    }

    func status(of record: ServerRecord) -> ServerStatus {
        status(
            ofServerAt: record.isDeleted ? nil : record.server.host, deleted: record.isDeleted, vmState: record.server.vmState,
            taskState: record.server.taskState)
    }

    /// The status of the server at `index`, reading only the fields it needs (no record copy).
    func status(_ index: Int32) -> ServerStatus {
        let i = Int(index)
        return status(
            ofServerAt: servers[i].server.host, deleted: servers[i].isDeleted, vmState: servers[i].server.vmState, taskState: servers[i].server.taskState)
    }

    @inline(__always)
    private func status(ofServerAt host: HostName?, deleted: Bool, vmState: VMState?, taskState: TaskState?) -> ServerStatus {
        if deleted { return .deleted }
        if isHostDown(host) { return .unknown }
        return ServerStatus(vmState: vmState, taskState: taskState)
    }

    func view(_ index: Int32, now: SimTime) -> Server {
        let record = servers[Int(index)]
        var server = record.server
        server.status = status(of: record)
        server.hostID = server.project.hostID(on: server.host)
        if server.status.reportsProgress {
            if let physical = physicalProgress(index, now: now) {
                server.progress = physical
            } else if let operation = record.operation, [nil, .rebuild, .resize, .migrate, .liveMigrate].contains(operation.action) {
                let total = operation.total.nanoseconds
                let elapsed = (now - operation.startedAt).nanoseconds
                server.progress = total > 0 ? Int(min(99, elapsed * 100 / total)) : 0
            } else {
                server.progress = record.storedProgress
            }
        } else {
            server.progress = nil
        }
        if server.status != .error && server.status != .deleted { server.fault = nil }
        if server.vmState == .building { server.addresses = [] }
        return server
    }

    /// Appends to the status history when the status changed.
    mutating func noteStatus(_ index: Int32, now: SimTime) {
        let current = status(index)
        if servers[Int(index)].history.last?.status != current {
            servers[Int(index)].history.append(StatusChange(time: now, status: current))
            statusChangeCount += 1
            if logsStatusChanges && (statusLogOnly == nil || statusLogOnly == current) {
                statusLog.append(ServerStatusChange(server: servers[Int(index)].server.id, time: now, status: current))
            }
        }
        servers[Int(index)].server.updated = now
    }

    /// Puts a server on a host (nil: on none), keeping ``hostResidents`` current.
    /// - Complexity: amortised O(1).
    mutating func setHost(_ index: Int32, _ host: HostName?) {
        servers[Int(index)].server.host = host
        guard let host else { return }
        var list = hostResidents.removeValue(forKey: host) ?? []
        list.append(index)
        if list.count >= 32 && list.count & (list.count - 1) == 0 { list = compacted(list, host: host) }
        hostResidents[host] = list
    }

    /// The servers on `host` now, in index (creation) order.
    /// - Complexity: O(k log k) for the k servers ever given the host since its last compaction.
    func residents(of host: HostName) -> [Int32] {
        compacted(hostResidents[host] ?? [], host: host)
    }

    private func compacted(_ list: [Int32], host: HostName) -> [Int32] {
        var unique: [Int32] = []
        for index in list.sorted() where unique.last != index && servers[Int(index)].server.host == host { unique.append(index) }
        return unique
    }

    // MARK: Operations

    /// Starts `action` (or the build when nil) on a server: sets the first task, draws the phase
    /// durations from the timing stream and schedules the first phase's end.
    mutating func startOperation(_ action: ServerAction?, on index: Int32, scheduler: inout Scheduler<CloudEvent>, targetFlavor: Flavor? = nil) {
        endPhysicalWork(index, scheduler: &scheduler)  // a new operation replaces whatever work was under way
        let distributions = action.map { configuration.timing.phases[$0] ?? [] } ?? configuration.timing.build
        var durations = (action == nil ? physicalBuildDurations() : nil) ?? distributions.map { $0.sampleDuration(using: &timing) }
        var operation = Operation(
            action: action, durations: durations, startedAt: scheduler.now, previousVMState: servers[Int(index)].server.vmState,
            previousPower: servers[Int(index)].server.powerState, targetFlavor: targetFlavor)
        if action == .shelve && configuration.shelvedOffloadTime != .zero {
            operation.keepsShelvedServer = true
            durations.removeLast()
            operation.durations = durations
        }
        servers[Int(index)].operation = operation
        servers[Int(index)].server.taskState = operation.tasks.first
        if action == .rebuild || action == .resize || action == .migrate || action == .stop { servers[Int(index)].storedProgress = 0 }
        schedulePhase(index, scheduler: &scheduler)
        noteStatus(index, now: scheduler.now)
    }

    mutating func schedulePhase(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard let operation = servers[Int(index)].operation else { return }
        if startPhysicalWork(index, scheduler: &scheduler) { return }
        let delay = operation.phase < operation.durations.count ? operation.durations[operation.phase] : .zero
        servers[Int(index)].pending = scheduler.schedule(.phaseDone(server: index), after: delay)
    }

    mutating func cancelPending(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        if let handle = servers[Int(index)].pending { scheduler.cancel(handle) }
        servers[Int(index)].pending = nil
    }

    mutating func handle(_ event: CloudEvent, scheduler: inout Scheduler<CloudEvent>) {
        switch event {
        case .phaseDone(let index):
            servers[Int(index)].pending = nil
            phaseDone(index, scheduler: &scheduler)
        case .offload(let index):
            servers[Int(index)].pending = nil
            if servers[Int(index)].server.vmState == .shelved && servers[Int(index)].server.taskState == nil {
                startOperation(.shelveOffload, on: index, scheduler: &scheduler)
            }
        case .reclaim(let index):
            servers[Int(index)].pending = nil
            if servers[Int(index)].server.vmState == .softDeleted { finishDelete(index, now: scheduler.now) }
        case .powerSync(let index):
            servers[Int(index)].pending = nil
            powerSync(index, scheduler: &scheduler)
        case .scripted(let index):
            applyScripted(scriptedFaults[Int(index)], scheduler: &scheduler)
        case .transfersDone:
            transfersDone(scheduler: &scheduler)
        }
        drainEndedWork(scheduler: &scheduler)
    }

    /// Advances the operation: side effects at the end of specific phases, then the next phase
    /// or the end state.
    mutating func phaseDone(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard var operation = servers[Int(index)].operation else { return }
        let now = scheduler.now
        let task = operation.phase < operation.tasks.count ? operation.tasks[operation.phase] : nil
        // Phase-end side effects; false means the operation ended here.
        guard phaseSideEffects(index, task: task, operation: &operation, scheduler: &scheduler) else {
            noteStatus(index, now: now)
            return
        }
        if plant != nil, operation.action == nil, task == .scheduling, !acquireBuildSlot(index, now: now) {
            servers[Int(index)].operation = operation  // queued for a build slot: still BUILD, task scheduling
            noteStatus(index, now: now)
            return
        }
        operation.phase += 1
        if operation.phase < max(operation.tasks.count, operation.durations.count) {
            servers[Int(index)].operation = operation
            servers[Int(index)].server.taskState = operation.phase < operation.tasks.count ? operation.tasks[operation.phase] : nil
            schedulePhase(index, scheduler: &scheduler)
        } else {
            servers[Int(index)].operation = operation
            finishOperation(index, scheduler: &scheduler)
        }
        noteStatus(index, now: now)
    }

    /// Effects at the end of one phase. Returns false when the operation ended (failure).
    mutating func phaseSideEffects(_ index: Int32, task: TaskState?, operation: inout Operation, scheduler: inout Scheduler<CloudEvent>) -> Bool {
        let now = scheduler.now
        switch (operation.action, task) {
        case (nil, .scheduling?):
            return scheduleBuild(index, now: now)
        case (nil, .networking?):
            return allocatePort(index, now: now)
        case (nil, .spawning?):
            return finishSpawn(index, operation: &operation, scheduler: &scheduler)
        case (.resize?, .resizePrep?), (.migrate?, .resizePrep?), (.liveMigrate?, .migrating?):
            // Choose and claim the destination (the live migration's at its start, see perform).
            if operation.action == .liveMigrate { return true }
            return claimDestination(index, operation: &operation, now: now)
        case (.unshelve?, .unshelving?):
            // From SHELVED the server is still on its host; from SHELVED_OFFLOADED it is placed again.
            if operation.previousVMState == .shelved { return true }
            return claimForUnshelve(index, now: now)
        default:
            return true
        }
    }

    /// Gives the server the lowest free address, or aborts the build as Nova does.
    mutating func allocatePort(_ index: Int32, now: SimTime) -> Bool {
        if servers[Int(index)].port != nil { return true }
        var requested: Int? = nil
        switch servers[Int(index)].networkRequest {
        case .none: return true
        case .fixedIP(let address):
            requested = configuration.network.hostNumber(of: address)
            // Checked at the API; taken meanwhile by a server created in the same window.
            if let number = requested, usedPorts.contains(number) {
                fail(
                    index, code: 500, message: "Build of instance \(servers[Int(index)].server.id) aborted: Fixed IP address \(address) is already in use.",
                    now: now, releaseClaims: true)
                return false
            }
        case .automatic: break
        }
        let range = configuration.network.hostNumbers
        if requested == nil {
            while lowestFreePortHint <= range.upperBound, usedPorts.contains(lowestFreePortHint) { lowestFreePortHint += 1 }
        }
        guard let number = requested ?? (lowestFreePortHint <= range.upperBound ? lowestFreePortHint : nil) else {
            fail(
                index, code: 500, message: "Build of instance \(servers[Int(index)].server.id) aborted: Failed to allocate the network(s), not rescheduling.",
                now: now, releaseClaims: true)
            return false
        }
        usedPorts.insert(number)
        servers[Int(index)].port = number
        servers[Int(index)].server.addresses = configuration.network.addresses(number)
        let bits = ids.next()
        servers[Int(index)].server.macAddress =
            "fa:16:3e:"
            + [16, 8, 0].map { shift in
                let byte = String(UInt8(truncatingIfNeeded: bits >> UInt64(shift)), radix: 16)
                return byte.count == 1 ? "0" + byte : byte
            }.joined(separator: ":")
        return true
    }

    mutating func releasePort(_ index: Int32) {
        if let port = servers[Int(index)].port {
            usedPorts.remove(port)
            lowestFreePortHint = min(lowestFreePortHint, port)
        }
        servers[Int(index)].port = nil
        servers[Int(index)].server.addresses = []
        servers[Int(index)].server.macAddress = nil
    }

    mutating func fail(_ index: Int32, code: Int, message: String, now: SimTime, releaseClaims: Bool) {
        let id = servers[Int(index)].server.id
        if plant != nil { workToEnd.append(index) }
        if releaseClaims {
            releasePort(index)
            try? pool.release(.init(server: id))
            try? pool.release(.init(server: id, purpose: .migrationTarget))
            servers[Int(index)].server.host = nil
            servers[Int(index)].resizeSource = nil  // both of a resize's hosts were just released
        }
        servers[Int(index)].alternates = []
        servers[Int(index)].server.vmState = .error
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = releaseClaims ? .noState : servers[Int(index)].server.powerState
        servers[Int(index)].server.fault = ServerFault(code: code, message: message, created: now)
        servers[Int(index)].operation = nil
    }

    /// The build's scheduling phase: ask placement, claim the chosen host.
    mutating func scheduleBuild(_ index: Int32, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let request = PlacementRequest(
            project: server.project, flavor: server.flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        let decision: PlacementDecision
        do {
            decision = try pool.select(request, random: &placementRandom)
        } catch {
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        }
        switch decision {
        case .noValidHost(let reasons):
            placementFailures += 1
            for item in reasons.eliminated where item.hosts > 0 { placementFailuresByFilter[item.filter, default: 0] += 1 }
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        case .placed(let host, let alternates):
            servers[Int(index)].alternates = alternates
            return claimBuildHost(index, host, now: now)
        }
    }

    mutating func claimBuildHost(_ index: Int32, _ host: HostName, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        do {
            try pool.claim(.init(server: server.id), resources: server.flavor.claim, on: host, project: server.project, group: server.group)
        } catch {
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        }
        setHost(index, host)
        return true
    }

    /// The end of spawning: injected build failures (with reschedule), then success.
    mutating func finishSpawn(_ index: Int32, operation: inout Operation, scheduler: inout Scheduler<CloudEvent>) -> Bool {
        let now = scheduler.now
        let id = servers[Int(index)].server.id
        let faults = configuration.faults
        if faults.fatalBuildFailure > 0, faultRandom.nextBool(probability: faults.fatalBuildFailure) {
            if let host = servers[Int(index)].server.host { try? pool.recordBuildFailure(on: host) }
            fail(index, code: 500, message: "Build of instance \(id) aborted: injected build failure", now: now, releaseClaims: true)
            return false
        }
        let host = servers[Int(index)].server.host
        let armed = armedBuildFailures.firstIndex { $0 == nil || $0 == host }
        if let armed { armedBuildFailures.remove(at: armed) }
        if armed != nil || (faults.reschedulableBuildFailure > 0 && faultRandom.nextBool(probability: faults.reschedulableBuildFailure)) {
            if let host = servers[Int(index)].server.host { try? pool.recordBuildFailure(on: host) }
            try? pool.release(.init(server: id))
            servers[Int(index)].server.host = nil
            while !servers[Int(index)].alternates.isEmpty {
                let next = servers[Int(index)].alternates.removeFirst()
                let server = servers[Int(index)].server
                if (try? pool.claim(.init(server: id), resources: server.flavor.claim, on: next, project: server.project, group: server.group)) != nil {
                    setHost(index, next)
                    moveBuildSlot(index, to: next, scheduler: &scheduler)
                    // Back to networking on the alternate: phases after scheduling run again.
                    operation.phase = 0
                    return true
                }
            }
            fail(
                index, code: 500, message: "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance \(id).",
                now: now, releaseClaims: true)
            return false
        }
        return true
    }

    mutating func claimDestination(_ index: Int32, operation: inout Operation, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let flavor = operation.targetFlavor ?? server.flavor
        var request = PlacementRequest(
            project: server.project, flavor: flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        request.currentHost = server.host
        if let host = server.host { request.excludedHosts = [host] }  // allow_resize_to_same_host = False
        guard let decision = try? pool.select(request, random: &placementRandom), let destination = decision.host,
            (try? pool.claim(
                .init(server: server.id, purpose: .migrationTarget), resources: flavor.claim, on: destination, project: server.project, group: server.group))
                != nil
        else {
            // Nova: vm_state back to what it was, task None, a fault recorded but not shown.
            servers[Int(index)].server.vmState = operation.previousVMState
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].server.fault = ServerFault(code: 500, message: NoValidHost.message, created: now)
            servers[Int(index)].operation = nil
            return false
        }
        operation.targetHost = destination
        return true
    }

    mutating func claimForUnshelve(_ index: Int32, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let request = PlacementRequest(
            project: server.project, flavor: server.flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        guard let decision = try? pool.select(request, random: &placementRandom), let host = decision.host,
            (try? pool.claim(.init(server: server.id), resources: server.flavor.claim, on: host, project: server.project, group: server.group)) != nil
        else {
            // NoValidHost on unshelve: task None, stays shelved_offloaded, no fault.
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].operation = nil
            return false
        }
        setHost(index, host)
        return true
    }

    /// Applies the end state of a completed operation.
    mutating func finishOperation(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard let operation = servers[Int(index)].operation else { return }
        endPhysicalWork(index, scheduler: &scheduler)
        let now = scheduler.now
        let id = servers[Int(index)].server.id
        servers[Int(index)].operation = nil
        servers[Int(index)].server.taskState = nil
        guard let action = operation.action else {
            servers[Int(index)].alternates = []  // only a build's retries use them
            // The build finished: the server has booted, so personality files are injected.
            injectPending(index, now: now)
            servers[Int(index)].server.launchedAt = now
            servers[Int(index)].storedProgress = 100
            if let violation = servers[Int(index)].passwordViolation {
                servers[Int(index)].server.vmState = .error
                servers[Int(index)].server.powerState = .running
                servers[Int(index)].server.fault = ServerFault(code: 400, message: violation, created: now)
            } else {
                servers[Int(index)].server.vmState = .active
                servers[Int(index)].server.powerState = .running
            }
            return
        }
        let rule = ServerLifecycle.rule(for: action)
        switch rule.end {
        case .fixed(let state): servers[Int(index)].server.vmState = state
        case .unchanged: break
        case .previous(let fallback): servers[Int(index)].server.vmState = operation.previousVMState == .suspended ? fallback : operation.previousVMState
        case .activeUnlessPoweredOff:
            servers[Int(index)].server.vmState = operation.previousPower == .shutdown ? .stopped : .active
        }
        switch action {
        case .delete, .forceDelete:
            finishDelete(index, now: now)
        case .softDelete:
            servers[Int(index)].server.powerState = .shutdown
            servers[Int(index)].pending = scheduler.schedule(.reclaim(server: index), after: configuration.reclaimInterval)
        case .resize, .migrate:
            if let destination = operation.targetHost, let source = servers[Int(index)].server.host {
                servers[Int(index)].resizeSource = (source, servers[Int(index)].server.flavor.id)
                setHost(index, destination)
                let newFlavor = operation.targetFlavor ?? servers[Int(index)].server.flavor
                countUsage(of: servers[Int(index)].server, sign: -1)
                countUsage(of: servers[Int(index)].server, flavor: newFlavor, sign: 1)
                servers[Int(index)].server.flavor = newFlavor
            }
            servers[Int(index)].storedProgress = 100
        case .confirmResize:
            // Free the source; the destination's claim becomes the server's own.
            try? pool.release(.init(server: id))
            rekeyMigrationClaim(index)
            servers[Int(index)].resizeSource = nil
        case .revertResize:
            if let source = servers[Int(index)].resizeSource {
                let flavor = flavors[source.flavor] ?? servers[Int(index)].server.flavor
                try? pool.release(.init(server: id, purpose: .migrationTarget))
                setHost(index, source.host)
                countUsage(of: servers[Int(index)].server, sign: -1)
                countUsage(of: servers[Int(index)].server, flavor: flavor, sign: 1)
                servers[Int(index)].server.flavor = flavor
            }
            servers[Int(index)].resizeSource = nil
        case .liveMigrate:
            if let destination = operation.targetHost {
                try? pool.release(.init(server: id))
                rekeyMigrationClaim(index)
                setHost(index, destination)
            }
        case .shelve where operation.keepsShelvedServer:
            // SHELVED: powered off but still on (and holding) its host until offloaded.
            servers[Int(index)].server.vmState = .shelved
            servers[Int(index)].server.powerState = .shutdown
            if configuration.shelvedOffloadTime > .zero {
                servers[Int(index)].pending = scheduler.schedule(.offload(server: index), after: configuration.shelvedOffloadTime)
            }
        case .shelve, .shelveOffload:
            try? pool.release(.init(server: id))
            servers[Int(index)].server.host = nil
            servers[Int(index)].server.powerState = .shutdown
        case .stop:
            servers[Int(index)].server.powerState = .shutdown
        case .pause:
            servers[Int(index)].server.powerState = .paused
        case .suspend:
            servers[Int(index)].server.powerState = .suspended
        case .rebuild:
            // A fresh copy of the (new) image's tree, then the rebuild's personality.
            servers[Int(index)].fileSystem = configuration.imageTrees[servers[Int(index)].server.image.id] ?? VirtualFileSystem()
            servers[Int(index)].injectedPaths = []
            injectPending(index, now: now)
            servers[Int(index)].storedProgress = 100
            servers[Int(index)].server.powerState = servers[Int(index)].server.vmState == .stopped ? .shutdown : .running
        case .changePassword:
            servers[Int(index)].server.fault = nil
            servers[Int(index)].passwordViolation = nil
        default:
            if servers[Int(index)].server.vmState == .active || servers[Int(index)].server.vmState == .rescued {
                servers[Int(index)].server.powerState = .running
            }
        }
    }

    /// Writes the pending personality files (validated against the image tree when accepted).
    mutating func injectPending(_ index: Int32, now: SimTime) {
        let files = servers[Int(index)].pendingFiles
        servers[Int(index)].pendingFiles = []
        guard !files.isEmpty else { return }
        guard (try? servers[Int(index)].fileSystem.inject(files, at: now, wallClock: configuration.wallClock)) != nil else { return }
        servers[Int(index)].injectedPaths.append(contentsOf: files.map(\.path))
    }

    mutating func rekeyMigrationClaim(_ index: Int32) {
        let server = servers[Int(index)].server
        guard let host = pool.claimHost(.init(server: server.id, purpose: .migrationTarget)) else { return }
        try? pool.release(.init(server: server.id, purpose: .migrationTarget))
        try? pool.claim(.init(server: server.id), resources: server.flavor.claim, on: host, project: server.project, group: server.group)
    }

    /// Adds (or with `sign` −1 removes) a server's flavor to its project's quota usage, and with
    /// `instance` the server itself.
    mutating func countUsage(of server: Server, flavor: Flavor? = nil, sign: Int, instance: Bool = false) {
        let flavor = flavor ?? server.flavor
        projectUsage[server.project, default: QuotaUsage()].add(flavor, sign: sign, instance: instance)
    }

    mutating func finishDelete(_ index: Int32, now: SimTime) {
        let id = servers[Int(index)].server.id
        if plant != nil { workToEnd.append(index) }
        if !servers[Int(index)].isDeleted { countUsage(of: servers[Int(index)].server, sign: -1, instance: true) }
        releasePort(index)
        try? pool.release(.init(server: id))
        try? pool.release(.init(server: id, purpose: .migrationTarget))
        servers[Int(index)].server.vmState = .deleted
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = .noState
        servers[Int(index)].operation = nil
        servers[Int(index)].isDeleted = true
        noteStatus(index, now: now)
    }

    /// The power-state sync after a guest shut down or crashed: stop it, or delete it when it
    /// was created with `shutdownTerminate`.
    mutating func powerSync(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        let record = servers[Int(index)]
        guard !record.isDeleted, record.server.vmState == .active, record.server.taskState == nil,
            record.server.powerState == .shutdown || record.server.powerState == .crashed
        else { return }
        startOperation(record.server.shutdownTerminate ? .delete : .stop, on: index, scheduler: &scheduler)
    }

    mutating func applyScripted(_ fault: ScriptedFault, scheduler: inout Scheduler<CloudEvent>) {
        let now = scheduler.now
        switch fault {
        case .hostDown(let host), .hostUp(let host):
            let up: Bool
            if case .hostUp = fault { up = true } else { up = false }
            try? pool.setUp(up, host: host)
            for index in residents(of: host) { noteStatus(index, now: now) }
        case .hostFailure(let host):
            try? pool.setUp(false, host: host)
            for index in residents(of: host) where !servers[Int(index)].isDeleted {
                cancelPending(index, scheduler: &scheduler)
                fail(index, code: 500, message: "Host \(host) failed and the server was lost", now: now, releaseClaims: true)
                noteStatus(index, now: now)
            }
        case .failNextBuild(let host):
            armedBuildFailures.append(host)
        case .guestShutdown(let id), .guestCrash(let id):
            guard let index = serverIndex[id], !servers[Int(index)].isDeleted, servers[Int(index)].server.vmState == .active else { return }
            if case .guestCrash = fault { servers[Int(index)].server.powerState = .crashed } else { servers[Int(index)].server.powerState = .shutdown }
            guard servers[Int(index)].server.taskState == nil, servers[Int(index)].pending == nil else { return }
            // The next periodic sync (at a multiple of the interval) notices it.
            let interval = max(1, configuration.powerSyncInterval.nanoseconds)
            let next = (now.nanosecondsSinceStart / interval + 1) * interval
            servers[Int(index)].pending = scheduler.schedule(.powerSync(server: index), at: SimTime(nanosecondsSinceStart: next))
        }
    }
}

/// What a project's quotas count: live servers and their flavors' vCPUs and RAM.
struct QuotaUsage: Hashable, Sendable {
    var instances = 0
    var cores = 0
    var ramMiB = 0

    mutating func add(_ flavor: Flavor, sign: Int, instance: Bool) {
        if instance { instances += sign }
        cores += sign * flavor.vcpus
        ramMiB += sign * flavor.memoryMiB
    }
}
