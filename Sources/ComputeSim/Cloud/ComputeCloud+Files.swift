// Server filesystems, guest-side writes and shutdowns.
extension ComputeCloud {
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
        guard server.vmState == .active, world.servers[Int(index)].actualPower == .running, !world.isHostDown(server.host) else {
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

    /// Sets the server's `shutdown_terminate` (Nova's database field, which no Compute API body
    /// carries): when true, a guest that shuts itself down is deleted at the next power sync
    /// instead of stopped.
    /// - Throws: ``CloudError`` `itemNotFound` for a server the caller cannot see.
    public mutating func setShutdownTerminate(_ id: ServerID, _ terminate: Bool, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        world.servers[Int(index)].server.shutdownTerminate = terminate
    }

    /// The guest runs `shutdown -h now`: the lifecycle's guest-shutdown fault, at this instant.
    public mutating func guestShutdown(_ id: ServerID, as caller: Caller) throws(CloudError) {
        _ = try index(of: id, for: caller)
        try inject(.guestShutdown(id), at: now)
    }

    /// Chooses and claims a live migration's destination: its pool number, nil for NoValidHost.
    mutating func liveMigrationDestination(_ index: Int32) -> Int32? {
        let flavor = world.servers[Int(index)].server.flavor
        guard case .claimed(let destination, _) = world.selectAndClaim(for: index, flavor: flavor, purpose: .migrationTarget, awayFromCurrentHost: true) else {
            return nil
        }
        return destination
    }

    mutating func injectControlPlaneFault() throws(CloudError) {
        let probability = world.configuration.faults.controlPlaneError
        if probability > 0, world.faultRandom.nextBool(probability: probability) {
            throw CloudError(
                .computeFault, "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.")
        }
    }

}
