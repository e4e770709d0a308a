import ComputeSim
import ComputeSimTesting
import SimulationKernel
import Testing

/// What a user's test target does with each product, through the public API only.
struct ConsumerTests {
    @Test("the kernel alone runs a model: three pings a second apart, with a stable digest")
    func kernelRunsAModel() throws {
        enum Ping: TraceableEvent {
            case ping(Int)
            func writeTrace(to line: inout TraceLine) {
                switch self {
                case .ping(let n): line.append("ping n="); line.append(UInt64(n))
                }
            }
        }
        var scheduler = Scheduler<Ping>()
        var seen: [Int] = []
        var handler = ClosureEventHandler<Ping> { event, scheduler in
            if case .ping(let n) = event {
                seen.append(n)
                if n < 3 { scheduler.schedule(.ping(n + 1), after: .seconds(1)) }
            }
        }
        scheduler.schedule(.ping(1), at: .zero)
        #expect(scheduler.runUntilIdle(maxEvents: 100, handler: &handler) == .idle)
        #expect(seen == [1, 2, 3])
        #expect(scheduler.now == SimTime(.seconds(2)))
        #expect(scheduler.traceDigest.count == 16)
    }

    @Test("a server built through the typed facade goes BUILD to ACTIVE on a host")
    func typedFacadeBuildsAServer() throws {
        var cloud = try ComputeCloud(configuration: CloudConfiguration())
        let me = Caller(project: "demo")
        let id = try cloud.createServers(CreateServerRequest(name: "web", image: ComputeCloud.cirros, flavor: "1"), as: me).ids[0]
        #expect(try cloud.server(id, as: me).status == .build)
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: me)
        #expect(server.status == .active)
        #expect(server.host != nil)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("async orchestration code waits on simulated time through SimulatedCloud")
    func asyncTestingWorks() async throws {
        let simulated = try SimulatedCloud()
        let me = Caller(project: "demo")
        let status = try await simulated.run(timeLimit: .seconds(3_600)) {
            let id = try await simulated.createServers(CreateServerRequest(name: "db", image: ComputeCloud.cirros, flavor: "1"), as: me).ids[0]
            return try await simulated.waitForStatus(id, in: [.active], as: me, timeout: .seconds(600), interval: .seconds(5), clock: simulated.clock).status
        }
        #expect(status == .active)
    }
}
