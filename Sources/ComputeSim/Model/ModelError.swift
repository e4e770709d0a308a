/// An error in a model definition or a resource operation that a user can cause: a host with a
/// negative capacity, a duplicate name, a claim that does not fit.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A field has a value outside its allowed range.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// Something with this name or id already exists.
        public static let duplicate = Code(rawValue: "duplicate")
        /// No such host, server, group or account.
        public static let notFound = Code(rawValue: "notFound")
        /// A claim would exceed a host's capacity.
        public static let insufficientCapacity = Code(rawValue: "insufficientCapacity")
        /// The operation conflicts with current state (e.g. removing a host that holds servers).
        public static let conflict = Code(rawValue: "conflict")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
