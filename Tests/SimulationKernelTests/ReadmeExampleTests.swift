import SimulationKernel
import Testing

/// The kernel example from README.md, kept compiling and checked here.
private enum Ping: TraceableEvent {
    case ping(Int)
    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .ping(let n): line.append("ping n="); line.append(n)
        }
    }
}

private struct Echo: EventHandler {
    mutating func handle(_ event: Ping, scheduler: inout Scheduler<Ping>) {
        if case .ping(let n) = event, n < 3 { scheduler.schedule(.ping(n + 1), after: .seconds(1)) }
    }
}

struct ReadmeExampleTests {
    @Test("the README's kernel example runs as described")
    func theReadmeKernelExampleRunsAsDescribed() throws {
        var scheduler = Scheduler<Ping>(trace: TraceRecorder(capture: .all))
        var echo = Echo()
        scheduler.schedule(.ping(0), at: .zero)
        try scheduler.run(until: SimTime(.seconds(10)), handler: &echo)
        #expect(scheduler.now == SimTime(.seconds(10)))
        #expect(scheduler.processedEventCount == 4)
        #expect(
            scheduler.trace.capturedLines == [
                "0.000000000 #0 ping n=0", "1.000000000 #1 ping n=1", "2.000000000 #2 ping n=2", "3.000000000 #3 ping n=3",
            ])
        #expect(scheduler.pendingEventCount == 0)
    }
}
