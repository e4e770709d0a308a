import ComputeSim
import Foundation

/// The reference lifecycle workload (issue 8): `Fixtures/Scenarios/reference-lifecycle.json`
/// with H hosts and M servers, run to completion (arrivals over M/2 s plus three hours for the
/// last servers' two exponential(600 s) ACTIVE periods to end).
func lifecycleBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let hosts = try options.integer("hosts", default: 10_000)
    let servers = try options.integer("servers", default: 100_000)
    let seed = try options.integer("seed", default: 1)
    let retention = try options.signedInteger("retention-minutes", default: -1)
    guard hosts > 0, servers > 0, seed >= 0 else { throw UsageError("--hosts, --servers must be positive and --seed non-negative") }
    return [try runLifecycle(hosts: hosts, servers: servers, seed: seed, retentionMinutes: retention).line]
}

/// The reference workload at (1,000, 10,000), (10,000, 100,000) and, unless `--max-hosts` says
/// otherwise, (100,000, 1,000,000): one line each, then the ratio of nanoseconds per event
/// between the largest and the smallest.
func scalingBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let seed = try options.integer("seed", default: 1)
    let maxHosts = try options.integer("max-hosts", default: 100_000)
    var lines: [String] = []
    var costs: [Double] = []
    for hosts in [1_000, 10_000, 100_000] where hosts <= maxHosts {
        let result = try runLifecycle(hosts: hosts, servers: hosts * 10, seed: seed)
        lines.append(result.line)
        costs.append(result.seconds * 1e9 / Double(result.events))
    }
    var summary = JSONLine()
    summary.add("benchmark", "scaling")
    if let first = costs.first, let last = costs.last {
        summary.add("nanosecondsPerEventSmallest", (first * 10).rounded() / 10)
        summary.add("nanosecondsPerEventLargest", (last * 10).rounded() / 10)
        summary.add("ratio", (last / first * 100).rounded() / 100)
    }
    return lines + [summary.text]
}

/// `retentionMinutes` >= 0 archives deleted servers that long after deletion (the report is the
/// same; memory follows the live servers).
private func runLifecycle(hosts: Int, servers: Int, seed: Int, retentionMinutes: Int = -1) throws(UsageError) -> (
    line: String, seconds: Double, events: UInt64
) {
    var changes: [(String, JSONValue)] = [
        ("hosts[0].count", .int(Int64(hosts))), ("workloads[0].maxServers", .int(Int64(servers))), ("seed", .int(Int64(seed))),
        ("duration", .string("\(servers / 2 + 3 * 3_600)s")), ("sampleInterval", .string("1h")),
    ]
    if retentionMinutes >= 0 { changes.append(("deletedServerRetention", .string("\(retentionMinutes)m"))) }
    let run = try FixtureRun("reference-lifecycle.json", changes: changes)
    let (runner, report, seconds) = (run.runner, run.report, run.seconds)
    let transitions = runner.cloud.statusChangeCount
    var line = JSONLine()
    line.add("benchmark", "lifecycle")
    line.add("hosts", hosts)
    line.add("servers", servers)
    line.add("seed", seed)
    line.add("seconds", (seconds * 1000).rounded() / 1000)
    line.add("events", runner.eventCount)
    line.add("statusTransitions", transitions)
    line.add("transitionsPerSecond", (Double(transitions) / seconds).rounded())
    line.add("peakRSSBytes", peakRSSBytes())
    if retentionMinutes >= 0 { line.add("serversArchived", runner.cloud.archivedServerCount) }
    line.add("traceDigest", report.cloudDigest)
    line.add("invariantsHold", report.invariantViolations.isEmpty)
    return (line.text, seconds, runner.eventCount)
}
