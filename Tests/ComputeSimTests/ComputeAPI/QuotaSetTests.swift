import Testing

@testable import ComputeSim

/// `os-quota-sets`: a project's limits, shown to its members, set by administrators, and the
/// ones the create checks and `/limits` use.
struct QuotaSetTests {
    static func call(_ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, admin: Bool = false, version: String = "2.1")
        -> APIResponse
    {
        API.call(&cloud, method, path, body, admin: admin, version: version)
    }

    /// Nova's defaults by resource name, with the project's id.
    static func defaults(id: String?, legacy: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("cores", 20), ("injected_file_content_bytes", 10240), ("injected_file_path_bytes", 255), ("injected_files", 5), ("instances", 10),
            ("key_pairs", 100), ("metadata_items", 128), ("ram", 51200), ("server_group_members", 10), ("server_groups", 10),
        ]
        if let id { fields.append(("id", .string(id))) }
        if legacy { fields += [("fixed_ips", -1), ("floating_ips", -1), ("security_group_rules", -1), ("security_groups", -1)] }
        return ["quota_set": .object(fields)]
    }

    @Test("show and defaults answer Nova's defaults, with the nova-network quotas until 2.35")
    func showAndDefaults() throws {
        var cloud = try ComputeCloud()
        #expect(Self.call(&cloud, "GET", "/os-quota-sets/demo").body == Self.defaults(id: "demo", legacy: true))
        #expect(Self.call(&cloud, "GET", "/os-quota-sets/demo", version: "2.36").body == Self.defaults(id: "demo", legacy: false))
        #expect(Self.call(&cloud, "GET", "/os-quota-sets/other/defaults", version: "2.36").body == Self.defaults(id: "other", legacy: false))
        #expect(
            Self.call(&cloud, "GET", "/os-quota-sets/other").body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed."]])
    }

    @Test("an administrator's update is shown, enforced on create and reported by /limits; delete returns to the defaults")
    func updateIsEnforced() throws {
        var cloud = try ComputeCloud()
        _ = try cloud.createServers(Lab.request(), as: Lab.me)  // flavor 2: 1 vCPU, 2048 MiB
        let update = Self.call(&cloud, "PUT", "/os-quota-sets/demo", #"{"quota_set": {"instances": 2, "cores": "8", "floating_ips": 3}}"#, admin: true)
        #expect(update.status == 200)
        #expect(update.body?["quota_set"]?["instances"] == 2 && update.body?["quota_set"]?["cores"] == 8)
        #expect(update.body?["quota_set"]?["floating_ips"] == 3 && update.body?["quota_set"]?["id"] == nil)
        #expect(try cloud.quota(of: "demo", as: Lab.me).instances == 2)
        #expect(Self.call(&cloud, "GET", "/os-quota-sets/demo").body?["quota_set"]?["floating_ips"] == 3)
        let detail = Self.call(&cloud, "GET", "/os-quota-sets/demo/detail", version: "2.36").body?["quota_set"]
        #expect(detail?["instances"] == ["in_use": 1, "limit": 2, "reserved": 0])
        #expect(detail?["cores"] == ["in_use": 1, "limit": 8, "reserved": 0])
        #expect(detail?["ram"] == ["in_use": 2048, "limit": 51200, "reserved": 0])
        #expect(API.call(&cloud, "GET", "/limits").body?.value(at: "limits.absolute.maxTotalInstances") == 2)
        // The second server fits, the third is over the new limit.
        var two = Lab.request()
        two.minCount = 2
        two.maxCount = 2
        #expect(throws: CloudError.self) { _ = try cloud.createServers(two, as: Lab.me) }
        _ = try cloud.createServers(Lab.request(), as: Lab.me)
        // Below what is used: refused unless forced.
        let below = Self.call(&cloud, "PUT", "/os-quota-sets/demo", #"{"quota_set": {"instances": 1}}"#, admin: true)
        #expect(
            below.body
                == ["badRequest": ["code": 400, "message": "Quota limit 1 for instances must be greater than or equal to already used and reserved 2."]])
        #expect(Self.call(&cloud, "PUT", "/os-quota-sets/demo", #"{"quota_set": {"instances": 1, "force": "True"}}"#, admin: true).status == 200)
        #expect(Self.call(&cloud, "DELETE", "/os-quota-sets/demo", admin: true).status == 202)
        #expect(Self.call(&cloud, "GET", "/os-quota-sets/demo").body == Self.defaults(id: "demo", legacy: true))
    }

    @Test(
        "bad bodies and callers are refused with Nova's messages, and nothing changes",
        arguments: [
            (
                #"{"quota_set": {"instances": "ten"}}"#, "2.1", true, 400,
                "Invalid input for field/attribute instances. Value: ten. 'ten' does not match '^-?[0-9]+$'"
            ),
            (
                #"{"quota_set": {"instances": -2}}"#, "2.1", true, 400,
                "Invalid input for field/attribute instances. Value: -2. -2 is less than the minimum of -1"
            ),
            (
                #"{"quota_set": {"cores": 2147483648}}"#, "2.1", true, 400,
                "Invalid input for field/attribute cores. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647"
            ),
            (#"{"quota_set": {"ram": 1.5}}"#, "2.1", true, 400, "Invalid input for field/attribute ram. Value: 1.5. 1.5 is not of type 'integer', 'string'"),
            (#"{"quota_set": {"ram": null}}"#, "2.1", true, 400, "Invalid input for field/attribute ram. Value: None. None is not of type 'integer', 'string'"),
            (
                #"{"quota_set": {"floating_ips": 1}}"#, "2.36", true, 400,
                #"Invalid input for field/attribute quota_set. Value: {"floating_ips":1}. Additional properties are not allowed ('floating_ips' was unexpected)"#
            ),
            (#"{"quota": {}}"#, "2.1", true, 400, "Additional properties are not allowed ('quota' was unexpected)"),
            (#"{"quota_set": {"instances": 5}}"#, "2.1", false, 403, "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed."),
        ])
    func refusals(body: String, version: String, admin: Bool, status: Int, message: String) throws {
        var cloud = try ComputeCloud()
        let response = Self.call(&cloud, "PUT", "/os-quota-sets/demo", body, admin: admin, version: version)
        #expect(response.status == status)
        #expect(response.body?.value(at: status == 403 ? "forbidden.message" : "badRequest.message") == .string(message))
        #expect(try cloud.quota(of: "demo", as: Lab.me) == Quota())
    }
}
