/// A simulated compute cloud: the typed facade over hosts, placement, the server lifecycle
/// and virtual time.
///
/// `ComputeCloud` is a value: copying it forks the whole simulation, and both copies go on
/// independently. Nothing happens until time moves: ``advance(by:)``, ``advance(to:)`` or
/// ``runUntilIdle(maxEvents:)`` run the scheduled phases of every operation.
///
/// ```swift
/// var cloud = try ComputeCloud()                      // the default catalog, seed 1
/// let me = Caller(project: "demo")
/// let id = try cloud.createServers(CreateServerRequest(name: "web", image: ComputeCloud.ubuntu, flavor: "2"), as: me).ids[0]
/// try cloud.advance(by: .minutes(2))
/// try cloud.server(id, as: me).status                 // .active
/// ```
///
/// Errors are ``CloudError`` values shaped like the Compute API's faults; a refused call
/// changes nothing. Another project's server is "not found" (404) unless the caller is an admin.
public struct ComputeCloud: Sendable {
    var scheduler: Scheduler<CloudEvent>
    var world: CloudWorld
    /// Each JSON response's request id (`req-` and a UUID) comes from this stream of its own,
    /// kept outside the world: answering a request moves no other stream and changes no state
    /// of the simulated cloud.
    var requestIDs: DeterministicRandom
    /// The id of the JSON request being answered, which actions it causes are recorded under
    /// (nil outside ``handle(_:)``: a typed call draws its own from ``requestIDs``).
    var currentRequest: RequestID? = nil

    /// The default Ubuntu image id.
    public static let ubuntu = ImageID("52415800-8b69-11e0-9b19-734f6f006e54")
    /// The default CirrOS image id.
    public static let cirros = ImageID("70a599e0-31e7-49b7-b260-868f441e862b")

    /// Creates a cloud.
    /// - Throws: ``CloudError`` `badRequest` naming an invalid host, flavor, image, policy or
    ///   timing entry.
    public init(configuration: CloudConfiguration = CloudConfiguration()) throws(CloudError) {
        do {
            world = try CloudWorld(configuration: configuration)
        } catch {
            throw CloudError(.badRequest, error.message, underlying: error)
        }
        scheduler = Scheduler()
        requestIDs = DeterministicRandom(seed: configuration.seed, stream: "request-ids")
    }

    // MARK: Time

    /// The current simulated time.
    public var now: SimTime { scheduler.now }

    /// Maps simulated times (such as ``Server/created``) to the timestamps users see.
    public var wallClock: WallClock { world.configuration.wallClock }

    /// The wall-clock time users see, as ISO 8601.
    public var wallClockTime: String { world.configuration.wallClock.iso8601(at: now) }

    /// Runs every event due within `duration`, then rests at now + duration.
    /// - Throws: ``CloudError`` `badRequest` for a negative duration or one that would pass
    ///   `SimTime.limit`; nothing changes.
    public mutating func advance(by duration: SimDuration) throws(CloudError) {
        guard duration >= .zero else {
            throw CloudError(.badRequest, "cannot advance by a negative duration (\(duration))", underlying: KernelError(.timeInPast, "negative duration"))
        }
        let target: SimTime
        do { target = try now.advanced(by: duration) } catch { throw Self.pastLimit(now, duration, underlying: error) }
        try advance(to: target)
    }

    /// Runs every event due at or before `time`, then rests there.
    /// - Throws: ``CloudError`` `badRequest` when `time` is in the past or after
    ///   `SimTime.limit` (100 years after the start); nothing changes.
    public mutating func advance(to time: SimTime) throws(CloudError) {
        guard time <= .limit else { throw Self.pastLimit(now, time - now, underlying: KernelError(.timeOverflow, "past SimTime.limit")) }
        #if COMPUTESIM_CHECK_INVARIANTS
            if time >= now { stepChecked(through: time) }
        #endif
        do { try scheduler.run(until: time, handler: &world) } catch { throw CloudError(.badRequest, error.message, underlying: error) }
        world.archiveDue(now: now, scheduler: &scheduler)
    }

    private static func pastLimit(_ now: SimTime, _ duration: SimDuration, underlying: KernelError) -> CloudError {
        CloudError(
            .badRequest,
            "cannot advance by \(duration) from \(now): a simulation ends at most 36500d (about 100 years) after its start",
            underlying: underlying
        )
    }

    /// Runs events until nothing is pending up to `SimTime.limit` or `maxEvents` have run.
    /// Events scheduled past the limit (a reclaim 100 years after a delete) stay pending.
    @discardableResult
    public mutating func runUntilIdle(maxEvents: Int = 1_000_000) -> RunOutcome {
        var handled = 0
        while handled < maxEvents, step() { handled += 1 }
        guard let next = scheduler.nextEventTime(), next <= .limit else { return .idle }
        return .reachedEventLimit
    }

    /// Runs exactly one event, if any is pending; for tests that check invariants after every event.
    @discardableResult
    public mutating func step() -> Bool {
        guard let next = scheduler.nextEventTime(), next <= .limit else { return false }
        let ran = scheduler.step(handler: &world)
        #if COMPUTESIM_CHECK_INVARIANTS
            if ran {
                let problems = checkInvariants()
                assert(problems.isEmpty, "invariants broken after cloud event \(processedEventCount): \(problems)")
            }
        #endif
        return ran
    }

    #if COMPUTESIM_CHECK_INVARIANTS
        /// With `-D COMPUTESIM_CHECK_INVARIANTS` (debug builds: `swift test -Xswiftc -DCOMPUTESIM_CHECK_INVARIANTS`),
        /// every run of the cloud goes one event at a time and checks every invariant after each
        /// (O(servers + hosts) per event: for tests, never for large runs).
        private mutating func stepChecked(through time: SimTime) {
            while let next = scheduler.nextEventTime(), next <= time { step() }
        }
    #endif

    /// When the next event is due, or nil when nothing is pending.
    public mutating func nextEventTime() -> SimTime? { scheduler.nextEventTime() }

    /// Events waiting to run.
    public var pendingEventCount: Int { scheduler.pendingEventCount }

    /// The digest of every event processed so far.
    public var traceDigest: String { scheduler.traceDigest }

    /// How many builds found no valid host, per filter (in filter order, only filters that
    /// eliminated hosts) in how many of those failures it eliminated at least one host, and per
    /// flavor (every flavor of the catalog, in id order) builds, NoValidHost outcomes and the
    /// time of the first.
    /// - Complexity: O(f log f) for f flavors.
    public var placementFailures: PlacementFailures {
        let flavors = Set(world.flavors.keys).union(world.buildsByFlavor.keys).sorted()
        return PlacementFailures(
            total: world.placementFailures,
            byFilter: PlacementFilter.allCases.compactMap { filter in world.placementFailuresByFilter[filter].map { .init(filter: filter, failures: $0) } },
            byFlavor: flavors.map { flavor in
                let counts = world.buildsByFlavor[flavor] ?? (0, 0, nil)
                return .init(flavor: flavor, builds: counts.builds, noValidHost: counts.noValidHost, firstNoValidHost: counts.firstNoValidHost)
            })
    }

    /// What the cloud keeps of its trace lines (none by default; the digest is always kept).
    public var traceCapture: TraceCapture {
        get { scheduler.trace.capture }
        set { scheduler.trace.capture = newValue }
    }

    /// The kept trace lines, oldest first (see ``traceCapture``).
    public var capturedTraceLines: [String] { scheduler.trace.capturedLines }

    /// How many times a server's API status changed (a server's first status, BUILD, counts).
    public var statusChangeCount: UInt64 { world.statusChangeCount }

    /// Whether status changes are logged for ``drainStatusChanges()`` (off by default: the log
    /// grows until drained).
    public var logsStatusChanges: Bool {
        get { world.logsStatusChanges }
        set {
            world.logsStatusChanges = newValue
            if !newValue { world.statusLog.removeAll() }
        }
    }

    /// The status changes since the last drain, in the order they happened; empties the log.
    /// For drivers that react to statuses (a workload that reboots a server 10 minutes after
    /// it became ACTIVE). O(changes).
    public mutating func drainStatusChanges() -> [ServerStatusChange] {
        defer { world.statusLog.removeAll(keepingCapacity: true) }
        return world.statusLog
    }

    /// Logs only changes to this status while set (nil logs every change). For drivers that wait
    /// for one status only, such as the scenario runner's scripts, which wait for ACTIVE.
    var statusLogFilter: ServerStatus? {
        get { world.statusLogOnly }
        set { world.statusLogOnly = newValue }
    }

    /// Moves the logged status changes into `buffer` (emptied first) and empties the log. The two
    /// arrays swap storage, so a driver that drains after every event allocates nothing.
    /// Complexity: O(1) plus emptying `buffer`.
    mutating func drainStatusChanges(into buffer: inout [ServerStatusChange]) {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &world.statusLog)
    }

    /// How many events the cloud has processed.
    public var processedEventCount: UInt64 { scheduler.processedEventCount }

    // MARK: Catalog

    /// The flavors, in configuration order.
    public var flavors: [Flavor] { world.configuration.flavors }

    /// The images, in the order they were added.
    public var images: [Image] { world.imageOrder.compactMap { world.images[$0]?.value } }

    /// The hosts and their usage.
    public var hostPool: HostPool { world.pool }

    // MARK: Servers
}
