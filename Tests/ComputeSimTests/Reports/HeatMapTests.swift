import Testing

@testable import ComputeSim

/// The per-host heat map (issue 21, item 3): what each cell holds, when rows become host
/// groups, and how long runs keep at most 1,000 columns.
struct HeatMapTests {
    static func run(_ text: String) throws -> RunReport {
        var runner = try ScenarioRunner(scenario: Scenario.parse(text))
        return runner.run()
    }

    /// Two hosts of 4 vCPUs. At 5 min one 2-vCPU server lands on h1 (hosts tie: host order):
    /// 50% of its vCPUs, the fullest resource (1 GiB of 15.5 GiB RAM, 10 of 100 GiB disk). h2
    /// goes down at 15 min. Columns at 0, 10, 20 and 30 min.
    @Test("a cell is the fullest resource's percentage, or down when every host of the row is down")
    func cells() throws {
        let report = try Self.run(
            #"""
            {"name": "heat", "duration": "30m", "sampleInterval": "10m",
             "hosts": [{"name": "h{n}", "count": 2, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 100, "cpuAllocationRatio": 1.0}],
             "flavors": [{"id": "half", "name": "half", "vcpus": 2, "memoryMiB": 1024, "diskGiB": 10}],
             "faultPlan": [{"at": "15m", "kind": "hostDown", "host": "h2"}],
             "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "5m", "count": 1}, "flavor": "half"}]}
            """#)
        let map = try #require(report.heatMap)
        #expect(map.rows == ["h1", "h2"] && !map.grouped)
        #expect(map.times == [.zero, .minutes(10), .minutes(20), .minutes(30)])
        #expect((0..<4).map { map.cell(row: 0, column: $0) } == [0, 50, 50, 50])
        #expect((0..<4).map { map.cell(row: 1, column: $0) } == [0, 0, nil, nil])
        let svg = try #require(report.heatMapSVG)
        // h1: 0% then 50% (two rectangles), h2: 0% then down (two), plus 11 legend swatches.
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 1 + 4 + 11)
        #expect(svg.contains(##"fill="#fdd49e""##) && svg.contains(##"fill="#bdbdbd""##) && svg.contains(">h2</text>"))
    }

    @Test("more than 2,000 hosts are drawn one row per host group, summed; without groups, per zone")
    func groups() throws {
        let text = #"""
            {"name": "big", "duration": "10m", "sampleInterval": "10m",
             "hosts": [{"name": "a{n}", "count": 2000, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 100, "cpuAllocationRatio": 1.0},
                       {"name": "b", "zone": "far", "vcpus": 4, "memoryMiB": 16384, "diskGiB": 100, "cpuAllocationRatio": 1.0}],
             "flavors": [{"id": "full", "name": "full", "vcpus": 4, "memoryMiB": 1024, "diskGiB": 10}],
             "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}}, "network": {"prefixLength": 16},
             "workloads": [{"name": "w", "zone": "nova", "arrival": {"process": "burst", "at": "0s", "count": 1000}, "flavor": "full"}]}
            """#
        let report = try Self.run(text)
        let map = try #require(report.heatMap)
        #expect(map.rows == ["a1 … a2000", "b"] && map.grouped && map.times == [.zero, .minutes(10)])
        // 1000 servers filling a host's vCPUs each, all in zone nova: half of group a's summed
        // vCPUs, none of b's.
        #expect(report.totals.becameActive == 1000)
        #expect(map.cell(row: 0, column: 1) == 50 && map.cell(row: 1, column: 1) == 0)
        var scenario = try Scenario.parse(text)
        scenario.hostGroupSizes = []
        var runner = try ScenarioRunner(scenario: scenario)
        #expect(runner.run().heatMap?.rows == ["nova", "far"])
    }

    @Test("a long run keeps every k-th sample so the map has at most 1,000 columns")
    func stride() throws {
        let report = try Self.run(
            #"{"name": "long", "duration": "2000m", "sampleInterval": "1m", "hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 16384, "diskGiB": 100}]}"#)
        let map = try #require(report.heatMap)
        #expect(report.samples.count == 2001)
        #expect(map.times.count == 667 && map.times[1] == .minutes(3) && map.times.last == .minutes(1998))
    }
}
