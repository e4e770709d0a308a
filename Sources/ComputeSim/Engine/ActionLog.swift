// The instance action log (os-instance-actions): what the engine records per server and how an
// operation's end closes its event.

/// A request id's 122 random bits (a version 4 UUID's), kept as two words; its text is built
/// only when a view shows it.
struct RequestID: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    /// The next id of `random`: two draws, as ``ComputeCloud``'s UUIDs.
    init(_ random: inout DeterministicRandom) {
        high = (random.next() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000
        low = (random.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
    }

    /// `req-` and the UUID.
    var text: String { "req-" + ComputeCloud.uuidText(high: high, low: low) }
}

/// The actions Nova records, by its names, and the compute event each runs.
enum InstanceActionKind: UInt8, Hashable, Sendable {
    case create, delete, localDelete, softDelete, restore, reboot, rebuild, resize, migrate, confirmResize, revertResize, liveMigration
    case rescue, unrescue, suspend, resume, pause, unpause, stop, start, shelve, shelveOffload, unshelve, changePassword, lock, unlock
    case createImage, createBackup, evacuate, resetState, liveMigrationForceComplete, liveMigrationCancel

    /// The kind recorded for a server action.
    init(_ action: ServerAction) {
        switch action {
        case .delete, .forceDelete: self = .delete
        case .softDelete: self = .softDelete
        case .restore: self = .restore
        case .rebootSoft, .rebootHard: self = .reboot
        case .rebuild: self = .rebuild
        case .resize: self = .resize
        case .migrate: self = .migrate
        case .confirmResize: self = .confirmResize
        case .revertResize: self = .revertResize
        case .liveMigrate: self = .liveMigration
        case .rescue: self = .rescue
        case .unrescue: self = .unrescue
        case .suspend: self = .suspend
        case .resume: self = .resume
        case .pause: self = .pause
        case .unpause: self = .unpause
        case .stop: self = .stop
        case .start: self = .start
        case .shelve: self = .shelve
        case .shelveOffload: self = .shelveOffload
        case .unshelve: self = .unshelve
        case .changePassword: self = .changePassword
        case .lock: self = .lock
        case .unlock: self = .unlock
        case .createImage: self = .createImage
        case .createBackup: self = .createBackup
        case .evacuate: self = .evacuate
        }
    }

    /// Nova's action name (`nova/compute/instance_actions.py`).
    var name: String {
        switch self {
        case .create: "create"
        case .delete, .localDelete, .softDelete: "delete"
        case .restore: "restore"
        case .reboot: "reboot"
        case .rebuild: "rebuild"
        case .resize: "resize"
        case .migrate: "migrate"
        case .confirmResize: "confirmResize"
        case .revertResize: "revertResize"
        case .liveMigration: "live-migration"
        case .rescue: "rescue"
        case .unrescue: "unrescue"
        case .suspend: "suspend"
        case .resume: "resume"
        case .pause: "pause"
        case .unpause: "unpause"
        case .stop: "stop"
        case .start: "start"
        case .shelve: "shelve"
        case .shelveOffload: "shelveOffload"
        case .unshelve: "unshelve"
        case .changePassword: "changePassword"
        case .lock: "lock"
        case .unlock: "unlock"
        case .createImage: "createImage"
        case .createBackup: "createBackup"
        case .evacuate: "evacuate"
        case .resetState: "resetState"
        case .liveMigrationForceComplete: "live_migration_force_complete"
        case .liveMigrationCancel: "live_migration_cancel"
        }
    }

    /// The compute manager method's event (Nova's `wrap_instance_event` names it
    /// `compute_<method>`); nil for actions that run nothing on a compute host.
    var event: String? {
        switch self {
        case .create: "compute__do_build_and_run_instance"
        case .delete: "compute_terminate_instance"
        case .localDelete, .lock, .unlock, .resetState: nil
        case .softDelete: "compute_soft_delete_instance"
        case .restore: "compute_restore_instance"
        case .reboot: "compute_reboot_instance"
        case .rebuild, .evacuate: "compute_rebuild_instance"
        case .resize, .migrate: "compute_resize_instance"
        case .confirmResize: "compute_confirm_resize"
        case .revertResize: "compute_revert_resize"
        case .liveMigration: "compute_live_migration"
        case .rescue: "compute_rescue_instance"
        case .unrescue: "compute_unrescue_instance"
        case .suspend: "compute_suspend_instance"
        case .resume: "compute_resume_instance"
        case .pause: "compute_pause_instance"
        case .unpause: "compute_unpause_instance"
        case .stop: "compute_stop_instance"
        case .start: "compute_start_instance"
        case .shelve: "compute_shelve_instance"
        case .shelveOffload: "compute_shelve_offload_instance"
        case .unshelve: "compute_unshelve_instance"
        case .changePassword: "compute_set_admin_password"
        case .createImage: "compute_snapshot_instance"
        case .createBackup: "compute_backup_instance"
        case .liveMigrationForceComplete: "compute_live_migration_force_complete"
        case .liveMigrationCancel: "compute_live_migration_abort"
        }
    }
}

/// One recorded action of a server, with its event's progress.
struct ActionEntry: Hashable, Sendable {
    var kind: InstanceActionKind
    /// Whether the event has finished (always true for a kind without an event), and whether it failed.
    var isFinished: Bool
    var failed = false
    var request: RequestID
    var project: ProjectID
    var user: String
    var start: SimTime
    var finish: SimTime = .zero
    /// The host the event ran on, once it finished.
    var host: HostName? = nil
    /// The fault message of a failed event.
    var details: String? = nil

    init(kind: InstanceActionKind, request: RequestID, project: ProjectID, user: String, start: SimTime) {
        self.kind = kind
        self.request = request
        self.project = project
        self.user = user
        self.start = start
        isFinished = kind.event == nil
    }
}

extension CloudWorld {
    /// Records an accepted action on the server at `index` (when the configuration keeps the
    /// log). An operation that already ended (a delete done at once) or never started (no host
    /// for a migration: `failure` says why) closes its event now.
    /// - Complexity: amortised O(1).
    /// With `finishedNow`, the action's own event ran at once (force-complete, abort) and
    /// finishes now, whatever operation is under way.
    mutating func recordAction(
        _ kind: InstanceActionKind, on index: Int32, request: RequestID, caller: Caller, now: SimTime, failure: String? = nil, finishedNow: Bool = false
    ) {
        guard configuration.recordsInstanceActions else { return }
        let i = Int(index)
        if i >= actionLogs.count { actionLogs.append(contentsOf: repeatElement([], count: i + 1 - actionLogs.count)) }
        var entry = ActionEntry(kind: kind, request: request, project: caller.project, user: caller.user, start: now)
        if finishedNow {
            entry.isFinished = true
            entry.finish = now
            entry.host = servers[i].server.host
        }
        actionLogs[i].append(entry)
        if servers[i].operation == nil && !finishedNow { closeEvent(of: index, now: now, failure: failure) }
    }

    /// Finishes the open event of the server's newest action that has an event: with success,
    /// or failed with `failure` as its details. Nothing when that event already finished.
    /// - Complexity: O(actions recorded since the event's action without one), in practice O(1).
    mutating func closeEvent(of index: Int32, now: SimTime, failure: String?) {
        let i = Int(index)
        guard i < actionLogs.count else { return }
        guard let position = actionLogs[i].lastIndex(where: { $0.kind.event != nil }), !actionLogs[i][position].isFinished else { return }
        actionLogs[i][position].isFinished = true
        actionLogs[i][position].finish = now
        actionLogs[i][position].failed = failure != nil
        actionLogs[i][position].details = failure
        actionLogs[i][position].host = servers[i].server.host
    }
}
