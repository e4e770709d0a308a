import Foundation  // NSLock

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The limits that keep one client from hurting the others.
public struct ListenerLimits: Hashable, Sendable {
    /// Open connections at most; one more is answered 503 and closed at once.
    public var maximumConnections = 1_024
    /// A connection with no request in progress is closed after this many seconds of silence.
    public var idleTimeout: Double = 60
    /// A request must arrive whole within this many seconds of its first byte (a client that
    /// trickles its headers is answered 408 and closed).
    public var requestTimeout: Double = 10
    /// Responses queued but not yet taken by a client beyond this many bytes: the listener
    /// stops reading that client's requests until it reads its answers.
    public var outboundBytes = 1 << 20
    /// The request parser's limits (head 16 KiB, body 114,688 bytes, 100 header fields).
    public var parser = HTTPRequestParser.Limits()

    public init() {}
}

/// A bound, listening TCP socket shared by the server's event loops, with the count of open
/// connections they hold between them (for the cap).
final class ListeningSocket: @unchecked Sendable {
    let descriptor: Int32
    let port: Int
    private let lock = NSLock()
    private var open = 0

    /// Binds and listens at once, so a port in use is an error here and not later.
    init(host: String, port: Int) throws(SocketError) {
        (descriptor, self.port) = try Socket.listening(host: host, port: port)
    }

    /// Takes a connection slot if fewer than `maximum` are open.
    func reserve(maximum: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard open < maximum else { return false }
        open += 1
        return true
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        lock.lock()
        open -= count
        lock.unlock()
    }

    /// Open connections across every loop.
    var openConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return open
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}

/// One HTTP/1.1 event loop on one thread: a `poll` loop over the shared listening socket and
/// the connections this loop accepted. A server runs one loop per I/O thread; a connection
/// stays on the loop that accepted it, so its requests are answered in order, and the handler
/// is called from every loop (it serialises what must be serialised).
///
/// Keep-alive and pipelining are supported; every connection is non-blocking, so a slow or
/// hostile client costs only its own buffers: it never blocks the loop.
///
/// - Complexity: each turn of the loop is O(c) in the open connections (the `poll` set and the
///   timeout scan), plus the work of the requests it reads.
final class HTTPListener: @unchecked Sendable {
    // Thread confinement: everything but `stopRequested` (under `lock`) and the write end of the
    // wake-up pipe is touched only by the thread inside `run`.
    typealias Handler = (HTTPRequest) -> HTTPResponse

    private let socket: ListeningSocket
    private var listener: Int32 { socket.descriptor }
    private let wake: (read: Int32, write: Int32)
    private let limits: ListenerLimits
    private var connections: [Connection] = []
    /// The index in `connections` of each descriptor (-1: none), rebuilt when entries are dropped.
    private var slots: [Int] = []
    private var poller: Poller
    private var readBuffer = [UInt8](repeating: 0, count: 65_536)
    private let lock = NSLock()
    private var stopRequested = false
    /// Connections accepted by the acceptor loop for this one, not yet taken (under `lock`).
    private var inbox: [Int32] = []
    /// Set on the acceptor loop only: every loop, in the order new connections go to them.
    var peers: [HTTPListener] = []
    private var nextPeer = 0

    struct Connection {
        var descriptor: Int32
        var parser: HTTPRequestParser
        var outbound: [UInt8] = []
        var written = 0
        var closeAfterWrite = false
        var lastActivity: Int64
        /// When the first byte of a request still incomplete arrived.
        var requestStarted: Int64?
        /// What the poller waits for on this connection.
        var interest: Poller.Events = .readable
        var hasPendingOutput: Bool { written < outbound.count }
    }

    init(socket: ListeningSocket, limits: ListenerLimits) throws(SocketError) {
        poller = try Poller()
        wake = try Socket.wakePipe()
        self.socket = socket
        self.limits = limits
    }

    /// Asks the loop to stop: it stops accepting, answers what it has read, gives clients a
    /// moment to take their answers, closes every socket and returns from ``run(_:)``.
    /// Safe from any thread (and, being one `write`, from a signal handler's dispatch source).
    func stop() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Serves until ``stop()``; returns after every socket is closed.
    func run(_ handler: Handler) {
        poller.add(wake.read, .readable)
        if !peers.isEmpty { poller.add(listener, .readable) }
        var nextScan = MonotonicClock.now()
        while !shouldStop {
            let now = MonotonicClock.now()
            if now >= nextScan { nextScan = expire(now: now) }
            dropClosed()
            poller.wait(milliseconds: Int32(max(0, min(1_000, (nextScan - now + 999_999) / 1_000_000))))
            var accepting = false
            for (descriptor, events) in poller.ready {
                if descriptor == wake.read {
                    drainWake()
                    adoptDelivered()
                } else if descriptor == listener {
                    accepting = true
                } else if Int(descriptor) < slots.count, slots[Int(descriptor)] >= 0 {
                    service(slots[Int(descriptor)], events: events, handler: handler)
                }
            }
            dropClosed()
            if accepting { acceptAll() }
        }
        shutDown(handler)
        poller.close()
    }

    /// How often at most the timeout scan runs: often enough for the shortest timeout.
    private var scanInterval: Int64 { Int64(max(0.01, min(1, limits.requestTimeout / 4, limits.idleTimeout / 4)) * 1e9) }

    private func deadline(of connection: Connection) -> Int64 {
        if let started = connection.requestStarted { return started + Int64(limits.requestTimeout * 1e9) }
        return connection.lastActivity + Int64(limits.idleTimeout * 1e9)
    }

    /// Closes idle connections and answers 408 to requests that took too long; returns when
    /// the next scan is due (the nearest deadline, or one scan interval).
    /// - Complexity: O(connections).
    private func expire(now: Int64) -> Int64 {
        var next = now + scanInterval
        var index = connections.count - 1
        while index >= 0 {
            if connections[index].descriptor >= 0 { next = min(next, max(now, deadline(of: connections[index]))) }
            if connections[index].descriptor >= 0, now >= deadline(of: connections[index]) {
                if connections[index].requestStarted != nil && !connections[index].closeAfterWrite {
                    let error = HTTPParseError(status: 408, "the request did not arrive whole within \(Self.seconds(limits.requestTimeout)) seconds")
                    queue(HTTPResponse(error).serialized(keepAlive: false), on: index, closing: true)
                    connections[index].requestStarted = nil
                    connections[index].lastActivity = now
                    flush(index)
                    refreshInterest(index)
                } else {
                    closeConnection(index)
                }
            }
            index -= 1
        }
        return next
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }

    private func drainWake() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wake.read, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Forgets closed connections and gives their slots back.
    private func dropClosed() {
        let before = connections.count
        connections.removeAll { $0.descriptor < 0 }
        guard connections.count < before else { return }
        socket.release(before - connections.count)
        for index in slots.indices { slots[index] = -1 }
        for (index, connection) in connections.enumerated() { slots[Int(connection.descriptor)] = index }
    }

    /// Waits for what the connection needs next: its answers to drain, and its requests while
    /// it is not closing and not too far behind in reading answers.
    private func refreshInterest(_ index: Int) {
        guard connections[index].descriptor >= 0 else { return }
        var wanted: Poller.Events = []
        if connections[index].hasPendingOutput { wanted.insert(.writable) }
        if !connections[index].closeAfterWrite && connections[index].outbound.count - connections[index].written < limits.outboundBytes {
            wanted.insert(.readable)
        }
        if wanted != connections[index].interest {
            poller.change(connections[index].descriptor, wanted)
            connections[index].interest = wanted
        }
    }

    /// Accepts every waiting connection (on the acceptor loop) and deals them to the loops in
    /// turn, so each loop holds an even share.
    private func acceptAll() {
        while let descriptor = Socket.acceptConnection(listener) {
            guard socket.reserve(maximum: limits.maximumConnections) else {
                let error = HTTPParseError(status: 503, "the simulator holds its maximum of \(limits.maximumConnections) connections")
                _ = Socket.write(descriptor, HTTPResponse(error).serialized(keepAlive: false), from: 0)
                close(descriptor)
                continue
            }
            let target = peers[nextPeer % peers.count]
            nextPeer += 1
            if target === self { adopt(descriptor) } else { target.deliver(descriptor) }
        }
    }

    /// Hands an accepted connection to this loop from the acceptor's thread.
    func deliver(_ descriptor: Int32) {
        lock.lock()
        inbox.append(descriptor)
        lock.unlock()
        var byte: UInt8 = 2
        _ = write(wake.write, &byte, 1)
    }

    private func adoptDelivered() {
        lock.lock()
        let delivered = inbox
        inbox.removeAll()
        lock.unlock()
        for descriptor in delivered { adopt(descriptor) }
    }

    private func adopt(_ descriptor: Int32) {
        connections.append(Connection(descriptor: descriptor, parser: HTTPRequestParser(limits: limits.parser), lastActivity: MonotonicClock.now()))
        if Int(descriptor) >= slots.count { slots += [Int](repeating: -1, count: Int(descriptor) + 1 - slots.count) }
        slots[Int(descriptor)] = connections.count - 1
        poller.add(descriptor, .readable)
    }

    private func service(_ index: Int, events: Poller.Events, handler: Handler) {
        defer { refreshInterest(index) }
        if events.contains(.writable) {
            flush(index)
            // Requests held back while the client was not reading its answers.
            if connections[index].descriptor >= 0, !connections[index].closeAfterWrite, connections[index].parser.hasPartialRequest {
                answerBuffered(index, handler: handler)
                flush(index)
            }
        }
        guard connections[index].descriptor >= 0, !connections[index].closeAfterWrite else { return }
        if !events.isDisjoint(with: [.readable, .closed]) { readAndAnswer(index, handler: handler) }
    }

    private func readAndAnswer(_ index: Int, handler: Handler) {
        switch Socket.read(connections[index].descriptor, into: &readBuffer) {
        case .wouldBlock:
            return
        case .closed:
            // A peer that half-closes after pipelining still gets its answers if it reads them.
            if connections[index].hasPendingOutput {
                connections[index].closeAfterWrite = true
                flush(index)
            } else {
                closeConnection(index)
            }
            return
        case .bytes(let count):
            let now = MonotonicClock.now()
            connections[index].lastActivity = now
            connections[index].parser.append(readBuffer[0..<count])
            if connections[index].requestStarted == nil { connections[index].requestStarted = now }
        }
        answerBuffered(index, handler: handler)
        flush(index)
    }

    /// Answers every request the buffered bytes complete.
    private func answerBuffered(_ index: Int, handler: Handler) {
        while !connections[index].closeAfterWrite, connections[index].outbound.count - connections[index].written < limits.outboundBytes {
            let event: HTTPRequestParser.Event?
            do {
                event = try connections[index].parser.next()
            } catch {
                queue(HTTPResponse(error).serialized(keepAlive: false), on: index, closing: true)
                return
            }
            switch event {
            case nil:
                if !connections[index].parser.hasPartialRequest { connections[index].requestStarted = nil }
                return
            case .continueNeeded?:
                queue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), on: index, closing: false)
            case .request(let request)?:
                let keepAlive = request.keepsAlive && !shouldStop
                let response = handler(request)
                prepareOutbound(index)
                response.serialize(keepAlive: keepAlive, appendingTo: &connections[index].outbound)
                if !keepAlive { connections[index].closeAfterWrite = true }
                connections[index].requestStarted = connections[index].parser.hasPartialRequest ? MonotonicClock.now() : nil
            }
        }
    }

    /// Starts the output buffer afresh when everything in it was written.
    private func prepareOutbound(_ index: Int) {
        if connections[index].written == connections[index].outbound.count {
            connections[index].outbound.removeAll(keepingCapacity: true)
            connections[index].written = 0
        }
    }

    private func queue(_ bytes: [UInt8], on index: Int, closing: Bool) {
        prepareOutbound(index)
        connections[index].outbound.append(contentsOf: bytes)
        if closing { connections[index].closeAfterWrite = true }
    }

    /// Writes what the socket takes; closes the connection when it is done or the peer is gone.
    private func flush(_ index: Int) {
        while connections[index].hasPendingOutput {
            guard let count = Socket.write(connections[index].descriptor, connections[index].outbound, from: connections[index].written) else {
                closeConnection(index)
                return
            }
            if count == 0 { return }
            connections[index].written += count
        }
        connections[index].outbound.removeAll(keepingCapacity: connections[index].outbound.count <= 65_536)
        connections[index].written = 0
        if connections[index].closeAfterWrite { closeConnection(index) }
    }

    /// Closes the socket; the entry is dropped at the end of the loop's turn (so indexes stay
    /// valid while the turn runs).
    private func closeConnection(_ index: Int) {
        guard connections[index].descriptor >= 0 else { return }
        poller.remove(connections[index].descriptor)
        close(connections[index].descriptor)
        connections[index].descriptor = -1
        connections[index].outbound = []
        connections[index].written = 0
    }

    /// Answers what was read, lets clients take their answers for up to two seconds, then
    /// closes this loop's connections (the owner closes the listening socket).
    private func shutDown(_ handler: Handler) {
        adoptDelivered()
        for index in connections.indices.reversed() where connections[index].descriptor >= 0 {
            answerBuffered(index, handler: handler)
            connections[index].closeAfterWrite = true
            flush(index)
        }
        let giveUp = MonotonicClock.now() + 2_000_000_000
        while !connections.isEmpty && MonotonicClock.now() < giveUp {
            var pollSet = connections.map { pollfd(fd: $0.descriptor, events: Int16(POLLOUT), revents: 0) }
            guard poll(&pollSet, nfds_t(pollSet.count), 100) >= 0 else { break }
            for index in connections.indices.reversed() where pollSet[index].revents != 0 { flush(index) }
            dropClosed()
        }
        for index in connections.indices { closeConnection(index) }
        dropClosed()
        close(wake.read)
        close(wake.write)
    }
}
