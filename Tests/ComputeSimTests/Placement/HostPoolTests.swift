import ComputeSim
import Testing

struct HostTests {
    @Test("effective capacity applies reserved amounts and allocation ratios exactly")
    func effectiveCapacityAppliesReservedAndRatios() throws {
        let host = Host(name: "c1", vcpus: 32, memoryMiB: 131_072, diskGiB: 1_000)
        #expect(host.cpuAllocationRatio == 4.0 && host.ramAllocationRatio == 1.0 && host.diskAllocationRatio == 1.0)
        #expect(try host.effectiveCapacity() == Resources(vcpus: 128, memoryMiB: 130_560, diskGiB: 1_000))
        let custom = Host(
            name: "c2", vcpus: 10, memoryMiB: 1_000, diskGiB: 100, reserved: Resources(vcpus: 2, memoryMiB: 100, diskGiB: 10), cpuAllocationRatio: 1.5,
            ramAllocationRatio: 1.1, diskAllocationRatio: 0.5)
        #expect(try custom.effectiveCapacity() == Resources(vcpus: 12, memoryMiB: 990, diskGiB: 45))
    }

    @Test(
        "invalid hosts are rejected naming the host and field",
        arguments: [
            (Host(name: "bad", vcpus: -4, memoryMiB: 1_024, diskGiB: 10), "host bad: vcpus must be between 0 and 1073741824, got -4"),
            (
                Host(name: "bad", vcpus: 1 << 29, memoryMiB: 1_024, diskGiB: 10),
                "host bad: effective vcpus after the allocation ratio is 2147483648, above the maximum 1073741824"
            ),
            (Host(name: "bad", vcpus: 4, memoryMiB: 256, diskGiB: 10), "host bad: reserved memoryMiB (512) exceeds the total (256)"),
            (Host(name: "bad", vcpus: 4, memoryMiB: 1_024, diskGiB: 10, cpuAllocationRatio: 0), "host bad: cpu allocation ratio must be in (0, 1000], got 0.0"),
            (
                Host(name: "bad", vcpus: 4, memoryMiB: 1_024, diskGiB: 10, diskAllocationRatio: .nan),
                "host bad: disk allocation ratio must be in (0, 1000], got nan"
            ),
            (Host(name: "", vcpus: 4, memoryMiB: 1_024, diskGiB: 10), "host name must not be empty"),
        ])
    func invalidHostsAreRejected(host: Host, message: String) {
        #expect(throws: ModelError(.invalidValue, message)) { try host.effectiveCapacity() }
    }

    @Test("flavors claim root plus ephemeral disk plus swap rounded up to GiB")
    func flavorsClaimRootEphemeralAndSwap() throws {
        let flavor = Flavor(id: "x", name: "x", vcpus: 2, memoryMiB: 4_096, diskGiB: 40, ephemeralGiB: 10, swapMiB: 1_025)
        #expect(flavor.claim == Resources(vcpus: 2, memoryMiB: 4_096, diskGiB: 52))
        #expect(Flavor.defaultCatalog.map(\.name) == ["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"])
        #expect(throws: ModelError(.invalidValue, "flavor x: vcpus must be between 1 and 1048576, got 0")) {
            try Flavor(id: "x", name: "x", vcpus: 0, memoryMiB: 1, diskGiB: 1).validated()
        }
    }

    @Test("quotas default to Nova's values")
    func quotasDefaultToNovasValues() {
        let quota = Quota()
        #expect(
            [
                quota.instances, quota.cores, quota.ramMiB, quota.metadataItems, quota.injectedFiles, quota.injectedFileContentBytes,
                quota.injectedFilePathLength, quota.keyPairs, quota.serverGroups, quota.serverGroupMembers,
            ]
                == [10, 20, 51_200, 128, 5, 10_240, 255, 100, 10, 10])
    }
}

struct HostPoolTests {
    @Test("hosts can be added, disabled, marked down, enabled and removed")
    func hostsCanBeManaged() throws {
        var pool = try Cloud.pool(hostCount: 3)
        var random = DeterministicRandom(seed: 1)
        #expect(throws: ModelError(.duplicate, "a host named h1 already exists")) { try pool.addHost(Cloud.host("h1")) }
        try pool.setEnabled(false, host: "h0")
        try pool.setUp(false, host: "h1")
        #expect(try pool.select(Cloud.request(), random: &random).host == "h2")
        try pool.setEnabled(true, host: "h0")
        try pool.setUp(true, host: "h1")
        #expect(try pool.select(Cloud.request(), random: &random).host == "h0")
        try pool.removeHost("h0")
        #expect(pool.hostNames == ["h1", "h2"])
        #expect(pool.usage(of: "h0") == nil)
        #expect(throws: ModelError(.notFound, "no host named h0")) { try pool.setUp(true, host: "h0") }
        try pool.addHost(Cloud.host("h0"))
        #expect(pool.hostNames == ["h1", "h2", "h0"])
        #expect(pool.checkInvariants().isEmpty)
    }

    @Test("a host holding servers cannot be removed")
    func aHostHoldingServersCannotBeRemoved() throws {
        var pool = try Cloud.pool(hostCount: 1)
        try pool.claim(.init(server: "s1"), resources: Cloud.small, on: "h0", project: "p")
        #expect(throws: ModelError(.conflict, "host h0 still holds 1 servers")) { try pool.removeHost("h0") }
        try pool.release(.init(server: "s1"))
        try pool.removeHost("h0")
    }

    @Test("claims are exact, never exceed capacity, and release back to zero")
    func claimsAreExact() throws {
        var pool = try Cloud.pool([Cloud.host("h0", vcpus: 4, memoryMiB: 4_096, diskGiB: 40)])
        let half = Resources(vcpus: 2, memoryMiB: 2_048, diskGiB: 20)
        try pool.claim(.init(server: "a"), resources: half, on: "h0", project: "p")
        try pool.claim(.init(server: "b"), resources: half, on: "h0", project: "q")
        #expect(pool.usage(of: "h0")?.used == Resources(vcpus: 4, memoryMiB: 4_096, diskGiB: 40))
        #expect(throws: ModelError(.insufficientCapacity, "host h0 cannot hold 1 vCPU, 1 MiB RAM, 1 GiB disk: 0 vCPU, 0 MiB RAM, 0 GiB disk free")) {
            try pool.claim(.init(server: "c"), resources: Resources(vcpus: 1, memoryMiB: 1, diskGiB: 1), on: "h0", project: "p")
        }
        #expect(throws: ModelError(.duplicate, "server a already holds a instance claim")) {
            try pool.claim(.init(server: "a"), resources: .zero, on: "h0", project: "p")
        }
        // A resize holds the destination too, under its own key.
        try pool.release(.init(server: "b"))
        try pool.claim(.init(server: "a", purpose: .migrationTarget), resources: half, on: "h0", project: "p")
        #expect(pool.serverCount(of: "p", on: "h0") == 2)
        #expect(pool.hostsHolding("p").map(\.servers) == [2])
        try pool.release(.init(server: "a"))
        try pool.release(.init(server: "a", purpose: .migrationTarget))
        #expect(throws: ModelError(.notFound, "server a holds no instance claim")) { try pool.release(.init(server: "a")) }
        #expect(pool.usage(of: "h0")?.used == .zero)
        #expect(pool.usage(of: "h0")?.servers == 0)
        #expect(pool.hostsHolding("p").isEmpty)
        #expect(pool.checkInvariants().isEmpty)
    }

    @Test("an invalid policy is rejected")
    func anInvalidPolicyIsRejected() {
        var policy = PlacementPolicy()
        policy.hostSubsetSize = 0
        #expect(throws: ModelError(.invalidValue, "placement hostSubsetSize must be at least 1, got 0")) { try HostPool(policy: policy) }
        policy = PlacementPolicy()
        policy.softAffinityWeightMultiplier = -1
        #expect(throws: ModelError(.invalidValue, "placement softAffinityWeightMultiplier must be a non-negative finite number, got -1.0")) {
            try HostPool(policy: policy)
        }
    }

    @Test("server group rules are validated with Nova's message")
    func serverGroupRulesAreValidated() throws {
        var pool = try Cloud.pool(hostCount: 1)
        #expect(throws: ModelError(.invalidValue, "Only anti-affinity policy supports rules.")) {
            try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .affinity, maxServerPerHost: 2))
        }
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity, maxServerPerHost: 2))
        #expect(throws: ModelError(.duplicate, "a server group with id g already exists")) {
            try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .affinity))
        }
        var random = DeterministicRandom(seed: 1)
        #expect(throws: ModelError(.notFound, "no server group with id nope")) { try pool.select(Cloud.request(group: "nope"), random: &random) }
    }
}
