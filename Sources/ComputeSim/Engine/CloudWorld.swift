/// The cloud's state and its event handler. ``ComputeCloud`` owns it next to the scheduler.
struct CloudWorld: EventHandler {
    var configuration: CloudConfiguration
    /// Pool operations that failed where they cannot while the engine is consistent (see
    /// `expectPool`); reported by the invariant checker.
    var breaches: [InvariantViolation] = []
    var pool: HostPool
    /// The catalog, each entry in the box every server of it shares (see ``Shared``).
    var flavors: [FlavorID: Shared<Flavor>]
    var images: [ImageID: Shared<Image>]
    var imageOrder: [ImageID]
    var servers: [ServerRecord] = []
    var serverIndex: [ServerID: Int32] = [:]
    /// For each host, the servers given it so far, so host faults touch only its servers. It
    /// may hold servers that moved away since; ``residents(of:)`` filters them out and
    /// ``setHost(_:_:)`` compacts a list whenever its length reaches a power of two. Indexed by
    /// the pool's host number.
    var hostResidents: [[Int32]] = []
    var scriptedFaults: [ScriptedFault] = []
    /// Host numbers in use, per network (by index in the configuration's networks).
    var usedPorts: [PortBitmap]
    /// Every API status change so far (each server's first status included).
    var statusChangeCount: UInt64 = 0
    /// Status changes not yet drained, kept only when `logsStatusChanges`.
    var logsStatusChanges = false
    var statusLog: [ServerStatusChange] = []
    /// When set, only changes to this status are logged (the scenario runner wants ACTIVE only).
    var statusLogOnly: ServerStatus?
    /// Per project: live servers, their vCPUs and RAM (what the quotas count), kept current so a
    /// create checks quotas in O(1).
    /// Quota usage by the pool's account number (see ``usage(of:)``).
    var accountUsage: [QuotaUsage] = []
    /// Armed `failNextBuild` faults, oldest first (nil: any host).
    var armedBuildFailures: [HostName?] = []
    /// Server groups deleted through the API (their members keep their placement).
    var deletedGroups: Set<ServerGroupID> = []
    /// Who created each server group (its view's `user_id` from 2.13).
    var groupUsers: [ServerGroupID: String] = [:]
    /// Ports projects created (by id), and their ids in creation order (for listings).
    var ports: [PortID: PortRecord] = [:]
    var portOrder: [PortID] = []
    /// Snapshot images made by createImage: their server and when.
    var snapshots: [ImageID: Snapshot] = [:]
    /// Imported key pairs, by owner and name (listed sorted by name, never in hash order).
    var keyPairs: [KeyPairKey: KeyPair] = [:]
    var keyPairSerial = 0
    /// Compute services an operator disabled or forced down (os-services), by host; absent: enabled and not forced down.
    var serviceOverrides: [HostName: ServiceOverride] = [:]
    var ids: DeterministicRandom
    var placementRandom: DeterministicRandom
    /// NoValidHost outcomes so far, and for each filter how many of them it eliminated hosts in.
    var placementFailures = 0
    var placementFailuresByFilter: [PlacementFilter: Int] = [:]
    /// Per flavor: builds that went through scheduling, how many found no valid host, and when
    /// the first of those did.
    var buildsByFlavor: [FlavorID: (builds: Int, noValidHost: Int, firstNoValidHost: SimTime?)] = [:]
    var timing: DeterministicRandom
    var faultRandom: DeterministicRandom
    var passwords: DeterministicRandom
    /// The physical build model's state (nil: builds take drawn durations).
    var plant: BuildPlant?
    /// Whether ``plant`` is set, as a flag: the engine asks on every phase, and comparing the
    /// optional with nil copied the whole plant.
    let usesBuildModel: Bool
    /// Deleted servers waiting to be archived (``CloudConfiguration/deletedServerRetention``),
    /// oldest first from `archiveHead`: deletion times only grow and the retention is fixed, so
    /// the deadlines are in order and a queue suffices.
    var archiveQueue: [ArchiveEntry] = []
    var archiveHead = 0
    /// Record numbers of archived servers, free for the next create (last freed, first reused).
    var freeSlots: [Int32] = []
    /// Servers archived so far.
    var archivedCount = 0
    /// Whether ``archive(_:scheduler:)`` hands each archived server to ``archivedLog`` first.
    var logsArchived = false
    var archivedLog: [ArchivedServer] = []
    /// The next record's ``ServerRecord/serial``.
    var nextSerial: UInt32 = 0
    /// Servers whose physical work must end (failed or deleted where no scheduler was at hand).
    var workToEnd: [Int32] = []
    /// The physical model's per-server records, by server index (empty without the model).
    var plantServers: [Int32: ServerPlant] = [:]
    /// Each server's action log, by server index (only with
    /// ``CloudConfiguration/recordsInstanceActions``; grown as servers are recorded).
    var actionLogs: [[ActionEntry]] = []
    /// The nova-network quotas (`fixed_ips`, `floating_ips`, `security_groups`,
    /// `security_group_rules`) administrators set before microversion 2.36, by project: Nova
    /// keeps and shows them though nothing counts them (-1 unless set).
    var legacyQuotas: [ProjectID: [String: Int]] = [:]
    /// The projects each private flavor is shared with (os-flavor-access), in the order added.
    var flavorAccess: [FlavorID: [ProjectID]] = [:]
    /// Each flavor's database row id (see `flavorRowID`), and the next one.
    var flavorRowIDs: [FlavorID: Int] = [:]
    /// Host aggregates in id order, and the id the next one gets.
    var aggregates: [Aggregate] = []
    var nextAggregateID = 1
    /// Every migration so far (``CloudConfiguration/recordsMigrations``), oldest first, and the
    /// one each server's operation is running, by server index.
    var migrations: [MigrationRecord] = []
    var openMigrations: [Int32: Int] = [:]
    /// The configured phase timings by action ordinal (the timing model's dictionary, read
    /// once per operation start without hashing).
    let actionPhases: [[Distribution]]

    /// - Throws: ``ModelError`` for a configuration the engine cannot run: invalid timing, fault
    ///   probabilities, hosts, flavors, images or build model, or a duplicate id.
    init(configuration: CloudConfiguration) throws(ModelError) {
        var configuration = configuration
        configuration.timing = try configuration.timing.validated()
        configuration.faults = try configuration.faults.validated()
        if let retention = configuration.deletedServerRetention, retention < .zero || retention > .limit {
            throw ModelError(.invalidValue, "deletedServerRetention must be between 0 and \(SimDuration.limit), got \(retention)")
        }
        self.configuration = configuration
        actionPhases = ServerAction.allCases.map { configuration.timing.phases[$0] ?? [] }
        guard configuration.networks.count <= 255 else { throw ModelError(.invalidValue, "at most 255 networks, got \(configuration.networks.count)") }
        var networkIDs = Set<String>(), networkNames = Set<String>()
        for network in configuration.networks {
            _ = try network.validated()
            guard networkIDs.insert(network.id).inserted else { throw ModelError(.duplicate, "duplicate network id \(network.id)") }
            // Addresses are keyed by network name, so names are unique here.
            guard networkNames.insert(network.name).inserted else { throw ModelError(.duplicate, "duplicate network name \(network.name)") }
        }
        usedPorts = configuration.networks.map { PortBitmap(usable: $0.hostNumbers) }
        pool = try HostPool(policy: configuration.placement)
        for host in configuration.hosts { try pool.addHost(host) }
        var flavors: [FlavorID: Shared<Flavor>] = [:]
        for flavor in configuration.flavors {
            _ = try flavor.validated()
            guard flavors[flavor.id] == nil else { throw ModelError(.duplicate, "duplicate flavor id \(flavor.id)") }
            flavors[flavor.id] = Shared(flavor)
        }
        var images: [ImageID: Shared<Image>] = [:]
        for image in configuration.images {
            _ = try image.validated()
            guard images[image.id] == nil else { throw ModelError(.duplicate, "duplicate image id \(image.id)") }
            images[image.id] = Shared(image)
        }
        self.flavors = flavors
        self.images = images
        if let model = configuration.buildModel {
            let validated = try model.validated()
            plant = BuildPlant(model: validated, hosts: configuration.hosts) { (images[$0]?.value.sizeGiB ?? 0) * CloudWorld.gibibyte }
        }
        usesBuildModel = plant != nil
        imageOrder = configuration.images.map(\.id)
        let seed = configuration.seed
        ids = DeterministicRandom(seed: seed, stream: "ids")
        placementRandom = DeterministicRandom(seed: seed, stream: "placement")
        timing = DeterministicRandom(seed: seed, stream: "timing")
        faultRandom = DeterministicRandom(seed: seed, stream: "faults")
        passwords = DeterministicRandom(seed: seed, stream: "passwords")
        for (row, flavor) in configuration.flavors.enumerated() { flavorRowIDs[flavor.id] = row + 1 }
        try buildAggregates()
    }

    // MARK: Views

    @inline(__always)
    func isHostDown(_ host: HostName?) -> Bool {
        guard let host, pool.downHostCount > 0 else { return false }
        return pool.isDown(host)
    }

    /// Whether the server at `index` is on a host that is down, read by the host's number.
    @inline(__always)
    func isOnDownHost(_ index: Int32) -> Bool {
        let slot = servers[Int(index)].hostSlot
        return pool.downHostCount > 0 && slot >= 0 && !pool.hosts[Int(slot)].isUp
    }

    func status(of record: ServerRecord) -> ServerStatus {
        status(
            ofServerAt: record.isDeleted ? nil : record.server.host, deleted: record.isDeleted, vmState: record.server.vmState,
            taskState: record.server.taskState)
    }

    /// The status of the server at `index`, reading only the fields it needs (no record copy).
    /// Inlined: called from a mutating method, an outlined call took a copy of the whole world.
    /// The host is read by its number (``ServerRecord/hostSlot``, which the invariant checker
    /// holds to the host's name).
    @inline(__always)
    func status(_ index: Int32) -> ServerStatus {
        let i = Int(index)
        if servers[i].isDeleted { return .deleted }
        if isOnDownHost(index) { return .unknown }
        return ServerStatus(vmState: servers[i].server.vmState, taskState: servers[i].server.taskState)
    }

    @inline(__always)
    func status(ofServerAt host: HostName?, deleted: Bool, vmState: VMState?, taskState: TaskState?) -> ServerStatus {
        if deleted { return .deleted }
        if isHostDown(host) { return .unknown }
        return ServerStatus(vmState: vmState, taskState: taskState)
    }

    func view(_ index: Int32, now: SimTime) -> Server {
        let i = Int(index)
        var server = servers[i].server
        server.status = status(index)
        server.hostID = server.project.hostID(on: server.host)
        if server.status.reportsProgress {
            if let physical = physicalProgress(index, now: now) {
                server.progress = physical
            } else if let operation = servers[i].operation, [nil, .rebuild, .resize, .migrate, .liveMigrate].contains(operation.action) {
                let total = operation.total.nanoseconds
                let elapsed = (now - operation.startedAt).nanoseconds
                server.progress = total > 0 ? Int(min(99, elapsed * 100 / total)) : 0
            } else {
                server.progress = servers[i].storedProgress
            }
        } else {
            server.progress = nil
        }
        if server.status != .error && server.status != .deleted { server.fault = nil }
        // Set only in views: the deletion's time is the history's last change.
        if servers[i].isDeleted, let last = servers[i].history.last, last.status == .deleted { server.terminatedAt = last.time }
        if let port = servers[i].port {
            let mac = Self.macAddress(servers[i].macBits)
            // A building server does not show its addresses yet.
            if server.vmState != .building { server.addresses = configuration.networks[0].addresses(port, mac: mac) }
            server.macAddress = mac
        }
        for nic in servers[i].networkKind == 3 ? servers[i].nics : [] {
            let mac = Self.macAddress(nic.macBits)
            if server.vmState != .building { server.addresses += configuration.networks[Int(nic.network)].addresses(Int(nic.number), mac: mac) }
            if server.macAddress == nil { server.macAddress = mac }
        }
        return server
    }

    /// Appends to the status history when the status changed.
    mutating func noteStatus(_ index: Int32, now: SimTime) {
        let current = status(index)
        if servers[Int(index)].history.last?.status != current {
            servers[Int(index)].history.append(StatusChange(time: now, status: current))
            statusChangeCount += 1
            if logsStatusChanges && (statusLogOnly == nil || statusLogOnly == current) {
                statusLog.append(ServerStatusChange(server: servers[Int(index)].server.id, time: now, status: current, record: index))
            }
        }
        servers[Int(index)].server.updated = now
    }

    /// Puts a server on a host (nil: on none), keeping ``hostResidents`` current.
    /// - Complexity: amortised O(1), plus one hash of the name.
    mutating func setHost(_ index: Int32, _ host: HostName?) {
        setHost(index, host, slot: host.flatMap { pool.hostIndex[$0] } ?? -1)
    }

    /// Puts a server on the host with pool number `slot`.
    /// - Complexity: amortised O(1).
    mutating func setHost(_ index: Int32, slot: Int32) {
        setHost(index, pool.hosts[Int(slot)].host.name, slot: slot)
    }

    private mutating func setHost(_ index: Int32, _ host: HostName?, slot: Int32) {
        servers[Int(index)].server.host = host
        servers[Int(index)].hostSlot = slot
        guard host != nil, slot >= 0 else { return }
        if Int(slot) >= hostResidents.count { hostResidents.append(contentsOf: repeatElement([], count: Int(slot) + 1 - hostResidents.count)) }
        hostResidents[Int(slot)].append(index)
        let count = hostResidents[Int(slot)].count
        if count >= 32 && count & (count - 1) == 0 { hostResidents[Int(slot)] = compacted(hostResidents[Int(slot)], slot: slot) }
    }

    /// The servers on `host` now, in index (creation) order.
    /// - Complexity: O(k log k) for the k servers ever given the host since its last compaction.
    func residents(of host: HostName) -> [Int32] {
        guard let slot = pool.hostIndex[host], Int(slot) < hostResidents.count else { return [] }
        return compacted(hostResidents[Int(slot)], slot: slot)
    }

    func compacted(_ list: [Int32], slot: Int32) -> [Int32] {
        var unique: [Int32] = []
        for index in list.sorted() where unique.last != index && servers[Int(index)].hostSlot == slot { unique.append(index) }
        return unique
    }

    // MARK: Operations
}

/// A snapshot image's origin, for its API view.
/// An operator's settings on a host's nova-compute service.
struct ServiceOverride: Hashable, Sendable {
    var disabled = false
    var disabledReason: String?
    var forcedDown = false
}

/// A key pair's identity: Nova's names are unique per user.
struct KeyPairKey: Hashable, Sendable {
    var user: String
    var name: String
}

struct Snapshot: Hashable, Sendable {
    var server: ServerID
    var created: SimTime
    /// The project of the server it was taken from, which owns it (Glance's `owner`).
    var project: ProjectID
}
