/// An HTTP/1.1 response to write on a connection.
public struct HTTPResponse: Hashable, Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON error body `{"error": {"code": status, "message": …}}` for a request the parser
    /// refused; the connection closes after it.
    public init(_ error: HTTPParseError) {
        let escaped = error.message.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case _ where scalar.value < 0x20:
                return "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: return String(scalar)
            }
        }.joined()
        self.init(
            status: error.status, headers: HTTPHeaders([("Content-Type", "application/json"), ("Connection", "close")]),
            body: Array(#"{"error":{"code":\#(error.status),"message":"\#(escaped)"}}"#.utf8))
    }

    /// The reason phrase of `status` (RFC 9110's), "Unknown" for others.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 300: return "Multiple Choices"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Unknown"
        }
    }

    /// Whether a response with this status never has a body (1xx, 204, 304).
    public static func hasNoBody(_ status: Int) -> Bool { status < 200 || status == 204 || status == 304 }

    /// The bytes on the wire: the status line, the header fields in order, `Content-Length`
    /// (unless the status has no body, whose body is then dropped) and `Connection: close` when
    /// `keepAlive` is false, the blank line and the body.
    public func serialized(keepAlive: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        serialize(keepAlive: keepAlive, appendingTo: &bytes)
        return bytes
    }

    /// ``serialized(keepAlive:)`` appended to `bytes` (a connection's output buffer), without
    /// an intermediate array.
    func serialize(keepAlive: Bool, appendingTo bytes: inout [UInt8]) {
        let bodyless = Self.hasNoBody(status)
        // Only into an empty buffer: reserving for each of several pipelined answers would
        // reallocate to the exact size every time (reserveCapacity does not grow geometrically).
        if bytes.isEmpty { bytes.reserveCapacity(128 + headers.fields.count * 48 + (bodyless ? 0 : body.count)) }
        bytes.append(contentsOf: "HTTP/1.1 \(status) \(Self.reason(status))\r\n".utf8)
        for field in headers where !HTTPHeaders.sameName(field.name, "Content-Length") && !HTTPHeaders.sameName(field.name, "Connection") {
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        if !bodyless { bytes.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
        if !keepAlive { bytes.append(contentsOf: "Connection: close\r\n".utf8) }
        bytes.append(contentsOf: "\r\n".utf8)
        if !bodyless { bytes.append(contentsOf: body) }
    }
}
