import Foundation
import Testing

@testable import ComputeSim

/// nova-facts 2c, transcribed independently of the source:
/// "action | allowed vm_states (* = any) | task (none, any, or a list that also allows none) |
///  flags | task sequence | end"
private let actionTable = """
    delete | * | any | lock | deleting | deleted
    softDelete | * | any | lock launched | soft-deleting | soft-delete
    restore | soft-delete | none | lock launched | restoring | active
    forceDelete | * | any | lock | deleting | deleted
    rebootSoft | active | none | lock launched | rebooting reboot_pending reboot_started | active
    rebootHard | active stopped paused suspended error | rebooting reboot_pending reboot_started resuming rebooting_hard unpausing pausing suspending | lock launched | rebooting_hard reboot_pending_hard reboot_started_hard | active
    rebuild | active stopped error | none | lock launched | rebuilding rebuild_block_device_mapping rebuild_spawning | active-or-stopped
    resize | active stopped | none | lock host hostUp launched | resize_prep resize_migrating resize_migrated resize_finish | resized
    migrate | active stopped | none | lock host hostUp launched | resize_prep resize_migrating resize_migrated resize_finish | resized
    confirmResize | resized | none | lock launched | - | active-or-stopped
    revertResize | resized | none | lock launched | resize_reverting | active-or-stopped
    liveMigrate | active paused | none | lock launched | migrating | unchanged
    rescue | active stopped error | none | lock launched | rescuing | rescued
    unrescue | rescued | none | lock launched | unrescuing | active
    suspend | active | none | lock launched | suspending | suspended
    resume | suspended | none | lock launched | resuming | previous
    pause | active | none | lock launched | pausing | paused
    unpause | paused | none | lock launched | unpausing | active
    stop | active error | none | lock host launched | powering-off | stopped
    start | stopped | none | lock host launched | powering-on | active
    shelve | active stopped paused suspended | none | lock launched | shelving shelving_image_pending_upload shelving_image_uploading shelving_offloading | shelved_offloaded
    shelveOffload | shelved | none | lock launched | shelving_offloading | shelved_offloaded
    unshelve | shelved shelved_offloaded | none | lock launched | unshelving spawning | active
    changePassword | active | none | lock launched | updating_password | active
    lock | * | any | - | - | unchanged
    unlock | * | any | - | - | unchanged
    createImage | active stopped paused suspended | none | launched | image_snapshot_pending image_snapshot image_pending_upload image_uploading | unchanged
    createBackup | active stopped paused suspended | none | launched | image_backup image_pending_upload image_uploading | unchanged
    evacuate | active stopped error | none | lock launched | rebuilding rebuild_block_device_mapping rebuild_spawning | active-or-stopped
    """

private struct Row {
    var vmStates: Set<String>?
    var task: String
    var flags: Set<String>
    var sequence: [String]
    var end: String
}

private let rows: [String: Row] = {
    var rows: [String: Row] = [:]
    for line in actionTable.split(separator: "\n") {
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let words = { (cell: String) in cell == "-" ? [] : cell.split(separator: " ").map(String.init) }
        rows[cells[0]] = Row(
            vmStates: cells[1] == "*" ? nil : Set(words(cells[1])), task: cells[2], flags: Set(words(cells[3])), sequence: words(cells[4]), end: cells[5])
    }
    return rows
}()

struct ActionRuleTests {
    @Test("every action has a rule and the table covers every action")
    func everyActionHasARule() {
        #expect(Set(ServerAction.allCases.map(\.rawValue)) == Set(rows.keys))
        #expect(ServerLifecycle.rules.count == ServerAction.allCases.count)
    }

    @Test("rules match nova-facts: flags, task sequences, end states and success codes", arguments: ServerAction.allCases)
    func rulesMatchNovaFacts(action: ServerAction) throws {
        let rule = ServerLifecycle.rule(for: action)
        let row = try #require(rows[action.rawValue])
        #expect(rule.checksLock == row.flags.contains("lock"))
        #expect(rule.requiresHost == row.flags.contains("host"))
        #expect(rule.requiresHostUp == row.flags.contains("hostUp"))
        #expect(rule.requiresLaunched == row.flags.contains("launched"))
        #expect(rule.taskSequence.map(\.rawValue) == row.sequence)
        let end: String
        switch rule.end {
        case .fixed(let state): end = state.rawValue
        case .unchanged: end = "unchanged"
        case .previous: end = "previous"
        case .activeUnlessPoweredOff: end = "active-or-stopped"
        }
        #expect(end == row.end)
        let expectedCode = [ServerAction.delete: 204, .softDelete: 204, .confirmResize: 204, .rescue: 200, .evacuate: 200][action] ?? 202
        #expect(rule.successCode == expectedCode)
    }

    @Test("every (action, vm_state, task_state) cell is allowed or refused with Nova's exact message", arguments: ServerAction.allCases)
    func everyCellIsAllowedOrRefusedExactly(action: ServerAction) throws {
        let row = try #require(rows[action.rawValue])
        let name =
            action == .rebootSoft || action == .rebootHard
            ? "reboot" : (action == .liveMigrate ? "os-migrateLive" : ([.softDelete, .forceDelete].contains(action) ? "delete" : action.rawValue))
        var allowedCells = 0
        for vmState in VMState.allCases {
            for task in [nil] + TaskState.allCases.map(Optional.some) {
                let server = GuardedServer(id: "srv-1", vmState: vmState, taskState: task)
                let refusal = ServerLifecycle.check(action, on: server)
                let stateOK = row.vmStates.map { $0.contains(vmState.rawValue) } ?? true
                let taskOK: Bool
                switch row.task {
                case "any": taskOK = true
                case "none": taskOK = task == nil
                default: taskOK = task == nil || row.task.split(separator: " ").map(String.init).contains(task!.rawValue)
                }
                if !stateOK {
                    #expect(refusal == ActionRefusal(httpStatus: 409, message: "Cannot '\(name)' instance srv-1 while it is in vm_state \(vmState.rawValue)"))
                } else if !taskOK {
                    #expect(refusal == ActionRefusal(httpStatus: 409, message: "Cannot '\(name)' instance srv-1 while it is in task_state \(task!.rawValue)"))
                } else {
                    #expect(refusal == nil, "\(action) from \(vmState) \(String(describing: task))")
                    allowedCells += 1
                }
            }
        }
        #expect(allowedCells > 0)
    }

    @Test("locked servers refuse non-admin callers with Nova's message, and admins pass")
    func lockedServersRefuseNonAdmins() {
        let locked = GuardedServer(id: "srv-1", vmState: .active, isLocked: true)
        #expect(ServerLifecycle.check(.rebootSoft, on: locked) == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is locked"))
        #expect(ServerLifecycle.check(.rebootSoft, on: locked, isAdmin: true) == nil)
        #expect(ServerLifecycle.check(.delete, on: locked) == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is locked"))
        // restore and changePassword controllers only catch InstanceInvalidState.
        #expect(
            ServerLifecycle.check(.changePassword, on: locked)
                == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is in an invalid state for 'changePassword'"))
        #expect(
            ServerLifecycle.check(.restore, on: GuardedServer(id: "srv-1", vmState: .softDeleted, isLocked: true))
                == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is in an invalid state for 'restore'"))
        // createImage and lock/unlock do not check the lock.
        #expect(ServerLifecycle.check(.createImage, on: locked) == nil)
        #expect(ServerLifecycle.check(.unlock, on: locked) == nil)
        // The lock is checked before the state.
        #expect(ServerLifecycle.check(.start, on: locked) == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is locked"))
    }

    @Test("host guards come after the lock and before the state")
    func hostGuardsComeAfterTheLockAndBeforeTheState() {
        let homeless = GuardedServer(id: "srv-1", vmState: .building, host: nil)
        #expect(ServerLifecycle.check(.stop, on: homeless) == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is not ready"))
        #expect(ServerLifecycle.check(.resize, on: homeless) == ActionRefusal(httpStatus: 409, message: "Instance srv-1 is not ready"))
        let hostDown = GuardedServer(id: "srv-1", vmState: .active, isHostUp: false)
        #expect(ServerLifecycle.check(.resize, on: hostDown) == ActionRefusal(httpStatus: 503, message: "Service is unavailable at this time."))
        #expect(ServerLifecycle.check(.migrate, on: hostDown) == ActionRefusal(httpStatus: 503, message: "Service is unavailable at this time."))
        #expect(ServerLifecycle.check(.stop, on: hostDown) == nil)
    }

    @Test("actions that need a launched server refuse one that never launched")
    func neverLaunchedServersAreRefused() {
        let failedBuild = GuardedServer(id: "srv-1", vmState: .error, isLaunched: false)
        #expect(
            ServerLifecycle.check(.rebuild, on: failedBuild)
                == ActionRefusal(httpStatus: 409, message: "Cannot 'rebuild' instance srv-1 while it is in launched_at None"))
        #expect(
            ServerLifecycle.check(.rebootHard, on: failedBuild)
                == ActionRefusal(httpStatus: 409, message: "Cannot 'reboot' instance srv-1 while it is in launched_at None"))
        #expect(ServerLifecycle.check(.delete, on: failedBuild) == nil)
        #expect(ServerLifecycle.check(.forceDelete, on: failedBuild) == nil)
        #expect(
            ServerLifecycle.check(.softDelete, on: failedBuild)
                == ActionRefusal(httpStatus: 409, message: "Cannot 'delete' instance srv-1 while it is in launched_at None"))
    }

    @Test("the issue's example message: starting a stopped-only action from the wrong state")
    func theIssuesExampleMessage() {
        let stopped = GuardedServer(id: "9c3f", vmState: .stopped)
        #expect(ServerLifecycle.check(.pause, on: stopped)?.message == "Cannot 'pause' instance 9c3f while it is in vm_state stopped")
        #expect(ServerLifecycle.check(.start, on: stopped) == nil)
    }
}

struct ActionNameTableTests {
    @Test("the name table lists every action once, and each request key reads back as its action")
    func everyActionOnce() {
        #expect(ServerAction.names.map(\.action) == ServerAction.allCases)
        for action in ServerAction.allCases {
            guard let key = action.requestKey else {
                #expect([.delete, .softDelete].contains(action))
                continue
            }
            let read = ServerAction(requestKey: key)
            #expect(read == action || (key == "reboot" && read == .rebootSoft && action == .rebootHard), "\(key)")
        }
        #expect(ServerAction(requestKey: "os-start") == .start && ServerAction.start.messageName == "start")
        #expect(ServerAction(requestKey: "start") == nil && ServerAction(requestKey: "delete") == nil)
        #expect(ServerAction.forceDelete.messageName == "delete" && ServerAction.liveMigrate.messageName == "os-migrateLive")
    }
}
