import Foundation
import Testing

@testable import ComputeSim

/// The figures capacity planners ask for next (issue 21, item 4), on small scenarios whose
/// outcome can be worked out by hand.
struct CapacityFiguresTests {
    /// One host of 4 vCPUs. At 0 s two 4-vCPU servers arrive: the first fills the host, the
    /// second finds no valid host. At 10 min three 1-vCPU servers arrive: the host is full, so
    /// none is placed. NoValidHost by flavor: big 1 of 2, small 3 of 3. Every build phase takes
    /// 1 s, so the first NoValidHosts are at 1 s (big) and 10 min 1 s (small).
    static let noValidHostScenario = #"""
        {"name": "no-valid-host", "seed": 3, "duration": "1h",
         "hosts": [{"name": "h{n}", "count": 1, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}],
         "timing": {"create": [{"kind": "constant", "value": "1s"}, {"kind": "constant", "value": "1s"}, {"kind": "constant", "value": "1s"},
                               {"kind": "constant", "value": "1s"}]},
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
                .init(flavor: "big", builds: 2, noValidHost: 1, firstNoValidHost: SimTime.zero + .seconds(1)),
                .init(flavor: "small", builds: 3, noValidHost: 3, firstNoValidHost: SimTime.zero + .minutes(10) + .seconds(1)),
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

    /// Three hosts of 4 vCPUs (one zone). At 5 min six 1-vCPU servers of one project arrive and
    /// spread two to a host. Samples every 10 min over 1 h: seven, the first (0 s) before
    /// anything is placed. From 10 min on, losing the busiest host moves 2 vCPUs onto two hosts
    /// with 2 free each (N+1 holds); losing two moves 4 vCPUs onto one host with 2 free (N+2
    /// fails), losing all three leaves nowhere to go (N+3 fails), and neither does the only zone.
    static func headroomScenario(
        hosts: String = #"[{"name": "h{n}", "count": 3, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}]"#, servers: Int = 6,
        group: String = "", check: String = #"{"hosts": 3, "zone": true}"#
    ) -> String {
        #"""
        {"name": "headroom", "seed": 5, "duration": "1h", "sampleInterval": "10m", "headroom": \#(check),
         "hosts": \#(hosts),
         "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1, "serverGroups": -1, "serverGroupMembers": -1}},
         "flavors": [{"id": "one", "name": "one", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 10}],
         "workloads": [{"name": "w", "project": "p", "arrival": {"process": "burst", "at": ["5m"], "count": \#(servers)}, "flavor": "one"\#(group)}]}
        """#
    }

    /// Seven samples: held at 0 s (nothing placed yet), failed from 10 min on.
    static let heldThenFailed: [Bool] = [true, false, false, false, false, false, false]
    static let alwaysHeld: [Bool] = Array(repeating: true, count: 7)

    /// Servers per host at the end of a run, in host order.
    static func serversPerHost(_ runner: ScenarioRunner) -> [Int] {
        let pool = runner.cloud.hostPool
        return pool.hostNames.map { pool.usage(of: $0)?.servers ?? -1 }
    }

    @Test("N+1, N+2, N+3 and zone headroom are counted per sample with the first failure, in the summary, the JSON and the metrics")
    func headroomPerSample() throws {
        var runner = try ScenarioRunner(scenario: Scenario.parse(Self.headroomScenario()))
        let report = runner.run()
        #expect(Self.serversPerHost(runner) == [2, 2, 2])
        #expect(report.samples.count == 7)
        let perSample: [[Bool]] = [[true, true, true]] + Array(repeating: [true, false, false], count: 6)
        #expect(report.samples.map(\.headroom) == perSample)
        #expect(report.samples.map { $0.zoneHeadroom == true } == Self.heldThenFailed)
        #expect(report.samples.allSatisfy { $0.zoneHeadroom != nil })
        #expect(
            report.headroomSummaries == [
                HeadroomSummary(failure: "N+1", heldSamples: 7, samples: 7, firstFailure: nil),
                HeadroomSummary(failure: "N+2", heldSamples: 1, samples: 7, firstFailure: .minutes(10)),
                HeadroomSummary(failure: "N+3", heldSamples: 1, samples: 7, firstFailure: .minutes(10)),
                HeadroomSummary(failure: "zone", heldSamples: 1, samples: 7, firstFailure: .minutes(10)),
            ])
        #expect(
            report.summary.contains(
                "\nheadroom: N+1 held at 7 of 7 samples (100.00%), N+2 held at 1 of 7 samples (14.29%, first failed at 10m), N+3 held at 1 of 7 samples (14.29%, first failed at 10m), zone held at 1 of 7 samples (14.29%, first failed at 10m)\n"
            ))
        let json = try #require(report.json["headroom"])
        #expect(
            json.canonicalText
                == #"[{"failure":"N+1","firstFailure":null,"heldPercent":"100.00","heldSamples":7,"samples":7},{"failure":"N+2","firstFailure":"10m","heldPercent":"14.29","heldSamples":1,"samples":7},{"failure":"N+3","firstFailure":"10m","heldPercent":"14.29","heldSamples":1,"samples":7},{"failure":"zone","firstFailure":"10m","heldPercent":"14.29","heldSamples":1,"samples":7}]"#
        )
        let metrics = report.metrics
        #expect(metrics.suffix(4).map(\.0) == ["headroomHeldPercent.N+1", "headroomHeldPercent.N+2", "headroomHeldPercent.N+3", "headroomHeldPercent.zone"])
        let percents: [Double] = [100, 14.29, 14.29, 14.29]  // Percentage keeps two decimals
        #expect(metrics.suffix(4).map(\.1) == percents)
    }

    @Test("a report without a headroom section has no headroom member, line or metric")
    func noHeadroomSection() throws {
        var runner = try ScenarioRunner(scenario: Scenario.parse(Self.noValidHostScenario))
        let report = runner.run()
        #expect(report.headroomSummaries.isEmpty)
        #expect(report.json["headroom"] == nil)
        #expect(!report.summary.contains("headroom"))
        #expect(!report.metrics.contains { $0.0.hasPrefix(RunReport.headroomMetricPrefix) })
        #expect(report.samples.allSatisfy { $0.headroom.isEmpty && $0.zoneHeadroom == nil })
    }

    @Test("hard anti-affinity keeps a displaced member off hosts holding the group; soft anti-affinity does not")
    func headroomUnderAntiAffinity() throws {
        // Three members, one per host: with three hosts the lost host's member has nowhere to
        // go though capacity abounds; a fourth, empty host takes it.
        let threeHosts = #"[{"name": "h{n}", "count": 3, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}]"#
        let fourHosts = #"[{"name": "h{n}", "count": 4, "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}]"#
        func heldSamples(hosts: String, policy: String) throws -> [Bool] {
            let text = Self.headroomScenario(hosts: hosts, servers: 3, group: #", "group": {"policy": "\#(policy)", "size": 3}"#, check: #"{"hosts": 1}"#)
            var runner = try ScenarioRunner(scenario: Scenario.parse(text))
            let report = runner.run()
            #expect(Self.serversPerHost(runner).prefix(3) == [1, 1, 1])
            return report.samples.map { $0.headroom == [true] }
        }
        let strict = try heldSamples(hosts: threeHosts, policy: "anti-affinity")
        #expect(strict == Self.heldThenFailed)
        let spare = try heldSamples(hosts: fourHosts, policy: "anti-affinity")
        #expect(spare == Self.alwaysHeld)
        let soft = try heldSamples(hosts: threeHosts, policy: "soft-anti-affinity")
        #expect(soft == Self.alwaysHeld)
    }

    @Test("the busiest zone's loss moves its servers into the other zones' free capacity")
    func zoneHeadroom() throws {
        // Zone a has two hosts, zone b one; six servers spread two to a host. Zone a (4 vCPUs
        // used) is the busiest: its 4 vCPUs do not fit in b's 2 free. With b's host twice as
        // large (6 free), they do.
        func held(bSize: Int) throws -> [Bool] {
            let hosts = #"""
                [{"name": "a{n}", "count": 2, "zone": "a", "vcpus": 4, "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0},
                 {"name": "b{n}", "count": 1, "zone": "b", "vcpus": \#(bSize), "memoryMiB": 16384, "diskGiB": 200, "cpuAllocationRatio": 1.0}]
                """#
            var runner = try ScenarioRunner(scenario: Scenario.parse(Self.headroomScenario(hosts: hosts, check: #"{"hosts": 0, "zone": true}"#)))
            let report = runner.run()
            #expect(Self.serversPerHost(runner) == [2, 2, 2])
            #expect(report.headroomSummaries.map(\.failure) == ["zone"])
            return report.samples.map { $0.zoneHeadroom == true }
        }
        let small = try held(bSize: 4)
        #expect(small == Self.heldThenFailed)
        let large = try held(bSize: 8)
        #expect(large == Self.alwaysHeld)
    }

    @Test("a sweep over the host count records the headroom metrics, keeps its records and merges them per parameter")
    func headroomInSweeps() throws {
        // hosts[0].count 3: N+1 held at 7 of 7; 4 hosts (six servers: 2, 2, 1, 1) lose the
        // busiest (2 vCPUs) into 2 + 3 + 3 free: held at 7 of 7 as well; N+2 from 4 hosts moves
        // 4 vCPUs into hosts with 3 and 3 free: held.
        let scenario = try JSONParser.parse(Self.headroomScenario(check: #"{"hosts": 2}"#))
        let sweep = try Sweep.parse(#"{"scenario": "s", "seeds": [1], "parameters": {"hosts[0].count": [3, 4]}}"#) { _ throws(ScenarioError) in scenario }
        var records: [(source: String, json: JSONValue)] = []
        for index in sweep.runIndices() {
            let run = try sweep.run(index)
            var runner = try ScenarioRunner(scenario: run.scenario)
            let record = sweep.record(run, report: runner.run(), sweepFingerprint: sweep.fingerprint)
            #expect(sweep.checkRecord(record.canonicalText, for: run, sweepFingerprint: sweep.fingerprint) == nil)
            records.append(("run \(index)", record))
        }
        let csv = try SweepTable.merge(records).csv
        let header = csv.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasSuffix(",headroomHeldPercent.N+1_mean,headroomHeldPercent.N+1_ci95,headroomHeldPercent.N+2_mean,headroomHeldPercent.N+2_ci95"))
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").suffix(4).joined(separator: ",") }
        #expect(rows == ["100,0,14.29,0", "100,0,100,0"])
    }

    /// One host of 10 vCPUs, 10,240 MiB and 100 GiB (no reservations, ratios 1). A server of
    /// 1 vCPU, 512 MiB and 8 GiB arrives every 10 min from 0 s and is scheduled 1 s later, so
    /// the sample at 10k min finds k servers: vCPU 50% at 50m, 80% at 80m, 100% at 100m
    /// (1h40m); RAM (5% each) reaches 50% at 100m and never 80%; disk (8% each) 50% at 70m
    /// (56%), 80% at 100m, never 100%. The create at 100m is the eleventh: NoValidHost at 100m 1s.
    static let exhaustionScenario = #"""
        {"name": "exhaustion", "seed": 2, "duration": "2h", "sampleInterval": "10m", "exhaustion": {"thresholds": [50, 80, 100]},
         "hosts": [{"name": "h", "vcpus": 10, "memoryMiB": 10240, "diskGiB": 100, "reservedMemoryMiB": 0,
                    "cpuAllocationRatio": 1.0, "ramAllocationRatio": 1.0, "diskAllocationRatio": 1.0}],
         "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}},
         "flavors": [{"id": "one", "name": "one", "vcpus": 1, "memoryMiB": 512, "diskGiB": 8},
                     {"id": "other", "name": "other", "vcpus": 2, "memoryMiB": 512, "diskGiB": 8}],
         "timing": {"create": [{"kind": "constant", "value": "1s"}, {"kind": "constant", "value": "1s"}, {"kind": "constant", "value": "1s"},
                               {"kind": "constant", "value": "1s"}]},
         "workloads": [{"name": "w", "project": "p", "arrival": {"process": "constant", "interval": "10m"}, "flavor": "one"}]}
        """#

    @Test("time to exhaustion: the first sample at each threshold per resource and each flavor's first NoValidHost, in every output")
    func exhaustionTimes() throws {
        var runner = try ScenarioRunner(scenario: Scenario.parse(Self.exhaustionScenario))
        let report = runner.run()
        let summary = try #require(report.exhaustionSummary)
        let minutes = { (value: Int64) in SimDuration.minutes(value) }
        #expect(summary.resources.map(\.name) == ["vcpu", "memory", "disk"])
        #expect(summary.resources[0].reached.map(\.at) == [minutes(50), minutes(80), minutes(100)])
        #expect(summary.resources[1].reached.map(\.at) == [minutes(100), nil, nil])
        #expect(summary.resources[2].reached.map(\.at) == [minutes(70), minutes(100), nil])
        #expect(summary.resources.allSatisfy { $0.reached.map(\.percent) == [50, 80, 100] })
        let first = minutes(100) + .seconds(1)
        #expect(summary.firstNoValidHost == first)
        #expect(summary.flavors.map(\.firstNoValidHost) == [SimTime.zero + first, nil])
        #expect(
            report.summary.contains(
                "\nexhaustion: vCPU 50% at 50m, 80% at 1h20m, 100% at 1h40m; RAM 50% at 1h40m, 80% not reached, 100% not reached; disk 50% at 1h10m, 80% at 1h40m, 100% not reached; first NoValidHost at 1h40m1s (one at 1h40m1s)\n"
            ))
        let json = try #require(report.json["exhaustion"])
        #expect(
            json.canonicalText
                == #"{"disk":[{"percent":50,"reachedAt":"1h10m"},{"percent":80,"reachedAt":"1h40m"},{"percent":100,"reachedAt":null}],"firstNoValidHost":"1h40m1s","firstNoValidHostByFlavor":{"one":"1h40m1s","other":null},"memory":[{"percent":50,"reachedAt":"1h40m"},{"percent":80,"reachedAt":null},{"percent":100,"reachedAt":null}],"vcpu":[{"percent":50,"reachedAt":"50m"},{"percent":80,"reachedAt":"1h20m"},{"percent":100,"reachedAt":"1h40m"}]}"#
        )
        // Hours, with the run's 2 h for a threshold never reached (a lower bound).
        let metrics = report.metrics.filter { $0.0.hasPrefix(RunReport.exhaustionMetricPrefix) }
        #expect(
            metrics.map(\.0) == [
                "exhaustionHours.vcpu.50", "exhaustionHours.vcpu.80", "exhaustionHours.vcpu.100", "exhaustionHours.memory.50", "exhaustionHours.memory.80",
                "exhaustionHours.memory.100", "exhaustionHours.disk.50", "exhaustionHours.disk.80", "exhaustionHours.disk.100",
                "exhaustionHours.noValidHost",
            ])
        let hours: [Double] = [50.0 / 60, 80.0 / 60, 100.0 / 60, 100.0 / 60, 2, 2, 70.0 / 60, 100.0 / 60, 2, 6001.0 / 3600]
        #expect(metrics.map(\.1) == hours)
        #expect(report.placementFailures.byFlavor.map(\.noValidHost) == [2, 0])  // the creates at 100m and 110m (120m is past the end)
    }

    @Test("a growing arrival rate spends each exponential draw on the integrated rate")
    func growingGaps() {
        // Without growth: E / r. 6 per hour and a draw of 1 - e^-1 (E = 1): 10 min.
        let flat = ArrivalProcess.growingGap(after: 12_345, draw: 1 - exp(-1.0), perHour: 6, growthPercent: 0, every: .days(1))
        #expect(flat == .minutes(10))
        // With growth, Λ(t + gap) - Λ(t) = E at any age of the process.
        for (elapsed, draw) in [(0.0, 0.5), (86_400.0, 0.1), (10 * 86_400.0, 0.99), (3_600.0, 0.0)] {
            let gap = ArrivalProcess.growingGap(after: elapsed, draw: draw, perHour: 2, growthPercent: 100, every: .days(1))
            let lambda = { (t: Double) in ArrivalProcess.expectedGrowingArrivals(in: t, perHour: 2, growthPercent: 100, every: .days(1)) }
            let spent = lambda(elapsed + gap.secondsValue) - lambda(elapsed)
            #expect(abs(spent - -log1p(-draw)) < 1e-6, "after \(elapsed) s: \(spent)")
        }
        // Doubling daily from 2 an hour: 48 / ln 2 arrivals expected on the first day, twice
        // that on the second.
        let day = ArrivalProcess.expectedGrowingArrivals(in: 86_400, perHour: 2, growthPercent: 100, every: .days(1))
        #expect(abs(day - 48 / log(2.0)) < 1e-9)
        #expect(abs(ArrivalProcess.expectedGrowingArrivals(in: 2 * 86_400, perHour: 2, growthPercent: 100, every: .days(1)) - 3 * day) < 1e-9)
        // A rate grown past Double's range gives the shortest gap, not a trap.
        #expect(ArrivalProcess.growingGap(after: 1e9, draw: 0.5, perHour: 1, growthPercent: 10_000, every: .seconds(1)) == SimDuration(nanoseconds: 1))
    }

    @Test("a workload whose rate doubles daily sends about twice as many creates each day, seed after seed")
    func growingWorkload() throws {
        // 2 an hour, doubling daily, over 3 days: 48 / ln 2 = 69.25 creates expected on the
        // first day, 138.5 on the second, 277.0 on the third; over 8 seeds 554, 1108 and 2216,
        // each within 4 standard deviations (a Poisson count's is its square root).
        var perDay = [0, 0, 0]
        for seed in 1...8 {
            let text = #"""
                {"name": "growing", "seed": \#(seed), "duration": "3d", "sampleInterval": "1d",
                 "hosts": [{"name": "h{n}", "count": 4, "vcpus": 512, "memoryMiB": 1048576, "diskGiB": 40000}],
                 "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}},
                 "workloads": [{"name": "w", "project": "p", "arrival": {"process": "growing", "perHour": 2, "growthPercent": 100, "every": "1d"},
                                "flavor": "2"}]}
                """#
            var runner = try ScenarioRunner(scenario: Scenario.parse(text))
            let report = runner.run()
            let servers = report.samples.map(\.servers)
            #expect(servers.count == 4 && servers[0] == 0)
            for day in 0..<3 { perDay[day] += servers[day + 1] - servers[day] }
            #expect(report.totals.createRequests == servers[3])
        }
        let expected = [1.0, 2, 4].map { 8 * 48 / log(2.0) * $0 }
        for day in 0..<3 {
            #expect(abs(Double(perDay[day]) - expected[day]) < 4 * expected[day].squareRoot(), "day \(day + 1): \(perDay[day]) creates")
        }
    }

    @Test("the headroom re-placement by classes of free resources chooses exactly what scanning every host does, seed after seed")
    func bestFitByClassesMatchesTheScan() {
        // Hosts from a few shapes, partly filled; items of a few flavor sizes, largest first
        // (as the check sorts them), some in anti-affinity groups already on some hosts.
        let sizes = [
            Resources(vcpus: 1, memoryMiB: 512, diskGiB: 1), Resources(vcpus: 2, memoryMiB: 4096, diskGiB: 20),
            Resources(vcpus: 4, memoryMiB: 8192, diskGiB: 40), Resources(vcpus: 8, memoryMiB: 16384, diskGiB: 80),
            Resources(vcpus: 2, memoryMiB: 16384, diskGiB: 10),
        ]
        var placedSomewhere = 0, failed = 0
        for seed in 0..<200 {
            var random = DeterministicRandom(seed: UInt64(seed))
            let hostCount = 1 + random.nextIndex(below: 40)
            let free = (0..<hostCount).map { _ in
                Resources(
                    vcpus: [0, 4, 8, 16, 32][random.nextIndex(below: 5)], memoryMiB: [0, 8192, 16384, 65536][random.nextIndex(below: 4)],
                    diskGiB: [0, 40, 100, 400][random.nextIndex(below: 4)])
            }
            var items = (0..<random.nextIndex(below: 60)).map { _ -> (need: Resources, group: Int32?) in
                (sizes[random.nextIndex(below: sizes.count)], random.nextIndex(below: 4) == 0 ? Int32(random.nextIndex(below: 3)) : nil)
            }
            items.sort { a, b in
                a.need.vcpus != b.need.vcpus
                    ? a.need.vcpus > b.need.vcpus : a.need.memoryMiB != b.need.memoryMiB ? a.need.memoryMiB > b.need.memoryMiB : a.need.diskGiB > b.need.diskGiB
            }
            var holding: [Int32: Set<Int>] = [:]
            for group in Int32(0)..<3 where random.nextIndex(below: 2) == 0 {
                holding[group] = Set((0..<hostCount).filter { _ in random.nextIndex(below: 3) == 0 })
            }
            let scan = HostPool.bestFitByScan(items, free: free, holding: holding)
            let classes = HostPool.bestFitByClasses(items, free: free, holding: holding)
            #expect(scan == classes, "seed \(seed)")
            if scan == nil {
                failed += 1
                // Up to the first item that fits nowhere, the same placements too.
                var count = items.count - 1
                while count > 0, HostPool.bestFitByScan(Array(items.prefix(count)), free: free, holding: holding) == nil { count -= 1 }
                let prefix = Array(items.prefix(count))
                #expect(HostPool.bestFitByScan(prefix, free: free, holding: holding) == HostPool.bestFitByClasses(prefix, free: free, holding: holding))
            } else {
                placedSomewhere += 1
            }
        }
        // Both outcomes occur often enough for the comparison to mean something.
        #expect(placedSomewhere > 40 && failed > 40)
    }

    @Test("arrival rates built in code that the reader would refuse are refused by the runner, never trapped on")
    func invalidRatesInCode() throws {
        var scenario = try Scenario.parse(Self.headroomScenario(check: #"{"hosts": 1}"#))
        scenario.workloads[0].arrival = .growing(perHour: -1, growthPercent: 5, every: .days(1))
        #expect(
            throws: ScenarioError(
                path: "workloads[0].arrival",
                reason: "a growing arrival needs perHour above 0 and at most 10000000, growthPercent from 0 to 10000 and a positive every")
        ) { try ScenarioRunner(scenario: scenario) }
        scenario.workloads[0].arrival = .growing(perHour: 1, growthPercent: .nan, every: .days(1))
        #expect(throws: ScenarioError.self) { try ScenarioRunner(scenario: scenario) }
        // A NaN rate makes the expected count NaN: refused with words, not a trapping conversion.
        scenario.workloads[0].arrival = .diurnal(perHour: Array(repeating: .nan, count: 24))
        scenario.workloads[0].maxServers = nil
        #expect(
            throws: ScenarioError(
                path: "workloads[0]", reason: "expects an unknown number of creates in 1h; set maxServers (the limit without it is 100000000)")
        ) { try ScenarioRunner(scenario: scenario) }
    }
}

extension HostPool {
    /// Best-fit decreasing by scanning every destination per item: each item (in the order
    /// given) goes to the fitting destination with the fewest free vCPUs, then the least free
    /// RAM, then the lowest position, skipping destinations that hold a member of its hard
    /// anti-affinity group (`holding`, which the placements extend). The chosen positions, or
    /// nil when an item fits nowhere. The reference that `bestFitByClasses` is tested against.
    /// - Complexity: O(m·H) for m items and H destinations.
    static func bestFitByScan(_ items: [(need: Resources, group: Int32?)], free: [Resources], holding: [Int32: Set<Int>]) -> [Int]? {
        var free = free, holding = holding, chosen: [Int] = []
        for (need, group) in items {
            var best: Int? = nil
            for position in free.indices {
                let room = free[position]
                guard room.vcpus >= need.vcpus, room.memoryMiB >= need.memoryMiB, room.diskGiB >= need.diskGiB else { continue }
                if let group, holding[group]?.contains(position) == true { continue }
                guard let current = best else {
                    best = position
                    continue
                }
                if room.vcpus != free[current].vcpus ? room.vcpus < free[current].vcpus : room.memoryMiB < free[current].memoryMiB { best = position }
            }
            guard let position = best else { return nil }
            free[position] = free[position] - need
            if let group, holding[group] != nil { holding[group]?.insert(position) }
            chosen.append(position)
        }
        return chosen
    }
}
