/// An error from a ``VirtualPath`` or a ``VirtualFileSystem`` operation.
public struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible.
    public typealias Code = ErrorCode<FileSystemError>

    public var code: Code
    public var message: String

    /// The lower layer's error this one was made from, if any (kept for diagnosis; not part of
    /// equality or hashing, which compare code and message).
    public var underlying: (any Error & Sendable)?

    /// Creates an error with a code, a message and, when it wraps one, the lower layer's error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }

    public var description: String { "\(code): \(message)" }
}

extension ErrorCode where Domain == FileSystemError {
    public static var invalidPath: Self { Self("invalidPath") }
    public static var notFound: Self { Self("notFound") }
    public static var notADirectory: Self { Self("notADirectory") }
    public static var isADirectory: Self { Self("isADirectory") }
    public static var exists: Self { Self("exists") }
    public static var notEmpty: Self { Self("notEmpty") }
    /// Injected contents are not valid base64, or decode to something that is not text.
    public static var invalidContents: Self { Self("invalidContents") }
    /// A personality limit of the project's quota (file count, path length, content size).
    public static var limitExceeded: Self { Self("limitExceeded") }
}
