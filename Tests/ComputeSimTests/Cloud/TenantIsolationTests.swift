import ComputeSim
import Testing

/// Project B using project A's ids must get exactly what it gets for ids that do not exist, and
/// no response may show B anything of A's; adminPass must appear only where Nova returns it.
@Suite("Tenant isolation and secrets")
struct TenantIsolationTests {
    static let missingServer = "00000000-0000-4000-8000-000000000000"
    static let missingGroup = "00000000-0000-4000-8000-00000000beef"

    /// Every endpoint that takes a server or server-group id, with a body where it needs one.
    static func endpoints(server: String, group: String) -> [(HTTPMethod, String, String?)] {
        var list: [(HTTPMethod, String, String?)] = [
            ("GET", "/servers/\(server)", nil), ("PUT", "/servers/\(server)", #"{"server": {"name": "x"}}"#), ("DELETE", "/servers/\(server)", nil),
            ("GET", "/servers/\(server)/metadata", nil), ("POST", "/servers/\(server)/metadata", #"{"metadata": {"a": "1"}}"#),
            ("PUT", "/servers/\(server)/metadata", #"{"metadata": {"a": "1"}}"#), ("GET", "/servers/\(server)/metadata/role", nil),
            ("PUT", "/servers/\(server)/metadata/role", #"{"meta": {"role": "x"}}"#), ("DELETE", "/servers/\(server)/metadata/role", nil),
            ("GET", "/servers/\(server)/ips", nil), ("GET", "/servers/\(server)/ips/private", nil),
            ("GET", "/os-server-groups/\(group)", nil), ("DELETE", "/os-server-groups/\(group)", nil),
            (
                "POST", "/servers",
                #"{"server": {"name": "b", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}, "os:scheduler_hints": {"group": "\#(group)"}}"#
            ),
        ]
        let actions = [
            #"{"reboot": {"type": "SOFT"}}"#, #"{"reboot": {"type": "HARD"}}"#, #"{"os-stop": null}"#, #"{"os-start": null}"#, #"{"pause": null}"#,
            #"{"unpause": null}"#, #"{"suspend": null}"#, #"{"resume": null}"#, #"{"resize": {"flavorRef": "3"}}"#, #"{"confirmResize": null}"#,
            #"{"revertResize": null}"#, #"{"rebuild": {"imageRef": "70a599e0-31e7-49b7-b260-868f441e862b"}}"#, #"{"rescue": null}"#, #"{"unrescue": null}"#,
            #"{"shelve": null}"#, #"{"shelveOffload": null}"#, #"{"unshelve": null}"#, #"{"changePassword": {"adminPass": "Abc-12345-xyz"}}"#,
            #"{"lock": null}"#, #"{"unlock": null}"#, #"{"createImage": {"name": "snap"}}"#, #"{"migrate": null}"#,
            #"{"os-migrateLive": {"host": null, "block_migration": false, "disk_over_commit": false}}"#, #"{"restore": null}"#, #"{"forceDelete": null}"#,
        ]
        list += actions.map { ("POST", "/servers/\(server)/action", $0) }
        return list
    }

    /// Project A's ACTIVE server (with metadata) and its anti-affinity group.
    static func projectA() throws -> (ComputeCloud, server: String, group: String) {
        var cloud = try ComputeCloud()
        let groupResponse = API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "g", "policies": ["anti-affinity"]}}"#, project: "alpha")
        let group = try #require(groupResponse.body?.value(at: "server_group.id")?.stringValue)
        let create = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "metadata": {"role": "db"}}, "os:scheduler_hints": {"group": "\#(group)"}}"#,
            project: "alpha")
        let server = try #require(create.body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        return (cloud, server, group)
    }

    @Test("Project B gets the same status and body for A's ids as for ids that do not exist, on every endpoint, and A's server is untouched")
    func otherProjectsIdsAreIndistinguishableFromMissingOnes() throws {
        var (cloud, server, group) = try Self.projectA()
        let before = API.call(&cloud, "GET", "/servers/\(server)", project: "alpha").bodyText
        let real = Self.endpoints(server: server, group: group)
        let missing = Self.endpoints(server: Self.missingServer, group: Self.missingGroup)
        for (index, (method, path, body)) in real.enumerated() {
            var probe = cloud  // each probe from the same state, so a refused request cannot change the next
            let intruder = API.call(&probe, method, path, body, project: "beta")
            var control = cloud
            let (_, missingPath, missingBody) = missing[index]
            let absent = API.call(&control, method, missingPath, missingBody, project: "beta")
            #expect(intruder.status == absent.status, "\(method) \(path) \(body ?? "")")
            let masked = intruder.bodyText.replacingOccurrences(of: server, with: Self.missingServer).replacingOccurrences(of: group, with: Self.missingGroup)
            #expect(masked == absent.bodyText, "\(method) \(path) \(body ?? "")")
            #expect([400, 404].contains(intruder.status), "\(method) \(path) \(body ?? "")")
            #expect(API.call(&probe, "GET", "/servers/\(server)", project: "alpha").bodyText == before, "\(method) \(path) changed A's server")
        }
    }

    @Test("B's lists, limits and groups never show A's servers, groups or usage; A's id and name never appear")
    func listsShowNothingOfOtherProjects() throws {
        var (cloud, server, group) = try Self.projectA()
        for path in [
            "/servers", "/servers/detail", "/servers/detail?all_tenants=1", "/servers?name=a", "/servers/detail?changes-since=2000-01-01T00:00:00Z",
            "/os-server-groups", "/os-server-groups?all_projects=true", "/limits",
        ] {
            let response = API.call(&cloud, "GET", path, project: "beta")
            #expect(!response.bodyText.contains(server) && !response.bodyText.contains(group), "\(path)")
            if path == "/limits" { #expect(response.body?.value(at: "limits.absolute.totalInstancesUsed") == .int(0)) }
        }
        #expect(API.call(&cloud, "GET", "/os-hypervisors/detail", project: "beta").status == 403)
    }

    @Test("Non-admins never see host names or admin-only fields; the hostId of one host differs across projects")
    func hostsStayHidden() throws {
        var (cloud, server, _) = try Self.projectA()
        let create = API.call(
            &cloud, "POST", "/servers", #"{"server": {"name": "b", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#, project: "beta")
        let other = try #require(create.body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        let hostOfA = try #require(cloud.server(ServerID(server), as: Caller(project: "alpha")).host)
        let hostOfB = try #require(cloud.server(ServerID(other), as: Caller(project: "beta")).host)
        for (project, id) in [("alpha", server), ("beta", other)] {
            for version in ["2.1", "2.3", "2.16", "2.56"] {
                let text = API.call(&cloud, "GET", "/servers/\(id)", project: project, headers: ["OpenStack-API-Version": "compute \(version)"]).bodyText
                #expect(!text.contains(hostOfA.rawValue) && !text.contains(hostOfB.rawValue), "\(project) \(version)")
                #expect(!text.contains("OS-EXT-SRV-ATTR") && !text.contains("host_status"), "\(project) \(version)")
            }
        }
        // The same host seen from two projects gives two hostIds.
        #expect(ProjectID("alpha").hostID(on: hostOfA) != ProjectID("beta").hostID(on: hostOfA))
        let detail = API.call(&cloud, "GET", "/servers/detail?all_tenants=1", project: "admin", roles: ["admin"]).bodyText
        #expect(detail.contains(hostOfA.rawValue))  // admins do see hosts
    }

    @Test("adminPass, supplied or generated, appears only in the create, rebuild and rescue responses: never in views, lists, errors, traces or descriptions")
    func adminPassNeverLeaks() throws {
        var cloud = try ComputeCloud()
        cloud.traceCapture = .all
        let supplied = "Sup3r-Secret-Pw-91"
        var outputs: [String] = []
        let create = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "adminPass": "\#(supplied)"}}"#)
        #expect(create.body?.value(at: "server.adminPass")?.stringValue == supplied)
        let id = try #require(create.body?.value(at: "server.id")?.stringValue)
        let generated = API.call(
            &cloud, "POST", "/servers", #"{"server": {"name": "b", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#)
        let secret = try #require(generated.body?.value(at: "server.adminPass")?.stringValue)
        let other = try #require(generated.body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        var passwords = [supplied, secret]
        for path in ["/servers/\(id)", "/servers/\(other)", "/servers", "/servers/detail", "/servers/\(id)/metadata", "/servers/\(id)/ips", "/limits"] {
            for version in ["2.1", "2.3", "2.56"] {
                outputs.append(API.call(&cloud, "GET", path, headers: ["OpenStack-API-Version": "compute \(version)"]).bodyText)
                outputs.append(API.call(&cloud, "GET", path, roles: ["admin"], headers: ["OpenStack-API-Version": "compute \(version)"]).bodyText)
            }
        }
        // Rebuild and rescue return a (new) password; changePassword returns nothing; refusals name no password.
        let rebuild = API.call(
            &cloud, "POST", "/servers/\(id)/action", #"{"rebuild": {"imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "adminPass": "Rebuilt-Secret-42"}}"#)
        #expect(rebuild.body?.value(at: "server.adminPass")?.stringValue == "Rebuilt-Secret-42")
        passwords.append("Rebuilt-Secret-42")
        // 409: rebuilding
        outputs.append(API.call(&cloud, "POST", "/servers/\(id)/action", #"{"changePassword": {"adminPass": "Changed-Secret-77"}}"#).bodyText)
        passwords.append("Changed-Secret-77")
        cloud.runUntilIdle()
        outputs.append(API.call(&cloud, "POST", "/servers/\(id)/action", #"{"changePassword": {"adminPass": "Changed-Secret-78"}}"#).bodyText)
        passwords.append("Changed-Secret-78")
        cloud.runUntilIdle()
        outputs.append(API.call(&cloud, "POST", "/servers/\(other)/action", #"{"changePassword": {"adminPass": "x"}}"#, project: "intruder").bodyText)
        outputs.append(
            API.call(&cloud, "POST", "/servers", #"{"server": {"name": "c", "imageRef": "nope", "flavorRef": "1", "adminPass": "Refused-Secret-5"}}"#).bodyText)
        passwords.append("Refused-Secret-5")
        for path in ["/servers/\(id)", "/servers/detail"] { outputs.append(API.call(&cloud, "GET", path, roles: ["admin"]).bodyText) }
        outputs.append(contentsOf: cloud.capturedTraceLines)
        outputs.append(contentsOf: cloud.servers(as: Caller(project: "admin", isAdmin: true)).map { String(describing: $0) })
        outputs.append(cloud.checkInvariants().map(\.description).joined())
        for password in passwords {
            for output in outputs { #expect(!output.contains(password), "\(password) leaked: \(output.prefix(120))") }
        }
        #expect(outputs.count > 40)
    }
}
