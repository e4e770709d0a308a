/// Everything the cloud knows about one server, including what views never show.
///
/// Kept small because a capacity-planning run holds a million of these in one array: fields
/// most servers never set live in one shared box (``RareServerFields``), small numbers are
/// stored narrow, and ``Server`` itself keeps its catalog entries and details boxed.
/// `RecordLayoutTests` holds the size.
struct ServerRecord: Hashable, Sendable {
    var server: Server
    var operation: Operation?
    var pending: EventHandle?
    var history = StatusHistory()
    var isDeleted = false
    // (The one-byte fields sit together, after the history's 17 bytes, so they fill its padding.)
    private var progressPercent: UInt8 = 0
    /// ``networkRequest``'s case: 0 automatic, 1 none, 2 a fixed IP, 3 a list of NICs (both
    /// kept in ``rare``). Inline, because a whole workload without NICs would otherwise give
    /// every record its own box.
    private(set) var networkKind: UInt8 = 0
    /// The placement pool's number for `server.host` (-1 without a host), set with the host, so
    /// a status read while some host is down does not hash the host's name.
    var hostSlot: Int32 = -1
    /// The low 24 bits of the port's MAC address (`fa:16:3e:` and these), drawn at allocation;
    /// views format the address (and the IPs from ``port``) only when they are read.
    var macBits: UInt32 = 0
    private var portNumber: Int32 = -1
    private var launchPosition: Int32 = 0
    /// The order of creation (wrapping after 2^32 creates), which orders servers created at one
    /// instant once archiving lets a new server take an old record number.
    var serial: UInt32 = 0
    /// The placement pool's numbers for the server's project and group (-1 for none), set when
    /// the record is inserted, so claims and decisions hash neither id.
    var accountNumber: Int32 = -1
    var groupNumber: Int32 = -1
    /// Hosts of this build's decision still to try, and hosts already tried.
    var alternates: [HostName] = []
    /// The server's root filesystem (shares the image tree until changed).
    var fileSystem = VirtualFileSystem()
    /// Personality files waiting for the build (or rebuild) to finish.
    var pendingFiles: [InjectedFile] = []
    /// Paths of the personality files injected into ``fileSystem`` (for the invariant checker).
    var injectedPaths: [VirtualPath] = []
    /// The create call's reservation (see ``reservationID``): its eight draws from Nova's
    /// alphabet, six bits each, so the string is built only when an admin view shows it.
    var reservationCode: UInt64 = 0
    private var rare = RareServerFields.empty

    init(
        server: consuming Server, passwordViolation: String?, fileSystem: VirtualFileSystem, pendingFiles: [InjectedFile], networkRequest: NetworkRequest,
        reservationCode: UInt64, launchIndex: Int, userData: String?
    ) {
        self.server = server
        self.fileSystem = fileSystem
        self.pendingFiles = pendingFiles
        self.reservationCode = reservationCode
        self.launchIndex = launchIndex
        let fields = RareServerFields(passwordViolation: passwordViolation, userData: userData)
        rare = fields == RareServerFields() ? RareServerFields.empty : Shared(fields)
        self.networkRequest = networkRequest
    }

    /// The host number of the server's port on the network, once allocated.
    var port: Int? {
        get { portNumber < 0 ? nil : Int(portNumber) }
        set { portNumber = newValue.map { Int32(truncatingIfNeeded: $0) } ?? -1 }
    }

    /// The progress last reached by an operation that does not compute it from time (0 to 100).
    var storedProgress: Int {
        get { Int(progressPercent) }
        set { progressPercent = UInt8(clamping: newValue) }
    }

    /// Admin-only attribute (microversion 2.3): the create call's reservation id, Nova's "r-"
    /// and 8 characters from its generate_uid alphabet.
    var reservationID: String { Self.reservationID(reservationCode) }

    /// Nova's generate_uid alphabet (its "0" twice, as Nova has it), as bytes.
    static let reservationAlphabet = Array("01234567890abcdefghijklmnopqrstuvwxyz".utf8)

    /// The reservation id of `code`: "r-" and the characters of its eight 6-bit draws, first
    /// draw first.
    static func reservationID(_ code: UInt64) -> String {
        var bytes = Array("r-".utf8)
        for position in 0..<8 { bytes.append(reservationAlphabet[Int((code >> UInt64(6 * position)) & 63) % reservationAlphabet.count]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Admin-only attribute (microversion 2.3): the server's index in its create call.
    var launchIndex: Int {
        get { Int(launchPosition) }
        set { launchPosition = Int32(clamping: newValue) }
    }

    /// The supplied password's policy violation, applied once the build finishes.
    var passwordViolation: String? {
        get { rare.value.passwordViolation }
        set { if newValue != passwordViolation { updateRare { $0.passwordViolation = newValue } } }
    }

    /// The flavor a resize or cold migration under way moves to (in its shared box: the
    /// catalog may delete or change the flavor before the operation ends); nil otherwise. Kept
    /// here rather than in the ``Operation``, so that copying an operation retains nothing.
    var operationFlavor: Shared<Flavor>? {
        get { rare.value.operationFlavor }
        set { if newValue != operationFlavor { updateRare { $0.operationFlavor = newValue } } }
    }

    /// Ends the operation under way (its target flavor too), if any.
    mutating func clearOperation() {
        operation = nil
        operationFlavor = nil
    }

    /// A completed resize or migration waiting for confirm or revert.
    var resizeSource: ResizeSource? {
        get { rare.value.resizeSource }
        set { if newValue != resizeSource { updateRare { $0.resizeSource = newValue } } }
    }

    /// The NICs asked for at create.
    var networkRequest: NetworkRequest {
        get {
            switch networkKind {
            case 0: return .automatic
            case 1: return .none
            case 2: return .fixedIP(rare.value.fixedIP ?? "")
            default: return .networks(rare.value.nicRequests)
            }
        }
        set {
            switch newValue {
            case .automatic: networkKind = 0
            case .none: networkKind = 1
            case .fixedIP: networkKind = 2
            case .networks: networkKind = 3
            }
            let address: String? = if case .fixedIP(let address) = newValue { address } else { nil }
            if address != rare.value.fixedIP { updateRare { $0.fixedIP = address } }
            let list: [NICRequest] = if case .networks(let list) = newValue { list } else { [] }
            if list != rare.value.nicRequests { updateRare { $0.nicRequests = list } }
        }
    }

    /// The ports of a server that asked for a list of NICs, in request order (a server with one
    /// NIC on the first network keeps it inline: ``port`` and ``macBits``).
    var nics: [NIC] {
        get { rare.value.nics }
        set { if newValue != nics { updateRare { $0.nics = newValue } } }
    }

    /// Admin-only attribute (microversion 2.3): the user data the server was created with.
    var userData: String? {
        get { rare.value.userData }
        set { if newValue != userData { updateRare { $0.userData = newValue } } }
    }

    /// The guest's power state as the hypervisor reports it, when the power sync has not yet
    /// recorded it in `server.powerState` (a guest that shut down or crashed by itself while
    /// no task ran); nil when the two agree.
    var guestPower: PowerState? {
        get { rare.value.guestPower }
        set { if newValue != guestPower { updateRare { $0.guestPower = newValue } } }
    }

    /// The power state the guest is really in: ``guestPower`` when the sync has yet to notice
    /// it, else the recorded one.
    var actualPower: PowerState { guestPower ?? server.powerState }

    /// Records the guest's pending power state, if any, as the compute manager does when it
    /// starts acting on the server or when the server fails.
    mutating func recordGuestPower() {
        guard let guest = guestPower else { return }
        server.powerState = guest
        guestPower = nil
    }

    /// Whether a suspended (or shelved-from-suspended) server gave its vCPU and RAM claim back
    /// and holds only its disk on its host (``CloudConfiguration/suspendKeepsResources`` false).
    var computeReleased: Bool {
        get { rare.value.computeReleased }
        set { if newValue != computeReleased { updateRare { $0.computeReleased = newValue } } }
    }

    private mutating func updateRare(_ change: (inout RareServerFields) -> Void) {
        var value = rare.value
        change(&value)
        rare = value == RareServerFields() ? RareServerFields.empty : Shared(value)
    }

    /// Equality is synthesised over every stored property; hashing uses the id alone (records
    /// are unique by id), which agrees with it.
    func hash(into hasher: inout Hasher) { hasher.combine(server.id) }
}

/// A record's fields that most servers never set (see ``ServerRecord``).
struct RareServerFields: Hashable, Sendable {
    var passwordViolation: String?
    /// (The flavor by id: every server's flavor comes from the catalog.)
    var resizeSource: ResizeSource?
    var operationFlavor: Shared<Flavor>?
    /// The address of a `.fixedIP` network request.
    var fixedIP: String?
    var userData: String?
    var guestPower: PowerState?
    var computeReleased = false
    var nicRequests: [NICRequest] = []
    var nics: [NIC] = []

    /// The box every record without these fields shares.
    static let empty = Shared(RareServerFields())
}

/// Where a resized or migrated server came from, kept until confirm or revert: the source host
/// (whose claim it still holds) and the flavor it had there (the server's own copy, which a
/// later change to the catalog does not touch).
struct ResizeSource: Hashable, Sendable {
    var host: HostName
    var flavor: Shared<Flavor>
}

/// One allocated port: its network (index in the configuration's networks), host number on
/// that network and the low 24 bits of its MAC address.
struct NIC: Hashable, Sendable {
    var network: UInt8
    var number: Int32
    var macBits: UInt32
    /// The project's port this NIC is on (its address stays the port's when the server goes);
    /// nil for a port Nova made for the server, freed with it.
    var port: PortID? = nil
}
