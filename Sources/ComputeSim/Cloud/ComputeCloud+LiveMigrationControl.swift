// Forcing a live migration to complete, or aborting it (administrators).
extension ComputeCloud {
    /// The open live migration `migration` (its id) of the server at `index`, checked as Nova
    /// checks it: the server's state first (`vmStates`, nil for any, and task migrating: 409),
    /// then the record (`missing`: not this server's), then its status (`running`: 400).
    private func runningLiveMigration(
        _ migration: Int, of index: Int32, method: String, vmStates: Set<VMState>?, missing: CloudError.Code, caller: Caller
    ) throws(CloudError) -> Int {
        let i = Int(index)
        let id = world.servers[i].server.id
        guard caller.isAdmin else {
            let rule = method == "force_complete" ? "force_complete" : "delete"
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:servers:migrations:\(rule) to be performed.")
        }
        let server = world.servers[i].server
        if let vmStates, !vmStates.contains(server.vmState) {
            throw CloudError(.conflictingRequest, "Cannot '\(method)' instance \(id) while it is in vm_state \(server.vmState.rawValue)")
        }
        guard server.taskState == .migrating else {
            throw CloudError(.conflictingRequest, "Cannot '\(method)' instance \(id) while it is in task_state \(server.taskState?.rawValue ?? "None")")
        }
        guard let position = world.migrations.firstIndex(where: { $0.id == migration && $0.server == id }) else {
            throw CloudError(missing, "Migration \(migration) not found for instance \(id)")
        }
        let status = world.migrationStatus(position)
        guard status == "running" else {
            let verb = method == "force_complete" ? "force complete" : method
            throw CloudError(
                .badRequest, "Migration \(migration) state of instance \(id) is \(status). Cannot \(verb) while the migration is in this state.")
        }
        return position
    }

    /// Ends a running live migration now (Nova's force-complete: the guest is paused and its
    /// last memory copied), recorded as `live_migration_force_complete`.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `conflictingRequest` unless
    ///   the server is ACTIVE and migrating; `badRequest` for another server's or an unknown
    ///   migration, or one not running.
    public mutating func forceCompleteLiveMigration(_ migration: Int, of id: ServerID, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        _ = try runningLiveMigration(migration, of: index, method: "force_complete", vmStates: [.active], missing: .badRequest, caller: caller)
        world.cancelPending(index, scheduler: &scheduler)
        world.endPhysicalWork(index, scheduler: &scheduler)
        world.servers[Int(index)].pending = scheduler.schedule(.phaseDone(server: index), after: .zero)
        recordAction(.liveMigrationForceComplete, on: index, as: caller, finishedNow: true)
    }

    /// Aborts a running live migration: the server stays on its source, its task cleared, the
    /// destination's claim freed and the migration `cancelled`; recorded as
    /// `live_migration_cancel`.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `conflictingRequest` unless
    ///   the server is migrating; `itemNotFound` for another server's or an unknown migration;
    ///   `badRequest` for one not running.
    public mutating func abortLiveMigration(_ migration: Int, of id: ServerID, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        _ = try runningLiveMigration(migration, of: index, method: "abort live migration", vmStates: nil, missing: .itemNotFound, caller: caller)
        let i = Int(index)
        world.cancelPending(index, scheduler: &scheduler)
        world.endPhysicalWork(index, scheduler: &scheduler)
        // The live migration's own event ends: the compute manager rolled it back.
        world.closeEvent(of: index, now: now, failure: nil)
        world.closeMigration(of: index, action: .liveMigrate, failed: false, now: now, status: "cancelled")
        world.releaseIfHeld(index, .migrationTarget)
        world.servers[i].clearOperation()
        world.servers[i].server.taskState = nil
        world.noteStatus(index, now: now)
        recordAction(.liveMigrationCancel, on: index, as: caller, finishedNow: true)
    }
}
