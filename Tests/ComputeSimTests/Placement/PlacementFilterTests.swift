import Testing

@testable import ComputeSim

struct PlacementFilterTests {
    private var random = DeterministicRandom(seed: 7, stream: "placement")

    @Test("ComputeFilter: down and disabled hosts are never chosen")
    mutating func computeFilterSkipsDownAndDisabledHosts() throws {
        var pool = try Cloud.pool(hostCount: 3)
        try pool.setUp(false, host: "h0")
        try pool.setEnabled(false, host: "h1")
        #expect(try pool.select(Cloud.request(), random: &random) == .placed(host: "h2", alternates: []))
        try pool.setUp(false, host: "h2")
        #expect(try pool.select(Cloud.request(), random: &random) == .noValidHost(NoValidHost(eliminated: [(.compute, 3)], hostCount: 3)))
    }

    @Test("AvailabilityZoneFilter: only hosts in the requested zone pass")
    mutating func availabilityZoneFilterKeepsTheZone() throws {
        let pool = try Cloud.pool([Cloud.host("a0", zone: "az1"), Cloud.host("b0", zone: "az2"), Cloud.host("b1", zone: "az2")])
        #expect(try pool.select(Cloud.request(zone: "az2"), random: &random) == .placed(host: "b0", alternates: ["b1"]))
        #expect(try pool.select(Cloud.request(zone: "az1"), random: &random) == .placed(host: "a0", alternates: []))
        #expect(
            try pool.select(Cloud.request(zone: "nowhere"), random: &random) == .noValidHost(NoValidHost(eliminated: [(.availabilityZone, 3)], hostCount: 3)))
    }

    @Test("ResourcesFilter: every resource must fit, after allocation ratios")
    mutating func resourcesFilterChecksEveryResource() throws {
        let pool = try Cloud.pool([
            Cloud.host("cpu-poor", vcpus: 1, memoryMiB: 65_536, diskGiB: 1_000),
            Cloud.host("ram-poor", vcpus: 64, memoryMiB: 1_024, diskGiB: 1_000),
            Cloud.host("disk-poor", vcpus: 64, memoryMiB: 65_536, diskGiB: 10),
            Cloud.host("overcommitted", vcpus: 1, memoryMiB: 8_192, diskGiB: 100, cpuRatio: 4.0),
        ])
        let need = Resources(vcpus: 4, memoryMiB: 4_096, diskGiB: 20)
        #expect(try pool.select(Cloud.request("p", need), random: &random) == .placed(host: "overcommitted", alternates: []))
        let tooBig = Resources(vcpus: 8, memoryMiB: 4_096, diskGiB: 20)
        #expect(try pool.select(Cloud.request("p", tooBig), random: &random) == .noValidHost(NoValidHost(eliminated: [(.resources, 4)], hostCount: 4)))
    }

    @Test("image minimums raise what a host must have free")
    mutating func imageMinimumsRaiseTheNeed() throws {
        let pool = try Cloud.pool([Cloud.host("small", memoryMiB: 2_048), Cloud.host("large", memoryMiB: 8_192)])
        var request = Cloud.request()
        request.imageMinimum = Resources(vcpus: 0, memoryMiB: 4_096, diskGiB: 0)
        #expect(try pool.select(request, random: &random).host == "large")
    }

    @Test("ImagePropertiesFilter: the image's hypervisor_type must match, ignoring case")
    mutating func imagePropertiesFilterMatchesTheHypervisor() throws {
        let pool = try Cloud.pool([Cloud.host("q", hypervisor: "QEMU"), Cloud.host("v", hypervisor: "VMware")])
        var request = Cloud.request()
        request.imageProperties = ["hypervisor_type": "vmware"]
        #expect(try pool.select(request, random: &random).host == "v")
        request.imageProperties = ["hypervisor_type": "kvm"]
        #expect(try pool.select(request, random: &random).host == "q")  // libvirt QEMU hosts run KVM images
        request.imageProperties = ["hypervisor_type": "xen"]
        #expect(try pool.select(request, random: &random) == .noValidHost(NoValidHost(eliminated: [(.imageProperties, 2)], hostCount: 2)))
    }

    @Test("ImagePropertiesFilter: hosts whose types differ only in ASCII case share one entry, other spellings do not")
    mutating func hypervisorKindsFoldASCIICaseOnly() throws {
        let pool = try Cloud.pool([
            Cloud.host("upper", hypervisor: "VMware"), Cloud.host("lower", hypervisor: "vmware"), Cloud.host("kelvin", hypervisor: "\u{212A}VM"),
            Cloud.host("kvm", hypervisor: "KVM"),
        ])
        #expect(pool.hypervisorKinds.map(\.rawValue) == ["VMware", "\u{212A}VM", "KVM"])
        #expect(pool.hosts.map(\.hypervisorKind) == [0, 0, 1, 2])
        var request = Cloud.request()
        request.imageProperties = ["hypervisor_type": "VMWARE"]
        #expect(try pool.select(request, random: &random) == .placed(host: "upper", alternates: ["lower"]))
        // The Kelvin sign is not an ASCII K: only the KVM host runs a kvm image.
        request.imageProperties = ["hypervisor_type": "kvm"]
        #expect(try pool.select(request, random: &random) == .placed(host: "kvm", alternates: []))
    }

    @Test("NumInstancesFilter: a host at its server limit is skipped")
    mutating func numInstancesFilterCapsServersPerHost() throws {
        var policy = PlacementPolicy()
        policy.maxInstancesPerHost = 1
        policy.accountSpreading = .off
        var pool = try Cloud.pool(hostCount: 2, policy: policy)
        #expect(try Cloud.place(&pool, "s0", Cloud.request(), random: &random) == "h0")
        #expect(try Cloud.place(&pool, "s1", Cloud.request(), random: &random) == "h1")
        #expect(try pool.select(Cloud.request(), random: &random) == .noValidHost(NoValidHost(eliminated: [(.numInstances, 2)], hostCount: 2)))
    }

    @Test("IgnoreHostsFilter: hosts of earlier attempts are skipped")
    mutating func ignoreHostsFilterSkipsEarlierAttempts() throws {
        let pool = try Cloud.pool(hostCount: 3)
        var request = Cloud.request()
        request.excludedHosts = ["h0", "h1"]
        #expect(try pool.select(request, random: &random) == .placed(host: "h2", alternates: []))
    }

    @Test("ServerGroupAntiAffinityFilter: at most max_server_per_host members per host")
    mutating func antiAffinityFilterLimitsMembersPerHost() throws {
        var policy = PlacementPolicy()
        policy.accountSpreading = .off
        var pool = try Cloud.pool(hostCount: 2, policy: policy)
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity, maxServerPerHost: 2))
        let request = Cloud.request(group: "g")
        let hosts = try (0..<4).map { try Cloud.place(&pool, "s\($0)", request, random: &random) }
        #expect(hosts.compactMap { $0 }.sorted() == ["h0", "h0", "h1", "h1"])
        #expect(try pool.select(request, random: &random) == .noValidHost(NoValidHost(eliminated: [(.serverGroupAntiAffinity, 2)], hostCount: 2)))
        #expect(pool.checkInvariants().isEmpty)
    }

    @Test("ServerGroupAffinityFilter: once a member is placed, every member follows it")
    mutating func affinityFilterKeepsMembersTogether() throws {
        var pool = try Cloud.pool(hostCount: 3)
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .affinity))
        let request = Cloud.request(group: "g")
        let first = try Cloud.place(&pool, "s0", request, random: &random)
        #expect(first == "h0")
        // Strict account spreading would prefer empty hosts, but hard affinity wins.
        for index in 1..<4 { #expect(try Cloud.place(&pool, "s\(index)", request, random: &random) == "h0") }
        try pool.setUp(false, host: "h0")
        #expect(try pool.select(request, random: &random) == .noValidHost(NoValidHost(eliminated: [(.compute, 1), (.serverGroupAffinity, 2)], hostCount: 3)))
    }

    @Test("the server's own host passes the group filters when it is resized in place")
    mutating func theCurrentHostPassesGroupFilters() throws {
        var pool = try Cloud.pool(hostCount: 1)
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity))
        try Cloud.place(&pool, "s0", Cloud.request(group: "g"), random: &random)
        var resize = Cloud.request(group: "g")
        #expect(try pool.select(resize, random: &random).host == nil)
        resize.currentHost = "h0"
        #expect(try pool.select(resize, random: &random).host == "h0")
    }

    @Test("filters combine, and each eliminated host is counted once, by the first filter that rejects it")
    mutating func filtersCombineAndCountEachHostOnce() throws {
        var pool = try Cloud.pool([
            Cloud.host("down"), Cloud.host("elsewhere", zone: "az2"), Cloud.host("tiny", memoryMiB: 512),
            Cloud.host("xen", hypervisor: "Xen"), Cloud.host("member"), Cloud.host("ok"),
        ])
        try pool.setUp(false, host: "down")
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity))
        try pool.claim(.init(server: "existing"), resources: Cloud.small, on: "member", project: "p", group: "g")
        var request = Cloud.request(zone: "nova", group: "g")
        request.imageProperties = ["hypervisor_type": "QEMU"]
        #expect(try pool.select(request, random: &random) == .placed(host: "ok", alternates: []))
        try pool.setEnabled(false, host: "ok")
        let expected = NoValidHost(
            eliminated: [(.compute, 2), (.availabilityZone, 1), (.resources, 1), (.imageProperties, 1), (.serverGroupAntiAffinity, 1)], hostCount: 6)
        #expect(try pool.select(request, random: &random) == .noValidHost(expected))
        #expect(
            expected.description
                == "No valid host was found. There are not enough hosts available. (6 hosts: ComputeFilter eliminated 2, AvailabilityZoneFilter eliminated 1, ResourcesFilter eliminated 1, ImagePropertiesFilter eliminated 1, ServerGroupAntiAffinityFilter eliminated 1)"
        )
    }
}

struct PlacementWeigherTests {
    private var random = DeterministicRandom(seed: 3, stream: "placement")

    private func pool(_ policy: PlacementPolicy) throws -> HostPool {
        var pool = try Cloud.pool([Cloud.host("a", memoryMiB: 8_192), Cloud.host("b", memoryMiB: 16_384), Cloud.host("c", memoryMiB: 12_288)], policy: policy)
        try pool.addGroup(ServerGroup(id: "soft", name: "soft", project: "q", policy: .softAntiAffinity))
        try pool.addGroup(ServerGroup(id: "pack", name: "pack", project: "q", policy: .softAffinity))
        return pool
    }

    @Test("by default the host with the most free RAM wins, and alternates follow in weight order")
    mutating func mostFreeRAMWinsByDefault() throws {
        var policy = PlacementPolicy()
        policy.cpuWeightMultiplier = 0
        policy.diskWeightMultiplier = 0
        #expect(try pool(policy).select(Cloud.request(), random: &random) == .placed(host: "b", alternates: ["c", "a"]))
        policy.maxAttempts = 2
        #expect(try pool(policy).select(Cloud.request(), random: &random) == .placed(host: "b", alternates: ["c"]))
    }

    @Test("a negative RAM multiplier packs onto the fullest host that fits")
    mutating func negativeRAMMultiplierPacks() throws {
        var policy = PlacementPolicy()
        policy.ramWeightMultiplier = -1
        policy.cpuWeightMultiplier = 0
        policy.diskWeightMultiplier = 0
        #expect(try pool(policy).select(Cloud.request(), random: &random).host == "a")
    }

    @Test("equal weights break ties by host order")
    mutating func equalWeightsBreakTiesByHostOrder() throws {
        let pool = try Cloud.pool(hostCount: 4)
        #expect(try pool.select(Cloud.request(), random: &random) == .placed(host: "h0", alternates: ["h1", "h2"]))
    }

    @Test("soft anti-affinity spreads a group even against RAM; soft affinity packs it")
    mutating func softPoliciesSpreadOrPack() throws {
        var policy = PlacementPolicy()
        policy.accountSpreading = .off
        policy.softAntiAffinityWeightMultiplier = 10
        policy.softAffinityWeightMultiplier = 10
        var pool = try pool(policy)
        try pool.claim(.init(server: "m1"), resources: Cloud.small, on: "b", project: "q", group: "soft")
        #expect(try pool.select(Cloud.request("q", group: "soft"), random: &random).host == "c")
        try pool.claim(.init(server: "m2"), resources: Cloud.small, on: "a", project: "q", group: "pack")
        #expect(try pool.select(Cloud.request("q", group: "pack"), random: &random).host == "a")
    }

    @Test("a host with recent build failures is avoided")
    mutating func buildFailuresPushAHostDown() throws {
        var policy = PlacementPolicy()
        policy.cpuWeightMultiplier = 0
        policy.diskWeightMultiplier = 0
        var pool = try pool(policy)
        try pool.recordBuildFailure(on: "b")
        #expect(try pool.select(Cloud.request(), random: &random) == .placed(host: "c", alternates: ["a", "b"]))
        try pool.recordBuildFailure(on: "b", reset: true)
        #expect(try pool.select(Cloud.request(), random: &random).host == "b")
    }

    @Test("host_subset_size draws among the best hosts from the placement stream, reproducibly")
    func hostSubsetSizeDrawsReproducibly() throws {
        var policy = PlacementPolicy()
        policy.hostSubsetSize = 3
        policy.accountSpreading = .off
        let pool = try Cloud.pool(hostCount: 5, policy: policy)
        func picks(seed: UInt64) throws -> [HostName] {
            var random = DeterministicRandom(seed: seed, stream: "placement")
            return try (0..<30).compactMap { _ in try pool.select(Cloud.request(), random: &random).host }
        }
        let first = try picks(seed: 1)
        #expect(try picks(seed: 1) == first)
        #expect(Set(first) == ["h0", "h1", "h2"])
        #expect(try picks(seed: 2) != first)
    }

    @Test("with the default subset size the placement stream is not consumed")
    func defaultSubsetSizeConsumesNoRandomness() throws {
        let pool = try Cloud.pool(hostCount: 3)
        var random = DeterministicRandom(seed: 5, stream: "placement")
        let before = random
        _ = try pool.select(Cloud.request(), random: &random)
        #expect(random == before)
    }
}
