import SimulationKernel

/// The guest's serial console log, as `os-getConsoleOutput` reads it: written from the server's
/// status history when it is read (no storage per server), so it grows as the simulated guest
/// boots, reboots, stops and is rebuilt. Each boot writes the kernel's first lines, the root
/// disk's size (the flavor's), cloud-init's network table (the server's addresses), the files
/// injected at the last build or rebuild, and a login prompt; a clean shutdown writes the
/// kernel's last line. Deterministic: the same history gives the same bytes.
struct ConsoleLog {
    /// libvirt's limit: the driver returns at most the last 100 KiB of the log.
    static let maximumBytes = 100 * 1_024

    var hostname: String
    var diskGiB: Int
    var addresses: [ServerAddress]
    var macAddress: String?
    /// Files injected at the last build or rebuild (listed at the boot that followed it).
    var injectedPaths: [VirtualPath]
    var clock: WallClock

    /// Statuses after which becoming `ACTIVE` (or `VERIFY_RESIZE`, `RESCUE`) is a boot.
    private static func isBoot(from previous: ServerStatus, to status: ServerStatus) -> Bool {
        switch status {
        case .active:
            return [.build, .rebuild, .reboot, .hardReboot, .shutoff, .rescue, .revertResize, .shelved, .shelvedOffloaded].contains(previous)
        case .verifyResize, .rescue:
            return true
        default:
            return false
        }
    }

    /// The log's text for a status history (oldest first), at most ``maximumBytes`` bytes (the
    /// newest), with no line-feed after the final login prompt.
    /// - Complexity: O(history + injected files + addresses) per boot.
    func text(history: [StatusChange]) -> String {
        var lines: [String] = []
        let lastBuild = history.lastIndex { $0.status == .build || $0.status == .rebuild }
        // Whether the next boot is the first after the last build or rebuild (it lists the
        // injected files).
        var injecting = false
        var previous: ServerStatus? = nil
        for (position, change) in history.enumerated() {
            defer { previous = change.status }
            if position == lastBuild { injecting = true }
            guard let before = previous else { continue }
            switch change.status {
            case .reboot where before == .active:
                lines.append("[  OK  ] Reached target Reboot.")
                lines.append("reboot: Restarting system")
            case .shutoff where before == .active, .resize where before == .active, .rescue where before == .active,
                .shelved where before == .active:
                lines.append("[  OK  ] Reached target Power-Off.")
                lines.append("reboot: Power down")
            default:
                break
            }
            guard Self.isBoot(from: before, to: change.status) else { continue }
            boot(at: change.time, rescue: change.status == .rescue, injected: injecting ? injectedPaths : [], into: &lines)
            injecting = false
        }
        var text = lines.joined(separator: "\n")
        let bytes = text.utf8.count
        if bytes > Self.maximumBytes {
            text = String(decoding: text.utf8.suffix(Self.maximumBytes), as: UTF8.self)
        }
        return text
    }

    private func boot(at time: SimTime, rescue: Bool, injected: [VirtualPath], into lines: inout [String]) {
        let sectors = Int64(diskGiB) * 2_097_152
        lines.append("[    0.000000] Linux version 6.1.0-computesim (builder@computesim) (gcc 12.2.0) #1 SMP")
        lines.append("[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=LABEL=\(rescue ? "rescue" : "cloudimg-rootfs") ro console=tty1 console=ttyS0")
        lines.append("[    0.734512] virtio_blk virtio2: [vda] \(sectors) 512-byte logical blocks (\(diskGiB) GiB)")
        lines.append("[    1.208806] EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.")
        let at = clock.iso8601(at: time)
        lines.append("cloud-init[312]: Cloud-init v. 23.4 running 'init' at \(at). Up 2.31 seconds.")
        lines.append("cloud-init[312]: ci-info: +--------+------+---------------------------+-------------------+")
        lines.append("cloud-init[312]: ci-info: | Device |  Up  |          Address          |     Hw-Address    |")
        for address in addresses {
            lines.append("cloud-init[312]: ci-info: |  eth0  | True | \(address.address) | \(address.macAddress ?? macAddress ?? "") |")
        }
        for path in injected { lines.append("cloud-init[455]: injected file \(path)") }
        lines.append("cloud-init[455]: Cloud-init v. 23.4 finished at \(at). Datasource DataSourceConfigDrive [net,ver=2][source=/dev/sr0].  Up 4.18 seconds")
        lines.append("")
        lines.append("\(hostname) login: ")
    }
}
