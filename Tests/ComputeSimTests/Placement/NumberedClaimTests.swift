import Testing

@testable import ComputeSim

/// The engine's claims keyed by record number must book and free exactly what keyed claims do,
/// and refuse what keyed claims refuse without changing the pool.
struct NumberedClaimTests {
    static func pool() throws -> HostPool {
        var pool = try HostPool()
        try pool.addHost(Host(name: "a", vcpus: 8, memoryMiB: 16_384, diskGiB: 100, cpuAllocationRatio: 1))
        try pool.addHost(Host(name: "b", vcpus: 8, memoryMiB: 16_384, diskGiB: 100, cpuAllocationRatio: 1))
        try pool.addGroup(ServerGroup(id: "g", name: "g", project: "p", policy: .antiAffinity))
        return pool
    }

    static let small = Resources(vcpus: 2, memoryMiB: 2_048, diskGiB: 10)

    /// A pool where record `number` holds an instance claim on host a (0) and a migration
    /// target on host b (1), both for project p; returns it with p's account number.
    static func poolHoldingBoth(number: Int32) throws -> (HostPool, Int32) {
        var pool = try Self.pool()
        let account = pool.internAccount("p")
        try pool.claim(number: number, purpose: .instance, resources: Self.small, host: 0, account: account, group: nil)
        try pool.claim(number: number, purpose: .migrationTarget, resources: Self.small, host: 1, account: account, group: nil)
        return (pool, account)
    }

    @Test("A numbered claim books the same usage, residency and group counts as a keyed claim, and its release frees them")
    func numberedMatchesKeyed() throws {
        var keyed = try Self.pool()
        var numbered = try Self.pool()
        try keyed.claim(.init(server: "s"), resources: Self.small, on: "b", project: "p", group: "g")
        let account = numbered.internAccount("p")
        try numbered.claim(number: 7, purpose: .instance, resources: Self.small, host: 1, account: account, group: 0)
        for pool in [keyed, numbered] {
            #expect(
                pool.usage(of: "b")
                    == HostPool.Usage(capacity: Resources(vcpus: 8, memoryMiB: 15_872, diskGiB: 100), used: Self.small, servers: 1, isUp: true, isEnabled: true)
            )
            #expect(pool.serverCount(of: "p", on: "b") == 1)
            #expect(pool.hostsHolding(group: "g").map(\.host) == ["b"])
            #expect(pool.checkInvariants() == [])
        }
        #expect(numbered.claimedHost(number: 7, purpose: .instance) == 1)
        #expect(numbered.claimedHost(number: 7, purpose: .migrationTarget) == nil)
        #expect(numbered.claimedHost(number: 6, purpose: .instance) == nil)
        let released = numbered.releaseIfHeld(number: 7, purpose: .instance)
        let releasedAgain = numbered.releaseIfHeld(number: 7, purpose: .instance)
        #expect(released && !releasedAgain)
        #expect(numbered.usage(of: "b")?.used == .zero)
        #expect(numbered.hostsHolding("p").isEmpty && numbered.hostsHolding(group: "g").isEmpty)
        #expect(numbered.checkInvariants() == [])
    }

    @Test("A record holds an instance claim and a migration target at once, each released on its own")
    func instanceAndTarget() throws {
        var (pool, _) = try Self.poolHoldingBoth(number: 0)
        #expect(pool.claimedHost(number: 0, purpose: .instance) == 0)
        #expect(pool.claimedHost(number: 0, purpose: .migrationTarget) == 1)
        #expect(pool.checkInvariants() == [])
        let released = pool.releaseIfHeld(number: 0, purpose: .migrationTarget)
        #expect(released)
        #expect(pool.usage(of: "b")?.servers == 0 && pool.usage(of: "a")?.servers == 1)
    }

    @Test("Refused numbered claims name the problem and leave the pool as it was")
    func refusals() throws {
        let (pool, account) = try Self.poolHoldingBoth(number: 3)
        let cases: [(ModelError, (inout HostPool) throws -> Void)] = [
            (
                ModelError(.duplicate, "record 3 already holds an instance claim"),
                { try $0.claim(number: 3, purpose: .instance, resources: Self.small, host: 1, account: account, group: nil) }
            ),
            (
                ModelError(.duplicate, "record 3 already holds a migrationTarget claim"),
                { try $0.claim(number: 3, purpose: .migrationTarget, resources: Self.small, host: 0, account: account, group: nil) }
            ),
            (
                ModelError(.notFound, "no host number 2"),
                { try $0.claim(number: 4, purpose: .instance, resources: Self.small, host: 2, account: account, group: nil) }
            ),
            (
                ModelError(.notFound, "no account number 5"),
                { try $0.claim(number: 4, purpose: .instance, resources: Self.small, host: 0, account: 5, group: nil) }
            ),
            (
                ModelError(.notFound, "no server group number 1"),
                { try $0.claim(number: 4, purpose: .instance, resources: Self.small, host: 0, account: account, group: 1) }
            ),
            (
                ModelError(.invalidValue, "claim number -1 is negative"),
                { try $0.claim(number: -1, purpose: .instance, resources: Self.small, host: 0, account: account, group: nil) }
            ),
            (
                ModelError(
                    .insufficientCapacity,
                    "host a cannot hold \(Resources(vcpus: 7, memoryMiB: 2_048, diskGiB: 10)): \(Resources(vcpus: 6, memoryMiB: 13_824, diskGiB: 90)) free"),
                {
                    try $0.claim(
                        number: 4, purpose: .instance, resources: Resources(vcpus: 7, memoryMiB: 2_048, diskGiB: 10), host: 0, account: account, group: nil)
                }
            ),
        ]
        for (expected, call) in cases {
            var attempt = pool
            #expect(throws: expected) { try call(&attempt) }
            #expect(attempt.checkInvariants() == [])
            #expect(attempt.usage(of: "a") == pool.usage(of: "a") && attempt.usage(of: "b") == pool.usage(of: "b"))
            #expect(attempt.claimedHost(number: 3, purpose: .instance) == 0 && attempt.claimedHost(number: 3, purpose: .migrationTarget) == 1)
            #expect(attempt.claimedHost(number: 4, purpose: .instance) == nil && attempt.hostsHolding("p").map(\.servers) == [1, 1])
        }
    }

    @Test("The invariant checker names a host's account count that disagrees with the claims, and account lists that disagree with the hosts")
    func accountIndexCorruptionIsNamed() throws {
        var (pool, account) = try Self.poolHoldingBoth(number: 3)
        #expect(pool.checkInvariants() == [])
        #expect(pool.hostsHolding("p").map(\.servers) == [1, 1])
        var counted = pool
        counted.hosts[0].accounts[0].count = 2
        #expect(
            counted.checkInvariants().map(\.description) == [
                "host a: account index 0 count 2 disagrees with claims", "account index 0: host counts disagree with claims",
                "account index 0: hosts listed by count disagree with the host counts",
            ])
        var listed = pool
        listed.accountLevels[Int(account)] = AccountLevels()
        #expect(listed.checkInvariants().map(\.description) == ["account index 0: hosts listed by count disagree with the host counts"])
        try pool.claim(number: 4, purpose: .instance, resources: Self.small, host: 0, account: account, group: nil)
        #expect(pool.hostsHolding("p").map(\.servers) == [2, 1] && pool.checkInvariants() == [])
        #expect(pool.releaseIfHeld(number: 3, purpose: .instance) && pool.releaseIfHeld(number: 4, purpose: .instance))
        #expect(pool.hostsHolding("p").map(\.host) == ["b"] && pool.accountLevels[Int(account)].holdingCount == 1)
    }

    @Test("A group lists the hosts holding its members in host order as they join and leave, and the checker names a list that disagrees")
    func groupHostsFollowTheMembers() throws {
        var pool = try Self.pool()
        let account = pool.internAccount("p")
        try pool.claim(number: 1, purpose: .instance, resources: Self.small, host: 1, account: account, group: 0)
        try pool.claim(number: 2, purpose: .instance, resources: Self.small, host: 0, account: account, group: 0)
        #expect(pool.hostsHolding(group: "g").map(\.host) == ["a", "b"] && pool.groups[0].hosts == [0, 1])
        #expect(pool.checkInvariants() == [])
        var wrong = pool
        wrong.groups[0].note(0, joined: false)
        #expect(wrong.checkInvariants().map(\.description) == ["group g: hosts listed disagree with claims"])
        let second = pool.releaseIfHeld(number: 2, purpose: .instance)
        #expect(second)
        #expect(pool.hostsHolding(group: "g").map(\.host) == ["b"] && pool.groups[0].holds(1) && !pool.groups[0].holds(0))
        let first = pool.releaseIfHeld(number: 1, purpose: .instance)
        #expect(first)
        #expect(pool.hostsHolding(group: "g").isEmpty && pool.checkInvariants() == [])
    }
}
