import SimulationKernel
import Testing

@testable import ComputeSim

/// Where the Compute API's "Server concepts" text says how a server behaves, the simulator
/// does what it says (and keeps Nova's behaviour as an option where the two differ).
struct ServerConceptsWordsTests {
    /// One host whose RAM holds exactly one m1.small (2048 MiB after the 512 MiB reserved).
    static func oneSlotCloud(_ edit: (inout CloudConfiguration) -> Void = { _ in }) throws -> ComputeCloud {
        try Lab.cloud {
            $0.hosts = [Host(name: "solo", vcpus: 4, memoryMiB: 2_560, diskGiB: 100)]
            edit(&$0)
        }
    }

    @Test("a suspended server gives back its vCPUs and RAM and keeps its disk on its host")
    func suspendFreesVCPUsAndMemory() throws {
        var cloud = try Self.oneSlotCloud()
        let id = try Lab.active(&cloud)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 20))
        #expect(try Lab.run(&cloud, .suspend, on: id) == [.active, .suspended])
        #expect(try cloud.server(id, as: Lab.me).host == "solo")
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 0, memoryMiB: 0, diskGiB: 20))
        // "memory and vCPUs become available to create other instances"
        let other = try Lab.active(&cloud, "other")
        #expect(try cloud.server(other, as: Lab.me).status == .active)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 40))
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("resume on a host with no room left is refused with 409, and the server stays SUSPENDED holding only its disk")
    func resumeWithoutRoomIsRefused() throws {
        var cloud = try Self.oneSlotCloud()
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .suspend, on: id)
        let other = try Lab.active(&cloud, "other")
        let before = cloud
        for action in [ServerActionRequest.resume, .reboot(hard: true)] {
            #expect(
                throws: CloudError(
                    .conflictingRequest,
                    "Cannot '\(action.action.messageName)' instance \(id): its host no longer has 1 vCPUs and 2048 MiB of RAM free for it")
            ) { try cloud.perform(action, on: id, as: Lab.me) }
        }
        #expect(ComputeCloudSweepTests.changedParts(cloud, before).isEmpty)
        #expect(try cloud.server(id, as: Lab.me).status == .suspended)
        // Room again: resume takes the vCPUs and RAM back on the same host.
        _ = try cloud.deleteServer(other, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try Lab.run(&cloud, .resume, on: id) == [.suspended, .active])
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.host == "solo" && server.powerState == .running)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 20))
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("through the JSON facade a resume without room answers Nova's 409 fault body and the server shows SUSPENDED")
    func resumeWithoutRoomThroughJSON() throws {
        var cloud = try Self.oneSlotCloud()
        let id = try Lab.active(&cloud)
        #expect(API.call(&cloud, "POST", "/servers/\(id)/action", #"{"suspend": null}"#).status == 202)
        cloud.runUntilIdle()
        _ = try Lab.active(&cloud, "other")
        #expect(
            API.call(&cloud, "POST", "/servers/\(id)/action", #"{"resume": null}"#).bodyText
                == #"{"conflictingRequest":{"code":409,"message":"Cannot 'resume' instance \#(id): its host no longer has 1 vCPUs and 2048 MiB of RAM free for it"}}"#
        )
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.status") == "SUSPENDED")
    }

    @Test("a server shelved while suspended takes its vCPUs and RAM back when unshelved on its host")
    func shelvedWhileSuspendedReclaimsOnUnshelve() throws {
        var cloud = try Self.oneSlotCloud { $0.shelvedOffloadTime = .hours(1) }
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .suspend, on: id)
        _ = try cloud.perform(.shelve, on: id, as: Lab.me)
        try cloud.advance(by: .minutes(5))
        #expect(try cloud.server(id, as: Lab.me).status == .shelved)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 0, memoryMiB: 0, diskGiB: 20))
        _ = try cloud.perform(.unshelve, on: id, as: Lab.me)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 20))
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .active)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("with suspendKeepsResources a suspended server keeps its whole claim, as Nova does")
    func novaKeepsTheSuspendedAllocation() throws {
        var cloud = try Self.oneSlotCloud { $0.suspendKeepsResources = true }
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .suspend, on: id)
        #expect(cloud.hostPool.usage(of: "solo")?.used == Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 20))
        let other = try Lab.active(&cloud, "other")
        #expect(try cloud.server(other, as: Lab.me).status == .error)
        #expect(try Lab.run(&cloud, .resume, on: id) == [.suspended, .active])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("scenario files set suspendKeepsResources and refuse a non-boolean")
    func scenarioSetsSuspendKeepsResources() throws {
        let scenario = try Scenario.parse(#"{"suspendKeepsResources": true}"#)
        #expect(scenario.configuration.suspendKeepsResources)
        #expect(try !Scenario.parse("{}").configuration.suspendKeepsResources)
        #expect(throws: ScenarioError(path: "suspendKeepsResources", reason: "expected true or false, got \"yes\"")) {
            try Scenario.parse(#"{"suspendKeepsResources": "yes"}"#)
        }
    }

    /// The (task_state, power_state) pairs a server passes through while `action` runs.
    static func powerStates(_ cloud: inout ComputeCloud, _ action: ServerActionRequest, on id: ServerID, as caller: Caller = Lab.me) throws -> [String] {
        _ = try cloud.perform(action, on: id, as: caller)
        var seen: [String] = []
        repeat {
            let server = try cloud.server(id, as: Lab.me)
            let pair = "\(server.taskState?.rawValue ?? "-") \(server.powerState.rawValue)"
            if seen.last != pair { seen.append(pair) }
        } while cloud.step()
        return seen
    }

    @Test("a resize powers the server off for the disk copy and on again at VERIFY_RESIZE (\"Server is down for this stage\")")
    func resizePowersOffDuringTheCopy() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        #expect(
            try Self.powerStates(&cloud, .resize(flavor: "3"), on: id) == [
                "resize_prep 1", "resize_migrating 4", "resize_migrated 4", "resize_finish 4", "- 1",
            ])
        #expect(try cloud.server(id, as: Lab.me).status == .verifyResize)
        #expect(try Self.powerStates(&cloud, .confirmResize, on: id) == ["- 1"])
    }

    @Test("a stopped server is still powered off at VERIFY_RESIZE after a cold migration")
    func aStoppedServerStaysOffThroughMigration() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .stop, on: id)
        #expect(
            try Self.powerStates(&cloud, .migrate, on: id, as: Lab.admin) == [
                "resize_prep 4", "resize_migrating 4", "resize_migrated 4", "resize_finish 4", "- 4",
            ])
        #expect(try cloud.server(id, as: Lab.me).status == .verifyResize)
    }

    @Test("a guest's own shutdown shows in power_state only when the power sync notices it")
    func guestShutdownShowsAtTheSync() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        try cloud.inject(.guestShutdown(id), at: SimTime(.seconds(300)))
        try cloud.advance(to: SimTime(.seconds(599)))
        var server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.powerState == .running)
        // The guest is down all the same: nothing can write inside it.
        #expect(throws: CloudError(.conflictingRequest, "Instance \(id) is not running")) {
            try cloud.guestWrite(id, path: "/tmp/x", contents: "x", as: Lab.me)
        }
        try cloud.advance(to: SimTime(.seconds(600)))
        server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.taskState == .poweringOff && server.powerState == .shutdown)
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .shutoff)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("an action started before the sync records the guest's real power state")
    func anActionRecordsTheGuestPowerState() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        try cloud.inject(.guestCrash(id), at: cloud.now)
        try cloud.advance(by: .seconds(1))
        #expect(try cloud.server(id, as: Lab.me).powerState == .running)
        _ = try cloud.perform(.reboot(hard: true), on: id, as: Lab.me)
        #expect(try cloud.server(id, as: Lab.me).powerState == .crashed)
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.powerState == .running)
    }

    @Test("metadata values are limited to 255 bytes of UTF-8, not 255 characters")
    func metadataLimitsAreBytes() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        let long = String(repeating: "é", count: 128)  // 128 characters, 256 bytes
        #expect(throws: CloudError(.badRequest, "Invalid input for field/attribute k. Value: \(long). '\(long)' is too long")) {
            try cloud.updateMetadata(id, ["k": long], replacing: false, as: Lab.me)
        }
        var request = Lab.request()
        request.metadata = ["k": long]
        #expect(throws: CloudError.self) { try cloud.createServers(request, as: Lab.me) }
        let fits = String(repeating: "é", count: 127) + "e"  // 255 bytes
        #expect(try cloud.updateMetadata(id, ["k": fits], replacing: false, as: Lab.me) == ["k": fits])
    }
}
