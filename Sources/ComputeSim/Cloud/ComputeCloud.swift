/// A simulated compute cloud: the typed facade over hosts, placement, the server lifecycle
/// and virtual time.
///
/// `ComputeCloud` is a value: copying it forks the whole simulation, and both copies go on
/// independently. Nothing happens until time moves: ``advance(by:)``, ``advance(to:)`` or
/// ``runUntilIdle(maxEvents:)`` run the scheduled phases of every operation.
///
/// ```swift
/// var cloud = try ComputeCloud()                      // the default catalog, seed 1
/// let me = Caller(project: "demo")
/// let id = try cloud.createServers(CreateServerRequest(name: "web", image: ComputeCloud.ubuntu, flavor: "2"), as: me).ids[0]
/// try cloud.advance(by: .minutes(2))
/// try cloud.server(id, as: me).status                 // .active
/// ```
///
/// Errors are ``CloudError`` values shaped like the Compute API's faults; a refused call
/// changes nothing. Another project's server is "not found" (404) unless the caller is an admin.
public struct ComputeCloud: Sendable {
    var scheduler: Scheduler<CloudEvent>
    var world: CloudWorld

    /// The default Ubuntu image id.
    public static let ubuntu = ImageID("52415800-8b69-11e0-9b19-734f6f006e54")
    /// The default CirrOS image id.
    public static let cirros = ImageID("70a599e0-31e7-49b7-b260-868f441e862b")

    /// Creates a cloud.
    /// - Throws: ``CloudError`` `badRequest` naming an invalid host, flavor, image, policy or
    ///   timing entry.
    public init(configuration: CloudConfiguration = CloudConfiguration()) throws(CloudError) {
        world = try CloudWorld(configuration: configuration)
        scheduler = Scheduler()
    }

    // MARK: Time

    /// The current simulated time.
    public var now: SimTime { scheduler.now }

    /// Maps simulated times (such as ``Server/created``) to the timestamps users see.
    public var wallClock: WallClock { world.configuration.wallClock }

    /// The wall-clock time users see, as ISO 8601.
    public var wallClockTime: String { world.configuration.wallClock.iso8601(at: now) }

    /// Runs every event due within `duration`, then rests at now + duration.
    /// - Throws: ``CloudError`` `badRequest` for a negative or overflowing duration.
    public mutating func advance(by duration: SimDuration) throws(CloudError) {
        #if COMPUTESIM_CHECK_INVARIANTS
            if duration >= .zero, let target = try? now.advanced(by: duration) { return try advance(to: target) }
        #endif
        do { try scheduler.advance(by: duration, handler: &world) } catch { throw CloudError(.badRequest, error.message, underlying: error) }
    }

    /// Runs every event due at or before `time`, then rests there.
    /// - Throws: ``CloudError`` `badRequest` when `time` is in the past.
    public mutating func advance(to time: SimTime) throws(CloudError) {
        #if COMPUTESIM_CHECK_INVARIANTS
            stepChecked(through: time)
        #endif
        do { try scheduler.run(until: time, handler: &world) } catch { throw CloudError(.badRequest, error.message, underlying: error) }
    }

    /// Runs events until nothing is pending or `maxEvents` have run.
    @discardableResult
    public mutating func runUntilIdle(maxEvents: Int = 1_000_000) -> RunOutcome {
        #if COMPUTESIM_CHECK_INVARIANTS
            var handled = 0
            while handled < maxEvents, step() { handled += 1 }
            return scheduler.nextEventTime() == nil ? .idle : .reachedEventLimit
        #else
            scheduler.runUntilIdle(maxEvents: max(0, maxEvents), handler: &world)
        #endif
    }

    /// Runs exactly one event, if any is pending; for tests that check invariants after every event.
    @discardableResult
    public mutating func step() -> Bool {
        let ran = scheduler.step(handler: &world)
        #if COMPUTESIM_CHECK_INVARIANTS
            if ran {
                let problems = checkInvariants()
                assert(problems.isEmpty, "invariants broken after cloud event \(processedEventCount): \(problems)")
            }
        #endif
        return ran
    }

    #if COMPUTESIM_CHECK_INVARIANTS
        /// With `-D COMPUTESIM_CHECK_INVARIANTS` (debug builds: `swift test -Xswiftc -DCOMPUTESIM_CHECK_INVARIANTS`),
        /// every run of the cloud goes one event at a time and checks every invariant after each
        /// (O(servers + hosts) per event: for tests, never for large runs).
        private mutating func stepChecked(through time: SimTime) {
            while let next = scheduler.nextEventTime(), next <= time { step() }
        }
    #endif

    /// When the next event is due, or nil when nothing is pending.
    public mutating func nextEventTime() -> SimTime? { scheduler.nextEventTime() }

    /// Events waiting to run.
    public var pendingEventCount: Int { scheduler.pendingEventCount }

    /// The digest of every event processed so far.
    public var traceDigest: String { scheduler.traceDigest }

    /// How many builds found no valid host, and per filter (in filter order, only filters that
    /// eliminated hosts) in how many of those failures it eliminated at least one host.
    public var placementFailures: (total: Int, byFilter: [(filter: PlacementFilter, failures: Int)]) {
        (world.placementFailures, PlacementFilter.allCases.compactMap { filter in world.placementFailuresByFilter[filter].map { (filter, $0) } })
    }

    /// What the cloud keeps of its trace lines (none by default; the digest is always kept).
    public var traceCapture: TraceCapture {
        get { scheduler.trace.capture }
        set { scheduler.trace.capture = newValue }
    }

    /// The kept trace lines, oldest first (see ``traceCapture``).
    public var capturedTraceLines: [String] { scheduler.trace.capturedLines }

    /// How many times a server's API status changed (a server's first status, BUILD, counts).
    public var statusChangeCount: UInt64 { world.statusChangeCount }

    /// Whether status changes are logged for ``drainStatusChanges()`` (off by default: the log
    /// grows until drained).
    public var logsStatusChanges: Bool {
        get { world.logsStatusChanges }
        set {
            world.logsStatusChanges = newValue
            if !newValue { world.statusLog.removeAll() }
        }
    }

    /// The status changes since the last drain, in the order they happened; empties the log.
    /// For drivers that react to statuses (a workload that reboots a server 10 minutes after
    /// it became ACTIVE). O(changes).
    public mutating func drainStatusChanges() -> [ServerStatusChange] {
        defer { world.statusLog.removeAll(keepingCapacity: true) }
        return world.statusLog
    }

    /// Logs only changes to this status while set (nil logs every change). For drivers that wait
    /// for one status only, such as the scenario runner's scripts, which wait for ACTIVE.
    var statusLogFilter: ServerStatus? {
        get { world.statusLogOnly }
        set { world.statusLogOnly = newValue }
    }

    /// Moves the logged status changes into `buffer` (emptied first) and empties the log. The two
    /// arrays swap storage, so a driver that drains after every event allocates nothing.
    /// Complexity: O(1) plus emptying `buffer`.
    mutating func drainStatusChanges(into buffer: inout [ServerStatusChange]) {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &world.statusLog)
    }

    /// How many events the cloud has processed.
    public var processedEventCount: UInt64 { scheduler.processedEventCount }

    // MARK: Catalog

    /// The flavors, in configuration order.
    public var flavors: [Flavor] { world.configuration.flavors }

    /// The images, in the order they were added.
    public var images: [Image] { world.imageOrder.compactMap { world.images[$0] } }

    /// The hosts and their usage.
    public var hostPool: HostPool { world.pool }

    // MARK: Servers

    /// Creates one or more servers (`min_count` to `max_count`; as many as quotas allow, at
    /// least `min_count`). They start in BUILD and are placed when their scheduling phase ends.
    ///
    /// - Throws: ``CloudError``: `badRequest` for an invalid name, count, unknown image, flavor,
    ///   zone or group, or a flavor too small for the image; `forbidden` over quota (Nova's
    ///   message); `computeFault` when a control-plane fault is injected.
    public mutating func createServers(_ request: CreateServerRequest, as caller: Caller) throws(CloudError) -> CreatedServers {
        try injectControlPlaneFault()
        try Self.validateName(request.name)
        if let description = request.description { try Self.validateDescription(description) }
        guard request.minCount >= 1, request.maxCount >= 1 else { throw CloudError(.badRequest, "min_count and max_count must be at least 1") }
        guard request.minCount <= request.maxCount else { throw CloudError(.badRequest, "min_count must be <= max_count") }
        guard let image = world.images[request.image] else { throw CloudError(.badRequest, "Can not find requested image") }
        guard let flavor = world.flavors[request.flavor] else { throw CloudError(.badRequest, "Flavor \(request.flavor) could not be found.") }
        if flavor.memoryMiB < image.minRamMiB { throw CloudError(.badRequest, "Flavor's memory is too small for requested image.") }
        if flavor.diskGiB > 0 && flavor.diskGiB < image.minDiskGiB { throw CloudError(.badRequest, "Flavor's disk is too small for requested image.") }
        if let zone = request.availabilityZone, !world.configuration.hosts.contains(where: { $0.availabilityZone == zone }) {
            throw CloudError(.badRequest, "The requested availability zone is not available")
        }
        if let group = request.group {
            guard let found = world.pool.group(group), found.project == caller.project || caller.isAdmin else {
                throw CloudError(.badRequest, "Invalid server group \(group)")
            }
        }
        let quota = world.configuration.quotas[caller.project] ?? world.configuration.defaultQuota
        try Self.validateMetadata(request.metadata, quota: quota)
        let accessIPs = try Self.validateAccessIPs(v4: request.accessIPv4, v6: request.accessIPv6)
        if let requested = request.diskConfig, requested != "AUTO" && requested != "MANUAL" {
            throw CloudError(
                .badRequest, "Invalid input for field/attribute OS-DCF:diskConfig. Value: \(requested). '\(requested)' is not one of ['AUTO', 'MANUAL']")
        }
        let diskConfig = request.diskConfig ?? (image.properties["auto_disk_config"]?.lowercased() == "true" ? "AUTO" : "MANUAL")
        if case .fixedIP(let address) = request.network {
            let network = world.configuration.network
            guard request.maxCount == 1 else {
                throw CloudError(.badRequest, "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.")
            }
            guard let number = network.hostNumber(of: address) else {
                throw CloudError(.badRequest, "Fixed IP \(address) is not a valid ip address for network \(network.id).")
            }
            if let holder = world.servers.first(where: { $0.port == number && !$0.isDeleted }) {
                throw CloudError(.badRequest, "Fixed IP address \(address) is already in use on instance \(holder.server.id).")
            }
        }
        let files = try Self.validatePersonality(request.personality, quota: quota)
        let tree = world.configuration.imageTrees[image.id] ?? VirtualFileSystem()
        try Self.checkInjectable(files, into: tree)
        let count = try allowedCount(request, flavor: flavor, quota: quota, project: caller.project)
        var password = request.adminPass
        if password == nil { password = PasswordPolicy.generate(using: &world.passwords) }
        let violation = request.adminPass.flatMap { world.configuration.passwordPolicy.violation(of: $0) }
        // Nova's reservation id: "r-" and 8 characters from its generate_uid alphabet.
        let alphabet = Array("01234567890abcdefghijklmnopqrstuvwxyz")
        let reservation = "r-" + String((0..<8).map { _ in alphabet[world.ids.nextIndex(below: alphabet.count)] })
        var ids: [ServerID] = []
        for number in 0..<count {
            let id = ServerID(Self.uuid(&world.ids))
            let name = count > 1 ? "\(request.name)-\(number + 1)" : request.name
            let server = Server(
                id: id, name: name, project: caller.project, user: caller.user, status: .build, vmState: .building, taskState: .scheduling,
                powerState: .noState, progress: 0, flavor: flavor, image: image, host: nil, hostID: "", availabilityZone: request.availabilityZone,
                group: request.group, launchedAt: nil, created: now, updated: now, isLocked: false, isLockedByAdmin: false, fault: nil,
                metadata: request.metadata,
                shutdownTerminate: request.shutdownTerminate, addresses: [], diskConfig: diskConfig, description: request.description, accessIPv4: accessIPs.v4,
                accessIPv6: accessIPs.v6, macAddress: nil)
            let index = Int32(world.servers.count)
            world.servers.append(
                ServerRecord(
                    server: server, passwordViolation: violation, fileSystem: tree, pendingFiles: files, networkRequest: request.network,
                    reservationID: reservation, launchIndex: number, userData: request.userData))
            world.countUsage(of: server, sign: 1, instance: true)
            world.serverIndex[id] = index
            world.startOperation(nil, on: index, scheduler: &scheduler)
            ids.append(id)
        }
        return CreatedServers(ids: ids, adminPass: world.configuration.returnsAdminPassword ? password : nil)
    }

    /// How many servers of `request` the project's quota admits (Nova's message when fewer
    /// than `minCount`).
    private func allowedCount(_ request: CreateServerRequest, flavor: Flavor, quota: Quota, project: ProjectID) throws(CloudError) -> Int {
        let usage = world.projectUsage[project] ?? QuotaUsage()
        let used = (instances: usage.instances, cores: usage.cores, ram: usage.ramMiB)
        func fits(_ count: Int) -> [(String, Int, Int, Int)] {
            var overs: [(String, Int, Int, Int)] = []
            if quota.cores >= 0 && used.cores + count * flavor.vcpus > quota.cores { overs.append(("cores", count * flavor.vcpus, used.cores, quota.cores)) }
            if quota.instances >= 0 && used.instances + count > quota.instances { overs.append(("instances", count, used.instances, quota.instances)) }
            if quota.ramMiB >= 0 && used.ram + count * flavor.memoryMiB > quota.ramMiB {
                overs.append(("ram", count * flavor.memoryMiB, used.ram, quota.ramMiB))
            }
            return overs
        }
        for count in stride(from: request.maxCount, through: request.minCount, by: -1) where fits(count).isEmpty { return count }
        let overs = fits(request.maxCount).sorted { $0.0 < $1.0 }
        let requested = overs.map { $0.0 == "instances" && request.minCount != request.maxCount ? "\(request.minCount)-\(request.maxCount)" : "\($0.1)" }
        throw CloudError(
            .forbidden,
            "Quota exceeded for \(overs.map(\.0).joined(separator: ", ")): Requested \(requested.joined(separator: ", ")), but already used \(overs.map { "\($0.2)" }.joined(separator: ", ")) of \(overs.map { "\($0.3)" }.joined(separator: ", ")) \(overs.map(\.0).joined(separator: ", "))"
        )
    }

    /// Nova's description rule (2.19): at most 255 printable characters.
    static func validateDescription(_ description: String) throws(CloudError) {
        guard description.count <= 255, !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute description. Value: \(description.prefix(64)). The description must be at most 255 printable characters.")
        }
    }

    static func validateName(_ name: String) throws(CloudError) {
        let invalid = CloudError(
            .badRequest, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.")
        guard !name.isEmpty, name.count <= 255, name.trimmingWhitespace == name else { throw invalid }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw invalid }
    }

    /// A version-4-formatted UUID from the ids stream.
    static func uuid(_ random: inout DeterministicRandom) -> String {
        let high = random.next(), low = (random.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        let versioned = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for nibble in 0..<32 {
            if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
            let word = nibble < 16 ? versioned : low
            let shift = UInt64(60 - 4 * (nibble % 16))
            text[position] = digits[Int((word >> shift) & 0xf)]
            position += 1
        }
        return String(decoding: text, as: UTF8.self)
    }

    private func index(of id: ServerID, for caller: Caller) throws(CloudError) -> Int32 {
        guard let index = world.serverIndex[id], !world.servers[Int(index)].isDeleted,
            caller.isAdmin || world.servers[Int(index)].server.project == caller.project
        else { throw CloudError.notFound(id) }
        return index
    }

    /// A server as the caller sees it now.
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown, deleted or other project's server.
    public func server(_ id: ServerID, as caller: Caller) throws(CloudError) -> Server {
        world.view(try index(of: id, for: caller), now: now)
    }

    /// A server's status as the caller sees it now: what ``server(_:as:)`` would show, without
    /// building the whole view (for clients that poll).
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown, deleted or other project's server.
    /// - Complexity: O(1) expected: one hash of the id.
    public func status(of id: ServerID, as caller: Caller) throws(CloudError) -> ServerStatus {
        world.status(try index(of: id, for: caller))
    }

    /// The physical build model's counters and current utilisation (nil under the
    /// distribution timing model).
    public var buildStatistics: BuildStatistics? { world.plant?.currentStatistics() }

    /// Where a server's build time went under the physical build model (nil otherwise, or for
    /// an unknown server); complete once it is ACTIVE.
    public func buildTimes(of id: ServerID) -> BuildTimes? {
        guard world.plant != nil, let index = world.serverIndex[id] else { return nil }
        return world.plantServers[index]?.buildTimes ?? BuildTimes()
    }

    /// The caller's servers (an admin's: every project's), oldest first.
    public func servers(as caller: Caller) -> [Server] {
        world.servers.indices.filter { !world.servers[$0].isDeleted && (caller.isAdmin || world.servers[$0].server.project == caller.project) }
            .map { world.view(Int32($0), now: now) }
    }

    /// Every status the server has had, with when it started (kept after deletion, ending DELETED).
    public func statusHistory(of id: ServerID) -> [StatusChange] {
        world.serverIndex[id].map { world.servers[Int($0)].history.changes } ?? []
    }

    /// Nova's access IP rules: strict formats (400 naming the field), stored normalised.
    static func validateAccessIPs(v4: String?, v6: String?) throws(CloudError) -> (v4: String, v6: String) {
        var result = ("", "")
        if let v4 {
            guard let normalized = IPAddress.normalizedIPv4(v4) else {
                throw CloudError(.badRequest, "Invalid input for field/attribute accessIPv4. Value: \(v4). '\(v4)' is not a 'ipv4'")
            }
            result.0 = normalized
        }
        if let v6 {
            guard let normalized = IPAddress.normalizedIPv6(v6) else {
                throw CloudError(.badRequest, "Invalid input for field/attribute accessIPv6. Value: \(v6). '\(v6)' is not a 'ipv6'")
            }
            result.1 = normalized
        }
        return result
    }

    /// Updates a server's name and access IPs (PUT /servers/{id}); no lock or state check, as
    /// in Nova. Nil leaves a field unchanged.
    public mutating func updateServer(
        _ id: ServerID, name: String? = nil, description: String? = nil, accessIPv4: String? = nil, accessIPv6: String? = nil, as caller: Caller
    ) throws(CloudError) -> Server {
        let index = try index(of: id, for: caller)
        if let description { try Self.validateDescription(description) }
        if let name { try Self.validateName(name) }
        let accessIPs = try Self.validateAccessIPs(v4: accessIPv4, v6: accessIPv6)
        if let name { world.servers[Int(index)].server.name = name }
        if let description { world.servers[Int(index)].server.description = description }
        if accessIPv4 != nil { world.servers[Int(index)].server.accessIPv4 = accessIPs.v4 }
        if accessIPv6 != nil { world.servers[Int(index)].server.accessIPv6 = accessIPs.v6 }
        world.servers[Int(index)].server.updated = now
        return world.view(index, now: now)
    }

    /// Deletes a server (DELETE /servers/{id}): soft-deletes when a reclaim interval is set and
    /// the server was launched; deletes at once when it has no host or its host is down.
    public mutating func deleteServer(_ id: ServerID, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        try injectControlPlaneFault()
        let record = world.servers[Int(index)]
        let soft = world.configuration.reclaimInterval > .zero && record.server.launchedAt != nil
        let action: ServerAction = soft ? .softDelete : .delete
        if let refusal = ServerLifecycle.check(action, on: guarded(record), isAdmin: caller.isAdmin) { throw CloudError(refusal) }
        world.cancelPending(index, scheduler: &scheduler)
        if record.server.host == nil || world.isHostDown(record.server.host) {
            world.finishDelete(index, now: now)  // Nova's local delete
            world.drainEndedWork(scheduler: &scheduler)  // frees its build slot for the next queued build now
            return
        }
        world.startOperation(action, on: index, scheduler: &scheduler)
    }

    private func guarded(_ record: ServerRecord) -> GuardedServer {
        GuardedServer(
            id: record.server.id, vmState: record.server.vmState, taskState: record.server.taskState, isLaunched: record.server.launchedAt != nil,
            isLocked: record.server.isLocked, host: record.server.host, isHostUp: !world.isHostDown(record.server.host))
    }

    /// Hypervisor types whose hosts can suspend (ComputeSim's product rule).
    static let suspendCapable: Set<String> = ["xen", "xenserver", "xcp", "kvm", "qemu", "vmware", "esxi"]

    /// Performs an action (POST /servers/{id}/action).
    ///
    /// - Throws: ``CloudError``: `conflictingRequest` with Nova's message when the state, a lock
    ///   or a down host refuses it (nothing changes); `badRequest` for invalid arguments (e.g.
    ///   "When resizing, instances must change flavor!"); `itemNotFound` for unknown servers.
    public mutating func perform(_ request: ServerActionRequest, on id: ServerID, as caller: Caller) throws(CloudError) -> ActionResult {
        let index = try index(of: id, for: caller)
        try injectControlPlaneFault()
        let action = request.action
        var record = world.servers[Int(index)]
        let rule = ServerLifecycle.rule(for: action)
        // ComputeSim's rule: a server on a down host refuses everything but locks.
        if world.isHostDown(record.server.host), action != .lock, action != .unlock, action != .forceDelete {
            throw CloudError(
                .conflictingRequest,
                "Cannot '\(action.messageName)' instance \(id) while it is in status UNKNOWN: host \(record.server.host?.rawValue ?? "") is down")
        }
        // Password recovery: changePassword is accepted from the ERROR a policy failure caused.
        let recovering = action == .changePassword && record.server.vmState == .error && record.server.fault?.code == 400 && record.server.launchedAt != nil
        if !recovering, let refusal = ServerLifecycle.check(action, on: guarded(record), isAdmin: caller.isAdmin) { throw CloudError(refusal) }
        var result = ActionResult(httpStatus: rule.successCode, adminPass: nil, image: nil)
        var targetFlavor: Flavor? = nil
        switch request {
        case .resize(let flavorID):
            guard let flavor = world.flavors[flavorID] else { throw CloudError(.badRequest, "Flavor \(flavorID) could not be found.") }
            guard flavor.id != record.server.flavor.id else { throw CloudError(.badRequest, "When resizing, instances must change flavor!") }
            targetFlavor = flavor
        case .rebuild(let imageID, let password, let personality):
            if let imageID {
                guard let image = world.images[imageID] else { throw CloudError(.badRequest, "Can not find requested image") }
                record.server.image = image
            }
            let quota = world.configuration.quotas[record.server.project] ?? world.configuration.defaultQuota
            let files = try Self.validatePersonality(personality, quota: quota)
            try Self.checkInjectable(files, into: world.configuration.imageTrees[record.server.image.id] ?? VirtualFileSystem())
            world.servers[Int(index)].pendingFiles = files
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .rescue(let password):
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .changePassword(let password):
            if let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
        case .suspend:
            if let host = record.server.host, let hypervisor = world.pool.host(host)?.hypervisorType, !Self.suspendCapable.contains(hypervisor.lowercased()) {
                throw CloudError(.conflictingRequest, "Cannot 'suspend' instance \(id): hypervisor \(hypervisor) on host \(host) does not support suspend")
            }
        case .restore, .forceDelete:
            break
        case .confirmResize, .revertResize:
            guard record.resizeSource != nil else { throw CloudError(.badRequest, "Instance has not been resized.") }
        case .lock:
            world.servers[Int(index)].server.isLocked = true
            world.servers[Int(index)].server.isLockedByAdmin = caller.isAdmin
            world.servers[Int(index)].server.updated = now
            return result
        case .unlock:
            // Nova's unlock_override policy: an owner cannot lift an administrator's lock.
            if record.server.isLocked && record.server.isLockedByAdmin && !caller.isAdmin {
                throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.")
            }
            world.servers[Int(index)].server.isLocked = false
            world.servers[Int(index)].server.isLockedByAdmin = false
            world.servers[Int(index)].server.updated = now
            return result
        case .createImage(let name):
            let image = ImageID(Self.uuid(&world.ids))
            world.images[image] = Image(
                id: image, name: name, minRamMiB: record.server.image.minRamMiB, minDiskGiB: record.server.image.minDiskGiB,
                properties: record.server.image.properties)
            world.imageOrder.append(image)
            result.image = image
        default:
            break
        }
        world.servers[Int(index)].server.image = record.server.image
        if recovering {
            // Back to active so the PASSWORD status shows while the password is set.
            world.servers[Int(index)].server.vmState = .active
        }
        world.cancelPending(index, scheduler: &scheduler)
        if action == .liveMigrate {
            guard let destination = liveMigrationDestination(index) else {
                return result  // NoValidHost: task None, state unchanged
            }
            world.startOperation(action, on: index, scheduler: &scheduler)
            world.servers[Int(index)].operation?.targetHost = destination
            return result
        }
        world.startOperation(action, on: index, scheduler: &scheduler, targetFlavor: targetFlavor ?? (action == .migrate ? record.server.flavor : nil))
        return result
    }

    /// Refuses personality files that cannot be written into the image's tree (a directory in
    /// the way, or a file where a directory is needed), before anything is created.
    static func checkInjectable(_ files: [InjectedFile], into tree: VirtualFileSystem) throws(CloudError) {
        var probe = tree
        do {
            try probe.inject(files, at: .zero, wallClock: .defaultEpoch)
        } catch {
            throw CloudError(.badRequest, "Personality file cannot be injected: \(error.message)", underlying: error)
        }
    }

    // MARK: Files

    /// Admin-only attributes of a server (microversion 2.3): reservation id, launch index and user data.
    func extendedAttributes(of id: ServerID) -> (reservationID: String, launchIndex: Int, userData: String?)? {
        world.serverIndex[id].map { (world.servers[Int($0)].reservationID, world.servers[Int($0)].launchIndex, world.servers[Int($0)].userData) }
    }

    /// The server's root filesystem as it is now (personality files appear once it is built).
    public func fileSystem(of id: ServerID, as caller: Caller) throws(CloudError) -> VirtualFileSystem {
        world.servers[Int(try index(of: id, for: caller))].fileSystem
    }

    /// Writes a file from inside the guest (owner root, mode 0644), as a running server's
    /// software would.
    /// - Throws: ``CloudError`` `conflictingRequest` unless the server is ACTIVE and running;
    ///   `badRequest` for an invalid path or a write the tree refuses.
    public mutating func guestWrite(_ id: ServerID, path: String, contents: String, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        let server = world.servers[Int(index)].server
        guard server.vmState == .active, server.powerState == .running, !world.isHostDown(server.host) else {
            throw CloudError(.conflictingRequest, "Instance \(id) is not running")
        }
        do {
            let target = try VirtualPath(path)
            world.servers[Int(index)].injectedPaths.removeAll { $0 == target }  // the guest owns it now
            try world.servers[Int(index)].fileSystem.write(
                target, contents: contents, metadata: FileMetadata(mode: 0o644, modified: now), creatingParents: FileMetadata(mode: 0o755, modified: now))
        } catch {
            throw CloudError(.badRequest, error.message, underlying: error)
        }
    }

    /// The guest runs `shutdown -h now`: the lifecycle's guest-shutdown fault, at this instant.
    public mutating func guestShutdown(_ id: ServerID, as caller: Caller) throws(CloudError) {
        _ = try index(of: id, for: caller)
        try inject(.guestShutdown(id), at: now)
    }

    private mutating func liveMigrationDestination(_ index: Int32) -> HostName? {
        let server = world.servers[Int(index)].server
        var request = PlacementRequest(
            project: server.project, flavor: server.flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        request.currentHost = server.host
        if let host = server.host { request.excludedHosts = [host] }
        guard let decision = try? world.pool.select(request, random: &world.placementRandom), let destination = decision.host,
            (try? world.pool.claim(
                .init(server: server.id, purpose: .migrationTarget), resources: server.flavor.claim, on: destination, project: server.project,
                group: server.group)) != nil
        else { return nil }
        return destination
    }

    private mutating func injectControlPlaneFault() throws(CloudError) {
        let probability = world.configuration.faults.controlPlaneError
        if probability > 0, world.faultRandom.nextBool(probability: probability) {
            throw CloudError(
                .computeFault, "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.")
        }
    }

    // MARK: Metadata

    /// Nova's metadata schema and quota: keys 1–255 of `[a-zA-Z0-9-_:. ]`, string values up to
    /// 255 characters, at most `metadata_items` (128) items.
    static func validateMetadata(_ metadata: [String: String], quota: Quota) throws(CloudError) {
        guard !metadata.isEmpty else { return }
        func allowed(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue else { return false }
            return (ascii >= 97 && ascii <= 122) || (ascii >= 65 && ascii <= 90) || (ascii >= 48 && ascii <= 57) || "-_:. ".utf8.contains(ascii)
        }
        for key in metadata.keys.sorted() {
            guard (1...255).contains(key.count), key.allSatisfy(allowed) else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute metadata. Value: \(key). '\(key)' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
            }
            if let value = metadata[key], value.count > 255 {
                throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(value). '\(value)' is too long")
            }
        }
        if quota.metadataItems >= 0 && metadata.count > quota.metadataItems {
            throw CloudError(.forbidden, "Maximum number of metadata items exceeds \(quota.metadataItems)")
        }
    }

    private func metadataGuard(_ index: Int32, action: String, caller: Caller) throws(CloudError) {
        let server = world.servers[Int(index)].server
        if server.isLocked && !caller.isAdmin { throw CloudError(.conflictingRequest, "Instance \(server.id) is locked") }
        guard [.active, .paused, .suspended, .stopped].contains(server.vmState) else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in vm_state \(server.vmState.rawValue)")
        }
        guard server.launchedAt != nil else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in launched_at None")
        }
    }

    /// Merges (or, with `replacing`, replaces) the server's metadata; returns the result.
    /// - Throws: ``CloudError``: 400 for invalid keys or values, 403 over 128 items, 409 when the
    ///   state does not allow metadata changes or the server is locked.
    public mutating func updateMetadata(_ id: ServerID, _ metadata: [String: String], replacing: Bool, as caller: Caller) throws(CloudError) -> [String: String]
    {
        let index = try index(of: id, for: caller)
        var merged = replacing ? [:] : world.servers[Int(index)].server.metadata
        for (key, value) in metadata { merged[key] = value }
        let quota = world.configuration.quotas[world.servers[Int(index)].server.project] ?? world.configuration.defaultQuota
        try Self.validateMetadata(merged, quota: quota)
        try metadataGuard(index, action: "update metadata", caller: caller)
        world.servers[Int(index)].server.metadata = merged
        world.servers[Int(index)].server.updated = now
        return merged
    }

    /// Deletes one metadata item.
    /// - Throws: ``CloudError`` 404 "Metadata item was not found", or 409 as for updates.
    public mutating func deleteMetadata(_ id: ServerID, key: String, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        guard world.servers[Int(index)].server.metadata[key] != nil else { throw CloudError(.itemNotFound, "Metadata item was not found") }
        try metadataGuard(index, action: "delete metadata", caller: caller)
        world.servers[Int(index)].server.metadata[key] = nil
        world.servers[Int(index)].server.updated = now
    }

    // MARK: Groups and faults

    /// Creates a server group with a new id (POST /os-server-groups), within the project's
    /// server-group quota.
    /// - Throws: ``CloudError`` `forbidden` over quota (Nova's message).
    public mutating func createServerGroup(name: String, policy: ServerGroupPolicy, maxServerPerHost: Int? = nil, as caller: Caller) throws(CloudError)
        -> ServerGroupID
    {
        try checkServerGroupQuota(of: caller.project)
        let id = ServerGroupID(Self.uuid(&world.ids))
        try createServerGroup(id, name: name, policy: policy, maxServerPerHost: maxServerPerHost, as: caller)
        return id
    }

    /// ``Personality/validate(_:quota:)`` in the API's terms: a quota limit is `forbidden`,
    /// anything else `badRequest`, with the same message.
    static func validatePersonality(_ files: [Personality], quota: Quota) throws(CloudError) -> [InjectedFile] {
        do {
            return try Personality.validate(files, quota: quota)
        } catch {
            throw CloudError(error.code == .limitExceeded ? .forbidden : .badRequest, error.message, underlying: error)
        }
    }

    /// Refuses a new group when the project already holds its quota of server groups
    /// (a negative quota is unlimited). Checked before an id is drawn, so a refusal draws none.
    /// - Throws: ``CloudError`` `forbidden` with Nova's message.
    func checkServerGroupQuota(of project: ProjectID) throws(CloudError) {
        let quota = world.configuration.quotas[project] ?? world.configuration.defaultQuota
        if quota.serverGroups >= 0 && world.pool.groupCount(of: project) >= quota.serverGroups {
            throw CloudError(.forbidden, "Quota exceeded, too many server groups.")
        }
    }

    /// A group the caller may see (its own, or any for an admin) that was not deleted.
    /// - Throws: ``CloudError`` `itemNotFound` otherwise (the same for other projects' groups).
    func visibleGroup(_ id: ServerGroupID, as caller: Caller) throws(CloudError) -> ServerGroup {
        guard let group = world.pool.group(id), !world.deletedGroups.contains(id), group.project == caller.project || caller.isAdmin else {
            throw CloudError(.itemNotFound, "Instance group \(id) could not be found.")
        }
        return group
    }

    /// Deletes a server group (DELETE /os-server-groups/{id}); its members keep their placement.
    /// - Throws: ``CloudError`` `itemNotFound` for unknown, deleted or other projects' groups.
    public mutating func deleteServerGroup(_ id: ServerGroupID, as caller: Caller) throws(CloudError) {
        _ = try visibleGroup(id, as: caller)
        world.deletedGroups.insert(id)
    }

    /// Creates a server group for the caller's project.
    public mutating func createServerGroup(_ id: ServerGroupID, name: String, policy: ServerGroupPolicy, maxServerPerHost: Int? = nil, as caller: Caller)
        throws(CloudError)
    {
        try checkServerGroupQuota(of: caller.project)
        do {
            try world.pool.addGroup(ServerGroup(id: id, name: name, project: caller.project, policy: policy, maxServerPerHost: maxServerPerHost))
        } catch {
            throw CloudError(error.code == .duplicate ? .conflictingRequest : .badRequest, error.message, underlying: error)
        }
    }

    /// Schedules a fault at an exact virtual time (now or later).
    /// - Throws: ``CloudError`` `badRequest` for a time in the past or an unknown host or server.
    public mutating func inject(_ fault: ScriptedFault, at time: SimTime) throws(CloudError) {
        guard time >= now else { throw CloudError(.badRequest, "cannot inject a fault at \(time): the simulation is already at \(now)") }
        switch fault {
        case .hostDown(let host), .hostUp(let host), .hostFailure(let host), .failNextBuild(let host?):
            guard world.pool.host(host) != nil else { throw CloudError(.badRequest, "no host named \(host)") }
        case .failNextBuild(nil):
            break
        case .guestShutdown(let id), .guestCrash(let id):
            guard world.serverIndex[id] != nil else { throw CloudError(.badRequest, "no server \(id)") }
        }
        world.scriptedFaults.append(fault)
        scheduler.schedule(.scripted(index: Int32(world.scriptedFaults.count - 1)), at: time)
    }

    // MARK: Invariants

    /// Every violated invariant, described; empty when the cloud is consistent:
    /// - host usage equals the sum of claims (a resize's source and destination both), no host
    ///   is over its effective capacity, the per-host account and group indexes agree with the
    ///   claims, and hard affinity and anti-affinity hold;
    /// - every server with a host holds a claim there and is in that host's resident index;
    ///   servers without one hold none; deleted servers hold nothing (claims, addresses);
    /// - quota usage equals the live servers' sum; no two servers share an address;
    /// - each server's last recorded status is the one its (vm_state, task_state) and host give;
    /// - personality files injected at build or rebuild are root:root 0440 (unless the guest
    ///   has since written them);
    /// - a server in an operation has its next phase pending, and every pending handle a
    ///   server holds is still in the event queue.
    ///
    /// Builds compiled with `-D COMPUTESIM_CHECK_INVARIANTS` call it after every event.
    /// - Complexity: O(servers + hosts + claims).
    public func checkInvariants() -> [String] {
        var problems = world.pool.checkInvariants()
        var ports: [Int: ServerID] = [:]
        for record in world.servers {
            if let port = record.port {
                if let other = ports[port] { problems.append("servers \(other) and \(record.server.id) share address number \(port)") }
                ports[port] = record.server.id
                if record.isDeleted { problems.append("server \(record.server.id): deleted but still holds an address") }
            }
        }
        if ports.count != world.usedPorts.count { problems.append("address pool disagrees with the servers' ports") }
        var recount: [ProjectID: QuotaUsage] = [:]
        for record in world.servers where !record.isDeleted {
            recount[record.server.project, default: QuotaUsage()].add(record.server.flavor, sign: 1, instance: true)
        }
        for project in Set(recount.keys).union(world.projectUsage.keys).sorted()
        where (recount[project] ?? QuotaUsage()) != (world.projectUsage[project] ?? QuotaUsage()) {
            problems.append(
                "project \(project): quota usage \(world.projectUsage[project] ?? QuotaUsage()) but its servers add up to \(recount[project] ?? QuotaUsage())")
        }
        for record in world.servers {
            let id = record.server.id
            let claimHost = world.pool.claimHost(.init(server: id))
            let targetHost = world.pool.claimHost(.init(server: id, purpose: .migrationTarget))
            if record.isDeleted {
                if claimHost != nil || targetHost != nil { problems.append("server \(id): deleted but still holds resources") }
                continue
            }
            if record.server.host != nil && record.resizeSource == nil && claimHost != record.server.host {
                problems.append("server \(id): on host \(record.server.host?.rawValue ?? "-") but its claim is on \(claimHost?.rawValue ?? "no host")")
            }
            if let source = record.resizeSource {
                if claimHost != source.host || targetHost != record.server.host {
                    problems.append("server \(id): resized but does not hold both source and destination")
                }
            }
            if record.server.host == nil && (claimHost != nil || (targetHost != nil && record.operation?.action != .liveMigrate)) {
                problems.append("server \(id): has no host but holds resources")
            }
            if let host = record.server.host, let index = world.serverIndex[id], !world.residents(of: host).contains(index) {
                problems.append("server \(id): on host \(host) but missing from its resident index")
            }
            if let recorded = record.history.last?.status, recorded != world.status(of: record) {
                problems.append("server \(id): last recorded status \(recorded.rawValue) but its states give \(world.status(of: record).rawValue)")
            }
            if record.operation != nil && record.pending == nil && world.serverIndex[id].flatMap({ world.plantServers[$0]?.work }) == nil {
                problems.append("server \(id): in an operation with no next phase pending")
            }
            if let handle = record.pending, !scheduler.isPending(handle) { problems.append("server \(id): holds a pending event that is no longer queued") }
            for path in record.injectedPaths {
                guard let stat = try? record.fileSystem.stat(path), stat.kind == .file, stat.metadata.uid == 0, stat.metadata.gid == 0,
                    stat.metadata.mode == 0o440
                else {
                    problems.append("server \(id): injected file \(path) is not root:root 0440")
                    continue
                }
            }
        }
        return problems
    }
}
