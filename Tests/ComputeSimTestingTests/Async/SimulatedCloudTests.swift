import Testing

@testable import ComputeSim
@testable import ComputeSimTesting

/// The orchestration example (ClusterDeployer) against SimulatedCloud: each test covers tens of
/// simulated minutes in milliseconds of wall time, the same way every run.
@Suite("Async orchestration against SimulatedCloud")
struct SimulatedCloudTests {
    static let me = Caller(project: "demo", user: "deployer")

    static func deployer(_ cloud: SimulatedCloud) -> ClusterDeployer<SimulatedCloud, SimulationClock> {
        ClusterDeployer(client: cloud, clock: cloud.clock, caller: me)
    }

    @Test("Happy path: three servers ACTIVE in an anti-affinity group, on three hosts, in simulated time")
    func happyPath() async throws {
        let cloud = try SimulatedCloud()
        let deployer = Self.deployer(cloud)
        let servers = try await cloud.run { try await deployer.deploy(count: 3, name: "web", flavor: "1", image: ComputeCloud.cirros) }
        #expect(servers.map(\.status) == [.active, .active, .active])
        #expect(Set(servers.map(\.hostID)).count == 3)
        #expect(servers.map(\.name) == ["web-1", "web-2", "web-3"])
        // Three builds of 30 to 90 s each, polled every 5 s: the clock moved, in 5 s steps.
        let elapsed = cloud.clock.now.time.nanosecondsSinceStart
        #expect(elapsed > 90_000_000_000 && elapsed < 300_000_000_000)
        #expect(elapsed % 5_000_000_000 == 0)
        #expect(cloud.snapshot.checkInvariants() == [])
    }

    @Test("A build that ends in ERROR is deleted and replaced, and the replacement comes up")
    func buildFailureIsRetried() async throws {
        var configuration = CloudConfiguration()
        configuration.placement.maxAttempts = 1  // no alternate host: the injected failure ends in ERROR
        let cloud = try SimulatedCloud(configuration: configuration)
        try cloud.inject(.failNextBuild(nil))
        let deployer = Self.deployer(cloud)
        let servers = try await cloud.run { try await deployer.deploy(count: 2, name: "db", flavor: "1", image: ComputeCloud.cirros) }
        #expect(servers.map(\.status) == [.active, .active])
        let all = cloud.snapshot
        let history = all.servers(as: Caller(project: "admin", isAdmin: true)).map(\.name)
        #expect(history == ["db-1", "db-2"])  // the failed db-1 was deleted
        #expect(all.checkInvariants() == [])
    }

    @Test("A host going down mid-way leaves its server UNKNOWN; the deploy times out, says so, and cleans up")
    func hostDownMidWay() async throws {
        let cloud = try SimulatedCloud()
        var configured = Self.deployer(cloud)
        configured.timeout = .seconds(300)
        let deployer = configured
        let failure: (any Error)? = await {
            do {
                _ = try await cloud.run {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { _ = try await deployer.deploy(count: 3, name: "app", flavor: "1", image: ComputeCloud.cirros) }
                        group.addTask {
                            // An operator's view: once the second server has a host, that host stops reporting.
                            while true {
                                try await cloud.clock.sleep(for: .seconds(1))
                                let servers = try await cloud.servers(as: Self.me)
                                if servers.count == 2, let host = cloud.snapshot.servers(as: Caller(project: "admin", isAdmin: true))[1].host {
                                    try cloud.inject(.hostDown(host))
                                    return
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                return nil
            } catch { return error }
        }()
        let error = try #require(failure as? SimulationError)
        #expect(error.code == .waitTimedOut)
        #expect(error.message.hasSuffix("is still UNKNOWN after 300.0 seconds; waited for ACTIVE or ERROR"))
        // Everything the deploy made is gone, including the server on the down host.
        #expect(cloud.snapshot.servers(as: Self.me).isEmpty)
        #expect(cloud.snapshot.checkInvariants() == [])
    }

    @Test("Builds slower than the timeout end in waitTimedOut naming the server and its status")
    func timeout() async throws {
        var configuration = CloudConfiguration()
        configuration.timing.build = [.constant(1), .constant(1), .constant(1), .constant(1_200)]  // 20 minutes spawning
        let cloud = try SimulatedCloud(configuration: configuration)
        var configured = Self.deployer(cloud)
        configured.timeout = .seconds(600)
        let deployer = configured
        await #expect {
            try await cloud.run { try await deployer.deploy(count: 1, name: "slow", flavor: "1", image: ComputeCloud.cirros) }
        } throws: { error in
            guard let error = error as? SimulationError else { return false }
            return error.code == .waitTimedOut && error.message.hasSuffix("is still BUILD after 600.0 seconds; waited for ACTIVE or ERROR")
        }
        // Timed out at 600 s, then waited for the delete to finish.
        #expect(cloud.clock.now.time > .zero + .seconds(600) && cloud.clock.now.time < .zero + .seconds(720))
        #expect(cloud.snapshot.servers(as: Self.me).isEmpty)
    }

    /// One deploy's transcript: every server's status history with times, as text.
    static func transcript(seed: UInt64) async throws -> String {
        var configuration = CloudConfiguration()
        configuration.seed = seed
        let cloud = try SimulatedCloud(configuration: configuration)
        let deployer = Self.deployer(cloud)
        let servers = try await cloud.run { try await deployer.deploy(count: 4, name: "web", flavor: "1", image: ComputeCloud.cirros) }
        let snapshot = cloud.snapshot
        return servers.map { server in
            "\(server.id) \(server.hostID) "
                + snapshot.statusHistory(of: server.id).map { "\($0.time.sinceStart)=\($0.status.rawValue)" }.joined(separator: ",")
        }.joined(separator: "\n") + "\nend \(cloud.clock.now.time.sinceStart)"
    }

    @Test("100 runs in a row give identical results")
    func deterministic() async throws {
        let first = try await Self.transcript(seed: 7)
        for _ in 1..<100 { #expect(try await Self.transcript(seed: 7) == first) }
        #expect(try await Self.transcript(seed: 8) != first)
    }

    @Test("A 30-simulated-minute scenario runs in a blink of wall time (recorded, not asserted)")
    func thirtyMinutesInWallMilliseconds() async throws {
        let cloud = try SimulatedCloud()
        let wall = ContinuousClock()
        let started = wall.now
        let polls = try await cloud.run {
            let id = try await cloud.createServers(CreateServerRequest(name: "long", image: ComputeCloud.cirros, flavor: "1"), as: Self.me).ids[0]
            var polls = 0
            while cloud.clock.now.time < .zero + .minutes(30) {
                _ = try await cloud.server(id, as: Self.me)
                polls += 1
                try await cloud.clock.sleep(for: .seconds(5))
            }
            return polls
        }
        let elapsed = started.duration(to: wall.now)
        print("30 simulated minutes (\(polls) polls) took \(elapsed) of wall time")
        #expect(polls == 360)
        #expect(cloud.clock.now.time == .zero + .minutes(30))
    }
}

@Suite("SimulationClock")
struct SimulationClockTests {
    @Test("A sleeper wakes exactly at its deadline, after the cloud's events due by then")
    func wakesAtDeadline() async throws {
        let cloud = try SimulatedCloud()
        let (status, woke) = try await cloud.run {
            let id = try await cloud.createServers(CreateServerRequest(name: "a", image: ComputeCloud.cirros, flavor: "1"), as: SimulatedCloudTests.me).ids[0]
            try await cloud.clock.sleep(for: .seconds(3_600))
            return (try await cloud.server(id, as: SimulatedCloudTests.me).status, cloud.clock.now)
        }
        #expect(status == .active)
        #expect(woke.time == .zero + .hours(1))
    }

    @Test("Sleepers interleave by deadline, ties in the order they slept")
    func interleaving() async throws {
        let cloud = try SimulatedCloud()
        let clock = cloud.clock
        let order = try await cloud.run {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for (name, delays) in [("a", [3, 3]), ("b", [2, 4]), ("c", [6])] {
                    group.addTask {
                        var log: [String] = []
                        for delay in delays {
                            try await clock.sleep(for: .seconds(delay))
                            log.append("\(name)@\(clock.now.time.nanosecondsSinceStart / 1_000_000_000)")
                        }
                        return log
                    }
                }
                var all: [String] = []
                for try await log in group { all += log }
                return all.sorted()
            }
        }
        #expect(order == ["a@3", "a@6", "b@2", "b@6", "c@6"])
        #expect(clock.now.time == .zero + .seconds(6))
    }

    @Test("Cancelling a sleeping task throws CancellationError at once, without advancing time")
    func cancellation() async throws {
        let cloud = try SimulatedCloud()
        let clock = cloud.clock
        let outcome = try await cloud.run {
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    do { try await clock.sleep(for: .seconds(3_600)); return "woke" } catch is CancellationError {
                        return "cancelled at \(clock.now.time.sinceStart)"
                    }
                }
                group.addTask {
                    try await clock.sleep(for: .seconds(10))
                    return "timer"
                }
                let first = try await group.next()
                group.cancelAll()
                let second = try await group.next()
                return [first, second].compactMap { $0 }
            }
        }
        #expect(outcome == ["timer", "cancelled at 10s"])
    }

    @Test("Manual advance wakes due sleepers in order and leaves later ones asleep")
    func manualAdvance() async throws {
        let cloud = try SimulatedCloud()
        let clock = cloud.clock
        let sleeper = Task {
            try await clock.sleep(for: .seconds(10)); return clock.now
        }
        while cloud.core.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(9))
        #expect(cloud.core.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(try await sleeper.value.time == .zero + .seconds(10))
        #expect(cloud.core.sleeperCount == 0)
    }

    @Test("A run that would wait forever stops at its time limit with timeLimitExceeded")
    func timeLimit() async throws {
        let cloud = try SimulatedCloud()
        let clock = cloud.clock
        await #expect(throws: SimulationError(.timeLimitExceeded, "the run was still waiting after 2h of simulated time, its limit")) {
            try await cloud.run(timeLimit: .seconds(7_200)) {
                while true { try await clock.sleep(for: .seconds(60)) }
            }
        }
        #expect(clock.now.time == .zero + .seconds(7_200))
    }

    @Test("Fifty tasks create and wait at once; every server comes up and the cloud stays consistent")
    func manyTasks() async throws {
        var configuration = CloudConfiguration()
        configuration.defaultQuota = .unlimited
        let cloud = try SimulatedCloud(configuration: configuration)
        let statuses = try await cloud.run {
            try await withThrowingTaskGroup(of: ServerStatus.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let id = try await cloud.createServers(
                            CreateServerRequest(name: "s\(index)", image: ComputeCloud.cirros, flavor: "1"), as: SimulatedCloudTests.me
                        ).ids[0]
                        return try await cloud.waitForStatus(
                            id, in: [.active, .error], as: SimulatedCloudTests.me, timeout: .seconds(600), interval: .seconds(2), clock: cloud.clock
                        ).status
                    }
                }
                var all: [ServerStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
        }
        #expect(statuses.count == 50 && statuses.allSatisfy { $0 == .active })
        #expect(cloud.snapshot.checkInvariants() == [])
    }
}

// The README's async example, verbatim.
func bootAndWait(_ client: some ComputeClient, clock: some Clock<Duration>, as me: Caller) async throws -> Server {
    let id = try await client.createServers(CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "1"), as: me).ids[0]
    return try await client.waitForStatus(id, in: [.active, .error], as: me, timeout: .seconds(600), interval: .seconds(5), clock: clock)
}

@Test func serverBootsWithinTenMinutes() async throws {
    let cloud = try SimulatedCloud()  // thread-safe handle; cloud.clock is its SimulationClock
    let server = try await cloud.run {  // time jumps whenever every task of the run waits
        try await bootAndWait(cloud, clock: cloud.clock, as: Caller(project: "team"))
    }
    #expect(server.status == .active)
    #expect(cloud.clock.now.time < .zero + .minutes(2))  // simulated, not wall, time
}
