import Testing

@testable import ComputeSim

/// Every action from every reachable vm_state, through the typed facade.
struct ComputeCloudTableTests {
    enum Start: String, CaseIterable, Sendable {
        case active, stopped, paused, suspended, rescued, resized, shelved, shelvedOffloaded, softDeleted
        case errorWithHost, errorWithoutHost, building
    }

    /// A cloud with one server of project "demo" in `start`, idle (except `building`).
    static func reach(_ start: Start) throws -> (ComputeCloud, ServerID) {
        var cloud = try Lab.cloud {
            $0.migrationPolicy = .member  // the table checks the lifecycle; the policy has its own test
            if start == .shelved { $0.shelvedOffloadTime = .seconds(-1) }
            if start == .softDeleted { $0.reclaimInterval = .hours(1) }
            if start == .errorWithoutHost { $0.hosts = [Host(name: "tiny", vcpus: 1, memoryMiB: 1_024, diskGiB: 5)] }
        }
        let weak = start == .errorWithHost ? "weak" : nil
        let id = try cloud.createServers(Lab.request(password: weak), as: Lab.me).ids[0]
        if start == .building { return (cloud, id) }
        cloud.runUntilIdle()
        let path: [Start: ServerActionRequest] = [
            .stopped: .stop, .paused: .pause, .suspended: .suspend, .rescued: .rescue(adminPass: nil),
            .resized: .resize(flavor: "3"), .shelved: .shelve, .shelvedOffloaded: .shelve,
        ]
        if let action = path[start] { _ = try cloud.perform(action, on: id, as: Lab.me) }
        if start == .softDeleted { try cloud.deleteServer(id, as: Lab.me) }
        try cloud.advance(by: .minutes(10))
        return (cloud, id)
    }

    static func request(for action: ServerAction) -> ServerActionRequest? {
        switch action {
        case .rebootSoft: return .reboot(hard: false)
        case .rebootHard: return .reboot(hard: true)
        case .rebuild: return .rebuild(image: nil, adminPass: nil)
        case .resize: return .resize(flavor: "4")
        case .migrate: return .migrate
        case .confirmResize: return .confirmResize
        case .revertResize: return .revertResize
        case .liveMigrate: return .liveMigrate
        case .rescue: return .rescue(adminPass: nil)
        case .unrescue: return .unrescue
        case .suspend: return .suspend
        case .resume: return .resume
        case .pause: return .pause
        case .unpause: return .unpause
        case .stop: return .stop
        case .start: return .start
        case .shelve: return .shelve
        case .shelveOffload: return .shelveOffload
        case .unshelve: return .unshelve
        case .changePassword: return .changePassword("Str0ngPass")
        case .lock: return .lock
        case .unlock: return .unlock
        case .createImage: return .createImage(name: "snap")
        case .createBackup: return .createBackup(name: "nightly", type: "daily", rotation: 2)
        case .restore: return .restore
        case .forceDelete: return .forceDelete
        case .delete, .softDelete: return nil  // DELETE /servers/{id}, covered below
        case .evacuate: return nil  // an administrator's, from a down host: EvacuateTests
        }
    }

    @Test("every action from every reachable state is refused exactly or runs through the right statuses to the right end", arguments: Start.allCases)
    func everyActionFromEveryState(start: Start) throws {
        for action in ServerAction.allCases {
            guard let request = Self.request(for: action) else { continue }
            var (cloud, id) = try Self.reach(start)
            let before = try cloud.server(id, as: Lab.me)
            let guarded = GuardedServer(
                id: id, vmState: before.vmState, taskState: before.taskState, isLaunched: before.launchedAt != nil, isLocked: false, host: before.host)
            let recovering = action == .changePassword && start == .errorWithHost
            let refusal = recovering ? nil : ServerLifecycle.check(action, on: guarded)
            let historyBefore = cloud.statusHistory(of: id).count
            do {
                _ = try cloud.perform(request, on: id, as: Lab.me)
                #expect(refusal == nil, "\(start) \(action): accepted but the rule refuses: \(refusal?.message ?? "")")
            } catch {
                #expect(
                    refusal.map { CloudError($0.httpStatus == 503 ? .serviceUnavailable : .conflictingRequest, $0.message) } == error,
                    "\(start) \(action): \(error)")
                #expect(try cloud.server(id, as: Lab.me) == before, "\(start) \(action): a refusal changed the server")
                continue
            }
            // Long enough for any operation, short of a soft-deleted server's reclaim.
            try cloud.advance(by: .minutes(20))
            #expect(cloud.checkInvariants().isEmpty, "\(start) \(action)")
            let seen = cloud.statusHistory(of: id).dropFirst(historyBefore - 1).map(\.status)
            let rule = ServerLifecycle.rule(for: action)
            if action == .forceDelete {
                #expect(seen.last == .deleted, "\(start) \(action)")
                continue
            }
            let after = try cloud.server(id, as: Lab.me)
            // The end state the rule names.
            let expectedEnd: VMState
            switch rule.end {
            case .fixed(let state): expectedEnd = state
            case .unchanged: expectedEnd = start == .building ? .active : before.vmState  // the build goes on
            case .previous(let fallback): expectedEnd = fallback
            case .activeUnlessPoweredOff: expectedEnd = before.powerState == .shutdown ? .stopped : .active
            }
            #expect(after.vmState == expectedEnd && after.taskState == nil, "\(start) \(action): ended \(after.vmState)")
            // The statuses: the start, each task's status, the end, without repeats.
            var expected: [ServerStatus] = [before.status]
            let startVM = recovering ? VMState.active : before.vmState
            var tasks = rule.taskSequence
            if action == .unshelve && before.vmState == .shelved { tasks = [.unshelving, .spawning] }
            for task in tasks where ServerStatus(vmState: startVM, taskState: task) != expected.last {
                expected.append(ServerStatus(vmState: startVM, taskState: task))
            }
            if after.status != expected.last { expected.append(after.status) }
            #expect(seen == expected, "\(start) \(action)")
        }
    }

    @Test("DELETE from every reachable state ends DELETED and frees everything")
    func deleteFromEveryState() throws {
        for start in Start.allCases {
            var (cloud, id) = try Self.reach(start)
            do {
                try cloud.deleteServer(id, as: Lab.me)
            } catch {
                Issue.record("\(start): \(error)")
                continue
            }
            try cloud.advance(by: .hours(2))  // past the reclaim interval, if any
            #expect(cloud.statusHistory(of: id).last?.status == .deleted, "\(start)")
            #expect(cloud.checkInvariants().isEmpty, "\(start)")
            #expect(cloud.hostPool.hostNames.allSatisfy { cloud.hostPool.usage(of: $0)?.used == .zero }, "\(start)")
        }
    }

    @Test("a shelved server keeps its host until offloaded, on time or on request")
    func aShelvedServerKeepsItsHostUntilOffloaded() throws {
        var cloud = try Lab.cloud { $0.shelvedOffloadTime = .minutes(30) }
        let id = try Lab.active(&cloud)
        #expect(try Lab.run(&cloud, .shelve, on: id).prefix(2) == [.active, .shelved])
        // runUntilIdle also ran the automatic offload 30 minutes later.
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .shelvedOffloaded && server.host == nil && server.hostID == "")
        #expect(cloud.statusHistory(of: id).map(\.status).suffix(2) == [.shelved, .shelvedOffloaded])
    }
}
