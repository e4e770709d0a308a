import Testing

@testable import ComputeSim

struct ReadmePlacementExampleTests {
    @Test("the README's placement example runs as described")
    func theReadmePlacementExampleRuns() throws {
        var pool = try HostPool()
        try pool.addHost(Host(name: "compute-1", vcpus: 32, memoryMiB: 131_072, diskGiB: 2_000))
        try pool.addGroup(ServerGroup(id: "web", name: "web", project: "alpha", policy: .antiAffinity))
        var random = DeterministicRandom(seed: 1, stream: "placement")
        let request = PlacementRequest(project: "alpha", flavor: Flavor.defaultCatalog[2], group: "web")
        switch try pool.select(request, random: &random) {
        case .placed(let host, let alternates):
            try pool.claim(.init(server: "s1"), resources: request.resources, on: host, project: "alpha", group: "web")
            #expect(host == "compute-1" && alternates.isEmpty)
            #expect(ProjectID("alpha").hostID(on: host) == SHA256.hex(SHA256.hash224(Array("alphacompute-1".utf8))))
        case .noValidHost(let reason):
            Issue.record("unexpected \(reason)")
        }
        // A second member of the anti-affinity group has nowhere to go.
        let second = try pool.select(request, random: &random)
        #expect(second == .noValidHost(NoValidHost(eliminated: [(.serverGroupAntiAffinity, 1)], hostCount: 1)))
        #expect(
            "\(NoValidHost(eliminated: [(.serverGroupAntiAffinity, 1)], hostCount: 1))"
                == "No valid host was found. There are not enough hosts available. (1 hosts: ServerGroupAntiAffinityFilter eliminated 1)")
    }
}
