/// What every ComputeSim error shares: a typed ``ErrorCode`` naming the kind of failure and a
/// sentence naming what was wrong. Equality and hashing compare the two (a wrapped lower-layer
/// cause, where an error keeps one, is not part of them); ``description`` is `code: message`.
public protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    var code: ErrorCode<Self> { get }
    /// A sentence naming what was wrong, suitable for showing to a user.
    var message: String { get }
}

extension CodedError {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }

    public var description: String { "\(code): \(message)" }
}
