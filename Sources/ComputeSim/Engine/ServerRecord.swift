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
    var resizeSource: (host: HostName, flavor: FlavorID)?
    var storedProgress = 0
    /// The host number of the server's port on the network, once allocated.
    var port: Int?
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

    static func == (lhs: ServerRecord, rhs: ServerRecord) -> Bool {
        lhs.server == rhs.server && lhs.operation == rhs.operation && lhs.pending == rhs.pending && lhs.history == rhs.history
            && lhs.isDeleted == rhs.isDeleted && lhs.alternates == rhs.alternates
            && lhs.passwordViolation == rhs.passwordViolation && lhs.resizeSource?.host == rhs.resizeSource?.host
            && lhs.resizeSource?.flavor == rhs.resizeSource?.flavor && lhs.storedProgress == rhs.storedProgress && lhs.port == rhs.port
            && lhs.fileSystem == rhs.fileSystem && lhs.pendingFiles == rhs.pendingFiles && lhs.networkRequest == rhs.networkRequest
            && lhs.reservationID == rhs.reservationID && lhs.launchIndex == rhs.launchIndex && lhs.userData == rhs.userData
            && lhs.injectedPaths == rhs.injectedPaths
    }

    func hash(into hasher: inout Hasher) { hasher.combine(server.id) }
}
