import Testing

@testable import ComputeSim

/// Response bodies carry exactly the members Nova's schema (and Tempest's response schemas,
/// `additionalProperties: false`) has at the requested microversion.
struct ResponseShapeTests {
    static func version(_ minor: Int) -> [String: String] { ["OpenStack-API-Version": "compute 2.\(minor)"] }

    static func keys(_ value: JSONValue?) -> [String] { (value?.objectValue ?? []).map(\.0).sorted() }

    static let updateKeys = [
        "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "addresses", "created", "flavor", "hostId", "id", "image", "links", "metadata", "name",
        "progress", "status", "tenant_id", "updated", "user_id",
    ]

    @Test("the update response is Nova's reduced view: no extended attributes, addresses of version and addr only")
    func updateResponseShape() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let plain = API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"name": "renamed"}}"#)
        #expect(plain.status == 200)
        #expect(Self.keys(plain.body?["server"]) == Self.updateKeys)
        let address = try #require(plain.body?.value(at: "server.addresses.private.0"))
        #expect(Self.keys(address) == ["addr", "version"])
        let admin = API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"name": "again"}}"#, project: "admin", roles: [.admin], headers: Self.version(19))
        #expect(Self.keys(admin.body?["server"]) == (Self.updateKeys + ["description", "locked"]).sorted())
    }

    @Test("the rebuild response adds adminPass, tags from 2.26 (Nova's show view has them) and key_name from 2.54")
    func rebuildResponseShape() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let body = #"{"rebuild": {"imageRef": "\#(ComputeCloud.cirros)"}}"#
        let at53 = API.call(&cloud, "POST", "/servers/\(id)/action", body, headers: Self.version(53))
        #expect(at53.status == 202)
        #expect(Self.keys(at53.body?["server"]) == (Self.updateKeys + ["adminPass", "description", "locked", "tags"]).sorted())
        cloud.runUntilIdle()
        let at54 = API.call(&cloud, "POST", "/servers/\(id)/action", body, headers: Self.version(54))
        let keys54 = Self.keys(at54.body?["server"])
        #expect(keys54.contains("key_name"))
        #expect(at54.body?.value(at: "server.key_name") == .null)
    }

    /// Whether every object in `value` has its members in the canonical (UTF-8 byte) order.
    static func inCanonicalOrder(_ value: JSONValue?) -> Bool {
        switch value {
        case .object(let members)?:
            let names = members.map(\.0)
            return zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                && members.allSatisfy { inCanonicalOrder($0.1) }
        case .array(let elements)?: return elements.allSatisfy { inCanonicalOrder($0) }
        default: return true
        }
    }

    /// A cloud with one server lost with its host (ERROR, with a fault), one ACTIVE with
    /// metadata and one still building.
    static func viewLab() throws -> (cloud: ComputeCloud, ids: [String]) {
        var cloud = try ComputeCloud()
        func create(_ name: String) throws -> String {
            let body = #"{"server": {"name": "\#(name)", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1"}}"#
            return try #require(API.call(&cloud, "POST", "/servers", body).body?.value(at: "server.id")?.stringValue)
        }
        let failed = try create("f")
        cloud.runUntilIdle()
        let host = try #require(
            API.call(&cloud, "GET", "/servers/\(failed)", project: "admin", roles: [.admin]).body?.value(at: "server.OS-EXT-SRV-ATTR:host")?.stringValue)
        try cloud.applyNow(.hostFailure(HostName(host)))
        let active = try Lab.active(&cloud)
        let metadata = API.call(&cloud, "PUT", "/servers/\(active)/metadata", #"{"metadata": {"f": "2", "e": "1", "a": "0"}}"#)
        #expect(metadata.status == 200)
        let building = try create("b")
        return (cloud, [active.rawValue, building, failed])
    }

    static let viewCallers: [(project: String, roles: [Role])] = [("demo", [.member]), ("admin", [.admin])]
    static let viewVersions = [1, 3, 9, 16, 19, 26, 47, 56]

    @Test("server views are built in canonical member order at every microversion, for members and administrators, faults included")
    func serverViewsAreBuiltInOrder() throws {
        var (cloud, ids) = try Self.viewLab()
        var statuses: Set<String> = []
        for id in ids {
            for minor in Self.viewVersions {
                for (project, roles) in Self.viewCallers {
                    let shown = API.call(&cloud, "GET", "/servers/\(id)", project: project, roles: roles, headers: Self.version(minor))
                    #expect(shown.status == 200)
                    #expect(Self.inCanonicalOrder(shown.body), "GET /servers/\(id) at 2.\(minor) as \(project)")
                    statuses.insert(shown.body?.value(at: "server.status")?.stringValue ?? "")
                }
            }
        }
        let listed = API.call(&cloud, "GET", "/servers/detail?all_tenants=1", project: "admin", roles: [.admin], headers: Self.version(56))
        #expect(listed.status == 200 && listed.body?.value(at: "servers.2") != nil)
        #expect(statuses == ["ACTIVE", "BUILD", "ERROR"])
    }

    @Test("server views and detailed lists written straight to bytes are byte for byte the canonical text of the value")
    func renderedServerViewsMatchTheValue() throws {
        var (cloud, ids) = try Self.viewLab()
        for id in ids {
            for minor in Self.viewVersions {
                for (project, roles) in Self.viewCallers {
                    for prefix in ["/v2.1", "/v2.1/\(project)"] {
                        let request = APIRequest(
                            method: "GET", path: "\(prefix)/servers/\(id)", headers: Self.version(minor), project: ProjectID(project), roles: roles)
                        let value = cloud.handle(request)
                        let rendered = cloud.handle(request, renderingBody: true)
                        #expect(rendered.status == 200 && rendered.body == nil && rendered.hasBody)
                        #expect(rendered.bodyBytes == value.body?.canonicalBytes, "\(prefix)/servers/\(id) at 2.\(minor) as \(project)")
                        #expect(rendered.bodyText == value.bodyText)
                        var headers = rendered.headers
                        var expected = value.headers
                        for name in ["x-openstack-request-id", "x-compute-request-id"] {
                            headers[name] = nil
                            expected[name] = nil
                        }
                        #expect(headers == expected && headers["Content-Type"] == "application/json")
                    }
                }
            }
        }
        // Detailed lists too, with and without a next link, for members and administrators.
        for path in ["/v2.1/servers/detail", "/v2.1/servers/detail?limit=2", "/v2.1/servers/detail?all_tenants=1&limit=1&sort_key=display_name"] {
            for (project, roles) in Self.viewCallers {
                let request = APIRequest(method: "GET", path: path, headers: Self.version(56), project: ProjectID(project), roles: roles)
                let value = cloud.handle(request)
                let rendered = cloud.handle(request, renderingBody: true)
                // A member's all_tenants is Nova's policy refusal, the same either way.
                #expect(rendered.status == value.status && (value.status == 200 || path.contains("all_tenants") && project == "demo"))
                #expect(rendered.body == nil || rendered.status != 200)
                #expect(rendered.bodyBytes == value.bodyBytes, "\(path) as \(project)")
            }
        }
        let paged = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers/detail?limit=2", project: "demo"), renderingBody: true)
        #expect(paged.bodyText.contains(#""servers_links":[{"href":"http://compute.sim/v2.1/servers/detail?limit=2&marker="#))
        // Everything else keeps its body as a value.
        let listed = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers", project: "demo"), renderingBody: true)
        #expect(listed.body != nil && listed.bodyBytes == listed.body?.canonicalBytes)
        let missing = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers/nope", project: "demo"), renderingBody: true)
        #expect(missing.status == 404 && missing.bodyText == #"{"itemNotFound":{"code":404,"message":"Instance nope could not be found."}}"#)
    }

    @Test("server groups show project_id and user_id from 2.13")
    func serverGroupOwners() throws {
        var cloud = try ComputeCloud()
        let created = API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "g", "policies": ["affinity"]}}"#, headers: Self.version(13))
        #expect(created.body?.value(at: "server_group.project_id") == "demo" && created.body?.value(at: "server_group.user_id") == "user")
        let id = try #require(created.body?.value(at: "server_group.id")?.stringValue)
        #expect(
            Self.keys(API.call(&cloud, "GET", "/os-server-groups/\(id)", headers: Self.version(12)).body?["server_group"]) == [
                "id", "members", "metadata", "name", "policies",
            ])
    }

    @Test("os-hypervisors/detail has every field Nova's schema requires, with ids and cpu_info per microversion")
    func hypervisorDetail() throws {
        var cloud = try ComputeCloud()
        _ = try Lab.active(&cloud)
        let old = try #require(API.call(&cloud, "GET", "/os-hypervisors/detail", project: "admin", roles: [.admin]).body?.value(at: "hypervisors.0"))
        #expect(
            Self.keys(old) == [
                "cpu_info", "current_workload", "disk_available_least", "free_disk_gb", "free_ram_mb", "host_ip", "hypervisor_hostname", "hypervisor_type",
                "hypervisor_version", "id", "local_gb", "local_gb_used", "memory_mb", "memory_mb_used", "running_vms", "service", "state", "status",
                "vcpus", "vcpus_used",
            ])
        #expect(old["id"] == .int(1) && old["host_ip"] == "192.168.0.1" && old["cpu_info"]?.stringValue?.hasPrefix("{") == true)
        #expect(old["free_ram_mb"] == .int(131_072 - 2_048) && Self.keys(old["service"]) == ["disabled_reason", "host", "id"])
        let new = try #require(
            API.call(&cloud, "GET", "/os-hypervisors/detail", project: "admin", roles: [.admin], headers: Self.version(53)).body?.value(at: "hypervisors.0"))
        #expect(new["id"]?.stringValue.map(ComputeCloud.looksLikeUUID) == true && new["cpu_info"]?.objectValue != nil)
    }

    @Test("images carry created, updated and their size; snapshots name their server; the proxy is gone from 2.36")
    func imageViews() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let cirros = try #require(API.call(&cloud, "GET", "/images/\(ComputeCloud.cirros)").body?["image"])
        #expect(cirros["created"] == "2026-01-01T00:00:00Z" && cirros["updated"] == "2026-01-01T00:00:00Z")
        #expect(cirros["OS-EXT-IMG-SIZE:size"] == .int(21_474_836) && cirros["server"] == nil)
        let snapshot = API.call(
            &cloud, "POST", "/servers/\(id)/action", #"{"createImage": {"name": "snap", "metadata": {"purpose": "backup"}}}"#, headers: Self.version(45))
        let image = try #require(snapshot.body?.value(at: "image_id")?.stringValue)
        let view = try #require(API.call(&cloud, "GET", "/images/\(image)").body?["image"])
        #expect(view.value(at: "server.id")?.stringValue == id.rawValue && view.value(at: "metadata.purpose") == "backup")
        #expect(view["created"]?.stringValue == cloud.wallClockTime)
        let gone = API.call(&cloud, "GET", "/images", headers: Self.version(36))
        #expect(gone.status == 404 && gone.bodyText == #"{"itemNotFound":{"code":404,"message":"The resource could not be found."}}"#)
    }

    @Test("flavors carry a null description from 2.55")
    func flavorDescriptions() throws {
        var cloud = try ComputeCloud()
        #expect(API.call(&cloud, "GET", "/flavors", headers: Self.version(55)).body?.value(at: "flavors.0.description") == .null)
        #expect(API.call(&cloud, "GET", "/flavors/1", headers: Self.version(55)).body?.value(at: "flavor.description") == .null)
        #expect(API.call(&cloud, "GET", "/flavors/1", headers: Self.version(54)).body?.value(at: "flavor.description") == nil)
    }

    @Test("every response, errors included, carries one request id under both of Nova's names, the same for the same seed")
    func requestIDs() throws {
        var cloud = try ComputeCloud()
        var twin = try ComputeCloud()
        let first = API.call(&cloud, "GET", "/flavors"), again = API.call(&twin, "GET", "/flavors")
        let missing = API.call(&cloud, "GET", "/servers/nope")
        let id = try #require(first.headers["x-openstack-request-id"])
        #expect(id.hasPrefix("req-") && ComputeCloud.looksLikeUUID(String(id.dropFirst(4))))
        #expect(first.headers["x-compute-request-id"] == id && again.headers["x-openstack-request-id"] == id)
        #expect(missing.status == 404 && missing.headers["x-openstack-request-id"].map { $0 != id && $0.hasPrefix("req-") } == true)
    }

    @Test("return_reservation_id answers with the reservation id alone")
    func returnReservationID() throws {
        var cloud = try ComputeCloud()
        let body = #"{"server": {"name": "r", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1", "return_reservation_id": "True"}}"#
        let response = API.call(&cloud, "POST", "/servers", body)
        #expect(response.status == 202 && Self.keys(response.body) == ["reservation_id"] && response.headers["Location"] == nil)
        let reservation = try #require(response.body?["reservation_id"]?.stringValue)
        let server = try #require(cloud.servers(as: Lab.me).first)
        #expect(reservation == cloud.extendedAttributes(of: server.id)?.reservationID && reservation.hasPrefix("r-") && reservation.count == 10)
    }
}

/// Nova's texts and default policies.
struct NovaTextAndPolicyTests {
    @Test("createImage refuses an empty or 256-character metadata key and a 256-character name, creating nothing")
    func createImageValidation() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let path = "/servers/\(id)/action"
        let long = String(repeating: "k", count: 256)
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", path, #"{"createImage": {"name": "s", "metadata": {"": "v"}}}"#))
                == "400 Invalid input for field/attribute metadata. Value: . '' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", path, #"{"createImage": {"name": "s", "metadata": {"\#(long)": "v"}}}"#))
                == "400 Invalid input for field/attribute metadata. Value: \(long). '\(long)' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", path, #"{"createImage": {"name": "\#(long)"}}"#))
                == "400 Invalid input for field/attribute name. Value: \(long). '\(long)' is too long")
        #expect(cloud.images.count == 2)
    }

    @Test("a flavor disk below the image's min_disk is refused with Nova's text, on create and on rebuild")
    func minDiskText() throws {
        var cloud = try ComputeCloud(
            configuration: {
                var configuration = CloudConfiguration()
                configuration.images.append(Image(id: "big", name: "big", minDiskGiB: 30))
                return configuration
            }())
        let message =
            "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is 21474836480 bytes, minimum size is 32212254720 bytes."
        #expect(throws: CloudError(.badRequest, message)) { try cloud.createServers(CreateServerRequest(name: "b", image: "big", flavor: "2"), as: Lab.me) }
        let id = try Lab.active(&cloud)
        #expect(throws: CloudError(.badRequest, message)) { try cloud.perform(.rebuild(image: "big", adminPass: nil), on: id, as: Lab.me) }
    }

    @Test("migrations follow Nova's default policy: administrators and the project's managers, not members; the policy is configurable")
    func migrationPolicy() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let path = "/servers/\(id)/action"
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", path, #"{"migrate": null}"#))
                == #"403 {"forbidden":{"code":403,"message":"Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed."}}"#)
        #expect(throws: CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed.")) {
            try cloud.perform(.liveMigrate, on: id, as: Lab.me)
        }
        #expect(API.call(&cloud, "POST", path, #"{"migrate": null}"#, roles: [.manager]).status == 202)
        cloud.runUntilIdle()
        _ = try cloud.perform(.confirmResize, on: id, as: Lab.me)
        cloud.runUntilIdle()
        // Another project's manager sees no such server.
        #expect(API.call(&cloud, "POST", path, #"{"migrate": null}"#, project: "other", roles: [.manager]).status == 404)
        var open = try Lab.cloud { $0.migrationPolicy = .member }
        let mine = try Lab.active(&open)
        #expect(try open.perform(.migrate, on: mine, as: Lab.me).httpStatus == 202)
        var strict = try Lab.cloud { $0.migrationPolicy = .admin }
        let theirs = try Lab.active(&strict)
        #expect(throws: CloudError.self) { try strict.perform(.migrate, on: theirs, as: Caller(project: "demo", isProjectManager: true)) }
        #expect(try Scenario.parse(#"{"migrationPolicy": "member"}"#).configuration.migrationPolicy == .member)
        #expect(throws: ScenarioError(path: "migrationPolicy", reason: "expected admin, projectManagerOrAdmin or member, got anyone")) {
            try Scenario.parse(#"{"migrationPolicy": "anyone"}"#)
        }
    }

    @Test("an admin's deleted=true lists the deleted servers with terminated_at; anyone else's is ignored")
    func deletedListing() throws {
        var cloud = try ComputeCloud()
        let kept = try Lab.active(&cloud, "kept")
        let gone = try Lab.active(&cloud, "gone")
        try cloud.deleteServer(gone, as: Lab.me)
        cloud.runUntilIdle()
        let admin = API.call(&cloud, "GET", "/servers/detail?deleted=true&all_tenants=1", project: "admin", roles: [.admin])
        #expect(admin.body?.value(at: "servers")?.arrayValue?.count == 1)
        #expect(admin.body?.value(at: "servers.0.id")?.stringValue == gone.rawValue && admin.body?.value(at: "servers.0.status") == "DELETED")
        let deletedAt = try #require(cloud.statusHistory(of: gone).last?.time)
        #expect(admin.body?.value(at: "servers.0.OS-SRV-USG:terminated_at")?.stringValue == cloud.wallClock.isoMicroseconds(at: deletedAt))
        let member = API.call(&cloud, "GET", "/servers?deleted=true")
        #expect(member.body?.value(at: "servers")?.arrayValue?.compactMap { $0["id"]?.stringValue } == [kept.rawValue])
        #expect(API.call(&cloud, "GET", "/servers/\(kept)").body?.value(at: "server.OS-SRV-USG:terminated_at") == .null)
    }

    @Test("line-wrapped base64 is accepted in personality and user_data; other stray characters are not")
    func wrappedBase64() throws {
        #expect(Base64.decodeWrapped("aGVs\nbG8g\r\nd29y bGQ=\n") == Array("hello world".utf8))
        #expect(Base64.decodeWrapped("aGVs!bG8=") == nil && Base64.decodeStrict("aGVs\nbG8=") == nil)
        var cloud = try ComputeCloud()
        let body =
            #"{"server": {"name": "w", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1", "user_data": "aGVs\nbG8=", "personality": [{"path": "/etc/w", "contents": "aGVs\nbG8="}]}}"#
        let response = API.call(&cloud, "POST", "/servers", body)
        #expect(response.status == 202)
        cloud.runUntilIdle()
        let id = try #require(response.body?.value(at: "server.id")?.stringValue)
        #expect(try cloud.fileSystem(of: ServerID(id), as: Lab.me).read(try VirtualPath("/etc/w")) == "hello")
    }
}
