/// An error in a model definition or a resource operation that a user can cause: a host with a
/// negative capacity, a duplicate name, a claim that does not fit.
public struct ModelError: CodedError {
    /// The kind of failure. Extensible.
    public typealias Code = ErrorCode<ModelError>

    public var code: Code
    public var message: String

    /// The lower layer's error this one was made from, if any (not part of equality).
    public var underlying: (any Error & Sendable)?

    /// Creates an error with a code, a message and, when it wraps one, the lower layer's error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }
}

extension ErrorCode where Domain == ModelError {
    /// A field has a value outside its allowed range.
    public static var invalidValue: Self { Self("invalidValue") }
    /// Something with this name or id already exists.
    public static var duplicate: Self { Self("duplicate") }
    /// No such host, server, group or account.
    public static var notFound: Self { Self("notFound") }
    /// A claim would exceed a host's capacity.
    public static var insufficientCapacity: Self { Self("insufficientCapacity") }
    /// The operation conflicts with current state (e.g. removing a host that holds servers).
    public static var conflict: Self { Self("conflict") }
}
