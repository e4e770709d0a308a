/// The code of a ComputeSim error: a string naming the kind of failure, typed by the error it
/// belongs to, so codes of different errors cannot be mixed.
///
/// Codes are declared by the package, as `extension ErrorCode where Domain == ThatError`; clients
/// compare and switch on them but cannot mint new ones.
public struct ErrorCode<Domain>: Hashable, Sendable, CustomStringConvertible {
    /// The code's name, such as `badRequest`.
    public let rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}
