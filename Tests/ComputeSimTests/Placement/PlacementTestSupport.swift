import ComputeSim

/// Small helpers for building clouds in placement tests.
enum Cloud {
    /// A host with plain numbers: no reserved RAM and ratio 1.0 everywhere unless given.
    static func host(
        _ name: String, vcpus: Int = 16, memoryMiB: Int = 32_768, diskGiB: Int = 500, zone: String = "nova", hypervisor: String = "QEMU", cpuRatio: Double = 1.0
    ) -> Host {
        Host(
            name: HostName(name), availabilityZone: AvailabilityZone(zone), hypervisorType: HypervisorType(rawValue: hypervisor), vcpus: vcpus,
            memoryMiB: memoryMiB, diskGiB: diskGiB,
            reserved: .zero, cpuAllocationRatio: cpuRatio)
    }

    static func pool(_ hosts: [Host], policy: PlacementPolicy = PlacementPolicy()) throws -> HostPool {
        var pool = try HostPool(policy: policy)
        for host in hosts { try pool.addHost(host) }
        return pool
    }

    static func pool(hostCount: Int, policy: PlacementPolicy = PlacementPolicy()) throws -> HostPool {
        try pool((0..<hostCount).map { host("h\($0)") }, policy: policy)
    }

    static let small = Resources(vcpus: 1, memoryMiB: 1_024, diskGiB: 10)

    static func request(_ project: String = "p", _ resources: Resources = small, zone: String? = nil, group: String? = nil) -> PlacementRequest {
        PlacementRequest(
            project: ProjectID(project), resources: resources, availabilityZone: zone.map { AvailabilityZone($0) }, group: group.map { ServerGroupID($0) })
    }

    /// Selects and claims; returns the host name or nil for NoValidHost.
    @discardableResult
    static func place(_ pool: inout HostPool, _ server: String, _ request: PlacementRequest, random: inout DeterministicRandom) throws -> HostName? {
        guard let host = try pool.select(request, random: &random).host else { return nil }
        try pool.claim(HostPool.ClaimKey(server: ServerID(server)), resources: request.resources, on: host, project: request.project, group: request.group)
        return host
    }
}
