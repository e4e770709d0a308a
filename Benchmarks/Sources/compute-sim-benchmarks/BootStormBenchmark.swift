import ComputeSim
import Foundation

/// `Fixtures/Scenarios/boot-storm.json` (the physical build model: 200 hosts, 2,000 servers
/// arriving every 60 ms per workload, cold and warm image caches) scaled by `--scale` S: S times
/// the hosts, S times the servers, arriving S times as fast, so the storm lasts as long and S
/// times as many transfers share the links at once. Issue 16's target: S = 10 in at most 10 s.
func bootStormBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let scale = try options.integer("scale", default: 10)
    let seed = try options.integer("seed", default: 1)
    guard (1...100).contains(scale), seed >= 0 else { throw UsageError("--scale must be 1 to 100 and --seed non-negative") }
    var changes: [(String, JSONValue)] = [("seed", .int(Int64(seed)))]
    for group in 0..<2 {
        changes.append(("hosts[\(group)].count", .int(Int64(100 * scale))))
        changes.append(("workloads[\(group)].maxServers", .int(Int64(1_000 * scale))))
        changes.append(("workloads[\(group)].arrival.interval", .string("\(60_000_000 / scale)ns")))
    }
    let run = try FixtureRun("boot-storm.json", changes: changes)
    let (runner, report, seconds) = (run.runner, run.report, run.seconds)
    var line = JSONLine()
    line.add("benchmark", "boot-storm")
    line.add("scale", scale)
    line.add("hosts", 200 * scale)
    line.add("servers", 2_000 * scale)
    line.add("seed", seed)
    line.add("seconds", (seconds * 1000).rounded() / 1000)
    line.add("events", runner.eventCount)
    line.add("eventsPerSecond", (Double(runner.eventCount) / seconds).rounded())
    line.add("becameActive", report.totals.becameActive)
    line.add("peakRSSBytes", peakRSSBytes())
    line.add("traceDigest", report.cloudDigest)
    line.add("invariantsHold", report.invariantViolations.isEmpty)
    line.add("targetSeconds", 10)
    line.add("targetMet", scale != 10 || seconds <= 10)
    return [line.text]
}
