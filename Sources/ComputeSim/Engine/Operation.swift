/// One operation in progress on a server: which action (nil: the initial build), which phase,
/// and the phase durations drawn when it started.
struct Operation: Hashable, Sendable {
    var action: ServerAction?
    var phase = 0
    var durations: PhaseDurations
    var startedAt: SimTime
    /// vm_state and power state before the operation.
    var previousVMState: VMState
    var previousPower: PowerState
    /// resize/migrate/live-migrate: the chosen destination's pool number (a number, not a
    /// name, and the target flavor in the record's ``ServerRecord/operationFlavor``: copying an
    /// operation, at every phase end, retains nothing).
    var targetHost: Int32?
    /// A shelve that stops at SHELVED (a positive or negative `shelved_offload_time`).
    var keepsShelvedServer = false
    /// An evacuate onto shared storage: the disk (and its injected files) is kept.
    var keepsDisk = false

    /// The task_state of each phase, from the lifecycle table (no array is built).
    var tasks: ArraySlice<TaskState> {
        guard let action else { return Self.buildTasks[...] }
        let sequence = ServerLifecycle.taskSequences[action.ordinal]
        return keepsShelvedServer ? sequence.dropLast() : sequence[...]
    }

    /// The task_state during `phase`, nil past the last task.
    /// - Complexity: O(1).
    func task(at phase: Int) -> TaskState? {
        let tasks = self.tasks
        return phase < tasks.count ? tasks[tasks.startIndex + phase] : nil
    }

    static let buildTasks: [TaskState] = [.scheduling, .networking, .blockDeviceMapping, .spawning]

    var total: SimDuration { durations.total }
}
