/// An error from a ``VirtualPath`` or a ``VirtualFileSystem`` operation.
public struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidPath = Code(rawValue: "invalidPath")
        public static let notFound = Code(rawValue: "notFound")
        public static let notADirectory = Code(rawValue: "notADirectory")
        public static let isADirectory = Code(rawValue: "isADirectory")
        public static let exists = Code(rawValue: "exists")
        public static let notEmpty = Code(rawValue: "notEmpty")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
