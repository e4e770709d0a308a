import ComputeSim
import TestSupport
import Testing

struct PlacementSweepTests {
    /// Random creates and deletes on a small, crowded cloud with hard groups; returns the
    /// sequence of decisions so determinism can be compared.
    private func sweep(seed: UInt64, steps: Int = 400) throws -> [String] {
        var workload = DeterministicRandom(seed: seed, stream: "workload")
        var placement = DeterministicRandom(seed: seed, stream: "placement")
        var policy = PlacementPolicy()
        policy.hostSubsetSize = 1 + Int(seed % 3)
        var pool = try HostPool(policy: policy)
        let zones = ["az1", "az2"]
        for index in 0..<12 {
            try pool.addHost(Cloud.host("h\(index)", vcpus: 8, memoryMiB: 16_384, diskGiB: 200, zone: zones[index % 2], cpuRatio: 2.0))
        }
        let policies: [ServerGroupPolicy] = [.antiAffinity, .antiAffinity, .affinity, .softAntiAffinity]
        for index in 0..<8 {
            let kind = policies[index % policies.count]
            try pool.addGroup(
                ServerGroup(
                    id: ServerGroupID("g\(index)"), name: "g", project: ProjectID("p\(index % 3)"), policy: kind,
                    maxServerPerHost: kind == .antiAffinity && index % 4 == 1 ? 2 : nil))
        }
        let flavors = Flavor.defaultCatalog.prefix(4)
        var live: [(server: ServerID, request: PlacementRequest)] = []
        var log: [String] = []
        for step in 0..<steps {
            if live.isEmpty || workload.next(below: 3) != 0 {
                let group = workload.next(below: 3) == 0 ? ServerGroupID("g\(workload.nextIndex(below: 8))") : nil
                let project = group.flatMap { pool.group($0)?.project } ?? ProjectID("p\(workload.nextIndex(below: 3))")
                let flavor = flavors[flavors.startIndex + workload.nextIndex(below: flavors.count)]
                let zone: AvailabilityZone? = workload.next(below: 4) == 0 ? AvailabilityZone(zones[workload.nextIndex(below: 2)]) : nil
                let request = PlacementRequest(project: project, flavor: flavor, availabilityZone: zone, group: group)
                let server = ServerID("s\(step)")
                let decision = try pool.select(request, random: &placement)
                switch decision {
                case .placed(let host, let alternates):
                    try pool.claim(.init(server: server), resources: request.resources, on: host, project: project, group: group)
                    live.append((server, request))
                    log.append("\(step) \(server) -> \(host) alt \(alternates.map(\.rawValue))")
                case .noValidHost(let reason):
                    log.append("\(step) \(server) -> \(reason)")
                }
            } else {
                let victim = live.remove(at: workload.nextIndex(below: live.count))
                try pool.release(.init(server: victim.server))
                log.append("\(step) delete \(victim.server)")
            }
            if workload.next(below: 50) == 0 {
                let host = HostName("h\(workload.nextIndex(below: 12))")
                try pool.setUp(workload.next(below: 2) == 0, host: host)
            }
            let problems = pool.checkInvariants()
            #expect(problems.isEmpty, "seed \(seed) step \(step): \(problems.prefix(3))")
            if !problems.isEmpty { break }
        }
        return log
    }

    @Test("random creates and deletes never exceed capacity or break hard groups", .tags(.seedSweep), arguments: SeedSweep.seeds(24))
    func randomCreatesAndDeletesKeepInvariants(seed: UInt64) throws {
        let log = try sweep(seed: seed)
        #expect(log.count == 400)
        // The cloud gets full enough that some requests are refused.
        #expect(log.contains { $0.contains("No valid host") }, "seed \(seed) never filled the cloud")
    }

    @Test("the same seed gives the same decisions, and another seed does not")
    func theSameSeedGivesTheSameDecisions() throws {
        #expect(try sweep(seed: 42) == sweep(seed: 42))
        #expect(try sweep(seed: 42) != sweep(seed: 43))
    }

    @Test("hard anti-affinity is never violated, and a NoValidHost names the filter when it cannot hold", .tags(.seedSweep), arguments: SeedSweep.seeds(16))
    func hardAntiAffinityIsNeverViolated(seed: UInt64) throws {
        var random = DeterministicRandom(seed: seed, stream: "placement")
        let hostCount = 3 + Int(seed % 5)
        var pool = try Cloud.pool(hostCount: hostCount)
        let limit = 1 + Int(seed % 2)
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity, maxServerPerHost: limit))
        var placed = 0
        for index in 0..<(hostCount * limit + 2) {
            let decision = try pool.select(Cloud.request("p", group: "g"), random: &random)
            if let host = decision.host {
                try pool.claim(.init(server: ServerID("s\(index)")), resources: Cloud.small, on: host, project: "p", group: "g")
                placed += 1
            } else {
                #expect(decision == .noValidHost(NoValidHost(eliminated: [(.serverGroupAntiAffinity, hostCount)], hostCount: hostCount)))
            }
            #expect(pool.hostsHolding(group: "g").allSatisfy { $0.servers <= limit })
        }
        #expect(placed == hostCount * limit)
        #expect(pool.checkInvariants().isEmpty)
    }
}
