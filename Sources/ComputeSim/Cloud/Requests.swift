/// Who is calling: a project, a user, and whether the caller is an administrator (or holds the
/// project's `manager` role, which Nova's default policy lets migrate the project's servers).
public struct Caller: Hashable, Sendable {
    public var project: ProjectID
    public var user: String
    public var isAdmin: Bool
    public var isProjectManager: Bool

    public init(project: ProjectID, user: String = "user", isAdmin: Bool = false, isProjectManager: Bool = false) {
        self.project = project
        self.user = user
        self.isAdmin = isAdmin
        self.isProjectManager = isProjectManager
    }
}

/// Who may cold- and live-migrate a server (Nova's `os_compute_api:os-migrate-server:migrate`
/// and `:migrate_live` policies).
public enum MigrationPolicy: String, Hashable, Sendable, CaseIterable {
    /// Administrators only (Nova's default before the project manager role).
    case admin
    /// An administrator, or a caller with the server's project's `manager` role (Nova's
    /// default): a plain member is refused.
    case projectManagerOrAdmin
    /// Anyone who can see the server (a permissive deployment's override).
    case member

    /// Whether `caller` may migrate a server of `project`.
    func allows(_ caller: Caller, project: ProjectID) -> Bool {
        switch self {
        case .admin: return caller.isAdmin
        case .projectManagerOrAdmin: return caller.isAdmin || (caller.isProjectManager && caller.project == project)
        case .member: return true
        }
    }
}

/// A create request, like the body of `POST /servers`.
public struct CreateServerRequest: Hashable, Sendable {
    public var name: String
    public var image: ImageID
    public var flavor: FlavorID
    /// A supplied admin password (checked against the password policy once built); nil: one is
    /// generated.
    public var adminPass: String?
    public var metadata: [String: String]
    public var availabilityZone: AvailabilityZone?
    /// The server group to join (`os:scheduler_hints.group`).
    public var group: ServerGroupID?
    public var minCount: Int
    public var maxCount: Int
    /// Delete instead of stopping when the guest shuts itself down.
    public var shutdownTerminate: Bool
    /// Files to inject once the server is built (base64 contents).
    public var personality: [Personality]
    /// Base64 user data for the guest (validated at the API; shown to admins from 2.3).
    public var userData: String?
    /// `OS-DCF:diskConfig`; nil: the image decides (MANUAL by default).
    public var diskConfig: DiskConfig?
    /// A description (shown from microversion 2.19).
    public var description: String?
    /// Which NIC the server gets: one port on the network (default), a specific fixed address,
    /// or none.
    public var network: NetworkRequest = .automatic
    /// Access addresses to record (validated and normalised as Nova does).
    public var accessIPv4: String?
    public var accessIPv6: String?
    /// The caller's key pair to boot with (``ComputeCloud/importKeyPair(name:publicKey:as:)``).
    public var keyName: String?
    /// Tags to start with (microversion 2.52+; the rules of ``ComputeCloud/setTags(_:on:as:)``).
    public var tags: [String] = []

    public init(
        name: String, image: ImageID, flavor: FlavorID, adminPass: String? = nil, metadata: [String: String] = [:], availabilityZone: AvailabilityZone? = nil,
        group: ServerGroupID? = nil, minCount: Int = 1, maxCount: Int = 1, shutdownTerminate: Bool = false, personality: [Personality] = []
    ) {
        self.name = name
        self.image = image
        self.flavor = flavor
        self.adminPass = adminPass
        self.metadata = metadata
        self.availabilityZone = availabilityZone
        self.group = group
        self.minCount = minCount
        self.maxCount = maxCount
        self.shutdownTerminate = shutdownTerminate
        self.personality = personality
    }
}

/// What `createServers` returns (the 202 response): the new ids and the admin password (shown
/// once, never stored in views, traces or reports).
public struct CreatedServers: Hashable, Sendable {
    public var ids: [ServerID]
    public var adminPass: String?
    /// The new servers' record numbers, in the order of `ids`: drivers take handles from them
    /// (``ComputeCloud/handles(of:)``) without hashing an id.
    var records: [Int32] = []
}

/// What a rebuild changes besides the image, password and files (Nova's rebuild body): nil
/// leaves a field as it is.
public struct RebuildChanges: Hashable, Sendable {
    public var name: String?
    /// Replaces all of the server's metadata (as Nova's rebuild does), checked like create's.
    public var metadata: [String: String]?
    public var accessIPv4: String?
    public var accessIPv6: String?
    public var diskConfig: DiskConfig?
    /// Microversion 2.19 and later.
    public var description: String?
    /// Microversion 2.54 and later: `.some(name)` sets the server's key pair, `.some(nil)`
    /// removes it, nil leaves it.
    public var keyName: String??
    /// Nova's `preserve_ephemeral`: keep the ephemeral disk's contents (accepted and recorded
    /// in nothing: ComputeSim's ephemeral disks hold no files).
    public var preserveEphemeral = false

    public init(
        name: String? = nil, metadata: [String: String]? = nil, accessIPv4: String? = nil, accessIPv6: String? = nil, diskConfig: DiskConfig? = nil,
        description: String? = nil, preserveEphemeral: Bool = false
    ) {
        self.name = name
        self.metadata = metadata
        self.accessIPv4 = accessIPv4
        self.accessIPv6 = accessIPv6
        self.diskConfig = diskConfig
        self.description = description
        self.preserveEphemeral = preserveEphemeral
    }
}

/// A server action, like the bodies of `POST /servers/{id}/action`.
public enum ServerActionRequest: Hashable, Sendable {
    case reboot(hard: Bool)
    case rebuild(image: ImageID?, adminPass: String?, personality: [Personality] = [], changes: RebuildChanges = RebuildChanges())
    case resize(flavor: FlavorID)
    case migrate
    case confirmResize
    case revertResize
    case liveMigrate
    case rescue(adminPass: String?)
    case unrescue
    case suspend
    case resume
    case pause
    case unpause
    case stop
    case start
    case shelve
    case shelveOffload
    case unshelve
    case changePassword(String)
    case lock
    case unlock
    /// A snapshot named `name` (1 to 255 characters) whose image properties add `metadata`
    /// (checked as server metadata is) to the server's image's.
    case createImage(name: String, metadata: [String: String] = [:])
    /// A snapshot named `name` kept as a backup of `type` (its image properties say
    /// `image_type` backup, `backup_type` and `instance_uuid`); then this server's backups of
    /// that type beyond the newest `rotation` are deleted (all of them for 0, the new one too,
    /// as Nova's rotation does).
    case createBackup(name: String, type: String, rotation: Int, metadata: [String: String] = [:])
    case restore
    case forceDelete
    /// Rebuilds an administrator's chosen server of a down host (its compute service down or
    /// forced down) on `host`, or on a host placement picks when nil; `force` skips the
    /// filters for a named host. The disk is recreated from the image (injected files are
    /// lost) unless `onSharedStorage` (microversions before 2.14). The admin password is
    /// `adminPass`, or generated unless the disk is shared.
    case evacuate(host: HostName? = nil, adminPass: String? = nil, force: Bool = false, onSharedStorage: Bool = false)

    /// The lifecycle action this request performs.
    public var action: ServerAction {
        switch self {
        case .reboot(let hard): return hard ? .rebootHard : .rebootSoft
        case .rebuild: return .rebuild
        case .resize: return .resize
        case .migrate: return .migrate
        case .confirmResize: return .confirmResize
        case .revertResize: return .revertResize
        case .liveMigrate: return .liveMigrate
        case .rescue: return .rescue
        case .unrescue: return .unrescue
        case .suspend: return .suspend
        case .resume: return .resume
        case .pause: return .pause
        case .unpause: return .unpause
        case .stop: return .stop
        case .start: return .start
        case .shelve: return .shelve
        case .shelveOffload: return .shelveOffload
        case .unshelve: return .unshelve
        case .changePassword: return .changePassword
        case .lock: return .lock
        case .unlock: return .unlock
        case .createImage: return .createImage
        case .createBackup: return .createBackup
        case .restore: return .restore
        case .forceDelete: return .forceDelete
        case .evacuate: return .evacuate
        }
    }
}

/// What an action returns beyond its status code.
public struct ActionResult: Hashable, Sendable {
    /// The HTTP status of the accepted call.
    public var httpStatus: Int
    /// rescue and rebuild: the admin password.
    public var adminPass: String?
    /// createImage: the new image.
    public var image: ImageID?
}

/// One change of a server's API status.
/// A status change of one server, from ``ComputeCloud/drainStatusChanges()``.
public struct ServerStatusChange: Hashable, Sendable {
    public var server: ServerID
    public var time: SimTime
    public var status: ServerStatus
    /// The server's record number when it changed, so a driver inside the module reaches it
    /// without hashing the id (check it still holds the id: archiving reuses numbers).
    var record: Int32 = -1
}

public struct StatusChange: Hashable, Sendable {
    public var time: SimTime
    public var status: ServerStatus
}

/// The NICs a create request asks for.
public enum NetworkRequest: Hashable, Sendable {
    /// One port with the lowest free address on the only network the project may use
    /// (409 when it may use several: Nova's "Multiple possible networks found").
    case automatic
    /// No NIC at all (`"networks": "none"`): the server has no addresses.
    case none
    /// A port on the first network with this fixed IPv4 or IPv6 address (the other family gets
    /// the same host number).
    case fixedIP(String)
    /// One port per entry, in this order: the NICs of `"networks": [{"uuid": ...}, ...]`.
    case networks([NICRequest])
}

/// One NIC of a create request: a network by id, optionally with a fixed address on it, or an
/// existing port (``ComputeCloud/createPort(network:fixedIP:name:as:)``) with its network and
/// address.
public struct NICRequest: Hashable, Sendable {
    /// The network's id ("" for a port, whose network is its own).
    public var network: String
    public var fixedIP: String?
    public var port: PortID?

    public init(network: String, fixedIP: String? = nil) {
        self.network = network
        self.fixedIP = fixedIP
    }

    /// A NIC on an existing port.
    public init(port: PortID) {
        self.network = ""
        self.port = port
    }
}
