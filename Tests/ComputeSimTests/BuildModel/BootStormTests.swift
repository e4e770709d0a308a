import ComputeSim
import Foundation
import TestSupport
import Testing

@Suite("Boot storm fixture and build-model scenarios")
struct BootStormTests {
    static let path = Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/boot-storm.json").path

    @Test("boot-storm.json: 2,000 servers in a minute on 200 hosts; warm caches skip the fetch and build in a third of the time")
    func bootStormReport() throws {
        var runner = try ScenarioRunner(scenario: try Scenario.load(path: Self.path))
        let report = runner.run()
        let builds = try #require(report.builds)
        #expect(builds.statistics.cacheHits == 1_000 && builds.statistics.cacheMisses == 1_000)
        let cold = try #require(builds.workloads.first { $0.name == "cold-caches" })
        let warm = try #require(builds.workloads.first { $0.name == "warm-caches" })
        // Phases: total, scheduling, queued, networking, fetch, disk, boot.
        #expect(cold.phases[0].count == 1_000 && warm.phases[0].count == 1_000)
        #expect(warm.phases[4].p99 == .zero && cold.phases[4].p50 > .minutes(5))
        #expect(cold.phases[0].p50 > warm.phases[0].p50 * 3)
        #expect(report.invariantViolations.isEmpty)
        Golden.check(report.summary, against: "run-boot-storm-seed-1.txt")
        Golden.check(report.timeSeriesCSV, against: "run-boot-storm-seed-1.csv")
        let chart = try #require(report.bandwidthChart)
        #expect(chart.svg.contains("image store %") && chart.svg.hasPrefix("<svg"))
    }

    @Test("A buildModel section is read with its units; mistakes are named with their path")
    func buildModelSection() throws {
        let base =
            #"{"name": "b", "hosts": [{"name": "h-{n}", "count": 2, "zone": "z", "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100}], "images": [{"id": "i", "sizeGiB": 1.5}], "#
        let scenario = try Scenario.parse(
            base
                + #""buildModel": {"hostNetworkGbps": 8, "imageStoreGbps": 16, "diskGBps": 1, "imageCacheGiB": 4, "prewarmedImages": ["i"], "prewarmedZones": ["z"], "maxConcurrentBuilds": 3, "boot": {"kind": "constant", "value": "5s"}}}"#
        )
        let model = try #require(scenario.configuration.buildModel)
        #expect(model.hostNetworkBytesPerSecond == 1e9 && model.imageStoreBytesPerSecond == 2e9 && model.diskBytesPerSecond == 1e9)
        #expect(model.imageCacheBytes == 4 * 1_073_741_824 && model.maxConcurrentBuilds == 3 && model.boot == .constant(5))
        #expect(model.prewarmedImages == ["i"] && model.prewarmedHosts == ["h-1", "h-2"])
        #expect(scenario.configuration.images.first?.sizeGiB == 1.5)
        #expect(throws: ScenarioError(path: "buildModel.prewarmedImages[0]", reason: "no image with id nope")) {
            try Scenario.parse(base + #""buildModel": {"prewarmedImages": ["nope"]}}"#)
        }
        #expect(throws: ScenarioError(path: "buildModel.maxConcurrentBuilds", reason: "expected a positive integer, got 0")) {
            try Scenario.parse(base + #""buildModel": {"maxConcurrentBuilds": 0}}"#)
        }
        do {
            _ = try Scenario.parse(base + #""buildModel": {"bandwidth": 1}}"#)
            Issue.record("an unknown field was accepted")
        } catch {
            #expect(error.path == "buildModel.bandwidth" && error.reason.hasPrefix("unknown field; expected one of boot, bootByImage, diskGBps"))
        }
    }
}
