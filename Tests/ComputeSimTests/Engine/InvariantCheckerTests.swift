import Testing

@testable import ComputeSim

/// The checker must see each kind of corruption; these tests break the cloud's internals on
/// purpose and expect the exact description (and every one of them when several are broken).
@Suite("Invariant checker")
struct InvariantCheckerTests {
    /// One ACTIVE server with an injected /etc/motd.
    private func cloudWithServer() throws -> (ComputeCloud, ServerID) {
        var cloud = try Lab.cloud()
        var request = Lab.request()
        request.personality = [.text("hello\n", at: "/etc/motd")]
        let id = try cloud.createServers(request, as: Lab.me).ids[0]
        cloud.runUntilIdle()
        #expect(cloud.checkInvariants() == [])
        return (cloud, id)
    }

    @Test("An injected file whose mode changed behind the guest's back is reported")
    func injectedFileMode() throws {
        var (cloud, id) = try cloudWithServer()
        let path = try VirtualPath("/etc/motd")
        try cloud.world.servers[0].fileSystem.write(path, contents: "x", metadata: FileMetadata(mode: 0o644), creatingParents: FileMetadata(mode: 0o755))
        #expect(cloud.checkInvariants() == [InvariantViolation(.server(id), "injected file /etc/motd is not root:root 0440")])
        #expect(cloud.checkInvariants().map(\.description) == ["server \(id): injected file /etc/motd is not root:root 0440"])
    }

    @Test("A guest write takes an injected file out of the 0440 rule")
    func guestWriteIsAllowed() throws {
        var (cloud, id) = try cloudWithServer()
        try cloud.guestWrite(id, path: "/etc/motd", contents: "changed by the guest\n", as: Lab.me)
        #expect(try cloud.fileSystem(of: id, as: Lab.me).stat(VirtualPath("/etc/motd")).metadata.mode == 0o644)
        #expect(cloud.checkInvariants() == [])
    }

    @Test("A status change that was not recorded is reported")
    func unrecordedStatus() throws {
        var (cloud, id) = try cloudWithServer()
        cloud.world.servers[0].server.vmState = .stopped
        #expect(cloud.checkInvariants().map(\.description) == ["server \(id): last recorded status ACTIVE but its states give SHUTOFF"])
    }

    @Test("An operation without its next phase pending, and a handle no longer queued, are reported")
    func pendingEvents() throws {
        var cloud = try Lab.cloud()
        let id = try cloud.createServers(Lab.request(), as: Lab.me).ids[0]
        let handle = try #require(cloud.world.servers[0].pending)
        cloud.scheduler.cancel(handle)
        #expect(cloud.checkInvariants().map(\.description) == ["server \(id): holds a pending event that is no longer queued"])
        cloud.world.servers[0].pending = nil
        #expect(cloud.checkInvariants().map(\.description) == ["server \(id): in an operation with no next phase pending"])
    }

    @Test("Every violation is reported, not only the first")
    func everyViolation() throws {
        var (cloud, id) = try cloudWithServer()
        cloud.world.servers[0].server.vmState = .stopped
        cloud.world.accountUsage[Int(cloud.world.servers[0].accountNumber)].instances = 5
        let host = try #require(cloud.world.servers[0].server.host)
        cloud.world.hostResidents[Int(cloud.world.servers[0].hostSlot)] = []
        let problems = cloud.checkInvariants().map(\.description)
        #expect(problems.count == 3)
        #expect(problems.contains("server \(id): last recorded status ACTIVE but its states give SHUTOFF"))
        #expect(problems.contains("server \(id): on host \(host) but missing from its resident index"))
        #expect(problems.contains { $0.hasPrefix("project demo: quota usage") })
    }
}

struct EngineBreachTests {
    @Test("A pool operation the engine cannot fail while consistent is reported as a breach, not dropped")
    func failedPoolOperationsAreBreaches() throws {
        var cloud = try Lab.cloud()
        #expect(cloud.checkInvariants() == [])
        cloud.world.applyScripted(.hostDown("no-such-host"), scheduler: &cloud.scheduler)
        #expect(cloud.checkInvariants().map(\.description) == ["host no-such-host: marking the host down failed: no host named no-such-host"])
    }

    @Test("Releasing a claim the server does not hold is not a breach; releasing one it holds frees it")
    func releaseIfHeld() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        let host = try #require(cloud.world.servers[0].server.host)
        cloud.world.releaseIfHeld(0, .migrationTarget)
        #expect(cloud.world.breaches.isEmpty)
        cloud.world.releaseIfHeld(0)
        #expect(cloud.hostPool.usage(of: host)?.servers == 0)
        #expect(cloud.world.breaches.isEmpty)
        // The server still says it is on the host: the checker sees the missing claim.
        #expect(cloud.checkInvariants().map(\.description).contains("server \(id): on host \(host) but its claim is on no host"))
    }
}
