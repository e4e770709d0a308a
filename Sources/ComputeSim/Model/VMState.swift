/// Nova's `vm_state`: the stable state of a server (`nova/objects/fields.py`). Raw values are
/// the strings Nova stores and shows as `OS-EXT-STS:vm_state`.
public enum VMState: String, Hashable, Sendable, Codable, CaseIterable {
    case active
    case building
    case paused
    case suspended
    case stopped
    case rescued
    case resized
    /// Note the hyphen: Nova's string is `soft-delete`.
    case softDeleted = "soft-delete"
    case deleted
    case error
    case shelved
    case shelvedOffloaded = "shelved_offloaded"
}

/// Nova's `task_state`: the operation in progress, nil when idle (all 42 of them).
public enum TaskState: String, Hashable, Sendable, Codable, CaseIterable {
    case scheduling
    case blockDeviceMapping = "block_device_mapping"
    case networking
    case spawning
    case imageSnapshot = "image_snapshot"
    case imageSnapshotPending = "image_snapshot_pending"
    case imagePendingUpload = "image_pending_upload"
    case imageUploading = "image_uploading"
    case imageBackup = "image_backup"
    case updatingPassword = "updating_password"
    case resizePrep = "resize_prep"
    case resizeMigrating = "resize_migrating"
    case resizeMigrated = "resize_migrated"
    case resizeFinish = "resize_finish"
    case resizeReverting = "resize_reverting"
    case resizeConfirming = "resize_confirming"
    case rebooting
    case rebootPending = "reboot_pending"
    case rebootStarted = "reboot_started"
    case rebootingHard = "rebooting_hard"
    case rebootPendingHard = "reboot_pending_hard"
    case rebootStartedHard = "reboot_started_hard"
    case pausing
    case unpausing
    case suspending
    case resuming
    /// Note the hyphen: Nova's string is `powering-off`.
    case poweringOff = "powering-off"
    /// Note the hyphen: Nova's string is `powering-on`.
    case poweringOn = "powering-on"
    case rescuing
    case unrescuing
    case rebuilding
    case rebuildBlockDeviceMapping = "rebuild_block_device_mapping"
    case rebuildSpawning = "rebuild_spawning"
    case migrating
    case deleting
    /// Note the hyphen: Nova's string is `soft-deleting`.
    case softDeleting = "soft-deleting"
    case restoring
    case shelving
    case shelvingImagePendingUpload = "shelving_image_pending_upload"
    case shelvingImageUploading = "shelving_image_uploading"
    case shelvingOffloading = "shelving_offloading"
    case unshelving
}

/// Nova's power state, shown as the integer `OS-EXT-STS:power_state` (2 and 5 are unused).
public enum PowerState: Int, Hashable, Sendable, Codable, CaseIterable {
    /// "pending": no power state yet (building, deleted).
    case noState = 0
    case running = 1
    case paused = 3
    case shutdown = 4
    case crashed = 6
    case suspended = 7

    /// Nova's name for the state (`power_state.STATE_MAP`), as its conflict messages show it.
    var novaName: String {
        switch self {
        case .noState: "pending"
        case .running: "running"
        case .paused: "paused"
        case .shutdown: "shutdown"
        case .crashed: "crashed"
        case .suspended: "suspended"
        }
    }
}
