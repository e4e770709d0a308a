/// The total order of events: time first, then the sequence number the scheduler assigned.
///
/// Sequence numbers come from one counter per scheduler that is never reset or reused, so two
/// events never share a key and events at the same instant run in the order they were
/// scheduled (first scheduled, first run).
public struct EventKey: Hashable, Comparable, Sendable {
    /// When the event is due.
    public var time: SimTime
    /// The scheduler-assigned tie-breaker: the number of events scheduled before this one.
    public var sequence: UInt64

    /// Creates a key.
    @inlinable
    public init(time: SimTime, sequence: UInt64) {
        self.time = time
        self.sequence = sequence
    }

    @inlinable
    public static func < (lhs: EventKey, rhs: EventKey) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.sequence < rhs.sequence
    }
}

/// A token for one scheduled event, used to cancel it.
public struct EventHandle: Hashable, Sendable {
    /// The event's position in the total order.
    public let key: EventKey

    /// Creates a handle for the event with `key`.
    @inlinable
    init(key: EventKey) { self.key = key }
}
