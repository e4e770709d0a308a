// Host aggregates (os-aggregates), administrators only: create, rename, zone, metadata, hosts.
// A zone aggregate moves its hosts into its availability zone (what the AvailabilityZoneFilter,
// os-availability-zone, os-services and server views then show); the other metadata is what
// the AggregateInstanceExtraSpecsFilter matches when the placement policy turns it on. Nova's
// refusals keep a host with servers from changing zone.
extension ComputeCloud {
    /// Every aggregate, in id order.
    /// - Throws: ``CloudError`` `forbidden` for non-administrators.
    public func aggregates(as caller: Caller) throws(CloudError) -> [Aggregate] {
        try requireAggregateAdmin("index", caller)
        return world.aggregates
    }

    /// Aggregate `id`.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` ("Aggregate 7 could not be found.").
    public func aggregate(_ id: Int, as caller: Caller) throws(CloudError) -> Aggregate {
        try requireAggregateAdmin("show", caller)
        return world.aggregates[try aggregatePosition(id)]
    }

    /// Creates an empty aggregate, in `availabilityZone` when given (an empty zone is none).
    /// - Throws: ``CloudError``: `forbidden`; `badRequest` for an invalid name or zone name;
    ///   `conflictingRequest` when the name is taken ("Aggregate x already exists.").
    @discardableResult
    public mutating func createAggregate(name: String, availabilityZone: AvailabilityZone? = nil, as caller: Caller) throws(CloudError) -> Aggregate {
        try requireAggregateAdmin("create", caller)
        try Self.validateName(name)
        if let zone = availabilityZone, !zone.rawValue.isEmpty { try Self.validateZoneName(zone.rawValue) }
        guard !world.aggregates.contains(where: { $0.name == name }) else { throw CloudError(.conflictingRequest, "Aggregate \(name) already exists.") }
        let metadata = availabilityZone.flatMap { $0.rawValue.isEmpty ? nil : [Aggregate.zoneKey: $0.rawValue] } ?? [:]
        return world.appendAggregate(name: name, hosts: [], metadata: metadata, now: now)
    }

    /// Renames aggregate `id` and/or moves it (and its hosts) to another zone; nil leaves a
    /// field as it is. Nothing changes when any check fails.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound`; `conflictingRequest` for a taken
    ///   name; `badRequest` ("Cannot update aggregate 1. Reason: …") for an empty zone, a host
    ///   already in another zone's aggregate, or a zone change while its hosts have servers.
    @discardableResult
    public mutating func updateAggregate(_ id: Int, name: String? = nil, availabilityZone: String? = nil, as caller: Caller) throws(CloudError)
        -> Aggregate
    {
        try requireAggregateAdmin("update", caller)
        if let name { try Self.validateName(name) }
        if let zone = availabilityZone, !zone.isEmpty { try Self.validateZoneName(zone) }
        let position = try aggregatePosition(id)
        if let name, name != world.aggregates[position].name, world.aggregates.contains(where: { $0.name == name }) {
            throw CloudError(.conflictingRequest, "Aggregate \(name) already exists.")
        }
        if let zone = availabilityZone {
            let shownName = name ?? world.aggregates[position].name
            if let reason = zoneChangeRefusal(position, zone: zone, name: shownName) {
                throw CloudError(.badRequest, "Cannot update aggregate \(id). Reason: \(reason)")
            }
        }
        if let name { world.aggregates[position].name = name }
        if let zone = availabilityZone { world.aggregates[position].metadata[Aggregate.zoneKey] = zone }
        world.aggregates[position].updated = now
        world.refreshAggregateState(of: world.aggregates[position].hosts)
        return world.aggregates[position]
    }

    /// Sets aggregate `id`'s metadata: a key with a value is set, a key with nil removed; other
    /// keys stay. `availability_zone` moves the aggregate's hosts, with Nova's checks.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound`; `badRequest` for invalid keys or
    ///   values, or ("Cannot update metadata of aggregate 1. Reason: …") as
    ///   ``updateAggregate(_:name:availabilityZone:as:)``.
    @discardableResult
    public mutating func setAggregateMetadata(_ metadata: [String: String?], of id: Int, as caller: Caller) throws(CloudError) -> Aggregate {
        try requireAggregateAdmin("set_metadata", caller)
        try Self.validateMetadataItems(metadata.compactMapValues { $0 }, field: "metadata")
        for key in metadata.keys.sorted() where metadata[key] == .some(nil) {
            try Self.validateMetadataItems([key: ""], field: "metadata")
        }
        let position = try aggregatePosition(id)
        if let zone = metadata[Aggregate.zoneKey] {
            if let reason = zoneChangeRefusal(position, zone: zone ?? "", name: world.aggregates[position].name) {
                throw CloudError(.badRequest, "Cannot update metadata of aggregate \(id). Reason: \(reason)")
            }
        }
        for (key, value) in metadata { world.aggregates[position].metadata[key] = value }
        world.aggregates[position].updated = now
        world.refreshAggregateState(of: world.aggregates[position].hosts)
        return world.aggregates[position]
    }

    /// Deletes aggregate `id`, which must have no hosts.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound`; `badRequest` ("Cannot remove host
    ///   from aggregate 1. Reason: Host aggregate is not empty.", Nova's words).
    public mutating func deleteAggregate(_ id: Int, as caller: Caller) throws(CloudError) {
        try requireAggregateAdmin("delete", caller)
        let position = try aggregatePosition(id)
        guard world.aggregates[position].hosts.isEmpty else {
            throw CloudError(.badRequest, "Cannot remove host from aggregate \(id). Reason: Host aggregate is not empty.")
        }
        world.aggregates.remove(at: position)
    }

    /// Adds `host` to aggregate `id`; a zone aggregate moves the host into its zone.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` for an unknown host ("Compute host
    ///   x could not be found.") or aggregate; `conflictingRequest` when the host is in another
    ///   zone's aggregate, would change zone while it has servers, or is already a member
    ///   ("Aggregate 1 already has host x.").
    @discardableResult
    public mutating func addHostToAggregate(_ id: Int, host: HostName, as caller: Caller) throws(CloudError) -> Aggregate {
        try requireAggregateAdmin("add_host", caller)
        guard hostPool.host(host) != nil else { throw CloudError(.itemNotFound, "Compute host \(host) could not be found.") }
        let position = try aggregatePosition(id)
        let aggregate = world.aggregates[position]
        func refuse(_ reason: String) -> CloudError { CloudError(.conflictingRequest, "Cannot add host to aggregate \(id). Reason: \(reason)") }
        if let zone = aggregate.metadata[Aggregate.zoneKey] {
            if zone.isEmpty { throw refuse("Aggregate \(aggregate.name) does not support empty named availability zone") }
            let conflicting = world.aggregates.filter { $0.id != id && $0.hosts.contains(host) }.compactMap { $0.metadata[Aggregate.zoneKey] }.filter {
                $0 != zone
            }
            if !conflicting.isEmpty { throw refuse("One or more hosts already in availability zone(s) \(Self.pythonList(conflicting))") }
            let current = world.aggregates.first { $0.hosts.contains(host) && $0.availabilityZone != nil }?.metadata[Aggregate.zoneKey]
            let servers = liveServerCount(on: host)
            if servers > 0, current != zone { throw refuse(Self.zoneMoveRefusal(added: true, from: current, to: zone, servers: servers)) }
        }
        guard !aggregate.hosts.contains(host) else { throw CloudError(.conflictingRequest, "Aggregate \(id) already has host \(host).") }
        world.aggregates[position].hosts.append(host)
        world.refreshAggregateState(of: [host])
        return world.aggregates[position]
    }

    /// Removes `host` from aggregate `id`; leaving its zone aggregate puts it back in the default
    /// zone.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` ("Cannot remove host x in aggregate
    ///   1") for an unknown host or aggregate or a host not in it; `conflictingRequest` when the
    ///   host would change zone while it has servers.
    @discardableResult
    public mutating func removeHostFromAggregate(_ id: Int, host: HostName, as caller: Caller) throws(CloudError) -> Aggregate {
        try requireAggregateAdmin("remove_host", caller)
        let notFound = CloudError(.itemNotFound, "Cannot remove host \(host) in aggregate \(id)")
        guard hostPool.host(host) != nil, let position = world.aggregates.firstIndex(where: { $0.id == id }) else { throw notFound }
        if let zone = world.aggregates[position].metadata[Aggregate.zoneKey], !zone.isEmpty {
            let servers = liveServerCount(on: host)
            let next = world.aggregates.first { $0.id != id && $0.hosts.contains(host) && $0.availabilityZone != nil }?.metadata[Aggregate.zoneKey]
            if servers > 0, next != zone {
                throw CloudError(
                    .conflictingRequest,
                    "Cannot remove host from aggregate \(id). Reason: \(Self.zoneMoveRefusal(added: false, from: zone, to: next, servers: servers))")
            }
        }
        guard let member = world.aggregates[position].hosts.firstIndex(of: host) else { throw notFound }
        world.aggregates[position].hosts.remove(at: member)
        world.refreshAggregateState(of: [host])
        return world.aggregates[position]
    }

    // MARK: Helpers

    /// Servers on `host` that are not deleted (what Nova's instance count by host counts).
    private func liveServerCount(on host: HostName) -> Int {
        world.residents(of: host).reduce(0) { $0 + (world.servers[Int($1)].isDeleted ? 0 : 1) }
    }

    private func requireAggregateAdmin(_ rule: String, _ caller: Caller) throws(CloudError) {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-aggregates:\(rule) to be performed.") }
    }

    private func aggregatePosition(_ id: Int) throws(CloudError) -> Int {
        guard let position = world.aggregates.firstIndex(where: { $0.id == id }) else { throw CloudError(.itemNotFound, "Aggregate \(id) could not be found.") }
        return position
    }

    /// Nova's `is_safe_to_update_az` for a zone change of the aggregate at `position`: why it
    /// is refused, or nil.
    private func zoneChangeRefusal(_ position: Int, zone: String, name: String) -> String? {
        let aggregate = world.aggregates[position]
        if zone.isEmpty { return "Aggregate \(name) does not support empty named availability zone" }
        let conflicting = world.aggregates.filter { other in
            other.id != aggregate.id && other.metadata[Aggregate.zoneKey].map { $0 != zone } == true && other.hosts.contains(where: aggregate.hosts.contains)
        }.compactMap { $0.metadata[Aggregate.zoneKey] }
        if !conflicting.isEmpty { return "One or more hosts already in availability zone(s) \(Self.pythonList(conflicting))" }
        if aggregate.metadata[Aggregate.zoneKey] != zone, aggregate.hosts.contains(where: { liveServerCount(on: $0) > 0 }) {
            return "One or more hosts contain instances in this zone"
        }
        return nil
    }

    private static func zoneMoveRefusal(added: Bool, from: String?, to: String?, servers: Int) -> String {
        "The host cannot be \(added ? "added to" : "removed from") the aggregate as the availability zone of the host would change from '\(from ?? "None")' to '\(to ?? "None")' but the host already has \(servers) instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again. If you need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this."
    }

    /// A list of strings as Python prints it: `['a', 'b']`.
    static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "'\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'" }.joined(separator: ", ") + "]"
    }

    /// Nova's `az_name` format: printable, no `:`, no leading or trailing whitespace.
    static func validateZoneName(_ zone: String) throws(CloudError) {
        let invalid = CloudError(
            .badRequest, "An invalid 'name' value was provided. The name must be: printable characters except :.Can not start or end with whitespace.")
        guard !zone.contains(":"), zone.count <= 255 else { throw invalid }
        do { try validateName(zone) } catch { throw invalid }
    }
}
