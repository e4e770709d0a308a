/// An error from a ``VirtualPath`` or a ``VirtualFileSystem`` operation.
public struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible.
    public typealias Code = ErrorCode<FileSystemError>

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension ErrorCode where Domain == FileSystemError {
    public static var invalidPath: Self { Self(rawValue: "invalidPath") }
    public static var notFound: Self { Self(rawValue: "notFound") }
    public static var notADirectory: Self { Self(rawValue: "notADirectory") }
    public static var isADirectory: Self { Self(rawValue: "isADirectory") }
    public static var exists: Self { Self(rawValue: "exists") }
    public static var notEmpty: Self { Self(rawValue: "notEmpty") }
    /// Injected contents are not valid base64, or decode to something that is not text.
    public static var invalidContents: Self { Self(rawValue: "invalidContents") }
    /// A personality limit of the project's quota (file count, path length, content size).
    public static var limitExceeded: Self { Self(rawValue: "limitExceeded") }
}
