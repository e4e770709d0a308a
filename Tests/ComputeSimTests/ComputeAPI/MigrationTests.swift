import Testing

@testable import ComputeSim

/// `os-migrations` and `servers/{id}/migrations`: the records resize, cold and live migration
/// and evacuate keep, with the status their operation has reached.
struct MigrationTests {
    static func call(_ cloud: inout ComputeCloud, _ path: String, admin: Bool = true, version: String = "2.23") -> APIResponse {
        API.call(&cloud, "GET", path, admin: admin, version: version)
    }

    static func migrations(_ cloud: inout ComputeCloud, _ query: String = "", version: String = "2.23") throws -> [JSONValue] {
        try #require(Self.call(&cloud, "/os-migrations\(query)", version: version).body?["migrations"]?.arrayValue)
    }

    @Test("a resize's record goes pre-migrating, migrating, post-migrating, finished, then confirmed, from its host to the new one")
    func resizeRecord() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let source = try #require(try cloud.server(id, as: Lab.me).host)
        _ = try cloud.perform(.resize(flavor: "3"), on: id, as: Lab.me)
        var statuses: [String] = []
        var record = try #require(try Self.migrations(&cloud).first)
        #expect(record["dest_compute"] == .null)  // chosen at the end of resize_prep
        while try cloud.server(id, as: Lab.me).status == .resize {
            let status = try #require(try Self.migrations(&cloud).first?["status"]?.stringValue)
            if statuses.last != status { statuses.append(status) }
            cloud.step()
        }
        record = try #require(try Self.migrations(&cloud).first)
        let destination = try #require(try cloud.server(id, as: Lab.me).host)
        #expect(statuses == ["pre-migrating", "migrating", "post-migrating"])
        #expect(record["status"] == "finished" && record["migration_type"] == "resize")
        #expect(record["source_compute"] == .string(source.rawValue) && record["dest_compute"] == .string(destination.rawValue))
        #expect(record["old_instance_type_id"] == 2 && record["new_instance_type_id"] == 3 && record["instance_uuid"] == .string(id.rawValue))
        #expect(record["id"] == 1 && record["links"] == nil)
        _ = try cloud.perform(.confirmResize, on: id, as: Lab.me)
        #expect(try Self.migrations(&cloud).first?["status"] == "confirming")
        cloud.runUntilIdle()
        #expect(try Self.migrations(&cloud).first?["status"] == "confirmed")
        // Before 2.23: no migration_type.
        #expect(try Self.migrations(&cloud, version: "2.22").first?["migration_type"] == nil)
    }

    @Test("a live migration in progress is listed under its server with its memory copied so far, and linked from os-migrations")
    func liveMigrationInProgress() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.perform(.liveMigrate, on: id, as: Lab.admin)
        let listed = try #require(Self.call(&cloud, "/servers/\(id)/migrations").body?["migrations"]?.arrayValue)
        #expect(listed.count == 1)
        #expect(listed[0]["status"] == "running" && listed[0]["memory_processed_bytes"] == 0 && listed[0]["memory_total_bytes"] == 2_147_483_648)
        #expect(listed[0]["server_uuid"] == .string(id.rawValue))
        try cloud.advance(by: .seconds(5))
        let shown = Self.call(&cloud, "/servers/\(id)/migrations/1").body?["migration"]
        let processed = try #require(shown?["memory_processed_bytes"]?.intValue)
        #expect(processed > 0 && shown?["memory_remaining_bytes"]?.intValue == 2_147_483_648 - processed)
        #expect(
            try Self.migrations(&cloud).first?["links"]
                == [
                    ["href": .string("http://compute.sim/v2.1/servers/\(id)/migrations/1"), "rel": "self"],
                    ["href": .string("http://compute.sim/servers/\(id)/migrations/1"), "rel": "bookmark"],
                ])
        try cloud.advance(by: .minutes(5))
        #expect(Self.call(&cloud, "/servers/\(id)/migrations").body == ["migrations": []])
        #expect(
            Self.call(&cloud, "/servers/\(id)/migrations/1").body
                == ["itemNotFound": ["code": 404, "message": .string("In-progress live migration 1 is not found for server \(id).")]])
        #expect(try Self.migrations(&cloud).first?["status"] == "completed")
        #expect(Self.call(&cloud, "/servers/\(id)/migrations", version: "2.22").status == 404)
        #expect(
            Self.call(&cloud, "/servers/\(id)/migrations", admin: false).body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:servers:migrations:index to be performed."]])
    }

    @Test("force-complete ends a running live migration now; abort leaves the server on its source and cancels the migration")
    func forceCompleteAndAbort() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let source = try cloud.server(id, as: Lab.me).host
        func post(_ path: String, _ body: String, version: String = "2.22") -> APIResponse {
            API.call(&cloud, "POST", path, body, project: "admin", roles: [.admin], headers: ["OpenStack-API-Version": "compute \(version)"])
        }
        // Nothing to complete yet: the server is not migrating.
        #expect(
            post("/servers/\(id)/migrations/1/action", #"{"force_complete": null}"#).body
                == ["conflictingRequest": ["code": 409, "message": .string("Cannot 'force_complete' instance \(id) while it is in task_state None")]])
        _ = try cloud.perform(.liveMigrate, on: id, as: Lab.admin)
        #expect(
            post("/servers/\(id)/migrations/7/action", #"{"force_complete": null}"#).body
                == ["badRequest": ["code": 400, "message": .string("Migration 7 not found for instance \(id)")]])
        #expect(post("/servers/\(id)/migrations/1/action", #"{"force_complete": 1}"#).status == 400)
        #expect(post("/servers/\(id)/migrations/1/action", #"{"force_complete": null}"#, version: "2.21").status == 404)
        #expect(post("/servers/\(id)/migrations/1/action", #"{"force_complete": null}"#).status == 202)
        cloud.step()
        let moved = try cloud.server(id, as: Lab.me)
        #expect(moved.status == .active && moved.host != source && moved.taskState == nil)
        #expect(try Self.migrations(&cloud).first?["status"] == "completed")
        #expect(try cloud.instanceActions(of: id, as: Lab.admin).map(\.action) == ["live_migration_force_complete", "live-migration", "create"])

        // A second live migration, aborted.
        let before = try cloud.server(id, as: Lab.me).host
        _ = try cloud.perform(.liveMigrate, on: id, as: Lab.admin)
        let delete = API.call(
            &cloud, "DELETE", "/servers/\(id)/migrations/2", project: "admin", roles: [.admin], headers: ["OpenStack-API-Version": "compute 2.24"])
        #expect(delete.status == 202)
        try cloud.advance(by: .minutes(5))
        let stayed = try cloud.server(id, as: Lab.me)
        #expect(stayed.status == .active && stayed.host == before)
        #expect(try Self.migrations(&cloud).map { $0["status"] } == ["completed", "cancelled"])
        #expect(cloud.hostPool.hostNames.filter { (cloud.hostPool.usage(of: $0)?.used.vcpus ?? 0) > 0 } == [try #require(before)])
        #expect(cloud.checkInvariants().isEmpty)
        #expect(
            API.call(&cloud, "DELETE", "/servers/\(id)/migrations/2", project: "admin", roles: [.admin], headers: ["OpenStack-API-Version": "compute 2.24"])
                .body
                == ["conflictingRequest": ["code": 409, "message": .string("Cannot 'abort live migration' instance \(id) while it is in task_state None")]])
    }

    @Test("evacuations and migrations that found no host are recorded; filters pick by status, type, host and server")
    func filtersAndOtherKinds() throws {
        var cloud = try ComputeCloud()
        let first = try Lab.active(&cloud, "a")
        let second = try Lab.active(&cloud, "b")
        let host = try #require(try cloud.server(first, as: Lab.me).host)
        try cloud.inject(.hostDown(host), at: cloud.now)
        cloud.runUntilIdle()
        _ = try cloud.perform(.evacuate(), on: first, as: Lab.admin)
        cloud.runUntilIdle()
        // Every other host disabled: the live migration finds none.
        for other in cloud.hostPool.hostNames { _ = try cloud.updateService(host: other.rawValue, disabled: true, as: Lab.admin) }
        _ = try cloud.perform(.liveMigrate, on: second, as: Lab.admin)
        let all = try Self.migrations(&cloud)
        #expect(all.map { $0["migration_type"] } == ["evacuation", "live-migration"])
        #expect(all.map { $0["status"] } == ["done", "error"])
        #expect(all[0]["source_compute"] == .string(host.rawValue) && all[0]["dest_compute"] != .string(host.rawValue))
        #expect(try Self.migrations(&cloud, "?status=error").map { $0["instance_uuid"] } == [.string(second.rawValue)])
        #expect(try Self.migrations(&cloud, "?migration_type=evacuation").count == 1)
        #expect(try Self.migrations(&cloud, "?instance_uuid=\(second)").count == 1)
        #expect(try Self.migrations(&cloud, "?host=\(host)").map { $0["migration_type"] } == ["evacuation"])
        #expect(
            Self.call(&cloud, "/os-migrations", admin: false).body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-migrations:index to be performed."]])
    }
}
