/// Up to four values stored inline: an operation's phase durations and task states (at most
/// ``capacity`` phases, the longest task sequence; the timing model's validation holds every
/// action and the build to it). Each phase end copies the ``Operation`` out of the server's
/// record and back; with arrays there each copy retained and released them (about 5% of a
/// lifecycle run), and reading a task went through the shared lifecycle table. Equality and
/// hashing read the first ``count`` values only.
struct InlineFour<Element: Hashable & Sendable>: Hashable, Sendable {
    /// The most values held.
    static var capacity: Int { 4 }

    private var first0, second, third, fourth: Element
    private var stored: UInt8 = 0

    /// An empty list; `filler` initialises the unused slots (never read).
    init(filler: Element) {
        (first0, second, third, fourth) = (filler, filler, filler, filler)
    }

    /// How many values are held.
    var count: Int { Int(stored) }

    /// The value at `index`.
    /// - Precondition: `0 <= index < count`.
    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index \(index) of \(count)")
        switch index {
        case 0: return first0
        case 1: return second
        case 2: return third
        default: return fourth
        }
    }

    /// The first value, nil when there is none.
    var first: Element? { count > 0 ? first0 : nil }

    /// Adds a value at the end.
    /// - Precondition: `count < capacity`.
    mutating func append(_ value: Element) {
        precondition(count < Self.capacity, "at most \(Self.capacity) values")
        switch count {
        case 0: first0 = value
        case 1: second = value
        case 2: third = value
        default: fourth = value
        }
        stored += 1
    }

    /// Removes the last value.
    /// - Precondition: `count > 0`.
    mutating func removeLast() {
        precondition(count > 0, "nothing to remove")
        stored -= 1
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs[index] != rhs[index] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(stored)
        for index in 0..<count { hasher.combine(self[index]) }
    }
}

extension InlineFour where Element == SimDuration {
    /// No durations.
    init() { self.init(filler: .zero) }

    /// The sum of the durations.
    var total: SimDuration {
        var sum = SimDuration.zero
        for index in 0..<count { sum = sum + self[index] }
        return sum
    }
}

/// An operation's phase durations, drawn when it starts.
typealias PhaseDurations = InlineFour<SimDuration>
