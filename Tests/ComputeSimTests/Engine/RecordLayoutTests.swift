import Testing

@testable import ComputeSim

/// A capacity-planning run keeps one record per server in one array, so a few bytes more per
/// record is megabytes more per run: these bounds fail when a field is added inline by mistake
/// (put rarely set fields in `RareServerFields` or `ServerDetails`, or raise the bound on purpose).
struct RecordLayoutTests {
    @Test("A stored server record takes at most 448 bytes inline, and a server snapshot at most 248")
    func recordSizes() {
        #expect(MemoryLayout<ServerRecord>.size <= 448)
        #expect(MemoryLayout<Server>.size <= 248)
    }

    @Test("An operation in progress is a plain value: copying it, at every phase end, retains and releases nothing")
    func operationIsPlain() {
        #expect(_isPOD(Operation.self))
        #expect(_isPOD(PhaseDurations.self) && _isPOD(InlineFour<TaskState>.self))
    }

    @Test("Every action's and the build's phases fit an operation's inline durations")
    func phasesFitInline() {
        let timing = TimingModel()
        for action in ServerAction.allCases {
            #expect((timing.phases[action] ?? []).count <= PhaseDurations.capacity, "\(action)")
            #expect(ServerLifecycle.rule(for: action).taskSequence.count <= PhaseDurations.capacity, "\(action)")
        }
        #expect(timing.build.count <= PhaseDurations.capacity)
    }

    @Test("Inline phase durations keep their order, drop the last, and compare and hash equal whatever was dropped")
    func phaseDurations() {
        var durations = PhaseDurations()
        #expect(durations.count == 0 && durations.first == nil && durations.total == .zero)
        for seconds: Int64 in [3, 5, 7, 11] { durations.append(.seconds(seconds)) }
        #expect(durations.count == 4)
        #expect((0..<4).map { durations[$0] } == [.seconds(3), .seconds(5), .seconds(7), .seconds(11)])
        #expect(durations.first == .seconds(3) && durations.total == .seconds(26))
        durations.removeLast()
        var three = PhaseDurations()
        for seconds: Int64 in [3, 5, 7] { three.append(.seconds(seconds)) }
        #expect(durations == three && durations.count == 3 && durations.total == .seconds(15))
        #expect(durations.hashValue == three.hashValue && durations != PhaseDurations())
    }

    @Test("An engine claim slot (one per server record) takes at most 40 bytes")
    func claimSlotSize() {
        #expect(MemoryLayout<HostPool.ClaimRecord>.stride <= 40)
    }

    @Test("Servers without rare fields share one box for them, and setting one leaves the others' box alone")
    func rareFieldsShareOneBox() throws {
        var cloud = try Lab.cloud()
        let first = try Lab.active(&cloud, flavor: "1")
        let second = try Lab.active(&cloud, flavor: "1")
        let a = try #require(cloud.world.serverIndex[first]), b = try #require(cloud.world.serverIndex[second])
        #expect(cloud.world.servers[Int(a)].server.details === ServerDetails.empty)
        #expect(cloud.world.servers[Int(a)].server.flavorStorage === cloud.world.servers[Int(b)].server.flavorStorage)
        _ = try cloud.updateServer(first, description: "web", as: Lab.me)
        #expect(try cloud.server(first, as: Lab.me).description == "web")
        #expect(try cloud.server(second, as: Lab.me).description == nil)
        #expect(cloud.world.servers[Int(b)].server.details === ServerDetails.empty)
        _ = try cloud.updateServer(first, name: "renamed", as: Lab.me)
        #expect(try cloud.server(first, as: Lab.me).description == "web")
    }
}
