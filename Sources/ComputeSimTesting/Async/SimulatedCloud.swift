import ComputeSim
import Foundation  // Thread, for the run loop

/// A thread-safe, shareable handle on a `ComputeCloud` for async code: the typed API and the
/// JSON facade as `async` calls, a ``SimulationClock`` on the cloud's time, and
/// ``run(timeLimit:_:)``, which runs async code with time advancing whenever it waits.
///
/// ```swift
/// let cloud = try SimulatedCloud()
/// let server = try await cloud.run {
///     let id = try await cloud.createServers(request, as: me).ids[0]
///     return try await cloud.waitForStatus(id, in: [.active], as: me, timeout: .seconds(300), interval: .seconds(5), clock: cloud.clock)
/// }
/// ```
///
/// ## Threading contract
/// Every call takes one lock around the cloud, so calls from many tasks at once are serialised
/// and each sees a consistent cloud; none suspends while holding it. Cloud calls never advance
/// time: only the clock does (its sleepers, ``SimulationClock/advance(by:)``, or
/// ``withCloud(_:)`` when the closure advances the cloud itself).
///
/// ## When "everyone is waiting"
/// ``run(timeLimit:_:)`` runs its body on a task executor of its own, on one thread, and child
/// tasks (`async let`, task groups) inherit it. When that executor has no job ready, every task
/// of the run is suspended; if some are sleeping on the clock, time jumps to the earliest
/// deadline and that one task wakes (ties wake in the order they slept). This is exact and
/// deterministic for code that only waits on the clock and on this cloud. Limits: work on
/// other executors (an actor of its own, `@MainActor`, unstructured `Task {}` or
/// `Task.detached`, real I/O) is not seen: while it runs, the loop may advance time as if
/// everyone were waiting. For such code, advance by hand with ``SimulationClock/advance(by:)``.
/// Only one `run` may be active on a cloud at a time.
public final class SimulatedCloud: ComputeClient, @unchecked Sendable {
    let core: SimulationCore
    private let runLock = NSLock()
    private var running = false

    /// A cloud from `configuration` (the default catalog: 4 hosts, Nova's flavors).
    public convenience init(configuration: CloudConfiguration = CloudConfiguration()) throws(CloudError) {
        self.init(cloud: try ComputeCloud(configuration: configuration))
    }

    /// Wraps an existing cloud (its time, servers and pending events carry on).
    public init(cloud: ComputeCloud) {
        core = SimulationCore(cloud: cloud)
    }

    /// The clock on this cloud's simulated time.
    public var clock: SimulationClock { SimulationClock(core: core) }

    /// Runs `body` with exclusive access to the cloud (inspection, fault injection, anything
    /// not offered as an async call). Do not sleep on the clock inside it.
    public func withCloud<T>(_ body: (inout ComputeCloud) throws -> T) rethrows -> T {
        try core.locked { try body(&core.cloud) }
    }

    /// Calls the cloud under the lock, keeping its typed error.
    private func call<T>(_ body: (inout ComputeCloud) throws(CloudError) -> T) throws(CloudError) -> T {
        core.condition.lock()
        defer { core.condition.unlock() }
        return try body(&core.cloud)
    }

    /// A copy of the cloud as it is now.
    public var snapshot: ComputeCloud { withCloud { $0 } }

    // MARK: Running async code on simulated time

    /// Runs `body` on the simulation's executor, advancing simulated time whenever every task
    /// of the run is waiting (see "When everyone is waiting"), and returns its result.
    ///
    /// - Parameters:
    ///   - timeLimit: simulated time the run may cover (default one day): when the next wake-up
    ///     lies beyond it, every sleep is cancelled and later sleeps throw at once.
    ///   - body: the code under test; it and its child tasks run on the simulation's executor.
    /// - Throws: what `body` throws; ``SimulationError`` `timeLimitExceeded` when the limit was
    ///   reached (even if the body then returned), `alreadyRunning` when another run is active.
    public func run<T: Sendable>(timeLimit: Swift.Duration = .seconds(86_400), _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let claimed: Bool = runLock.withLock {
            if running { return false }
            running = true
            return true
        }
        guard claimed else { throw SimulationError(.alreadyRunning, "another run is already active on this cloud") }
        defer { runLock.withLock { running = false } }
        let core = self.core
        let start = core.now
        let limit = SimulationClock.Instant(start).advanced(by: timeLimit).time
        core.startBody()
        let task = Task(executorPreference: core) {
            defer { core.finishBody() }
            return try await body()
        }
        let limitReached: Bool = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: core.runLoop(limit: limit, cancelBody: { task.cancel() }))
            }
            thread.name = "ComputeSim simulation"
            thread.start()
        }
        let result = await task.result
        if limitReached {
            throw SimulationError(
                .timeLimitExceeded,
                "the run was still waiting after \(SimDuration(nanoseconds: SimulationClock.nanoseconds(timeLimit))) of simulated time, its limit")
        }
        return try result.get()
    }

    // MARK: The typed API, async

    public func createServers(_ request: CreateServerRequest, as caller: Caller) async throws -> CreatedServers {
        try call { cloud throws(CloudError) in try cloud.createServers(request, as: caller) }
    }

    public func server(_ id: ServerID, as caller: Caller) async throws -> Server {
        try call { cloud throws(CloudError) in try cloud.server(id, as: caller) }
    }

    public func servers(as caller: Caller) async throws -> [Server] {
        withCloud { $0.servers(as: caller) }
    }

    public func deleteServer(_ id: ServerID, as caller: Caller) async throws {
        try call { cloud throws(CloudError) in try cloud.deleteServer(id, as: caller) }
    }

    public func perform(_ action: ServerActionRequest, on id: ServerID, as caller: Caller) async throws -> ActionResult {
        try call { cloud throws(CloudError) in try cloud.perform(action, on: id, as: caller) }
    }

    public func createServerGroup(name: String, policy: ServerGroupPolicy, as caller: Caller) async throws -> ServerGroupID {
        try call { cloud throws(CloudError) in try cloud.createServerGroup(name: name, policy: policy, as: caller) }
    }

    public func deleteServerGroup(_ id: ServerGroupID, as caller: Caller) async throws {
        try call { cloud throws(CloudError) in try cloud.deleteServerGroup(id, as: caller) }
    }

    /// The JSON facade (`ComputeCloud/handle(_:)`), async.
    public func handle(_ request: APIRequest) async -> APIResponse {
        withCloud { $0.handle(request) }
    }

    /// Injects a fault now (or at `time`); the clock or the next advance applies it.
    public func inject(_ fault: ScriptedFault, at time: SimTime? = nil) throws(CloudError) {
        try call { cloud throws(CloudError) in try cloud.inject(fault, at: time ?? cloud.now) }
    }
}
