import Testing

@testable import ComputeSim

/// `evacuate`: an administrator rebuilds the server of a down host on another host, as Nova's.
struct EvacuateTests {
    static let create =
        #"{"server": {"name": "web", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "personality": [{"path": "/etc/motd", "contents": "aGk="}]}}"#

    /// An active server (with one injected file) and its host.
    static func activeServer(_ cloud: inout ComputeCloud) throws -> (id: String, host: HostName) {
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        return (id, try #require(try cloud.server(ServerID(id), as: Lab.me).host))
    }

    static func evacuate(_ cloud: inout ComputeCloud, _ id: String, _ argument: String, version: String = "2.1", admin: Bool = true) -> APIResponse {
        API.call(
            &cloud, "POST", "/servers/\(id)/action", #"{"evacuate": \#(argument)}"#, project: admin ? "admin" : "demo", roles: admin ? [.admin] : [],
            headers: ["OpenStack-API-Version": "compute \(version)"])
    }

    static func badRequest(_ message: String) -> JSONValue { ["badRequest": ["code": 400, "message": .string(message)]] }

    @Test("a server of a down host is rebuilt on another host: REBUILD there, then ACTIVE, its disk from the image, recorded as evacuate")
    func evacuatesToAnotherHost() throws {
        var cloud = try ComputeCloud()
        let (id, source) = try Self.activeServer(&cloud)
        let motd = try VirtualPath("/etc/motd")
        #expect(try cloud.fileSystem(of: ServerID(id), as: Lab.me).exists(motd))
        try cloud.inject(.hostDown(source), at: cloud.now)
        cloud.runUntilIdle()
        #expect(try cloud.status(of: ServerID(id), as: Lab.me) == .unknown)

        let response = Self.evacuate(&cloud, id, #"{"onSharedStorage": false}"#)
        #expect(response.status == 200)
        let password = try #require(response.body?["adminPass"]?.stringValue)
        #expect(password.count == 12)
        let moving = try cloud.server(ServerID(id), as: Lab.admin)
        let destination = try #require(moving.host)
        #expect(destination != source)
        #expect(moving.status == .rebuild && moving.taskState == .rebuilding)
        try cloud.advance(by: .minutes(5))
        let after = try cloud.server(ServerID(id), as: Lab.admin)
        #expect(after.status == .active && after.host == destination && after.powerState == .running)
        #expect(cloud.statusHistory(of: ServerID(id)).map(\.status) == [.build, .active, .unknown, .rebuild, .active])
        // Rebuilt from the image: the injected file is gone.
        #expect(try !cloud.fileSystem(of: ServerID(id), as: Lab.me).exists(motd))
        #expect(cloud.checkInvariants().isEmpty)
        let action = try #require(try cloud.instanceActions(of: ServerID(id), as: Lab.admin).first)
        #expect(action.action == "evacuate" && action.requestID == response.headers["x-openstack-request-id"])
        #expect(action.events.map(\.name) == ["compute_rebuild_instance"])
        #expect(action.events.map(\.result) == ["Success"])
        #expect(action.events.map(\.host) == [destination])
    }

    @Test("a stopped server stays SHUTOFF; 2.14 answers without a body; a forced-down service counts as down")
    func stoppedServerAndForcedDown() throws {
        var cloud = try ComputeCloud()
        let (id, source) = try Self.activeServer(&cloud)
        #expect(API.call(&cloud, "POST", "/servers/\(id)/action", #"{"os-stop": null}"#).status == 202)
        try cloud.advance(by: .minutes(5))
        // The host stays up; an operator forces its service down (2.11).
        _ = try cloud.updateService(host: source.rawValue, forcedDown: true, as: Lab.admin)
        let response = Self.evacuate(&cloud, id, "{}", version: "2.14")
        #expect(response.status == 200 && response.body == nil)
        try cloud.advance(by: .minutes(5))
        let after = try cloud.server(ServerID(id), as: Lab.admin)
        #expect(after.status == .shutoff && after.host != source && after.powerState == .shutdown)
    }

    @Test("refusals come in Nova's order with Nova's statuses and messages, and change nothing")
    func refusals() throws {
        var cloud = try ComputeCloud()
        let (id, source) = try Self.activeServer(&cloud)
        let before = try cloud.server(ServerID(id), as: Lab.admin)
        let upRefusals: [(String, String, Int, JSONValue)] = [
            (#"{"onSharedStorage": false}"#, "2.1", 400, Self.badRequest("Compute service of \(source) is still in use.")),
            (#"{}"#, "2.1", 400, Self.badRequest("Invalid input for field/attribute evacuate. Value: {}. 'onSharedStorage' is a required property")),
            (
                #"{"onSharedStorage": false, "force": true}"#, "2.13",
                400,
                Self.badRequest(
                    #"Invalid input for field/attribute evacuate. Value: {"force":true,"onSharedStorage":false}. Additional properties are not allowed ('force' was unexpected)"#
                )
            ),
            (#"{"force": true}"#, "2.29", 400, Self.badRequest("Can't force to a non-provided destination")),
            (#"{"host": "nowhere"}"#, "2.29", 404, ["itemNotFound": ["code": 404, "message": "Compute host nowhere not found."]]),
            (#"{"host": "\#(source)"}"#, "2.29", 400, Self.badRequest("The target host can't be the same one.")),
            (
                #"{"onSharedStorage": true, "adminPass": "x"}"#, "2.1", 400, Self.badRequest("admin password can't be changed on existing disk")
            ),
            (
                #"{"onSharedStorage": "maybe"}"#, "2.1", 400,
                Self.badRequest(
                    "Invalid input for field/attribute onSharedStorage. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"
                )
            ),
        ]
        for (argument, version, status, body) in upRefusals {
            let response = Self.evacuate(&cloud, id, argument, version: version)
            #expect(response.status == status, "\(argument)")
            #expect(response.body == body, "\(argument)")
        }
        #expect(
            Self.evacuate(&cloud, id, #"{"onSharedStorage": false}"#, admin: false).body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-evacuate to be performed."]])
        // A paused server of a down host: the state refuses it.
        #expect(API.call(&cloud, "POST", "/servers/\(id)/action", #"{"pause": null}"#).status == 202)
        try cloud.advance(by: .minutes(1))
        try cloud.inject(.hostDown(source), at: cloud.now)
        cloud.runUntilIdle()
        let paused = Self.evacuate(&cloud, id, #"{"onSharedStorage": false}"#)
        #expect(
            paused.body == ["conflictingRequest": ["code": 409, "message": .string("Cannot 'evacuate' instance \(id) while it is in vm_state paused")]])
        #expect(try cloud.server(ServerID(id), as: Lab.admin).host == before.host)
        #expect(try cloud.instanceActions(of: ServerID(id), as: Lab.admin).map(\.action) == ["pause", "create"])
    }

    @Test("with no host for it the call is accepted, the server stays as it was, and the action's event fails")
    func noValidHost() throws {
        var cloud = try ComputeCloud()
        let (id, source) = try Self.activeServer(&cloud)
        // Every other host disabled: nothing can take the server.
        for host in ["compute-01", "compute-02", "compute-03", "compute-04"] where host != source.rawValue {
            _ = try cloud.updateService(host: host, disabled: true, as: Lab.admin)
        }
        try cloud.inject(.hostDown(source), at: cloud.now)
        cloud.runUntilIdle()
        let response = Self.evacuate(&cloud, id, #"{"onSharedStorage": false, "adminPass": "Pa55word"}"#)
        #expect(response.status == 200 && response.body == ["adminPass": "Pa55word"])
        let server = try cloud.server(ServerID(id), as: Lab.admin)
        #expect(server.host == source && server.status == .unknown && server.taskState == nil)
        let action = try #require(try cloud.instanceActions(of: ServerID(id), as: Lab.admin).first)
        #expect(action.action == "evacuate" && action.message == "Error")
        #expect(action.events.map(\.details) == ["No valid host was found. "])
        #expect(cloud.checkInvariants().isEmpty)
    }
}
