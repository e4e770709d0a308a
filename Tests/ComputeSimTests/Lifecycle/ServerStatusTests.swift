import Foundation
import Testing

@testable import ComputeSim

/// nova-facts section 1, transcribed independently of the source as text rows:
/// "vm_state: default; task,task,...=STATUS; ..."
private let stateMapText = """
    active: ACTIVE; rebooting,reboot_pending,reboot_started=REBOOT; rebooting_hard,reboot_pending_hard,reboot_started_hard=HARD_REBOOT; updating_password=PASSWORD; rebuilding,rebuild_block_device_mapping,rebuild_spawning=REBUILD; migrating=MIGRATING; resize_prep,resize_migrating,resize_migrated,resize_finish=RESIZE
    building: BUILD
    stopped: SHUTOFF; resize_prep,resize_migrating,resize_migrated,resize_finish=RESIZE; rebuilding,rebuild_block_device_mapping,rebuild_spawning=REBUILD
    resized: VERIFY_RESIZE; resize_reverting=REVERT_RESIZE
    paused: PAUSED; migrating=MIGRATING
    suspended: SUSPENDED
    rescued: RESCUE
    error: ERROR; rebuilding,rebuild_block_device_mapping,rebuild_spawning=REBUILD
    deleted: DELETED
    soft-delete: SOFT_DELETED
    shelved: SHELVED
    shelved_offloaded: SHELVED_OFFLOADED
    """

private func expectedStatus(_ vmState: VMState, _ task: TaskState?) -> String? {
    for line in stateMapText.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts[0].trimmingCharacters(in: .whitespaces) == vmState.rawValue else { continue }
        let fields = parts[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        for override in fields.dropFirst() {
            let pieces = override.split(separator: "=")
            if let task, pieces[0].split(separator: ",").map(String.init).contains(task.rawValue) { return String(pieces[1]) }
        }
        return fields[0]
    }
    return nil
}

struct ServerStatusTests {
    @Test("the enumerations have Nova's sizes and strings")
    func theEnumerationsHaveNovasSizesAndStrings() {
        #expect(VMState.allCases.count == 12)
        #expect(TaskState.allCases.count == 42)
        #expect(ServerStatus.allCases.count == 20)
        #expect(PowerState.allCases.map(\.rawValue) == [0, 1, 3, 4, 6, 7])
        #expect(VMState.softDeleted.rawValue == "soft-delete")
        #expect(TaskState.poweringOff.rawValue == "powering-off" && TaskState.softDeleting.rawValue == "soft-deleting")
    }

    @Test("every (vm_state, task_state) cell maps to Nova's status", arguments: VMState.allCases)
    func everyCellMapsToNovasStatus(vmState: VMState) {
        for task in [nil] + TaskState.allCases.map(Optional.some) {
            #expect(ServerStatus(vmState: vmState, taskState: task).rawValue == expectedStatus(vmState, task), "\(vmState) \(String(describing: task))")
        }
    }

    @Test("deleted records are DELETED whatever their states, and an unknown vm_state is UNKNOWN")
    func deletedRecordsAndUnknownStates() {
        #expect(ServerStatus(vmState: .active, taskState: .rebooting, isDeleted: true) == .deleted)
        #expect(ServerStatus(vmState: nil, taskState: nil) == .unknown)
        #expect(ServerStatus(vmState: nil, taskState: .rebooting) == .unknown)
    }

    @Test("the easy-to-miss consequences of the table hold")
    func easyToMissConsequencesHold() {
        // Hard reboot of SHUTOFF/PAUSED/SUSPENDED/ERROR does not show HARD_REBOOT.
        for vmState in [VMState.stopped, .paused, .suspended, .error] {
            #expect(ServerStatus(vmState: vmState, taskState: .rebootingHard) == ServerStatus(vmState: vmState, taskState: nil))
        }
        // Transitional tasks that do not change the visible status.
        #expect(ServerStatus(vmState: .active, taskState: .deleting) == .active)
        #expect(ServerStatus(vmState: .active, taskState: .poweringOff) == .active)
        #expect(ServerStatus(vmState: .stopped, taskState: .poweringOn) == .shutoff)
        #expect(ServerStatus(vmState: .resized, taskState: .resizeConfirming) == .verifyResize)
        #expect(ServerStatus(vmState: .paused, taskState: .migrating) == .migrating)
    }

    @Test("progress is reported only for Nova's progress statuses")
    func progressIsReportedOnlyForProgressStatuses() {
        #expect(Set(ServerStatus.allCases.filter(\.reportsProgress)) == [.active, .build, .rebuild, .resize, .verifyResize, .migrating])
    }

    struct FilterCase: Sendable {
        var statuses: [String]
        var vmStates: Set<VMState>
        var tasks: Set<TaskState>?
    }

    static let filterCases: [FilterCase] = [
        FilterCase(statuses: ["ACTIVE"], vmStates: [.active], tasks: nil),
        FilterCase(statuses: ["reboot"], vmStates: [.active], tasks: [.rebooting, .rebootPending, .rebootStarted]),
        FilterCase(statuses: ["REBUILD"], vmStates: [.active, .error, .stopped], tasks: [.rebuilding, .rebuildBlockDeviceMapping, .rebuildSpawning]),
        FilterCase(statuses: ["RESIZE"], vmStates: [.active, .stopped], tasks: [.resizePrep, .resizeMigrating, .resizeMigrated, .resizeFinish]),
        FilterCase(statuses: ["MIGRATING"], vmStates: [.active, .paused], tasks: [.migrating]),
        FilterCase(statuses: ["REVERT_RESIZE"], vmStates: [.resized], tasks: [.resizeReverting]),
        FilterCase(statuses: ["REBOOT", "PAUSED"], vmStates: [.active, .paused], tasks: nil),
        FilterCase(statuses: ["VERIFY_RESIZE"], vmStates: [.resized], tasks: nil),
        FilterCase(statuses: ["UNKNOWN"], vmStates: [], tasks: []),
        FilterCase(statuses: ["bogus"], vmStates: [], tasks: []),
    ]

    @Test("status filters follow Nova's reverse mapping", arguments: filterCases)
    func statusFiltersFollowNovasReverseMapping(case given: FilterCase) {
        let filter = StatusFilter(statuses: given.statuses)
        #expect(filter.vmStates == given.vmStates)
        #expect(filter.taskStates == given.tasks)
        #expect(filter.matchesNothing == given.vmStates.isEmpty)
    }

    @Test("a status filter matches servers whose status it names")
    func aStatusFilterMatchesTheServersItNames() {
        #expect(StatusFilter(statuses: ["ACTIVE"]).matches(vmState: .active, taskState: .rebooting))
        #expect(StatusFilter(statuses: ["REBOOT"]).matches(vmState: .active, taskState: .rebooting))
        #expect(!StatusFilter(statuses: ["REBOOT"]).matches(vmState: .active, taskState: nil))
        #expect(!StatusFilter(statuses: ["SHUTOFF"]).matches(vmState: .active, taskState: nil))
    }

    @Test("a status's ordinal is its place among allCases, so tables indexed by it line up")
    func ordinals() {
        #expect(ServerStatus.allCases.enumerated().map { $0.offset } == ServerStatus.allCases.map(\.ordinal))
        #expect(ServerStatus.active.ordinal == 0 && ServerStatus.verifyResize.ordinal == 19)
    }
}
