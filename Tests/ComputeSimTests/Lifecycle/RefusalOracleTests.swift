import Testing

@testable import ComputeSim

/// An oracle for the refusal table, written from nova-facts §2b–2c (the guard decorators and the
/// action table) as plain strings, independently of `ServerLifecycle.rules` and `check`: it
/// decides, for every action and every (vm_state, task_state, launched, locked, host) case,
/// whether Nova refuses and with which message, in the decorators' order (lock, host, state).
enum RefusalOracle {
    struct Row {
        var message: String
        /// nil: any vm_state.
        var vmStates: [String]?
        /// "None" (task must be None), "any", or "ALLOW_REBOOT".
        var task: String
        var lock = true
        var host = false
        var hostUp = false
        var launched = true
    }

    static let allowReboot = ["rebooting", "reboot_pending", "reboot_started", "resuming", "rebooting_hard", "unpausing", "pausing", "suspending"]

    static let table: [ServerAction: Row] = [
        .delete: Row(message: "delete", vmStates: nil, task: "any", launched: false),
        .softDelete: Row(message: "delete", vmStates: nil, task: "any"),
        .restore: Row(message: "restore", vmStates: ["soft-delete"], task: "None"),
        .forceDelete: Row(message: "delete", vmStates: nil, task: "any", launched: false),
        .rebootSoft: Row(message: "reboot", vmStates: ["active"], task: "None"),
        .rebootHard: Row(message: "reboot", vmStates: ["active", "stopped", "paused", "suspended", "error"], task: "ALLOW_REBOOT"),
        .rebuild: Row(message: "rebuild", vmStates: ["active", "stopped", "error"], task: "None"),
        .resize: Row(message: "resize", vmStates: ["active", "stopped"], task: "None", host: true, hostUp: true),
        .migrate: Row(message: "migrate", vmStates: ["active", "stopped"], task: "None", host: true, hostUp: true),
        .confirmResize: Row(message: "confirmResize", vmStates: ["resized"], task: "None"),
        .revertResize: Row(message: "revertResize", vmStates: ["resized"], task: "None"),
        .liveMigrate: Row(message: "os-migrateLive", vmStates: ["active", "paused"], task: "None"),
        .rescue: Row(message: "rescue", vmStates: ["active", "stopped", "error"], task: "None"),
        .unrescue: Row(message: "unrescue", vmStates: ["rescued"], task: "None"),
        .suspend: Row(message: "suspend", vmStates: ["active"], task: "None"),
        .resume: Row(message: "resume", vmStates: ["suspended"], task: "None"),
        .pause: Row(message: "pause", vmStates: ["active"], task: "None"),
        .unpause: Row(message: "unpause", vmStates: ["paused"], task: "None"),
        .stop: Row(message: "stop", vmStates: ["active", "error"], task: "None", host: true),
        .start: Row(message: "start", vmStates: ["stopped"], task: "None", host: true),
        .shelve: Row(message: "shelve", vmStates: ["active", "stopped", "paused", "suspended"], task: "None"),
        .shelveOffload: Row(message: "shelveOffload", vmStates: ["shelved"], task: "None"),
        .unshelve: Row(message: "unshelve", vmStates: ["shelved", "shelved_offloaded"], task: "None"),
        .changePassword: Row(message: "changePassword", vmStates: ["active"], task: "None"),
        .lock: Row(message: "lock", vmStates: nil, task: "any", lock: false, launched: false),
        .unlock: Row(message: "unlock", vmStates: nil, task: "any", lock: false, launched: false),
        .createImage: Row(message: "createImage", vmStates: ["active", "stopped", "paused", "suspended"], task: "None", lock: false),
        .createBackup: Row(message: "createBackup", vmStates: ["active", "stopped", "paused", "suspended"], task: "None", lock: false),
        .evacuate: Row(message: "evacuate", vmStates: ["active", "stopped", "error"], task: "None"),
    ]

    /// Nova's answer: nil when allowed, else (HTTP status, message).
    static func refusal(
        _ action: ServerAction, id: String, vmState: String, task: String?, launched: Bool, locked: Bool, hasHost: Bool, hostUp: Bool
    ) -> (Int, String)? {
        guard let row = table[action] else { return (0, "no oracle row") }
        if row.lock && locked {
            // restore and changePassword catch only InstanceInvalidState: the generic text.
            if action == .restore || action == .changePassword { return (409, "Instance \(id) is in an invalid state for '\(row.message)'") }
            return (409, "Instance \(id) is locked")
        }
        if row.host && !hasHost { return (409, "Instance \(id) is not ready") }
        if row.host && row.hostUp && !hostUp { return (503, "Service is unavailable at this time.") }
        if let states = row.vmStates, !states.contains(vmState) { return (409, "Cannot '\(row.message)' instance \(id) while it is in vm_state \(vmState)") }
        let taskAllowed: Bool
        switch row.task {
        case "any": taskAllowed = true
        case "ALLOW_REBOOT": taskAllowed = task == nil || allowReboot.contains(task ?? "")
        default: taskAllowed = task == nil
        }
        if !taskAllowed { return (409, "Cannot '\(row.message)' instance \(id) while it is in task_state \(task ?? "None")") }
        if row.launched && !launched { return (409, "Cannot '\(row.message)' instance \(id) while it is in launched_at None") }
        return nil
    }
}

struct RefusalOracleTests {
    @Test("every action's guard agrees with the oracle in every vm_state, task_state, launch, lock and host case", arguments: ServerAction.allCases)
    func guardsAgreeWithTheOracle(action: ServerAction) {
        let id = ServerID("9e5d1c3a-0000-4000-8000-000000000001")
        var cases = 0
        for vmState in VMState.allCases {
            for task in [nil] + TaskState.allCases.map(Optional.some) {
                for launched in [true, false] {
                    for locked in [true, false] {
                        for (host, up) in [(true, true), (true, false), (false, false)] {
                            let server = GuardedServer(
                                id: id, vmState: vmState, taskState: task, isLaunched: launched, isLocked: locked, host: host ? "compute-01" : nil, isHostUp: up
                            )
                            let actual = ServerLifecycle.check(action, on: server).map { ($0.httpStatus, $0.message) }
                            let expected = RefusalOracle.refusal(
                                action, id: id.rawValue, vmState: vmState.rawValue, task: task?.rawValue, launched: launched, locked: locked, hasHost: host,
                                hostUp: up)
                            #expect(actual?.0 == expected?.0 && actual?.1 == expected?.1, "\(action) \(server)")
                            cases += 1
                        }
                    }
                }
            }
        }
        #expect(cases == VMState.allCases.count * (TaskState.allCases.count + 1) * 12)
    }

    @Test("admins pass the lock check and nothing else")
    func adminsBypassLocks() {
        let id = ServerID("9e5d1c3a-0000-4000-8000-000000000002")
        let locked = GuardedServer(id: id, vmState: .active, isLocked: true)
        #expect(ServerLifecycle.check(.pause, on: locked, isAdmin: true) == nil)
        #expect(ServerLifecycle.check(.pause, on: locked)?.message == "Instance \(id) is locked")
        let stopped = GuardedServer(id: id, vmState: .stopped, isLocked: true)
        #expect(ServerLifecycle.check(.pause, on: stopped, isAdmin: true)?.message == "Cannot 'pause' instance \(id) while it is in vm_state stopped")
    }
}
