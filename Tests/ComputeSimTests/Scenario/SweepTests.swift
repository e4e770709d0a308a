import Foundation
import TestSupport
import Testing

@testable import ComputeSim

struct SweepTests {
    static var sweepPath: String { Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/spreading-sweep.json").path }

    static func temporaryDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-\(name)-\(ProcessInfo.processInfo.processIdentifier)").path
    }

    @Test("runs are numbered parameters-major, seeds-minor, and carry their substituted scenario")
    func runExpansion() throws {
        let sweep = try Sweep.load(path: Self.sweepPath)
        #expect(sweep.runCount == 12 && sweep.seeds == [1, 2, 3] && sweep.duration == .hours(1))
        let run = try sweep.run(4)
        #expect(run.seed == 2 && Sweep.label(run.parameters) == #"placement.accountSpreading="strict", workloads[0].arrival.meanInterval="120s""#)
        #expect(
            run.scenario.workloads[0].arrival == .poisson(meanInterval: .seconds(120)) && run.scenario.configuration.seed == 2
                && run.scenario.duration == .hours(1))
        #expect(sweep.runIndices(shard: 1, of: 5) == [1, 6, 11] && sweep.runIndices(shard: 5, of: 5) == [])
        #expect(throws: ScenarioError(path: "", reason: "no run 12: the sweep has 12 runs")) { try sweep.run(12) }
    }

    @Test(
        "bad sweeps name the field and the reason",
        arguments: [
            (#"{"seeds": [1]}"#, "scenario: is required"),
            (#"{"scenario": "s", "seeds": [1, 1]}"#, "seeds: a seed is listed twice"),
            (#"{"scenario": "s", "seeds": {"from": 1}}"#, "seeds: needs count"),
            (#"{"scenario": "s", "parameters": {"hosts[3].count": [1]}}"#, "parameters.hosts[3].count: hosts[3].count: index 3 is outside the array of 1"),
            (#"{"scenario": "s", "parameters": {"hosts": []}}"#, "parameters.hosts: needs at least one value"),
            (
                #"{"scenario": "s", "parameters": {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "b": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "c": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "d": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "e": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "f": [1, 2]}}"#,
                "parameters: the sweep expands to 200000 runs; at most 100000"
            ),
            (#"{"scenario": "s", "grid": {}}"#, "grid: unknown field; expected one of duration, parameters, scenario, seeds"),
        ])
    func badSweeps(text: String, message: String) throws {
        do {
            _ = try Sweep.parse(
                text,
                scenarioLoader: { (_: String) throws(ScenarioError) -> JSONValue in
                    .object([("hosts", .array([.object([("name", "h"), ("vcpus", 1), ("memoryMiB", 1024), ("diskGiB", 1)])]))])
                })
            Issue.record("expected \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("an invalid substituted value names the run and the scenario path")
    func invalidSubstitution() throws {
        let sweep = try Sweep.parse(
            #"{"scenario": "s", "parameters": {"hosts[0].vcpus": [2, -1]}}"#,
            scenarioLoader: { (_: String) throws(ScenarioError) -> JSONValue in
                .object([("hosts", .array([.object([("name", "h"), ("vcpus", 1), ("memoryMiB", 1024), ("diskGiB", 1)])]))])
            })
        #expect(try sweep.run(0).scenario.configuration.hosts[0].total.vcpus == 2)
        #expect(throws: ScenarioError(path: "", reason: "run 1 (hosts[0].vcpus=-1): hosts[0].vcpus: expected a positive integer, got -1")) { try sweep.run(1) }
    }

    @Test("JSON paths replace, add and refuse exactly")
    func jsonPaths() throws {
        let value: JSONValue = ["a": ["b": [1, 2]], "c": "x"]
        #expect(try value.setting("a.b[1]", to: 9).canonicalText == #"{"a":{"b":[1,9]},"c":"x"}"#)
        #expect(try value.setting("d.e", to: true).canonicalText == #"{"a":{"b":[1,2]},"c":"x","d":{"e":true}}"#)
        #expect(throws: JSONPathError(reason: "c.d: d needs an object there")) { try value.setting("c.d", to: 1) }
        #expect(throws: JSONPathError(reason: "invalid path a..b")) { try value.setting("a..b", to: 1) }
        #expect(throws: JSONPathError(reason: "a[x]: [x] needs an array there")) { try value.setting("a[x]", to: 1) }
    }

    @Test("the t quantiles and merge refuse conflicting records")
    func mergeRules() throws {
        #expect(SweepTable.studentT975(degreesOfFreedom: 1) == 12.706 && SweepTable.studentT975(degreesOfFreedom: 40) == 1.96)
        let record: JSONValue = ["run": 0, "of": 2, "seed": "1", "parameters": [:], "metrics": ["x": 1], "sweep": "f00d"]
        let other: JSONValue = ["run": 0, "of": 2, "seed": "1", "parameters": [:], "metrics": ["x": 2], "sweep": "f00d"]
        #expect(throws: ScenarioError(path: "", reason: "run 0 differs between a and b")) { try SweepTable.merge([("a", record), ("b", other)]) }
        let elsewhere: JSONValue = ["run": 1, "of": 2, "seed": "2", "parameters": [:], "metrics": ["x": 3], "sweep": "beef"]
        #expect(throws: ScenarioError(path: "", reason: "b and a are from different sweeps (fingerprints beef and f00d)")) {
            try SweepTable.merge([("a", record), ("b", elsewhere)])
        }
        let unsigned: JSONValue = ["run": 1, "of": 2, "seed": "2", "parameters": [:], "metrics": ["x": 3]]
        #expect(throws: ScenarioError(path: "", reason: "b: has no sweep fingerprint (written by an older compute-sim); run the sweep again")) {
            try SweepTable.merge([("a", record), ("b", unsigned)])
        }
        let table = try SweepTable.merge([("a", record), ("c", ["run": 1, "of": 2, "seed": "2", "parameters": [:], "metrics": ["x": 3], "sweep": "f00d"])])
        #expect(table.rows.count == 1 && table.rows[0].metrics[0].1 == 2 && SweepTable.text(table.rows[0].metrics[0].2) == "12.706")
        #expect(table.csv == "runs,x_mean,x_ci95\n2,2,12.706\n")
    }
}
