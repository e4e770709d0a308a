import Testing

@testable import ComputeSim

/// `createBackup`: snapshots kept per backup type, the oldest beyond the rotation deleted.
struct BackupTests {
    static func backup(_ cloud: inout ComputeCloud, _ id: String, _ argument: String, version: Int = 1) -> APIResponse {
        API.call(&cloud, "POST", "/servers/\(id)/action", #"{"createBackup": \#(argument)}"#, headers: ["OpenStack-API-Version": "compute 2.\(version)"])
    }

    /// The names of the server's backups of `type` in the catalog, oldest first.
    static func backups(_ cloud: ComputeCloud, _ id: String, type: String) -> [String] {
        cloud.images.filter { $0.properties["backup_type"] == type && $0.properties["instance_uuid"] == id && $0.properties["image_type"] == "backup" }.map(
            \.name)
    }

    @Test("a backup runs image_backup, pending upload and uploading, and the rotation keeps the newest of each type")
    func rotationKeepsTheNewest() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud).rawValue
        let first = Self.backup(&cloud, id, #"{"name": "daily-1", "backup_type": "daily", "rotation": 2}"#)
        #expect(first.status == 202 && first.body == nil)
        let location = try #require(first.headers["Location"])
        #expect(location.hasPrefix("http://compute.sim/v2.1/images/"))
        #expect(cloud.images.last?.id.rawValue == String(location.dropFirst("http://compute.sim/v2.1/images/".count)))
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.OS-EXT-STS:task_state") == "image_backup")
        #expect(Self.backup(&cloud, id, #"{"name": "again", "backup_type": "daily", "rotation": 2}"#).status == 409)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.OS-EXT-STS:task_state") == .null)
        for (name, type) in [("daily-2", "daily"), ("weekly-1", "weekly"), ("daily-3", "daily")] {
            let rotation = type == "daily" ? 2 : 1
            #expect(Self.backup(&cloud, id, #"{"name": "\#(name)", "backup_type": "\#(type)", "rotation": "\#(rotation)"}"#).status == 202)
            cloud.runUntilIdle()
        }
        #expect(Self.backups(cloud, id, type: "daily") == ["daily-2", "daily-3"])
        #expect(Self.backups(cloud, id, type: "weekly") == ["weekly-1"])
        // The image carries the server image's properties, the metadata and the backup's own.
        let image = try #require(cloud.images.first { $0.name == "daily-3" })
        #expect(image.properties["image_type"] == "backup" && image.properties["instance_uuid"] == id)

        // 2.45 names the image in the body; a rotation of 0 deletes every backup of the type,
        // the new one too, and before 2.45 answers without a Location.
        let named = Self.backup(&cloud, id, #"{"name": "weekly-2", "backup_type": "weekly", "rotation": 1, "metadata": {"k": "v"}}"#, version: 45)
        #expect(named.status == 202 && named.headers["Location"] == nil)
        #expect(named.body?.value(at: "image_id")?.stringValue == cloud.images.last?.id.rawValue)
        #expect(cloud.images.last?.properties["k"] == "v")
        cloud.runUntilIdle()
        #expect(Self.backups(cloud, id, type: "weekly") == ["weekly-2"])
        let none = Self.backup(&cloud, id, #"{"name": "daily-4", "backup_type": "daily", "rotation": 0}"#)
        #expect(none.status == 202 && none.headers["Location"] == nil)
        #expect(Self.backups(cloud, id, type: "daily") == [])
        cloud.runUntilIdle()

        // The typed facade does the same.
        let typed = try cloud.perform(.createBackup(name: "typed", type: "daily", rotation: 1), on: ServerID(id), as: Lab.me)
        #expect(typed.image != nil && Self.backups(cloud, id, type: "daily") == ["typed"])
    }

    @Test(
        "bad backup bodies are refused with Nova's schema messages, creating nothing",
        arguments: [
            (
                #"{"name": "b", "backup_type": "daily"}"#,
                #"Invalid input for field/attribute createBackup. Value: {"backup_type":"daily","name":"b"}. 'rotation' is a required property"#
            ),
            (
                #"{"name": "b", "backup_type": "daily", "rotation": -1}"#,
                "Invalid input for field/attribute rotation. Value: -1. -1 is less than the minimum of 0"
            ),
            (#"{"name": "b", "backup_type": "daily", "rotation": "x"}"#, "Invalid input for field/attribute rotation. Value: x. 'x' does not match '^[0-9]*$'"),
            (
                #"{"name": "b", "backup_type": "daily", "rotation": 1.5}"#,
                "Invalid input for field/attribute rotation. Value: 1.5. 1.5 is not of type 'integer', 'string'"
            ),
            (#"{"name": "b", "backup_type": 5, "rotation": 1}"#, "Invalid input for field/attribute backup_type. Value: 5. 5 is not of type 'string'"),
            (
                #"{"name": "b", "backup_type": "daily", "rotation": 1, "x": 1}"#,
                #"Invalid input for field/attribute createBackup. Value: {"backup_type":"daily","name":"b","rotation":1,"x":1}. Additional properties are not allowed ('x' was unexpected)"#
            ),
        ])
    func badBodiesAreRefused(argument: String, message: String) throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud).rawValue
        let before = cloud.images.count
        let refused = Self.backup(&cloud, id, argument)
        #expect(refused.status == 400)
        #expect(refused.body?.value(at: "badRequest.message")?.stringValue == message)
        #expect(cloud.images.count == before)
    }

    @Test("a building server cannot be backed up: Nova's conflict text")
    func buildingServerIsRefused() throws {
        var cloud = try ComputeCloud()
        let id = try #require(try cloud.createServers(Lab.request(), as: Lab.me).ids.first).rawValue
        let refused = Self.backup(&cloud, id, #"{"name": "b", "backup_type": "daily", "rotation": 1}"#)
        #expect(refused.status == 409)
        #expect(refused.body?.value(at: "conflictingRequest.message") == .string("Cannot 'createBackup' instance \(id) while it is in vm_state building"))
    }
}
