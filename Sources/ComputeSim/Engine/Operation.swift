/// One operation in progress on a server: which action (nil: the initial build), which phase,
/// and the phase durations drawn when it started.
struct Operation: Hashable, Sendable {
    var action: ServerAction?
    var phase = 0
    var durations: [SimDuration]
    var startedAt: SimTime
    /// vm_state and power state before the operation.
    var previousVMState: VMState
    var previousPower: PowerState
    /// resize/migrate/live-migrate: the flavor to move to and the chosen destination.
    var targetFlavor: Flavor?
    var targetHost: HostName?
    /// A shelve that stops at SHELVED (a positive or negative `shelved_offload_time`).
    var keepsShelvedServer = false

    var tasks: [TaskState] {
        guard let action else { return [.scheduling, .networking, .blockDeviceMapping, .spawning] }
        let sequence = ServerLifecycle.rule(for: action).taskSequence
        return keepsShelvedServer ? Array(sequence.dropLast()) : sequence
    }

    var total: SimDuration { durations.reduce(.zero, +) }
}
