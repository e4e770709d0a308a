import ComputeSim

/// A `Clock` on simulated time: code under test that sleeps on it
/// (`try await clock.sleep(for: .seconds(5))`) suspends until the simulation reaches that
/// instant, which takes no wall time.
///
/// Time moves in two ways:
/// - **automatically**, inside ``SimulatedCloud/run(timeLimit:_:)``: whenever no task of the run
///   has a job ready, time jumps to the earliest sleeper's deadline and wakes it;
/// - **manually**, with ``advance(by:)`` or ``advance(to:)``, which wake every sleeper due by
///   then in deadline order.
///
/// The cloud's own events (builds finishing, hosts failing) run up to each sleeper's deadline
/// before it wakes, so a poll after `sleep(for: .seconds(30))` sees the cloud 30 s later.
/// Sleepers due at the same instant wake in the order they went to sleep. Cancelling a
/// sleeping task makes its `sleep` throw `CancellationError` at once.
public struct SimulationClock: Clock, Sendable {
    /// An instant of simulated time.
    public struct Instant: InstantProtocol, Hashable, Sendable {
        public var time: SimTime

        public init(_ time: SimTime) { self.time = time }

        public func advanced(by duration: Swift.Duration) -> Instant {
            Instant(SimTime(nanosecondsSinceStart: time.nanosecondsSinceStart &+ SimulationClock.nanoseconds(duration)))
        }

        public func duration(to other: Instant) -> Swift.Duration {
            .nanoseconds(other.time.nanosecondsSinceStart &- time.nanosecondsSinceStart)
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.time < rhs.time }
    }

    let core: SimulationCore

    public var now: Instant { Instant(core.now) }

    public var minimumResolution: Swift.Duration { .nanoseconds(1) }

    /// Suspends until simulated time reaches `deadline` (at once when it has passed).
    /// - Throws: `CancellationError` when the task is cancelled while it sleeps, or when its
    ///   run's time limit is reached.
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = core.makeSleepID()
        let core = self.core
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                core.register(id, until: deadline.time, continuation)
            }
        } onCancel: {
            core.cancel(id)
        }
    }

    /// Moves simulated time forward by `duration`, waking every task due by then in order.
    /// A negative duration does nothing.
    public func advance(by duration: Swift.Duration) {
        guard duration > .zero else { return }
        advance(to: now.advanced(by: duration))
    }

    /// Moves simulated time to `instant` (nothing when it has passed), waking every task due.
    public func advance(to instant: Instant) {
        core.advance(to: instant.time)
    }

    /// Whole nanoseconds of a `Swift.Duration`, saturating at Int64's range.
    static func nanoseconds(_ duration: Swift.Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? (seconds < 0 ? .min : .max) : scaled + attoseconds / 1_000_000_000
    }
}
