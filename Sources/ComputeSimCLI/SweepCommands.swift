import ComputeSim
import ComputeSimTesting
import Foundation

/// Options of `compute-sim sweep`.
struct SweepOptions: Equatable {
    var path: String
    var shard = 0
    /// The shard count; with `shardFromEnvironment`, 0 means "from the environment too".
    var shards = 1
    var outputDirectory: String
    /// `--shard auto` or `--shard auto/N`: the index comes from the array job's environment
    /// (``resolveShard(_:environment:)``).
    var shardFromEnvironment = false
}

/// Options of `compute-sim merge`.
struct MergeOptions: Equatable {
    var directories: [String]
    var output: String
}

extension Invocation {
    static func parseSweep(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = SweepOptions(path: "", outputDirectory: "")
        var rest = arguments[...]
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--shard":
                guard let text = rest.first else { throw UsageError(message: "--shard needs a value like 0/4, auto or auto/4") }
                rest = rest.dropFirst()
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                if parts[0] == "auto" {
                    // The index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX when the sweep runs.
                    options.shardFromEnvironment = true
                    options.shard = 0
                    if parts.count == 1 {
                        options.shards = 0
                    } else if parts.count == 2, let count = Int(parts[1]), count >= 1 {
                        options.shards = count
                    } else {
                        throw UsageError(message: "--shard expects I/N with 0 <= I < N, auto or auto/N, got \"\(text)\"")
                    }
                    continue
                }
                guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 0, index < count else {
                    throw UsageError(message: "--shard expects I/N with 0 <= I < N, auto or auto/N, got \"\(text)\"")
                }
                options.shard = index
                options.shards = count
                options.shardFromEnvironment = false
            case "--out":
                guard let directory = rest.first else { throw UsageError(message: "--out needs a directory") }
                rest = rest.dropFirst()
                options.outputDirectory = directory
            default:
                guard !argument.hasPrefix("-") else { throw UsageError(message: "unknown option \"\(argument)\"") }
                guard options.path.isEmpty else { throw UsageError(message: "only one sweep file may be given") }
                options.path = argument
            }
        }
        guard !options.path.isEmpty else { throw UsageError(message: "sweep needs a SWEEP.json file") }
        guard !options.outputDirectory.isEmpty else { throw UsageError(message: "sweep needs --out DIR") }
        return Invocation(command: .sweep(options))
    }

    static func parseMerge(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = MergeOptions(directories: [], output: "")
        var rest = arguments[...]
        while let argument = rest.first {
            rest = rest.dropFirst()
            if argument == "--out" {
                guard let file = rest.first else { throw UsageError(message: "--out needs a file") }
                rest = rest.dropFirst()
                options.output = file
            } else {
                guard !argument.hasPrefix("-") else { throw UsageError(message: "unknown option \"\(argument)\"") }
                options.directories.append(argument)
            }
        }
        guard !options.directories.isEmpty else { throw UsageError(message: "merge needs at least one sweep output directory") }
        guard options.output.hasSuffix(".csv") || options.output.hasSuffix(".json") else {
            throw UsageError(message: "merge needs --out FILE ending in .csv or .json")
        }
        return Invocation(command: .merge(options))
    }
}

/// The name of run `index`'s record in a sweep's output directory.
func sweepRecordName(_ index: Int) -> String {
    let digits = String(index)
    return "run-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".json"
}

/// The shard `options` name: as given, or for `--shard auto[/N]` from the array job's
/// environment: Slurm's `SLURM_ARRAY_TASK_ID` less `SLURM_ARRAY_TASK_MIN` (so `--array=1-16`
/// works too) of `SLURM_ARRAY_TASK_COUNT` (or N), else a Kubernetes Indexed Job's
/// `JOB_COMPLETION_INDEX` of N (Kubernetes does not pass the completion count, so N is needed).
/// - Throws: ``UsageError`` naming the variable that is missing, not a number or out of range.
func resolveShard(_ options: SweepOptions, environment: [String: String]) throws(UsageError) -> (index: Int, count: Int) {
    guard options.shardFromEnvironment else { return (options.shard, options.shards) }
    func number(_ name: String) throws(UsageError) -> Int? {
        guard let text = environment[name] else { return nil }
        guard let value = Int(text), value >= 0 else { throw UsageError(message: "--shard auto: \(name) is \"\(text)\", not a non-negative integer") }
        return value
    }
    let index: Int, count: Int
    if let task = try number("SLURM_ARRAY_TASK_ID") {
        let minimum = try number("SLURM_ARRAY_TASK_MIN") ?? 0
        if options.shards > 0 {
            count = options.shards
        } else {
            guard let slurmCount = try number("SLURM_ARRAY_TASK_COUNT") else {
                throw UsageError(message: "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give the count as auto/N")
            }
            if let maximum = try number("SLURM_ARRAY_TASK_MAX"), maximum - minimum + 1 != slurmCount {
                throw UsageError(
                    message:
                        "--shard auto: the array is not contiguous (SLURM_ARRAY_TASK_MIN=\(minimum), SLURM_ARRAY_TASK_MAX=\(maximum), SLURM_ARRAY_TASK_COUNT=\(slurmCount)); submit --array=0-\(slurmCount - 1)"
                )
            }
            count = slurmCount
        }
        index = task - minimum
        guard index >= 0, index < count, count >= 1 else {
            throw UsageError(message: "--shard auto: SLURM_ARRAY_TASK_ID=\(task) (from \(minimum)) is not a shard of \(count)")
        }
    } else if let completion = try number("JOB_COMPLETION_INDEX") {
        guard options.shards > 0 else {
            throw UsageError(message: "--shard auto: JOB_COMPLETION_INDEX is set but Kubernetes does not pass the completion count; give it as auto/N")
        }
        count = options.shards
        index = completion
        guard index < count else { throw UsageError(message: "--shard auto: JOB_COMPLETION_INDEX=\(completion) is not a shard of \(count)") }
    } else {
        throw UsageError(message: "--shard auto reads SLURM_ARRAY_TASK_ID (Slurm) or JOB_COMPLETION_INDEX (Kubernetes); neither is set")
    }
    return (index, count)
}

/// Runs `compute-sim sweep`: this shard's runs, one record each under `DIR/runs/`, each
/// written atomically. Rerun with the same arguments, it resumes: a run whose record is already
/// there and valid for this sweep (``Sweep/checkRecord(_:for:sweepFingerprint:)``) is kept, not
/// run again. A record that is not (another sweep's, another version's, or damaged) stops the
/// sweep before it runs anything, naming each such file and why; nothing is overwritten or
/// reused silently. Temporary files a killed write left for this shard's records are removed.
func runSweep(_ options: SweepOptions, environment: [String: String] = ProcessInfo.processInfo.environment) -> SessionRun {
    let shard: (index: Int, count: Int)
    do { shard = try resolveShard(options, environment: environment) } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2)
    }
    let sweep: Sweep
    do { sweep = try Sweep.load(path: options.path) } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
    }
    let folder = (options.outputDirectory as NSString).appendingPathComponent("runs")
    do { try makeDirectory(folder) } catch { return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2) }
    let indices = sweep.runIndices(shard: shard.index, of: shard.count)
    let sweepFingerprint = sweep.fingerprint
    var stdout = "sweep \(options.path): \(sweep.runCount) runs; shard \(shard.index)/\(shard.count) runs \(indices.count)\n"

    // What an earlier, interrupted run of this command left: valid records are kept.
    let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    let recordNames = Dictionary(uniqueKeysWithValues: indices.map { (sweepRecordName($0), $0) })
    for name in present {
        if let target = leftoverTarget(ofTemporary: name), recordNames[target] != nil { unlink((folder as NSString).appendingPathComponent(name)) }
    }
    var kept = Set<Int>()
    var problems: [String] = []
    for name in present {
        guard let index = recordNames[name] else { continue }
        let path = (folder as NSString).appendingPathComponent(name)
        let text: String
        do { text = try Scenario.readText(path) } catch {
            problems.append("\(path): \(error.reason)")
            continue
        }
        let run: Sweep.Run
        do { run = try sweep.run(index) } catch {
            return SessionRun(stdout: stdout, stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
        }
        if let reason = sweep.checkRecord(text, for: run, sweepFingerprint: sweepFingerprint) {
            problems.append("\(path): \(reason)")
        } else {
            kept.insert(index)
        }
    }
    guard problems.isEmpty else {
        let lines = problems.map { "compute-sim: \($0)\n" }.joined()
        return SessionRun(
            stdout: stdout,
            stderr: lines
                + "compute-sim: \(problems.count) record(s) in \(folder) cannot be kept (another sweep's, or damaged); move them away or choose another --out, then run again\n",
            exitCode: 2)
    }
    if !kept.isEmpty {
        stdout +=
            "resuming: \(kept.count) of this shard's \(indices.count) run record(s) are already written and valid; running the other \(indices.count - kept.count)\n"
    }
    var written = 0
    for index in indices where !kept.contains(index) {
        do {
            let run = try sweep.run(index)
            var runner = try ScenarioRunner(scenario: run.scenario)
            let report = runner.run()
            let record = sweep.record(run, report: report, sweepFingerprint: sweepFingerprint)
            try writeFile(record.canonicalText + "\n", to: (folder as NSString).appendingPathComponent(sweepRecordName(index)))
            written += 1
            stdout +=
                "run \(index) seed \(run.seed) \(Sweep.label(run.parameters)): \(report.totals.created) created, \(report.totals.failedToBuild) failed to build, digest \(report.cloudDigest)\n"
        } catch let error as ScenarioError {
            return SessionRun(stdout: stdout, stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
        } catch let error as OutputError {
            return SessionRun(stdout: stdout, stderr: "compute-sim: run \(index): \(error.message)\n", exitCode: 2)
        } catch {
            return SessionRun(stdout: stdout, stderr: "compute-sim: run \(index): \(error)\n", exitCode: 2)
        }
    }
    stdout += "wrote \(written) run record(s) to \(folder)" + (kept.isEmpty ? "" : " (\(kept.count) kept from before)") + "\n"
    return SessionRun(stdout: stdout, stderr: "", exitCode: 0)
}

/// Runs `compute-sim merge`: every `runs/run-*.json` of the directories into one table, written
/// as CSV and JSON (`--out table.csv` also writes `table.json`, and the other way round), a
/// self-contained `table.html` and one chart per metric and parameter in `table-charts/`.
func runMerge(_ options: MergeOptions) -> SessionRun {
    var records: [(source: String, json: JSONValue)] = []
    for directory in options.directories {
        let folder = directory + "/runs"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return SessionRun(stdout: "", stderr: "compute-sim: \(directory) has no runs/ folder; is it a sweep's --out directory?\n", exitCode: 2)
        }
        for name in names.sorted() where name.hasPrefix("run-") && name.hasSuffix(".json") {
            let path = folder + "/" + name
            let text: String
            do { text = try Scenario.readText(path) } catch { return SessionRun(stdout: "", stderr: "compute-sim: \(error.reason)\n", exitCode: 2) }
            do { records.append((path, try JSONParser.parse(text))) } catch {
                return SessionRun(stdout: "", stderr: "compute-sim: \(path): \(error.description)\n", exitCode: 2)
            }
        }
    }
    guard !records.isEmpty else {
        return SessionRun(stdout: "", stderr: "compute-sim: no run records in \(options.directories.joined(separator: ", "))\n", exitCode: 2)
    }
    let table: SweepTable
    do { table = try SweepTable.merge(records) } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(error.description)\n", exitCode: 2)
    }
    let stem = options.output.hasSuffix(".csv") ? String(options.output.dropLast(4)) : String(options.output.dropLast(5))
    let charts = table.charts
    do throws(OutputError) {
        try writeFile(table.csv, to: stem + ".csv")
        try writeFile(table.json.canonicalText + "\n", to: stem + ".json")
        try writeFile(table.html, to: stem + ".html")
        try makeDirectory(stem + "-charts")
        var written = Set<String>()
        for (number, chart) in charts.enumerated() {
            let name = SweepTable.chartFileName(chart, number: number + 1)
            written.insert(name)
            try writeFile(chart.chart.svg, to: stem + "-charts/" + name)
        }
        // Charts an earlier merge wrote there for metrics this table does not have.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: stem + "-charts")) ?? []
        where name.hasSuffix(".svg") && name.first?.isNumber == true && !written.contains(name) {
            try? FileManager.default.removeItem(atPath: stem + "-charts/" + name)
        }
    } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2)
    }
    let merged = table.expectedRuns - table.missingRuns.count
    let stdout =
        "merged \(merged) of \(table.expectedRuns) runs into \(table.rows.count) row(s); wrote \(stem).csv, \(stem).json, \(stem).html and \(charts.count) chart(s) in \(stem)-charts\n"
    guard table.missingRuns.isEmpty else {
        let listed = table.missingRuns.prefix(20).map(String.init).joined(separator: ", ") + (table.missingRuns.count > 20 ? ", ..." : "")
        return SessionRun(stdout: stdout, stderr: "compute-sim: \(table.missingRuns.count) run(s) missing: \(listed)\n", exitCode: 1)
    }
    return SessionRun(stdout: stdout, stderr: "", exitCode: 0)
}
