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

/// One HTTP/1.1 listener on one thread: a `poll` loop over the listening socket and every open
/// connection. Requests are handed to the handler one at a time, in the order their last byte
/// was read, so the handler needs no locking and a simulation behind it stays single-threaded.
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

    let port: Int
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let limits: ListenerLimits
    private var connections: [Connection] = []
    private var readBuffer = [UInt8](repeating: 0, count: 65_536)
    private let lock = NSLock()
    private var stopRequested = false
    private var openCount = 0

    struct Connection {
        var descriptor: Int32
        var parser: HTTPRequestParser
        var outbound: [UInt8] = []
        var written = 0
        var closeAfterWrite = false
        var lastActivity: Int64
        /// When the first byte of a request still incomplete arrived.
        var requestStarted: Int64?
        var hasPendingOutput: Bool { written < outbound.count }
    }

    /// Binds and listens at once, so a port in use is an error here and not later.
    init(host: String, port: Int, limits: ListenerLimits) throws(SocketError) {
        let (descriptor, actual) = try Socket.listening(host: host, port: port)
        do {
            wake = try Socket.wakePipe()
        } catch {
            close(descriptor)
            throw error
        }
        self.listener = descriptor
        self.port = actual
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
        var pollSet: [pollfd] = []
        while !shouldStop {
            let now = MonotonicClock.now()
            expire(now: now)
            connections.removeAll { $0.descriptor < 0 }
            pollSet.removeAll(keepingCapacity: true)
            pollSet.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
            pollSet.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                var events: Int16 = 0
                if connection.hasPendingOutput { events |= Int16(POLLOUT) }
                if !connection.closeAfterWrite && connection.outbound.count - connection.written < limits.outboundBytes { events |= Int16(POLLIN) }
                pollSet.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
            }
            let ready = poll(&pollSet, nfds_t(pollSet.count), timeoutMilliseconds(now: now))
            guard ready > 0 else { continue }
            if pollSet[0].revents != 0 { drainWake() }
            // Connections first (the indexes of pollSet match `connections` until we accept).
            var index = connections.count - 1
            while index >= 0 {
                let revents = pollSet[index + 2].revents
                if revents != 0 { service(index, revents: revents, handler: handler) }
                index -= 1
            }
            connections.removeAll { $0.descriptor < 0 }
            if pollSet[1].revents != 0 { acceptAll() }
            publishCount()
        }
        shutDown(handler)
    }

    /// Milliseconds until the nearest timeout, at most one second.
    private func timeoutMilliseconds(now: Int64) -> Int32 {
        var nearest = now + 1_000_000_000
        for connection in connections where connection.descriptor >= 0 { nearest = min(nearest, deadline(of: connection)) }
        return Int32(max(0, min(1_000, (nearest - now + 999_999) / 1_000_000)))
    }

    private func deadline(of connection: Connection) -> Int64 {
        if let started = connection.requestStarted { return started + Int64(limits.requestTimeout * 1e9) }
        return connection.lastActivity + Int64(limits.idleTimeout * 1e9)
    }

    /// Closes idle connections and answers 408 to requests that took too long.
    private func expire(now: Int64) {
        var index = connections.count - 1
        while index >= 0 {
            if connections[index].descriptor >= 0, now >= deadline(of: connections[index]) {
                if connections[index].requestStarted != nil && !connections[index].closeAfterWrite {
                    let error = HTTPParseError(status: 408, "the request did not arrive whole within \(Self.seconds(limits.requestTimeout)) seconds")
                    queue(HTTPResponse(error).serialized(keepAlive: false), on: index, closing: true)
                    connections[index].requestStarted = nil
                    connections[index].lastActivity = now
                    flush(index)
                } else {
                    closeConnection(index)
                }
            }
            index -= 1
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }

    private func drainWake() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wake.read, $0.baseAddress, $0.count) }) > 0 {}
    }

    private func acceptAll() {
        while let descriptor = Socket.acceptConnection(listener) {
            guard connections.count < limits.maximumConnections else {
                let error = HTTPParseError(status: 503, "the simulator holds its maximum of \(limits.maximumConnections) connections")
                _ = Socket.write(descriptor, HTTPResponse(error).serialized(keepAlive: false), from: 0)
                close(descriptor)
                continue
            }
            connections.append(Connection(descriptor: descriptor, parser: HTTPRequestParser(limits: limits.parser), lastActivity: MonotonicClock.now()))
        }
    }

    private func service(_ index: Int, revents: Int16, handler: Handler) {
        if revents & Int16(POLLOUT) != 0 {
            flush(index)
            // Requests held back while the client was not reading its answers.
            if connections[index].descriptor >= 0, !connections[index].closeAfterWrite, connections[index].parser.hasPartialRequest {
                answerBuffered(index, handler: handler)
                flush(index)
            }
        }
        guard connections[index].descriptor >= 0, !connections[index].closeAfterWrite else { return }
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readAndAnswer(index, handler: handler) }
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
                queue(response.serialized(keepAlive: keepAlive), on: index, closing: !keepAlive)
                connections[index].requestStarted = connections[index].parser.hasPartialRequest ? MonotonicClock.now() : nil
            }
        }
    }

    private func queue(_ bytes: [UInt8], on index: Int, closing: Bool) {
        if connections[index].written == connections[index].outbound.count {
            connections[index].outbound.removeAll(keepingCapacity: true)
            connections[index].written = 0
        }
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
        close(connections[index].descriptor)
        connections[index].descriptor = -1
        connections[index].outbound = []
        connections[index].written = 0
    }

    /// Stops accepting, answers what was read, lets clients take their answers for up to two
    /// seconds, then closes everything.
    private func shutDown(_ handler: Handler) {
        close(listener)
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
            connections.removeAll { $0.descriptor < 0 }
        }
        for connection in connections where connection.descriptor >= 0 { close(connection.descriptor) }
        connections.removeAll()
        close(wake.read)
        close(wake.write)
        publishCount()
    }

    /// Open connections as of the loop's last turn (readable from any thread).
    var openConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return openCount
    }

    private func publishCount() {
        lock.lock()
        openCount = connections.count
        lock.unlock()
    }
}
