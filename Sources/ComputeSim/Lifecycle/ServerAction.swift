/// Every server operation of the Compute API that the lifecycle rules govern.
public enum ServerAction: String, Hashable, Sendable, Codable, CaseIterable {
    case delete
    /// DELETE when a reclaim interval is configured.
    case softDelete
    case restore
    case forceDelete
    case rebootSoft
    case rebootHard
    case rebuild
    case resize
    /// Cold migration (`migrate`).
    case migrate
    case confirmResize
    case revertResize
    /// Live migration (`os-migrateLive`).
    case liveMigrate
    case rescue
    case unrescue
    case suspend
    case resume
    case pause
    case unpause
    /// `os-stop`.
    case stop
    /// `os-start`.
    case start
    case shelve
    case shelveOffload
    case unshelve
    case changePassword
    case lock
    case unlock
    case createImage
    /// `createBackup`: a snapshot kept as a backup of a type, the oldest beyond a rotation deleted.
    case createBackup
    /// `evacuate` (administrators): the server of a down host rebuilt on another host.
    case evacuate

    /// The action's name in Nova's conflict messages ("Cannot '<name>' instance ..."), from
    /// `names`.
    public var messageName: String { Self.names.first { $0.action == self }?.messageName ?? rawValue }

    /// The key of the action's body in `POST /servers/{id}/action` (`os-start`, `reboot`), or nil
    /// for the deletes, which are `DELETE /servers/{id}`; from `names`.
    public var requestKey: String? { Self.names.first { $0.action == self }?.requestKey }

    /// The action a request body key names (`reboot` gives ``rebootSoft``; the body's `type`
    /// says which), or nil for a key that is no action.
    public init?(requestKey: String) {
        guard let row = Self.names.first(where: { $0.requestKey == requestKey }) else { return nil }
        self = row.action
    }

    /// The one table of action names: each action's request body key (nil: not an action body)
    /// and its name in Nova's refusal messages. The JSON decoder, the refusal messages and the
    /// lifecycle rules all name actions through it; scenario files use ``rawValue``.
    static let names: [(action: ServerAction, requestKey: String?, messageName: String)] = [
        (.delete, nil, "delete"), (.softDelete, nil, "delete"), (.restore, "restore", "restore"), (.forceDelete, "forceDelete", "delete"),
        (.rebootSoft, "reboot", "reboot"), (.rebootHard, "reboot", "reboot"), (.rebuild, "rebuild", "rebuild"), (.resize, "resize", "resize"),
        (.migrate, "migrate", "migrate"), (.confirmResize, "confirmResize", "confirmResize"), (.revertResize, "revertResize", "revertResize"),
        (.liveMigrate, "os-migrateLive", "os-migrateLive"), (.rescue, "rescue", "rescue"), (.unrescue, "unrescue", "unrescue"),
        (.suspend, "suspend", "suspend"), (.resume, "resume", "resume"), (.pause, "pause", "pause"), (.unpause, "unpause", "unpause"),
        (.stop, "os-stop", "stop"), (.start, "os-start", "start"), (.shelve, "shelve", "shelve"), (.shelveOffload, "shelveOffload", "shelveOffload"),
        (.unshelve, "unshelve", "unshelve"), (.changePassword, "changePassword", "changePassword"), (.lock, "lock", "lock"),
        (.unlock, "unlock", "unlock"), (.createImage, "createImage", "createImage"),
        (.createBackup, "createBackup", "createBackup"), (.evacuate, "evacuate", "evacuate"),
    ]
}

/// Which task_states an action accepts.
enum TaskRequirement: Hashable, Sendable {
    /// The decorator default: no task may be in progress.
    case idle
    /// Any task (the check is disabled).
    case any
    /// Idle or one of these (hard reboot's ALLOW_REBOOT list).
    case idleOr(Set<TaskState>)

    func allows(_ task: TaskState?) -> Bool {
        switch self {
        case .idle: return task == nil
        case .any: return true
        case .idleOr(let tasks): return task.map { tasks.contains($0) } ?? true
        }
    }
}

/// How an action's final vm_state is chosen.
enum EndState: Hashable, Sendable {
    /// Always this vm_state.
    case fixed(VMState)
    /// The vm_state does not change (live migration, createImage, lock).
    case unchanged
    /// The vm_state before the operation (resume: the saved `old_vm_state`, default active).
    case previous(default: VMState)
    /// active, or stopped when the server was powered off before the operation (confirmResize
    /// checks the power state; rebuild and revertResize of a stopped server power it off again).
    case activeUnlessPoweredOff
}

/// One action's rule, as data: where it may start, what it checks, which task states it moves
/// through and where it ends (nova-facts 2b and 2c).
struct ActionRule: Hashable, Sendable {
    /// vm_states the action may start from; nil: any.
    public var allowedVMStates: Set<VMState>?
    /// The task_state requirement.
    public var task: TaskRequirement
    /// Whether a lock refuses non-admin callers.
    public var checksLock: Bool
    /// Whether the server must have a host ("Instance <id> is not ready" otherwise).
    public var requiresHost: Bool
    /// Whether that host must be up ("Service is unavailable at this time." otherwise).
    public var requiresHostUp: Bool
    /// Whether the server must have been built successfully once (`launched_at` set).
    public var requiresLaunched: Bool
    /// The task states the operation moves through, in order (empty: none).
    public var taskSequence: [TaskState]
    /// The final vm_state.
    public var end: EndState
    /// The HTTP status of a successful call.
    public var successCode: Int

    public init(
        allowedVMStates: Set<VMState>?, task: TaskRequirement = .idle, checksLock: Bool = true, requiresHost: Bool = false, requiresHostUp: Bool = false,
        requiresLaunched: Bool = false, taskSequence: [TaskState], end: EndState, successCode: Int = 202
    ) {
        self.allowedVMStates = allowedVMStates
        self.task = task
        self.checksLock = checksLock
        self.requiresHost = requiresHost
        self.requiresHostUp = requiresHostUp
        self.requiresLaunched = requiresLaunched
        self.taskSequence = taskSequence
        self.end = end
        self.successCode = successCode
    }
}

/// What a server looks like to the guards.
struct GuardedServer: Hashable, Sendable {
    public var id: ServerID
    public var vmState: VMState
    public var taskState: TaskState?
    public var isLaunched: Bool
    public var isLocked: Bool
    public var host: HostName?
    public var isHostUp: Bool

    public init(
        id: ServerID, vmState: VMState, taskState: TaskState? = nil, isLaunched: Bool = true, isLocked: Bool = false, host: HostName? = "compute-01",
        isHostUp: Bool = true
    ) {
        self.id = id
        self.vmState = vmState
        self.taskState = taskState
        self.isLaunched = isLaunched
        self.isLocked = isLocked
        self.host = host
        self.isHostUp = isHostUp
    }
}

/// Why a guard refused an action, with Nova's HTTP status and message.
struct ActionRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// 409 for state, lock and readiness conflicts; 503 for a down host.
    public var httpStatus: Int
    public var message: String

    public init(httpStatus: Int, message: String) {
        self.httpStatus = httpStatus
        self.message = message
    }

    public var description: String { "\(httpStatus) \(message)" }
}

/// The lifecycle rules of every action, as one table.
enum ServerLifecycle {
    /// ALLOW_REBOOT: the task states a hard reboot may interrupt.
    public static let hardRebootInterruptible: Set<TaskState> = [
        .rebooting, .rebootPending, .rebootStarted, .resuming, .rebootingHard, .unpausing, .pausing, .suspending,
    ]

    /// nova-facts 2c, one row per action. `launched_at` is required unless a row says otherwise,
    /// as `check_instance_state`'s default is (only delete, forceDelete, lock and unlock skip it).
    /// Unshelve's sequence is the one from shelved_offloaded, where shelve ends by default.
    public static let rules: [ServerAction: ActionRule] = [
        .delete: ActionRule(allowedVMStates: nil, task: .any, taskSequence: [.deleting], end: .fixed(.deleted), successCode: 204),
        .softDelete: ActionRule(
            allowedVMStates: nil, task: .any, requiresLaunched: true, taskSequence: [.softDeleting], end: .fixed(.softDeleted), successCode: 204),
        .restore: ActionRule(allowedVMStates: [.softDeleted], requiresLaunched: true, taskSequence: [.restoring], end: .fixed(.active)),
        .forceDelete: ActionRule(allowedVMStates: nil, task: .any, taskSequence: [.deleting], end: .fixed(.deleted)),
        .rebootSoft: ActionRule(
            allowedVMStates: [.active], requiresLaunched: true, taskSequence: [.rebooting, .rebootPending, .rebootStarted], end: .fixed(.active)),
        .rebootHard: ActionRule(
            allowedVMStates: [.active, .stopped, .paused, .suspended, .error], task: .idleOr(hardRebootInterruptible), requiresLaunched: true,
            taskSequence: [.rebootingHard, .rebootPendingHard, .rebootStartedHard], end: .fixed(.active)),
        .rebuild: ActionRule(
            allowedVMStates: [.active, .stopped, .error], requiresLaunched: true, taskSequence: [.rebuilding, .rebuildBlockDeviceMapping, .rebuildSpawning],
            end: .activeUnlessPoweredOff),
        .resize: ActionRule(
            allowedVMStates: [.active, .stopped], requiresHost: true, requiresHostUp: true, requiresLaunched: true,
            taskSequence: [.resizePrep, .resizeMigrating, .resizeMigrated, .resizeFinish], end: .fixed(.resized)),
        .migrate: ActionRule(
            allowedVMStates: [.active, .stopped], requiresHost: true, requiresHostUp: true, requiresLaunched: true,
            taskSequence: [.resizePrep, .resizeMigrating, .resizeMigrated, .resizeFinish], end: .fixed(.resized)),
        .confirmResize: ActionRule(allowedVMStates: [.resized], requiresLaunched: true, taskSequence: [], end: .activeUnlessPoweredOff, successCode: 204),
        .revertResize: ActionRule(allowedVMStates: [.resized], requiresLaunched: true, taskSequence: [.resizeReverting], end: .activeUnlessPoweredOff),
        .liveMigrate: ActionRule(allowedVMStates: [.active, .paused], requiresLaunched: true, taskSequence: [.migrating], end: .unchanged),
        .rescue: ActionRule(
            allowedVMStates: [.active, .stopped, .error], requiresLaunched: true, taskSequence: [.rescuing], end: .fixed(.rescued), successCode: 200),
        .unrescue: ActionRule(allowedVMStates: [.rescued], requiresLaunched: true, taskSequence: [.unrescuing], end: .fixed(.active)),
        .suspend: ActionRule(allowedVMStates: [.active], requiresLaunched: true, taskSequence: [.suspending], end: .fixed(.suspended)),
        .resume: ActionRule(allowedVMStates: [.suspended], requiresLaunched: true, taskSequence: [.resuming], end: .previous(default: .active)),
        .pause: ActionRule(allowedVMStates: [.active], requiresLaunched: true, taskSequence: [.pausing], end: .fixed(.paused)),
        .unpause: ActionRule(allowedVMStates: [.paused], requiresLaunched: true, taskSequence: [.unpausing], end: .fixed(.active)),
        .stop: ActionRule(allowedVMStates: [.active, .error], requiresHost: true, requiresLaunched: true, taskSequence: [.poweringOff], end: .fixed(.stopped)),
        .start: ActionRule(allowedVMStates: [.stopped], requiresHost: true, requiresLaunched: true, taskSequence: [.poweringOn], end: .fixed(.active)),
        .shelve: ActionRule(
            allowedVMStates: [.active, .stopped, .paused, .suspended], requiresLaunched: true,
            taskSequence: [.shelving, .shelvingImagePendingUpload, .shelvingImageUploading, .shelvingOffloading], end: .fixed(.shelvedOffloaded)),
        .shelveOffload: ActionRule(allowedVMStates: [.shelved], requiresLaunched: true, taskSequence: [.shelvingOffloading], end: .fixed(.shelvedOffloaded)),
        .unshelve: ActionRule(
            allowedVMStates: [.shelved, .shelvedOffloaded], requiresLaunched: true, taskSequence: [.unshelving, .spawning], end: .fixed(.active)),
        .changePassword: ActionRule(allowedVMStates: [.active], requiresLaunched: true, taskSequence: [.updatingPassword], end: .fixed(.active)),
        .lock: ActionRule(allowedVMStates: nil, task: .any, checksLock: false, taskSequence: [], end: .unchanged),
        .unlock: ActionRule(allowedVMStates: nil, task: .any, checksLock: false, taskSequence: [], end: .unchanged),
        .createImage: ActionRule(
            allowedVMStates: [.active, .stopped, .paused, .suspended], checksLock: false, requiresLaunched: true,
            taskSequence: [.imageSnapshotPending, .imageSnapshot, .imagePendingUpload, .imageUploading], end: .unchanged),
        // Nova does not check the lock for backups either.
        .createBackup: ActionRule(
            allowedVMStates: [.active, .stopped, .paused, .suspended], checksLock: false, requiresLaunched: true,
            taskSequence: [.imageBackup, .imagePendingUpload, .imageUploading], end: .unchanged),
        // Rebuilt on another host through the rebuild's tasks; a stopped server stays stopped
        // (Nova before 2.95), an active or errored one ends active.
        .evacuate: ActionRule(
            allowedVMStates: [.active, .stopped, .error], requiresLaunched: true, taskSequence: [.rebuilding, .rebuildBlockDeviceMapping, .rebuildSpawning],
            end: .activeUnlessPoweredOff, successCode: 200),
    ]

    /// The rule of `action`.
    /// - Complexity: O(1): an array read by the action's ordinal (no hashing).
    public static func rule(for action: ServerAction) -> ActionRule {
        ruleTable[action.ordinal]
    }

    /// Each action's task sequence by action ordinal (read on every phase of every operation).
    static let taskSequences: [[TaskState]] = ruleTable.map(\.taskSequence)

    /// ``rules`` by action ordinal.
    static let ruleTable: [ActionRule] = ServerAction.allCases.map { action in
        // Every case has a row; a missing one is a programming error caught by the tests.
        guard let rule = rules[action] else { preconditionFailure("no lifecycle rule for \(action)") }
        return rule
    }

    /// Applies Nova's guards in Nova's order (lock, then host, then vm_state, task_state and
    /// launched_at) and returns the refusal, or nil when the action may start.
    ///
    /// Messages are Nova's: "Instance <id> is locked" (but restore and changePassword, whose
    /// controllers do not catch the lock error separately, say "Instance <id> is in an invalid
    /// state for '<action>'"), "Instance <id> is not ready", "Service is unavailable at this
    /// time." (503), and "Cannot '<action>' instance <id> while it is in <attr> <value>".
    public static func check(_ action: ServerAction, on server: GuardedServer, isAdmin: Bool = false) -> ActionRefusal? {
        let rule = rule(for: action)
        let id = server.id.rawValue
        if rule.checksLock && server.isLocked && !isAdmin {
            if action == .restore || action == .changePassword {
                return ActionRefusal(httpStatus: 409, message: "Instance \(id) is in an invalid state for '\(action.messageName)'")
            }
            return ActionRefusal(httpStatus: 409, message: "Instance \(id) is locked")
        }
        if rule.requiresHost {
            guard server.host != nil else { return ActionRefusal(httpStatus: 409, message: "Instance \(id) is not ready") }
            if rule.requiresHostUp && !server.isHostUp { return ActionRefusal(httpStatus: 503, message: "Service is unavailable at this time.") }
        }
        if let allowed = rule.allowedVMStates, !allowed.contains(server.vmState) {
            return ActionRefusal(httpStatus: 409, message: "Cannot '\(action.messageName)' instance \(id) while it is in vm_state \(server.vmState.rawValue)")
        }
        if !rule.task.allows(server.taskState) {
            return ActionRefusal(
                httpStatus: 409, message: "Cannot '\(action.messageName)' instance \(id) while it is in task_state \(server.taskState?.rawValue ?? "None")")
        }
        if rule.requiresLaunched && !server.isLaunched {
            return ActionRefusal(httpStatus: 409, message: "Cannot '\(action.messageName)' instance \(id) while it is in launched_at None")
        }
        return nil
    }
}
