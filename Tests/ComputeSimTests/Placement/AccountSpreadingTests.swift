import ComputeSim
import Testing

struct AccountSpreadingTests {
    @Test("N servers of one account on N free hosts land on N distinct hosts", arguments: [1, 2, 7, 20, 40])
    func nServersLandOnNDistinctHosts(count: Int) throws {
        var pool = try Cloud.pool(hostCount: count)
        var random = DeterministicRandom(seed: UInt64(count), stream: "placement")
        // Another account fills hosts first, which must not matter.
        try Cloud.place(&pool, "other", Cloud.request("other"), random: &random)
        let hosts = try (0..<count).map { try Cloud.place(&pool, "s\($0)", Cloud.request("a"), random: &random) }
        #expect(Set(hosts.compactMap { $0 }).count == count)
        #expect(pool.hostsHolding("a").allSatisfy { $0.servers == 1 })
    }

    @Test("the N+1st server shares exactly one host, the one with the fewest of the account's servers")
    func theNPlusFirstServerSharesExactlyOneHost() throws {
        var pool = try Cloud.pool(hostCount: 5)
        var random = DeterministicRandom(seed: 9, stream: "placement")
        for index in 0..<6 { try Cloud.place(&pool, "s\(index)", Cloud.request("a"), random: &random) }
        let counts = pool.hostsHolding("a").map(\.servers)
        #expect(counts.count == 5)
        #expect(counts.sorted() == [1, 1, 1, 1, 2])
        // The next four fill the remaining hosts up to two each before any host gets three.
        for index in 6..<10 { try Cloud.place(&pool, "s\(index)", Cloud.request("a"), random: &random) }
        #expect(pool.hostsHolding("a").map(\.servers) == [2, 2, 2, 2, 2])
    }

    @Test("spreading prefers an empty-of-this-account host even when it has less free RAM")
    func spreadingOutranksRAM() throws {
        var pool = try Cloud.pool([Cloud.host("big", memoryMiB: 65_536), Cloud.host("small", memoryMiB: 4_096)])
        var random = DeterministicRandom(seed: 1)
        #expect(try Cloud.place(&pool, "s0", Cloud.request("a"), random: &random) == "big")
        #expect(try Cloud.place(&pool, "s1", Cloud.request("a"), random: &random) == "small")
        #expect(try Cloud.place(&pool, "t0", Cloud.request("b"), random: &random) == "big")
    }

    @Test("spreading can be switched off or weighted")
    func spreadingCanBeSwitchedOffOrWeighted() throws {
        var policy = PlacementPolicy()
        policy.accountSpreading = .off
        var pool = try Cloud.pool([Cloud.host("big", memoryMiB: 65_536), Cloud.host("small", memoryMiB: 4_096)], policy: policy)
        var random = DeterministicRandom(seed: 1)
        try Cloud.place(&pool, "s0", Cloud.request("a"), random: &random)
        #expect(try Cloud.place(&pool, "s1", Cloud.request("a"), random: &random) == "big")

        policy.accountSpreading = .weighted(multiplier: 0.5)
        var weighted = try Cloud.pool([Cloud.host("big", memoryMiB: 65_536), Cloud.host("small", memoryMiB: 4_096)], policy: policy)
        try Cloud.place(&weighted, "s0", Cloud.request("a"), random: &random)
        // RAM weight: big 1.0 vs small ~0.06; spreading: big −0.5 vs small 0: RAM still wins.
        #expect(try weighted.select(Cloud.request("a"), random: &random).host == "big")
        policy.accountSpreading = .weighted(multiplier: 5)
        var strong = try Cloud.pool([Cloud.host("big", memoryMiB: 65_536), Cloud.host("small", memoryMiB: 4_096)], policy: policy)
        try Cloud.place(&strong, "s0", Cloud.request("a"), random: &random)
        #expect(try strong.select(Cloud.request("a"), random: &random).host == "small")
    }

    @Test("hostIds of two accounts on one host differ, and are equal for one account")
    func hostIDsDifferAcrossAccountsOnOneHost() throws {
        var pool = try Cloud.pool(hostCount: 1)
        var random = DeterministicRandom(seed: 1)
        let a1 = try Cloud.place(&pool, "a1", Cloud.request("project-a"), random: &random)
        let a2 = try Cloud.place(&pool, "a2", Cloud.request("project-a"), random: &random)
        let b1 = try Cloud.place(&pool, "b1", Cloud.request("project-b"), random: &random)
        #expect(a1 == "h0" && a2 == "h0" && b1 == "h0")
        let idA1 = ProjectID("project-a").hostID(on: a1), idA2 = ProjectID("project-a").hostID(on: a2), idB1 = ProjectID("project-b").hostID(on: b1)
        #expect(idA1 == idA2)
        #expect(idA1 != idB1)
        #expect(idA1.count == 56 && idB1.count == 56)
    }

    @Test("multi-create consumes each pick before the next")
    func multiCreateConsumesEachPick() throws {
        var pool = try Cloud.pool(hostCount: 3)
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity))
        var random = DeterministicRandom(seed: 1)
        let decisions = try pool.placeMany(Cloud.request("p", group: "g"), servers: ["s1", "s2", "s3", "s4", "s5"], random: &random)
        #expect(decisions.map(\.host) == ["h0", "h1", "h2", nil])
        #expect(decisions.last == .noValidHost(NoValidHost(eliminated: [(.serverGroupAntiAffinity, 3)], hostCount: 3)))
        #expect(pool.hostsHolding(group: "g").map(\.servers) == [1, 1, 1])
        #expect(pool.checkInvariants().isEmpty)
    }
}
