// The HTTP request parser: any bytes, in any pieces, give the same requests and the same error
// as when they arrive at once; every request's body is exactly its Content-Length; nothing traps.
func fuzzHTTPParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let input = Array(bytes.dropFirst())
    // The first byte picks the piece size the second pass feeds (1 to 256 bytes).
    let piece = Int(first) + 1
    func events(inPiecesOf size: Int) -> ([HTTPRequest], HTTPParseError?) {
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []
        var offset = 0
        repeat {
            let end = min(input.count, offset + size)
            parser.append(input[offset..<end])
            offset = end
            do {
                while let event = try parser.next() { if case .request(let request) = event { requests.append(request) } }
            } catch {
                return (requests, error)
            }
        } while offset < input.count
        return (requests, nil)
    }
    let whole = events(inPiecesOf: max(1, input.count))
    let pieces = events(inPiecesOf: piece)
    if whole.0 != pieces.0 || whole.1 != pieces.1 {
        finding(
            "pieces of \(piece) bytes gave \(pieces.0.count) requests and \(String(describing: pieces.1)), at once \(whole.0.count) and \(String(describing: whole.1))"
        )
    }
    // (The parser accepted the request, so every Content-Length element is the same number.)
    func declared(_ request: HTTPRequest) -> Int {
        guard let value = request.headers["Content-Length"], let element = value.split(separator: ",", omittingEmptySubsequences: false).first else { return 0 }
        return Int(element.trimmingSpaces) ?? -1
    }
    for request in whole.0 where request.body.count != declared(request) {
        finding("a body of \(request.body.count) bytes for Content-Length \(request.headers["Content-Length"] ?? "none")")
    }
}
