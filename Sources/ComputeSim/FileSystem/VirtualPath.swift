/// An absolute, normalised path inside a server's filesystem.
///
/// Built from user text by ``init(_:)``, which rejects instead of repairing: the text must start
/// with `/`, contain no NUL, and be at most 255 bytes of UTF-8 *as given*; `.` and empty
/// components are dropped (`/a/./b//c` is `/a/b/c`), `..` removes the previous component, and a
/// `..` that would leave the root (`/../etc`) is an error, never clamped. Decoding from JSON
/// validates the same way.
public struct VirtualPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The components, none empty, `.` or `..`.
    public let components: [String]

    /// The longest path text accepted, in UTF-8 bytes.
    public static let maximumLength = 255

    /// The root, `/`.
    public static let root = VirtualPath(components: [])

    init(components: [String]) { self.components = components }

    /// Validates and normalises `text`.
    /// - Throws: ``FileSystemError`` `invalidPath` naming the problem.
    public init(_ text: String) throws(FileSystemError) {
        func fail(_ reason: String) -> FileSystemError { FileSystemError(.invalidPath, "invalid path \"\(text)\": \(reason)") }
        guard text.utf8.first == UInt8(ascii: "/") else { throw fail("it must be absolute (start with /)") }
        guard !text.utf8.contains(0) else { throw fail("it contains a NUL byte") }
        guard text.utf8.count <= Self.maximumLength else { throw fail("it is longer than \(Self.maximumLength) bytes") }
        var components: [String] = []
        // Split on the byte "/", not on Characters: a combining or prepended mark next to a
        // slash (`b\u{06DD}/c`) forms one grapheme cluster with it, and a Character split would
        // keep the slash inside a component (found by the path fuzzer).
        for part in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                guard !components.isEmpty else { throw fail("it leaves the root") }
                components.removeLast()
                continue
            }
            components.append(String(decoding: part, as: UTF8.self))
        }
        self.components = components
    }

    /// Validates raw bytes (for input that may not be UTF-8).
    public init(bytes: [UInt8]) throws(FileSystemError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileSystemError(.invalidPath, "invalid path: it is not valid UTF-8")
        }
        try self.init(text)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The normalised text, e.g. `/etc/ssh/sshd_config`.
    public var description: String { "/" + components.joined(separator: "/") }

    /// The parent directory (the root's parent is the root).
    public var parent: VirtualPath { VirtualPath(components: Array(components.dropLast())) }

    /// The last component, or "" for the root.
    public var name: String { components.last ?? "" }

    /// This path with `component` appended (a name with no `/`).
    public func appending(_ component: String) -> VirtualPath { VirtualPath(components: components + [component]) }

    public static func < (lhs: VirtualPath, rhs: VirtualPath) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
