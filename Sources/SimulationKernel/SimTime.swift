/// An exact point in simulated time: integer nanoseconds since the start of the simulation.
///
/// A simulation starts at ``zero``. A ``WallClock`` maps points to Unix time for timestamps
/// shown to users; the kernel itself never reads a real clock.
public struct SimTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the start of the simulation.
    public var nanosecondsSinceStart: Int64

    /// Creates the point `nanosecondsSinceStart` nanoseconds after the start.
    @inlinable
    public init(nanosecondsSinceStart: Int64) { self.nanosecondsSinceStart = nanosecondsSinceStart }

    /// The start of every simulation.
    public static let zero = SimTime(nanosecondsSinceStart: 0)

    /// The latest representable point (about 292 years after the start).
    public static let distantFuture = SimTime(nanosecondsSinceStart: .max)

    /// The furthest a simulation runs: 36,500 days (about 100 years) after the start.
    ///
    /// Clouds refuse to advance past it and stop handling events beyond it, so every time a
    /// user can observe maps to a wall-clock date (see ``WallClock/supportedEpochs``).
    public static let limit = SimTime(nanosecondsSinceStart: SimDuration.limit.nanoseconds)

    /// The point `offset` after the start.
    @inlinable
    public init(_ offset: SimDuration) { self.nanosecondsSinceStart = offset.nanoseconds }

    /// The interval from the start to this point.
    @inlinable
    public var sinceStart: SimDuration { SimDuration(nanoseconds: nanosecondsSinceStart) }

    @inlinable
    public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanosecondsSinceStart < rhs.nanosecondsSinceStart }

    /// The point `rhs` later; traps with a message on overflow.
    @inlinable
    public static func + (lhs: SimTime, rhs: SimDuration) -> SimTime {
        let (result, overflow) = lhs.nanosecondsSinceStart.addingReportingOverflow(rhs.nanoseconds)
        precondition(!overflow, "SimTime overflow: \(lhs) + \(rhs)")
        return SimTime(nanosecondsSinceStart: result)
    }

    /// The interval from `rhs` to `lhs`; traps with a message on overflow.
    @inlinable
    public static func - (lhs: SimTime, rhs: SimTime) -> SimDuration {
        let (result, overflow) = lhs.nanosecondsSinceStart.subtractingReportingOverflow(rhs.nanosecondsSinceStart)
        precondition(!overflow, "SimTime overflow: \(lhs) - \(rhs)")
        return SimDuration(nanoseconds: result)
    }

    /// The point `duration` later, or a typed error when it overflows (for user-supplied values).
    @inlinable
    public func advanced(by duration: SimDuration) throws(KernelError) -> SimTime {
        let (result, overflow) = nanosecondsSinceStart.addingReportingOverflow(duration.nanoseconds)
        guard !overflow else { throw KernelError(.timeOverflow, "\(self) + \(duration) is past the last representable instant") }
        return SimTime(nanosecondsSinceStart: result)
    }

    /// The offset from the start, written like a duration with a `T+` prefix: `T+1m30s`.
    @inlinable
    public var description: String { "T+\(sinceStart)" }

    /// Seconds since the start with exactly nine decimals (`90.000000250`): the canonical form
    /// used in traces and reports, stable across platforms.
    @inlinable
    public var canonicalSeconds: String {
        TraceLine.render { $0.appendSeconds(nanoseconds: nanosecondsSinceStart) }
    }
}
