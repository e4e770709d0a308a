// The instance action log (os-instance-actions): recording accepted calls and reading them back.
extension ComputeCloud {
    /// The id the current call is recorded under: the JSON request's, or for a typed call a new
    /// one from the request id stream.
    mutating func requestID() -> RequestID {
        currentRequest ?? RequestID(&requestIDs)
    }

    /// Records an accepted call on the server at `index` (nothing when the configuration keeps
    /// no action log: the request id stream then does not move either).
    mutating func recordAction(_ kind: InstanceActionKind, on index: Int32, as caller: Caller, failure: String? = nil, finishedNow: Bool = false) {
        guard world.configuration.recordsInstanceActions else { return }
        world.recordAction(kind, on: index, request: requestID(), caller: caller, now: now, failure: failure, finishedNow: finishedNow)
    }

    /// The record number of a server whose action log the caller may read: its own project's
    /// (any project's for an administrator), deleted or not, until it is archived.
    func actionLogIndex(of id: ServerID, for caller: Caller) throws(CloudError) -> Int32 {
        guard let index = world.serverIndex[id], caller.isAdmin || world.servers[Int(index)].server.project == caller.project else {
            throw CloudError.notFound(id)
        }
        return index
    }

    /// A server's action log, newest first (Nova's order), deleted servers' included until
    /// they are archived.
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown or other project's server.
    /// - Complexity: O(actions of the server).
    public func instanceActions(of id: ServerID, as caller: Caller) throws(CloudError) -> [InstanceAction] {
        let index = try actionLogIndex(of: id, for: caller)
        guard Int(index) < world.actionLogs.count else { return [] }
        return world.actionLogs[Int(index)].reversed().map { instanceAction($0, at: index) }
    }

    /// One action of a server's log, by the request id that made it.
    /// - Throws: ``CloudError`` `itemNotFound`: "Action … not found" for a request id the
    ///   server's log does not hold; as ``instanceActions(of:as:)`` for the server.
    public func instanceAction(_ requestID: String, of id: ServerID, as caller: Caller) throws(CloudError) -> InstanceAction {
        guard let action = try instanceActions(of: id, as: caller).first(where: { $0.requestID == requestID }) else {
            throw CloudError(.itemNotFound, "Action \(requestID) not found")
        }
        return action
    }

    /// The view of one entry of the log of the server at `index`; an event under way shows the
    /// host the server is on.
    func instanceAction(_ entry: ActionEntry, at index: Int32) -> InstanceAction {
        let server = world.servers[Int(index)].server
        var events: [InstanceActionEvent] = []
        if let name = entry.kind.event {
            events.append(
                InstanceActionEvent(
                    name: name, startTime: entry.start, finishTime: entry.isFinished ? entry.finish : nil,
                    result: entry.isFinished ? (entry.failed ? "Error" : "Success") : nil, host: entry.isFinished ? entry.host : server.host,
                    details: entry.details))
        }
        return InstanceAction(
            action: entry.kind.name, serverID: server.id, requestID: entry.request.text, project: entry.project, user: entry.user, startTime: entry.start,
            updatedAt: events.isEmpty ? nil : (entry.isFinished ? entry.finish : entry.start), message: entry.failed ? "Error" : nil, events: events)
    }
}
