/// The code of a ComputeSim error: a string naming the kind of failure, typed by the error it
/// belongs to, so codes of different errors cannot be mixed. Extensible: an error's codes are
/// declared as `extension ErrorCode where Domain == ThatError`.
public struct ErrorCode<Domain>: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}
