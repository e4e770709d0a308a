import Testing

@testable import ComputeSim

/// `os-simple-tenant-usage`: each project's server-hours over a period, from launch and
/// termination times, as Nova bills them.
struct UsageTests {
    static func call(_ cloud: inout ComputeCloud, _ path: String, admin: Bool = true, version: String = "2.1") -> APIResponse {
        API.call(&cloud, "GET", path, admin: admin, version: version)
    }

    /// Two servers of `demo` (one deleted after two hours) and one of `other`, then four hours.
    static func cloud() throws -> (ComputeCloud, kept: Server, deleted: Server, other: Server) {
        var cloud = try ComputeCloud()
        let kept = try cloud.createServers(Lab.request("kept"), as: Lab.me).ids[0]
        let deleted = try cloud.createServers(Lab.request("gone"), as: Lab.me).ids[0]
        let other = try cloud.createServers(Lab.request("theirs", flavor: "3"), as: Caller(project: "other")).ids[0]
        try cloud.advance(by: .hours(2))
        try cloud.deleteServer(deleted, as: Lab.me)
        try cloud.advance(by: .hours(2))
        let admin = Lab.admin
        let gone = cloud.world.view(try #require(cloud.world.serverIndex[deleted]), now: cloud.now)
        return (cloud, try cloud.server(kept, as: admin), gone, try cloud.server(other, as: admin))
    }

    @Test("a project's usage counts each server's hours in the period at its flavor, deleted ones until their termination")
    func projectUsage() throws {
        var (cloud, kept, deleted, _) = try Self.cloud()
        let clock = cloud.wallClock
        let start = SimTime.zero + .hours(1), end = SimTime.zero + .hours(3)
        func text(_ time: SimTime) -> String { String(clock.iso8601(at: time).dropLast()) }
        let response = Self.call(&cloud, "/os-simple-tenant-usage/demo?start=\(text(start))&end=\(text(end))", admin: false)
        #expect(response.status == 200)
        let terminated = try #require(deleted.terminatedAt)
        let keptHours = 2.0
        let deletedHours = Double((terminated - start).nanoseconds) / 3_600_000_000_000
        let flavor = try #require(cloud.flavors.first { $0.id == "2" })
        func row(_ server: Server, hours: Double, ended: SimTime?) -> JSONValue {
            [
                "instance_id": .string(server.id.rawValue), "name": .string(server.name), "hours": .double(hours), "memory_mb": .int(Int64(flavor.memoryMiB)),
                "local_gb": .int(Int64(flavor.diskGiB + flavor.ephemeralGiB)), "vcpus": .int(Int64(flavor.vcpus)), "tenant_id": "demo",
                "flavor": .string(flavor.name), "started_at": .string(clock.isoMicroseconds(at: server.launchedAt ?? .zero)),
                "ended_at": ended.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null, "state": ended == nil ? "active" : "terminated",
                "uptime": .int(((ended ?? cloud.now) - (server.launchedAt ?? .zero)).nanoseconds / 1_000_000_000),
            ]
        }
        let rows = [(kept, keptHours, nil as SimTime?), (deleted, deletedHours, terminated as SimTime?)].sorted { $0.0.id < $1.0.id }
        let hours = rows.reduce(0.0) { $0 + $1.1 }
        #expect(
            response.body
                == [
                    "tenant_usage": [
                        "tenant_id": "demo", "total_hours": .double(hours), "total_vcpus_usage": .double(rows.reduce(0.0) { $0 + Double(flavor.vcpus) * $1.1 }),
                        "total_memory_mb_usage": .double(rows.reduce(0.0) { $0 + Double(flavor.memoryMiB) * $1.1 }),
                        "total_local_gb_usage": .double(rows.reduce(0.0) { $0 + Double(flavor.diskGiB + flavor.ephemeralGiB) * $1.1 }),
                        "start": .string(clock.isoMicroseconds(at: start)), "stop": .string(clock.isoMicroseconds(at: end)),
                        "server_usages": .array(rows.map { row($0.0, hours: $0.1, ended: $0.2) }),
                    ]
                ])
        // The typed facade agrees.
        let typed = try cloud.usage(from: start, to: end, project: "demo", as: Lab.me)
        #expect(typed.map(\.project) == ["demo"] && typed[0].totalHours == hours)
    }

    @Test("the list is for administrators, every project in id order, servers only with detailed=1; 2.40 pages over servers")
    func listAndPaging() throws {
        var (cloud, _, _, other) = try Self.cloud()
        let list = Self.call(&cloud, "/os-simple-tenant-usage?start=2026-01-01T00:00:00&end=2026-01-02T00:00:00")
        let usages = try #require(list.body?["tenant_usages"]?.arrayValue)
        #expect(usages.map { $0["tenant_id"] } == ["demo", "other"])
        #expect(usages.allSatisfy { $0["server_usages"] == nil })
        #expect(usages[1]["stop"] == .string(cloud.wallClock.isoMicroseconds(at: cloud.now)))  // an end past now is now
        let detailed = Self.call(&cloud, "/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1").body?["tenant_usages"]?.arrayValue
        #expect(detailed?.map { $0["server_usages"]?.arrayValue?.count } == [2, 1])
        let page = Self.call(&cloud, "/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1&limit=2", version: "2.40").body
        #expect(page?["tenant_usages"]?.arrayValue?.map { $0["tenant_id"] } == ["demo"])
        let last = try #require(page?["tenant_usages"]?[0]?["server_usages"]?[1]?["instance_id"]?.stringValue)
        #expect(
            page?["tenant_usages_links"]
                == [
                    [
                        "href": .string("http://compute.sim/v2.1/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1&limit=2&marker=\(last)"),
                        "rel": "next",
                    ]
                ])
        let next = Self.call(&cloud, "/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1&limit=2&marker=\(last)", version: "2.40").body
        #expect(next?["tenant_usages"]?[0]?["server_usages"]?[0]?["instance_id"] == .string(other.id.rawValue))
        #expect(next?["tenant_usages_links"] == nil)
    }

    @Test(
        "bad periods and callers are refused with Nova's messages",
        arguments: [
            (
                "/os-simple-tenant-usage?start=2026-01-02T00:00:00&end=2026-01-01T00:00:00", true, 400,
                "Invalid start time. The start time cannot occur after the end time."
            ),
            ("/os-simple-tenant-usage?start=2026-01-01T00:00:00Z", true, 400, "Invalid datetime string: Datetime is in invalid format"),
            ("/os-simple-tenant-usage?start=2026-01-01%2000:00:00", true, 400, "Invalid datetime string: Datetime is in invalid format"),
            ("/os-simple-tenant-usage", false, 403, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:list to be performed."),
            ("/os-simple-tenant-usage/other", false, 403, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show to be performed."),
        ])
    func refusals(path: String, admin: Bool, status: Int, message: String) throws {
        var cloud = try ComputeCloud()
        let response = Self.call(&cloud, path, admin: admin)
        #expect(response.status == status)
        #expect(response.body?.value(at: status == 403 ? "forbidden.message" : "badRequest.message") == .string(message))
    }
}
