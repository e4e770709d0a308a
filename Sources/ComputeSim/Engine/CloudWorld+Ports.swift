// Ports on the cloud's networks: allocation and release.
extension CloudWorld {
    /// Gives the server its NICs (the lowest free address on each, or the fixed one asked for),
    /// or aborts the build as Nova does, holding none of them.
    mutating func allocatePort(_ index: Int32, now: SimTime) -> PhaseOutcome {
        // (The NIC list lives in the record's shared box: read only for servers that asked for one.)
        if servers[Int(index)].port != nil || (servers[Int(index)].networkKind == 3 && !servers[Int(index)].nics.isEmpty) { return .continues }
        switch servers[Int(index)].networkRequest {
        case .none:
            return .continues
        case .automatic:
            guard !usedPorts.isEmpty, let number = usedPorts[0].lowestFree() else { return failAllocation(index, now: now) }
            usedPorts[0].insert(number)
            servers[Int(index)].port = number
            servers[Int(index)].macBits = UInt32(truncatingIfNeeded: ids.next()) & 0xFF_FFFF
            return .continues
        case .fixedIP(let address):
            // Checked at the API; taken meanwhile by a server created in the same window.
            guard !usedPorts.isEmpty, let number = configuration.networks[0].hostNumber(of: address) else { return failAllocation(index, now: now) }
            guard !usedPorts[0].contains(number) else { return failTaken(index, address, now: now) }
            usedPorts[0].insert(number)
            servers[Int(index)].port = number
            servers[Int(index)].macBits = UInt32(truncatingIfNeeded: ids.next()) & 0xFF_FFFF
            return .continues
        case .networks(let requests):
            var nics: [NIC] = []
            nics.reserveCapacity(requests.count)
            // A failed NIC gives back the addresses the ones before it took (not ports' own).
            func giveBack(_ nics: [NIC], _ usedPorts: inout [PortBitmap]) {
                for nic in nics where nic.port == nil { usedPorts[Int(nic.network)].remove(Int(nic.number)) }
            }
            for request in requests {
                if let id = request.port {
                    // Bound at the create call; holds its address since it was made.
                    guard let port = ports[id], port.device == servers[Int(index)].server.id else {
                        giveBack(nics, &usedPorts)
                        return failAllocation(index, now: now)
                    }
                    nics.append(NIC(network: port.network, number: port.number, macBits: port.macBits, port: id))
                    continue
                }
                let found = configuration.networks.firstIndex { $0.id == request.network }
                var number: Int? = nil
                if let slot = found {
                    if let address = request.fixedIP {
                        number = configuration.networks[slot].hostNumber(of: address)
                        if let taken = number, usedPorts[slot].contains(taken) {
                            giveBack(nics, &usedPorts)
                            return failTaken(index, address, now: now)
                        }
                    } else {
                        number = usedPorts[slot].lowestFree()
                    }
                }
                guard let slot = found, let number else {
                    giveBack(nics, &usedPorts)
                    return failAllocation(index, now: now)
                }
                usedPorts[slot].insert(number)
                nics.append(NIC(network: UInt8(slot), number: Int32(number), macBits: UInt32(truncatingIfNeeded: ids.next()) & 0xFF_FFFF))
            }
            servers[Int(index)].nics = nics
            return .continues
        }
    }

    private mutating func failAllocation(_ index: Int32, now: SimTime) -> PhaseOutcome {
        fail(
            index, .buildAborted,
            message: "Build of instance \(servers[Int(index)].server.id) aborted: Failed to allocate the network(s), not rescheduling.",
            now: now, releaseClaims: true)
        return .ended
    }

    private mutating func failTaken(_ index: Int32, _ address: String, now: SimTime) -> PhaseOutcome {
        fail(
            index, .buildAborted, message: "Build of instance \(servers[Int(index)].server.id) aborted: Fixed IP address \(address) is already in use.",
            now: now, releaseClaims: true)
        return .ended
    }

    mutating func releasePort(_ index: Int32) {
        if let port = servers[Int(index)].port {
            usedPorts[0].remove(port)
        }
        servers[Int(index)].port = nil
        if servers[Int(index)].networkKind == 3 {
            for nic in servers[Int(index)].nics where nic.port == nil { usedPorts[Int(nic.network)].remove(Int(nic.number)) }
            servers[Int(index)].nics = []
            // The project's ports are unbound, not deleted (bound ones that never got a NIC too).
            if case .networks(let requests) = servers[Int(index)].networkRequest {
                for request in requests {
                    if let id = request.port, ports[id]?.device == servers[Int(index)].server.id { ports[id]?.device = nil }
                }
            }
        }
    }

    /// The MAC address text of `bits` (the low 24 bits after Nova's `fa:16:3e` prefix).
    static func macAddress(_ bits: UInt32) -> String {
        "fa:16:3e:"
            + [16, 8, 0].map { shift in
                let byte = String(UInt8(truncatingIfNeeded: bits >> UInt32(shift)), radix: 16)
                return byte.count == 1 ? "0" + byte : byte
            }.joined(separator: ":")
    }
}

/// A port a project created: its network (index), host number, MAC bits, owner, name and the
/// server it is bound to.
struct PortRecord: Hashable, Sendable {
    var network: UInt8
    var number: Int32
    var macBits: UInt32
    var project: ProjectID
    var name: String
    var device: ServerID?
}
