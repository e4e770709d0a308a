/// The API `status` of a server: one of the 20 strings Nova's response schema allows.
public enum ServerStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active = "ACTIVE"
    case build = "BUILD"
    case deleted = "DELETED"
    case error = "ERROR"
    case hardReboot = "HARD_REBOOT"
    case migrating = "MIGRATING"
    case password = "PASSWORD"
    case paused = "PAUSED"
    case reboot = "REBOOT"
    case rebuild = "REBUILD"
    case rescue = "RESCUE"
    case resize = "RESIZE"
    case revertResize = "REVERT_RESIZE"
    case shelved = "SHELVED"
    case shelvedOffloaded = "SHELVED_OFFLOADED"
    case shutoff = "SHUTOFF"
    case softDeleted = "SOFT_DELETED"
    case suspended = "SUSPENDED"
    case unknown = "UNKNOWN"
    case verifyResize = "VERIFY_RESIZE"

    /// One row of the state map: the status for a vm_state, and the task_states that override it.
    struct Row: Sendable {
        var standard: ServerStatus
        var overrides: [TaskState: ServerStatus]
    }

    private static let rebootTasks: [TaskState] = [.rebooting, .rebootPending, .rebootStarted]
    private static let hardRebootTasks: [TaskState] = [.rebootingHard, .rebootPendingHard, .rebootStartedHard]
    private static let rebuildTasks: [TaskState] = [.rebuilding, .rebuildBlockDeviceMapping, .rebuildSpawning]
    private static let resizeTasks: [TaskState] = [.resizePrep, .resizeMigrating, .resizeMigrated, .resizeFinish]

    private static func overrides(_ groups: [([TaskState], ServerStatus)]) -> [TaskState: ServerStatus] {
        var map: [TaskState: ServerStatus] = [:]
        for (tasks, status) in groups { for task in tasks { map[task] = status } }
        return map
    }

    /// Nova's `_STATE_MAP` (`nova/api/openstack/common.py`), as data.
    static let stateMap: [VMState: Row] = [
        .active: Row(
            standard: .active,
            overrides: overrides([
                (rebootTasks, .reboot), (hardRebootTasks, .hardReboot), ([.updatingPassword], .password),
                (rebuildTasks, .rebuild), ([.migrating], .migrating), (resizeTasks, .resize),
            ])),
        .building: Row(standard: .build, overrides: [:]),
        .stopped: Row(standard: .shutoff, overrides: overrides([(resizeTasks, .resize), (rebuildTasks, .rebuild)])),
        .resized: Row(standard: .verifyResize, overrides: [.resizeReverting: .revertResize]),
        .paused: Row(standard: .paused, overrides: [.migrating: .migrating]),
        .suspended: Row(standard: .suspended, overrides: [:]),
        .rescued: Row(standard: .rescue, overrides: [:]),
        .error: Row(standard: .error, overrides: overrides([(rebuildTasks, .rebuild)])),
        .deleted: Row(standard: .deleted, overrides: [:]),
        .softDeleted: Row(standard: .softDeleted, overrides: [:]),
        .shelved: Row(standard: .shelved, overrides: [:]),
        .shelvedOffloaded: Row(standard: .shelvedOffloaded, overrides: [:]),
    ]

    /// The status Nova shows for a server, derived by one table exactly as Nova does: a deleted
    /// record is DELETED whatever its states; an unknown (nil) vm_state is UNKNOWN; otherwise the
    /// vm_state's row, where a task_state with an entry overrides the row's default.
    ///
    /// ComputeSim adds one rule of its product spec on top (applied by the cloud, not here): a
    /// server on a host that is down reports UNKNOWN until the host returns.
    public init(vmState: VMState?, taskState: TaskState?, isDeleted: Bool = false) {
        if isDeleted {
            self = .deleted
            return
        }
        guard let vmState else {
            self = .unknown
            return
        }
        self = Self.statusTable[vmState.ordinal * Self.statusRowWidth + (taskState?.ordinal ?? Self.noTaskColumn)]
    }

    /// The column of ``statusTable`` for no task_state: the one after every ``TaskState``.
    /// Stored, so a lookup reads a constant instead of counting `allCases` (an array built per call).
    static let noTaskColumn = TaskState.caseCount

    /// The width of one vm_state's row of ``statusTable``: every task_state, then none.
    static let statusRowWidth = TaskState.caseCount + 1

    /// ``stateMap`` flattened: one status per (vm_state, task_state or none), indexed by their
    /// ordinals, so the status of a server costs one array read instead of two hashed lookups.
    static let statusTable: [ServerStatus] = {
        var table: [ServerStatus] = []
        table.reserveCapacity(VMState.caseCount * statusRowWidth)
        for vmState in VMState.allCases {
            let row = stateMap[vmState]
            for task in TaskState.allCases { table.append(row.map { $0.overrides[task] ?? $0.standard } ?? .unknown) }
            table.append(row?.standard ?? .unknown)
        }
        return table
    }()

    /// Whether Nova includes `progress` in a server view with this status
    /// (`_progress_statuses` in `views/servers.py`).
    public var reportsProgress: Bool {
        switch self {
        case .active, .build, .rebuild, .resize, .verifyResize, .migrating: return true
        default: return false
        }
    }
}

/// What `GET /servers?status=...` filters on, derived from the same table as Nova does
/// (`task_and_vm_state_from_status`): the union over every requested status of the vm_states
/// and task_states (or the row default) that map to it. The two sets are independent.
struct StatusFilter: Hashable, Sendable {
    /// Servers must have one of these vm_states.
    public var vmStates: Set<VMState>
    /// Servers must also have one of these task_states, or nil for no task filter (when any
    /// requested status is some row's default).
    public var taskStates: Set<TaskState>?

    /// The filter for `statuses` (matched case-insensitively). Unknown words, and UNKNOWN,
    /// contribute nothing; when nothing matches at all, both sets are empty (Nova then answers
    /// 400 "Invalid status value" from microversion 2.38, an empty list before).
    public init(statuses: [String]) {
        var vmStates = Set<VMState>()
        var taskStates = Set<TaskState>()
        var includesDefault = false
        let wanted = Set(statuses.map { $0.uppercased() })
        for vmState in VMState.allCases {
            guard let row = ServerStatus.stateMap[vmState] else { continue }
            if wanted.contains(row.standard.rawValue) {
                vmStates.insert(vmState)
                includesDefault = true
            }
            for (task, status) in row.overrides where wanted.contains(status.rawValue) {
                vmStates.insert(vmState)
                taskStates.insert(task)
            }
        }
        self.vmStates = vmStates
        self.taskStates = includesDefault ? nil : taskStates
    }

    /// Whether nothing matched (an invalid status value).
    public var matchesNothing: Bool { vmStates.isEmpty }

    /// Whether a server with these states passes the filter.
    public func matches(vmState: VMState, taskState: TaskState?) -> Bool {
        guard vmStates.contains(vmState) else { return false }
        guard let taskStates else { return true }
        return taskState.map { taskStates.contains($0) } ?? false
    }
}

extension ServerStatus {
    /// The status's position among ``allCases`` (declaration order), for tables indexed by
    /// status without hashing its raw string.
    var ordinal: Int {
        switch self {
        case .active: 0
        case .build: 1
        case .deleted: 2
        case .error: 3
        case .hardReboot: 4
        case .migrating: 5
        case .password: 6
        case .paused: 7
        case .reboot: 8
        case .rebuild: 9
        case .rescue: 10
        case .resize: 11
        case .revertResize: 12
        case .shelved: 13
        case .shelvedOffloaded: 14
        case .shutoff: 15
        case .softDeleted: 16
        case .suspended: 17
        case .unknown: 18
        case .verifyResize: 19
        }
    }
}
