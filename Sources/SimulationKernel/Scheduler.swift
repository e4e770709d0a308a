/// A deterministic discrete-event scheduler on virtual time.
///
/// Events are plain values ordered by ``EventKey`` (time, then the order they were scheduled).
/// Each ``step(handler:)`` pops exactly one event, sets ``now`` to its time, renders its trace
/// line into ``trace`` and hands it to the domain's ``EventHandler``, which may schedule more.
///
/// Guarantees:
/// - Events at the same instant run first-scheduled-first, including events scheduled for
///   `now` while handling an event at `now` (they run after everything already queued for now).
/// - Time never moves backwards. ``run(until:handler:)`` runs events *at* `until` too, then sets
///   ``now`` to `until`; asking for a time before ``now`` is a typed error.
/// - A cancelled event never runs, even when cancelled by another event at the same instant.
///
/// ## Cancellation: tombstones
/// ``cancel(_:)`` records the event's sequence number as a tombstone; the entry stays in the
/// queue and is discarded when it reaches the front. This is O(1) expected per cancel and keeps
/// the queue free of the position bookkeeping that indexed removal needs on every move, which
/// would slow every schedule and pop to speed up the rarer cancel. ``pendingEventCount``
/// excludes tombstoned entries. Whether a handle is still pending is decided exactly: handled
/// events have strictly increasing keys (time never goes back, and an event scheduled for the
/// current instant gets a larger sequence), so an event is pending if and only if its key is
/// after the last handled key and it is not tombstoned. A tombstone is kept until the last
/// handled key passes it, so cancelling twice reports false even after the entry was discarded.
///
/// The scheduler is a value: copying it forks the future.
public struct Scheduler<Event: TraceableEvent> {
    /// The current simulated time.
    @inlinable
    public var now: SimTime { _now }
    @usableFromInline
    var _now: SimTime = .zero
    /// Renders and digests each processed event.
    public var trace: TraceRecorder
    /// How many events have been handled (cancelled ones are not counted).
    @inlinable
    public var processedEventCount: UInt64 { _processedEventCount }
    @usableFromInline
    var _processedEventCount: UInt64 = 0

    @usableFromInline
    var queue: EventQueue<Event>
    @usableFromInline
    var nextSequence: UInt64 = 0
    /// Cancelled sequences (with their times) whose key is after the last handled key.
    @usableFromInline
    var tombstones: [UInt64: Int64] = [:]
    /// How many queue entries are tombstoned (the rest of `tombstones` were already discarded).
    @usableFromInline
    var tombstonedInQueue = 0
    /// The key of the last handled event; nil before the first.
    @usableFromInline
    var lastHandled: EventKey? = nil

    /// Creates an idle scheduler at time zero.
    /// - Parameters:
    ///   - trace: how processed events are traced (digest on, no lines kept, by default).
    @inlinable
    public init(trace: TraceRecorder = TraceRecorder()) {
        self.trace = trace
        self.queue = EventQueue()
    }

    /// The number of events scheduled and neither run nor cancelled.
    @inlinable
    public var pendingEventCount: Int { queue.count - tombstonedInQueue }

    /// Whether no events are pending.
    @inlinable
    public var isIdle: Bool { pendingEventCount == 0 }

    /// The digest of the trace lines of every event handled so far, as 16 hex digits.
    @inlinable
    public var traceDigest: String { trace.digest.hexString }

    /// Schedules `event` at `time`.
    ///
    /// - Precondition: `time >= now` (domain code computes times from `now` plus non-negative
    ///   durations; a past time is a bug, not user input).
    /// - Returns: a handle for ``cancel(_:)``.
    /// - Complexity: O(log n) in the number of queued events.
    @discardableResult
    @inlinable
    public mutating func schedule(_ event: Event, at time: SimTime) -> EventHandle {
        precondition(time >= now, "cannot schedule an event at \(time), before now (\(now))")
        let sequence = nextSequence
        nextSequence &+= 1
        queue.insert(.init(time: time.nanosecondsSinceStart, sequence: sequence, event: event))
        return EventHandle(key: EventKey(time: time, sequence: sequence))
    }

    /// Schedules `event` `delay` after ``now``.
    ///
    /// - Precondition: `delay` is not negative and `now + delay` does not overflow.
    /// - Complexity: O(log n).
    @discardableResult
    @inlinable
    public mutating func schedule(_ event: Event, after delay: SimDuration) -> EventHandle {
        precondition(delay >= .zero, "cannot schedule an event after a negative delay (\(delay))")
        return schedule(event, at: now + delay)
    }

    /// Cancels a pending event so that it never runs.
    ///
    /// - Returns: true when the event was pending and is now cancelled; false when it already
    ///   ran, was already cancelled, or was never scheduled by this scheduler.
    /// - Complexity: O(1) expected.
    @discardableResult
    @inlinable
    public mutating func cancel(_ handle: EventHandle) -> Bool {
        guard isPending(handle) else { return false }
        tombstones[handle.key.sequence] = handle.key.time.nanosecondsSinceStart
        tombstonedInQueue += 1
        return true
    }

    /// Whether the event behind `handle` is still pending.
    @inlinable
    public func isPending(_ handle: EventHandle) -> Bool {
        guard handle.key.sequence < nextSequence, tombstones[handle.key.sequence] == nil else { return false }
        guard let lastHandled else { return true }
        return lastHandled < handle.key
    }

    /// The time of the earliest pending event, or nil when idle.
    /// - Complexity: O(log n) amortised (it discards cancelled events at the front).
    @inlinable
    public mutating func nextEventTime() -> SimTime? {
        while let top = queue.peekMin() {
            guard isTombstoned(top) else { return SimTime(nanosecondsSinceStart: top.time) }
            discardFront()
        }
        return nil
    }

    @inline(__always)
    @inlinable
    func isTombstoned(_ entry: EventQueue<Event>.Entry) -> Bool {
        tombstonedInQueue > 0 && tombstones[entry.sequence] != nil
    }

    /// Removes the tombstoned entry at the front of the queue. Its tombstone stays until the
    /// last handled key passes it (see the type's discussion); stale ones are pruned in bulk.
    @inlinable
    mutating func discardFront() {
        _ = queue.popMin()
        tombstonedInQueue -= 1
        if tombstones.count > 2 * tombstonedInQueue + 64 { pruneTombstones() }
    }

    /// Drops tombstones at or before the last handled key: no pending event can have them.
    /// - Complexity: O(number of tombstones); amortised O(1) per cancel.
    @inlinable
    mutating func pruneTombstones() {
        guard let lastHandled else { return }
        tombstones = tombstones.filter { sequence, time in
            lastHandled < EventKey(time: SimTime(nanosecondsSinceStart: time), sequence: sequence)
        }
    }

    /// Handles the earliest pending event, if any.
    ///
    /// - Returns: true when an event was handled, false when none was pending.
    /// - Complexity: O(log n) plus the handler's cost.
    @discardableResult
    @inlinable
    public mutating func step<Handler: EventHandler>(handler: inout Handler) -> Bool where Handler.Event == Event {
        while let entry = queue.popMin() {
            if isTombstoned(entry) {
                tombstonedInQueue -= 1
                if tombstones.count > 2 * tombstonedInQueue + 64 { pruneTombstones() }
                continue
            }
            _now = SimTime(nanosecondsSinceStart: entry.time)
            lastHandled = EventKey(time: now, sequence: entry.sequence)
            _processedEventCount &+= 1
            if trace.isEnabled {
                trace.record(time: entry.time, sequence: entry.sequence, event: entry.event)
            }
            handler.handle(entry.event, scheduler: &self)
            return true
        }
        return false
    }

    /// Handles every event due at or before `time`, then sets ``now`` to `time`.
    ///
    /// Events the handler schedules at or before `time` run too. Unlike SimPy's exclusive
    /// `until`, events exactly at `time` do run; `time == now` drains the current instant.
    ///
    /// - Throws: ``KernelError`` `timeInPast` when `time` is before ``now``; nothing changes.
    /// - Returns: the number of events handled.
    @discardableResult
    @inlinable
    public mutating func run<Handler: EventHandler>(until time: SimTime, handler: inout Handler) throws(KernelError) -> Int where Handler.Event == Event {
        guard time >= now else {
            throw KernelError(.timeInPast, "cannot run until \(time): the simulation is already at \(now)")
        }
        var handled = 0
        while let next = nextEventTime(), next <= time {
            step(handler: &handler)
            handled += 1
        }
        _now = time
        return handled
    }

    /// Handles every event due within `duration` from now, then moves ``now`` forward by it.
    ///
    /// - Throws: ``KernelError`` `timeInPast` for a negative duration, `timeOverflow` when the
    ///   target is past the last representable instant; nothing changes.
    @discardableResult
    @inlinable
    public mutating func advance<Handler: EventHandler>(by duration: SimDuration, handler: inout Handler) throws(KernelError) -> Int
    where Handler.Event == Event {
        guard duration >= .zero else {
            throw KernelError(.timeInPast, "cannot advance by a negative duration (\(duration))")
        }
        return try run(until: now.advanced(by: duration), handler: &handler)
    }

    /// Handles events until none is pending or `maxEvents` have been handled.
    ///
    /// The budget is what keeps a self-perpetuating model (every event schedules another) from
    /// running forever; there is no wall-clock timeout, which would not be deterministic.
    ///
    /// - Precondition: `maxEvents >= 0`.
    /// - Returns: ``RunOutcome/idle`` when nothing is pending at the end (even if that happened on
    ///   the last allowed event), ``RunOutcome/reachedEventLimit`` otherwise.
    @discardableResult
    @inlinable
    public mutating func runUntilIdle<Handler: EventHandler>(maxEvents: Int, handler: inout Handler) -> RunOutcome where Handler.Event == Event {
        precondition(maxEvents >= 0, "maxEvents must not be negative")
        var handled = 0
        while handled < maxEvents, step(handler: &handler) { handled += 1 }
        return nextEventTime() == nil ? .idle : .reachedEventLimit
    }

    /// Checks the queue's internal invariants; for tests.
    /// - Complexity: O(n).
    @inlinable
    public func checkInvariants() -> Bool {
        queue.isValid() && tombstonedInQueue >= 0 && tombstonedInQueue <= queue.count && tombstonedInQueue <= tombstones.count
    }
}

extension Scheduler: Sendable where Event: Sendable {}
