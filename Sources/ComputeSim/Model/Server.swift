/// A recorded fault, shown on ERROR servers (Nova's `fault`: code, message, created).
public struct ServerFault: Hashable, Sendable {
    /// What went wrong, in the engine's terms (the API maps it to Nova's fault code).
    public enum Kind: Hashable, Sendable {
        /// Placement found no host (Nova's NoValidHost).
        case noValidHost
        /// The build stopped: an injected failure, a taken fixed IP, an exhausted network.
        case buildAborted
        /// A reschedulable build failure ran out of alternate hosts.
        case retriesExhausted
        /// The server's host failed and took the server with it.
        case hostLost
        /// The image's password policy refused the admin password at boot.
        case passwordRejected
    }

    public var kind: Kind
    public var message: String
    public var created: SimTime

    /// A fault of `kind`; the message is cut to Nova's 255 characters.
    public init(_ kind: Kind, message: String, created: SimTime) {
        self.kind = kind
        self.message = String(message.prefix(255))
        self.created = created
    }
}

/// A snapshot of one server as the cloud reports it at one instant.
///
/// `status` is derived from (vmState, taskState) by Nova's table, except that a server whose
/// host is down reports UNKNOWN (ComputeSim's product rule). `progress` is present only for the
/// statuses Nova reports it for. The admin password is never part of a snapshot.
public struct Server: Hashable, Sendable {
    public var id: ServerID
    public var name: String
    public var project: ProjectID
    public var user: String
    public var status: ServerStatus
    public var vmState: VMState
    public var taskState: TaskState?
    public var powerState: PowerState
    /// 0 to 100 during BUILD, REBUILD, RESIZE and MIGRATING; nil for statuses without progress.
    public var progress: Int?
    public var flavor: Flavor {
        get { flavorStorage.value }
        set { flavorStorage = Shared(newValue) }
    }
    public var image: Image {
        get { imageStorage.value }
        set { imageStorage = Shared(newValue) }
    }
    /// The host, or nil (still scheduling, NoValidHost, shelved offloaded, lost).
    public var host: HostName?
    /// Nova's per-project hostId of `host` ("" without a host).
    public var hostID: String
    public var availabilityZone: AvailabilityZone? {
        get { details.value.availabilityZone }
        set { if newValue != availabilityZone { update { $0.availabilityZone = newValue } } }
    }
    public var group: ServerGroupID?
    public var launchedAt: SimTime?
    public var created: SimTime
    public var updated: SimTime
    public var isLocked: Bool
    /// Whether the lock was set by an administrator (only an administrator may then unlock).
    public var isLockedByAdmin: Bool
    public var fault: ServerFault? {
        get { details.value.fault }
        set { if newValue != fault { update { $0.fault = newValue } } }
    }
    public var metadata: [String: String]
    public var shutdownTerminate: Bool
    /// Fixed addresses on the network (empty while BUILD, as Nova shows them).
    public var addresses: [ServerAddress]
    /// `OS-DCF:diskConfig`: MANUAL unless AUTO was requested or the image asks for it.
    public var diskConfig: DiskConfig
    /// The user's description (microversion 2.19+), nil when unset.
    public var description: String? {
        get { details.value.description }
        set { if newValue != description { update { $0.description = newValue } } }
    }
    /// The access addresses the user set (normalised), "" when unset.
    public var accessIPv4: String {
        get { details.value.accessIPv4 }
        set { if newValue != accessIPv4 { update { $0.accessIPv4 = newValue } } }
    }
    public var accessIPv6: String {
        get { details.value.accessIPv6 }
        set { if newValue != accessIPv6 { update { $0.accessIPv6 = newValue } } }
    }
    /// The port's MAC address (Neutron's `fa:16:3e` prefix, the rest from the ids stream).
    public var macAddress: String?
    /// The server's tags (microversion 2.26+), sorted and unique, at most 50.
    public var tags: [String] {
        get { details.value.tags }
        set { if newValue != tags { update { $0.tags = newValue } } }
    }
    /// The key pair the server was booted (or rebuilt) with, nil for none.
    public var keyName: String? {
        get { details.value.keyName }
        set { if newValue != keyName { update { $0.keyName = newValue } } }
    }
    /// When the server was deleted (`OS-SRV-USG:terminated_at`), nil while it exists.
    public var terminatedAt: SimTime? {
        get { details.value.terminatedAt }
        set { if newValue != terminatedAt { update { $0.terminatedAt = newValue } } }
    }

    // Storage. The catalog flavor and image are shared boxes (the engine gives every server of
    // one flavor the same box); the rarely set details share one empty box until set. A stored
    // server is about 250 bytes instead of 470, and copying one retains 3 boxes, not 12 strings.
    var flavorStorage: Shared<Flavor>
    var imageStorage: Shared<Image>
    var details: Shared<ServerDetails>

    private mutating func update(_ change: (inout ServerDetails) -> Void) {
        var value = details.value
        change(&value)
        details = value == ServerDetails() ? ServerDetails.empty : Shared(value)
    }
}

/// A server's fields that most servers never set, stored apart (see ``Server``).
struct ServerDetails: Hashable, Sendable {
    var availabilityZone: AvailabilityZone?
    var fault: ServerFault?
    var description: String?
    var accessIPv4 = ""
    var accessIPv6 = ""
    var terminatedAt: SimTime?
    var keyName: String?
    var tags: [String] = []

    /// The box every server without details shares.
    static let empty = Shared(ServerDetails())
}

/// How a server's disk was partitioned (`OS-DCF:diskConfig`).
public enum DiskConfig: String, Hashable, Sendable, Codable, CaseIterable {
    /// The disk is resized to the flavor and the filesystem grown to fill it.
    case auto = "AUTO"
    /// The image's partitions are kept as they are.
    case manual = "MANUAL"
}
