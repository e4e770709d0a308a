import Testing

@testable import ComputeSim

/// `os-instance-actions`: every accepted call is recorded under the request id its response
/// carried, with the compute event it ran, as Nova's action log.
struct InstanceActionTests {
    static let create = #"{"server": {"name": "web", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#

    /// Creates a server through the facade and returns its id and the create's request id.
    static func created(_ cloud: inout ComputeCloud, project: String = "demo") throws -> (id: String, request: String) {
        let response = API.call(&cloud, "POST", "/servers", Self.create, project: project)
        let id = try #require(response.body?.value(at: "server.id")?.stringValue)
        return (id, try #require(response.headers["x-openstack-request-id"]))
    }

    /// GET of the server's action log (or, with a `/req-…` suffix, one action) at `version`.
    /// The facade negotiates at most 2.56 today (2.57 drops personality files), so the later
    /// microversions' behaviour, which the route already implements, is reached through the
    /// router at that version.
    static func actions(_ cloud: inout ComputeCloud, _ id: String, _ query: String = "", version: String = "2.1", roles: [Role] = []) -> APIResponse {
        let request = API.request(
            "GET", "/servers/\(id)/os-instance-actions\(query)", project: roles.isEmpty ? "demo" : "admin", roles: roles,
            headers: ["OpenStack-API-Version": "compute \(version)"])
        let minor = Int(version.split(separator: ".")[1]) ?? 1
        guard minor > 56 else { return cloud.handle(request) }
        do { return try cloud.route(request, version: Microversion(2, minor)) } catch { return APIResponse(error) }
    }

    @Test("each accepted call is listed newest first under the request id its response carried; refused calls are not")
    func listingFollowsTheCalls() throws {
        var cloud = try ComputeCloud()
        let (id, createRequest) = try Self.created(&cloud)
        let early = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"reboot": {"type": "SOFT"}}"#)
        #expect(early.status == 409)  // still building: refused, so not recorded
        try cloud.advance(by: .minutes(5))
        let reboot = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"reboot": {"type": "SOFT"}}"#)
        #expect(reboot.status == 202)
        let rebootRequest = try #require(reboot.headers["x-openstack-request-id"])
        let lock = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"lock": null}"#)
        let lockRequest = try #require(lock.headers["x-openstack-request-id"])

        let list = Self.actions(&cloud, id)
        #expect(list.status == 200)
        let created = cloud.wallClock.isoMicroseconds(at: .zero)
        let rebooted = cloud.wallClock.isoMicroseconds(at: .zero + .minutes(5))
        #expect(
            list.body
                == [
                    "instanceActions": [
                        [
                            "action": "lock", "instance_uuid": .string(id), "message": .null, "project_id": "demo", "request_id": .string(lockRequest),
                            "start_time": .string(rebooted), "user_id": "user",
                        ],
                        [
                            "action": "reboot", "instance_uuid": .string(id), "message": .null, "project_id": "demo", "request_id": .string(rebootRequest),
                            "start_time": .string(rebooted), "user_id": "user",
                        ],
                        [
                            "action": "create", "instance_uuid": .string(id), "message": .null, "project_id": "demo", "request_id": .string(createRequest),
                            "start_time": .string(created), "user_id": "user",
                        ],
                    ]
                ])
        // The typed facade says the same.
        let typed = try cloud.instanceActions(of: ServerID(id), as: Lab.me)
        #expect(typed.map(\.action) == ["lock", "reboot", "create"])
        #expect(typed.map(\.requestID) == [lockRequest, rebootRequest, createRequest])
    }

    @Test("an action's event runs from the call to the operation's end, and shows the host, hostId and details per microversion")
    func eventsFollowTheOperation() throws {
        var cloud = try ComputeCloud()
        let (id, request) = try Self.created(&cloud)
        let show = "/\(request)"
        // While building: the event is open.
        let building = Self.actions(&cloud, id, show, version: "2.51")
        #expect(
            building.body?["instanceAction"]?["events"]
                == [
                    [
                        "event": "compute__do_build_and_run_instance", "finish_time": .null, "result": .null,
                        "start_time": .string(cloud.wallClock.isoMicroseconds(at: .zero)),
                    ]
                ])
        try cloud.advance(by: .minutes(5))
        let active = try #require(cloud.statusHistory(of: ServerID(id)).last)
        #expect(active.status == .active)
        let server = try cloud.server(ServerID(id), as: Lab.me)
        let host = try #require(server.host)
        let start = JSONValue.string(cloud.wallClock.isoMicroseconds(at: .zero))
        let finish = JSONValue.string(cloud.wallClock.isoMicroseconds(at: active.time))
        // Before 2.51 the owner sees no events; an administrator sees them with the traceback.
        #expect(Self.actions(&cloud, id, show).body?["instanceAction"]?["events"] == nil)
        #expect(
            Self.actions(&cloud, id, show, roles: [.admin]).body?["instanceAction"]?["events"]
                == [["event": "compute__do_build_and_run_instance", "finish_time": finish, "result": "Success", "start_time": start, "traceback": .null]])
        // 2.58 adds updated_at (the event's finish); 2.62 hostId for everyone and host for
        // administrators; 2.84 details for administrators.
        let owner = Self.actions(&cloud, id, show, version: "2.62").body?["instanceAction"]
        #expect(owner?["updated_at"] == finish)
        #expect(
            owner?["events"]
                == [
                    [
                        "event": "compute__do_build_and_run_instance", "finish_time": finish, "hostId": .string(server.hostID), "result": "Success",
                        "start_time": start,
                    ]
                ])
        #expect(
            Self.actions(&cloud, id, show, version: "2.84", roles: [.admin]).body?["instanceAction"]?["events"]
                == [
                    [
                        "details": .null, "event": "compute__do_build_and_run_instance", "finish_time": finish, "host": .string(host.rawValue),
                        "hostId": .string(ProjectID("demo").hostID(on: host)), "result": "Success", "start_time": start, "traceback": .null,
                    ]
                ])
        #expect(
            Self.actions(&cloud, id, "/req-00000000-0000-0000-0000-000000000000").body == [
                "itemNotFound": ["code": 404, "message": "Action req-00000000-0000-0000-0000-000000000000 not found"]
            ])
    }

    @Test("a build that fails records its event as Error with the fault, and the action's message is Error")
    func failedBuildIsAnError() throws {
        var cloud = try Lab.cloud { $0.faults.fatalBuildFailure = 1 }
        let (id, request) = try Self.created(&cloud)
        try cloud.advance(by: .minutes(5))
        let server = try cloud.server(ServerID(id), as: Lab.me)
        #expect(server.status == .error)
        let fault = try #require(server.fault)
        let action = try cloud.instanceAction(request, of: ServerID(id), as: Lab.admin)
        #expect(action.message == "Error")
        #expect(action.events.map(\.result) == ["Error"])
        #expect(action.events.map(\.details) == [fault.message])
        let shown = Self.actions(&cloud, id, "/\(request)", version: "2.84", roles: [.admin]).body?["instanceAction"]
        #expect(shown?["message"] == "Error")
        #expect(shown?["events"]?[0]?["details"] == .string(fault.message))
    }

    @Test("deleting a building server ends its build event as Error; the delete is listed from 2.21 once the server is gone")
    func deleteDuringBuild() throws {
        var cloud = try ComputeCloud()
        let (id, createRequest) = try Self.created(&cloud)
        try cloud.advance(by: .seconds(1))
        let delete = API.call(&cloud, "DELETE", "/servers/\(id)")
        #expect(delete.status == 204)
        try cloud.advance(by: .minutes(5))
        #expect(Self.actions(&cloud, id).body == ["itemNotFound": ["code": 404, "message": .string("Instance \(id) could not be found.")]])
        let list = try #require(Self.actions(&cloud, id, version: "2.21").body?["instanceActions"]?.arrayValue)
        #expect(list.map { $0["action"] } == ["delete", "create"])
        #expect(list.map { $0["request_id"] } == [delete.headers["x-openstack-request-id"].map(JSONValue.string), .string(createRequest)])
        let build = try cloud.instanceAction(createRequest, of: ServerID(id), as: Lab.me)
        #expect(build.events.map(\.result) == ["Error"])
        #expect(build.events.map(\.details) == ["Instance \(id) could not be found."])
        #expect(build.events.map(\.finishTime) == [.zero + .seconds(1)])
    }

    @Test("2.58 pages by limit and marker with a next link, filters by changes-since and (2.66) changes-before, and checks its query")
    func pagingAndFilters() throws {
        var cloud = try ComputeCloud()
        let (id, _) = try Self.created(&cloud)
        try cloud.advance(by: .minutes(5))
        for body in [#"{"os-stop": null}"#, #"{"os-start": null}"#] {
            #expect(API.call(&cloud, "POST", "/servers/\(id)/action", body).status == 202)
            try cloud.advance(by: .minutes(5))
        }
        let all = try cloud.instanceActions(of: ServerID(id), as: Lab.me)
        #expect(all.map(\.action) == ["start", "stop", "create"])
        let page = Self.actions(&cloud, id, "?limit=2", version: "2.58").body
        #expect(page?["instanceActions"]?.arrayValue?.map { $0["request_id"] } == all.prefix(2).map { .string($0.requestID) })
        #expect(
            page?["links"]
                == [["href": .string("http://compute.sim/v2.1/servers/\(id)/os-instance-actions?limit=2&marker=\(all[1].requestID)"), "rel": "next"]])
        let next = Self.actions(&cloud, id, "?limit=2&marker=\(all[1].requestID)", version: "2.58").body
        #expect(next?["instanceActions"]?.arrayValue?.map { $0["action"] } == ["create"])
        #expect(next?["links"] == nil)
        // changes-since keeps the actions updated at or after it, changes-before at or before:
        // at the stop's finish, both keep the stop.
        let stopped = try #require(all[1].updatedAt)
        #expect(all[1].events.map(\.finishTime) == [stopped])
        let since = cloud.wallClock.isoMicroseconds(at: stopped)
        let recent = Self.actions(&cloud, id, "?changes-since=\(since)", version: "2.58").body
        #expect(recent?["instanceActions"]?.arrayValue?.map { $0["action"] } == ["start", "stop"])
        let before = Self.actions(&cloud, id, "?changes-before=\(since)", version: "2.66").body
        #expect(before?["instanceActions"]?.arrayValue?.map { $0["action"] } == ["stop", "create"])

        let refusals: [(String, String, String)] = [
            ("?foo=1", "2.58", "Additional properties are not allowed ('foo' was unexpected)"),
            ("?changes-before=\(since)", "2.65", "Additional properties are not allowed ('changes-before' was unexpected)"),
            ("?limit=-1", "2.58", "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"),
            ("?changes-since=yesterday", "2.58", "Invalid input for query parameters changes-since. Value: yesterday. 'yesterday' is not a 'date-time'"),
            ("?marker=req-x", "2.58", "Marker req-x could not be found."),
            (
                "?changes-since=\(since)&changes-before=\(cloud.wallClock.iso8601(at: .zero))", "2.66",
                "The value of changes-since must be less than or equal to changes-before."
            ),
        ]
        for (query, version, message) in refusals {
            let response = Self.actions(&cloud, id, query, version: version)
            #expect(response.status == 400, "\(query)")
            #expect(response.body == ["badRequest": ["code": 400, "message": .string(message)]], "\(query)")
        }
        // Before 2.58 the query is not read.
        #expect(Self.actions(&cloud, id, "?foo=1&limit=1").body?["instanceActions"]?.arrayValue?.count == 3)
    }

    @Test("another project's server is not found; writes are 405; typed calls draw request ids from the same stream")
    func isolationAndTypedCalls() throws {
        var cloud = try ComputeCloud()
        let (id, _) = try Self.created(&cloud)
        #expect(
            API.call(&cloud, "GET", "/servers/\(id)/os-instance-actions", project: "other").body
                == ["itemNotFound": ["code": 404, "message": .string("Instance \(id) could not be found.")]])
        #expect(API.call(&cloud, "POST", "/servers/\(id)/os-instance-actions", "{}").status == 405)
        // Typed calls: one id for a multi-create, shared by its servers; each action its own.
        var typed = CreateServerRequest(name: "batch", image: ComputeCloud.cirros, flavor: "1")
        typed.minCount = 2
        typed.maxCount = 2
        let batch = try cloud.createServers(typed, as: Lab.me)
        let ids = try batch.ids.map { server in try cloud.instanceActions(of: server, as: Lab.me).map(\.requestID) }
        #expect(ids.count == 2 && ids[0] == ids[1] && ids[0].count == 1)
        #expect(ids[0][0].hasPrefix("req-") && ids[0][0].count == 40)
        // Without the log nothing is kept and the stream does not move.
        var quiet = try Lab.cloud { $0.recordsInstanceActions = false }
        var loud = try ComputeCloud()
        _ = try quiet.createServers(Lab.request(), as: Lab.me)
        _ = try loud.createServers(Lab.request(), as: Lab.me)
        let quietHeader = API.call(&quiet, "GET", "/servers").headers["x-openstack-request-id"]
        let loudHeader = API.call(&loud, "GET", "/servers").headers["x-openstack-request-id"]
        #expect(quietHeader != loudHeader)
        #expect(try quiet.instanceActions(of: quiet.servers(as: Lab.me)[0].id, as: Lab.me) == [])
    }
}
