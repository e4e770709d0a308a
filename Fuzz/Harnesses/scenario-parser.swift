// Scenario parser: any text is parsed or refused with a ScenarioError. A parsed scenario of a
// modest size is run (at most 2 simulated hours, at most 100 hosts; without its workloads when
// they ask for more than 300 creates) and every report is rendered: what validate accepts, run must do. The same text is
// also read as a sweep over a small scenario, whose runs are expanded and validated.
func fuzzScenarioParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes) else { return }
    fuzzSweep(input)
    guard let scenario = try? Scenario.parse(input, baseDirectory: "/nonexistent") else { return }
    guard scenario.configuration.hosts.count <= 100 else { return }
    let duration = min(scenario.duration, .hours(2))
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
    if creates > 300 { runnable.workloads = [] }
    guard var runner = try? ScenarioRunner(scenario: runnable, duration: duration) else { return }
    let report = runner.run()
    _ = report.summary
    _ = report.timeSeriesCSV
    _ = report.json.canonicalText
    _ = report.utilisationChart.svg
    _ = report.statusChart.svg
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
