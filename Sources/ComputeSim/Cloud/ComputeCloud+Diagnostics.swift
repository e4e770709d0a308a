// Server diagnostics (administrators): a deterministic, plausible reading of the guest's counters.

/// A running server's diagnostics (Nova's standard form, microversion 2.48): synthetic
/// counters that grow with the time since the guest last booted, derived from its flavor.
public struct ServerDiagnostics: Hashable, Sendable {
    /// Seconds since the guest last booted (a build, reboot, start, rebuild or the like; not a
    /// pause or suspend).
    public var uptime: Int64
    public var hypervisor: String
    /// Per vCPU: nanoseconds of CPU time, each vCPU busy 5% of its uptime.
    public var cpuTimes: [Int64]
    /// The root disk: 8 KiB read and 4 KiB written per second of uptime, in 4 KiB requests.
    public var diskReadBytes: Int64
    public var diskWriteBytes: Int64
    /// The NIC (one per address family's port): 1 KiB received and 512 bytes sent per second,
    /// in 1 KiB and 512-byte packets.
    public var nicReceivedBytes: Int64
    public var nicSentBytes: Int64
    public var macAddress: String?
    /// The flavor's RAM, and the guest's use of it: a quarter.
    public var memoryMiB: Int
    public var memoryUsedMiB: Int
}

extension ComputeCloud {
    /// A running server's diagnostics (administrators).
    /// - Throws: ``CloudError``: `itemNotFound` for an unknown server; `forbidden` for
    ///   non-administrators; `conflictingRequest` "Instance … is not ready" without a host and
    ///   "Cannot 'get_diagnostics' instance … while it is in power state …" unless it runs.
    public func diagnostics(of id: ServerID, as caller: Caller) throws(CloudError) -> ServerDiagnostics {
        let index = try index(of: id, for: caller)
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-server-diagnostics to be performed.") }
        let server = world.view(index, now: now)
        guard let host = server.host else { throw CloudError(.conflictingRequest, "Instance \(id) is not ready") }
        guard server.powerState == .running else {
            throw CloudError(.conflictingRequest, "Cannot 'get_diagnostics' instance \(id) while it is in power state \(server.powerState.novaName)")
        }
        // The guest last booted when it last became ACTIVE from a status where it was not
        // running (a pause or suspend keeps it up).
        let history = world.servers[Int(index)].history.changes
        var booted = server.launchedAt ?? server.created
        for (position, change) in history.enumerated() where change.status == .active {
            let before = position > 0 ? history[position - 1].status : nil
            if before != .paused && before != .suspended && before != .active { booted = change.time }
        }
        let seconds = max(0, (now - booted).nanoseconds / 1_000_000_000)
        let flavor = server.flavor
        return ServerDiagnostics(
            uptime: seconds, hypervisor: world.pool.host(host)?.hypervisorType.rawValue.lowercased() ?? "kvm",
            cpuTimes: Array(repeating: seconds * 50_000_000, count: flavor.vcpus), diskReadBytes: seconds * 8_192, diskWriteBytes: seconds * 4_096,
            nicReceivedBytes: seconds * 1_024, nicSentBytes: seconds * 512, macAddress: server.macAddress, memoryMiB: flavor.memoryMiB,
            memoryUsedMiB: flavor.memoryMiB / 4)
    }
}
