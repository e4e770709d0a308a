import ComputeSim
import ComputeSimTesting
import Foundation

/// `torture --requests N --seed S [--seeds K]`: the API torture run (``APITorture``) for seeds
/// S..<S+K, N requests each, invariants checked after every request. Prints one line per seed
/// with its digest (the same in debug and release: the unit tests pin seed 0's) and fails when
/// any problem is found.
func tortureBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let requests = try options.integer("requests", default: 1_000_000)
    let seed = try options.integer("seed", default: 0)
    let seeds = try options.integer("seeds", default: 1)
    var lines: [String] = []
    for current in seed..<(seed + max(1, seeds)) {
        var torture: APITorture
        do { torture = try APITorture(seed: UInt64(current)) } catch { throw UsageError(error.message) }
        let start = DispatchTime.now().uptimeNanoseconds
        let report = torture.run(requests: requests)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var line = JSONLine()
        line.add("benchmark", "torture")
        line.add("seed", current)
        line.add("requests", report.requests)
        line.add("seconds", (seconds * 1000).rounded() / 1000)
        line.add("requestsPerSecond", (Double(report.requests) / seconds).rounded())
        line.add("statuses", report.statusCounts.keys.sorted().map { "\($0):\(report.statusCounts[$0] ?? 0)" }.joined(separator: " "))
        line.add("problems", report.problems.count)
        line.add("digest", report.digest)
        lines.append(line.text)
        for problem in report.problems { printError(problem + "\n") }
        guard report.problems.isEmpty else { throw UsageError("seed \(current): \(report.problems.count) problems (listed above)") }
    }
    return lines
}
