import ComputeSim
import Foundation  // Thread, NSCondition, time(2) via Glibc

/// `compute-sim serve` as a library: the simulated cloud behind real HTTP endpoints that
/// unmodified OpenStack clients can drive (Keystone v3 subset, Compute v2.1, Glance v2 and
/// Neutron v2.0 subsets, and `/sim` controls).
///
/// ```swift
/// let server = try SimulatorServer(configuration: CloudConfiguration(), options: options)
/// server.start()                      // serves on a thread of its own
/// print(server.urls.compute)          // http://127.0.0.1:PORT/compute/v2.1
/// server.stop()                       // answers what it read, closes, returns
/// ```
///
/// The simulation stays single-threaded and deterministic: requests are applied to the cloud
/// one at a time (under one lock), in the order they arrive; a connection's requests in the
/// order it sent them. Sockets, HTTP parsing and JSON writing run on ``ServerOptions/ioThreads``
/// event loops in parallel. Which wall-clock moments move simulated time is set by
/// ``ServerOptions/time`` (see ``TimeMode``).
public final class SimulatorServer: @unchecked Sendable {
    // `gateway` is touched only under `cloudLock`; `state` guards `running`.
    private let socket: ListeningSocket
    private let loops: [HTTPListener]
    private var gateway: Gateway
    private let cloudLock = NSLock()
    private let log: (@Sendable (String) -> Void)?
    private let state = NSCondition()
    private var running = 0
    private var started = false

    /// The port the server listens on (the system's choice when the options asked for 0).
    public let port: Int
    /// The public URLs of the services.
    public let urls: ServiceURLs

    /// Builds the cloud and binds the listening socket.
    /// - Parameters:
    ///   - configuration: the cloud to serve (its `apiBaseURL` is replaced by the listener's).
    ///   - options: address, time mode, authentication, users and limits.
    ///   - log: called with one line per request (method, path, status, bytes,
    ///     milliseconds), on the listener's thread; nil logs nothing.
    /// - Throws: ``ServerError``: the address is in use or invalid, or the configuration does
    ///   not make a cloud.
    public init(configuration: CloudConfiguration, options: ServerOptions, log: (@Sendable (String) -> Void)? = nil) throws(ServerError) {
        do {
            socket = try ListeningSocket(host: options.host, port: options.port)
        } catch {
            throw ServerError(.bind, error.message)
        }
        var loops: [HTTPListener] = []
        for _ in 0..<max(1, options.ioThreads) {
            do { loops.append(try HTTPListener(socket: socket, limits: options.limits)) } catch {
                socket.close()
                throw ServerError(.bind, error.message)
            }
        }
        // The first loop accepts and deals connections to all in turn.
        loops[0].peers = loops
        self.loops = loops
        port = socket.port
        let base = "http://\(options.host):\(socket.port)"
        urls = ServiceURLs(base: base)
        var configuration = configuration
        configuration.apiBaseURL = base + "/compute"
        let cloud: ComputeCloud
        do { cloud = try ComputeCloud(configuration: configuration) } catch {
            for loop in loops {
                loop.stop()
                loop.run { _ in HTTPResponse(status: 503) }
            }
            socket.close()
            throw ServerError(.configuration, error.message)
        }
        gateway = Gateway(
            cloud: cloud, options: options, base: base, monotonicNow: MonotonicClock.now, unixNow: { Int64(Date().timeIntervalSince1970) })
        self.log = log
    }

    /// Serves until ``stop()``: the first event loop on the calling thread, the others on
    /// threads of their own; returns when all have stopped and the socket is closed.
    public func run() {
        begin()
        for loop in loops.dropFirst() { spawn(loop) }
        serve(on: loops[0])
        state.lock()
        while running > 0 { state.wait() }
        state.unlock()
    }

    /// Serves on new threads; returns at once.
    public func start() {
        begin()
        for loop in loops { spawn(loop) }
    }

    /// Stops serving: requests already read are answered, sockets closed. Blocks until every
    /// loop has returned.
    public func stop() {
        for loop in loops { loop.stop() }
        state.lock()
        if !started {
            // Never served: let each loop close its pipe, then close the socket.
            started = true
            state.unlock()
            for loop in loops { loop.run { _ in HTTPResponse(status: 503) } }
            socket.close()
            return
        }
        while running > 0 { state.wait() }
        state.unlock()
    }

    private func begin() {
        state.lock()
        started = true
        running = loops.count
        state.unlock()
    }

    private func spawn(_ loop: HTTPListener) {
        let thread = Thread { [self] in serve(on: loop) }
        thread.name = "compute-sim serve"
        thread.start()
    }

    /// Runs one loop; the last loop to finish closes the listening socket.
    private func serve(on loop: HTTPListener) {
        loop.run { [self] request in answer(request) }
        state.lock()
        running -= 1
        if running == 0 { socket.close() }
        state.broadcast()
        state.unlock()
    }

    /// One request: applied to the cloud under the lock, written as HTTP outside it.
    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        let started = log == nil ? 0 : MonotonicClock.now()
        cloudLock.lock()
        let response = gateway.handle(request)
        cloudLock.unlock()
        let http = Gateway.http(response, head: request.method == "HEAD")
        if let log {
            let milliseconds = Double(MonotonicClock.now() - started) / 1e6
            log("\(request.method) \(request.target) \(http.status) \(http.body.count) \(String(format: "%.2f", milliseconds))ms")
        }
        return http
    }

    /// Open client connections, as of the loop's last turn.
    public var openConnections: Int { socket.openConnections }
}

/// Why the server could not start.
public struct ServerError: CodedError {
    public typealias Code = ErrorCode<ServerError>
    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }
}

extension ErrorCode where Domain == ServerError {
    /// The address is in use, not an IPv4 address, or not ours to bind.
    public static var bind: Self { Self("bind") }
    /// The cloud configuration (or scenario) does not make a cloud.
    public static var configuration: Self { Self("configuration") }
}
