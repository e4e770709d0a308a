import Testing

@testable import ComputeSim

/// Flavors as administrators manage them: create, delete, description (2.55), extra specs
/// and access to private flavors, and what each does to servers and to what members see.
struct FlavorManageTests {
    static func call(_ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, admin: Bool = true, version: String = "2.1")
        -> APIResponse
    {
        API.call(&cloud, method, path, body, admin: admin, version: version)
    }

    static let tiny = #"{"flavor": {"name": "t1.small", "id": "t1", "ram": 1024, "vcpus": 1, "disk": 10}}"#

    @Test("an administrator creates a flavor and gets Nova's view of it; it is listed in id order and members can boot it")
    func create() throws {
        var cloud = try ComputeCloud()
        let created = Self.call(
            &cloud, "POST", "/flavors",
            #"{"flavor": {"name": "t1.small", "id": "t1", "ram": "1024", "vcpus": 2, "disk": 10, "swap": 512, "OS-FLV-EXT-DATA:ephemeral": 5, "rxtx_factor": 2.5, "description": "test tier"}}"#,
            version: "2.55")
        #expect(created.status == 200)
        #expect(
            created.body?["flavor"]?.canonicalText
                == #"{"OS-FLV-DISABLED:disabled":false,"OS-FLV-EXT-DATA:ephemeral":5,"description":"test tier","disk":10,"id":"t1","links":[{"href":"http://compute.sim/v2.1/flavors/t1","rel":"self"},{"href":"http://compute.sim/flavors/t1","rel":"bookmark"}],"name":"t1.small","os-flavor-access:is_public":true,"ram":1024,"rxtx_factor":2.5,"swap":512,"vcpus":2}"#
        )
        let flavor = try cloud.flavor("t1", as: Lab.me)
        #expect(flavor.claim == Resources(vcpus: 2, memoryMiB: 1024, diskGiB: 16) && flavor.description == "test tier")
        let ids = Self.call(&cloud, "GET", "/flavors", admin: false).body?["flavors"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids == ["1", "2", "3", "4", "5", "52415800-8b69-11e0-9b19-734f1195ff37", "t1"])
        let id = try Lab.active(&cloud, flavor: "t1")
        #expect(try cloud.server(id, as: Lab.me).status == .active && cloud.server(id, as: Lab.me).flavor.id == "t1")
        // Ids and names are unique.
        #expect(
            Self.call(&cloud, "POST", "/flavors", Self.tiny).body == ["conflictingRequest": ["code": 409, "message": "Flavor with ID t1 already exists."]])
        #expect(
            Self.call(&cloud, "POST", "/flavors", Self.tiny.replacingOccurrences(of: #""t1""#, with: #""t2""#)).body
                == ["conflictingRequest": ["code": 409, "message": "Flavor with name t1.small already exists."]])
    }

    @Test("a create without an id gets a UUID from the seeded id stream, the same in every run; a member's create draws none")
    func generatedIDs() throws {
        func make() throws -> (String?, String?) {
            var cloud = try ComputeCloud()
            #expect(Self.call(&cloud, "POST", "/flavors", #"{"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0}}"#, admin: false).status == 403)
            let first = Self.call(&cloud, "POST", "/flavors", #"{"flavor": {"name": "a", "ram": 1, "vcpus": 1, "disk": 0}}"#)
            let second = Self.call(&cloud, "POST", "/flavors", #"{"flavor": {"name": "b", "id": null, "ram": 1, "vcpus": 1, "disk": 0}}"#)
            return (first.body?.value(at: "flavor.id")?.stringValue, second.body?.value(at: "flavor.id")?.stringValue)
        }
        let (a, b) = try make()
        let (c, d) = try make()
        #expect(a?.count == 36 && b?.count == 36 && a != b)
        #expect(a == c && b == d)
        // A numeric id is kept as its text.
        var cloud = try ComputeCloud()
        #expect(
            Self.call(&cloud, "POST", "/flavors", #"{"flavor": {"name": "n", "id": 42, "ram": 1, "vcpus": 1, "disk": 0}}"#).body?.value(at: "flavor.id") == "42"
        )
    }

    @Test("a create body is checked as Nova's schema checks it, with jsonschema's words")
    func createValidation() throws {
        var cloud = try ComputeCloud()
        func message(_ flavor: String, version: String = "2.1") -> String? {
            Self.call(&cloud, "POST", "/flavors", #"{"flavor": \#(flavor)}"#, version: version).body?.value(at: "badRequest.message")?.stringValue
        }
        #expect(
            message(#"{"name": "a", "ram": 0, "vcpus": 1, "disk": 0}"#) == "Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1")
        #expect(
            message(#"{"name": "a", "ram": "abc", "vcpus": 1, "disk": 0}"#)
                == "Invalid input for field/attribute ram. Value: abc. 'abc' does not match '^[0-9]+$'")
        #expect(message(#"{"name": "a", "ram": "0", "vcpus": 1, "disk": 0}"#) == "Invalid input received: ram must be >= 1")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1.5, "disk": 0}"#)
                == "Invalid input for field/attribute vcpus. Value: 1.5. 1.5 is not of type 'integer', 'string'")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1, "disk": -1}"#)
                == "Invalid input for field/attribute disk. Value: -1. -1 is less than the minimum of 0")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1, "disk": 0, "swap": 2147483648}"#)
                == "Invalid input for field/attribute swap. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1}"#)
                == #"Invalid input for field/attribute flavor. Value: {"name":"a","ram":1,"vcpus":1}. 'disk' is a required property"#)
        #expect(
            message(#"{"name": " a", "ram": 1, "vcpus": 1, "disk": 0}"#)
                == "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.")
        #expect(
            message(#"{"name": "a", "id": "a/b", "ram": 1, "vcpus": 1, "disk": 0}"#)
                == "Invalid input for field/attribute id. Value: a/b. 'a/b' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1, "disk": 0, "rxtx_factor": 0}"#)
                == "Invalid input for field/attribute rxtx_factor. Value: 0. 0 is less than or equal to the minimum of 0")
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1, "disk": 0, "os-flavor-access:is_public": "maybe"}"#)?.hasPrefix(
                "Invalid input for field/attribute os-flavor-access:is_public. Value: maybe. 'maybe' is not one of [True,") == true)
        // The description is a member from 2.55 only.
        #expect(
            message(#"{"name": "a", "ram": 1, "vcpus": 1, "disk": 0, "description": "d"}"#, version: "2.54")
                == #"Invalid input for field/attribute flavor. Value: {"description":"d","disk":0,"name":"a","ram":1,"vcpus":1}. Additional properties are not allowed ('description' was unexpected)"#
        )
        #expect(cloud.flavors.count == 6)
        // The typed call checks the same values.
        #expect(throws: CloudError(.badRequest, "flavor z: vcpus must be between 1 and 1048576, got 0")) {
            try cloud.createFlavor(Flavor(id: "z", name: "z", vcpus: 0, memoryMiB: 1, diskGiB: 0), as: Lab.admin)
        }
        #expect(throws: CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")) {
            try cloud.createFlavor(Flavor(id: "z", name: "z", vcpus: 1, memoryMiB: 1, diskGiB: 0), as: Lab.me)
        }
    }

    @Test("deleting a flavor leaves its servers as they are, and a resize under way to it still ends at its size")
    func delete() throws {
        var cloud = try ComputeCloud()
        #expect(Self.call(&cloud, "POST", "/flavors", Self.tiny).status == 200)
        #expect(Self.call(&cloud, "POST", "/flavors", #"{"flavor": {"name": "t2", "id": "t2", "ram": 4096, "vcpus": 4, "disk": 20}}"#).status == 200)
        let id = try Lab.active(&cloud, flavor: "t1")
        _ = try cloud.perform(.resize(flavor: "t2"), on: id, as: Lab.me)
        #expect(Self.call(&cloud, "DELETE", "/flavors/t2", admin: false).status == 403)
        let deleted = Self.call(&cloud, "DELETE", "/flavors/t2")
        #expect(deleted.status == 202 && deleted.body == nil)
        cloud.runUntilIdle()
        var server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .verifyResize && server.flavor.id == "t2" && server.flavor.vcpus == 4)
        #expect(cloud.hostPool.usage(of: try #require(server.host))?.used.vcpus == 4)
        // The migration record keeps the flavors' row ids (7 and 8, after the catalog's 6).
        let migration = Self.call(&cloud, "GET", "/os-migrations").body?.value(at: "migrations.0")
        #expect(migration?["old_instance_type_id"] == 7 && migration?["new_instance_type_id"] == 8)
        // Revert goes back to the flavor it had, even after that one is deleted too.
        #expect(Self.call(&cloud, "DELETE", "/flavors/t1").status == 202)
        _ = try Lab.run(&cloud, .revertResize, on: id)
        server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .active && server.flavor.id == "t1" && server.flavor.memoryMiB == 1024)
        #expect(cloud.checkInvariants().isEmpty)
        // Gone from the catalog: show is 404, create and resize are Nova's 400.
        #expect(Self.call(&cloud, "GET", "/flavors/t1").body == ["itemNotFound": ["code": 404, "message": "Flavor t1 could not be found."]])
        #expect(Self.call(&cloud, "DELETE", "/flavors/t1").body == ["itemNotFound": ["code": 404, "message": "Flavor t1 could not be found."]])
        #expect(throws: CloudError(.badRequest, "Flavor t1 could not be found.")) { try cloud.createServers(Lab.request(flavor: "t1"), as: Lab.me) }
        // The server's own view still names it (2.47 embeds the server's copy).
        let view = Self.call(&cloud, "GET", "/servers/\(id)", admin: false, version: "2.47")
        #expect(view.body?.value(at: "server.flavor.original_name") == "t1.small" && view.body?.value(at: "server.flavor.ram") == 1024)
    }

    @Test("extra specs are merged, set one by one, read and deleted by administrators; servers keep the specs they were built with")
    func extraSpecs() throws {
        var cloud = try ComputeCloud()
        #expect(Self.call(&cloud, "POST", "/flavors", Self.tiny).status == 200)
        let id = try Lab.active(&cloud, flavor: "t1")
        let set = Self.call(&cloud, "POST", "/flavors/t1/os-extra_specs", #"{"extra_specs": {"hw:cpu_policy": "dedicated", "quota:cpu_shares": 1024}}"#)
        #expect(set.status == 200 && set.bodyText == #"{"extra_specs":{"hw:cpu_policy":"dedicated","quota:cpu_shares":1024}}"#)
        #expect(
            Self.call(&cloud, "GET", "/flavors/t1/os-extra_specs", admin: false).bodyText
                == #"{"extra_specs":{"hw:cpu_policy":"dedicated","quota:cpu_shares":"1024"}}"#)
        #expect(Self.call(&cloud, "PUT", "/flavors/t1/os-extra_specs/hw:cpu_policy", #"{"hw:cpu_policy": "shared"}"#).status == 200)
        #expect(
            Self.call(&cloud, "PUT", "/flavors/t1/os-extra_specs/hw:cpu_policy", #"{"other": "x"}"#).body
                == ["badRequest": ["code": 400, "message": "Request body and URI mismatch"]])
        #expect(
            Self.call(&cloud, "PUT", "/flavors/t1/os-extra_specs/a", #"{"a": "x", "b": "y"}"#).body?.value(at: "badRequest.message")
                == #"{"a":"x","b":"y"} has too many properties"#)
        #expect(
            Self.call(&cloud, "POST", "/flavors/t1/os-extra_specs", #"{"extra_specs": {"bad/key": "x"}}"#).body?.value(at: "badRequest.message")
                == "Invalid input for field/attribute extra_specs. Value: bad/key. 'bad/key' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
        #expect(
            Self.call(&cloud, "POST", "/flavors/t1/os-extra_specs", #"{"extra_specs": {"a": "b"}}"#, admin: false).body?.value(at: "forbidden.message")
                == "Policy doesn't allow os_compute_api:os-flavor-extra-specs:create to be performed.")
        #expect(Self.call(&cloud, "GET", "/flavors/t1/os-extra_specs/hw:cpu_policy").bodyText == #"{"hw:cpu_policy":"shared"}"#)
        #expect(Self.call(&cloud, "DELETE", "/flavors/t1/os-extra_specs/quota:cpu_shares").status == 200)
        #expect(
            Self.call(&cloud, "DELETE", "/flavors/t1/os-extra_specs/quota:cpu_shares").body
                == ["itemNotFound": ["code": 404, "message": "Flavor t1 has no extra specs with key quota:cpu_shares."]])
        #expect(try cloud.flavorExtraSpecs("t1", as: Lab.me) == ["hw:cpu_policy": "shared"])
        // The server built before keeps the flavor it was built with; a new one gets the specs.
        #expect(try cloud.server(id, as: Lab.me).flavor.extraSpecs.isEmpty)
        let later = try Lab.active(&cloud, "later", flavor: "t1")
        #expect(try cloud.server(later, as: Lab.me).flavor.extraSpecs == ["hw:cpu_policy": "shared"])
        // From 2.61 the flavor views carry the specs.
        // (Past the facade's maximum, so through the router.)
        let later61 = try cloud.route(API.request("GET", "/flavors/t1"), version: Microversion(2, 61))
        #expect(later61.body?.value(at: "flavor.extra_specs") == ["hw:cpu_policy": "shared"])
        #expect(Self.call(&cloud, "GET", "/flavors/t1", version: "2.56").body?.value(at: "flavor.extra_specs") == nil)
    }

    @Test("a private flavor is seen and used only by administrators and the projects it is shared with")
    func privateFlavors() throws {
        var cloud = try ComputeCloud()
        let body = #"{"flavor": {"name": "gpu", "id": "gpu", "ram": 1024, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": false}}"#
        #expect(Self.call(&cloud, "POST", "/flavors", body).body?.value(at: "flavor.os-flavor-access:is_public") == false)
        func memberSees() -> Bool {
            Self.call(&cloud, "GET", "/flavors/detail", admin: false).body?["flavors"]?.arrayValue?.contains { $0["id"] == "gpu" } == true
        }
        #expect(!memberSees())
        #expect(Self.call(&cloud, "GET", "/flavors/gpu", admin: false).status == 404)
        #expect(throws: CloudError(.badRequest, "Flavor gpu could not be found.")) { try cloud.createServers(Lab.request(flavor: "gpu"), as: Lab.me) }
        // Administrators see it only when they ask for private or all flavors.
        func adminIDs(_ query: String) -> [String]? {
            Self.call(&cloud, "GET", "/flavors" + query).body?["flavors"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        }
        #expect(adminIDs("")?.contains("gpu") == false)
        #expect(adminIDs("?is_public=false") == ["gpu"])
        #expect(adminIDs("?is_public=None")?.count == 7)
        #expect(Self.call(&cloud, "GET", "/flavors?is_public=maybe").body == ["badRequest": ["code": 400, "message": "Invalid is_public filter [maybe]"]])
        // Sharing it with demo.
        #expect(Self.call(&cloud, "GET", "/flavors/gpu/os-flavor-access").bodyText == #"{"flavor_access":[]}"#)
        let added = Self.call(&cloud, "POST", "/flavors/gpu/action", #"{"addTenantAccess": {"tenant": "demo"}}"#)
        #expect(added.status == 200 && added.bodyText == #"{"flavor_access":[{"flavor_id":"gpu","tenant_id":"demo"}]}"#)
        #expect(
            Self.call(&cloud, "POST", "/flavors/gpu/action", #"{"addTenantAccess": {"tenant": "demo"}}"#).body
                == ["conflictingRequest": ["code": 409, "message": "Flavor access already exists for flavor gpu and project demo combination."]])
        #expect(memberSees())
        let id = try Lab.active(&cloud, flavor: "gpu")
        #expect(try cloud.server(id, as: Lab.me).status == .active)
        #expect(cloud.visibleFlavors(as: Lab.me).map(\.id).contains("gpu"))
        #expect(
            Self.call(&cloud, "GET", "/flavors/gpu/os-flavor-access", admin: false).body?.value(at: "forbidden.message")
                == "Policy doesn't allow os_compute_api:os-flavor-access to be performed.")
        // Removing access: the server keeps running, the flavor is hidden again.
        #expect(Self.call(&cloud, "POST", "/flavors/gpu/action", #"{"removeTenantAccess": {"tenant": "demo"}}"#).bodyText == #"{"flavor_access":[]}"#)
        #expect(
            Self.call(&cloud, "POST", "/flavors/gpu/action", #"{"removeTenantAccess": {"tenant": "demo"}}"#).body
                == ["itemNotFound": ["code": 404, "message": "Flavor access not found for gpu / demo combination."]])
        let status = try cloud.server(id, as: Lab.me).status
        #expect(!memberSees() && status == .active)
        // Public flavors have no access list; from 2.7 none can be added.
        #expect(
            Self.call(&cloud, "GET", "/flavors/1/os-flavor-access").body
                == ["itemNotFound": ["code": 404, "message": "Access list not available for public flavors."]])
        #expect(
            Self.call(&cloud, "POST", "/flavors/1/action", #"{"addTenantAccess": {"tenant": "demo"}}"#, version: "2.7").body
                == ["conflictingRequest": ["code": 409, "message": "Can not add access to a public flavor."]])
        #expect(Self.call(&cloud, "POST", "/flavors/1/action", #"{"addTenantAccess": {"tenant": "demo"}}"#, version: "2.6").status == 200)
        #expect(
            Self.call(&cloud, "POST", "/flavors/1/action", #"{"grant": {"tenant": "demo"}}"#).body
                == ["badRequest": ["code": 400, "message": "There is no such action: grant"]])
    }

    @Test("the list filters by minRam and minDisk, sorts by any of Nova's keys and pages with a marker and a next link")
    func listing() throws {
        var cloud = try ComputeCloud()
        func ids(_ query: String) -> [String]? {
            Self.call(&cloud, "GET", "/flavors" + query, admin: false).body?["flavors"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        }
        #expect(ids("?minRam=4096") == ["3", "4", "5", "52415800-8b69-11e0-9b19-734f1195ff37"])
        #expect(ids("?minDisk=80&minRam=1") == ["4", "5"])
        #expect(ids("?sort_key=memory_mb&sort_dir=desc") == ["5", "4", "52415800-8b69-11e0-9b19-734f1195ff37", "3", "2", "1"])
        // Ties fall back to creation order, in the same direction (Nova's second sort key).
        #expect(ids("?sort_key=name") == ["4", "3", "2", "1", "5", "52415800-8b69-11e0-9b19-734f1195ff37"])
        let page = Self.call(&cloud, "GET", "/flavors/detail?limit=2&marker=2", admin: false)
        #expect(page.body?["flavors"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["3", "4"])
        #expect(page.body?.value(at: "flavors_links.0.href") == "http://compute.sim/v2.1/flavors/detail?limit=2&marker=4")
        #expect(ids("?limit=2&marker=5") == ["52415800-8b69-11e0-9b19-734f1195ff37"])
        #expect(Self.call(&cloud, "GET", "/flavors?limit=2&marker=5").body?["flavors_links"] == nil)
        #expect(Self.call(&cloud, "GET", "/flavors?marker=nope").body == ["badRequest": ["code": 400, "message": "marker [nope] not found"]])
        #expect(Self.call(&cloud, "GET", "/flavors?minRam=lots").body == ["badRequest": ["code": 400, "message": "Invalid minRam filter [lots]"]])
        #expect(
            Self.call(&cloud, "GET", "/flavors?sort_dir=up").body?.value(at: "badRequest.message")
                == "Invalid input for query parameters sort_dir. Value: up. 'up' is not one of ['asc', 'desc']")
    }

    @Test("from 2.55 an administrator sets and clears a flavor's description; before 2.55 there is no such call")
    func description() throws {
        var cloud = try ComputeCloud()
        let updated = Self.call(&cloud, "PUT", "/flavors/1", #"{"flavor": {"description": "smallest"}}"#, version: "2.55")
        #expect(updated.status == 200 && updated.body?.value(at: "flavor.description") == "smallest")
        #expect(Self.call(&cloud, "GET", "/flavors", admin: false, version: "2.55").body?.value(at: "flavors.0.description") == "smallest")
        #expect(Self.call(&cloud, "PUT", "/flavors/1", #"{"flavor": {"description": null}}"#, version: "2.55").body?.value(at: "flavor.description") == .null)
        #expect(Self.call(&cloud, "PUT", "/flavors/1", #"{"flavor": {"description": "x"}}"#, version: "2.54").status == 404)
        #expect(
            Self.call(&cloud, "PUT", "/flavors/1", #"{"flavor": {"name": "x"}}"#, version: "2.55").body?.value(at: "badRequest.message")
                == #"Invalid input for field/attribute flavor. Value: {"name":"x"}. 'description' is a required property"#)
        #expect(
            Self.call(&cloud, "PUT", "/flavors/1", #"{"flavor": {"description": "x"}}"#, admin: false, version: "2.55").body?.value(at: "forbidden.message")
                == "Policy doesn't allow os_compute_api:os-flavor-manage:update to be performed.")
        #expect(Self.call(&cloud, "PUT", "/flavors/nope", #"{"flavor": {"description": "x"}}"#, version: "2.55").status == 404)
    }
}
