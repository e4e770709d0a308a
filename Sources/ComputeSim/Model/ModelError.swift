/// An error in a model definition or a resource operation that a user can cause: a host with a
/// negative capacity, a duplicate name, a claim that does not fit.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible.
    public typealias Code = ErrorCode<ModelError>

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension ErrorCode where Domain == ModelError {
    /// A field has a value outside its allowed range.
    public static var invalidValue: Self { Self(rawValue: "invalidValue") }
    /// Something with this name or id already exists.
    public static var duplicate: Self { Self(rawValue: "duplicate") }
    /// No such host, server, group or account.
    public static var notFound: Self { Self(rawValue: "notFound") }
    /// A claim would exceed a host's capacity.
    public static var insufficientCapacity: Self { Self(rawValue: "insufficientCapacity") }
    /// The operation conflicts with current state (e.g. removing a host that holds servers).
    public static var conflict: Self { Self(rawValue: "conflict") }
}
