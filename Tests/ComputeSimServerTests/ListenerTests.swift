import ComputeSim
import Foundation
import Testing

@testable import ComputeSimServer

@Suite("The listener protects the process from hostile clients")
struct ListenerTests {
    @Test("Pipelined requests on one connection are answered in order, and Connection: close ends it after the answer")
    func pipelining() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(
                "GET /compute/v2.1 HTTP/1.1\r\nHost: x\r\n\r\nGET /identity/v3 HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n")
            let first = try client.readResponse(), second = try client.readResponse(), third = try client.readResponse()
            #expect(first.text.contains(#""id":"v2.1""#))
            #expect(second.text.contains(#""id":"v3.14""#))
            #expect(third.status == 404)
            #expect(third.header("Connection") == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent, then the answer")
    func expectContinue() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /identity/v3/auth/tokens HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(demoSignIn.utf8.count)\r\n\r\n")
            let interim = try client.readResponse(bodyExpected: false)
            #expect(interim.status == 100)
            try client.send(demoSignIn)
            #expect(try client.readResponse().status == 201)
        }
    }

    @Test("A head over 16 KiB is 431 and a declared body over 114,688 bytes is 413 before it is sent; both close the connection")
    func oversizedRequests() throws {
        try withServer { server in
            let headers = try TestClient(port: server.port)
            try headers.send("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 17_000) + "\r\n\r\n")
            let tooLarge = try headers.readResponse()
            #expect(tooLarge.status == 431)
            #expect(tooLarge.text == #"{"error":{"code":431,"message":"the request line and header fields exceed 16384 bytes"}}"#)
            #expect(headers.isClosedByServer())
            let body = try TestClient(port: server.port)
            try body.send("POST /compute/v2.1/servers HTTP/1.1\r\nContent-Length: 114689\r\n\r\n")
            let refused = try body.readResponse()
            #expect(refused.status == 413)
            #expect(refused.text == #"{"error":{"code":413,"message":"the body of 114689 bytes exceeds 114688 bytes"}}"#)
            #expect(body.isClosedByServer())
        }
    }

    @Test("A client trickling its head is answered 408 and dropped, while another client is served meanwhile")
    func slowClientIsDropped() throws {
        var limits = ListenerLimits()
        limits.requestTimeout = 0.3
        try withServer(limits: limits) { server in
            let slow = try TestClient(port: server.port)
            try slow.send("GET /compute/v2.1 HTTP/1.1\r\nHo")
            let other = try TestClient(port: server.port)
            #expect(try other.request("GET", "/compute/v2.1").status == 200)
            let timedOut = try slow.readResponse()
            #expect(timedOut.status == 408)
            #expect(timedOut.text == #"{"error":{"code":408,"message":"the request did not arrive whole within 0.3 seconds"}}"#)
            #expect(slow.isClosedByServer())
            #expect(try other.request("GET", "/identity/v3").status == 200)
        }
    }

    @Test("An idle connection is closed after the idle timeout")
    func idleConnectionIsClosed() throws {
        var limits = ListenerLimits()
        limits.idleTimeout = 0.2
        try withServer(limits: limits) { server in
            let client = try TestClient(port: server.port)
            #expect(try client.request("GET", "/compute/v2.1").status == 200)
            #expect(client.isClosedByServer())
        }
    }

    @Test("Beyond the connection cap a new connection is answered 503 and closed; the held ones keep working")
    func connectionCap() throws {
        var limits = ListenerLimits()
        limits.maximumConnections = 2
        try withServer(limits: limits) { server in
            let first = try TestClient(port: server.port), second = try TestClient(port: server.port)
            #expect(try first.request("GET", "/compute/v2.1").status == 200)
            #expect(try second.request("GET", "/compute/v2.1").status == 200)
            let third = try TestClient(port: server.port)
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.text == #"{"error":{"code":503,"message":"the simulator holds its maximum of 2 connections"}}"#)
            #expect(try first.request("GET", "/identity/v3").status == 200)
            #expect(server.openConnections == 2)
        }
    }

    @Test("Stopping answers the request already read, then closes every connection and the listening socket")
    func stopClosesEverything() throws {
        var options = ServerOptions()
        options.port = 0
        let server = try SimulatorServer(configuration: CloudConfiguration(), options: options)
        server.start()
        let client = try TestClient(port: server.port)
        #expect(try client.request("GET", "/compute/v2.1").status == 200)
        server.stop()
        #expect(client.isClosedByServer())
        #expect(throws: TestClient.Failure.self) { _ = try TestClient(port: server.port) }
    }

    @Test("Bytes that are not HTTP get a 400 JSON answer and a closed connection; the server keeps serving")
    func garbageIsRefused() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x0D, 0x0A, 0x0D, 0x0A])
            let refused = try client.readResponse()
            #expect(refused.status == 400)
            #expect(refused.header("Content-Type") == "application/json")
            #expect(client.isClosedByServer())
            #expect(try TestClient(port: server.port).request("GET", "/compute/v2.1").status == 200)
        }
    }
}
