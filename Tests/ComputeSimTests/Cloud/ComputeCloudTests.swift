import ComputeSim
import Testing

/// Helpers: a default cloud and one ACTIVE server in it.
enum Lab {
    static let me = Caller(project: "demo")
    static let admin = Caller(project: "admin", isAdmin: true)

    static func cloud(_ edit: (inout CloudConfiguration) -> Void = { _ in }) throws -> ComputeCloud {
        var configuration = CloudConfiguration()
        edit(&configuration)
        return try ComputeCloud(configuration: configuration)
    }

    static func request(_ name: String = "web", flavor: FlavorID = "2", password: String? = nil) -> CreateServerRequest {
        CreateServerRequest(name: name, image: ComputeCloud.cirros, flavor: flavor, adminPass: password)
    }

    /// Creates a server and runs until it settles.
    static func active(_ cloud: inout ComputeCloud, _ name: String = "web", flavor: FlavorID = "2") throws -> ServerID {
        let id = try cloud.createServers(request(name, flavor: flavor), as: me).ids[0]
        cloud.runUntilIdle()
        return id
    }

    /// Performs an action and runs until idle; returns the statuses seen since the action.
    static func run(_ cloud: inout ComputeCloud, _ action: ServerActionRequest, on id: ServerID, as caller: Caller = me) throws -> [ServerStatus] {
        let before = cloud.statusHistory(of: id).count
        _ = try cloud.perform(action, on: id, as: caller)
        cloud.runUntilIdle()
        return Array(cloud.statusHistory(of: id).dropFirst(before - 1).map(\.status))
    }
}

struct ComputeCloudBuildTests {
    @Test("a server builds through BUILD to ACTIVE with progress rising, a host, a hostId and launched_at")
    func aServerBuildsToActive() throws {
        var cloud = try Lab.cloud()
        let created = try cloud.createServers(Lab.request(), as: Lab.me)
        let id = created.ids[0]
        #expect(created.adminPass?.count == 12)
        var server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .build && server.taskState == .scheduling && server.progress == 0 && server.host == nil && server.hostID == "")
        try cloud.advance(by: .seconds(20))
        server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .build && server.host != nil)
        #expect((server.progress ?? 0) > 0 && (server.progress ?? 100) < 100)
        try cloud.advance(by: .seconds(100))
        server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.vmState == .active && server.taskState == nil && server.powerState == .running)
        #expect(server.progress == 100 && server.launchedAt != nil)
        #expect(server.hostID == ProjectID("demo").hostID(on: server.host))
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active])
        #expect(cloud.checkInvariants().isEmpty)
        #expect(cloud.pendingEventCount == 0)
    }

    @Test("with no room anywhere the server goes to ERROR with Nova's NoValidHost fault and holds nothing")
    func noValidHostGoesToError() throws {
        var cloud = try Lab.cloud {
            $0.hosts = [Host(name: "tiny", vcpus: 1, memoryMiB: 1_024, diskGiB: 10)]; $0.defaultQuota = .unlimited
        }
        let id = try cloud.createServers(Lab.request(flavor: "5"), as: Lab.me).ids[0]
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .error && server.host == nil && server.hostID == "" && server.launchedAt == nil)
        #expect(server.fault?.code == 500 && server.fault?.message == "No valid host was found. There are not enough hosts available.")
        #expect(cloud.hostPool.usage(of: "tiny")?.used == .zero)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test(
        "invalid create requests are refused with Nova's messages and create nothing",
        arguments: [
            (
                CreateServerRequest(name: " web", image: ComputeCloud.cirros, flavor: "1"),
                CloudError(.badRequest, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.")
            ),
            (CreateServerRequest(name: "web", image: "nope", flavor: "1"), CloudError(.badRequest, "Can not find requested image")),
            (CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "99"), CloudError(.badRequest, "Flavor 99 could not be found.")),
            (
                CreateServerRequest(name: "web", image: ComputeCloud.ubuntu, flavor: "1"),
                CloudError(
                    .badRequest,
                    "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is 1073741824 bytes, minimum size is 3221225472 bytes."
                )
            ),
            (
                CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "1", minCount: 3, maxCount: 2),
                CloudError(.badRequest, "min_count must be <= max_count")
            ),
            (
                CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "1", availabilityZone: "mars"),
                CloudError(.badRequest, "The requested availability zone is not available")
            ),
            (CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "1", group: "nope"), CloudError(.badRequest, "Invalid server group nope")),
        ])
    func invalidCreateRequestsAreRefused(request: CreateServerRequest, error: CloudError) throws {
        var cloud = try Lab.cloud()
        #expect(throws: error) { try cloud.createServers(request, as: Lab.me) }
        #expect(cloud.servers(as: Lab.me).isEmpty && cloud.pendingEventCount == 0)
    }

    @Test("quotas refuse what does not fit with Nova's message, and multi-create shrinks to what fits")
    func quotasRefuseWithNovasMessage() throws {
        var cloud = try Lab.cloud()
        for index in 0..<5 { _ = try cloud.createServers(Lab.request("s\(index)", flavor: "4"), as: Lab.me) }  // 20 cores used
        #expect(throws: CloudError(.forbidden, "Quota exceeded for cores: Requested 1, but already used 20 of 20 cores")) {
            try cloud.createServers(Lab.request("more", flavor: "1"), as: Lab.me)
        }
        var other = try Lab.cloud()
        let made = try other.createServers(CreateServerRequest(name: "many", image: ComputeCloud.cirros, flavor: "1", minCount: 2, maxCount: 14), as: Lab.me)
        #expect(made.ids.count == 10)
        #expect(try other.server(made.ids[0], as: Lab.me).name == "many-1")
        #expect(throws: CloudError(.forbidden, "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances")) {
            try other.createServers(Lab.request("eleventh", flavor: "1"), as: Lab.me)
        }
    }

    @Test("another project's server is not found; an admin sees it")
    func projectsAreIsolated() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        let stranger = Caller(project: "other")
        #expect(throws: CloudError(.itemNotFound, "Instance \(id) could not be found.")) { try cloud.server(id, as: stranger) }
        #expect(throws: CloudError(.itemNotFound, "Instance \(id) could not be found.")) { try cloud.perform(.reboot(hard: false), on: id, as: stranger) }
        #expect(cloud.servers(as: stranger).isEmpty)
        #expect(try cloud.server(id, as: Lab.admin).id == id)
    }
}

struct ComputeCloudActionTests {
    @Test(
        "each action goes through Nova's statuses to its end state",
        arguments: [
            (ServerActionRequest.reboot(hard: false), [ServerStatus.active, .reboot, .active], VMState.active),
            (.reboot(hard: true), [.active, .hardReboot, .active], .active),
            (.stop, [.active, .shutoff], .stopped),
            (.pause, [.active, .paused], .paused),
            (.suspend, [.active, .suspended], .suspended),
            (.rescue(adminPass: nil), [.active, .rescue], .rescued),
            (.rebuild(image: nil, adminPass: nil), [.active, .rebuild, .active], .active),
            (.resize(flavor: "3"), [.active, .resize, .verifyResize], .resized),
            (.migrate, [.active, .resize, .verifyResize], .resized),
            (.liveMigrate, [.active, .migrating, .active], .active),
            (.shelve, [.active, .shelvedOffloaded], .shelvedOffloaded),
            (.changePassword("Sup3rSecret"), [.active, .password, .active], .active),
            (.createImage(name: "snap"), [.active], .active),
        ])
    func eachActionGoesThroughNovasStatuses(action: ServerActionRequest, statuses: [ServerStatus], end: VMState) throws {
        var cloud = try Lab.cloud { $0.migrationPolicy = .member }  // the lifecycle, not the policy
        let id = try Lab.active(&cloud)
        #expect(try Lab.run(&cloud, action, on: id) == statuses)
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.vmState == end && server.taskState == nil)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("the way back: start, unpause, resume, unrescue, unshelve, confirm and revert")
    func theWayBack() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        for (there, back, statuses) in [
            (ServerActionRequest.stop, ServerActionRequest.start, [ServerStatus.shutoff, .active]),
            (.pause, .unpause, [.paused, .active]),
            (.suspend, .resume, [.suspended, .active]),
            (.rescue(adminPass: nil), .unrescue, [.rescue, .active]),
            (.shelve, .unshelve, [.shelvedOffloaded, .active]),
            (.resize(flavor: "3"), .confirmResize, [.verifyResize, .active]),
            (.resize(flavor: "1"), .revertResize, [.verifyResize, .revertResize, .active]),
        ] {
            _ = try Lab.run(&cloud, there, on: id)
            #expect(try Lab.run(&cloud, back, on: id) == statuses, "\(back)")
            #expect(cloud.checkInvariants().isEmpty, "\(back)")
        }
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.flavor.id == "3")  // confirmed to 3, then reverted the move to 1
    }

    @Test("hard reboot of a stopped server shows SHUTOFF until it is ACTIVE, never HARD_REBOOT")
    func hardRebootOfAStoppedServer() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .stop, on: id)
        #expect(try Lab.run(&cloud, .reboot(hard: true), on: id) == [.shutoff, .active])
    }

    @Test("resize holds source and destination until confirm frees the source, or revert frees the destination")
    func resizeHoldsBothHosts() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud, flavor: "2")
        let source = try #require(try cloud.server(id, as: Lab.me).host)
        _ = try Lab.run(&cloud, .resize(flavor: "3"), on: id)
        let destination = try #require(try cloud.server(id, as: Lab.me).host)
        #expect(destination != source)
        #expect(cloud.hostPool.usage(of: source)?.servers == 1 && cloud.hostPool.usage(of: destination)?.used.vcpus == 2)
        _ = try Lab.run(&cloud, .confirmResize, on: id)
        #expect(cloud.hostPool.usage(of: source)?.servers == 0)
        #expect(cloud.hostPool.usage(of: destination)?.servers == 1)
        _ = try Lab.run(&cloud, .resize(flavor: "4"), on: id)
        let third = try #require(try cloud.server(id, as: Lab.me).host)
        _ = try Lab.run(&cloud, .revertResize, on: id)
        #expect(cloud.hostPool.usage(of: third)?.servers == 0)
        #expect(try cloud.server(id, as: Lab.me).host == destination)
        #expect(try cloud.server(id, as: Lab.me).flavor.id == "3")
        #expect(throws: CloudError(.badRequest, "When resizing, instances must change flavor!")) { try cloud.perform(.resize(flavor: "3"), on: id, as: Lab.me) }
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a refused action returns Nova's 409 and changes nothing")
    func aRefusedActionChangesNothing() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .stop, on: id)
        let before = try cloud.server(id, as: Lab.me)
        let digest = cloud.traceDigest
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'pause' instance \(id) while it is in vm_state stopped")) {
            try cloud.perform(.pause, on: id, as: Lab.me)
        }
        // The state guard comes before Nova looks for a migration.
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'confirmResize' instance \(id) while it is in vm_state stopped")) {
            try cloud.perform(.confirmResize, on: id, as: Lab.me)
        }
        #expect(try cloud.server(id, as: Lab.me) == before)
        #expect(cloud.pendingEventCount == 0 && cloud.traceDigest == digest)
    }

    @Test("a rebuild refused by the password policy keeps none of its personality files, and a later rebuild injects only its own")
    func aRefusedRebuildKeepsNoFiles() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        let untouched = cloud
        #expect(
            throws: CloudError(
                .badRequest, "The admin password does not satisfy the password policy: it needs at least 8 characters, a digit, an upper-case letter.")
        ) {
            try cloud.perform(.rebuild(image: nil, adminPass: "weak", personality: [Personality.text("refused", at: "/etc/refused")]), on: id, as: Lab.me)
        }
        #expect(ComputeCloudSweepTests.changedParts(cloud, untouched) == [])
        _ = try Lab.run(&cloud, .rebuild(image: nil, adminPass: nil, personality: [Personality.text("kept", at: "/etc/kept")]), on: id)
        let files = try cloud.fileSystem(of: id, as: Lab.me)
        #expect(files.exists(try VirtualPath("/etc/kept")))
        #expect(!files.exists(try VirtualPath("/etc/refused")))
    }

    @Test("a locked server refuses its owner and obeys an admin")
    func aLockedServerRefusesItsOwner() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.perform(.lock, on: id, as: Lab.me)
        #expect(try cloud.server(id, as: Lab.me).isLocked)
        #expect(throws: CloudError(.conflictingRequest, "Instance \(id) is locked")) { try cloud.perform(.stop, on: id, as: Lab.me) }
        #expect(throws: CloudError(.conflictingRequest, "Instance \(id) is locked")) { try cloud.deleteServer(id, as: Lab.me) }
        #expect(try Lab.run(&cloud, .stop, on: id, as: Lab.admin) == [.active, .shutoff])
        _ = try cloud.perform(.unlock, on: id, as: Lab.me)
        #expect(try Lab.run(&cloud, .start, on: id) == [.shutoff, .active])
        // An administrator's lock can only be lifted by an administrator.
        _ = try cloud.perform(.lock, on: id, as: Lab.admin)
        #expect(try cloud.server(id, as: Lab.me).isLockedByAdmin)
        #expect(throws: CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.")) {
            try cloud.perform(.unlock, on: id, as: Lab.me)
        }
        _ = try cloud.perform(.unlock, on: id, as: Lab.admin)
        #expect(try !cloud.server(id, as: Lab.me).isLocked)
    }

    @Test("delete frees everything and the server disappears; soft delete waits for reclaim and can be restored")
    func deleteAndSoftDelete() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        try cloud.deleteServer(id, as: Lab.me)
        #expect(try cloud.server(id, as: Lab.me).status == .active)  // deleting keeps the status
        cloud.runUntilIdle()
        #expect(throws: CloudError(.itemNotFound, "Instance \(id) could not be found.")) { try cloud.server(id, as: Lab.me) }
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active, .deleted])
        #expect(cloud.hostPool.hostNames.allSatisfy { cloud.hostPool.usage(of: $0)?.servers == 0 })

        var soft = try Lab.cloud { $0.reclaimInterval = .hours(1) }
        let kept = try Lab.active(&soft)
        try soft.deleteServer(kept, as: Lab.me)
        try soft.advance(by: .seconds(10))
        #expect(try soft.server(kept, as: Lab.me).status == .softDeleted)
        #expect(try Lab.run(&soft, .restore, on: kept) == [.softDeleted, .active])
        try soft.deleteServer(kept, as: Lab.me)
        try soft.advance(by: .hours(2))
        #expect(throws: CloudError.self) { try soft.server(kept, as: Lab.me) }
        #expect(soft.checkInvariants().isEmpty)
    }

    @Test("suspend is refused on hypervisors that cannot suspend")
    func suspendNeedsACapableHypervisor() throws {
        var cloud = try Lab.cloud { $0.hosts = [Host(name: "bare", hypervisorType: "Ironic", vcpus: 32, memoryMiB: 65_536, diskGiB: 1_000)] }
        let id = try Lab.active(&cloud)
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'suspend' instance \(id): hypervisor Ironic on host bare does not support suspend")) {
            try cloud.perform(.suspend, on: id, as: Lab.me)
        }
    }

    @Test("copying the cloud forks the simulation")
    func copyingForks() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        var fork = cloud
        _ = try Lab.run(&fork, .stop, on: id)
        #expect(try cloud.server(id, as: Lab.me).status == .active)
        #expect(try fork.server(id, as: Lab.me).status == .shutoff)
    }
}

struct ComputeCloudNetworkTests {
    @Test("servers get the lowest free address on the private network once networking is done")
    func serversGetTheLowestFreeAddress() throws {
        var cloud = try Lab.cloud()
        let first = try cloud.createServers(Lab.request("a"), as: Lab.me).ids[0]
        #expect(try cloud.server(first, as: Lab.me).addresses.isEmpty)  // still scheduling
        cloud.runUntilIdle()
        let built = try cloud.server(first, as: Lab.me)
        #expect(
            built.addresses == [
                ServerAddress(network: "private", version: 4, address: "10.0.0.2", macAddress: built.macAddress),
                ServerAddress(network: "private", version: 6, address: "fd00::2", macAddress: built.macAddress),
            ])
        let second = try Lab.active(&cloud, "b")
        #expect(try cloud.server(second, as: Lab.me).addresses.map(\.address) == ["10.0.0.3", "fd00::3"])
        try cloud.deleteServer(first, as: Lab.me)
        cloud.runUntilIdle()
        let third = try Lab.active(&cloud, "c")
        #expect(try cloud.server(third, as: Lab.me).addresses.map(\.address) == ["10.0.0.2", "fd00::2"])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("when the /24 is exhausted the build aborts with Nova's network message")
    func anExhaustedNetworkAbortsTheBuild() throws {
        var cloud = try Lab.cloud { $0.defaultQuota = .unlimited }
        let made = try cloud.createServers(CreateServerRequest(name: "fill", image: ComputeCloud.cirros, flavor: "1", minCount: 254, maxCount: 254), as: Lab.me)
        cloud.runUntilIdle()
        let servers = try made.ids.map { try cloud.server($0, as: Lab.me) }
        #expect(servers.filter { $0.status == .active }.count == 253)
        let failed = try #require(servers.first { $0.status == .error })
        #expect(failed.fault?.message == "Build of instance \(failed.id) aborted: Failed to allocate the network(s), not rescheduling.")
        #expect(failed.addresses.isEmpty && failed.host == nil)
        #expect(cloud.checkInvariants().isEmpty)
    }
}

struct ComputeCloudInFlightTests {
    @Test("a hard reboot may interrupt a soft reboot; a soft reboot may not interrupt anything")
    func hardRebootInterruptsSoftReboot() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.perform(.reboot(hard: false), on: id, as: Lab.me)
        try cloud.advance(by: .milliseconds(500))
        #expect(try cloud.server(id, as: Lab.me).taskState == .rebooting)
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'reboot' instance \(id) while it is in task_state rebooting")) {
            try cloud.perform(.reboot(hard: false), on: id, as: Lab.me)
        }
        _ = try cloud.perform(.reboot(hard: true), on: id, as: Lab.me)
        #expect(try cloud.server(id, as: Lab.me).status == .hardReboot)
        cloud.runUntilIdle()
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active, .reboot, .hardReboot, .active])
    }

    @Test("deleting in the middle of a resize frees both hosts")
    func deletingMidResizeFreesBothHosts() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.perform(.resize(flavor: "4"), on: id, as: Lab.me)
        try cloud.advance(by: .seconds(10))  // past resize_prep: the destination is claimed
        #expect(try cloud.server(id, as: Lab.me).status == .resize)
        #expect(cloud.hostPool.hostNames.map { cloud.hostPool.usage(of: $0)?.servers ?? 0 }.reduce(0, +) == 2)
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(cloud.hostPool.hostNames.allSatisfy { cloud.hostPool.usage(of: $0)?.used == .zero })
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("deleting a building server before it is placed is immediate; after placement it frees the claim")
    func deletingABuildingServer() throws {
        var cloud = try Lab.cloud()
        let early = try cloud.createServers(Lab.request("early"), as: Lab.me).ids[0]
        try cloud.deleteServer(early, as: Lab.me)
        #expect(cloud.statusHistory(of: early).map(\.status) == [.build, .deleted])
        let late = try cloud.createServers(Lab.request("late"), as: Lab.me).ids[0]
        try cloud.advance(by: .seconds(15))
        #expect(try cloud.server(late, as: Lab.me).host != nil)
        try cloud.deleteServer(late, as: Lab.me)
        cloud.runUntilIdle()
        #expect(cloud.statusHistory(of: late).map(\.status) == [.build, .deleted])
        #expect(cloud.checkInvariants().isEmpty && cloud.pendingEventCount == 0)
    }

    @Test("progress rises through a resize and rests at 100 in VERIFY_RESIZE; it is absent when SHUTOFF")
    func progressThroughAResize() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.perform(.resize(flavor: "3"), on: id, as: Lab.me)
        #expect(try cloud.server(id, as: Lab.me).progress == 0)
        try cloud.advance(by: .seconds(20))
        let midway = try #require(try cloud.server(id, as: Lab.me).progress)
        #expect(midway > 0 && midway < 100)
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).progress == 100)
        _ = try Lab.run(&cloud, .confirmResize, on: id)
        _ = try Lab.run(&cloud, .stop, on: id)
        #expect(try cloud.server(id, as: Lab.me).progress == nil)
    }

    @Test("timestamps come from the configured wall-clock epoch")
    func timestampsComeFromTheEpoch() throws {
        var cloud = try Lab.cloud { $0.wallClock = WallClock(epochUnixSeconds: 1_700_000_000) }
        let id = try Lab.active(&cloud)
        let server = try cloud.server(id, as: Lab.me)
        #expect(cloud.wallClock.iso8601(at: server.created) == "2023-11-14T22:13:20Z")
        #expect(server.updated > server.created)
    }
}

struct ServerGroupQuotaTests {
    @Test("both createServerGroup overloads refuse a group over the project's server-group quota, and a refused one draws no id")
    func bothOverloadsEnforceTheQuota() throws {
        var cloud = try Lab.cloud { $0.defaultQuota.serverGroups = 2 }
        _ = try cloud.createServerGroup(name: "a", policy: .antiAffinity, as: Lab.me)
        try cloud.createServerGroup("chosen-id", name: "b", policy: .antiAffinity, as: Lab.me)
        let refusal = CloudError(.forbidden, "Quota exceeded, too many server groups.")
        #expect(throws: refusal) { try cloud.createServerGroup("another-id", name: "c", policy: .affinity, as: Lab.me) }
        #expect(throws: refusal) { _ = try cloud.createServerGroup(name: "d", policy: .affinity, as: Lab.me) }
        // Another project still has its own quota.
        try cloud.createServerGroup("theirs", name: "e", policy: .affinity, as: Caller(project: "other"))
        // A refusal drew no id: the next generated id is the one a fresh cloud gives after the same successes.
        var fresh = try Lab.cloud { $0.defaultQuota.serverGroups = 3 }
        _ = try fresh.createServerGroup(name: "a", policy: .antiAffinity, as: Lab.me)
        try fresh.createServerGroup("chosen-id", name: "b", policy: .antiAffinity, as: Lab.me)
        #expect(
            try cloud.createServerGroup(name: "g", policy: .affinity, as: Caller(project: "other"))
                == fresh.createServerGroup(name: "g", policy: .affinity, as: Caller(project: "other")))
    }
}

struct ErrorCauseTests {
    @Test("a cloud error made from a lower layer's error keeps it as its cause, and equality ignores the cause")
    func cloudErrorsKeepTheirCause() throws {
        var cloud = try Lab.cloud()
        var request = Lab.request()
        request.personality = (0..<6).map { .text("x", at: "/f\($0)") }
        do {
            _ = try cloud.createServers(request, as: Lab.me)
            Issue.record("expected a refusal")
        } catch {
            #expect(error == CloudError(.forbidden, "Personality file limit exceeded"))
            let cause = try #require(error.underlying as? FileSystemError)
            #expect(cause.code == .limitExceeded && cause.message == "Personality file limit exceeded")
        }
        var configuration = CloudConfiguration()
        configuration.faults.fatalBuildFailure = 2
        #expect {
            _ = try ComputeCloud(configuration: configuration)
        } throws: { error in
            (error as? CloudError)?.underlying is ModelError
                && (error as? CloudError)?.message == "fault probability fatalBuildFailure must be in [0, 1], got 2.0"
        }
    }
}
