/// A payload-free enum whose cases index flat tables by their position in declaration order.
///
/// The engine's state enums have `String` raw values, and a `RawRepresentable` type hashes its
/// raw value: every dictionary keyed by one hashed a string per lookup, which showed in the
/// engine's profile (the status map, the lifecycle rules, the phase timings). Tables indexed by
/// ``ordinal`` replace them on the hot path; the dictionaries stay as the readable source.
protocol CaseOrdinal: CaseIterable, Equatable {}

extension CaseOrdinal {
    /// The case's position in `allCases` (declaration order): the enum's one-byte tag, so no
    /// hashing and no search. A test checks it against `allCases` for every conforming type.
    /// - Complexity: O(1).
    @inline(__always)
    var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// How many cases there are (the size of a table indexed by ``ordinal``).
    static var caseCount: Int { allCases.count }
}

extension ServerAction: CaseOrdinal {}
extension VMState: CaseOrdinal {}
extension TaskState: CaseOrdinal {}
extension ServerStatus: CaseOrdinal {}
