import Testing

@testable import ComputeSim

/// "One or more networks can be specified": several networks, shared or a project's own, and
/// one NIC per requested network, in request order.
struct NetworkTests {
    static let data = Network(id: "6d2c3d52-6a0e-4a4f-9a43-0d6a5f1b2c01", name: "data", ipv4Prefix: (10, 1, 0), ipv6Prefix: "fd01::")
    static let secret = Network(
        id: "9f1e2d3c-4b5a-4697-8877-665544332211", name: "secret", ipv4Prefix: (10, 2, 0), ipv6Prefix: "fd02::", isShared: false, project: "other")

    static func cloud(_ networks: [Network] = [.private, data, secret]) throws -> ComputeCloud {
        try Lab.cloud { $0.networks = networks }
    }

    static func create(_ cloud: inout ComputeCloud, _ nics: [NICRequest], as caller: Caller = Lab.me, maxCount: Int = 1, flavor: FlavorID = "2") throws
        -> ServerID
    {
        var request = Lab.request(flavor: flavor)
        request.network = .networks(nics)
        request.maxCount = maxCount
        return try cloud.createServers(request, as: caller).ids[0]
    }

    @Test("a server asking for two networks gets a NIC on each, in request order, each with its own MAC")
    func twoNetworksTwoNICs() throws {
        var cloud = try Self.cloud()
        let id = try Self.create(&cloud, [NICRequest(network: Self.data.id), NICRequest(network: Network.private.id)])
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.addresses.map(\.address) == ["10.1.0.2", "fd01::2", "10.0.0.2", "fd00::2"])
        #expect(server.addresses.map(\.network) == ["data", "data", "private", "private"])
        let macs = Set(server.addresses.compactMap(\.macAddress))
        #expect(macs.count == 2 && macs.allSatisfy { $0.hasPrefix("fa:16:3e:") })
        let ips = API.call(&cloud, "GET", "/servers/\(id)/ips").body
        #expect(ResponseShapeTests.keys(ips?["addresses"]) == ["data", "private"])
        #expect(API.call(&cloud, "GET", "/servers/\(id)/ips/data").bodyText == #"{"data":[{"addr":"10.1.0.2","version":4},{"addr":"fd01::2","version":6}]}"#)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("the JSON create takes several networks; a port is still unknown")
    func jsonCreateWithSeveralNetworks() throws {
        var cloud = try Self.cloud()
        let body =
            #"{"server": {"name": "n", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1", "networks": [{"uuid": "\#(Self.data.id)"}, {"uuid": "\#(Self.data.id)", "fixed_ip": "10.1.0.9"}]}}"#
        let response = API.call(&cloud, "POST", "/servers", body)
        #expect(response.status == 202)
        cloud.runUntilIdle()
        let id = try #require(response.body?.value(at: "server.id")?.stringValue)
        #expect(try cloud.server(ServerID(id), as: Lab.me).addresses.filter { $0.version == 4 }.map(\.address) == ["10.1.0.2", "10.1.0.9"])
        let port =
            #"{"server": {"name": "n", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1", "networks": [{"port": "6f1c9a52-0000-4000-8000-000000000001"}]}}"#
        #expect(BodySchemaTests.fault(API.call(&cloud, "POST", "/servers", port)) == "400 Port 6f1c9a52-0000-4000-8000-000000000001 could not be found.")
    }

    @Test("naming no network takes the project's only usable one; with several it is Nova's 409 and nothing is created")
    func automaticNeedsOneNetwork() throws {
        var cloud = try Self.cloud()
        #expect(throws: CloudError(.conflictingRequest, "Multiple possible networks found, use a Network ID to be more specific.")) {
            try cloud.createServers(Lab.request(), as: Lab.me)
        }
        #expect(cloud.servers(as: Lab.me).isEmpty)
        // Another project's network is not a candidate: private is demo's only one.
        var single = try Self.cloud([.private, Self.secret])
        let id = try Lab.active(&single)
        #expect(try single.server(id, as: Lab.me).addresses.first?.network == "private")
        // The owner of secret has two: ambiguous for it.
        #expect(throws: CloudError.self) { try single.createServers(Lab.request(), as: Caller(project: "other")) }
        // No network at all: the server boots without a NIC.
        var none = try Self.cloud([Self.secret])
        let bare = try Lab.active(&none)
        #expect(try none.server(bare, as: Lab.me).addresses.isEmpty && none.server(bare, as: Lab.me).status == .active)
    }

    @Test("another project's network is not found; its owner and administrators may use it")
    func privateNetworks() throws {
        var cloud = try Self.cloud()
        #expect(throws: CloudError(.badRequest, "Network \(Self.secret.id) could not be found.")) {
            try Self.create(&cloud, [NICRequest(network: Self.secret.id)])
        }
        #expect(throws: CloudError(.badRequest, "Network nope could not be found.")) { try Self.create(&cloud, [NICRequest(network: "nope")]) }
        _ = try Self.create(&cloud, [NICRequest(network: Self.secret.id)], as: Caller(project: "other"))
        _ = try Self.create(&cloud, [NICRequest(network: Self.secret.id)], as: Lab.admin)
        cloud.runUntilIdle()
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a fixed IP must be in its network's subnets and free, and only for one server")
    func fixedIPsPerNetwork() throws {
        var cloud = try Self.cloud()
        let id = try Self.create(&cloud, [NICRequest(network: Self.data.id, fixedIP: "10.1.0.50")])
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).addresses.map(\.address) == ["10.1.0.50", "fd01::32"])
        #expect(throws: CloudError(.badRequest, "Fixed IP 10.0.0.5 is not a valid ip address for network \(Self.data.id).")) {
            try Self.create(&cloud, [NICRequest(network: Self.data.id, fixedIP: "10.0.0.5")])
        }
        #expect(throws: CloudError(.badRequest, "Fixed IP address 10.1.0.50 is already in use on instance \(id).")) {
            try Self.create(&cloud, [NICRequest(network: Self.data.id, fixedIP: "10.1.0.50")])
        }
        #expect(throws: CloudError(.badRequest, "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.")) {
            try Self.create(&cloud, [NICRequest(network: Self.data.id, fixedIP: "10.1.0.51")], maxCount: 2)
        }
        // The same address on another network is another address.
        _ = try Self.create(&cloud, [NICRequest(network: Network.private.id, fixedIP: "10.0.0.50")])
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        let again = try Self.create(&cloud, [NICRequest(network: Self.data.id, fixedIP: "10.1.0.50")])
        cloud.runUntilIdle()
        #expect(try cloud.server(again, as: Lab.me).status == .active)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a network with no address left fails the build with Nova's message and frees the NICs already taken")
    func exhaustionFreesEveryNIC() throws {
        var full = Network(id: "b4c1a2f0-0000-4000-8000-00000000ffff", name: "tiny", ipv4Prefix: (10, 9, 0), ipv6Prefix: "fd09::")
        full.ipv4PrefixLength = 24
        var cloud = try Lab.cloud {
            $0.networks = [.private, full]
            $0.defaultQuota = .unlimited
        }
        for number in 2...254 { _ = try Self.create(&cloud, [NICRequest(network: full.id, fixedIP: "10.9.0.\(number)")], flavor: "1") }
        cloud.runUntilIdle()
        let id = try Self.create(&cloud, [NICRequest(network: Network.private.id), NICRequest(network: full.id)])
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .error && server.addresses.isEmpty)
        #expect(server.fault?.message == "Build of instance \(id) aborted: Failed to allocate the network(s), not rescheduling.")
        #expect(cloud.world.usedPorts[0].count == 0)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("GET /os-networks lists the networks the caller may use, id and label; gone from 2.36")
    func networkDiscovery() throws {
        var cloud = try Self.cloud()
        let list = API.call(&cloud, "GET", "/os-networks").body?["networks"]?.arrayValue ?? []
        #expect(list.compactMap { $0["label"]?.stringValue } == ["private", "data"])
        #expect(list.first?["id"]?.stringValue == Network.private.id && list.first?["cidr"] == .null)
        #expect(API.call(&cloud, "GET", "/os-networks", project: "other").body?["networks"]?.arrayValue?.count == 3)
        #expect(API.call(&cloud, "GET", "/os-networks/\(Self.data.id)").body?.value(at: "network.label") == "data")
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "GET", "/os-networks/\(Self.secret.id)")).hasPrefix(
                #"404 {"itemNotFound":{"code":404,"message":"Network not found"}}"#))
        #expect(API.call(&cloud, "GET", "/os-networks", headers: ResponseShapeTests.version(36)).status == 404)
    }

    @Test("scenario files declare networks and refuse bad ones, naming the field")
    func scenarioNetworks() throws {
        let scenario = try Scenario.parse(
            #"{"networks": [{"id": "a", "name": "front", "cidr": "10.20.0.0/16"}, {"id": "b", "shared": false, "project": "p", "ipv6Prefix": "fd42::"}]}"#)
        let networks = scenario.configuration.networks
        #expect(networks.map(\.name) == ["front", "b"] && networks[0].ipv4CIDR == "10.20.0.0/16" && networks[1].ipv4CIDR == "10.1.0.0/24")
        #expect(!networks[1].isShared && networks[1].project == "p" && networks[1].ipv6Prefix == "fd42::")
        let failures: [(String, String)] = [
            (
                #"{"networks": [{"id": "a", "cidr": "10.0.0.0/8"}]}"#,
                "networks[0].cidr: expected an IPv4 CIDR with a prefix length from 16 to 24, such as 10.1.0.0/24, got 10.0.0.0/8"
            ),
            (#"{"networks": [{"id": "a"}, {"id": "a"}]}"#, "networks[1].id: network id a is used twice"),
            (#"{"networks": [{"id": "a", "shared": false}]}"#, "networks[0]: a network that is not shared needs a project"),
            (#"{"networks": [], "network": {"prefixLength": 16}}"#, "networks: give either network or networks, not both"),
        ]
        for (text, message) in failures {
            #expect(throws: ScenarioError.self, "\(message)") { try Scenario.parse(text) }
            do { _ = try Scenario.parse(text) } catch { #expect(error.description == message) }
        }
    }
}

struct WorkloadNetworkTests {
    @Test("a workload's servers get a NIC on each of its networks; an unknown one is refused by name")
    func workloadNetworks() throws {
        let networks = #""networks": [{"id": "a", "name": "front"}, {"id": "b", "name": "back"}]"#
        let scenario = try Scenario.parse(
            #"{"duration": "30m", "# + networks
                + #", "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 3}, "flavor": "2", "networks": ["b", "a"]}]}"#)
        #expect(scenario.workloads[0].networks == ["b", "a"])
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.workloads[0].createRefusals.isEmpty && report.invariantViolations.isEmpty)
        #expect(
            runner.cloud.servers(as: Caller(project: "w")).map { $0.addresses.map(\.network) }
                == Array(repeating: ["back", "back", "front", "front"], count: 3))
        // Without networks, two shared networks are ambiguous: every create is refused with 409.
        var ambiguous = try ScenarioRunner(
            scenario: Scenario.parse(
                #"{"duration": "30m", "# + networks
                    + #", "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 2}, "flavor": "2"}]}"#))
        #expect(ambiguous.run().workloads[0].createRefusals == [.conflictingRequest: 2])
        #expect(throws: ScenarioError.self) {
            try Scenario.parse(#"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 1}, "flavor": "1", "networks": ["x"]}]}"#)
        }
    }
}
