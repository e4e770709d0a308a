import TestSupport
import Testing

@testable import SimulationKernel

/// A tiny domain for scheduler tests: named events, some of which schedule or cancel others.
enum Probe: TraceableEvent, Hashable {
    case note(String)
    /// When handled, schedules `.note(name)` after `delay` nanoseconds.
    case spawn(String, delay: Int64)
    /// When handled, cancels the event whose handle the handler stored under this name.
    case cancel(String)
    /// When handled, schedules itself again after one second (a model that never goes idle).
    case tick

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .note(let name): line.append("note "); line.append(string: name)
        case .spawn(let name, let delay): line.append("spawn "); line.append(string: name); line.append(" after="); line.append(delay)
        case .cancel(let name): line.append("cancel "); line.append(string: name)
        case .tick: line.append("tick")
        }
    }
}

struct ProbeHandler: EventHandler {
    var log: [String] = []
    var handles: [String: EventHandle] = [:]
    var cancelResults: [Bool] = []

    mutating func handle(_ event: Probe, scheduler: inout Scheduler<Probe>) {
        switch event {
        case .note(let name):
            log.append("\(scheduler.now.canonicalSeconds) \(name)")
        case .spawn(let name, let delay):
            log.append("\(scheduler.now.canonicalSeconds) spawn \(name)")
            handles[name] = scheduler.schedule(.note(name), after: .nanoseconds(delay))
        case .cancel(let name):
            log.append("\(scheduler.now.canonicalSeconds) cancel \(name)")
            if let handle = handles[name] { cancelResults.append(scheduler.cancel(handle)) }
        case .tick:
            log.append("\(scheduler.now.canonicalSeconds) tick")
            scheduler.schedule(.tick, after: .seconds(1))
        }
    }
}

struct SchedulerTests {
    @Test("events run in time order and equal times run first-scheduled-first")
    func eventsRunInTimeOrderWithFIFOTies() {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        scheduler.schedule(.note("c"), at: SimTime(.seconds(2)))
        scheduler.schedule(.note("a1"), at: SimTime(.seconds(1)))
        scheduler.schedule(.note("a2"), at: SimTime(.seconds(1)))
        scheduler.schedule(.note("zero"), at: .zero)
        scheduler.schedule(.note("a3"), at: SimTime(.seconds(1)))
        #expect(scheduler.runUntilIdle(maxEvents: 100, handler: &handler) == .idle)
        // Expected: zero at 0; a1, a2, a3 at 1 s in scheduling order; c at 2 s.
        #expect(handler.log == ["0.000000000 zero", "1.000000000 a1", "1.000000000 a2", "1.000000000 a3", "2.000000000 c"])
        #expect(scheduler.now == SimTime(.seconds(2)))
        #expect(scheduler.processedEventCount == 5)
        #expect(scheduler.pendingEventCount == 0)
    }

    @Test("an event scheduled for now while handling now runs after everything already queued for now")
    func reentrantSchedulingAtTheSameInstantRunsLast() {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        scheduler.schedule(.spawn("child", delay: 0), at: SimTime(.seconds(1)))
        scheduler.schedule(.note("sibling"), at: SimTime(.seconds(1)))
        scheduler.runUntilIdle(maxEvents: 10, handler: &handler)
        // Expected: spawn, then the sibling queued earlier, then the zero-delay child.
        #expect(handler.log == ["1.000000000 spawn child", "1.000000000 sibling", "1.000000000 child"])
    }

    @Test("a cancelled event never runs, even when cancelled by another event at the same instant")
    func aCancelledEventNeverRuns() {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        handler.handles["victim"] = scheduler.schedule(.note("victim"), at: SimTime(.seconds(1)))
        scheduler.schedule(.cancel("victim"), at: SimTime(.seconds(1)))  // same instant, queued after the victim
        var second = Scheduler<Probe>()
        var secondHandler = ProbeHandler()
        second.schedule(.cancel("victim"), at: SimTime(.seconds(1)))
        secondHandler.handles["victim"] = second.schedule(.note("victim"), at: SimTime(.seconds(1)))
        #expect(second.pendingEventCount == 2)
        second.runUntilIdle(maxEvents: 10, handler: &secondHandler)
        // The canceller ran first at t = 1 s and removed the victim queued for the same instant.
        #expect(secondHandler.log == ["1.000000000 cancel victim"])
        #expect(secondHandler.cancelResults == [true])
        #expect(second.pendingEventCount == 0 && second.processedEventCount == 1)

        scheduler.runUntilIdle(maxEvents: 10, handler: &handler)
        // Here the victim ran first, so cancelling it afterwards reports false.
        #expect(handler.log == ["1.000000000 victim", "1.000000000 cancel victim"])
        #expect(handler.cancelResults == [false])
    }

    @Test("cancelling reports whether the event was pending")
    func cancellingReportsWhetherTheEventWasPending() throws {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        let first = scheduler.schedule(.note("first"), at: SimTime(.seconds(1)))
        let second = scheduler.schedule(.note("second"), at: SimTime(.seconds(2)))
        #expect(scheduler.isPending(second))
        let cancelled = scheduler.cancel(second)
        let cancelledAgain = scheduler.cancel(second)
        #expect(cancelled && !cancelledAgain)
        #expect(!scheduler.isPending(second))
        #expect(scheduler.pendingEventCount == 1)
        try scheduler.run(until: SimTime(.seconds(5)), handler: &handler)
        let cancelledAfterRunning = scheduler.cancel(first)
        #expect(!cancelledAfterRunning)
        #expect(handler.log == ["1.000000000 first"])
        let foreign = Scheduler<Probe>().isPending(first)
        #expect(foreign == false)
    }

    @Test("run(until:) runs events at the horizon and then rests exactly there")
    func runUntilIsInclusive() throws {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        scheduler.schedule(.note("at"), at: SimTime(.seconds(10)))
        scheduler.schedule(.note("after"), at: SimTime(.seconds(10) + .nanoseconds(1)))
        #expect(try scheduler.run(until: SimTime(.seconds(10)), handler: &handler) == 1)
        #expect(handler.log == ["10.000000000 at"])
        #expect(scheduler.now == SimTime(.seconds(10)))
        #expect(scheduler.pendingEventCount == 1)
        // Draining `now` again is allowed and does nothing.
        #expect(try scheduler.run(until: scheduler.now, handler: &handler) == 0)
        // After a peek past the horizon, events can still be scheduled at now and run in order.
        scheduler.schedule(.note("now"), at: scheduler.now)
        try scheduler.advance(by: .seconds(1), handler: &handler)
        #expect(handler.log == ["10.000000000 at", "10.000000000 now", "10.000000001 after"])
        #expect(scheduler.now == SimTime(.seconds(11)))
        #expect(scheduler.checkInvariants())
    }

    @Test("asking for the past is a typed error and changes nothing")
    func askingForThePastIsATypedError() throws {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        try scheduler.run(until: SimTime(.seconds(5)), handler: &handler)
        #expect(throws: KernelError(.timeInPast, "cannot run until T+4s: the simulation is already at T+5s")) {
            try scheduler.run(until: SimTime(.seconds(4)), handler: &handler)
        }
        #expect(throws: KernelError(.timeInPast, "cannot advance by a negative duration (-1s)")) {
            try scheduler.advance(by: .seconds(-1), handler: &handler)
        }
        #expect(throws: KernelError.self) {
            try scheduler.advance(by: SimDuration(nanoseconds: .max), handler: &handler)
        }
        #expect(scheduler.now == SimTime(.seconds(5)))
    }

    @Test("runUntilIdle reports whether it went idle or used up its budget")
    func runUntilIdleReportsItsOutcome() {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        scheduler.schedule(.tick, at: .zero)
        #expect(scheduler.runUntilIdle(maxEvents: 3, handler: &handler) == .reachedEventLimit)
        #expect(handler.log == ["0.000000000 tick", "1.000000000 tick", "2.000000000 tick"])
        #expect(scheduler.pendingEventCount == 1)

        var finite = Scheduler<Probe>()
        finite.schedule(.note("only"), at: .zero)
        #expect(finite.runUntilIdle(maxEvents: 1, handler: &handler) == .idle)
        #expect(finite.runUntilIdle(maxEvents: 0, handler: &handler) == .idle)
        #expect(finite.isIdle)
    }

    @Test("a cancelled event does not count as pending or processed, and cannot make the queue look busy")
    func cancelledEventsAreInvisible() {
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        let handle = scheduler.schedule(.note("gone"), at: SimTime(.seconds(3)))
        scheduler.cancel(handle)
        #expect(scheduler.isIdle)
        #expect(scheduler.nextEventTime() == nil)
        #expect(scheduler.runUntilIdle(maxEvents: 5, handler: &handler) == .idle)
        #expect(handler.log.isEmpty && scheduler.processedEventCount == 0)
        #expect(scheduler.now == .zero)
        scheduler.schedule(.note("later"), after: .seconds(1))
        scheduler.runUntilIdle(maxEvents: 5, handler: &handler)
        #expect(handler.log == ["1.000000000 later"])
    }

    @Test("copying a scheduler forks the future: both copies continue independently")
    func copyingForksTheFuture() {
        var original = Scheduler<Probe>()
        var handler = ProbeHandler()
        original.schedule(.tick, at: .zero)
        original.runUntilIdle(maxEvents: 2, handler: &handler)
        var fork = original
        var forkHandler = handler
        fork.schedule(.note("only in fork"), after: .milliseconds(1))
        original.runUntilIdle(maxEvents: 2, handler: &handler)
        fork.runUntilIdle(maxEvents: 2, handler: &forkHandler)
        #expect(handler.log.suffix(2) == ["2.000000000 tick", "3.000000000 tick"])
        #expect(forkHandler.log.suffix(2) == ["1.001000000 only in fork", "2.000000000 tick"])
    }

    @Test("random schedules, cancels and advances agree with a reference model after every step", .tags(.seedSweep), arguments: SeedSweep.seeds(16))
    func randomOperationsAgreeWithAReferenceModel(seed: UInt64) throws {
        var random = DeterministicRandom(seed: seed, stream: "scheduler-sweep")
        var scheduler = Scheduler<Probe>()
        var handler = ProbeHandler()
        var handles: [(name: String, handle: EventHandle)] = []
        var pending: Set<String> = []  // the reference: scheduled, not run, not cancelled
        var cancelledNames: Set<String> = []
        var lastTime = SimTime.zero
        for step in 0..<600 {
            switch random.next(below: 7) {
            case 0, 1:
                let name = "e\(step)"
                handles.append((name, scheduler.schedule(.note(name), after: .milliseconds(Int64(random.next(below: 50))))))
                pending.insert(name)
            case 2, 3:
                if !handles.isEmpty {
                    let (name, handle) = handles[random.nextIndex(below: handles.count)]
                    let cancelled = scheduler.cancel(handle)
                    #expect(cancelled == pending.contains(name), "seed \(seed) step \(step)")
                    if cancelled { cancelledNames.insert(name) }
                    pending.remove(name)
                }
            case 4:
                _ = scheduler.nextEventTime()  // may discard cancelled entries beyond now
            case 5:
                try scheduler.advance(by: .milliseconds(Int64(random.next(below: 20))), handler: &handler)
            default:
                scheduler.step(handler: &handler)
            }
            for line in handler.log { pending.remove(String(line.split(separator: " ")[1])) }
            #expect(scheduler.now >= lastTime, "time went backwards, seed \(seed)")
            lastTime = scheduler.now
            #expect(scheduler.checkInvariants(), "seed \(seed)")
            #expect(scheduler.pendingEventCount == pending.count, "seed \(seed) step \(step)")
            for (name, handle) in handles.suffix(8) {
                #expect(scheduler.isPending(handle) == pending.contains(name), "seed \(seed) step \(step)")
            }
        }
        scheduler.runUntilIdle(maxEvents: 10_000, handler: &handler)
        #expect(scheduler.isIdle)
        // Every handled note ran at or after the previous one, and no cancelled one ran.
        let times = handler.log.map { $0.split(separator: " ")[0] }.compactMap { Double($0) }
        #expect(times == times.sorted())
        let ran = handler.log.map { String($0.split(separator: " ")[1]) }
        #expect(Set(ran).count == ran.count)
        #expect(Set(ran).isDisjoint(with: cancelledNames), "seed \(seed): a cancelled event ran")
        #expect(!cancelledNames.isEmpty)
    }
}
