import Testing

@testable import ComputeSimServer

struct HTTPRequestParserTests {
    /// Every event the parser gives for `text` fed in pieces of `chunk` bytes, and its error.
    static func events(_ text: String, chunk: Int = .max, limits: HTTPRequestParser.Limits = HTTPRequestParser.Limits()) -> (
        [HTTPRequestParser.Event], HTTPParseError?
    ) {
        var parser = HTTPRequestParser(limits: limits)
        var events: [HTTPRequestParser.Event] = []
        let bytes = Array(text.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + max(1, min(chunk, bytes.count)))
            parser.append(bytes[offset..<end])
            offset = end
            do {
                while let event = try parser.next() { events.append(event) }
            } catch {
                return (events, error)
            }
        } while offset < bytes.count
        return (events, nil)
    }

    static func requests(_ events: [HTTPRequestParser.Event]) -> [HTTPRequest] {
        events.compactMap { if case .request(let request) = $0 { return request } else { return nil } }
    }

    @Test("a GET and a POST with a body, pipelined, come out one by one whatever the pieces the bytes arrive in")
    func pipelinedRequestsInAnyPieces() {
        let text =
            "\r\nGET /compute/v2.1/servers?limit=2 HTTP/1.1\r\nHost: sim\r\nX-Auth-Token:  abc \r\n\r\n"
            + "POST /compute/v2.1/servers HTTP/1.1\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"a\": true}"
        for chunk in [1, 2, 7, 64, .max] {
            let (events, error) = Self.events(text, chunk: chunk)
            #expect(error == nil)
            let requests = Self.requests(events)
            #expect(requests.count == 2, "chunk \(chunk)")
            guard requests.count == 2 else { continue }
            #expect(requests[0].method == "GET" && requests[0].target == "/compute/v2.1/servers?limit=2" && requests[0].body.isEmpty)
            #expect(requests[0].headers["x-auth-token"] == "abc" && requests[0].headers["HOST"] == "sim" && requests[0].keepsAlive)
            #expect(requests[1].method == "POST" && String(decoding: requests[1].body, as: UTF8.self) == #"{"a": true}"#)
        }
    }

    @Test("keep-alive follows the version and the Connection field")
    func keepAlive() {
        let close = Self.requests(Self.events("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0)
        let old = Self.requests(Self.events("GET / HTTP/1.0\r\n\r\n").0)
        let oldKept = Self.requests(Self.events("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").0)
        #expect(close.first?.keepsAlive == false && old.first?.keepsAlive == false && oldKept.first?.keepsAlive == true)
    }

    @Test("Expect: 100-continue asks for Continue once the head is in, then gives the request with its body")
    func expectContinue() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        let first = try parser.next(), second = try parser.next()
        #expect(first == .continueNeeded && second == nil)
        #expect(parser.hasPartialRequest)
        parser.append(Array("abc".utf8))
        let event = try? parser.next()
        guard case .request(let request)? = event else {
            Issue.record("expected a request, got \(String(describing: event))")
            return
        }
        #expect(request.body == Array("abc".utf8) && request.expectsContinue && !parser.hasPartialRequest)
    }

    @Test(
        "hostile or malformed bytes get the status to answer, and the parser stays failed",
        arguments: [
            ("GET /x HTTP/1.1\r\nContent-Length: 114689\r\n\r\n", 413, "the body of 114689 bytes exceeds 114688 bytes"),
            ("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411, "Transfer-Encoding bodies are not supported: send the body with Content-Length"),
            ("GET /x HTTP/2.0\r\n\r\n", 505, "HTTP/2.0 is not supported: use HTTP/1.1"),
            ("GET  /x HTTP/1.1\r\n\r\n", 400, "malformed request line"),
            ("GET /x y HTTP/1.1\r\n\r\n", 400, "malformed request line"),
            ("G(T /x HTTP/1.1\r\n\r\n", 400, "malformed request line"),
            ("GET /x HTTP/1.1\r\nBad Name: 1\r\n\r\n", 400, "malformed header field"),
            ("GET /x HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", 400, "folded header lines are not allowed"),
            ("GET /x HTTP/1.1\r\nA: 1\u{01}\r\n\r\n", 400, "control character in header field A"),
            ("GET /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "invalid Content-Length"),
            ("GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "invalid Content-Length"),
            // Found by the http-parser fuzz harness: an empty list element was skipped.
            ("GET /x HTTP/1.1\r\nContent-Length: , 1\r\n\r\nx", 400, "invalid Content-Length"),
        ])
    func refusals(text: String, status: Int, message: String) {
        let (_, error) = Self.events(text, chunk: 5)
        #expect(error == HTTPParseError(status: status, message))
    }

    @Test("a head over 16 KiB is 431 as soon as that many bytes arrive without its end, and too many fields is 431")
    func headLimits() {
        let trickle = "GET /x HTTP/1.1\r\nX: " + String(repeating: "a", count: 16_400)
        #expect(Self.events(trickle, chunk: 1_000).1 == HTTPParseError(status: 431, "the request line and header fields exceed 16384 bytes"))
        let fields = "GET /x HTTP/1.1\r\n" + (0..<101).map { "F\($0): v\r\n" }.joined() + "\r\n"
        #expect(Self.events(fields).1 == HTTPParseError(status: 431, "more than 100 header fields"))
        var parser = HTTPRequestParser()
        parser.append(Array("GET /x HTTP/3\r\n\r\n".utf8))
        var errors: [HTTPParseError] = []
        for _ in 0..<2 {
            do { _ = try parser.next() } catch { errors.append(error) }
            parser.append(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        }
        #expect(errors == Array(repeating: HTTPParseError(status: 505, "HTTP/3 is not supported: use HTTP/1.1"), count: 2))
    }
}

struct HTTPResponseTests {
    @Test("responses are written with Content-Length, without a body for 204, and with Connection: close when the connection ends")
    func serialization() {
        let json = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "999")]), body: Array("{}".utf8))
        #expect(
            String(decoding: json.serialized(keepAlive: true), as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        let empty = HTTPResponse(status: 204, body: Array("dropped".utf8))
        #expect(String(decoding: empty.serialized(keepAlive: false), as: UTF8.self) == "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        let error = HTTPResponse(HTTPParseError(status: 413, "the body of 5 \"bytes\" exceeds 4 bytes"))
        #expect(
            String(decoding: error.serialized(keepAlive: false), as: UTF8.self)
                == "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\nContent-Length: 74\r\nConnection: close\r\n\r\n"
                + #"{"error":{"code":413,"message":"the body of 5 \"bytes\" exceeds 4 bytes"}}"#)
    }
}
