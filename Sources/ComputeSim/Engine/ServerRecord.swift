/// Everything the cloud knows about one server, including what views never show.
struct ServerRecord: Hashable, Sendable {
    var server: Server
    var operation: Operation?
    var pending: EventHandle?
    var history = StatusHistory()
    var isDeleted = false
    /// Hosts of this build's decision still to try, and hosts already tried.
    var alternates: [HostName] = []
    /// The supplied password's policy violation, applied once the build finishes.
    var passwordViolation: String?
    /// A completed resize or migration waiting for confirm or revert.
    /// (The flavor by id: every server's flavor comes from the catalog, and an id is 64 bytes
    /// smaller for every server, resized or not.)
    var resizeSource: ResizeSource?
    var storedProgress = 0
    /// The host number of the server's port on the network, once allocated.
    var port: Int?
    /// The low 24 bits of the port's MAC address (`fa:16:3e:` and these), drawn at allocation;
    /// views format the address (and the IPs from ``port``) only when they are read.
    var macBits: UInt32 = 0
    /// The placement pool's number for `server.host` (-1 without a host), set with the host, so
    /// a status read while some host is down does not hash the host's name.
    var hostSlot: Int32 = -1
    /// The server's root filesystem (shares the image tree until changed).
    var fileSystem = VirtualFileSystem()
    /// Personality files waiting for the build (or rebuild) to finish.
    var pendingFiles: [InjectedFile] = []
    /// Paths of the personality files injected into ``fileSystem`` (for the invariant checker).
    var injectedPaths: [VirtualPath] = []
    /// The NIC asked for at create.
    var networkRequest: NetworkRequest = .automatic
    /// Admin-only attributes (microversion 2.3): the create call's reservation, the server's
    /// index in it, and the user data it was given.
    var reservationID = ""
    var launchIndex = 0
    var userData: String?

    /// Equality is synthesised over every stored property; hashing uses the id alone (records
    /// are unique by id), which agrees with it.
    func hash(into hasher: inout Hasher) { hasher.combine(server.id) }
}

/// Where a resized or migrated server came from, kept until confirm or revert: the source host
/// (whose claim it still holds) and the flavor it had there.
struct ResizeSource: Hashable, Sendable {
    var host: HostName
    var flavor: FlavorID
}
