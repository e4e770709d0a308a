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
        let range = configuration.network.hostNumbers
        if requested == nil {
            while lowestFreePortHint <= range.upperBound, usedPorts.contains(lowestFreePortHint) { lowestFreePortHint += 1 }
        }
        guard let number = requested ?? (lowestFreePortHint <= range.upperBound ? lowestFreePortHint : nil) else {
            fail(
                index, .buildAborted,
                message: "Build of instance \(servers[Int(index)].server.id) aborted: Failed to allocate the network(s), not rescheduling.",
                now: now, releaseClaims: true)
            return .ended
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
        return .continues
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
}
