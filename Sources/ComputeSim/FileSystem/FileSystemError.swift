/// An error from a ``VirtualPath`` or a ``VirtualFileSystem`` operation.
public struct FileSystemError: CodedError {
    /// The kind of failure. Extensible.
    public typealias Code = ErrorCode<FileSystemError>

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
