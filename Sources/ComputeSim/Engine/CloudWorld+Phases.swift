// The phase machine: starting operations, scheduling and finishing their phases.
extension CloudWorld {
    /// Starts `action` (or the build when nil) on a server: sets the first task, draws the phase
    /// durations from the timing stream and schedules the first phase's end.
    mutating func startOperation(_ action: ServerAction?, on index: Int32, scheduler: inout Scheduler<CloudEvent>, targetFlavor: Shared<Flavor>? = nil) {
        endPhysicalWork(index, scheduler: &scheduler)  // a new operation replaces whatever work was under way
        if servers[Int(index)].operation != nil {
            // The operation under way is replaced: by a delete, its event fails as the instance
            // goes; by another action (a hard reboot over a soft one), it ends there.
            let deleting = action == .delete || action == .forceDelete || action == .softDelete
            closeEvent(of: index, now: scheduler.now, failure: deleting ? "Instance \(servers[Int(index)].server.id) could not be found." : nil)
            closeMigration(of: index, action: nil, failed: true, now: scheduler.now)
        }
        // The compute manager reads the driver's power state as it starts: a guest shutdown the
        // periodic sync has not yet noticed is recorded now.
        servers[Int(index)].recordGuestPower()
        let distributions = action.map { actionPhases[$0.ordinal] } ?? configuration.timing.build
        var durations = PhaseDurations()
        if action == nil, let physical = physicalBuildDurations() {
            durations = physical
        } else {
            for distribution in distributions { durations.append(distribution.sampleDuration(using: &timing)) }
        }
        var operation = Operation(
            action: action, durations: durations, startedAt: scheduler.now, previousVMState: servers[Int(index)].server.vmState,
            previousPower: servers[Int(index)].server.powerState)
        servers[Int(index)].operationFlavor = targetFlavor
        if action == .shelve && configuration.shelvedOffloadTime != .zero { operation.keepShelvedServer() }
        servers[Int(index)].operation = operation
        servers[Int(index)].server.taskState = operation.task(at: 0)
        if action == .rebuild || action == .resize || action == .migrate || action == .stop { servers[Int(index)].storedProgress = 0 }
        schedulePhase(index, scheduler: &scheduler)
        noteStatus(index, now: scheduler.now)
    }

    mutating func schedulePhase(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard let operation = servers[Int(index)].operation else { return }
        if startPhysicalWork(index, scheduler: &scheduler) { return }
        let delay = operation.phase < operation.durations.count ? operation.durations[operation.phase] : .zero
        servers[Int(index)].pending = scheduler.schedule(.phaseDone(server: index), after: delay)
    }

    mutating func cancelPending(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        if let handle = servers[Int(index)].pending { scheduler.cancel(handle) }
        servers[Int(index)].pending = nil
    }

    mutating func handle(_ event: CloudEvent, scheduler: inout Scheduler<CloudEvent>) {
        switch event {
        case .phaseDone(let index):
            servers[Int(index)].pending = nil
            phaseDone(index, scheduler: &scheduler)
        case .offload(let index):
            servers[Int(index)].pending = nil
            if servers[Int(index)].server.vmState == .shelved && servers[Int(index)].server.taskState == nil {
                startOperation(.shelveOffload, on: index, scheduler: &scheduler)
            }
        case .reclaim(let index):
            servers[Int(index)].pending = nil
            if servers[Int(index)].server.vmState == .softDeleted { finishDelete(index, now: scheduler.now) }
        case .powerSync(let index):
            servers[Int(index)].pending = nil
            powerSync(index, scheduler: &scheduler)
        case .scripted(let index):
            applyScripted(scriptedFaults[Int(index)], scheduler: &scheduler)
        case .transfersDone:
            transfersDone(scheduler: &scheduler)
        }
        drainEndedWork(scheduler: &scheduler)
        if archiveHead < archiveQueue.count { archiveDue(now: scheduler.now, scheduler: &scheduler) }
    }

    /// Advances the operation: side effects at the end of specific phases, then the next phase
    /// or the end state.
    mutating func phaseDone(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard var operation = servers[Int(index)].operation else { return }
        let now = scheduler.now
        let task = operation.task(at: operation.phase)
        // Phase-end side effects; the operation may end here.
        guard phaseSideEffects(index, task: task, operation: &operation, scheduler: &scheduler) == .continues else {
            noteStatus(index, now: now)
            return
        }
        if usesBuildModel, operation.action == nil, task == .scheduling, !acquireBuildSlot(index, now: now) {
            servers[Int(index)].operation = operation  // queued for a build slot: still BUILD, task scheduling
            noteStatus(index, now: now)
            return
        }
        operation.phase += 1
        if operation.phase < max(operation.taskCount, operation.durations.count) {
            servers[Int(index)].operation = operation
            let next = operation.task(at: operation.phase)
            servers[Int(index)].server.taskState = next
            // "Server is down for this stage": the source is powered off before its disk is
            // copied, and stays off until the destination starts it (VERIFY_RESIZE).
            if next == .resizeMigrating && (operation.action == .resize || operation.action == .migrate) {
                servers[Int(index)].server.powerState = .shutdown
            }
            schedulePhase(index, scheduler: &scheduler)
        } else {
            servers[Int(index)].operation = operation
            finishOperation(index, scheduler: &scheduler)
        }
        noteStatus(index, now: now)
    }

    /// Effects at the end of one phase, and whether the operation goes on.
    mutating func phaseSideEffects(_ index: Int32, task: TaskState?, operation: inout Operation, scheduler: inout Scheduler<CloudEvent>) -> PhaseOutcome {
        let now = scheduler.now
        switch (operation.action, task) {
        case (nil, .scheduling?):
            return scheduleBuild(index, now: now)
        case (nil, .networking?):
            return allocatePort(index, now: now)
        case (nil, .spawning?):
            return finishSpawn(index, operation: &operation, scheduler: &scheduler)
        case (.resize?, .resizePrep?), (.migrate?, .resizePrep?), (.liveMigrate?, .migrating?):
            // Choose and claim the destination (the live migration's at its start, see perform).
            if operation.action == .liveMigrate { return .continues }
            return claimDestination(index, operation: &operation, now: now)
        case (.unshelve?, .unshelving?):
            // From SHELVED the server is still on its host; from SHELVED_OFFLOADED it is placed again.
            if operation.previousVMState == .shelved { return .continues }
            return claimForUnshelve(index, now: now)
        default:
            return .continues
        }
    }
}
