// A running server's interfaces (Nova's os-interface): list, attach, detach.
extension ComputeCloud {
    /// The id of a port Nova made for a server's NIC: derived from the server, network and
    /// address, so it stays the same while the NIC exists and needs no storage.
    static func novaPortID(server: ServerID, network: UInt8, number: Int32) -> PortID {
        PortID(nameUUID("port", "\(server):\(network):\(number)"))
    }

    /// The server's NICs in order: the inline one (a single NIC on the first network) or the list.
    func nicList(_ index: Int32) -> [NIC] {
        let record = world.servers[Int(index)]
        if let port = record.port { return [NIC(network: 0, number: Int32(port), macBits: record.macBits)] }
        return record.networkKind == 3 ? record.nics : []
    }

    /// A NIC as a port: the project's own, or the one Nova made for it.
    func portView(of nic: NIC, server index: Int32) -> Port {
        let record = world.servers[Int(index)]
        let network = world.configuration.networks[Int(nic.network)]
        let mac = CloudWorld.macAddress(nic.macBits)
        let id = nic.port ?? Self.novaPortID(server: record.server.id, network: nic.network, number: nic.number)
        return Port(
            id: id, name: nic.port.flatMap { world.ports[$0]?.name } ?? "", network: network.id, project: record.server.project, macAddress: mac,
            addresses: network.addresses(Int(nic.number), mac: mac), device: record.server.id)
    }

    /// The ports Nova made for live servers the caller may see (they are deleted with their
    /// server), after the projects' own ports in ``ports(as:)``.
    func novaPorts(as caller: Caller) -> [Port] {
        world.servers.indices.flatMap { i -> [Port] in
            let record = world.servers[i]
            guard !record.isVacant, !record.isDeleted, caller.isAdmin || record.server.project == caller.project else { return [] }
            return nicList(Int32(i)).filter { $0.port == nil }.map { portView(of: $0, server: Int32(i)) }
        }
    }

    /// The server's interfaces (`GET /servers/{id}/os-interface`), in order.
    public func interfaces(of id: ServerID, as caller: Caller) throws(CloudError) -> [Port] {
        let index = try index(of: id, for: caller)
        return nicList(index).map { portView(of: $0, server: index) }
    }

    /// Nova's guards for attaching and detaching: not locked (for a non-admin), ACTIVE,
    /// PAUSED or STOPPED, and no task under way.
    private func interfaceGuard(_ index: Int32, action: String, caller: Caller) throws(CloudError) {
        let server = world.servers[Int(index)].server
        if server.isLocked && !caller.isAdmin { throw CloudError(.conflictingRequest, "Instance \(server.id) is locked") }
        guard [.active, .paused, .stopped].contains(server.vmState) else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in vm_state \(server.vmState.rawValue)")
        }
        if let task = server.taskState {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in task_state \(task.rawValue)")
        }
    }

    /// Attaches a NIC to a server (`POST /servers/{id}/os-interface`): on the project's `port`,
    /// on `network` (with `fixedIP` or the lowest free address), or on the project's only usable
    /// network. Returns the new interface.
    /// - Throws: ``CloudError`` with Nova's texts: 400 for both a network and a port, an
    ///   address without a network, an address outside the network, no network or several to
    ///   choose from, or a full network; 404 for an unknown network or port; 409 for a locked
    ///   server, a state that does not allow it, or a port or address in use.
    public mutating func attachInterface(
        to id: ServerID, network: String? = nil, fixedIP: String? = nil, port: PortID? = nil, as caller: Caller
    ) throws(CloudError) -> Port {
        let index = try index(of: id, for: caller)
        if network != nil && port != nil { throw CloudError(.badRequest, "Must not input both network_id and port_id") }
        if fixedIP != nil && network == nil { throw CloudError(.badRequest, "Must input network_id when request IP address") }
        try interfaceGuard(index, action: "attach_interface", caller: caller)
        let project = world.servers[Int(index)].server.project
        let networks = world.configuration.networks
        var nic: NIC
        if let port {
            guard let record = world.ports[port], caller.isAdmin || record.project == caller.project else {
                throw CloudError(.itemNotFound, "Port \(port) could not be found.")
            }
            guard record.device == nil else { throw CloudError(.conflictingRequest, "Port \(port) is still in use.") }
            nic = NIC(network: record.network, number: record.number, macBits: record.macBits, port: port)
        } else {
            let slot: Int
            if let network {
                guard let found = networks.firstIndex(where: { $0.id == network }), networks[found].isVisible(to: project, isAdmin: caller.isAdmin) else {
                    throw CloudError(.itemNotFound, "Network \(network) could not be found.")
                }
                slot = found
            } else {
                let usable = networks.indices.filter { networks[$0].isVisible(to: project, isAdmin: false) }
                guard usable.count <= 1 else { throw CloudError(.badRequest, "Multiple possible networks found, use a Network ID to be more specific.") }
                guard let only = usable.first else {
                    throw CloudError(.badRequest, "No specific network was requested and none are available for project '\(project)'.")
                }
                slot = only
            }
            let number = try takeAddress(
                on: slot, fixedIP: fixedIP,
                invalid: CloudError(.badRequest, "Fixed IP \(fixedIP ?? "") is not a valid ip address for network \(networks[slot].id)."),
                taken: CloudError(.conflictingRequest, "Fixed IP address \(fixedIP ?? "") is already in use."),
                exhausted: CloudError(.badRequest, "No fixed IP addresses available for network: \(networks[slot].id)"))
            nic = NIC(network: UInt8(slot), number: Int32(number), macBits: UInt32(truncatingIfNeeded: world.ids.next()) & 0xFF_FFFF)
        }
        if let port { world.ports[port]?.device = id }
        setNICs(index, nicList(index) + [nic])
        world.servers[Int(index)].server.updated = now
        return portView(of: nic, server: index)
    }

    /// Detaches the interface on `port` (`DELETE /servers/{id}/os-interface/{port_id}`): a port
    /// Nova made is deleted and its address freed; the project's own port is unbound and keeps it.
    /// - Throws: ``CloudError`` 404 "Port … could not be found." when the server has no such
    ///   interface; 409 as for attaching.
    public mutating func detachInterface(from id: ServerID, port: PortID, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        try interfaceGuard(index, action: "detach_interface", caller: caller)
        var nics = nicList(index)
        guard let position = nics.firstIndex(where: { portView(of: $0, server: index).id == port }) else {
            throw CloudError(.itemNotFound, "Port \(port) could not be found.")
        }
        let nic = nics.remove(at: position)
        if let own = nic.port { world.ports[own]?.device = nil } else { world.usedPorts[Int(nic.network)].remove(Int(nic.number)) }
        setNICs(index, nics)
        world.servers[Int(index)].server.updated = now
    }

    /// Stores `nics` as the server's NIC list (the request list following them, so a later
    /// release unbinds exactly the project's ports still attached).
    private mutating func setNICs(_ index: Int32, _ nics: [NIC]) {
        let networks = world.configuration.networks
        world.servers[Int(index)].port = nil
        world.servers[Int(index)].networkRequest = .networks(
            nics.map { $0.port.map(NICRequest.init(port:)) ?? NICRequest(network: networks[Int($0.network)].id) })
        world.servers[Int(index)].nics = nics
    }
}
