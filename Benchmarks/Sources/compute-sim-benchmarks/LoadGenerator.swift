// An event-driven HTTP load generator: a few threads, each holding many keep-alive connections
// with one request outstanding per connection (as wrk does), so the figures measure the server
// and not the scheduling of one client thread per connection.
import ComputeSim
import Foundation

#if canImport(Glibc)
    import Glibc
    import CLoadShims
#endif

/// Makes a connection's next request: from the step within the turn, the connection's turn
/// number and the previous answer's body (for steps that use it); nil fails the turn.
typealias NextRequest = @Sendable (_ step: Int, _ turn: Int, _ previous: [UInt8]?) -> [UInt8]?

private final class LoadResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [UInt64] = []
    private(set) var problems: [String] = []

    func add(_ values: [UInt64], problem: String?) {
        lock.lock()
        latencies += values
        if let problem { problems.append(problem) }
        lock.unlock()
    }
}

/// Runs `connections` connections over `threads` threads for `seconds`; each turn is
/// `stepsPerTurn` requests in a row on one connection, every answer 2xx. Returns the JSON line.
func runLoad(
    _ name: String, connections: Int, seconds: Int, port: Int, stepsPerTurn: Int = 1, threads: Int = 2, spin: Bool = false,
    next: @escaping NextRequest
) throws(UsageError) -> String {
    let results = LoadResults()
    let group = DispatchGroup()
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds) * 1_000_000_000
    let threadCount = max(1, min(threads, connections))
    for threadIndex in 0..<threadCount {
        let mine = stride(from: threadIndex, to: connections, by: threadCount).map { $0 }
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            var generator = LoadThread(totalConnections: connections, port: port, stepsPerTurn: stepsPerTurn, next: next)
            let problem = generator.run(until: deadline, firstTurns: mine, spin: spin)
            results.add(generator.latencies, problem: problem)
        }
        thread.start()
    }
    group.wait()
    guard results.problems.isEmpty else { throw UsageError("self-check failed in \(name): \(results.problems.prefix(3))") }
    let sorted = results.latencies.sorted()
    func percentile(_ p: Double) -> Double {
        sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1_000_000
    }
    var line = JSONLine()
    line.add("benchmark", name)
    line.add("connections", connections)
    line.add("turns", sorted.count)
    line.add("requestsPerSecond", Double(sorted.count * stepsPerTurn) / Double(seconds))
    line.add("p50Milliseconds", percentile(0.5))
    line.add("p99Milliseconds", percentile(0.99))
    return line.text
}

/// One load thread: its connections, polled together.
private struct LoadThread {
    struct Connection {
        var descriptor: Int32
        var buffer: [UInt8] = []
        var step = 0
        var turn: Int
        var turnStarted: UInt64 = 0
    }

    var connections: [Connection] = []
    var latencies: [UInt64] = []
    let stepsPerTurn: Int
    let next: NextRequest
    let port: Int
    /// Every connection of the run: a connection's turn numbers step by it, so no two share one.
    let totalConnections: Int

    init(totalConnections: Int, port: Int, stepsPerTurn: Int, next: @escaping NextRequest) {
        self.totalConnections = totalConnections
        self.port = port
        self.stepsPerTurn = stepsPerTurn
        self.next = next
        latencies.reserveCapacity(200_000)
    }

    /// With `spin`, the thread polls without sleeping, so the server's sends never pay for
    /// waking it (for a generator with a core of its own).
    mutating func run(until deadline: UInt64, firstTurns: [Int], spin: Bool) -> String? {
        for turn in firstTurns {
            guard let descriptor = connectLoopback(port: port) else { return "connect failed: errno \(errno)" }
            connections.append(Connection(descriptor: descriptor, turn: turn))
        }
        defer { for connection in connections { close(connection.descriptor) } }
        for index in connections.indices {
            connections[index].turnStarted = DispatchTime.now().uptimeNanoseconds
            if let problem = send(index, previous: nil) { return problem }
        }
        // epoll: registered once, each wait costs O(ready), not O(connections) (poll's scan of
        // every socket was a quarter of this thread's time).
        let epoll = epoll_create1(0)
        guard epoll >= 0 else { return "epoll_create1 failed: errno \(errno)" }
        defer { close(epoll) }
        for index in connections.indices {
            var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64(index)))
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, connections[index].descriptor, &event) == 0 else { return "epoll_ctl failed: errno \(errno)" }
        }
        var ready = [epoll_event](repeating: epoll_event(), count: max(1, connections.count))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            let count = epoll_wait(epoll, &ready, Int32(ready.count), spin ? 0 : 100)
            guard count >= 0 || errno == EINTR else { return "epoll_wait failed: errno \(errno)" }
            for slot in 0..<Int(max(0, count)) {
                let index = Int(ready[slot].data.u64)
                let received = chunk.withUnsafeMutableBytes { recv(connections[index].descriptor, $0.baseAddress, $0.count, 0) }
                guard received > 0 else { return "the server closed a connection" }
                connections[index].buffer += chunk[0..<received]
                guard let (status, body) = takeResponse(&connections[index].buffer) else { continue }
                guard (200..<300).contains(status) else { return "answer \(status): \(String(decoding: body, as: UTF8.self))" }
                connections[index].step += 1
                if connections[index].step == stepsPerTurn {
                    let now = DispatchTime.now().uptimeNanoseconds
                    latencies.append(now - connections[index].turnStarted)
                    connections[index].step = 0
                    connections[index].turn += totalConnections
                    connections[index].turnStarted = now
                }
                if let problem = send(index, previous: body) { return problem }
            }
        }
        return nil
    }

    private func send(_ index: Int, previous: [UInt8]?) -> String? {
        guard let request = next(connections[index].step, connections[index].turn, previous) else { return "no request for step \(connections[index].step)" }
        let sent = request.withUnsafeBytes { Glibc.send(connections[index].descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return sent == request.count ? nil : "send failed: errno \(errno)"
    }
}

/// A TCP connection to 127.0.0.1:`port` with Nagle off, or nil (errno says why).
func connectLoopback(port: Int) -> Int32? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else {
        close(descriptor)
        return nil
    }
    var yes: Int32 = 1
    setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    return descriptor
}

/// A whole response at the front of `buffer` (status and body), removed from it; nil when
/// more bytes are needed. The server writes `HTTP/1.1 NNN` and `Content-Length: N` so.
func takeResponse(_ buffer: inout [UInt8]) -> (Int, [UInt8])? {
    guard buffer.count >= 16 else { return nil }
    var end = -1
    for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
        end = index
        break
    }
    guard end >= 0 else { return nil }
    func digits(from start: Int) -> Int {
        var value = 0
        var index = start
        while index < end, buffer[index] >= 48, buffer[index] <= 57 {
            value = value * 10 + Int(buffer[index] - 48)
            index += 1
        }
        return value
    }
    let field = Array("\r\nContent-Length: ".utf8)
    var length = 0
    var index = 0
    while index + field.count <= end {
        if buffer[index] == 13, buffer[index..<(index + field.count)].elementsEqual(field) {
            length = digits(from: index + field.count)
            break
        }
        index += 1
    }
    guard buffer.count >= end + 4 + length else { return nil }
    let body = Array(buffer[(end + 4)..<(end + 4 + length)])
    let status = digits(from: 9)
    buffer.removeFirst(end + 4 + length)
    return (status, body)
}
