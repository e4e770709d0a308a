// Ports on the default network: allocation and release.
extension CloudWorld {
    /// Gives the server the lowest free address, or aborts the build as Nova does.
    mutating func allocatePort(_ index: Int32, now: SimTime) -> PhaseOutcome {
        if servers[Int(index)].port != nil { return .continues }
        var requested: Int? = nil
        switch servers[Int(index)].networkRequest {
        case .none: return .continues
        case .fixedIP(let address):
            requested = configuration.network.hostNumber(of: address)
            // Checked at the API; taken meanwhile by a server created in the same window.
            if let number = requested, usedPorts.contains(number) {
                fail(
                    index, .buildAborted, message: "Build of instance \(servers[Int(index)].server.id) aborted: Fixed IP address \(address) is already in use.",
                    now: now, releaseClaims: true)
                return .ended
            }
        case .automatic: break
        }
        guard let number = requested ?? usedPorts.lowestFree() else {
            fail(
                index, .buildAborted,
                message: "Build of instance \(servers[Int(index)].server.id) aborted: Failed to allocate the network(s), not rescheduling.",
                now: now, releaseClaims: true)
            return .ended
        }
        usedPorts.insert(number)
        servers[Int(index)].port = number
        servers[Int(index)].macBits = UInt32(truncatingIfNeeded: ids.next()) & 0xFF_FFFF
        return .continues
    }

    mutating func releasePort(_ index: Int32) {
        if let port = servers[Int(index)].port {
            usedPorts.remove(port)
        }
        servers[Int(index)].port = nil
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
