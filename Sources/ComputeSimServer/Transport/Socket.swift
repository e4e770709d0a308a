#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed socket call: which call, on what, and the system's reason.
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed (`bind`, `listen`, …).
    public var operation: String
    /// `errno` after the call.
    public var errorNumber: Int32
    /// One line for a person: `cannot bind 127.0.0.1:8774: Address already in use`.
    public var message: String
    public var description: String { message }

    init(_ operation: String, _ what: String, errorNumber: Int32 = errno) {
        self.operation = operation
        self.errorNumber = errorNumber
        self.message = "cannot \(operation) \(what): \(String(cString: strerror(errorNumber)))"
    }
}

/// Thin wrappers over the POSIX calls the listener needs. Every descriptor is non-blocking and
/// close-on-exec; writes never raise SIGPIPE.
enum Socket {
    /// A TCP socket listening on `host:port` (an IPv4 dotted address; port 0 asks the system
    /// for a free one), and the port it got.
    static func listening(host: String, port: Int, backlog: Int32 = 1024) throws(SocketError) -> (descriptor: Int32, port: Int) {
        let what = "\(host):\(port)"
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        guard (0...65_535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SocketError("bind", what + " (not an IPv4 address and port)", errorNumber: EINVAL)
        }
        #if canImport(Darwin)
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #else
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard descriptor >= 0 else { throw SocketError("open a socket for", what) }
        var yes: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let error = SocketError("bind", what)
            close(descriptor)
            throw error
        }
        guard listen(descriptor, backlog) == 0 else {
            let error = SocketError("listen on", what)
            close(descriptor)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        setNonBlocking(descriptor)
        return (descriptor, Int(UInt16(bigEndian: actual.sin_port)))
    }

    /// The next pending connection, or nil when none is waiting (or accepting failed: the
    /// listener goes on either way).
    static func acceptConnection(_ listener: Int32) -> Int32? {
        let descriptor = accept(listener, nil, nil)
        guard descriptor >= 0 else { return nil }
        setNonBlocking(descriptor)
        var yes: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return descriptor
    }

    static func setNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    /// What one non-blocking read gave.
    enum ReadResult {
        case bytes(Int)
        case wouldBlock
        case closed
    }

    /// Reads into `buffer`; an error other than "try again" counts as the peer closing.
    static func read(_ descriptor: Int32, into buffer: inout [UInt8]) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(count) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .closed
    }

    /// Writes what it can of `bytes[offset...]`: the bytes written, 0 when the socket is full,
    /// nil when the peer is gone.
    static func write(_ descriptor: Int32, _ bytes: [UInt8], from offset: Int) -> Int? {
        #if canImport(Darwin)
            let flags: Int32 = 0
        #else
            let flags = Int32(MSG_NOSIGNAL)
        #endif
        guard offset < bytes.count else { return 0 }
        let count = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return send(descriptor, base + offset, raw.count - offset, flags)
        }
        if count >= 0 { return count }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
        return nil
    }

    /// A pipe whose read end wakes the listener's `poll` (both ends non-blocking).
    static func wakePipe() throws(SocketError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SocketError("create", "the wake-up pipe") }
        setNonBlocking(ends[0])
        setNonBlocking(ends[1])
        return (ends[0], ends[1])
    }
}

/// Monotonic time in nanoseconds: for timeouts and the speed of virtual time, never for the
/// simulation's own clock.
enum MonotonicClock {
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
