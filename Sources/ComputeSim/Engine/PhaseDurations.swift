/// An operation's phase durations, drawn when it starts, stored inline: at most
/// ``capacity`` (the longest task sequence; the timing model's validation holds every action
/// and the build to it). Each phase end copies the ``Operation`` out of the server's record
/// and back; with an array here each copy retained and released it, about 4% of a lifecycle
/// run. Slots past ``count`` are always zero, so equal durations compare equal.
struct PhaseDurations: Hashable, Sendable {
    /// The most phases an operation has.
    static let capacity = 4

    private var first0 = SimDuration.zero, second = SimDuration.zero, third = SimDuration.zero, fourth = SimDuration.zero
    private var stored: UInt8 = 0

    /// How many durations are held.
    var count: Int { Int(stored) }

    init() {}

    /// The duration of phase `index`.
    /// - Precondition: `0 <= index < count`.
    subscript(index: Int) -> SimDuration {
        precondition(index >= 0 && index < count, "phase \(index) of \(count)")
        switch index {
        case 0: return first0
        case 1: return second
        case 2: return third
        default: return fourth
        }
    }

    /// The first phase's duration, nil when there is none.
    var first: SimDuration? { count > 0 ? first0 : nil }

    /// The sum of every phase's duration.
    var total: SimDuration { first0 + second + third + fourth }

    /// Adds the next phase's duration.
    /// - Precondition: `count < capacity`.
    mutating func append(_ duration: SimDuration) {
        precondition(count < Self.capacity, "an operation has at most \(Self.capacity) phases")
        switch count {
        case 0: first0 = duration
        case 1: second = duration
        case 2: third = duration
        default: fourth = duration
        }
        stored += 1
    }

    /// Drops the last phase.
    /// - Precondition: `count > 0`.
    mutating func removeLast() {
        precondition(count > 0, "no phase to remove")
        stored -= 1
        switch count {
        case 0: first0 = .zero
        case 1: second = .zero
        case 2: third = .zero
        default: fourth = .zero
        }
    }
}
