import ComputeSim

/// The calls orchestration code makes to a compute cloud. Write production code against this
/// protocol (with an HTTP implementation for the real cloud) and test it against
/// ``SimulatedCloud``, which implements it on simulated time.
public protocol ComputeClient: Sendable {
    /// POST /servers: the ids created (and the adminPass when the cloud returns it).
    func createServers(_ request: CreateServerRequest, as caller: Caller) async throws -> CreatedServers
    /// GET /servers/{id}.
    func server(_ id: ServerID, as caller: Caller) async throws -> Server
    /// GET /servers/detail: the caller's servers.
    func servers(as caller: Caller) async throws -> [Server]
    /// DELETE /servers/{id}.
    func deleteServer(_ id: ServerID, as caller: Caller) async throws
    /// POST /servers/{id}/action.
    func perform(_ action: ServerActionRequest, on id: ServerID, as caller: Caller) async throws -> ActionResult
    /// POST /os-server-groups: the new group's id.
    func createServerGroup(name: String, policy: ServerGroupPolicy, as caller: Caller) async throws -> ServerGroupID
    /// DELETE /os-server-groups/{id}.
    func deleteServerGroup(_ id: ServerGroupID, as caller: Caller) async throws
}

extension ComputeClient {
    /// Polls a server every `interval` on `clock` until its status is one of `statuses`, and
    /// returns it.
    /// - Throws: ``SimulationError`` `waitTimedOut` (naming the server, the status it is stuck
    ///   in and what was wanted) when `timeout` passes first; the client's errors (e.g. 404 once
    ///   the server is deleted); `CancellationError`.
    public func waitForStatus<C: Clock>(
        _ id: ServerID, in statuses: Set<ServerStatus>, as caller: Caller, timeout: C.Duration,
        interval: C.Duration, clock: C
    ) async throws -> Server where C.Duration == Swift.Duration {
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let server = try await server(id, as: caller)
            if statuses.contains(server.status) { return server }
            guard clock.now.advanced(by: interval) <= deadline else {
                let wanted = statuses.map(\.rawValue).sorted().joined(separator: " or ")
                throw SimulationError(.waitTimedOut, "server \(id) is still \(server.status.rawValue) after \(timeout); waited for \(wanted)")
            }
            try await clock.sleep(for: interval)
        }
    }

    /// Polls until the server is gone (404) or DELETED.
    /// - Throws: ``SimulationError`` `waitTimedOut` when `timeout` passes first.
    public func waitForDeletion<C: Clock>(_ id: ServerID, as caller: Caller, timeout: C.Duration, interval: C.Duration, clock: C) async throws
    where C.Duration == Swift.Duration {
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let status: ServerStatus
            do { status = try await server(id, as: caller).status } catch let error as CloudError where error.code == .itemNotFound { return }
            if status == .deleted { return }
            guard clock.now.advanced(by: interval) <= deadline else {
                throw SimulationError(.waitTimedOut, "server \(id) is still \(status.rawValue) after \(timeout); waited for its deletion")
            }
            try await clock.sleep(for: interval)
        }
    }
}
