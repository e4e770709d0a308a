/// An exact interval of simulated time, in integer nanoseconds.
///
/// Time in ComputeSim is never a `Double`: sums of floating-point seconds depend on evaluation
/// order, which would let "the same instant" differ between two runs. `SimDuration` covers about
/// ±292 years; durations that come from users are limited to ``limit`` (100 years), so that a
/// time within a simulation plus any user duration is always representable.
///
/// Arithmetic operators trap with a message on overflow (a programmer error: inputs from users
/// are validated first). For values derived from user input use the throwing
/// ``adding(_:)`` / ``multiplied(by:)`` or ``init(parsing:)``.
///
/// ```swift
/// let build = SimDuration.seconds(30) + .milliseconds(250)
/// let window = try SimDuration(parsing: "1.5h")   // 5_400 s
/// print(window)                                   // "1h30m"
/// ```
public struct SimDuration: Hashable, Comparable, Sendable, Codable {
    /// The interval in nanoseconds; negative for an interval that goes backwards.
    public var nanoseconds: Int64

    /// Creates a duration of `nanoseconds` nanoseconds.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The zero-length interval.
    public static let zero = SimDuration(nanoseconds: 0)

    /// The longest duration accepted from users: 36,500 days (about 100 years).
    ///
    /// ``init(parsing:)`` refuses longer text and ``Distribution/sampleDuration(using:)`` clamps
    /// to it. Together with ``SimTime/limit`` this keeps `now + duration` at most 200 years,
    /// well inside the 64-bit range: no sum of a simulated time and one user duration can
    /// overflow.
    public static let limit = SimDuration(nanoseconds: 36_500 * 86_400_000_000_000)

    /// Nanoseconds in one of each unit the parser understands.
    @usableFromInline
    static let nanosecondsPerMicrosecond: Int64 = 1_000
    @usableFromInline
    static let nanosecondsPerMillisecond: Int64 = 1_000_000
    @usableFromInline
    static let nanosecondsPerSecond: Int64 = 1_000_000_000
    @usableFromInline
    static let nanosecondsPerMinute: Int64 = 60_000_000_000
    @usableFromInline
    static let nanosecondsPerHour: Int64 = 3_600_000_000_000
    @usableFromInline
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    /// `value` nanoseconds.
    @inlinable
    public static func nanoseconds(_ value: Int64) -> SimDuration { SimDuration(nanoseconds: value) }
    /// `value` microseconds. Traps if the result overflows.
    @inlinable
    public static func microseconds(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerMicrosecond, "microseconds") }
    /// `value` milliseconds. Traps if the result overflows.
    @inlinable
    public static func milliseconds(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerMillisecond, "milliseconds") }
    /// `value` seconds. Traps if the result overflows.
    @inlinable
    public static func seconds(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerSecond, "seconds") }
    /// `value` minutes. Traps if the result overflows.
    @inlinable
    public static func minutes(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerMinute, "minutes") }
    /// `value` hours. Traps if the result overflows.
    @inlinable
    public static func hours(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerHour, "hours") }
    /// `value` days. Traps if the result overflows.
    @inlinable
    public static func days(_ value: Int64) -> SimDuration { scaled(value, nanosecondsPerDay, "days") }

    /// `seconds` seconds, rounded to the nearest nanosecond; for values drawn from distributions.
    ///
    /// - Throws: ``KernelError/Code`` `timeOverflow` when `seconds` is not finite or
    ///   outside the representable range.
    @inlinable
    public init(secondsValue seconds: Double) throws(KernelError) {
        let ns = (seconds * 1e9).rounded()
        guard ns.isFinite, ns >= -9.2e18, ns <= 9.2e18 else {
            throw KernelError(.timeOverflow, "\(seconds) seconds is outside the representable range of about ±292 years")
        }
        self.nanoseconds = Int64(ns)
    }

    /// The interval in seconds as a `Double` (for reports and statistics, never for time keeping).
    @inlinable
    public var secondsValue: Double { Double(nanoseconds) / 1e9 }

    @inlinable
    static func scaled(_ value: Int64, _ factor: Int64, _ unit: String) -> SimDuration {
        let (result, overflow) = value.multipliedReportingOverflow(by: factor)
        precondition(!overflow, "SimDuration overflow: \(value) \(unit) does not fit in 64-bit nanoseconds")
        return SimDuration(nanoseconds: result)
    }

    @inlinable
    public static func < (lhs: SimDuration, rhs: SimDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The sum; traps with a message on overflow.
    @inlinable
    public static func + (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        let (result, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        precondition(!overflow, "SimDuration overflow: \(lhs) + \(rhs)")
        return SimDuration(nanoseconds: result)
    }

    /// The difference; traps with a message on overflow.
    @inlinable
    public static func - (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        let (result, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.nanoseconds)
        precondition(!overflow, "SimDuration overflow: \(lhs) - \(rhs)")
        return SimDuration(nanoseconds: result)
    }

    /// The product with an integer factor; traps with a message on overflow.
    @inlinable
    public static func * (lhs: SimDuration, rhs: Int64) -> SimDuration {
        let (result, overflow) = lhs.nanoseconds.multipliedReportingOverflow(by: rhs)
        precondition(!overflow, "SimDuration overflow: \(lhs) * \(rhs)")
        return SimDuration(nanoseconds: result)
    }

    /// Adds in place; traps with a message on overflow.
    @inlinable
    public static func += (lhs: inout SimDuration, rhs: SimDuration) { lhs = lhs + rhs }

    /// The sum, or a typed error when it overflows (for user-supplied values).
    @inlinable
    public func adding(_ other: SimDuration) throws(KernelError) -> SimDuration {
        let (result, overflow) = nanoseconds.addingReportingOverflow(other.nanoseconds)
        guard !overflow else { throw KernelError(.timeOverflow, "\(self) + \(other) is outside the representable range of about ±292 years") }
        return SimDuration(nanoseconds: result)
    }

    /// The product, or a typed error when it overflows (for user-supplied values).
    @inlinable
    public func multiplied(by factor: Int64) throws(KernelError) -> SimDuration {
        let (result, overflow) = nanoseconds.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw KernelError(.timeOverflow, "\(self) * \(factor) is outside the representable range of about ±292 years") }
        return SimDuration(nanoseconds: result)
    }
}
