// Ports: created by projects on a network, used at boot, unbound when their server goes.
extension ComputeCloud {
    /// Creates a port on `network` for the caller's project, holding `fixedIP` (which must be
    /// in the network's subnets and free) or the lowest free address, as Neutron does. The port
    /// id and MAC address come from the ids stream.
    /// - Throws: ``CloudError`` `itemNotFound` ("Network … could not be found.") for a network
    ///   the caller may not use; `badRequest` for an address outside the network; and
    ///   `conflictingRequest` for an address in use or a full network, with Neutron's texts.
    /// - Complexity: O(networks) plus the address search.
    public mutating func createPort(network: String, fixedIP: String? = nil, name: String = "", as caller: Caller) throws(CloudError) -> Port {
        let networks = world.configuration.networks
        guard let slot = networks.firstIndex(where: { $0.id == network }), networks[slot].isVisible(to: caller.project, isAdmin: caller.isAdmin) else {
            throw CloudError(.itemNotFound, "Network \(network) could not be found.")
        }
        let number = try takeAddress(
            on: slot, fixedIP: fixedIP,
            invalid: CloudError(.badRequest, "IP address \(fixedIP ?? "") is not a valid IP for any of the subnets on the specified network."),
            taken: CloudError(.conflictingRequest, "Unable to complete operation for network \(network). The IP address \(fixedIP ?? "") is in use."),
            exhausted: CloudError(.conflictingRequest, "No more IP addresses available on network \(network)."))
        let id = PortID(Self.uuid(&world.ids))
        world.ports[id] = PortRecord(
            network: UInt8(slot), number: Int32(number), macBits: UInt32(truncatingIfNeeded: world.ids.next()) & 0xFF_FFFF, project: caller.project,
            name: name, device: nil)
        world.portOrder.append(id)
        return try port(id, as: caller)
    }

    /// Takes an address on the network numbered `slot`: `fixedIP` (refused with `invalid`
    /// outside the network, `taken` when held) or the lowest free one (`exhausted` when none
    /// is); the caller words the errors (Neutron's for ports, Nova's for interfaces).
    /// - Complexity: amortised O(1) (the network's port bitmap).
    mutating func takeAddress(on slot: Int, fixedIP: String?, invalid: CloudError, taken: CloudError, exhausted: CloudError) throws(CloudError) -> Int {
        let number: Int
        if let fixedIP {
            guard let requested = world.configuration.networks[slot].hostNumber(of: fixedIP) else { throw invalid }
            guard !world.usedPorts[slot].contains(requested) else { throw taken }
            number = requested
        } else {
            guard let free = world.usedPorts[slot].lowestFree() else { throw exhausted }
            number = free
        }
        world.usedPorts[slot].insert(number)
        return number
    }

    /// A port the caller may see (its project's, or any for an administrator).
    /// - Throws: ``CloudError`` `itemNotFound` ("Port … could not be found.").
    /// Ports Nova made for a server's NICs are found too (by a scan of the servers).
    public func port(_ id: PortID, as caller: Caller) throws(CloudError) -> Port {
        guard let record = world.ports[id], caller.isAdmin || record.project == caller.project else {
            if world.ports[id] == nil, let made = novaPorts(as: caller).first(where: { $0.id == id }) { return made }
            throw CloudError(.itemNotFound, "Port \(id) could not be found.")
        }
        let network = world.configuration.networks[Int(record.network)]
        let mac = CloudWorld.macAddress(record.macBits)
        return Port(
            id: id, name: record.name, network: network.id, project: record.project, macAddress: mac,
            addresses: network.addresses(Int(record.number), mac: mac), device: record.device)
    }

    /// The ports the caller may see: the projects' own, oldest first, then those Nova made for
    /// its servers' NICs (bound, and deleted with their server).
    /// - Complexity: O(ports + servers).
    public func ports(as caller: Caller) -> [Port] {
        world.portOrder.compactMap { try? port($0, as: caller) } + novaPorts(as: caller)
    }

    /// Deletes a port and frees its address.
    /// - Throws: ``CloudError`` `itemNotFound` for a port the caller cannot see,
    ///   `conflictingRequest` ("Port … is still in use.") while a server is bound to it.
    public mutating func deletePort(_ id: PortID, as caller: Caller) throws(CloudError) {
        let port = try port(id, as: caller)
        guard port.device == nil, let record = world.ports[id] else { throw CloudError(.conflictingRequest, "Port \(id) is still in use.") }
        // (A port Nova made is always bound: it goes with its server or its detach.)
        world.usedPorts[Int(record.network)].remove(Int(record.number))
        world.ports[id] = nil
        world.portOrder.removeAll { $0 == id }
    }
}
