// The text summary.
extension RunReport {
    /// A few lines for a terminal.
    public var summary: String {
        let total = totals
        var lines = [
            "scenario \(scenario), seed \(seed), \(duration) from \(epoch.iso8601(at: .zero))",
            "creates: \(total.createRequests) requested, \(total.created) accepted, \(total.becameActive) became ACTIVE, \(total.failedToBuild) failed to build"
                + (total.createRefusals.isEmpty
                    ? ""
                    : "; refused: " + total.createRefusals.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            "actions: \(total.actionRequests) requested, \(total.actionsAccepted) accepted; deletes: \(total.deletes)",
        ]
        for (code, message) in total.firstRefusals.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { lines.append("  first \(code): \(message)") }
        // The ten most common ERROR faults (messages naming hosts can be many).
        let errors = total.errorFaults.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (message, count) in errors.prefix(10) { lines.append("  ERROR \(count)x: \(message)") }
        if errors.count > 10 { lines.append("  ERROR: \(errors.dropFirst(10).reduce(0) { $0 + $1.value })x more, with \(errors.count - 10) other message(s)") }
        for stats in workloads {
            lines.append(
                "  \(stats.name) (\(stats.project)): \(stats.createRequests) requested, \(stats.created) accepted, \(stats.becameActive) ACTIVE, \(stats.failedToBuild) failed, on \(stats.hostsHolding) hosts at the end"
            )
        }
        let peaks = self.peaks
        if let servers = peaks.servers { lines.append("peak: \(servers.servers) servers at \(servers.time.sinceStart)") }
        let vcpu = utilisation({ $0.vcpusUsed }, of: { $0.vcpus }), memory = utilisation({ $0.memoryMiBUsed }, of: { $0.memoryMiB })
        let disk = utilisation({ $0.diskGiBUsed }, of: { $0.diskGiB })
        lines.append("utilisation mean/peak: vCPU \(vcpu.mean)%/\(vcpu.peak)%, RAM \(memory.mean)%/\(memory.peak)%, disk \(disk.mean)%/\(disk.peak)%")
        if placementFailures.total > 0 {
            lines.append(
                "placement: \(placementFailures.total) NoValidHost (filters eliminating hosts: "
                    + placementFailures.byFilter.map { "\($0.filter.rawValue) in \($0.failures)" }.joined(separator: ", ") + ")")
            lines.append(
                "  NoValidHost by flavor: "
                    + placementFailures.byFlavor.filter { $0.builds > 0 }.map { "\($0.flavor) \($0.noValidHost) of \($0.builds) (\($0.percent)%)" }
                    .joined(separator: ", "))
        }
        let headroom = headroomSummaries
        if !headroom.isEmpty {
            lines.append(
                "headroom: "
                    + headroom.map { summary in
                        "\(summary.failure) held at \(summary.heldSamples) of \(summary.samples) samples (\(summary.heldPercent)%"
                            + (summary.firstFailure.map { ", first failed at \($0)" } ?? "") + ")"
                    }.joined(separator: ", "))
        }
        if let exhaustion = exhaustionSummary {
            let labels = ["vcpu": "vCPU", "memory": "RAM", "disk": "disk"]
            let resources = exhaustion.resources.map { resource in
                (labels[resource.name] ?? resource.name) + " "
                    + resource.reached.map { "\($0.percent)% " + ($0.at.map { "at \($0)" } ?? "not reached") }.joined(separator: ", ")
            }
            let flavors = exhaustion.flavors.filter { $0.builds > 0 }.map { "\($0.flavor) " + ($0.firstNoValidHost.map { "at \($0.sinceStart)" } ?? "never") }
            lines.append(
                "exhaustion: " + resources.joined(separator: "; ") + "; first NoValidHost "
                    + (exhaustion.firstNoValidHost.map { "at \($0)" } ?? "never") + (flavors.isEmpty ? "" : " (" + flavors.joined(separator: ", ") + ")"))
        }
        if !faults.isEmpty {
            lines.append("faults: " + faults.prefix(20).joined(separator: ", ") + (faults.count > 20 ? " and \(faults.count - 20) more" : ""))
        }
        if !statusTimes.isEmpty {
            lines.append("time in status (visits, mean, p50, p95, p99):")
            for time in statusTimes { lines.append("  \(time.status.rawValue): \(time.visits), \(time.mean), \(time.p50), \(time.p95), \(time.p99)") }
        }
        if let builds {
            let statistics = builds.statistics
            lines.append(
                "builds: image cache \(statistics.cacheHits) hits, \(statistics.cacheMisses) misses (\(Self.percent(statistics.cacheHits, of: statistics.cacheHits + statistics.cacheMisses))% hits), peak build queue on a host \(statistics.peakQueueLength)"
            )
            lines.append("build time by phase (count, mean, p50, p95, p99):")
            for workload in builds.workloads {
                lines.append("  \(workload.name) (\(workload.cacheHits) cache hits):")
                for (phase, summary) in zip(BuildReport.phases, workload.phases) { lines.append("    \(phase): \(summary.text)") }
            }
        }
        if !spread.isEmpty {
            lines.append("spread at the end (servers on hosts, sharing a host, most on one host):")
            for quality in spread { lines.append("  \(quality.project): \(quality.servers) on \(quality.hosts), \(quality.sharing), \(quality.mostOnOneHost)") }
        }
        if let last = samples.last {
            let statuses = last.statusCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            lines.append("end: \(last.servers) servers (\(statuses.isEmpty ? "none" : statuses)), \(last.hostsUp)/\(last.hosts) hosts up")
        }
        lines.append(
            invariantViolations.isEmpty
                ? "invariants: hold" : "invariants: \(invariantViolations.count) violated: " + invariantViolations.map(\.description).joined(separator: "; "))
        lines.append("cloud events: \(cloudEvents); digests: cloud \(cloudDigest) run \(runDigest)")
        // Names come from the scenario file: no control character reaches the text file.
        return lines.map(\.escapingControlCharacters).joined(separator: "\n") + "\n"
    }
}
