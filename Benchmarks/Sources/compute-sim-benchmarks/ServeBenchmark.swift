// The network front end under load (issue 17): keep-alive clients on loopback against an
// in-process SimulatorServer, and the memory of idle connections.
import ComputeSim
import ComputeSimServer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `serve`: N keep-alive connections issuing `GET /compute/v2.1/servers/{id}` for a while, then
/// create/show/delete mixes, then `idle` connections held open. Prints requests/s, p50 and p99
/// latency per phase, and the resident memory each idle connection costs.
/// Targets: GET >= 20,000 requests/s and p99 < 5 ms at 64 connections.
func serveBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let connections = try options.integer("connections", default: 64)
    let seconds = try options.integer("seconds", default: 5)
    let idle = try options.integer("idle", default: 1_000)
    // By default the machine's two cores are split: one for the server's event loop, one for
    // the load generator's thread, which polls without sleeping so the server's sends never pay
    // to wake it. More threads than cores time-slice, and a descheduled loop leaves its
    // connections waiting a whole slice: the tail the p99 target measures.
    let ioThreads = try options.integer("io-threads", default: 1)
    let clientThreads = try options.integer("client-threads", default: 1)
    let spin = try options.flag("spin", default: true)
    guard connections >= 1, seconds >= 1 else { throw UsageError("--connections and --seconds must be at least 1") }
    var configuration = CloudConfiguration()
    configuration.hosts = (0..<100).map { Host(name: HostName("compute-\($0)"), vcpus: 1_024, memoryMiB: 4_194_304, diskGiB: 100_000) }
    configuration.defaultQuota = .unlimited
    var serverOptions = ServerOptions()
    serverOptions.port = 0
    serverOptions.auth = .noauth
    serverOptions.time = .manual(tickPerRequest: nil)
    serverOptions.limits.maximumConnections = connections + idle + 16
    serverOptions.ioThreads = max(1, ioThreads)
    let server: SimulatorServer
    do { server = try SimulatorServer(configuration: configuration, options: serverOptions) } catch { throw UsageError(error.message) }
    server.start()
    defer { server.stop() }

    let create = #"{"server": {"name": "bench", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#
    var ids: [String] = []
    do {
        let client = try BenchClient(port: server.port)
        for _ in 0..<100 {
            let response = try client.exchange(BenchClient.request("POST", "/compute/v2.1/servers", body: create))
            guard response.status == 202, let id = try? JSONValue(parsing: response.body)["server"]?["id"]?.stringValue else {
                throw UsageError("self-check failed: create answered \(response.status)")
            }
            ids.append(id)
        }
    } catch let error as UsageError {
        throw error
    } catch {
        throw UsageError("\(error)")
    }

    var lines: [String] = []
    // `--path P` measures one fixed path instead (e.g. `/`, which never touches the cloud: the
    // floor the transport and the load generator set).
    let gets = options.value("path").map { [BenchClient.request("GET", $0)] } ?? ids.map { BenchClient.request("GET", "/compute/v2.1/servers/\($0)") }
    // One client thread per core keeps the load generator's own scheduling out of the
    // latencies (64 blocking client threads on 2 cores measure the kernel's scheduler).
    lines.append(
        try runLoad("serve-get", connections: connections, seconds: seconds, port: server.port, threads: clientThreads, spin: spin) { _, turn, _ in
            gets[turn % gets.count]
        })
    let post = BenchClient.request("POST", "/compute/v2.1/servers", body: create)
    lines.append(
        try runLoad(
            "serve-create-show-delete", connections: connections, seconds: seconds, port: server.port, stepsPerTurn: 3, threads: clientThreads, spin: spin
        ) { step, _, previous in
            switch step {
            case 0: return post
            default:
                // The id from the create's answer; the show and delete use it.
                guard let id = previous.flatMap({ try? JSONValue(parsing: $0)["server"]?["id"]?.stringValue }) ?? nil else { return nil }
                return BenchClient.request(step == 1 ? "GET" : "DELETE", "/compute/v2.1/servers/\(id)")
            }
        })

    // Idle connections: resident memory before and after opening them, and a request still
    // answered while they are open.
    let before = residentBytes()
    var held: [BenchClient] = []
    do {
        for _ in 0..<idle { held.append(try BenchClient(port: server.port)) }
        // Let the listener accept them all.
        var waited = 0
        while server.openConnections < idle && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        let after = residentBytes()
        let probe = try BenchClient(port: server.port)
        let started = DispatchTime.now().uptimeNanoseconds
        let answered = try probe.exchange(gets[0]).status == 200
        let probeMicroseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000
        var line = JSONLine()
        line.add("benchmark", "serve-idle")
        line.add("idleConnections", server.openConnections - 1)
        line.add("residentBytesBefore", before)
        line.add("residentBytesAfter", after)
        line.add("bytesPerIdleConnection", idle > 0 ? Double(after - before) / Double(idle) : 0)
        line.add("requestAnsweredWhileHeld", answered)
        line.add("requestMicroseconds", probeMicroseconds)
        lines.append(line.text)
    } catch {
        throw UsageError("idle phase: \(error)")
    }
    _ = held.count
    return lines
}

/// A lean blocking HTTP/1.1 client: prebuilt request bytes out, one `Content-Length` response in.
final class BenchClient: @unchecked Sendable {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Allocated on the first read, so idle connections cost the client side nothing.
    private var chunk: [UInt8] = []

    static func request(_ method: String, _ path: String, body: String? = nil) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: bench:bench\r\n"
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body } else { text += "\r\n" }
        return Array(text.utf8)
    }

    init(port: Int) throws {
        guard let descriptor = connectLoopback(port: port) else { throw Failure(description: "connect: errno \(errno)") }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func exchange(_ request: [UInt8]) throws -> Response {
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw Failure(description: "send: errno \(errno)") }
        while true {
            if let (status, body) = takeResponse(&buffer) { return Response(status: status, body: body) }
            try fill()
        }
    }

    private func fill() throws {
        if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 65_536) }
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: "connection closed (errno \(errno))") }
        buffer += chunk[0..<count]
    }
}
