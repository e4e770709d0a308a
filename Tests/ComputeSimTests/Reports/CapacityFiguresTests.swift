import Foundation
import Testing

@testable import ComputeSim

/// The figures capacity planners ask for next (issue 21, item 4), on small scenarios whose
/// outcome can be worked out by hand.
struct CapacityFiguresTests {
    /// One host of 4 vCPUs. At 0 s two 4-vCPU servers arrive: the first fills the host, the
    /// second finds no valid host. At 10 min three 1-vCPU servers arrive: the host is full, so
    /// none is placed. NoValidHost by flavor: big 1 of 2, small 3 of 3.
    static let noValidHostScenario = #"""
        {"name": "no-valid-host", "seed": 3, "duration": "1h",
         "hosts": [{"name": "h{n}", "count": 1, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}],
         "flavors": [{"id": "big", "name": "big", "vcpus": 4, "memoryMiB": 4096, "diskGiB": 10},
                     {"id": "small", "name": "small", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 10},
                     {"id": "unused", "name": "unused", "vcpus": 2, "memoryMiB": 1024, "diskGiB": 10}],
         "workloads": [
           {"name": "big", "project": "p", "arrival": {"process": "burst", "at": ["0s"], "count": 2}, "flavors": [{"id": "big"}]},
           {"name": "small", "project": "q", "arrival": {"process": "burst", "at": ["10m"], "count": 3}, "flavors": [{"id": "small"}]}]}
        """#

    @Test("the NoValidHost rate per flavor is in the report, its JSON, its summary and the sweep metrics")
    func noValidHostByFlavor() throws {
        var runner = try ScenarioRunner(scenario: Scenario.parse(Self.noValidHostScenario))
        let report = runner.run()
        #expect(
            report.placementFailures.byFlavor == [
                .init(flavor: "big", builds: 2, noValidHost: 1), .init(flavor: "small", builds: 3, noValidHost: 3),
                .init(flavor: "unused", builds: 0, noValidHost: 0),
            ])
        #expect(report.placementFailures.total == 4)
        #expect(
            report.summary.contains(
                "\nplacement: 4 NoValidHost (filters eliminating hosts: ResourcesFilter in 4)\n  NoValidHost by flavor: big 1 of 2 (50.00%), small 3 of 3 (100.00%)\n"
            ))
        let json = try #require(report.json["placementFailures"])
        #expect(
            json.canonicalText
                == #"{"byFilter":{"ResourcesFilter":4},"byFlavor":{"big":{"builds":2,"noValidHost":1,"percent":"50.00"},"small":{"builds":3,"noValidHost":3,"percent":"100.00"},"unused":{"builds":0,"noValidHost":0,"percent":"0.00"}},"noValidHost":4}"#
        )
        let metrics = report.metrics
        #expect(metrics.map(\.0) == RunReport.metricNames + ["noValidHostPercent.big", "noValidHostPercent.small", "noValidHostPercent.unused"])
        #expect(metrics.suffix(3).map(\.1) == [50, 100, 0])
        #expect(metrics.first { $0.0 == "noValidHost" }?.1 == 4)
    }

    @Test("a sweep table whose rows have different per-flavor metrics writes one header with empty cells")
    func tablesWithDifferentFlavors() throws {
        let records: [(source: String, json: JSONValue)] = [
            ("a", ["run": 0, "of": 2, "seed": "1", "parameters": ["f": 1], "metrics": ["noValidHostPercent.a": 10, "x": 1], "sweep": "s"]),
            ("b", ["run": 1, "of": 2, "seed": "1", "parameters": ["f": 2], "metrics": ["noValidHostPercent.b": 20, "x": 2], "sweep": "s"]),
        ]
        let table = try SweepTable.merge(records)
        #expect(
            table.csv == """
                f,runs,noValidHostPercent.a_mean,noValidHostPercent.a_ci95,x_mean,x_ci95,noValidHostPercent.b_mean,noValidHostPercent.b_ci95
                1,1,10,0,1,0,,
                2,1,,,2,0,20,0

                """)
    }
}
