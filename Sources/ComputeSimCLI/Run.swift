import ComputeSim
import ComputeSimTesting
import Foundation

/// Options of `compute-sim run`.
struct RunOptions: Equatable {
    var path: String
    var seed: UInt64? = nil
    var duration: SimDuration? = nil
    var outputDirectory: String? = nil
    var json = false
    var trace = false
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
                options.seed = try Invocation.seed(text)
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
            case "--trace":
                options.trace = true
            case "--help", "-h":
                return Invocation(command: .help)
            default:
                guard !argument.hasPrefix("-") else { throw UsageError(message: "unknown option \"\(argument)\"") }
                guard options.path.isEmpty else { throw UsageError(message: "only one scenario file may be given") }
                options.path = argument
            }
        }
        guard !options.path.isEmpty else { throw UsageError(message: "run needs a SCENARIO.json file") }
        guard !options.trace || options.outputDirectory != nil else { throw UsageError(message: "--trace writes trace.jsonl and needs --out DIR") }
        return Invocation(command: .run(options))
    }
}

/// Runs `compute-sim run`: loads the scenario, runs it, prints the summary (or the JSON report)
/// and, with `--out`, writes `report.json`, `timeseries.csv`, `summary.txt`, `utilisation.svg`
/// `status.svg`, `heatmap.svg` and `report.html` (all of it on one page, charts inline) there
/// (`bandwidth.svg` too with a build model, and `trace.jsonl` with `--trace`).
///
/// The wall-clock figures (events per second, the progress bar shown on a terminal during long
/// runs) go to stderr, so stdout stays byte-identical for a seed.
func runScenario(_ options: RunOptions, progressToTerminal: Bool = false) -> SessionRun {
    let report: RunReport
    var runner: ScenarioRunner
    let started = DispatchTime.now().uptimeNanoseconds
    do {
        let scenario = try Scenario.load(path: options.path)
        runner = try ScenarioRunner(scenario: scenario, seed: options.seed, duration: options.duration)
        runner.capturesTrace = options.trace
        let progress = progressToTerminal ? ProgressBar(duration: runner.duration, started: started) : nil
        report = runner.run(progress: progress.map { bar in { time, events in bar.update(time: time, events: events) } })
        progress?.finish()
    } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(options.path): \(error.description)\n", exitCode: 2)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let events = runner.eventCount
    let speed = "compute-sim: \(events) events in \(Int(seconds * 1000)) ms (\(seconds > 0 ? String(Int(Double(events) / seconds)) : "-") events/s)\n"
    let json = report.json.canonicalText + "\n"
    var stdout = options.json ? json : report.summary
    if let directory = options.outputDirectory {
        var files = [
            ("report.json", json), ("timeseries.csv", report.timeSeriesCSV), ("summary.txt", report.summary),
            ("utilisation.svg", report.utilisationChart.svg), ("status.svg", report.statusChart.svg),
        ]
        if let chart = report.bandwidthChart { files.append(("bandwidth.svg", chart.svg)) }
        if let svg = report.heatMapSVG { files.append(("heatmap.svg", svg)) }
        files.append(("report.html", report.html))
        if options.trace { files.append(("trace.jsonl", runner.traceJSONLines)) }
        do throws(OutputError) {
            try makeDirectory(directory)
            for (name, contents) in files { try writeFile(contents, to: (directory as NSString).appendingPathComponent(name)) }
        } catch {
            return SessionRun(stdout: stdout, stderr: "compute-sim: cannot write the report: \(error.message)\n", exitCode: 2)
        }
        if !options.json { stdout += "wrote \(files.map(\.0).joined(separator: ", ")) to \(directory)\n" }
    }
    return SessionRun(stdout: stdout, stderr: speed, exitCode: report.invariantViolations.isEmpty ? 0 : 1)
}

/// A one-line progress bar on stderr, redrawn at most five times a second: simulated time,
/// percent done, events per second. Only shown when stderr is a terminal.
final class ProgressBar {
    let duration: SimDuration
    let started: UInt64
    var lastDraw: UInt64 = 0
    var drawn = false

    init(duration: SimDuration, started: UInt64) {
        self.duration = duration
        self.started = started
    }

    func update(time: SimTime, events: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 200_000_000, now - started > 1_000_000_000 else { return }  // only runs longer than a second
        lastDraw = now
        drawn = true
        let fraction = duration.nanoseconds > 0 ? min(1, Double(time.nanosecondsSinceStart) / Double(duration.nanoseconds)) : 1
        let filled = Int(fraction * 30)
        let rate = Double(events) / (Double(now - started) / 1e9)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        write("\r[\(bar)] \(Int(fraction * 100))% \(time.sinceStart) simulated, \(Int(rate)) events/s   ", to: .standardError)
    }

    func finish() {
        if drawn { write("\n", to: .standardError) }
    }
}
