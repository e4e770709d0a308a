import Testing

@testable import ComputeSim

/// Helpers for JSON facade tests.
enum API {
    static func request(
        _ method: HTTPMethod, _ path: String, _ body: String? = nil, project: String = "demo", roles: [Role] = [], headers: [String: String] = [:]
    ) -> APIRequest {
        APIRequest(method: method, path: path, headers: headers, body: body.map { Array($0.utf8) }, project: ProjectID(project), roles: roles)
    }

    static func call(
        _ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, project: String = "demo", roles: [Role] = [],
        headers: [String: String] = [:]
    ) -> APIResponse {
        cloud.handle(request(method, path, body, project: project, roles: roles, headers: headers))
    }

    /// A call as a member of project demo or, with `admin`, as an administrator of project
    /// admin, at microversion `version`.
    static func call(_ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, admin: Bool, version: String) -> APIResponse {
        call(
            &cloud, method, path, body, project: admin ? "admin" : "demo", roles: admin ? [.admin] : [],
            headers: ["OpenStack-API-Version": "compute \(version)"])
    }

    /// The Compute API guide's first create example (one access IP), verbatim.
    static let guideCreateOneAccessIP = """
        {
            "server" : {
                "name" : "new-server-test",
                "imageRef" : "52415800-8b69-11e0-9b19-734f6f006e54",
                "flavorRef" : "52415800-8b69-11e0-9b19-734f1195ff37",
                "accessIPv4" : "67.23.10.132"
            }
        }
        """

    /// The Compute API guide's second create example (both access IPs), verbatim.
    static let guideCreate = """
        {
            "server": {
                "name": "new-server-test",
                "imageRef": "52415800-8b69-11e0-9b19-734f6f006e54",
                "flavorRef": "52415800-8b69-11e0-9b19-734f1195ff37",
                "accessIPv4": "67.23.10.132",
                "accessIPv6": "::babe:67.23.10.132"
            }
        }
        """
}

struct APIFacadeTests {
    @Test("the guide's create example works verbatim: 202, Location, links, adminPass, normalised access IPs")
    func theGuideCreateExampleWorks() throws {
        var cloud = try ComputeCloud()
        let created = API.call(&cloud, "POST", "/v2.1/servers", API.guideCreate)
        #expect(created.status == 202)
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        #expect(created.headers["Location"] == "http://compute.sim/v2.1/servers/\(id)")
        #expect(created.body?.value(at: "server.links.1.href")?.stringValue == "http://compute.sim/servers/\(id)")
        #expect(created.body?.value(at: "server.adminPass")?.stringValue?.count == 12)
        #expect(created.body?.value(at: "server.security_groups") == [["name": "default"]])
        #expect(created.headers["OpenStack-API-Version"] == "compute 2.1")
        var shown = API.call(&cloud, "GET", "/servers/\(id)")
        #expect(shown.status == 200)
        #expect(shown.body?.value(at: "server.status") == "BUILD")
        #expect(shown.body?.value(at: "server.accessIPv4") == "67.23.10.132")
        #expect(shown.body?.value(at: "server.accessIPv6") == "::babe:4317:a84")
        #expect(shown.body?.value(at: "server.addresses") == [:])
        #expect(shown.body?.value(at: "server.hostId") == "")
        #expect(shown.body?.value(at: "server.OS-EXT-SRV-ATTR:host") == nil)  // admin only
        cloud.runUntilIdle()
        shown = API.call(&cloud, "GET", "/servers/\(id)")
        #expect(shown.body?.value(at: "server.status") == "ACTIVE")
        #expect(shown.body?.value(at: "server.progress") == 100)
        #expect(shown.body?.value(at: "server.addresses.private.0.addr") == "10.0.0.2")
        #expect(shown.body?.value(at: "server.addresses.private.0.OS-EXT-IPS-MAC:mac_addr")?.stringValue?.hasPrefix("fa:16:3e:") == true)
        #expect(shown.body?.value(at: "server.hostId")?.stringValue == ProjectID("demo").hostID(on: try cloud.server(ServerID(id), as: Lab.me).host))
        #expect(shown.body?.value(at: "server.OS-EXT-STS:vm_state") == "active")
        #expect(shown.body?.value(at: "server.OS-EXT-STS:power_state") == 1)
        let asAdmin = API.call(&cloud, "GET", "/servers/\(id)", project: "ops", roles: ["admin"])
        #expect(asAdmin.body?.value(at: "server.OS-EXT-SRV-ATTR:host")?.stringValue?.hasPrefix("compute-0") == true)
    }

    @Test("the guide's first create example works verbatim too")
    func theGuideFirstExampleWorks() throws {
        var cloud = try ComputeCloud()
        let created = API.call(&cloud, "POST", "/v2.1/servers", API.guideCreateOneAccessIP)
        #expect(created.status == 202)
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        let shown = API.call(&cloud, "GET", "/servers/\(id)")
        #expect(shown.body?.value(at: "server.accessIPv4") == "67.23.10.132" && shown.body?.value(at: "server.accessIPv6") == "")
    }

    @Test("unknown paths are 404, wrong methods 405, bodies that are not JSON 400, with Nova's fault bodies")
    func errorPathsHaveNovasBodies() throws {
        var cloud = try ComputeCloud()
        let unknown = API.call(&cloud, "GET", "/v2.1/nonsense")
        #expect(unknown.status == 404 && unknown.bodyText == #"{"itemNotFound":{"code":404,"message":"The resource could not be found."}}"#)
        let method = API.call(&cloud, "PATCH", "/servers")
        #expect(method.status == 405 && method.bodyText == #"{"badMethod":{"code":405,"message":"The method specified is not allowed for this resource."}}"#)
        let malformed = API.call(&cloud, "POST", "/servers", "{not json")
        #expect(
            malformed.status == 400
                && malformed.bodyText == #"{"badRequest":{"code":400,"message":"Malformed request body: invalid JSON at byte 1: expected a string key"}}"#)
        let missing = API.call(&cloud, "GET", "/servers/0000")
        #expect(missing.status == 404 && missing.bodyText == #"{"itemNotFound":{"code":404,"message":"Instance 0000 could not be found."}}"#)
        let version = API.call(&cloud, "GET", "/servers", headers: ["OpenStack-API-Version": "compute 2.99"])
        #expect(
            version.status == 406
                && version.bodyText
                    == #"{"computeFault":{"code":406,"message":"Version 2.99 is not supported by the API. Minimum is 2.1 and maximum is 2.56."}}"#
        )
        let echoed = API.call(&cloud, "GET", "/servers", headers: ["X-OpenStack-Nova-API-Version": "2.37"])
        #expect(echoed.headers["X-OpenStack-Nova-API-Version"] == "2.37" && echoed.headers["OpenStack-API-Version"] == "compute 2.37")
        let badAccess = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "x", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "accessIPv4": "1.2.3"}}"#)
        #expect(
            badAccess.bodyText
                == #"{"badRequest":{"code":400,"message":"Invalid input for field/attribute accessIPv4. Value: 1.2.3. '1.2.3' is not a 'ipv4'"}}"#)
    }

    @Test("paths work with and without /v2.1 and a project segment, and links follow the request")
    func pathsWithProjectSegments() throws {
        var cloud = try ComputeCloud()
        let created = API.call(&cloud, "POST", "/v2.1/demo/servers", API.guideCreate)
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        #expect(created.headers["Location"] == "http://compute.sim/v2.1/demo/servers/\(id)")
        #expect(API.call(&cloud, "GET", "/demo/servers/\(id)").status == 200)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").status == 200)
    }

    @Test("another project's server is 404 through every endpoint")
    func projectsAreIsolated() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        for (method, path, body): (HTTPMethod, String, String?) in [
            ("GET", "/servers/\(id)", nil), ("PUT", "/servers/\(id)", #"{"server": {"name": "x"}}"#), ("DELETE", "/servers/\(id)", nil),
            ("POST", "/servers/\(id)/action", #"{"pause": null}"#), ("GET", "/servers/\(id)/metadata", nil), ("GET", "/servers/\(id)/ips", nil),
        ] {
            #expect(API.call(&cloud, method, path, body, project: "intruder").status == 404, "\(method) \(path)")
        }
        #expect(API.call(&cloud, "GET", "/servers", project: "intruder").bodyText == #"{"servers":[]}"#)
        #expect(API.call(&cloud, "GET", "/servers?all_tenants=1", project: "intruder").status == 403)
    }

    @Test("actions answer with Nova's codes and conflicts")
    func actionsAnswerWithNovasCodes() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        let path = "/servers/\(id)/action"
        #expect(API.call(&cloud, "POST", path, #"{"reboot": {"type": "SOFT"}}"#).status == 202)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.status") == "REBOOT")
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "POST", path, #"{"reboot": {"type": "GENTLY"}}"#).status == 400)
        #expect(
            API.call(&cloud, "POST", path, #"{"frobnicate": null}"#).bodyText == #"{"badRequest":{"code":400,"message":"There is no such action: frobnicate"}}"#
        )
        #expect(API.call(&cloud, "POST", path, #"{"os-stop": null}"#).status == 202)
        cloud.runUntilIdle()
        #expect(
            API.call(&cloud, "POST", path, #"{"pause": null}"#).bodyText
                == #"{"conflictingRequest":{"code":409,"message":"Cannot 'pause' instance \#(id) while it is in vm_state stopped"}}"#)
        #expect(API.call(&cloud, "POST", path, #"{"os-start": null}"#).status == 202)
        cloud.runUntilIdle()
        let rescue = API.call(&cloud, "POST", path, #"{"rescue": {"adminPass": "Rescu3Me"}}"#)
        #expect(rescue.status == 200 && rescue.bodyText == #"{"adminPass":"Rescu3Me"}"#)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "POST", path, #"{"unrescue": null}"#).status == 202)
        cloud.runUntilIdle()
        let image = API.call(&cloud, "POST", path, #"{"createImage": {"name": "snap"}}"#)
        #expect(image.status == 202 && image.headers["Location"]?.hasPrefix("http://compute.sim/v2.1/images/") == true)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "POST", path, #"{"resize": {"flavorRef": "3"}}"#).status == 202)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "POST", path, #"{"confirmResize": null}"#).status == 204)
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)").status == 204)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "GET", "/servers/\(id)").status == 404)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("listing filters by status and name, and pages with limit and marker")
    func listingFiltersAndPages() throws {
        var cloud = try ComputeCloud()
        for name in ["web-1", "web-2", "db-1"] {
            _ = API.call(&cloud, "POST", "/servers", #"{"server": {"name": "\#(name)", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#)
            try cloud.advance(by: .seconds(1))
        }
        cloud.runUntilIdle()
        let all = API.call(&cloud, "GET", "/servers")
        #expect(all.body?["servers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["db-1", "web-2", "web-1"])  // newest first
        let web = API.call(&cloud, "GET", "/servers/detail?name=^web")
        #expect(web.body?["servers"]?.arrayValue?.count == 2)
        #expect(API.call(&cloud, "GET", "/servers?name=(").status == 400)
        #expect(API.call(&cloud, "GET", "/servers?status=SHUTOFF").bodyText == #"{"servers":[]}"#)
        #expect(API.call(&cloud, "GET", "/servers?status=active").body?["servers"]?.arrayValue?.count == 3)
        #expect(API.call(&cloud, "GET", "/servers?status=DELETED").status == 403)
        let page = API.call(&cloud, "GET", "/servers?limit=2")
        #expect(page.body?["servers"]?.arrayValue?.count == 2)
        let next = try #require(page.body?.value(at: "servers_links.0.href")?.stringValue)
        let marker = try #require(page.body?.value(at: "servers.1.id")?.stringValue)
        #expect(next.hasSuffix("marker=\(marker)"))
        #expect(API.call(&cloud, "GET", "/servers?limit=2&marker=\(marker)").body?["servers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["web-1"])
        #expect(API.call(&cloud, "GET", "/servers?marker=nope").bodyText == #"{"badRequest":{"code":400,"message":"marker [nope] not found"}}"#)
    }

    @Test("the metadata sub-API merges, replaces, reads and deletes with Nova's rules")
    func metadataSubAPI() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        #expect(API.call(&cloud, "POST", "/servers/\(id)/metadata", #"{"metadata": {"a": "1"}}"#).status == 409)  // still building
        cloud.runUntilIdle()
        let base = "/servers/\(id)/metadata"
        #expect(API.call(&cloud, "POST", base, #"{"metadata": {"a": "1", "b": "2"}}"#).bodyText == #"{"metadata":{"a":"1","b":"2"}}"#)
        #expect(API.call(&cloud, "POST", base, #"{"metadata": {"b": "3"}}"#).bodyText == #"{"metadata":{"a":"1","b":"3"}}"#)
        #expect(API.call(&cloud, "PUT", base, #"{"metadata": {"c": "4"}}"#).bodyText == #"{"metadata":{"c":"4"}}"#)
        #expect(API.call(&cloud, "GET", base + "/c").bodyText == #"{"meta":{"c":"4"}}"#)
        #expect(
            API.call(&cloud, "PUT", base + "/c", #"{"meta": {"d": "5"}}"#).bodyText == #"{"badRequest":{"code":400,"message":"Request body and URI mismatch"}}"#
        )
        #expect(API.call(&cloud, "DELETE", base + "/c").status == 204)
        #expect(API.call(&cloud, "GET", base + "/c").bodyText == #"{"itemNotFound":{"code":404,"message":"Metadata item was not found"}}"#)
        let many = "{\"metadata\": {" + (0..<129).map { "\"k\($0)\": \"v\"" }.joined(separator: ", ") + "}}"
        #expect(API.call(&cloud, "PUT", base, many).bodyText == #"{"forbidden":{"code":403,"message":"Maximum number of metadata items exceeds 128"}}"#)
        #expect(API.call(&cloud, "POST", base, #"{"metadata": {"bad/key": "x"}}"#).status == 400)
    }

    @Test("ips, flavors, images, limits, server groups and hypervisors answer in Nova's shapes")
    func catalogEndpoints() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        #expect(
            API.call(&cloud, "GET", "/servers/\(id)/ips").bodyText
                == #"{"addresses":{"private":[{"addr":"10.0.0.2","version":4},{"addr":"fd00::2","version":6}]}}"#)
        #expect(
            API.call(&cloud, "GET", "/servers/\(id)/ips/public").bodyText
                == #"{"itemNotFound":{"code":404,"message":"Instance is not a member of specified network"}}"#)
        #expect(API.call(&cloud, "GET", "/flavors").body?["flavors"]?.arrayValue?.count == 6)
        #expect(API.call(&cloud, "GET", "/flavors/2").body?.value(at: "flavor.ram") == 2048)
        #expect(API.call(&cloud, "GET", "/flavors/99").status == 404)
        #expect(API.call(&cloud, "GET", "/images/detail").body?.value(at: "images.0.minDisk") == 3)
        let limits = API.call(&cloud, "GET", "/limits")
        #expect(limits.body?.value(at: "limits.absolute.maxTotalInstances") == 10)
        #expect(limits.body?.value(at: "limits.absolute.totalInstancesUsed") == 1)
        #expect(limits.body?.value(at: "limits.absolute.maxPersonality") == 5)
        #expect(limits.body?.value(at: "limits.rate") == [])
        let newer = API.call(&cloud, "GET", "/limits", headers: ["OpenStack-API-Version": "compute 2.40"])
        #expect(newer.body?.value(at: "limits.absolute.maxImageMeta") == nil && newer.body?.value(at: "limits.absolute.maxSecurityGroups") == nil)
        let group = API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "web", "policies": ["anti-affinity"]}}"#)
        #expect(group.status == 200 && group.body?.value(at: "server_group.policies") == ["anti-affinity"])
        let groupID = try #require(group.body?.value(at: "server_group.id")?.stringValue)
        #expect(API.call(&cloud, "GET", "/os-server-groups").body?["server_groups"]?.arrayValue?.count == 1)
        #expect(API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "x", "policies": ["soft-affinity"]}}"#).status == 400)  // 2.15+
        #expect(API.call(&cloud, "DELETE", "/os-server-groups/\(groupID)").status == 204)
        #expect(API.call(&cloud, "GET", "/os-server-groups/\(groupID)").status == 404)
        #expect(API.call(&cloud, "GET", "/os-hypervisors/detail").status == 403)
        let hypervisors = API.call(&cloud, "GET", "/os-hypervisors/detail", project: "ops", roles: ["admin"])
        #expect(hypervisors.body?["hypervisors"]?.arrayValue?.count == 4)
        #expect(hypervisors.body?.value(at: "hypervisors.0.hypervisor_hostname") == "compute-01")
    }
}

struct APIListingTests {
    private func cloudWithServers() throws -> (ComputeCloud, [String]) {
        var configuration = CloudConfiguration()
        configuration.reclaimInterval = .hours(1)
        var cloud = try ComputeCloud(configuration: configuration)
        var ids: [String] = []
        for name in ["alpha", "beta", "gamma"] {
            let response = API.call(
                &cloud, "POST", "/servers", #"{"server": {"name": "\#(name)", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#)
            ids.append(response.body?.value(at: "server.id")?.stringValue ?? "")
            cloud.runUntilIdle()
        }
        return (cloud, ids)
    }

    private func names(_ response: APIResponse) -> [String] {
        response.body?["servers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test("ip and ip6 match fixed addresses as prefix regexes")
    func ipFilters() throws {
        var (cloud, _) = try cloudWithServers()
        #expect(names(API.call(&cloud, "GET", "/servers?ip=10.0.0.3")) == ["beta"])
        #expect(names(API.call(&cloud, "GET", "/servers?ip=10.0.0")) == ["gamma", "beta", "alpha"])
        #expect(names(API.call(&cloud, "GET", "/servers?ip=0.0.3")) == [])  // a prefix, not a substring
        #expect(names(API.call(&cloud, "GET", "/servers?ip6=fd00::4", headers: ["OpenStack-API-Version": "compute 2.5"])) == ["gamma"])
        #expect(names(API.call(&cloud, "GET", "/servers?ip6=fd00::4")).count == 3)  // ip6 needs 2.5
    }

    @Test("sort keys and directions order the list, with id breaking ties")
    func sorting() throws {
        var (cloud, _) = try cloudWithServers()
        #expect(names(API.call(&cloud, "GET", "/servers?sort_key=display_name&sort_dir=asc")) == ["alpha", "beta", "gamma"])
        #expect(names(API.call(&cloud, "GET", "/servers?sort_key=created_at&sort_dir=asc")) == ["alpha", "beta", "gamma"])
        #expect(
            API.call(&cloud, "GET", "/servers?sort_key=display_name&sort_dir=up").bodyText
                == #"{"badRequest":{"code":400,"message":"Unknown sort direction, must be 'desc' or 'asc'"}}"#)
        #expect(API.call(&cloud, "GET", "/servers?sort_key=host").status == 403)
    }

    @Test("changes-since lists recently deleted servers as DELETED; soft-deleted servers are hidden from plain lists")
    func changesSinceAndDeletedServers() throws {
        var (cloud, ids) = try cloudWithServers()
        try cloud.advance(by: .seconds(1))  // the wall-clock text is whole seconds: step past the last update
        let since = cloud.wallClockTime
        try cloud.advance(by: .seconds(10))
        #expect(API.call(&cloud, "DELETE", "/servers/\(ids[0])").status == 204)  // soft delete: reclaim interval set
        try cloud.advance(by: .seconds(10))
        #expect(names(API.call(&cloud, "GET", "/servers")) == ["gamma", "beta"])
        #expect(API.call(&cloud, "GET", "/servers/\(ids[0])").body?.value(at: "server.status") == "SOFT_DELETED")
        try cloud.advance(by: .hours(2))  // reclaimed
        let changed = API.call(&cloud, "GET", "/servers/detail?changes-since=\(since)")
        #expect(changed.body?["servers"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["DELETED"])
        #expect(
            API.call(&cloud, "GET", "/servers?changes-since=yesterday").bodyText
                == #"{"badRequest":{"code":400,"message":"Invalid input for query parameters changes-since. Value: yesterday. 'yesterday' is not a 'date-time'"}}"#
        )
        #expect(names(API.call(&cloud, "GET", "/servers?status=DELETED", project: "ops", roles: ["admin"])) == [])  // other project without all_tenants
        #expect(names(API.call(&cloud, "GET", "/servers?status=DELETED&all_tenants=1", project: "ops", roles: ["admin"])) == ["alpha"])
    }

    @Test("an unknown status is an empty list before 2.38 and a 400 from 2.38")
    func unknownStatusByMicroversion() throws {
        var (cloud, _) = try cloudWithServers()
        #expect(API.call(&cloud, "GET", "/servers?status=WHATEVER").bodyText == #"{"servers":[]}"#)
        #expect(
            API.call(&cloud, "GET", "/servers?status=WHATEVER", headers: ["OpenStack-API-Version": "compute 2.38"]).bodyText
                == #"{"badRequest":{"code":400,"message":"Invalid status value"}}"#)
    }

    @Test("a full page gets a next link with the query sorted and the marker replaced, even at the end")
    func fullPagesGetNextLinks() throws {
        var (cloud, _) = try cloudWithServers()
        let page = API.call(&cloud, "GET", "/v2.1/demo/servers/detail?limit=3&name=a")
        let last = try #require(page.body?.value(at: "servers.2.id")?.stringValue)
        #expect(page.body?.value(at: "servers_links.0.href")?.stringValue == "http://compute.sim/v2.1/demo/servers/detail?limit=3&marker=\(last)&name=a")
        #expect(API.call(&cloud, "GET", "/servers?limit=4").body?["servers_links"] == nil)
        #expect(API.call(&cloud, "GET", "/servers?limit=0").bodyText == #"{"servers":[]}"#)
    }

    @Test("a body over 114688 bytes is 413")
    func oversizedBodies() throws {
        var cloud = try ComputeCloud()
        let huge = "{\"server\": {\"name\": \"" + String(repeating: "x", count: 120_000) + "\"}}"
        #expect(API.call(&cloud, "POST", "/servers", huge).bodyText == #"{"overLimit":{"code":413,"message":"Request is too large."}}"#)
    }
}

struct ISO8601Tests {
    @Test(
        "ISO 8601 timestamps parse to simulated time",
        arguments: [
            ("2026-01-01T00:00:00Z", Int64(0)), ("2026-01-01T00:01:30Z", 90_000_000_000), ("2026-01-01T00:00:00.5Z", 500_000_000),
            ("2026-01-01T01:00:00+01:00", 0), ("2026-01-01 00:00:10", 10_000_000_000), ("2025-12-31T23:59:59Z", -1_000_000_000),
            ("2028-02-29T00:00:00Z", 68_169_600_000_000_000),  // 365 + 365 + 31 + 28 days
        ])
    func timestampsParse(text: String, nanoseconds: Int64) {
        #expect(WallClock.defaultEpoch.time(parsingISO8601: text) == SimTime(nanosecondsSinceStart: nanoseconds))
    }

    @Test(
        "malformed timestamps are refused",
        arguments: ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk"])
    func malformedTimestamps(text: String) {
        #expect(WallClock.defaultEpoch.time(parsingISO8601: text) == nil)
    }

    @Test("formatting and parsing round-trip")
    func roundTrip() {
        var random = DeterministicRandom(seed: 3)
        for _ in 0..<200 {
            let time = SimTime(.seconds(random.next(in: -1_000_000_000...3_000_000_000)))
            #expect(WallClock.defaultEpoch.time(parsingISO8601: WallClock.defaultEpoch.iso8601(at: time)) == time)
        }
    }
}

struct APINetworkTests {
    private func create(_ cloud: inout ComputeCloud, networks: String?, count: Int = 1, version: String = "2.1") -> APIResponse {
        let field = networks.map { #", "networks": \#($0)"# } ?? ""
        return API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "n", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "max_count": \#(count)\#(field)}}"#,
            headers: ["OpenStack-API-Version": "compute \(version)"])
    }

    @Test("a requested fixed IP is honoured, and refused when taken or outside the subnet")
    func fixedIPs() throws {
        var cloud = try ComputeCloud()
        let network = #"[{"uuid": "3cb9bc59-5699-4588-a4b1-b87f96708bc6", "fixed_ip": "10.0.0.42"}]"#
        let id = try #require(create(&cloud, networks: network).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        #expect(
            API.call(&cloud, "GET", "/servers/\(id)/ips").bodyText
                == #"{"addresses":{"private":[{"addr":"10.0.0.42","version":4},{"addr":"fd00::2a","version":6}]}}"#)
        #expect(
            create(&cloud, networks: network).bodyText
                == #"{"badRequest":{"code":400,"message":"Fixed IP address 10.0.0.42 is already in use on instance \#(id)."}}"#)
        #expect(create(&cloud, networks: #"[{"uuid": "3cb9bc59-5699-4588-a4b1-b87f96708bc6", "fixed_ip": "192.168.1.5"}]"#).status == 400)
        #expect(
            create(&cloud, networks: network, count: 2).bodyText
                == #"{"badRequest":{"code":400,"message":"Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified."}}"#)
        #expect(create(&cloud, networks: #"[{"uuid": "3cb9bc59-5699-4588-a4b1-b87f96708bc6", "fixed_ip": "fd00::2b"}]"#).status == 202)
    }

    @Test("networks follow nova-facts 9: required from 2.37, auto and none, bad formats named")
    func networkFormats() throws {
        var cloud = try ComputeCloud()
        #expect(
            create(&cloud, networks: nil, version: "2.37").bodyText
                == #"{"badRequest":{"code":400,"message":"Invalid input for field/attribute server. 'networks' is a required property"}}"#)
        let none = try #require(create(&cloud, networks: #""none""#, version: "2.37").body?.value(at: "server.id")?.stringValue)
        #expect(create(&cloud, networks: #""auto""#, version: "2.37").status == 202)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "GET", "/servers/\(none)").body?.value(at: "server.addresses") == [:])
        #expect(create(&cloud, networks: #"[{"port": "p1"}]"#).bodyText == #"{"badRequest":{"code":400,"message":"Port p1 could not be found."}}"#)
        #expect(
            create(&cloud, networks: #"[{"port": "p1", "fixed_ip": "10.0.0.9"}]"#).bodyText
                == #"{"badRequest":{"code":400,"message":"Specified Fixed IP '10.0.0.9' cannot be used with port 'p1': the two cannot be specified together."}}"#
        )
        #expect(
            create(&cloud, networks: #"[{"fixed_ip": "10.0.0.9"}]"#).bodyText == #"{"badRequest":{"code":400,"message":"Bad network format: missing 'uuid'"}}"#)
        #expect(
            create(&cloud, networks: #"[{"uuid": "00000000-0000-0000-0000-000000000000"}]"#).bodyText
                == #"{"badRequest":{"code":400,"message":"Network 00000000-0000-0000-0000-000000000000 could not be found."}}"#)
        #expect(
            create(&cloud, networks: #"[{"uuid": "net"}]"#).bodyText
                == #"{"badRequest":{"code":400,"message":"Bad networks format: network uuid is not in proper format (net)"}}"#)
        #expect(create(&cloud, networks: #"["x"]"#).bodyText == #"{"badRequest":{"code":400,"message":"Bad networks format"}}"#)
    }
}

struct APIMicroversionTests {
    @Test("views follow the requested microversion: locked (2.9), description (2.19), embedded flavor (2.47)")
    func viewsFollowTheMicroversion() throws {
        var cloud = try ComputeCloud()
        let v219 = ["OpenStack-API-Version": "compute 2.19"]
        let id = try #require(
            API.call(
                &cloud, "POST", "/servers",
                #"{"server": {"name": "d", "description": "my box", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#, headers: v219
            ).body?.value(at: "server.id")?.stringValue)
        let old = API.call(&cloud, "GET", "/servers/\(id)")
        #expect(old.body?.value(at: "server.locked") == nil && old.body?.value(at: "server.description") == nil)
        #expect(old.body?.value(at: "server.flavor.links.0.rel") == "bookmark")
        let mid = API.call(&cloud, "GET", "/servers/\(id)", headers: v219)
        #expect(mid.body?.value(at: "server.locked") == false && mid.body?.value(at: "server.description") == "my box")
        let new = API.call(&cloud, "GET", "/servers/\(id)", headers: ["OpenStack-API-Version": "compute 2.47"])
        #expect(
            new.body?.value(at: "server.flavor") == [
                "vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "swap": 0, "original_name": "m1.tiny", "extra_specs": [:],
            ])
        let renamed = API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"description": "renamed"}}"#, headers: v219)
        #expect(renamed.body?.value(at: "server.description") == "renamed")
    }

    @Test("createImage answers with a Location before 2.45 and with the image id from 2.45")
    func createImageByMicroversion() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        let old = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"createImage": {"name": "a"}}"#)
        #expect(old.body == nil && old.headers["Location"] != nil)
        cloud.runUntilIdle()
        let new = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"createImage": {"name": "b"}}"#, headers: ["OpenStack-API-Version": "compute 2.45"])
        #expect(new.headers["Location"] == nil)
        let image = try #require(new.body?["image_id"]?.stringValue)
        #expect(API.call(&cloud, "GET", "/images/\(image)").body?.value(at: "image.name") == "b")
    }
}

struct APICreateFieldTests {
    private func create(_ cloud: inout ComputeCloud, _ extra: String) -> APIResponse {
        API.call(&cloud, "POST", "/servers", #"{"server": {"name": "f", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"\#(extra)}}"#)
    }

    @Test("diskConfig, key_name, user_data and security_groups are checked as Nova checks them")
    func createFieldsAreChecked() throws {
        var cloud = try ComputeCloud()
        let auto = create(&cloud, #", "OS-DCF:diskConfig": "AUTO""#)
        #expect(auto.body?.value(at: "server.OS-DCF:diskConfig") == "AUTO")
        let id = try #require(auto.body?.value(at: "server.id")?.stringValue)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.OS-DCF:diskConfig") == "AUTO")
        #expect(
            create(&cloud, #", "OS-DCF:diskConfig": "SOMETIMES""#).bodyText
                == #"{"badRequest":{"code":400,"message":"Invalid input for field/attribute OS-DCF:diskConfig. Value: SOMETIMES. 'SOMETIMES' is not one of ['AUTO', 'MANUAL']"}}"#
        )
        #expect(create(&cloud, #", "key_name": "mykey""#).bodyText == #"{"badRequest":{"code":400,"message":"Invalid key_name provided."}}"#)
        #expect(create(&cloud, #", "user_data": "IyEvYmluL2Jhc2gK""#).status == 202)
        #expect(create(&cloud, #", "user_data": "not base64!""#).status == 400)
        #expect(
            create(&cloud, #", "security_groups": [{"name": "default"}, {"name": "default"}]"#).body?.value(at: "server.security_groups") == [
                ["name": "default"], ["name": "default"],
            ])
        #expect(
            create(&cloud, #", "security_groups": [{"name": "web"}]"#).bodyText
                == #"{"badRequest":{"code":400,"message":"Security group web not found for project demo."}}"#)
    }

    @Test("links are built on the configured base URL")
    func linksUseTheConfiguredBaseURL() throws {
        var configuration = CloudConfiguration()
        configuration.apiBaseURL = "https://cloud.example.test:8774"
        var cloud = try ComputeCloud(configuration: configuration)
        let created = create(&cloud, "")
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        #expect(created.headers["Location"] == "https://cloud.example.test:8774/v2.1/servers/\(id)")
    }
}

struct APIAdminViewTests {
    @Test("admins see 2.3 extended attributes and 2.16 host_status; owners do not")
    func adminAttributes() throws {
        var cloud = try ComputeCloud()
        let body =
            #"{"server": {"name": "Web Server #1", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "min_count": 2, "user_data": "IyEvYmluL2Jhc2gK"}}"#
        _ = API.call(&cloud, "POST", "/servers", body)
        cloud.runUntilIdle()
        let v216 = ["OpenStack-API-Version": "compute 2.16"]
        let list = API.call(&cloud, "GET", "/servers/detail?all_tenants=1&sort_key=display_name&sort_dir=asc", project: "ops", roles: ["admin"], headers: v216)
        let first = try #require(list.body?.value(at: "servers.0"))
        #expect(first["OS-EXT-SRV-ATTR:reservation_id"]?.stringValue?.count == 10)
        #expect(first["OS-EXT-SRV-ATTR:reservation_id"] == list.body?.value(at: "servers.1.OS-EXT-SRV-ATTR:reservation_id"))
        #expect(first["OS-EXT-SRV-ATTR:launch_index"] == 0 && list.body?.value(at: "servers.1.OS-EXT-SRV-ATTR:launch_index") == 1)
        #expect(first["OS-EXT-SRV-ATTR:hostname"] == "web-server--1-1")
        #expect(first["OS-EXT-SRV-ATTR:user_data"] == "IyEvYmluL2Jhc2gK")
        #expect(first["OS-EXT-SRV-ATTR:root_device_name"] == "/dev/vda")
        #expect(first["host_status"] == "UP")
        #expect(first["OS-SRV-USG:launched_at"]?.stringValue?.contains(".") == true)  // microseconds when non-zero
        let owner = API.call(&cloud, "GET", "/servers/detail", headers: v216)
        #expect(owner.body?.value(at: "servers.0.host_status") == nil && owner.body?.value(at: "servers.0.OS-EXT-SRV-ATTR:user_data") == nil)
        let old = API.call(&cloud, "GET", "/servers/detail?all_tenants=1", project: "ops", roles: ["admin"])
        #expect(old.body?.value(at: "servers.0.OS-EXT-SRV-ATTR:reservation_id") == nil && old.body?.value(at: "servers.0.host_status") == nil)
    }

    @Test("launched_at shows microseconds only when they are not zero")
    func launchedAtMicroseconds() {
        #expect(WallClock.defaultEpoch.isoMicroseconds(at: SimTime(.seconds(35))) == "2026-01-01T00:00:35")
        #expect(WallClock.defaultEpoch.isoMicroseconds(at: SimTime(.microseconds(35_880_302))) == "2026-01-01T00:00:35.880302")
    }
}

struct APIFaultViewTests {
    @Test("faults show details only to admins or when the code is not 500")
    func faultDetails() throws {
        var configuration = CloudConfiguration()
        configuration.faults.fatalBuildFailure = 1
        var cloud = try ComputeCloud(configuration: configuration)
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        let owner = API.call(&cloud, "GET", "/servers/\(id)")
        #expect(owner.body?.value(at: "server.fault.code") == 500 && owner.body?.value(at: "server.fault.details") == nil)
        #expect(owner.body?.value(at: "server.fault.message") == .string("Build of instance \(id) aborted: injected build failure"))
        let admin = API.call(&cloud, "GET", "/servers/\(id)", project: "ops", roles: ["admin"])
        #expect(admin.body?.value(at: "server.fault.details") != nil)
        var weak = try ComputeCloud()
        let other = try #require(
            API.call(
                &weak, "POST", "/servers",
                #"{"server": {"name": "w", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "adminPass": "weak"}}"#
            ).body?.value(at: "server.id")?.stringValue)
        weak.runUntilIdle()
        #expect(API.call(&weak, "GET", "/servers/\(other)").body?.value(at: "server.fault.details")?.stringValue?.hasPrefix("The admin password") == true)
    }
}
