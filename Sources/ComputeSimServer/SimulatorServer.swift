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
/// The simulation stays single-threaded and deterministic: requests are applied one at a time,
/// in the order they arrive. Which wall-clock moments move simulated time is set by
/// ``ServerOptions/time`` (see ``TimeMode``).
public final class SimulatorServer: @unchecked Sendable {
    // The gateway is touched only by the listener's thread; `state` guards the rest.
    private let listener: HTTPListener
    private var gateway: Gateway
    private let log: (@Sendable (String) -> Void)?
    private let state = NSCondition()
    private var running = false
    private var served: UInt64 = 0

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
            listener = try HTTPListener(host: options.host, port: options.port, limits: options.limits)
        } catch {
            throw ServerError(.bind, error.message)
        }
        port = listener.port
        let base = "http://\(options.host):\(listener.port)"
        urls = ServiceURLs(base: base)
        var configuration = configuration
        configuration.apiBaseURL = base + "/compute"
        let cloud: ComputeCloud
        do { cloud = try ComputeCloud(configuration: configuration) } catch {
            listener.stop()
            listener.run { _ in HTTPResponse(status: 503) }
            throw ServerError(.configuration, error.message)
        }
        gateway = Gateway(
            cloud: cloud, options: options, base: base, monotonicNow: MonotonicClock.now, unixNow: { Int64(Date().timeIntervalSince1970) })
        self.log = log
    }

    /// Serves on the calling thread until ``stop()``.
    public func run() {
        state.lock()
        running = true
        state.unlock()
        listener.run { [self] request in
            let started = MonotonicClock.now()
            let response = gateway.handle(request)
            if let log {
                let milliseconds = Double(MonotonicClock.now() - started) / 1e6
                log("\(request.method) \(request.target) \(response.status) \(response.body.count) \(String(format: "%.2f", milliseconds))ms")
            }
            served &+= 1
            return response
        }
        state.lock()
        running = false
        state.broadcast()
        state.unlock()
    }

    /// Serves on a new thread; returns at once.
    public func start() {
        state.lock()
        running = true
        state.unlock()
        let thread = Thread { [self] in run() }
        thread.name = "compute-sim serve"
        thread.start()
    }

    /// Stops serving: requests already read are answered, sockets closed. Blocks until the
    /// loop has returned when it was started with ``start()`` or is running.
    public func stop() {
        listener.stop()
        state.lock()
        while running { state.wait() }
        state.unlock()
    }

    /// Open client connections, as of the loop's last turn.
    public var openConnections: Int { listener.openConnections }
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
