/// Reads HTTP/1.x requests from a connection's bytes as they arrive, in any pieces.
///
/// Feed it bytes with ``append(_:)`` and ask ``next()`` for what they complete: a whole request
/// (pipelined requests come out one by one), a note that the client waits for `100 Continue`,
/// or nil for "need more bytes". Bodies are `Content-Length` bytes; `Transfer-Encoding` is
/// refused with 411. The limits protect the process from hostile clients: the request line and
/// header fields together at most ``Limits/headBytes`` (431 beyond, decided as soon as that many
/// bytes arrived without the blank line), at most ``Limits/headerFields`` fields (431), and a
/// declared body over ``Limits/bodyBytes`` is 413 before any of it is read. After an error the
/// connection is to be answered and closed; the parser stays failed.
///
/// - Complexity: O(n) over the bytes fed: the search for the end of the head resumes where it
///   stopped, and consumed bytes are dropped in amortised O(1).
public struct HTTPRequestParser: Sendable {
    public struct Limits: Hashable, Sendable {
        /// The request line and header fields, blank line included (16 KiB).
        public var headBytes = 16_384
        /// The largest body (Nova's request size limit, 114,688 bytes).
        public var bodyBytes = 114_688
        /// The most header fields one request may carry.
        public var headerFields = 100

        public init() {}
    }

    /// What the buffered bytes complete.
    public enum Event: Hashable, Sendable {
        /// A whole request.
        case request(HTTPRequest)
        /// A request head with `Expect: 100-continue` whose body has not arrived: answer
        /// `HTTP/1.1 100 Continue` and keep feeding bytes.
        case continueNeeded
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// The first byte not yet consumed.
    private var start = 0
    /// Where the search for the end of the head resumes.
    private var scanned = 0
    /// A parsed head waiting for `remaining` body bytes.
    private var pending: (request: HTTPRequest, remaining: Int)?
    private var failure: HTTPParseError?

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Adds bytes read from the connection.
    public mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// Whether bytes are buffered that no request has consumed yet (a connection closed now
    /// would cut a request short).
    public var hasPartialRequest: Bool { pending != nil || start < buffer.count }

    /// The next event the buffered bytes complete, or nil when more bytes are needed.
    /// - Throws: ``HTTPParseError`` (and again on every later call) for bytes that are not an
    ///   acceptable request.
    public mutating func next() throws(HTTPParseError) -> Event? {
        if let failure { throw failure }
        do {
            return try advance()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func advance() throws(HTTPParseError) -> Event? {
        if let (request, remaining) = pending {
            guard buffer.count - start >= remaining else { return nil }
            var complete = request
            complete.body = Array(buffer[start..<start + remaining])
            consume(remaining)
            pending = nil
            return .request(complete)
        }
        // Empty lines before a request line are ignored (RFC 9112, 2.2).
        while buffer.count - start >= 2 && buffer[start] == 0x0D && buffer[start + 1] == 0x0A { consume(2) }
        guard let end = headEnd() else {
            if buffer.count - start > limits.headBytes {
                throw HTTPParseError(status: 431, "the request line and header fields exceed \(limits.headBytes) bytes")
            }
            return nil
        }
        guard end - start <= limits.headBytes else { throw HTTPParseError(status: 431, "the request line and header fields exceed \(limits.headBytes) bytes") }
        var request = try parseHead(buffer[start..<end - 4])
        consume(end - start)
        if request.headers["Transfer-Encoding"] != nil {
            throw HTTPParseError(status: 411, "Transfer-Encoding bodies are not supported: send the body with Content-Length")
        }
        let length = try contentLength(request.headers)
        guard length <= limits.bodyBytes else { throw HTTPParseError(status: 413, "the body of \(length) bytes exceeds \(limits.bodyBytes) bytes") }
        if length == 0 { return .request(request) }
        if buffer.count - start >= length {
            request.body = Array(buffer[start..<start + length])
            consume(length)
            return .request(request)
        }
        pending = (request, length)
        return request.expectsContinue ? .continueNeeded : nil
    }

    /// The index just past the blank line that ends the head, or nil.
    private mutating func headEnd() -> Int? {
        var index = max(start, scanned - 3)
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A { return index + 4 }
            index += 1
        }
        scanned = buffer.count
        return nil
    }

    private mutating func consume(_ count: Int) {
        start += count
        scanned = max(scanned, start)
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        } else if start > 65_536 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
    }

    private func parseHead(_ head: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        var lines = split(head)
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, let method = token(parts[0]), let target = visible(parts[1]), !target.isEmpty else {
            throw HTTPParseError(status: 400, "malformed request line")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        let minor: Int
        switch version {
        case "HTTP/1.1": minor = 1
        case "HTTP/1.0": minor = 0
        default:
            guard version.hasPrefix("HTTP/") else { throw HTTPParseError(status: 400, "malformed request line") }
            throw HTTPParseError(status: 505, "\(version) is not supported: use HTTP/1.1")
        }
        guard lines.count <= limits.headerFields else { throw HTTPParseError(status: 431, "more than \(limits.headerFields) header fields") }
        var headers = HTTPHeaders()
        for line in lines {
            guard let first = line.first, first != 0x20, first != 0x09 else { throw HTTPParseError(status: 400, "folded header lines are not allowed") }
            guard let colon = line.firstIndex(of: 0x3A), let name = token(line[line.startIndex..<colon]) else {
                throw HTTPParseError(status: 400, "malformed header field")
            }
            let raw = line[(colon + 1)...]
            guard !raw.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                throw HTTPParseError(status: 400, "control character in header field \(name)")
            }
            headers.append(name, String(decoding: raw, as: UTF8.self).trimmingSpaces)
        }
        return HTTPRequest(method: method, target: target, minorVersion: minor, headers: headers)
    }

    /// The head's lines (CRLF-separated).
    private func split(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            if head[index] == 0x0D && index + 1 < head.endIndex && head[index + 1] == 0x0A {
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(head[lineStart..<head.endIndex])
        return lines
    }

    /// An RFC 9110 token (method, field name), or nil.
    private func token(_ bytes: ArraySlice<UInt8>) -> String? {
        let allowed: (UInt8) -> Bool = { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
        guard !bytes.isEmpty, bytes.allSatisfy(allowed) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Visible ASCII (a request target), or nil.
    private func visible(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The body length: 0 without Content-Length; every Content-Length value (and every element
    /// of a comma-separated list of them) must be the same run of at most 18 digits.
    private func contentLength(_ headers: HTTPHeaders) throws(HTTPParseError) -> Int {
        let values = headers.values(for: "Content-Length").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingSpaces) }
        guard let first = values.first else { return 0 }
        guard values.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let length = Int(first)
        else { throw HTTPParseError(status: 400, "invalid Content-Length") }
        return length
    }
}
