import ComputeSim
import Foundation

/// Options of `compute-sim run`.
struct RunOptions: Equatable {
    var path: String
    var seed: UInt64? = nil
    var duration: SimDuration? = nil
    var outputDirectory: String? = nil
    var json = false
}

extension Invocation {
    static func parseRun(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = RunOptions(path: "")
        var rest = arguments[...]
        func value(_ option: String) throws(UsageError) -> String {
            guard let text = rest.first else { throw UsageError(message: "\(option) needs a value") }
            rest = rest.dropFirst()
            return text
        }
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--seed":
                let text = try value(argument)
                guard let seed = UInt64(text) else { throw UsageError(message: "--seed expects an unsigned 64-bit integer, got \"\(text)\"") }
                options.seed = seed
            case "--until":
                let text = try value(argument)
                do { options.duration = try SimDuration(parsing: text) } catch { throw UsageError(message: "--until: \(error.message)") }
            case "--out":
                options.outputDirectory = try value(argument)
            case "--format":
                switch try value(argument) {
                case "text": options.json = false
                case "json": options.json = true
                case let other: throw UsageError(message: "--format expects text or json, got \"\(other)\"")
                }
            case "--help", "-h":
                return Invocation(command: .help)
            default:
                guard !argument.hasPrefix("-") else { throw UsageError(message: "unknown option \"\(argument)\"") }
                guard options.path.isEmpty else { throw UsageError(message: "only one scenario file may be given") }
                options.path = argument
            }
        }
        guard !options.path.isEmpty else { throw UsageError(message: "run needs a SCENARIO.json file") }
        return Invocation(command: .run(options))
    }
}

/// Runs `compute-sim run`: loads the scenario, runs it, prints the summary (or the JSON report)
/// and, with `--out`, writes `report.json`, `timeseries.csv`, `summary.txt`, `utilisation.svg`
/// and `status.svg` there.
func runScenario(_ options: RunOptions) -> SessionRun {
    let report: RunReport
    do {
        let scenario = try Scenario.load(path: options.path)
        var runner = try ScenarioRunner(scenario: scenario, seed: options.seed, duration: options.duration)
        report = runner.run()
    } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
    }
    let json = report.json.canonicalText + "\n"
    var stdout = options.json ? json : report.summary
    if let directory = options.outputDirectory {
        let files = [("report.json", json), ("timeseries.csv", report.timeSeriesCSV), ("summary.txt", report.summary),
                     ("utilisation.svg", report.utilisationChart.svg), ("status.svg", report.statusChart.svg)]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, contents) in files {
                try Data(contents.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
            }
        } catch {
            return SessionRun(stdout: stdout, stderr: "compute-sim: cannot write the report to \(directory): \(error.localizedDescription)\n", exitCode: 2)
        }
        if !options.json { stdout += "wrote \(files.map(\.0).joined(separator: ", ")) to \(directory)\n" }
    }
    return SessionRun(stdout: stdout, stderr: "", exitCode: report.invariantViolations.isEmpty ? 0 : 1)
}
