import Testing

@testable import ComputeSim

/// Nova's request schemas refuse members they do not list (`additionalProperties: false`), per
/// endpoint and microversion; so does the JSON facade, with jsonschema's words.
struct BodySchemaTests {
    static let cirros = "70a599e0-31e7-49b7-b260-868f441e862b"

    static func fault(_ response: APIResponse) -> String {
        "\(response.status) \(response.body?.value(at: "badRequest.message")?.stringValue ?? response.bodyText)"
    }

    static func version(_ minor: Int) -> [String: String] { ["OpenStack-API-Version": "compute 2.\(minor)"] }

    @Test("a create body with an unknown member of server is 400 naming it, and nothing is created")
    func unknownServerMemberIsRefused() throws {
        var cloud = try ComputeCloud()
        let body = #"{"server": {"name": "a", "imageRef": "\#(Self.cirros)", "flavorRef": "1", "bogus_key": 1}}"#
        #expect(
            Self.fault(API.call(&cloud, "POST", "/servers", body))
                == #"400 Invalid input for field/attribute server. Value: {"bogus_key":1,"flavorRef":"1","imageRef":"\#(Self.cirros)","name":"a"}. Additional properties are not allowed ('bogus_key' was unexpected)"#
        )
        #expect(cloud.servers(as: Lab.me).isEmpty)
    }

    @Test("unknown top-level members are named without a field, several at once in body order")
    func unknownTopLevelMembers() throws {
        var cloud = try ComputeCloud()
        let server = #"{"name": "a", "imageRef": "\#(Self.cirros)", "flavorRef": "1"}"#
        #expect(
            Self.fault(API.call(&cloud, "POST", "/servers", #"{"server": \#(server), "zeta": 1}"#))
                == "400 Additional properties are not allowed ('zeta' was unexpected)")
        #expect(
            Self.fault(API.call(&cloud, "POST", "/servers", #"{"server": \#(server), "zeta": 1, "alpha": 2}"#))
                == "400 Additional properties are not allowed ('zeta', 'alpha' were unexpected)")
        #expect(API.call(&cloud, "POST", "/servers", #"{"server": \#(server), "os:scheduler_hints": {}}"#).status == 202)
    }

    @Test("a missing required member is reported before an unexpected one, as jsonschema orders them")
    func requiredBeforeUnexpected() throws {
        var cloud = try ComputeCloud()
        #expect(
            Self.fault(API.call(&cloud, "POST", "/servers", #"{"server": {"imageRef": "x", "flavorRef": "1", "bogus": 1}}"#))
                == #"400 Invalid input for field/attribute server. Value: {"bogus":1,"flavorRef":"1","imageRef":"x"}. 'name' is a required property"#)
    }

    @Test("members arrive with their microversion: description from 2.19")
    func descriptionNeeds219() throws {
        var cloud = try ComputeCloud()
        let body = #"{"server": {"name": "a", "imageRef": "\#(Self.cirros)", "flavorRef": "1", "description": "d"}}"#
        #expect(API.call(&cloud, "POST", "/servers", body, headers: Self.version(18)).status == 400)
        #expect(API.call(&cloud, "POST", "/servers", body, headers: Self.version(19)).status == 202)
    }

    @Test("personality and networks entries refuse unknown members, naming the entry's index; tag is allowed at 2.32 and from 2.42")
    func entriesRefuseUnknownMembers() throws {
        var cloud = try ComputeCloud()
        let network = CloudConfiguration().network.id
        func create(_ extra: String, version: Int = 1) -> String {
            Self.fault(
                API.call(
                    &cloud, "POST", "/servers", #"{"server": {"name": "a", "imageRef": "\#(Self.cirros)", "flavorRef": "1", \#(extra)}}"#,
                    headers: Self.version(version)))
        }
        #expect(
            create(#""personality": [{"path": "/etc/a", "contents": "YQ==", "mode": "0644"}]"#)
                == #"400 Invalid input for field/attribute 0. Value: {"contents":"YQ==","mode":"0644","path":"/etc/a"}. Additional properties are not allowed ('mode' was unexpected)"#
        )
        #expect(
            create(#""networks": [{"uuid": "\#(network)", "tag": "t"}]"#, version: 33)
                == #"400 Invalid input for field/attribute 0. Value: {"tag":"t","uuid":"\#(network)"}. Additional properties are not allowed ('tag' was unexpected)"#
        )
        #expect(create(#""networks": [{"uuid": "\#(network)", "tag": "t"}]"#, version: 32).hasPrefix("202"))
        #expect(create(#""networks": [{"uuid": "\#(network)", "tag": "t"}]"#, version: 42).hasPrefix("202"))
    }

    @Test("PUT /servers/{id} refuses unknown members of server and of the body")
    func updateRefusesUnknownMembers() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        #expect(
            Self.fault(API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"name": "x", "bogus": 1}}"#))
                == #"400 Invalid input for field/attribute server. Value: {"bogus":1,"name":"x"}. Additional properties are not allowed ('bogus' was unexpected)"#
        )
        #expect(
            Self.fault(API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"name": "x"}, "extra": {}}"#))
                == "400 Additional properties are not allowed ('extra' was unexpected)")
        #expect(try cloud.server(id, as: Lab.me).name == "web")
        #expect(API.call(&cloud, "PUT", "/servers/\(id)", #"{"server": {"description": "d"}}"#, headers: Self.version(19)).status == 200)
    }

    @Test("action arguments refuse unknown members after their required ones")
    func actionsRefuseUnknownMembers() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let path = "/servers/\(id)/action"
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"reboot": {"type": "SOFT", "force": true}}"#))
                == #"400 Invalid input for field/attribute reboot. Value: {"force":true,"type":"SOFT"}. Additional properties are not allowed ('force' was unexpected)"#
        )
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"resize": {"flavorRef": "3", "size": 2}}"#))
                == #"400 Invalid input for field/attribute resize. Value: {"flavorRef":"3","size":2}. Additional properties are not allowed ('size' was unexpected)"#
        )
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"rebuild": {"imageRef": "\#(Self.cirros)", "flavorRef": "1"}}"#))
                == #"400 Invalid input for field/attribute rebuild. Value: {"flavorRef":"1","imageRef":"\#(Self.cirros)"}. Additional properties are not allowed ('flavorRef' was unexpected)"#
        )
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"rebuild": {"imageRef": "\#(Self.cirros)", "key_name": null}}"#, headers: Self.version(53)))
                .hasSuffix("Additional properties are not allowed ('key_name' was unexpected)"))
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"createImage": {"name": "s", "public": true}}"#))
                == #"400 Invalid input for field/attribute createImage. Value: {"name":"s","public":true}. Additional properties are not allowed ('public' was unexpected)"#
        )
        // The migrate argument is checked from 2.56, where Nova's schema for it starts.
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"migrate": {"hots": "x"}}"#, headers: Self.version(56)))
                == #"400 Invalid input for field/attribute migrate. Value: {"hots":"x"}. Additional properties are not allowed ('hots' was unexpected)"#)
        #expect(try cloud.server(id, as: Lab.me).status == .active)
    }

    @Test("os-migrateLive requires Nova's members per microversion and checks their values")
    func liveMigrationBodies() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let path = "/servers/\(id)/action"
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"os-migrateLive": {"host": null, "block_migration": false}}"#))
                == #"400 Invalid input for field/attribute os-migrateLive. Value: {"block_migration":false,"host":null}. 'disk_over_commit' is a required property"#
        )
        #expect(
            Self.fault(API.call(&cloud, "POST", path, #"{"os-migrateLive": {"host": null, "block_migration": "auto", "disk_over_commit": false}}"#))
                == "400 Invalid input for field/attribute block_migration. Value: auto. 'auto' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"
        )
        #expect(
            Self.fault(
                API.call(
                    &cloud, "POST", path, #"{"os-migrateLive": {"host": null, "block_migration": "auto", "disk_over_commit": false}}"#,
                    headers: Self.version(25)))
                == #"400 Invalid input for field/attribute os-migrateLive. Value: {"block_migration":"auto","disk_over_commit":false,"host":null}. Additional properties are not allowed ('disk_over_commit' was unexpected)"#
        )
        #expect(
            API.call(&cloud, "POST", path, #"{"os-migrateLive": {"host": null, "block_migration": "auto"}}"#, roles: [.manager], headers: Self.version(25))
                .status
                == 202)
    }

    @Test("the metadata and server-group bodies refuse unknown members")
    func metadataAndGroupBodies() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        #expect(
            Self.fault(API.call(&cloud, "POST", "/servers/\(id)/metadata", #"{"metadata": {"a": "1"}, "meta": {}}"#))
                == "400 Additional properties are not allowed ('meta' was unexpected)")
        #expect(
            Self.fault(API.call(&cloud, "PUT", "/servers/\(id)/metadata/a", #"{"meta": {"a": "1"}, "metadata": {}}"#))
                == "400 Additional properties are not allowed ('metadata' was unexpected)")
        #expect(try cloud.server(id, as: Lab.me).metadata.isEmpty)
        #expect(
            Self.fault(API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "g", "policies": ["affinity"], "rules": {}}}"#))
                == #"400 Invalid input for field/attribute server_group. Value: {"name":"g","policies":["affinity"],"rules":{}}. Additional properties are not allowed ('rules' was unexpected)"#
        )
    }
}

/// Rebuild applies what Nova's rebuild applies, not only the image, password and files.
struct RebuildChangesTests {
    @Test("a JSON rebuild sets name, metadata (replacing it), access IPs, disk config and, from 2.19, description")
    func rebuildAppliesItsMembers() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        _ = try cloud.updateMetadata(id, ["old": "1"], replacing: false, as: Lab.me)
        let body = #"""
            {"rebuild": {"imageRef": "\#(BodySchemaTests.cirros)", "name": "renamed", "metadata": {"new": "2"}, "accessIPv4": "10.0.0.9",
             "accessIPv6": "2001:db8::9", "OS-DCF:diskConfig": "AUTO", "description": "rebuilt", "preserve_ephemeral": "yes"}}
            """#
        let response = API.call(&cloud, "POST", "/servers/\(id)/action", body, headers: BodySchemaTests.version(19))
        #expect(response.status == 202)
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.name == "renamed" && server.metadata == ["new": "2"] && server.description == "rebuilt")
        #expect(server.accessIPv4 == "10.0.0.9" && server.accessIPv6 == "2001:db8::9" && server.diskConfig == .auto)
        #expect(server.status == .active)
    }

    @Test("a refused rebuild changes nothing: a bad name, metadata, address or key_name is refused before anything is applied")
    func aRefusedRebuildChangesNothing() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let before = cloud
        let image = BodySchemaTests.cirros
        let refusals: [(String, Int, String)] = [
            (
                #"{"rebuild": {"imageRef": "\#(image)", "name": " padded"}}"#, 1,
                "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."
            ),
            (
                #"{"rebuild": {"imageRef": "\#(image)", "name": "ok", "accessIPv4": "300.1.1.1"}}"#, 1,
                "Invalid input for field/attribute accessIPv4. Value: 300.1.1.1. '300.1.1.1' is not a 'ipv4'"
            ),
            (
                #"{"rebuild": {"imageRef": "\#(image)", "metadata": {"bad key!": "v"}}}"#, 1,
                "Invalid input for field/attribute metadata. Value: bad key!. 'bad key!' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'"
            ),
            (
                #"{"rebuild": {"imageRef": "\#(image)", "preserve_ephemeral": "maybe"}}"#, 1,
                "Invalid input for field/attribute preserve_ephemeral. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"
            ),
            (#"{"rebuild": {"imageRef": "\#(image)", "key_name": "mine"}}"#, 54, "Invalid key_name provided."),
        ]
        for (body, minor, message) in refusals {
            #expect(BodySchemaTests.fault(API.call(&cloud, "POST", "/servers/\(id)/action", body, headers: BodySchemaTests.version(minor))) == "400 \(message)")
        }
        #expect(ComputeCloudSweepTests.changedParts(cloud, before).isEmpty)
        #expect(
            API.call(
                &cloud, "POST", "/servers/\(id)/action", #"{"rebuild": {"imageRef": "\#(image)", "key_name": null}}"#, headers: BodySchemaTests.version(54)
            ).status == 202)
    }

    @Test("the typed rebuild takes the same changes")
    func typedRebuild() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        _ = try Lab.run(&cloud, .rebuild(image: nil, adminPass: nil, changes: RebuildChanges(name: "typed", metadata: ["a": "b"])), on: id)
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.name == "typed" && server.metadata == ["a": "b"])
    }
}
