import Foundation
import TestSupport
import Testing

@testable import ComputeSim

#if canImport(FoundationXML)
    import FoundationXML
#endif

struct ScenarioRunnerTests {
    static func scenario(
        _ workloads: String, cloud: String = #""hosts": [{"name": "h{n}", "count": 4, "vcpus": 8, "memoryMiB": 16384, "diskGiB": 200}]"#,
        extra: String = ""
    ) throws -> Scenario {
        try Scenario.parse(
            #"{"name": "t", "seed": 3, "duration": "1h", "# + cloud + #", "sampleInterval": "10m", "workloads": ["# + workloads + "]" + extra + "}")
    }

    @Test("the small-cloud run's report and time series match the golden files")
    func smallCloudGolden() throws {
        var runner = try ScenarioRunner(scenario: Scenario.load(path: ScenarioTests.smallCloudPath))
        let report = runner.run()
        Golden.check(report.json.canonicalText + "\n", against: "run-small-cloud-seed-7.json")
        Golden.check(report.timeSeriesCSV, against: "run-small-cloud-seed-7.csv")
        Golden.check(report.summary, against: "run-small-cloud-seed-7.txt")
        #expect(report.invariantViolations.isEmpty)
    }

    @Test("a /16 network holds more servers than a /24 and hands out addresses past .255")
    func wideNetworks() throws {
        let narrow = try Self.scenario(
            #"{"name": "n", "arrival": {"process": "burst", "at": "0s", "count": 300}, "flavor": "1", "image": "70a599e0-31e7-49b7-b260-868f441e862b"}"#,
            cloud: #""hosts": [{"name": "h{n}", "count": 10, "vcpus": 64, "memoryMiB": 262144, "diskGiB": 2000}]"#,
            extra: #", "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}}"#)
        var wide = narrow
        wide.configuration.network.ipv4PrefixLength = 16
        var narrowRunner = try ScenarioRunner(scenario: narrow)
        let narrowReport = narrowRunner.run()
        #expect(narrowReport.totals.becameActive == 253 && narrowReport.totals.failedToBuild == 47)
        #expect(narrowReport.totals.errorFaults == ["Build of instance <server> aborted: Failed to allocate the network(s), not rescheduling.": 47])
        var wideRunner = try ScenarioRunner(scenario: wide)
        #expect(wideRunner.run().totals.becameActive == 300)
        let admin = Caller(project: ProjectID("admin"), isAdmin: true)
        let addresses = Set(wideRunner.cloud.servers(as: admin).flatMap(\.addresses).filter { $0.version == 4 }.map(\.address))
        #expect(addresses.contains("10.0.1.45") && addresses.contains("10.0.0.255") && !addresses.contains("10.0.0.0") && addresses.count == 300)
    }

    @Test("the same seed gives byte-identical reports and another seed a different one")
    func runsAreReproducible() throws {
        let scenario = try Scenario.load(path: ScenarioTests.smallCloudPath)
        func run(_ seed: UInt64) throws -> String {
            var runner = try ScenarioRunner(scenario: scenario, seed: seed, duration: .minutes(50))
            return runner.run().json.canonicalText
        }
        let first = try run(11)
        #expect(try run(11) == first)
        #expect(try run(12) != first)
        #expect(first.contains(#""seed":"11""#) && first.contains(#""duration":"50m""#))
    }

    @Test("runs keep the cloud's invariants for every seed of a sweep", .tags(.seedSweep), arguments: SeedSweep.seeds(12).map { $0 + 1 })
    func sweepKeepsInvariants(seed: UInt64) throws {
        var runner = try ScenarioRunner(scenario: Scenario.load(path: ScenarioTests.smallCloudPath), seed: seed, duration: .minutes(90))
        let report = runner.run()
        #expect(report.invariantViolations == [])
        let totals = report.totals
        #expect(totals.created == totals.becameActive + totals.failedToBuild + totals.deletedWhileBuilding + (report.samples.last?.statusCounts[.build] ?? 0))
        #expect(report.samples.count == 19)  // 0, 5m, ..., 90m
    }

    @Test("a burst creates its count at its offset, capped by maxServers, and quota refusals are counted by code")
    func burstAndQuota() throws {
        let scenario = try Self.scenario(
            #"{"name": "b", "arrival": {"process": "burst", "at": "15m", "count": 12}, "flavor": "2", "maxServers": 11}"#,
            extra: #", "quotas": {"default": {"instances": 9}}"#)
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let stats = try #require(report.workloads.first)
        #expect(stats.createRequests == 11 && stats.created == 9 && stats.createRefusals == [.forbidden: 2])
        #expect(stats.becameActive == 9 && stats.hostsHolding == 4)
        #expect(report.samples.map(\.servers) == [0, 0, 9, 9, 9, 9, 9])
    }

    @Test("constant arrivals with a lifetime are deleted on time and anti-affinity groups spread them")
    func lifetimesAndGroups() throws {
        let scenario = try Self.scenario(
            #"{"name": "c", "arrival": {"process": "constant", "interval": "5m"}, "stop": "20m", "flavor": "2", "lifetime": {"kind": "constant", "value": "12m"}, "group": {"policy": "anti-affinity", "size": 4}}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let stats = try #require(report.workloads.first)
        #expect(stats.createRequests == 4 && stats.deletes == 4 && stats.groupFailures == 0)
        // Creates at 0, 5, 10, 15 minutes; each lives 12 minutes.
        #expect(report.samples.map(\.servers) == [1, 2, 2, 0, 0, 0, 0])
        let cloud = runner.cloud
        let admin = Caller(project: ProjectID("admin"), isAdmin: true)
        #expect(cloud.servers(as: admin).isEmpty)
        #expect(cloud.hostPool.hostsHolding(group: ServerGroupID(rawValue: "c-group-1")).isEmpty)
    }

    @Test("the runner names servers <workload>-<n> and groups <workload>-group-<k>, and spreads them over <project>-<k> in blocks")
    func namesGroupsAndProjects() throws {
        let scenario = try Self.scenario(
            #"{"name": "w", "project": "p", "projects": {"count": 2, "block": 2}, "arrival": {"process": "burst", "at": "0s", "count": 5}, "flavor": "2", "group": {"policy": "soft-anti-affinity", "size": 2}}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        _ = runner.run()
        let admin = Caller(project: ProjectID("admin"), isAdmin: true)
        let servers = runner.cloud.servers(as: admin).sorted { $0.name < $1.name }
        #expect(servers.map(\.name) == ["w-1", "w-2", "w-3", "w-4", "w-5"])
        #expect(servers.map(\.project) == ["p-0", "p-0", "p-1", "p-1", "p-0"])
        #expect(servers.map(\.group) == ["w-group-1", "w-group-1", "w-group-2", "w-group-2", "w-group-3"])
        #expect(RunState.numbered("web", 12) == "web-12" && RunState.numbered("", 0) == "-0")
    }

    @Test("a host failure in the fault plan shows in the time series and recovers when the host comes back")
    func faultPlanShowsInSamples() throws {
        let scenario = try Self.scenario(
            #"{"name": "f", "arrival": {"process": "burst", "at": "0s", "count": 4}, "flavor": "2"}"#,
            extra: #", "faultPlan": [{"at": "15m", "kind": "hostDown", "host": "h1"}, {"at": "35m", "kind": "hostUp", "host": "h1"}]"#)
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.samples.map(\.hostsUp) == [4, 4, 3, 3, 4, 4, 4])
        #expect(report.samples[2].statusCounts[.unknown] == 1 && report.samples[4].statusCounts[.unknown] == nil)
    }

    @Test("a fault plan's evacuateAfter moves the down host's servers to other hosts through REBUILD, and the report says what it did")
    func plannedEvacuation() throws {
        let scenario = try Self.scenario(
            #"{"name": "f", "arrival": {"process": "burst", "at": "0s", "count": 4}, "flavor": "2"}"#,
            extra:
                #", "faultPlan": [{"at": "15m", "kind": "hostDown", "host": "h1", "evacuateAfter": "10m"}, {"at": "15m", "kind": "hostDown", "host": "h2", "evacuateAfter": "10m"}, {"at": "20m", "kind": "hostUp", "host": "h2"}]"#
        )
        #expect(scenario.evacuations == [PlannedEvacuation(at: .minutes(25), host: "h1"), PlannedEvacuation(at: .minutes(25), host: "h2")])
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        // Four servers spread over four hosts: h1's is evacuated at 25 min; h2 came back first.
        #expect(
            report.faults == [
                "15m hostDown h1", "15m hostDown h2", "20m hostUp h2", "25m evacuate h1: 1 moved, 0 without a host for them, 0 refused",
                "25m evacuate h2: skipped, its service is up",
            ])
        // Samples every 10 minutes: h1's server is UNKNOWN at 20 min and ACTIVE elsewhere by 30.
        #expect(report.samples.map(\.hostsUp) == [4, 4, 3, 3, 3, 3, 3])
        #expect(report.samples[2].statusCounts[.unknown] == 1)
        #expect(report.samples[3].statusCounts[.unknown] == nil && report.samples[3].statusCounts[.active] == 4)
        let admin = Caller(project: "admin", isAdmin: true)
        #expect(runner.cloud.servers(as: admin).allSatisfy { $0.host != "h1" && $0.status == .active })
        #expect(report.invariantViolations.isEmpty)
    }

    @Test("charts are well-formed SVG with axes, a legend entry per series and escaped labels")
    func chartsParse() throws {
        let chart = SVGChart(
            title: "a <b> & \"c\"", xLabel: "hours", yLabel: "%",
            series: [
                SVGChart.Series(label: "one", color: "#000", points: [SVGChart.Point(x: 0, y: 1), SVGChart.Point(x: 2, y: 3.25)]),
                SVGChart.Series(label: "two", color: "#111", points: []),
            ])
        let elements = try SVGCheck.elements(Data(chart.svg.utf8))
        #expect(elements.filter { $0 == "polyline" }.count == 2 && elements.filter { $0 == "text" }.count == 1 + 5 + 5 + 2 + 2)
        #expect(chart.svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"))
        // The y axis tops at 4 (ticks 0 to 4): 3.25 is 81.25% of the 330-pixel plot up from
        // y=370; the x ticks are 0, 0.5, 1, 1.5 and 2.
        #expect(chart.svg.contains(#"points="70,287.5 630,101.9""#))
        #expect(chart.svg.contains(#">1.5</text>"#) && chart.svg.contains(#">4</text>"#))
        #expect(SVGChart.format(-0.05, decimals: 1) == "-0.1" && SVGChart.format(12.50) == "12.5" && SVGChart.format(3) == "3")
    }

    @Test("axis ticks fall on round values: 1-2-5 steps, time in the unit that suits the span, thousands separated")
    func roundTicks() {
        #expect(SVGChart.ticks(from: 0, to: 3.25) == [0, 1, 2, 3, 4])
        #expect(SVGChart.ticks(from: 0, to: 16.2, maximumCount: 6) == [0, 5, 10, 15, 20])
        #expect(SVGChart.ticks(from: 0, to: 0.17) == [0, 0.05, 0.1, 0.15, 0.2])
        #expect(SVGChart.ticks(from: 0, to: 23_456, maximumCount: 6) == [0, 5_000, 10_000, 15_000, 20_000, 25_000])
        #expect(SVGChart.ticks(from: 0, to: 0) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        // Time: a 24-hour run in hours by 6, a 15-minute one in minutes by 5, 3.33 minutes by 1.
        let day = SVGChart.timeUnit(spanning: 86_400)
        #expect(day.name == "h" && SVGChart.ticks(from: 0, to: 24, steps: day.steps) == [0, 6, 12, 18, 24])
        let quarter = SVGChart.timeUnit(spanning: 900)
        #expect(quarter.name == "min" && SVGChart.ticks(from: 0, to: 15, steps: quarter.steps) == [0, 5, 10, 15])
        #expect(SVGChart.ticks(from: 0, to: 200.0 / 60, steps: quarter.steps) == [0, 1, 2, 3, 4])
        #expect(SVGChart.timeUnit(spanning: 60).name == "s" && SVGChart.timeUnit(spanning: 30 * 86_400).name == "d")
        #expect(SVGChart.tickLabel(12_500, decimals: 0) == "12,500" && SVGChart.tickLabel(-1_234_567.5, decimals: 1) == "-1,234,567.5")
        #expect(SVGChart.tickLabel(0.15, decimals: 2) == "0.15" && SVGChart.decimals(forStep: 0.05) == 2 && SVGChart.decimals(forStep: 5) == 0)
        #expect(SVGChart.format(-0.05, decimals: 1) == "-0.1" && SVGChart.format(12.50) == "12.5" && SVGChart.format(3) == "3")
    }

    @Test("absurd run lengths are refused before anything is scheduled, and huge offsets never overflow")
    func absurdLengths() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "36500d", "sampleInterval": "1s", "hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}]}"#)
        #expect(throws: ScenarioError(path: "sampleInterval", reason: "a 36500d run sampled every 1s takes 3153600001 samples; at most 1000000")) {
            try ScenarioRunner(scenario: scenario)
        }
        let far = try Scenario.parse(
            #"{"duration": "36500d", "sampleInterval": "18250d", "hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}], "workloads": [{"name": "b", "start": "36500d", "arrival": {"process": "burst", "at": ["36500d", "0s"], "count": 1}, "flavor": "2", "lifetime": {"kind": "constant", "value": "36500d"}}]}"#
        )
        var runner = try ScenarioRunner(scenario: far)
        let report = runner.run()
        #expect(report.workloads[0].createRequests == 1 && report.samples.count == 3)
        let flood = try Scenario.parse(
            #"{"duration": "1d", "hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}], "workloads": [{"name": "p", "arrival": {"process": "poisson", "meanInterval": "1us"}, "flavor": "2"}]}"#
        )
        #expect(
            throws: ScenarioError(path: "workloads[0]", reason: "expects about 86400000000 creates in 1d; set maxServers (the limit without it is 100000000)")
        ) {
            try ScenarioRunner(scenario: flood)
        }
        let failures = try Scenario.parse(
            #"{"duration": "1d", "hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}], "faultPlan": [{"kind": "randomHostFailures", "mtbf": {"kind": "constant", "value": "0s"}, "mttr": {"kind": "constant", "value": "0s"}}]}"#
        )
        #expect(throws: ScenarioError(path: "faultPlan", reason: "the MTBF/MTTR distributions draw more than 1000000 host failures and repairs in 1d")) {
            try ScenarioRunner(scenario: failures)
        }
        #expect(RunReport.percent(Double(Int.max) * 4, of: Double(Int.max) * 8) == "50.00")
        #expect(StatusTime(status: .active, nanoseconds: [Int64.max]).p99.nanoseconds == 9_223_372_036_853_000_000)
    }

    @Test("percentages are rounded in integers")
    func percentages() {
        #expect(RunReport.percent(1, of: 3) == "33.33")
        #expect(RunReport.percent(2, of: 3) == "66.67")
        #expect(RunReport.percent(1, of: 200) == "0.50")
        #expect(RunReport.percent(5, of: 0) == "0.00")
    }

}

/// Parses SVG with Foundation's XML parser and lists element names in document order.
struct WorkloadProcessTests {
    static let cloud = #""hosts": [{"name": "h{n}", "count": 4, "vcpus": 8, "memoryMiB": 16384, "diskGiB": 200}]"#

    @Test("a diurnal curve creates only during hours with a positive rate, by the wall clock")
    func diurnal() throws {
        var rates = Array(repeating: "0", count: 24)
        rates[2] = "30"  // 02:00-03:00 UTC only
        let scenario = try Scenario.parse(
            #"{"duration": "6h", "epoch": "2026-01-01T00:30:00Z", "sampleInterval": "30m", "#
                + Self.cloud
                + #", "workloads": [{"name": "d", "arrival": {"process": "diurnal", "perHour": [\#(rates.joined(separator: ","))]}, "flavor": "2", "lifetime": {"kind": "constant", "value": "20m"}}]}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let creates = report.workloads[0].createRequests
        #expect(creates > 15 && creates < 50)
        // Servers exist only between 02:00 and 03:20 wall clock, i.e. offsets 1h30m to 2h50m;
        // the sample at 1h30m is the instant the rate turns on.
        let busy = report.samples.filter { $0.servers > 0 }.map { $0.time.sinceStart.description }
        #expect(busy == ["2h", "2h30m"])  // 02:30 and 03:00; at 03:30 the last 20-minute server is gone
    }

    @Test("a CSV trace is replayed row by row: time, account, flavor, image, lifetime")
    func traceReplay() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-trace-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = "time,account,flavor,image,lifetime\n0s,alpha,2,,10m\n5m,beta,3,70a599e0-31e7-49b7-b260-868f441e862b,\n5m,alpha,2,,30m\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/arrivals.csv"))
        let text =
            #"{"duration": "1h", "sampleInterval": "10m", "# + Self.cloud
            + #", "workloads": [{"name": "t", "arrival": {"process": "trace", "file": "arrivals.csv"}}]}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/s.json"))
        var runner = try ScenarioRunner(scenario: Scenario.load(path: directory + "/s.json"))
        let report = runner.run()
        #expect(report.workloads[0].createRequests == 3 && report.workloads[0].deletes == 2)
        #expect(report.samples.map(\.servers) == [1, 3, 2, 2, 1, 1, 1])
        let admin = Caller(project: ProjectID("admin"), isAdmin: true)
        let survivor = try #require(runner.cloud.servers(as: admin).first)
        #expect(survivor.project == ProjectID("beta") && survivor.flavor.id == FlavorID("3") && survivor.image.name == "cirros-0.6.2-x86_64-disk")
        #expect(throws: ScenarioError(path: "workloads[0].arrival.file", reason: "cannot read \(directory)/bad/a.csv: no such file")) {
            try Scenario.parse(#"{"workloads": [{"name": "t", "arrival": {"process": "trace", "file": "a.csv"}}]}"#, baseDirectory: directory + "/bad")
        }
    }

    @Test(
        "trace files with mistakes name the line and the cell",
        arguments: [
            ("time,account,flavor\n", "line 1: expected the header time,account,flavor,image,lifetime"),
            ("time,account,flavor,image,lifetime\n1m,a,2,,\n0s,a,2,,\n", "line 3: time 0s is before the previous row's"),
            ("time,account,flavor,image,lifetime\nsoon,a,2,,\n", "line 2: time: invalid duration \"soon\": expected a number at \"soon\""),
            ("time,account,flavor,image,lifetime\n1m,,2,,\n", "line 2: account is empty"),
            ("time,account,flavor,image,lifetime\n1m,a,2,,,\n", "line 2: expected 5 cells, got 6"),
            ("time,account,flavor,image,lifetime\n", "the trace has no rows"),
        ])
    func traceErrors(csv: String, message: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "compute-sim-trace-errors-\(ProcessInfo.processInfo.processIdentifier)-\(abs(message.hashValue % 100_000))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/a.csv"))
        #expect(throws: ScenarioError(path: "workloads[0].arrival.file", reason: message)) {
            try Scenario.parse(#"{"workloads": [{"name": "t", "arrival": {"process": "trace", "file": "a.csv"}}]}"#, baseDirectory: directory)
        }
    }

    @Test("MTBF/MTTR host failures are drawn from the run's seed and show as ERROR servers")
    func randomHostFailures() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "2d", "sampleInterval": "1h", "# + Self.cloud
                + #", "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 8}, "flavor": "2"}], "faultPlan": [{"kind": "randomHostFailures", "mtbf": {"kind": "exponential", "mean": "1d"}, "mttr": {"kind": "constant", "value": "4h"}}]}"#
        )
        var first = try ScenarioRunner(scenario: scenario)
        let report = first.run()
        var again = try ScenarioRunner(scenario: scenario)
        #expect(again.run().faults == report.faults)
        var other = try ScenarioRunner(scenario: scenario, seed: 99)
        #expect(other.run().faults != report.faults)
        let failures = report.faults.filter { $0.contains("hostFailure") }.count
        #expect(failures >= 2 && report.faults.filter { $0.contains("hostUp") }.count >= failures - 4)
        #expect(report.totals.errorFaults.keys.allSatisfy { $0.hasSuffix("failed and the server was lost") })
        #expect(report.invariantViolations.isEmpty)
    }

    @Test("declared server groups are created before the run and workloads join them by id")
    func declaredGroups() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "30m", "# + Self.cloud
                + #", "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}}, "serverGroups": [{"id": "db", "project": "team", "policy": "anti-affinity", "maxServerPerHost": 2}], "workloads": [{"name": "w", "project": "team", "arrival": {"process": "burst", "at": "0s", "count": 9}, "flavor": "2", "group": {"id": "db"}}]}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.totals.becameActive == 8 && report.totals.failedToBuild == 1)
        #expect(runner.cloud.hostPool.hostsHolding(group: ServerGroupID(rawValue: "db")).map(\.servers) == [2, 2, 2, 2])
        #expect(throws: ScenarioError(path: "workloads[0].group.id", reason: "no server group with id nope in serverGroups")) {
            try Scenario.parse(
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 1}, "flavor": "1", "group": {"id": "nope"}}]}"#)
        }
        #expect(throws: ScenarioError(path: "workloads[0].group", reason: "server group g belongs to project a; the workload's servers are in w")) {
            try Scenario.parse(
                #"{"serverGroups": [{"id": "g", "project": "a", "policy": "affinity"}], "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 1}, "flavor": "1", "group": {"id": "g"}}]}"#
            )
        }
        #expect(throws: ScenarioError(path: "serverGroups[0].maxServerPerHost", reason: "only anti-affinity groups take maxServerPerHost")) {
            try Scenario.parse(#"{"serverGroups": [{"id": "g", "project": "a", "policy": "affinity", "maxServerPerHost": 2}]}"#)
        }
    }

    @Test("a burst workload fires its count at each of several offsets")
    func severalBursts() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "1h", "sampleInterval": "10m", "# + Self.cloud
                + #", "workloads": [{"name": "b", "arrival": {"process": "burst", "at": ["35m", "5m"], "count": 3}, "flavor": "2", "lifetime": {"kind": "constant", "value": "20m"}}]}"#
        )
        #expect(scenario.workloads[0].arrival == .burst(at: [.minutes(5), .minutes(35)], count: 3))
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.samples.map(\.servers) == [0, 3, 3, 0, 3, 3, 0])
    }

    @Test("timing overrides set the phase durations: a constant 10-second build shows as BUILD p99 10s")
    func timingOverrides() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "1h", "# + Self.cloud
                + #", "timing": {"create": [{"kind": "constant", "value": "1s"}, {"kind": "constant", "value": "2s"}, {"kind": "constant", "value": "3s"}, {"kind": "constant", "value": "4s"}], "stop": [{"kind": "constant", "value": "7s"}]}, "workloads": [{"name": "w", "arrival": {"process": "constant", "interval": "5m"}, "flavor": "2", "actions": [{"action": "stop", "perHour": 2}]}]}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let build = try #require(report.statusTimes.first { $0.status == .build })
        // 13 creates (0 to 60 minutes), 3 over the default quota of 10 instances.
        #expect(report.workloads[0].createRequests == 13 && report.workloads[0].createRefusals == [.forbidden: 3])
        #expect(build.visits == 10 && build.p50 == .seconds(10) && build.p99 == .seconds(10) && build.mean == .seconds(10))
        #expect(scenario.configuration.timing.phases[.stop] == [.constant(7)] && scenario.configuration.timing.phases[.start] == TimingModel().phases[.start])
    }

    @Test("a guest shutdown action powers servers off through the power sync")
    func guestShutdowns() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "3h", "sampleInterval": "1h", "# + Self.cloud
                + #", "workloads": [{"name": "g", "arrival": {"process": "burst", "at": "0s", "count": 6}, "flavor": "2", "actions": [{"action": "guestShutdown", "perHour": 3}]}]}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.samples.last?.statusCounts[.shutoff] == 6)
        #expect(report.workloads[0].actionsAccepted >= 6)
    }

    @Test("a workload with shutdownTerminate has its servers deleted, not stopped, when their guests shut down")
    func shutdownTerminateWorkloads() throws {
        func lastSample(terminate: Bool) throws -> [ServerStatus: Int] {
            let scenario = try Scenario.parse(
                #"{"duration": "3h", "sampleInterval": "1h", "# + Self.cloud
                    + #", "workloads": [{"name": "g", "arrival": {"process": "burst", "at": "0s", "count": 6}, "flavor": "2", "shutdownTerminate": "#
                    + "\(terminate)" + #", "script": [{"after": {"kind": "constant", "value": "1m"}, "action": "guestShutdown"}]}]}"#
            )
            #expect(scenario.workloads[0].shutdownTerminate == terminate)
            var runner = try ScenarioRunner(scenario: scenario)
            return runner.run().samples.last?.statusCounts ?? [:]
        }
        #expect(try lastSample(terminate: false)[.shutoff] == 6)
        let terminated = try lastSample(terminate: true)
        #expect(terminated[.shutoff] == nil && terminated[.active] == nil)
        #expect(throws: ScenarioError.self) {
            try Scenario.parse(
                #"{"workloads": [{"name": "g", "arrival": {"process": "burst", "at": "0s", "count": 1}, "flavor": "2", "shutdownTerminate": 1}]}"#)
        }
    }
}

struct FixtureScenarioTests {
    static func path(_ name: String) -> String { Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/\(name)").path }

    @Test("the quota scenario refuses creates over quota with Nova's wording")
    func quotaExhaustion() throws {
        var runner = try ScenarioRunner(scenario: Scenario.load(path: Self.path("quota-exhaustion.json")))
        let report = runner.run()
        #expect(report.totals.createRefusals == [.forbidden: 28] && report.invariantViolations.isEmpty)
        #expect(report.totals.firstRefusals[.forbidden]?.hasPrefix("Quota exceeded for ") == true)
    }

    @Test("the zone-outage scenario shows the zone's hosts down, UNKNOWN servers, and the recovery")
    func zoneOutage() throws {
        var runner = try ScenarioRunner(scenario: Scenario.load(path: Self.path("zone-outage.json")))
        let report = runner.run()
        let during = report.samples.filter { $0.time.sinceStart >= .hours(2) && $0.time.sinceStart < .minutes(210) }
        #expect(during.count == 9 && during.allSatisfy { $0.hostsUp == 8 && ($0.statusCounts[.unknown] ?? 0) > 0 })
        #expect(report.samples.last?.hostsUp == 16 && report.samples.last?.statusCounts[.unknown] == nil && report.invariantViolations.isEmpty)
    }

    @Test("the anti-affinity scenario fails only builds the group filter rules out, and keeps every group apart")
    func antiAffinityPressure() throws {
        var runner = try ScenarioRunner(scenario: Scenario.load(path: Self.path("anti-affinity-pressure.json")))
        let report = runner.run()
        #expect(report.placementFailures.total == 22 && report.placementFailures.byFilter.map(\.filter) == [.serverGroupAntiAffinity])
        #expect(report.totals.errorFaults == ["No valid host was found. There are not enough hosts available.": 22])
        #expect(report.invariantViolations.isEmpty)  // includes "hard groups hold"
    }
}

struct ProjectSpreadTests {
    @Test("a workload spread over projects assigns blocks of servers round-robin, as the reference workload does")
    func projectBlocks() throws {
        let scenario = try Scenario.parse(
            #"{"duration": "1h", "hosts": [{"name": "h{n}", "count": 8, "vcpus": 64, "memoryMiB": 262144, "diskGiB": 4000}], "workloads": [{"name": "r", "project": "acct", "projects": {"count": 7, "block": 5}, "arrival": {"process": "burst", "at": "0s", "count": 40}, "flavor": "1", "image": "70a599e0-31e7-49b7-b260-868f441e862b"}]}"#
        )
        #expect(
            (0..<11).map { scenario.workloads[0].project(ofServer: $0).rawValue } == [
                "acct-0", "acct-0", "acct-0", "acct-0", "acct-0", "acct-1", "acct-1", "acct-1", "acct-1", "acct-1", "acct-2",
            ])
        #expect(scenario.workloads[0].project(ofServer: 35) == ProjectID("acct-0"))
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let admin = Caller(project: ProjectID("admin"), isAdmin: true)
        let byProject = Dictionary(grouping: runner.cloud.servers(as: admin), by: \.project.rawValue).mapValues(\.count)
        #expect(byProject == ["acct-0": 10, "acct-1": 5, "acct-2": 5, "acct-3": 5, "acct-4": 5, "acct-5": 5, "acct-6": 5])
        #expect(report.totals.becameActive == 40)
    }
}

struct ReferenceLifecycleTests {
    @Test("the reference lifecycle fixture takes every server through BUILD, ACTIVE, REBOOT, ACTIVE, DELETED")
    func referenceLifecycle() throws {
        let path = Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/reference-lifecycle.json").path
        var scenario = try Scenario.load(path: path)
        scenario.configuration.hosts = Array(scenario.configuration.hosts.prefix(20))
        scenario.workloads[0].maxServers = 300
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(runner.cloud.statusChangeCount == 5 * 300)  // BUILD, ACTIVE, REBOOT, ACTIVE, DELETED each
        let times = Dictionary(uniqueKeysWithValues: report.statusTimes.map { ($0.status, $0) })
        #expect(times[.reboot]?.visits == 300 && times[.reboot]?.p99 == .seconds(3) && times[.reboot]?.mean == .seconds(3))
        let build = try #require(times[.build])
        #expect(build.visits == 300 && build.p50 > .seconds(5) && build.p99 <= .seconds(30))
        #expect(times[.active]?.visits == 600 && report.totals.deletes == 300 && report.totals.actionsAccepted == 300)
        #expect(report.samples.last?.servers == 0 && report.invariantViolations.isEmpty)
        // Seven accounts, groups of five: server 35 is back in account-0.
        #expect(scenario.workloads[0].project(ofServer: 35) == ProjectID("account-0"))
    }
}
