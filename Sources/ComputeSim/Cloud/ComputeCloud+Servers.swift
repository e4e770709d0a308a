// Reading, listing, updating and deleting servers.
extension ComputeCloud {
    func index(of id: ServerID, for caller: Caller) throws(CloudError) -> Int32 {
        guard let index = world.serverIndex[id], !world.servers[Int(index)].isDeleted,
            caller.isAdmin || world.servers[Int(index)].server.project == caller.project
        else { throw CloudError.notFound(id) }
        return index
    }

    /// The record number `index` checked as ``index(of:for:)`` checks an id (a live server the
    /// caller may see), for drivers that keep record numbers (the scenario runner) and so need
    /// not hash the id on every call.
    func index(at index: Int32, for caller: Caller) throws(CloudError) -> Int32 {
        guard index >= 0, Int(index) < world.servers.count else { throw CloudError.notFound(ServerID("record-\(index)")) }
        let i = Int(index)
        guard !world.servers[i].isDeleted, caller.isAdmin || world.servers[i].server.project == caller.project else {
            throw CloudError.notFound(world.servers[i].server.id)
        }
        return index
    }

    /// ``index(at:for:)`` for a server a driver knows by record number and id: the error for a
    /// deleted server when the number now holds another (the server was archived and its
    /// number reused), so a driver sees exactly what it would without archiving.
    func index(at index: Int32, id: ServerID, for caller: Caller) throws(CloudError) -> Int32 {
        guard holds(index, id) else { throw CloudError.notFound(id) }
        return try self.index(at: index, for: caller)
    }

    /// Whether record number `index` holds server `id` (false once it was archived).
    @inline(__always)
    func holds(_ index: Int32, _ id: ServerID) -> Bool {
        index >= 0 && Int(index) < world.servers.count && world.servers[Int(index)].server.id == id
    }

    /// Archived servers since the last call, oldest first (with ``logsArchived``).
    mutating func drainArchived() -> [ArchivedServer] {
        defer { world.archivedLog.removeAll(keepingCapacity: true) }
        return world.archivedLog
    }

    /// Whether archived servers are kept for ``drainArchived()``.
    var logsArchived: Bool {
        get { world.logsArchived }
        set { world.logsArchived = newValue }
    }

    /// The record number of server `id`, whoever owns it (nil for an unknown id).
    func recordIndex(of id: ServerID) -> Int32? { world.serverIndex[id] }

    /// A server as the caller sees it now.
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown, deleted or other project's server.
    public func server(_ id: ServerID, as caller: Caller) throws(CloudError) -> Server {
        world.view(try index(of: id, for: caller), now: now)
    }

    /// A server's status as the caller sees it now: what ``server(_:as:)-(ServerID,_)`` would show, without
    /// building the whole view (for clients that poll).
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown, deleted or other project's server.
    /// - Complexity: O(1) expected: one hash of the id.
    public func status(of id: ServerID, as caller: Caller) throws(CloudError) -> ServerStatus {
        // The index first: `world.status(try index(…))` loads (copies) the world before the call.
        let index = try index(of: id, for: caller)
        return world.status(index)
    }

    /// ``status(of:as:)-(ServerID,_)`` for a checked record number.
    func status(at index: Int32) -> ServerStatus { world.status(index) }

    /// The physical build model's counters and current utilisation (nil under the
    /// distribution timing model).
    public var buildStatistics: BuildStatistics? { world.plant?.currentStatistics() }

    /// Where a server's build time went under the physical build model (nil otherwise, or for
    /// an unknown server); complete once it is ACTIVE.
    public func buildTimes(of id: ServerID) -> BuildTimes? {
        guard world.usesBuildModel, let index = world.serverIndex[id] else { return nil }
        return world.plantServers[index]?.buildTimes ?? BuildTimes()
    }

    /// The caller's servers (an admin's: every project's), oldest first.
    public func servers(as caller: Caller) -> [Server] {
        world.creationOrdered(
            world.servers.indices.filter { !world.servers[$0].isDeleted && (caller.isAdmin || world.servers[$0].server.project == caller.project) }
        ).map { world.view(Int32($0), now: now) }
    }

    /// How many live (not deleted) servers have each status now: the tally of the statuses of
    /// ``servers(as:)`` for an administrator, without building any view.
    /// - Complexity: O(servers ever created), one status derivation each.
    func statusCounts() -> [ServerStatus: Int] {
        var counts: [ServerStatus: Int] = [:]
        for index in world.servers.indices where !world.servers[index].isDeleted { counts[world.status(Int32(index)), default: 0] += 1 }
        return counts
    }

    /// How many deleted servers have been archived (``CloudConfiguration/deletedServerRetention``).
    public var archivedServerCount: Int { world.archivedCount }

    /// Every status the server has had, with when it started (kept after deletion, ending
    /// DELETED, until the server is archived; empty for an unknown or archived server).
    public func statusHistory(of id: ServerID) -> [StatusChange] {
        world.serverIndex[id].map { world.servers[Int($0)].history.changes } ?? []
    }

    /// ``statusHistory(of:)`` for a server a driver knows by record number and id: no hashing
    /// of the id while the record still holds it.
    func statusHistory(at index: Int32, id: ServerID) -> [StatusChange] {
        holds(index, id) ? world.servers[Int(index)].history.changes : statusHistory(of: id)
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
        try deleteServer(at: index(of: id, for: caller), as: caller)
    }

    /// ``deleteServer(_:as:)-(ServerID,_)`` for a checked record number.
    mutating func deleteServer(at index: Int32, as caller: Caller) throws(CloudError) {
        try injectControlPlaneFault()
        let soft = world.configuration.reclaimInterval > .zero && world.servers[Int(index)].server.launchedAt != nil
        let action: ServerAction = soft ? .softDelete : .delete
        if let refusal = ServerLifecycle.check(action, on: guarded(index), isAdmin: caller.isAdmin) { throw CloudError(refusal) }
        world.cancelPending(index, scheduler: &scheduler)
        let host = world.servers[Int(index)].server.host
        if host == nil || world.isHostDown(host) {
            world.finishDelete(index, now: now)  // Nova's local delete
            recordAction(.localDelete, on: index, as: caller)
            world.drainEndedWork(scheduler: &scheduler)  // frees its build slot for the next queued build now
            world.archiveDue(now: now, scheduler: &scheduler)  // a zero retention archives it at once
            return
        }
        world.startOperation(action, on: index, scheduler: &scheduler)
        recordAction(soft ? .softDelete : .delete, on: index, as: caller)
    }
}
