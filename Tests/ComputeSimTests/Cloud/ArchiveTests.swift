import SimulationKernel
import TestSupport
import Testing

@testable import ComputeSim

/// `deletedServerRetention`: deleted servers are archived (freed, their record numbers reused)
/// once the retention has passed, like Nova's archive_deleted_rows.
struct ArchiveTests {
    private static func cloud(retention: SimDuration?) throws -> ComputeCloud {
        try Lab.cloud {
            $0.deletedServerRetention = retention
            $0.defaultQuota = .unlimited
        }
    }

    private static func names(_ response: APIResponse) -> [String] {
        response.body?["servers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test("A deleted server stays listed as DELETED for the retention, then is archived: 404, unlisted, no history, its record number reused")
    func deletedServerIsArchivedAfterRetention() throws {
        var cloud = try Self.cloud(retention: .hours(1))
        let id = try Lab.active(&cloud, "alpha")
        let record = try #require(cloud.world.serverIndex[id])
        try cloud.advance(by: .seconds(1))
        let since = cloud.wallClockTime
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        try cloud.advance(by: .minutes(59))
        #expect(Self.names(API.call(&cloud, "GET", "/servers/detail?changes-since=\(since)")) == ["alpha"])
        #expect(Self.names(API.call(&cloud, "GET", "/servers?status=DELETED&all_tenants=1", project: "ops", roles: ["admin"])) == ["alpha"])
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active, .deleted])
        #expect(cloud.archivedServerCount == 0)

        try cloud.advance(by: .minutes(1))
        #expect(cloud.archivedServerCount == 1)
        #expect(Self.names(API.call(&cloud, "GET", "/servers/detail?changes-since=\(since)")) == [])
        #expect(Self.names(API.call(&cloud, "GET", "/servers?status=DELETED&all_tenants=1", project: "ops", roles: ["admin"])) == [])
        #expect(API.call(&cloud, "GET", "/servers/\(id)").status == 404)
        #expect(cloud.statusHistory(of: id).isEmpty)
        #expect(throws: CloudError.notFound(id)) { try cloud.server(id, as: Lab.admin) }
        #expect(cloud.checkInvariants().isEmpty)

        let next = try Lab.active(&cloud, "beta")
        #expect(cloud.world.serverIndex[next] == record)
        #expect(try cloud.server(next, as: Lab.me).name == "beta")
        #expect(cloud.statusHistory(of: next).map(\.status) == [.build, .active])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("Without a retention (the default) a deleted server is kept, with its history, for 100 days and more")
    func noRetentionKeepsDeletedServers() throws {
        var cloud = try Self.cloud(retention: nil)
        let id = try Lab.active(&cloud)
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        try cloud.advance(by: .hours(24 * 100))
        #expect(cloud.archivedServerCount == 0)
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active, .deleted])
    }

    @Test("A zero retention archives a server deleted locally (no host) in the delete call itself")
    func zeroRetentionArchivesLocalDeleteAtOnce() throws {
        var cloud = try Lab.cloud {
            $0.deletedServerRetention = .zero
            $0.hosts = [Host(name: "tiny", vcpus: 1, memoryMiB: 1_024, diskGiB: 10)]
            $0.defaultQuota = .unlimited
        }
        let id = try cloud.createServers(Lab.request(flavor: "5"), as: Lab.me).ids[0]
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .error)  // no valid host: no host, so a local delete
        try cloud.deleteServer(id, as: Lab.me)
        #expect(cloud.archivedServerCount == 1)
        #expect(cloud.statusHistory(of: id).isEmpty)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("servers(as:) stays oldest first when new servers take archived servers' record numbers")
    func listingStaysInCreationOrder() throws {
        var cloud = try Self.cloud(retention: .zero)
        let first = try Lab.active(&cloud, "one")
        let second = try Lab.active(&cloud, "two")
        _ = try Lab.active(&cloud, "three")
        try cloud.deleteServer(first, as: Lab.me)
        try cloud.deleteServer(second, as: Lab.me)
        cloud.runUntilIdle()
        #expect(cloud.archivedServerCount == 2)
        // Two at one instant take the freed numbers in reverse; the list stays in creation order.
        var request = Lab.request("four")
        request.minCount = 2
        request.maxCount = 2
        _ = try cloud.createServers(request, as: Lab.me)
        cloud.runUntilIdle()
        #expect(cloud.servers(as: Lab.me).map(\.name) == ["three", "four-1", "four-2"])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("A retention outside 0 to 100 years is refused with a typed error naming the setting")
    func invalidRetentionIsRefused() {
        #expect(throws: CloudError.self) { try Self.cloud(retention: .seconds(-1)) }
        do {
            _ = try Self.cloud(retention: .seconds(-1))
        } catch let error as CloudError {
            #expect(error.message == "deletedServerRetention must be between 0 and 36500d, got -1s")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// Runs a bundled scenario with and without archiving; the reports must match but for the
    /// cloud's trace digest (its trace names record numbers, which archiving reuses).
    private static func reports(_ file: String, retention: String, duration: SimDuration?) throws -> (kept: String, archived: String, freed: Int) {
        let scenario =
            file == "build-churn"
            ? try Scenario.parse(json: try JSONValue(parsing: Self.buildChurn))
            : try Scenario.load(path: Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/\(file)").path)
        var archiving = scenario
        archiving.configuration.deletedServerRetention = try SimDuration(parsing: retention)
        var kept = try ScenarioRunner(scenario: scenario, duration: duration)
        var archived = try ScenarioRunner(scenario: archiving, duration: duration)
        var first = kept.run(), second = archived.run()
        #expect(second.invariantViolations.isEmpty)
        first.cloudDigest = ""
        second.cloudDigest = ""
        return (first.json.canonicalText, second.json.canonicalText, archived.cloud.archivedServerCount)
    }

    @Test(
        "A scenario run that archives deleted servers reports exactly what one that keeps them does",
        arguments: [("quickstart.json", "0s"), ("quickstart.json", "45m"), ("reference-lifecycle.json", "0s"), ("build-churn", "10s"), ("build-churn", "0s")])
    func runnerReportIsUnchangedByArchiving(file: String, retention: String) throws {
        let (kept, archived, freed) = try Self.reports(
            file, retention: retention, duration: file == "quickstart.json" ? .hours(8) : file == "reference-lifecycle.json" ? .minutes(20) : nil)
        #expect(freed > 0)
        #expect(archived == kept)
    }

    /// The physical build model with servers that come and go (build times are reported per
    /// workload, so archived servers' must be kept).
    static let buildChurn = """
        {"name": "build-churn", "seed": 3, "duration": "2h",
         "hosts": [{"name": "h-{n}", "count": 12, "vcpus": 32, "memoryMiB": 131072, "diskGiB": 2000}],
         "images": [{"id": "img", "name": "img", "sizeGiB": 2}],
         "flavors": [{"id": "f", "name": "f", "vcpus": 2, "memoryMiB": 4096, "diskGiB": 20}],
         "quotas": {"default": {"instances": -1, "cores": -1, "ramMiB": -1}},
         "buildModel": {"hostNetworkGbps": 10, "imageStoreGbps": 20, "diskGBps": 1, "imageCacheGiB": 4, "maxConcurrentBuilds": 3,
                        "boot": {"kind": "uniform", "min": "10s", "max": "30s"}},
         "workloads": [{"name": "w", "project": "p", "image": "img", "flavor": "f", "arrival": {"process": "poisson", "meanInterval": "20s"},
                        "lifetime": {"kind": "exponential", "mean": "10m"}, "actions": [{"action": "reboot", "perHour": 2}]}]}
        """

    @Test("A scenario file sets the retention; a negative one is refused naming the field")
    func scenarioFileSetsRetention() throws {
        let scenario = try Scenario.parse(json: try JSONValue(parsing: #"{"name": "x", "duration": "1h", "deletedServerRetention": "30m", "workloads": []}"#))
        #expect(scenario.configuration.deletedServerRetention == .minutes(30))
        #expect(throws: ScenarioError.self) {
            try Scenario.parse(json: try JSONValue(parsing: #"{"name": "x", "duration": "1h", "deletedServerRetention": "-5m", "workloads": []}"#))
        }
    }

    @Test("Churn with archiving matches churn without it status for status, with invariants after every event", arguments: [1, 2, 3] as [UInt64])
    func churnMatchesWithoutArchiving(seed: UInt64) throws {
        func churn(retention: SimDuration?) throws -> (changes: UInt64, live: [String], records: Int, archived: Int) {
            var cloud = try Lab.cloud {
                $0.seed = seed
                $0.deletedServerRetention = retention
                $0.defaultQuota = .unlimited
            }
            var random = DeterministicRandom(seed: seed, stream: "archive-test")
            var live: [ServerID] = []
            for _ in 0..<120 {
                if live.count > 6 || (!live.isEmpty && random.nextIndex(below: 3) == 0) {
                    let id = live.remove(at: random.nextIndex(below: live.count))
                    try? cloud.deleteServer(id, as: Lab.me)
                } else {
                    live.append(contentsOf: try cloud.createServers(Lab.request("s\(live.count)", flavor: "1"), as: Lab.me).ids)
                }
                let until = cloud.now + .seconds(Int64(random.nextIndex(below: 90)))
                while let next = cloud.nextEventTime(), next <= until {
                    cloud.step()
                    let problems = cloud.checkInvariants()
                    #expect(problems.isEmpty, "\(problems)")
                    if !problems.isEmpty { break }
                }
                try cloud.advance(to: until)
            }
            cloud.runUntilIdle()
            try cloud.advance(by: .hours(1))
            let statuses = live.map { (try? cloud.status(of: $0, as: Lab.me).rawValue) ?? "gone" }
            return (cloud.statusChangeCount, statuses, cloud.world.servers.count, cloud.archivedServerCount)
        }
        let kept = try churn(retention: nil)
        let archived = try churn(retention: .seconds(30))
        #expect(archived.changes == kept.changes)
        #expect(archived.live == kept.live)
        #expect(archived.archived > 0 && kept.archived == 0)
        #expect(archived.records < kept.records)
    }
}
