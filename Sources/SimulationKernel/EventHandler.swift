/// The domain layer's hook into the scheduler: it handles each event the scheduler pops.
///
/// The handler receives the scheduler `inout`, so it can read ``Scheduler/now`` and schedule or
/// cancel events while handling one. Keep the handler and the scheduler in separate stored
/// properties of the owning type so both can be borrowed at once:
///
/// ```swift
/// struct World { var scheduler = Scheduler<MyEvent>(); var model = MyModel() }
/// extension World { mutating func step() -> Bool { scheduler.step(handler: &model) } }
/// ```
public protocol EventHandler<Event> {
    /// The domain's event type: a plain value, not a closure.
    associatedtype Event: TraceableEvent
    /// Handles one event at `scheduler.now`.
    @inlinable
    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>)
}

/// An ``EventHandler`` built from a closure, for tests and small tools.
public struct ClosureEventHandler<Event: TraceableEvent>: EventHandler {
    @usableFromInline
    let body: (Event, inout Scheduler<Event>) -> Void

    /// Wraps `body`.
    @inlinable
    public init(_ body: @escaping (Event, inout Scheduler<Event>) -> Void) { self.body = body }

    @inlinable
    public func handle(_ event: Event, scheduler: inout Scheduler<Event>) { body(event, &scheduler) }
}

/// Why a bounded run stopped.
public enum RunOutcome: Hashable, Sendable {
    /// No events are pending.
    case idle
    /// The event budget was used up with events still pending.
    case reachedEventLimit
}
