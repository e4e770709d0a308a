// Scenario parser: any text is parsed or refused with a ScenarioError. A parsed scenario of a
// modest size is run (what validate accepts, run must do), cheaply: at most 1 simulated hour, at most 24 samples, at most 16 hosts, and
// without its workloads when they ask for more than 40 creates. Every report is rendered. The
// same text is also read as a sweep over a small scenario, whose runs are expanded and validated.
// The caps keep one execution near a millisecond, so a long run reaches 10^7 executions; the
// fixtures' full-size runs are the test suite's job.
//
// An input whose first byte is 0xFF is structure-aware instead: the rest of the bytes choose a
// well-formed scenario (epoch, duration and sample interval from the edges of the documented
// and the representable ranges, hosts, faults and small workloads), so mutations explore
// values rather than JSON syntax.
func fuzzScenarioParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes, orGeneratedBy: generatedScenario) else { return }
    fuzzSweep(input)
    guard let scenario = try? Scenario.parse(input, baseDirectory: "/nonexistent") else { return }
    guard scenario.configuration.hosts.count <= 16 else { return }
    let duration = min(scenario.duration, .hours(1))
    var creates = 0
    for workload in scenario.workloads {
        switch workload.arrival {
        case .burst(let at, let count): creates += at.count * count
        case .trace(let rows): creates += rows.count
        default: creates += workload.maxServers ?? 1_000_000
        }
    }
    // A scenario with more creates is still run, without its workloads: its hosts, epoch,
    // sample interval, faults and reports are checked all the same.
    var runnable = scenario
    if creates > 40 { runnable.workloads = [] }
    let samples = duration.nanoseconds / max(1, scenario.sampleInterval.nanoseconds)
    if samples > 24 { runnable.sampleInterval = SimDuration(nanoseconds: duration.nanoseconds / 24 + 1) }
    guard var runner = try? ScenarioRunner(scenario: runnable, duration: duration) else { return }
    let report = runner.run()
    _ = report.summary
    _ = report.timeSeriesCSV
    _ = report.json.canonicalText
    _ = report.utilisationChart.svg
    _ = report.statusChart.svg
    _ = report.html  // every table and chart, the heat map included
    if let problem = report.invariantViolations.first { finding("invariants after the run: \(problem)") }
    if report.summary.utf8.contains(0) { finding("a NUL byte in the summary") }
}

/// Sweeps: a sweep file over a one-host scenario; its run count never traps and its first runs
/// expand (or name their problem).
func fuzzSweep(_ input: String) {
    let base: JSONValue = .object([
        ("hosts", .array([.object([("name", .string("h")), ("vcpus", .int(4)), ("memoryMiB", .int(8192)), ("diskGiB", .int(100))])]))
    ])
    guard let sweep = try? Sweep.parse(input, scenarioLoader: { _ throws(ScenarioError) in base }) else { return }
    for index in sweep.runIndices().prefix(3) { _ = try? sweep.run(index) }
}

/// A scenario the choices pick field by field (one byte each; missing bytes choose 0).
/// - Complexity: O(1).
func generatedScenario(_ choices: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    var bytes = choices.makeIterator()
    func pick(_ options: [String]) -> String { options[Int(bytes.next() ?? 0) % options.count] }
    let epochs = [
        "2026-03-02T00:00:00Z", "1970-01-01T00:00:00Z", "2100-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2100-01-01T00:00:01Z",
        "2262-04-11T23:47:16Z", "1677-09-21T00:12:44Z",
    ]
    let durations = ["2h", "10m", "1s", "1d", "365d", "36500d", "36501d", "106751d"]
    let intervals = ["10m", "1s", "1ns", "1h", "1d", "36500d"]
    let epoch = pick(epochs), duration = pick(durations), interval = pick(intervals)
    let hostCount = Int(bytes.next() ?? 0) % 5
    let arrival = pick([
        #"{"process": "burst", "at": ["0s", "30m"], "count": 3}"#, #"{"process": "constant", "interval": "20m"}"#,
        #"{"process": "poisson", "meanInterval": "10m"}"#, #"{"process": "growing", "perHour": 6, "growthPercent": 100, "every": "10m"}"#,
        #"{"process": "growing", "perHour": 1, "growthPercent": 10000, "every": "1s"}"#,
    ])
    let lifetime = pick([#"{"kind": "constant", "value": "20m"}"#, #"{"kind": "exponential", "mean": "1h"}"#, #"{"kind": "constant", "value": "36500d"}"#])
    let action = pick(["reboot", "shelve", "hardReboot", "stop", "rebuild", "suspend", "migrate"])
    let reclaim = pick(["30m", "0s", "36500d", "106751d"])
    let faults = pick([
        "", #", "faultPlan": [{"kind": "randomHostFailures", "mtbf": {"kind": "exponential", "mean": "1h"}, "mttr": {"kind": "constant", "value": "10m"}}]"#,
    ])
    // Archiving: the runner folds archived servers into its report and reuses record numbers.
    let retention = pick(["", #", "deletedServerRetention": "0s""#, #", "deletedServerRetention": "10m""#, #", "deletedServerRetention": "36500d""#])
    // Headroom checks re-place every claim at each sample.
    let headroom = pick([
        "", #", "headroom": {"hosts": 2, "zone": true}"#, #", "headroom": {"hosts": 8}"#, #", "exhaustion": {"thresholds": [1, 50, 100]}"#,
    ])
    return #"""
        {"name": "generated", "seed": \#(bytes.next() ?? 0), "duration": "\#(duration)", "epoch": "\#(epoch)", "sampleInterval": "\#(interval)",
         "reclaimInterval": "\#(reclaim)", "shelvedOffloadTime": "\#(reclaim)"\#(faults)\#(retention)\#(headroom),
         "hosts": [{"name": "h{n}", "count": \#(hostCount + 1), "vcpus": 8, "memoryMiB": 16384, "diskGiB": 200}],
         "workloads": [{"name": "w", "project": "p", "arrival": \#(arrival), "maxServers": 20, "flavor": "2", "lifetime": \#(lifetime),
                        "actions": [{"action": "\#(action)", "perHour": 2}]}]}
        """#
}
