import ComputeSim
import ComputeSimTesting
import Foundation

/// Options of `compute-sim sweep`.
struct SweepOptions: Equatable {
    var path: String
    var shard = 0
    var shards = 1
    var outputDirectory: String
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
                guard let text = rest.first else { throw UsageError(message: "--shard needs a value like 0/4") }
                rest = rest.dropFirst()
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 0, index < count else {
                    throw UsageError(message: "--shard expects I/N with 0 <= I < N, got \"\(text)\"")
                }
                options.shard = index
                options.shards = count
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

/// Runs `compute-sim sweep`: this shard's runs, one record each under `DIR/runs/`.
func runSweep(_ options: SweepOptions) -> SessionRun {
    let sweep: Sweep
    do { sweep = try Sweep.load(path: options.path) } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
    }
    let folder = (options.outputDirectory as NSString).appendingPathComponent("runs")
    do { try makeDirectory(folder) } catch { return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2) }
    let indices = sweep.runIndices(shard: options.shard, of: options.shards)
    var stdout = "sweep \(options.path): \(sweep.runCount) runs; shard \(options.shard)/\(options.shards) runs \(indices.count)\n"
    for index in indices {
        do {
            let run = try sweep.run(index)
            var runner = try ScenarioRunner(scenario: run.scenario)
            let report = runner.run()
            try writeFile(sweep.record(run, report: report).canonicalText + "\n", to: (folder as NSString).appendingPathComponent(sweepRecordName(index)))
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
    stdout += "wrote \(indices.count) run record(s) to \(folder)\n"
    return SessionRun(stdout: stdout, stderr: "", exitCode: 0)
}

/// Runs `compute-sim merge`: every `runs/run-*.json` of the directories into one table, written
/// as CSV and JSON (`--out table.csv` also writes `table.json`, and the other way round).
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
    do throws(OutputError) {
        try writeFile(table.csv, to: stem + ".csv")
        try writeFile(table.json.canonicalText + "\n", to: stem + ".json")
    } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2)
    }
    let merged = table.expectedRuns - table.missingRuns.count
    let stdout = "merged \(merged) of \(table.expectedRuns) runs into \(table.rows.count) row(s); wrote \(stem).csv and \(stem).json\n"
    guard table.missingRuns.isEmpty else {
        let listed = table.missingRuns.prefix(20).map(String.init).joined(separator: ", ") + (table.missingRuns.count > 20 ? ", ..." : "")
        return SessionRun(stdout: stdout, stderr: "compute-sim: \(table.missingRuns.count) run(s) missing: \(listed)\n", exitCode: 1)
    }
    return SessionRun(stdout: stdout, stderr: "", exitCode: 0)
}
