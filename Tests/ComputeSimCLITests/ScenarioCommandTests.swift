import Foundation
import TestSupport
import Testing

@testable import ComputeSim
@testable import ComputeSimCLI

/// `compute-sim run`, `validate`, `session --scenario` and `sweep` on the bundled scenarios.
struct ScenarioCommandTests {
    static var smallCloudPath: String { fixture("small-cloud.json") }
    static var sweepPath: String { fixture("spreading-sweep.json") }
    static func fixture(_ name: String) -> String { Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/\(name)").path }
    static func temporaryDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-\(name)-\(ProcessInfo.processInfo.processIdentifier)").path
    }

    @Test("the quickstart run (the README's main command) matches its golden summary and report")
    func quickstartGolden() throws {
        let output = runScenario(RunOptions(path: Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/quickstart.json").path))
        #expect(output.exitCode == 0)
        Golden.check(output.stdout, against: "run-quickstart-seed-1.txt")
        let json = runScenario(RunOptions(path: Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/quickstart.json").path, json: true))
        Golden.check(json.stdout, against: "run-quickstart-seed-1.json")
        var runner = try ScenarioRunner(scenario: Scenario.load(path: Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/quickstart.json").path))
        let report = runner.run()
        Golden.check(report.utilisationChart.svg, against: "run-quickstart-seed-1-utilisation.svg")
        Golden.check(report.statusChart.svg, against: "run-quickstart-seed-1-status.svg")
        Golden.check(try #require(report.heatMapSVG), against: "run-quickstart-seed-1-heatmap.svg")
        Golden.check(report.html, against: "run-quickstart-seed-1-report.html")
    }

    @Test("compute-sim run prints the summary, writes the report files, and names unreadable scenarios")
    func commandLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-run-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = runScenario(RunOptions(path: Self.smallCloudPath, outputDirectory: directory, trace: true))
        #expect(output.exitCode == 0 && output.stderr.hasPrefix("compute-sim: ") && output.stderr.hasSuffix(" events/s)\n"))
        #expect(output.stdout.hasPrefix("scenario small-cloud, seed 7, 2h from 2026-03-01T08:00:00Z\n"))
        #expect(
            output.stdout.hasSuffix(
                "wrote report.json, timeseries.csv, summary.txt, utilisation.svg, status.svg, heatmap.svg, report.html, trace.jsonl to \(directory)\n"))
        let trace = String(decoding: try #require(FileManager.default.contents(atPath: directory + "/trace.jsonl")), as: UTF8.self).split(separator: "\n")
        // One line per event of either scheduler, merged in time order.
        #expect(output.stderr.hasPrefix("compute-sim: \(trace.count) events in "))
        #expect(trace.first == #"{"event":"arrival workload=0","seq":0,"source":"workload","time":"0.000000000"}"#)
        let fault = try #require(trace.firstIndex(of: #"{"event":"scripted-fault index=0","seq":0,"source":"cloud","time":"2700.000000000"}"#))
        #expect(trace[fault + 1] == #"{"event":"sample","seq":114,"source":"workload","time":"2700.000000000"}"#)  // the cloud's first at a tie
        let times = trace.compactMap { line in line.split(separator: "\"time\":\"").last.flatMap { Double($0.dropLast(2)) } }
        #expect(times.count == trace.count && zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(throws: UsageError(message: "--trace writes trace.jsonl and needs --out DIR")) { try Invocation.parse(["run", "s.json", "--trace"]) }
        for chart in ["utilisation.svg", "status.svg"] {
            let data = try #require(FileManager.default.contents(atPath: directory + "/" + chart))
            let elements = try SVGCheck.elements(data)
            #expect(elements.first == "svg" && elements.filter { $0 == "polyline" }.count == (chart == "status.svg" ? 6 : 3))
        }
        // The heat map: a row per host (5), each a run of rectangles; report.html holds every
        // chart inline and no script.
        let heat = try SVGCheck.elements(try #require(FileManager.default.contents(atPath: directory + "/heatmap.svg")))
        #expect(heat.first == "svg" && heat.filter { $0 == "rect" }.count > 5 + 11)
        let page = String(decoding: try #require(FileManager.default.contents(atPath: directory + "/report.html")), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>\n") && page.components(separatedBy: "<svg ").count - 1 == 3 && !page.contains("<script"))
        let report = try #require(FileManager.default.contents(atPath: directory + "/report.json"))
        let json = runScenario(RunOptions(path: Self.smallCloudPath, json: true))
        #expect(String(decoding: report, as: UTF8.self) == json.stdout)
        let missing = runScenario(RunOptions(path: "/nonexistent/s.json"))
        #expect(missing.exitCode == 2 && missing.stderr == "compute-sim: /nonexistent/s.json: cannot read /nonexistent/s.json: no such file\n")
        #expect(
            try Invocation.parse(["run", "s.json", "--seed", "4", "--until", "30m", "--format", "json", "--out", "o"])
                == Invocation(command: .run(RunOptions(path: "s.json", seed: 4, duration: .minutes(30), outputDirectory: "o", json: true))))
        #expect(throws: UsageError(message: "--format expects text or json, got \"xml\"")) { try Invocation.parse(["run", "s.json", "--format", "xml"]) }
        #expect(throws: UsageError(message: "run needs a SCENARIO.json file")) { try Invocation.parse(["run"]) }
    }

    @Test("every bundled scenario validates")
    func everyFixtureValidates() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios").path)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix("-sweep.json") }.sorted()
        #expect(
            names == [
                "anti-affinity-pressure.json", "boot-storm.json", "large-run.json", "quickstart.json", "quota-exhaustion.json", "reference-lifecycle.json",
                "small-cloud.json", "zone-outage.json",
            ])
        for name in names {
            let output = runValidate(Self.fixture(name))
            #expect(output.exitCode == 0 && output.stdout.contains(": ok: "), "\(name): \(output.stderr)")
        }
    }

    @Test("validate reports a problem in every top-level section, in file order, with exit status 2")
    func validateReportsEveryProblem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-bad-\(ProcessInfo.processInfo.processIdentifier).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(
            #"{"seed": -1, "hosts": [{"name": "a", "vcpus": 0, "memoryMiB": 1, "diskGiB": 1}], "placement": {"accountSpreading": "x"}, "duration": "soon"}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: path))
        let output = runValidate(path)
        #expect(output.exitCode == 2 && output.stdout == "")
        #expect(
            output.stderr == """
                compute-sim: \(path): seed: expected an integer from 0 to 18446744073709551615, got -1
                compute-sim: \(path): duration: invalid duration "soon": expected a number at "soon"
                compute-sim: \(path): hosts[0].vcpus: expected a positive integer, got 0
                compute-sim: \(path): placement.accountSpreading: expected "strict", "off" or a weigher multiplier, got "x"

                """)
    }

    @Test("sessions can run on a scenario's cloud, and validate summarises a scenario")
    func sessionsRunOnScenarios() throws {
        let session =
            #"{"request": {"method": "GET", "path": "/os-hypervisors/detail", "project": "ops", "roles": ["admin"]}, "expect": {"body": {"hypervisors": [{"hypervisor_hostname": "az1-compute-1"}, {}, {}, {"hypervisor_type": "KVM"}, {}]}}}"#
        let run = runSession(SessionOptions(path: "s", check: true, scenario: Self.smallCloudPath), text: session)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(
            runSession(SessionOptions(path: "s", scenario: "/nonexistent.json"), text: session).stderr
                == "compute-sim: /nonexistent.json: cannot read /nonexistent.json: no such file\n")
        #expect(
            runValidate(Self.smallCloudPath).stdout.hasSuffix(
                "ok: small-cloud, seed 7, 5 hosts in 2 zone(s) (az1, az2), 6 flavors, 2 images, duration 2h, 3 workload(s), 2 timed fault(s)\n"))
        #expect(try Invocation.parse(["validate", "a.json"]) == Invocation(command: .validate("a.json")))
        #expect(
            try Invocation.parse(["session", "--scenario", "x.json", "a.jsonl"])
                == Invocation(command: .session(SessionOptions(path: "a.jsonl", scenario: "x.json"))))
    }

    @Test("three shards merged give byte for byte the table of one unsharded sweep")
    func shardsMergeToTheUnshardedTable() throws {
        let whole = Self.temporaryDirectory("sweep-whole"), parts = (0..<3).map { Self.temporaryDirectory("sweep-part\($0)") }
        defer { for directory in [whole] + parts { try? FileManager.default.removeItem(atPath: directory) } }
        let single = runSweep(SweepOptions(path: Self.sweepPath, outputDirectory: whole))
        #expect(single.exitCode == 0 && single.stdout.hasPrefix("sweep \(Self.sweepPath): 12 runs; shard 0/1 runs 12\n"))
        for (index, directory) in parts.enumerated() {
            let output = runSweep(SweepOptions(path: Self.sweepPath, shard: index, shards: 3, outputDirectory: directory))
            #expect(output.exitCode == 0 && output.stdout.contains("shard \(index)/3 runs 4\n"))
        }
        let unsharded = runMerge(MergeOptions(directories: [whole], output: whole + "/table.csv"))
        let sharded = runMerge(MergeOptions(directories: parts.reversed(), output: parts[0] + "/table.csv"))
        #expect(unsharded.exitCode == 0 && sharded.exitCode == 0)
        #expect(
            unsharded.stdout
                == "merged 12 of 12 runs into 4 row(s); wrote \(whole)/table.csv, \(whole)/table.json, \(whole)/table.html and 40 chart(s) in \(whole)/table-charts\n"
        )
        let charts = try FileManager.default.contentsOfDirectory(atPath: whole + "/table-charts").sorted()
        #expect(charts.count == 40 && charts.first == "01-actionRefusals-by-placement.accountSpreading.svg")
        for file in ["table.csv", "table.json", "table.html"] + charts.map({ "table-charts/" + $0 }) {
            let a = try #require(FileManager.default.contents(atPath: whole + "/" + file)),
                b = try #require(FileManager.default.contents(atPath: parts[0] + "/" + file))
            #expect(a == b, "\(file) differs")
        }
        let csvData = try #require(FileManager.default.contents(atPath: whole + "/table.csv"))
        let csv = String(decoding: csvData, as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(
            lines.count == 5 && lines[0].hasPrefix("placement.accountSpreading,workloads[0].arrival.meanInterval,runs,actionRefusals_mean,actionRefusals_ci95,")
        )
        #expect(lines[1].hasPrefix("strict,60s,3,") && lines[4].hasPrefix("off,120s,3,"))
        // The page and one chart per metric and parameter, against golden files.
        Golden.check(
            String(decoding: try #require(FileManager.default.contents(atPath: whole + "/table.html")), as: UTF8.self), against: "sweep-spreading-table.html")
        let chart = try #require(FileManager.default.contents(atPath: whole + "/table-charts/03-becameActive-by-placement.accountSpreading.svg"))
        Golden.check(String(decoding: chart, as: UTF8.self), against: "sweep-spreading-becameActive-by-spreading.svg")
        // A merge into a folder an earlier merge wrote removes the charts it does not write.
        try Data("old".utf8).write(to: URL(fileURLWithPath: whole + "/table-charts/41-gone.svg"))
        #expect(runMerge(MergeOptions(directories: [whole], output: whole + "/table.csv")).exitCode == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: whole + "/table-charts").count == 40)
        // One shard alone is reported as incomplete.
        let partial = runMerge(MergeOptions(directories: [parts[1]], output: parts[1] + "/t.json"))
        #expect(partial.exitCode == 1 && partial.stderr == "compute-sim: 8 run(s) missing: 0, 2, 3, 5, 6, 8, 9, 11\n")
    }
}
