/// A Compute API microversion such as `2.37`, ordered numerically (`2.9 < 2.10`).
struct Microversion: Hashable, Comparable, Sendable, CustomStringConvertible {
    var major: Int
    var minor: Int

    init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The oldest and newest microversions the facade speaks.
    static let minimum = Microversion(2, 1)
    static let maximum = Microversion(2, 56)

    static func < (lhs: Microversion, rhs: Microversion) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }

    /// `2.37`, as the version headers carry it.
    var description: String { "\(major).\(minor)" }
}
