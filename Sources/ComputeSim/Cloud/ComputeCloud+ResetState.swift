// os-resetState: an administrator sets a server's vm_state by hand.
extension ComputeCloud {
    /// Nova's `os-resetState` (administrators): sets the server's vm_state to `active` or
    /// `error` and clears its task, whatever state it is in, and records a `resetState` action.
    /// What was under way stops: the operation's pending phase is cancelled (its event ends
    /// failed, "Reset by an administrator."), a migration's claim on its destination is freed
    /// and any physical transfer ends, so the server stays exactly as set. Its power state,
    /// host and resources are left as they are, as Nova leaves them.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `badRequest` for a state
    ///   other than active or error; `itemNotFound` for an unknown or deleted server.
    public mutating func resetState(of id: ServerID, to state: VMState, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.") }
        guard state == .active || state == .error else {
            throw CloudError(
                .badRequest, "Invalid input for field/attribute state. Value: \(state.rawValue). '\(state.rawValue)' is not one of ['active', 'error']")
        }
        let i = Int(index)
        if world.servers[i].operation != nil {
            world.closeEvent(of: index, now: now, failure: "Reset by an administrator.")
            world.closeMigration(of: index, action: nil, failed: true, now: now)
            // A migration under way holds its destination: nothing will use that claim now.
            if world.servers[i].operation?.targetHost != nil { world.releaseIfHeld(index, .migrationTarget) }
            world.servers[i].clearOperation()
        }
        world.cancelPending(index, scheduler: &scheduler)
        world.endPhysicalWork(index, scheduler: &scheduler)
        world.servers[i].alternates = []
        world.servers[i].server.vmState = state
        world.servers[i].server.taskState = nil
        world.noteStatus(index, now: now)
        world.drainEndedWork(scheduler: &scheduler)
        recordAction(.resetState, on: index, as: caller)
    }
}
