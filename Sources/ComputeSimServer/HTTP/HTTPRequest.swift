/// One HTTP/1.x request as the server reads it off a connection: the request line, the header
/// fields in the order they came, and the body (`Content-Length` bytes).
public struct HTTPRequest: Hashable, Sendable {
    public var method: String
    /// The request target as sent: the path and, after `?`, the query.
    public var target: String
    /// The protocol's minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
    }

    /// Whether the connection stays open after the response: HTTP/1.1 unless the client sent
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepsAlive: Bool {
        let tokens = headers.values(for: "Connection").flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
        return minorVersion >= 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
    }

    /// Whether the client waits for `100 Continue` before sending its body (`Expect:
    /// 100-continue`).
    public var expectsContinue: Bool {
        headers.values(for: "Expect").contains { $0.trimmingSpaces.lowercased() == "100-continue" }
    }
}

/// Header fields in arrival order, looked up without regard to case (field names are
/// case-insensitive in HTTP).
public struct HTTPHeaders: Hashable, Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    public mutating func append(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Every value of the field `name`, in order.
    /// - Complexity: O(fields).
    public func values(for name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// The first value of the field `name`, if any.
    /// - Complexity: O(fields), without allocating.
    public subscript(name: String) -> String? { fields.first { Self.sameName($0.name, name) }?.value }

    /// Field names compare ASCII case-insensitively (they are tokens, so ASCII only).
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) { x, y in x | 0x20 == y | 0x20 && (x == y || (x | 0x20 >= 0x61 && x | 0x20 <= 0x7A)) }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let text = String(self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }), let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(text[first...last])
    }
}
