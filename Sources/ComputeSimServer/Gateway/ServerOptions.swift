import ComputeSim
import SimulationKernel

/// How `compute-sim serve` checks callers.
public enum AuthMode: String, Hashable, Sendable {
    /// Keystone tokens: sign in at `/identity/v3/auth/tokens` with a user of the scenario.
    case keystone
    /// Nova's noauth2: `X-Auth-Token: user:project` (an `admin` user is an administrator).
    case noauth
}

/// Everything the server needs besides the cloud.
public struct ServerOptions: Hashable, Sendable {
    /// An IPv4 address to listen on (default loopback only).
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (what tests use).
    public var port = 8774
    public var time = TimeMode.speed(1)
    public var auth = AuthMode.keystone
    public var users = CloudUser.defaults
    public var limits = ListenerLimits()
    /// Event loops (threads) for sockets, HTTP and JSON writing; the cloud itself is always
    /// used by one request at a time.
    public var ioThreads = 2
    /// The seed of the identity service's token stream.
    public var seed: UInt64 = 1

    public init() {}
}

/// The public URLs of the four services and the control endpoint, on the listener's address.
public struct ServiceURLs: Hashable, Sendable {
    public var identity: String
    public var compute: String
    public var image: String
    public var network: String
    public var control: String

    init(base: String) {
        identity = base + "/identity/v3"
        compute = base + "/compute/v2.1"
        image = base + "/image"
        network = base + "/network"
        control = base + "/sim"
    }

    /// The line `serve` prints on start: `{"compute":…,"control":…,"identity":…,"image":…,"network":…}`.
    public var json: String {
        JSONValue.object([
            ("compute", .string(compute)), ("control", .string(control)), ("identity", .string(identity)), ("image", .string(image)),
            ("network", .string(network)),
        ]).canonicalText
    }
}
