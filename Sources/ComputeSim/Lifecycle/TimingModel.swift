/// How long each phase of each operation takes: one distribution (in seconds) per task state
/// of an action, drawn from the timing stream when the operation starts.
///
/// Defaults, chosen to be plausible for a KVM cloud with local disks (seconds; uniform unless
/// noted). Totals: build 30–90, soft reboot 10–60, hard reboot 5–20, rebuild 20–60, resize and
/// cold migrate 20–90, live migrate 10–60, stop 5–20, start 5–15, shelve 30–80, unshelve
/// 30–90.
///
/// | action | phases |
/// |---|---|
/// | create | scheduling 0.5–2, networking 2–5, block_device_mapping 1–3, spawning 26.5–80 |
/// | delete, forceDelete | deleting 1–5 |
/// | softDelete | soft-deleting 1–5; restore: restoring 5–15 |
/// | reboot SOFT | rebooting 1–3, reboot_pending 1–2, reboot_started 8–55 |
/// | reboot HARD | rebooting_hard 1–2, reboot_pending_hard 1–2, reboot_started_hard 3–16 |
/// | rebuild | rebuilding 2–5, rebuild_block_device_mapping 3–10, rebuild_spawning 15–45 |
/// | evacuate | as rebuild, on the new host |
/// | resize, migrate | resize_prep 2–5, resize_migrating 10–60, resize_migrated 1–5, resize_finish 7–20 |
/// | confirmResize | 1–3 (no task state); revertResize: resize_reverting 10–30 |
/// | os-migrateLive | migrating 10–60 |
/// | rescue / unrescue | rescuing 10–30 / unrescuing 5–15 |
/// | suspend / resume | suspending 3–10 / resuming 3–10 |
/// | pause / unpause | pausing 1–2 / unpausing 1–2 |
/// | stop / start | powering-off 5–20 / powering-on 5–15 |
/// | shelve | shelving 5–10, shelving_image_pending_upload 1–2, shelving_image_uploading 20–60, shelving_offloading 4–8 |
/// | shelveOffload | shelving_offloading 4–8; unshelve: unshelving 5–15, spawning 25–75 |
/// | changePassword | updating_password 2–5 |
/// | createImage | image_snapshot_pending 1–2, image_snapshot 5–10, image_pending_upload 1–2, image_uploading 20–60 |
public struct TimingModel: Hashable, Sendable {
    /// Per action, one distribution per entry of the action's task sequence (confirmResize,
    /// which has no task state, has one).
    public var phases: [ServerAction: [Distribution]]

    /// The defaults in the table above.
    public init() {
        func u(_ low: Double, _ high: Double) -> Distribution { .uniform(min: low, max: high) }
        phases = [
            .delete: [u(1, 5)], .forceDelete: [u(1, 5)], .softDelete: [u(1, 5)], .restore: [u(5, 15)],
            .rebootSoft: [u(1, 3), u(1, 2), u(8, 55)],
            .rebootHard: [u(1, 2), u(1, 2), u(3, 16)],
            .rebuild: [u(2, 5), u(3, 10), u(15, 45)], .evacuate: [u(2, 5), u(3, 10), u(15, 45)],
            .resize: [u(2, 5), u(10, 60), u(1, 5), u(7, 20)],
            .migrate: [u(2, 5), u(10, 60), u(1, 5), u(7, 20)],
            .confirmResize: [u(1, 3)], .revertResize: [u(10, 30)],
            .liveMigrate: [u(10, 60)],
            .rescue: [u(10, 30)], .unrescue: [u(5, 15)],
            .suspend: [u(3, 10)], .resume: [u(3, 10)],
            .pause: [u(1, 2)], .unpause: [u(1, 2)],
            .stop: [u(5, 20)], .start: [u(5, 15)],
            .shelve: [u(5, 10), u(1, 2), u(20, 60), u(4, 8)],
            .shelveOffload: [u(4, 8)], .unshelve: [u(5, 15), u(25, 75)],
            .changePassword: [u(2, 5)],
            .createImage: [u(1, 2), u(5, 10), u(1, 2), u(20, 60)],
            .createBackup: [u(5, 10), u(1, 2), u(20, 60)],
            .lock: [], .unlock: [],
        ]
    }

    /// The create (build) phases: scheduling, networking, block_device_mapping, spawning.
    public var build: [Distribution] = [.uniform(min: 0.5, max: 2), .uniform(min: 2, max: 5), .uniform(min: 1, max: 3), .uniform(min: 26.5, max: 80)]

    /// Checks that every action has one valid distribution per phase.
    public func validated() throws(ModelError) -> TimingModel {
        for action in ServerAction.allCases {
            let expected = action == .confirmResize ? 1 : ServerLifecycle.rule(for: action).taskSequence.count
            let given = phases[action]?.count ?? 0
            guard given == expected else {
                throw ModelError(.invalidValue, "timing for \(action.rawValue) needs \(expected) phase durations, got \(given)")
            }
            for distribution in phases[action] ?? [] { try Self.check(distribution) }
        }
        guard build.count == 4 else { throw ModelError(.invalidValue, "timing for create needs 4 phase durations, got \(build.count)") }
        for distribution in build { try Self.check(distribution) }
        return self
    }

    /// A distribution's own problem, as this layer's error (same message).
    static func check(_ distribution: Distribution) throws(ModelError) {
        do { _ = try distribution.validated() } catch { throw ModelError(.invalidValue, error.message, underlying: error) }
    }
}
