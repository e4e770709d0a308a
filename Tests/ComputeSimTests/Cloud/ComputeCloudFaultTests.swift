import ComputeSim
import Testing

struct ComputeCloudFaultTests {
    @Test("servers on a down host report UNKNOWN and refuse actions until the host returns")
    func downHostServersAreUnknown() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        let host = try #require(try cloud.server(id, as: Lab.me).host)
        try cloud.inject(.hostDown(host), at: cloud.now + .seconds(5))
        try cloud.advance(by: .seconds(10))
        #expect(try cloud.server(id, as: Lab.me).status == .unknown)
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'reboot' instance \(id) while it is in status UNKNOWN: host \(host) is down")) {
            try cloud.perform(.reboot(hard: false), on: id, as: Lab.me)
        }
        try cloud.inject(.hostUp(host), at: cloud.now + .seconds(60))
        try cloud.advance(by: .minutes(2))
        #expect(try cloud.server(id, as: Lab.me).status == .active)
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active, .unknown, .active])
        // Deleting a server on a down host is Nova's immediate local delete.
        try cloud.inject(.hostDown(host), at: cloud.now)
        try cloud.advance(by: .zero)
        try cloud.deleteServer(id, as: Lab.me)
        #expect(cloud.hostPool.usage(of: host)?.servers == 0)
    }

    @Test("a failed host loses its servers: ERROR with a fault, resources freed")
    func aFailedHostLosesItsServers() throws {
        var cloud = try Lab.cloud {
            $0.placement.accountSpreading = .off; $0.placement.ramWeightMultiplier = -1; $0.placement.cpuWeightMultiplier = -1;
            $0.placement.diskWeightMultiplier = -1
        }
        let first = try Lab.active(&cloud, "a")
        let second = try Lab.active(&cloud, "b")
        let host = try #require(try cloud.server(first, as: Lab.me).host)
        #expect(try cloud.server(second, as: Lab.me).host == host)  // packed
        try cloud.inject(.hostFailure(host), at: cloud.now + .seconds(1))
        try cloud.advance(by: .seconds(2))
        for id in [first, second] {
            let server = try cloud.server(id, as: Lab.me)
            #expect(server.status == .error && server.host == nil)
            #expect(server.fault?.message == "Host \(host) failed and the server was lost")
        }
        #expect(cloud.hostPool.usage(of: host)?.used == .zero)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a guest that shuts itself down is stopped at the next power sync, or deleted with shutdownTerminate")
    func guestShutdownStopsOrDeletes() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        var request = Lab.request("ephemeral")
        request.shutdownTerminate = true
        let doomed = try cloud.createServers(request, as: Lab.me).ids[0]
        cloud.runUntilIdle()
        try cloud.inject(.guestShutdown(id), at: SimTime(.seconds(300)))
        try cloud.inject(.guestShutdown(doomed), at: SimTime(.seconds(300)))
        try cloud.advance(to: SimTime(.seconds(599)))
        #expect(try cloud.server(id, as: Lab.me).status == .active)  // not noticed before the sync at 600 s
        #expect(try cloud.server(id, as: Lab.me).powerState == .running)  // nor in power_state
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .shutoff)
        #expect(throws: CloudError.self) { try cloud.server(doomed, as: Lab.me) }
        #expect(cloud.statusHistory(of: doomed).last?.status == .deleted)
    }

    @Test("setShutdownTerminate decides at the sync whether a shut-down guest is stopped or deleted")
    func setShutdownTerminateControlsTheSync() throws {
        var cloud = try Lab.cloud()
        let kept = try Lab.active(&cloud, "kept")
        let doomed = try Lab.active(&cloud, "doomed")
        try cloud.setShutdownTerminate(doomed, true, as: Lab.me)
        try cloud.setShutdownTerminate(kept, true, as: Lab.me)
        try cloud.setShutdownTerminate(kept, false, as: Lab.me)
        #expect(throws: CloudError(.itemNotFound, "Instance \(doomed) could not be found.")) {
            try cloud.setShutdownTerminate(doomed, false, as: Caller(project: "other"))
        }
        try cloud.guestShutdown(kept, as: Lab.me)
        try cloud.guestShutdown(doomed, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try cloud.server(kept, as: Lab.me).status == .shutoff)
        #expect(cloud.statusHistory(of: doomed).last?.status == .deleted)
    }

    @Test("a rescheduled build skips an alternate that its anti-affinity group has filled since placement chose it")
    func reschedulesHonourTheGroupLateCheck() throws {
        var cloud = try Lab.cloud { $0.hosts = (0..<3).map { Host(name: HostName("h\($0)"), vcpus: 8, memoryMiB: 16_384, diskGiB: 200) } }
        let group = try cloud.createServerGroup(name: "spread", policy: .antiAffinity, as: Lab.me)
        var request = Lab.request()
        request.group = group
        request.maxCount = 2
        // Whichever server is scheduled first is placed on h0 with alternates h1 and h2; the
        // other then takes h1. The build on h0 fails, and Nova's late group check refuses h1.
        try cloud.inject(.failNextBuild(HostName("h0")), at: cloud.now)
        let ids = try cloud.createServers(request, as: Lab.me).ids
        cloud.runUntilIdle()
        let servers = try ids.map { try cloud.server($0, as: Lab.me) }
        #expect(servers.compactMap(\.host).sorted() == ["h1", "h2"])
        #expect(servers.allSatisfy { $0.status == .active })
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a crashed guest is stopped at the next power sync")
    func aCrashedGuestIsStopped() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        try cloud.inject(.guestCrash(id), at: cloud.now)
        try cloud.advance(to: SimTime(.seconds(599)))
        #expect(try cloud.server(id, as: Lab.me).powerState == .running)  // the sync at 600 s notices
        try cloud.advance(to: SimTime(.seconds(600)))
        #expect(try cloud.server(id, as: Lab.me).powerState == .crashed)  // recorded as it starts the stop
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .shutoff && server.powerState == .shutdown)
    }

    @Test("reschedulable build failures try the alternates, then fail with Nova's retry message")
    func reschedulableBuildFailuresExhaustAlternates() throws {
        var cloud = try Lab.cloud { $0.faults.reschedulableBuildFailure = 1 }
        let id = try cloud.createServers(Lab.request(), as: Lab.me).ids[0]
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .error && server.host == nil)
        #expect(server.fault?.message == "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance \(id).")
        #expect(cloud.hostPool.hostNames.allSatisfy { cloud.hostPool.usage(of: $0)?.used == .zero })
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a fatal build failure goes straight to ERROR")
    func aFatalBuildFailureGoesToError() throws {
        var cloud = try Lab.cloud { $0.faults.fatalBuildFailure = 1 }
        let id = try cloud.createServers(Lab.request(), as: Lab.me).ids[0]
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).fault?.message == "Build of instance \(id) aborted: injected build failure")
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .error])
    }

    @Test("injected control-plane errors refuse calls with a 500 and change nothing")
    func controlPlaneErrorsChangeNothing() throws {
        var cloud = try Lab.cloud { $0.faults.controlPlaneError = 1 }
        #expect(throws: CloudError.self) { try cloud.createServers(Lab.request(), as: Lab.me) }
        #expect(cloud.servers(as: Lab.me).isEmpty)
    }

    @Test("fault probabilities outside [0, 1] are rejected")
    func invalidFaultProbabilities() {
        #expect(throws: CloudError(.badRequest, "fault probability controlPlaneError must be in [0, 1], got 2.0")) {
            try Lab.cloud { $0.faults.controlPlaneError = 2 }
        }
    }
}

struct PasswordPolicyTests {
    @Test("generated passwords have 12 of Nova's 57 symbols, one of each group, and pass the policy", arguments: 0..<20)
    func generatedPasswordsPassThePolicy(seed: UInt64) {
        var random = DeterministicRandom(seed: seed, stream: "passwords")
        let password = PasswordPolicy.generate(using: &random)
        let alphabet = Set("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        #expect(alphabet.count == 57)
        #expect(password.count == 12 && password.allSatisfy(alphabet.contains))
        #expect(PasswordPolicy().violation(of: password) == nil)
    }

    @Test("a weak supplied password leaves the server in ERROR once built; changePassword recovers it")
    func aWeakPasswordLeavesErrorAndChangePasswordRecovers() throws {
        var cloud = try Lab.cloud()
        let created = try cloud.createServers(Lab.request(password: "hunter2"), as: Lab.me)
        #expect(created.adminPass == "hunter2")
        let id = created.ids[0]
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .error && server.host != nil && server.launchedAt != nil)
        #expect(server.fault?.message == "The admin password does not satisfy the password policy: it needs at least 8 characters, an upper-case letter.")
        #expect(throws: CloudError(.badRequest, "The admin password does not satisfy the password policy: it needs a digit.")) {
            try cloud.perform(.changePassword("NoDigitsHere"), on: id, as: Lab.me)
        }
        #expect(try Lab.run(&cloud, .changePassword("Str0ngEnough"), on: id) == [.error, .password, .active])
        #expect(try cloud.server(id, as: Lab.me).fault == nil)
    }

    @Test("the policy is configurable, and views never contain the password")
    func thePolicyIsConfigurable() throws {
        var cloud = try Lab.cloud { $0.passwordPolicy = .none }
        let id = try cloud.createServers(Lab.request(password: "x"), as: Lab.me).ids[0]
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active)
        #expect(!"\(server)".contains("adminPass"))
    }
}
