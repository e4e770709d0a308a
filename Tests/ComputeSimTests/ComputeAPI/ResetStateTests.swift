import Testing

@testable import ComputeSim

/// `os-resetState`: an administrator sets a server's vm_state by hand, and what was under way stops.
struct ResetStateTests {
    static func reset(_ cloud: inout ComputeCloud, _ id: ServerID, _ argument: String, admin: Bool = true) -> APIResponse {
        API.call(&cloud, "POST", "/servers/\(id)/action", #"{"os-resetState": \#(argument)}"#, project: admin ? "admin" : "demo", roles: admin ? [.admin] : [])
    }

    @Test("a building server reset to error stays ERROR with no task; the build's event fails and resetState is recorded without events")
    func resetDuringBuild() throws {
        var cloud = try ComputeCloud()
        let id = try cloud.createServers(Lab.request(), as: Lab.me).ids[0]
        try cloud.advance(by: .seconds(10))
        #expect(try cloud.server(id, as: Lab.me).status == .build)
        let response = Self.reset(&cloud, id, #"{"state": "error"}"#)
        #expect(response.status == 202 && response.body == nil)
        try cloud.advance(by: .minutes(10))
        let server = try cloud.server(id, as: Lab.admin)
        #expect(server.status == .error && server.vmState == .error && server.taskState == nil)
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .error])
        let actions = try cloud.instanceActions(of: id, as: Lab.admin)
        #expect(actions.map(\.action) == ["resetState", "create"])
        #expect(actions[0].events.isEmpty && actions[0].requestID == response.headers["x-openstack-request-id"])
        #expect(actions[1].events.map(\.result) == ["Error"] && actions[1].events.map(\.details) == ["Reset by an administrator."])
        #expect(cloud.checkInvariants().isEmpty)
        // Reset to active it shows ACTIVE, but it never launched: actions that need a launched
        // server are refused as Nova refuses them; a delete frees its host.
        #expect(Self.reset(&cloud, id, #"{"state": "active"}"#).status == 202)
        #expect(try cloud.server(id, as: Lab.me).status == .active)
        let reboot = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"reboot": {"type": "HARD"}}"#)
        #expect(reboot.body?.value(at: "conflictingRequest.message") == .string("Cannot 'reboot' instance \(id) while it is in launched_at None"))
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)").status == 204)
        try cloud.advance(by: .minutes(5))
        #expect(cloud.hostPool.hostNames.allSatisfy { cloud.hostPool.usage(of: $0)?.servers == 0 })
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a reset during a live migration frees the destination's claim and leaves the server where it was")
    func resetDuringLiveMigration() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let source = try cloud.server(id, as: Lab.me).host
        _ = try cloud.perform(.liveMigrate, on: id, as: Lab.admin)
        try cloud.advance(by: .seconds(1))
        #expect(try cloud.server(id, as: Lab.me).status == .migrating)
        let claimed = cloud.hostPool.hostNames.filter { (cloud.hostPool.usage(of: $0)?.used.vcpus ?? 0) > 0 }
        #expect(claimed.count == 2)
        try cloud.resetState(of: id, to: .active, as: Lab.admin)
        try cloud.advance(by: .minutes(5))
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.host == source)
        #expect(cloud.hostPool.hostNames.filter { (cloud.hostPool.usage(of: $0)?.used.vcpus ?? 0) > 0 } == [try #require(source)])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("members are refused, bodies are checked with Nova's schema messages, and a refusal changes nothing")
    func refusals() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let cases: [(String, Bool, Int, String)] = [
            (#"{"state": "active"}"#, false, 403, "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed."),
            (#"{"state": "stopped"}"#, true, 400, "Invalid input for field/attribute state. Value: stopped. 'stopped' is not one of ['active', 'error']"),
            (#"{}"#, true, 400, "Invalid input for field/attribute os-resetState. Value: {}. 'state' is a required property"),
            (
                #"{"state": "error", "why": 1}"#, true, 400,
                #"Invalid input for field/attribute os-resetState. Value: {"state":"error","why":1}. Additional properties are not allowed ('why' was unexpected)"#
            ),
            (#"{"state": 1}"#, true, 400, "Invalid input for field/attribute state. Value: 1. 1 is not of type 'string'"),
        ]
        let before = try cloud.server(id, as: Lab.admin)
        for (argument, admin, status, message) in cases {
            let response = Self.reset(&cloud, id, argument, admin: admin)
            #expect(response.status == status, "\(argument)")
            #expect(response.body?.value(at: status == 403 ? "forbidden.message" : "badRequest.message") == .string(message), "\(argument)")
        }
        #expect(try cloud.server(id, as: Lab.admin) == before)
        #expect(try cloud.instanceActions(of: id, as: Lab.admin).map(\.action) == ["create"])
    }
}
