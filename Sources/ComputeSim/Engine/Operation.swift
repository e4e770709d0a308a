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
    /// A shelve that stops at SHELVED (a positive or negative `shelved_offload_time`): its
    /// last task (offloading) is not run. Set with ``keepShelvedServer()``.
    private(set) var keepsShelvedServer = false
    /// An evacuate onto shared storage: the disk (and its injected files) is kept.
    var keepsDisk = false
    /// The task_state of each phase, from the lifecycle table when the operation starts.
    private var tasks: InlineFour<TaskState>

    init(action: ServerAction?, durations: PhaseDurations, startedAt: SimTime, previousVMState: VMState, previousPower: PowerState) {
        self.action = action
        self.durations = durations
        self.startedAt = startedAt
        self.previousVMState = previousVMState
        self.previousPower = previousPower
        tasks = InlineFour(filler: .scheduling)
        for task in action.map({ ServerLifecycle.taskSequences[$0.ordinal] }) ?? Self.buildTasks { tasks.append(task) }
    }

    /// Makes a shelve stop at SHELVED: its last phase (offloading) and that phase's duration go.
    mutating func keepShelvedServer() {
        keepsShelvedServer = true
        tasks.removeLast()
        durations.removeLast()
    }

    /// How many phases have a task_state.
    var taskCount: Int { tasks.count }

    /// The task_state during `phase`, nil past the last task.
    /// - Complexity: O(1).
    func task(at phase: Int) -> TaskState? {
        phase >= 0 && phase < tasks.count ? tasks[phase] : nil
    }

    static let buildTasks: [TaskState] = [.scheduling, .networking, .blockDeviceMapping, .spawning]

    var total: SimDuration { durations.total }
}
