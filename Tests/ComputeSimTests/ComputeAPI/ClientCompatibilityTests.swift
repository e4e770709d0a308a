import Testing

@testable import ComputeSim

/// What real clients (openstacksdk, the openstack CLI) send that Nova accepts.
struct ClientCompatibilityTests {
    static let cirros = "70a599e0-31e7-49b7-b260-868f441e862b"

    @Test("OS-SCH-HNT:scheduler_hints puts the server in its group, and os:scheduler_hints wins when both are sent")
    func schedulerHintSpellings() throws {
        var cloud = try ComputeCloud()
        func group(_ name: String) throws -> String {
            let created = API.call(&cloud, "POST", "/os-server-groups", #"{"server_group": {"name": "\#(name)", "policies": ["anti-affinity"]}}"#)
            return try #require(created.body?.value(at: "server_group.id")?.stringValue)
        }
        let spread = try group("spread"), other = try group("other")
        let sdkStyle = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "imageRef": "\#(Self.cirros)", "flavorRef": "1"}, "OS-SCH-HNT:scheduler_hints": {"group": "\#(spread)"}}"#)
        #expect(sdkStyle.status == 202)
        let both = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "b", "imageRef": "\#(Self.cirros)", "flavorRef": "1"}, "os:scheduler_hints": {"group": "\#(other)"}, "OS-SCH-HNT:scheduler_hints": {"group": "\#(spread)"}}"#
        )
        #expect(both.status == 202)
        let first = try #require(sdkStyle.body?.value(at: "server.id")?.stringValue)
        let second = try #require(both.body?.value(at: "server.id")?.stringValue)
        #expect(API.call(&cloud, "GET", "/os-server-groups/\(spread)").body?.value(at: "server_group.members") == [.string(first)])
        #expect(API.call(&cloud, "GET", "/os-server-groups/\(other)").body?.value(at: "server_group.members") == [.string(second)])
    }

    @Test("a block_device_mapping_v2 with one local image entry boots that image without imageRef")
    func localImageMapping() throws {
        var cloud = try ComputeCloud()
        let created = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "flavorRef": "1", "block_device_mapping_v2": [{"boot_index": 0, "uuid": "\#(Self.cirros)", "source_type": "image", "destination_type": "local", "delete_on_termination": true}]}}"#
        )
        #expect(created.status == 202)
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.image.id") == .string(Self.cirros))
    }

    @Test(
        "volumes, mixed syntaxes and a missing image are refused with the text that says why",
        arguments: [
            (
                #"{"server": {"name": "a", "flavorRef": "1", "block_device_mapping_v2": [{"boot_index": 0, "uuid": "v", "source_type": "volume", "destination_type": "volume"}]}}"#,
                "Block Device Mapping is Invalid: ComputeSim simulates no volumes, so the entry must be source_type image, destination_type local, boot_index 0, with the image's uuid."
            ),
            (
                #"{"server": {"name": "a", "flavorRef": "1", "block_device_mapping": [{"volume_id": "v"}], "block_device_mapping_v2": [{"source_type": "image"}]}}"#,
                "Using different block_device_mapping syntaxes is not allowed in the same request."
            ),
            (
                #"{"server": {"name": "a", "flavorRef": "1", "block_device_mapping": [{"volume_id": "v", "device_name": "vda"}]}}"#,
                "Block Device Mapping is Invalid: ComputeSim simulates no volumes, so block_device_mapping cannot be used."
            ),
            (#"{"server": {"name": "a", "flavorRef": "1"}}"#, "Missing imageRef attribute"),
            (#"{"server": {"name": "a", "flavorRef": "1", "imageRef": ""}}"#, "Missing imageRef attribute"),
        ])
    func refusedMappings(body: String, message: String) throws {
        var cloud = try ComputeCloud()
        let response = API.call(&cloud, "POST", "/servers", body)
        #expect(response.status == 400)
        #expect(response.body?.value(at: "badRequest.message") == .string(message))
    }

    @Test("a flavor's extra specs are listed and read by key; writes are Nova's policy refusal for members")
    func flavorExtraSpecs() throws {
        var configuration = CloudConfiguration()
        configuration.flavors[0].extraSpecs = ["hw:cpu_policy": "dedicated"]
        let flavor = configuration.flavors[0].id.rawValue
        var cloud = try ComputeCloud(configuration: configuration)
        #expect(API.call(&cloud, "GET", "/flavors/\(flavor)/os-extra_specs").bodyText == #"{"extra_specs":{"hw:cpu_policy":"dedicated"}}"#)
        #expect(API.call(&cloud, "GET", "/flavors/\(flavor)/os-extra_specs/hw:cpu_policy").bodyText == #"{"hw:cpu_policy":"dedicated"}"#)
        let missing = API.call(&cloud, "GET", "/flavors/\(flavor)/os-extra_specs/nope")
        #expect(missing.status == 404)
        #expect(missing.body?.value(at: "itemNotFound.message") == .string("Flavor \(flavor) has no extra specs with key nope."))
        let write = API.call(&cloud, "POST", "/flavors/\(flavor)/os-extra_specs", #"{"extra_specs": {"a": "b"}}"#)
        #expect(write.status == 403)
        #expect(write.body?.value(at: "forbidden.message") == "Policy doesn't allow os_compute_api:os-flavor-extra-specs:create to be performed.")
        #expect(API.call(&cloud, "GET", "/flavors/nope/os-extra_specs").status == 404)
    }
}

struct DiscoveryTests {
    @Test("GET / lists v2.0 and v2.1 and GET /v2.1 describes 2.1 to 2.56, without the project segment or a microversion")
    func versionDocuments() throws {
        var cloud = try ComputeCloud()
        let root = API.call(&cloud, "GET", "/")
        #expect(root.status == 200)
        #expect(root.body?.value(at: "versions.1.id") == "v2.1")
        #expect(root.body?.value(at: "versions.1.version") == "2.56")
        #expect(root.body?.value(at: "versions.0.status") == "SUPPORTED")
        let current = API.call(&cloud, "GET", "/v2.1")
        #expect(current.body?.value(at: "version.min_version") == "2.1")
        #expect(current.body?.value(at: "version.links.0.href") == "http://compute.sim/v2.1/")
        #expect(current.body?.value(at: "version.media-types.0.type") == "application/vnd.openstack.compute+json;version=2.1")
        #expect(API.call(&cloud, "POST", "/v2.1", "{}").status == 405)
    }

    @Test("availability zones come from the hosts: up or down per host in the detail (administrators only), unavailable when every host is disabled")
    func availabilityZones() throws {
        var configuration = CloudConfiguration()
        configuration.hosts = [
            Host(name: "a1", availabilityZone: "az-a", vcpus: 8, memoryMiB: 16_384, diskGiB: 100),
            Host(name: "b1", availabilityZone: "az-b", vcpus: 8, memoryMiB: 16_384, diskGiB: 100),
        ]
        var cloud = try ComputeCloud(configuration: configuration)
        let list = API.call(&cloud, "GET", "/os-availability-zone")
        #expect(
            list.bodyText
                == #"{"availabilityZoneInfo":[{"hosts":null,"zoneName":"az-a","zoneState":{"available":true}},{"hosts":null,"zoneName":"az-b","zoneState":{"available":true}}]}"#
        )
        let refused = API.call(&cloud, "GET", "/os-availability-zone/detail")
        #expect(refused.status == 403)
        try cloud.inject(.hostDown("b1"), at: cloud.now)
        try cloud.advance(by: .zero)
        let detail = API.call(&cloud, "GET", "/os-availability-zone/detail", roles: [.admin])
        #expect(detail.body?.value(at: "availabilityZoneInfo.0.zoneName") == "internal")
        #expect(detail.body?.value(at: "availabilityZoneInfo.1.hosts.a1.nova-compute.available") == true)
        #expect(detail.body?.value(at: "availabilityZoneInfo.2.hosts.b1.nova-compute.available") == false)
        #expect(detail.body?.value(at: "availabilityZoneInfo.2.hosts.b1.nova-compute.active") == true)
        // (Disabling a host has no API yet: the pool's switch stands in for os-services.)
        try cloud.world.pool.setEnabled(false, host: "a1")
        let disabled = API.call(&cloud, "GET", "/os-availability-zone")
        #expect(disabled.body?.value(at: "availabilityZoneInfo.0.zoneName") == "az-b")
        #expect(disabled.body?.value(at: "availabilityZoneInfo.1.zoneName") == "az-a")
        #expect(disabled.body?.value(at: "availabilityZoneInfo.1.zoneState.available") == false)
    }
}
