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

/// Ports: created by a project on a network, holding their address; used at boot, bound to the
/// server, unbound (not deleted) when it goes.
struct PortTests {
    @Test("a created port holds the lowest free address and shows through the typed API and /v2.0/ports")
    func createdPortsHoldTheirAddress() throws {
        var cloud = try NetworkTests.cloud()
        let port = try cloud.createPort(network: NetworkTests.data.id, name: "db", as: Lab.me)
        #expect(port.addresses.map(\.address) == ["10.1.0.2", "fd01::2"] && port.device == nil && port.macAddress.hasPrefix("fa:16:3e:"))
        #expect(cloud.ports(as: Lab.me) == [port] && cloud.ports(as: Caller(project: "other")).isEmpty)
        // The address is taken: a server on that network gets the next one.
        let id = try NetworkTests.create(&cloud, [NICRequest(network: NetworkTests.data.id)])
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).addresses.first?.address == "10.1.0.3")
        let json = API.call(&cloud, "GET", "/v2.0/ports/\(port.id)")
        #expect(json.status == 200 && json.body?.value(at: "port.fixed_ips.0.ip_address") == "10.1.0.2" && json.body?.value(at: "port.status") == "DOWN")
        #expect(json.headers["x-openstack-request-id"]?.hasPrefix("req-") == true && json.headers["OpenStack-API-Version"] == nil)
        #expect(
            API.call(&cloud, "GET", "/v2.0/ports/\(port.id)", project: "other").bodyText
                == #"{"NeutronError":{"detail":"","message":"Port \#(port.id) could not be found.","type":"PortNotFound"}}"#)
        let made = API.call(&cloud, "POST", "/v2.0/ports", #"{"port": {"network_id": "\#(NetworkTests.data.id)", "fixed_ips": [{"ip_address": "10.1.0.77"}]}}"#)
        #expect(made.status == 201 && made.body?.value(at: "port.fixed_ips.0.ip_address") == "10.1.0.77")
        // The two ports the project made, and the one Nova made for the server.
        #expect(API.call(&cloud, "GET", "/v2.0/ports").body?["ports"]?.arrayValue?.count == 3)
        #expect(API.call(&cloud, "GET", "/v2.0/networks").body?["networks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["private", "data"])
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("port creation follows Neutron's rules and texts")
    func portCreationErrors() throws {
        var cloud = try NetworkTests.cloud()
        #expect(throws: CloudError(.itemNotFound, "Network \(NetworkTests.secret.id) could not be found.")) {
            try cloud.createPort(network: NetworkTests.secret.id, as: Lab.me)
        }
        #expect(throws: CloudError(.badRequest, "IP address 10.0.0.9 is not a valid IP for any of the subnets on the specified network.")) {
            try cloud.createPort(network: NetworkTests.data.id, fixedIP: "10.0.0.9", as: Lab.me)
        }
        _ = try cloud.createPort(network: NetworkTests.data.id, fixedIP: "10.1.0.9", as: Lab.me)
        #expect(throws: CloudError(.conflictingRequest, "Unable to complete operation for network \(NetworkTests.data.id). The IP address 10.1.0.9 is in use."))
        {
            try cloud.createPort(network: NetworkTests.data.id, fixedIP: "10.1.0.9", as: Lab.me)
        }
        let response = API.call(&cloud, "POST", "/v2.0/ports", #"{"port": {"network_id": "nope"}}"#)
        #expect(response.status == 404 && response.body?.value(at: "NeutronError.type") == "NetworkNotFound")
        #expect(
            API.call(&cloud, "POST", "/v2.0/ports", #"{"port": {}}"#).body?.value(at: "NeutronError.message")
                == "Failed to parse request. Required attribute 'network_id' not specified")
    }

    @Test("a server booted on a port takes its address and MAC and binds it; the port is unbound, not deleted, when the server goes")
    func bootingOnAPort() throws {
        var cloud = try NetworkTests.cloud()
        let port = try cloud.createPort(network: NetworkTests.data.id, fixedIP: "10.1.0.40", as: Lab.me)
        let body = #"{"server": {"name": "p", "imageRef": "\#(ComputeCloud.cirros)", "flavorRef": "1", "networks": [{"port": "\#(port.id)"}]}}"#
        let created = API.call(&cloud, "POST", "/servers", body)
        #expect(created.status == 202)
        let id = ServerID(try #require(created.body?.value(at: "server.id")?.stringValue))
        #expect(try cloud.port(port.id, as: Lab.me).device == id)
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", "/servers", body))
                == #"409 {"conflictingRequest":{"code":409,"message":"Port \#(port.id) is still in use."}}"#)
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.addresses.map(\.address) == ["10.1.0.40", "fd01::28"] && server.addresses.first?.macAddress == port.macAddress)
        #expect(API.call(&cloud, "GET", "/v2.0/ports?device_id=\(id)").body?.value(at: "ports.0.status") == "ACTIVE")
        #expect(throws: CloudError(.conflictingRequest, "Port \(port.id) is still in use.")) { try cloud.deletePort(port.id, as: Lab.me) }
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        let unbound = try cloud.port(port.id, as: Lab.me)
        #expect(unbound.device == nil && unbound.addresses == port.addresses)
        #expect(cloud.checkInvariants().isEmpty)
        // Free again: another server may boot on it; deleting it then frees the address.
        let again = try NetworkTests.create(&cloud, [NICRequest(port: port.id)])
        try cloud.deleteServer(again, as: Lab.me)
        cloud.runUntilIdle()
        #expect(API.call(&cloud, "DELETE", "/v2.0/ports/\(port.id)").status == 204)
        #expect(cloud.ports(as: Lab.me).isEmpty && cloud.world.usedPorts[1].count == 0)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("a port is refused with a fixed IP, for several servers, or when another project's")
    func portRefusals() throws {
        var cloud = try NetworkTests.cloud()
        let port = try cloud.createPort(network: NetworkTests.data.id, as: Lab.me)
        var both = NICRequest(port: port.id)
        both.fixedIP = "10.1.0.5"
        #expect(throws: CloudError(.badRequest, "Specified Fixed IP '10.1.0.5' cannot be used with port '\(port.id)': the two cannot be specified together.")) {
            try NetworkTests.create(&cloud, [both])
        }
        #expect(
            throws: CloudError(
                .badRequest,
                "Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.")
        ) { try NetworkTests.create(&cloud, [NICRequest(port: port.id)], maxCount: 2) }
        #expect(throws: CloudError(.badRequest, "Port \(port.id) could not be found.")) {
            try NetworkTests.create(&cloud, [NICRequest(port: port.id)], as: Caller(project: "other"))
        }
        #expect(try cloud.port(port.id, as: Lab.me).device == nil)
    }

    @Test("a build that fails before networking unbinds the port it was given")
    func aFailedBuildUnbindsItsPort() throws {
        var cloud = try Lab.cloud {
            $0.networks = [.private, NetworkTests.data]
            $0.hosts = [Host(name: "tiny", vcpus: 1, memoryMiB: 1_024, diskGiB: 5)]
        }
        let port = try cloud.createPort(network: NetworkTests.data.id, as: Lab.me)
        let id = try NetworkTests.create(&cloud, [NICRequest(port: port.id)], flavor: "3")
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .error)
        #expect(try cloud.port(port.id, as: Lab.me).device == nil)
        #expect(cloud.checkInvariants().isEmpty)
    }
}

/// Nova's os-interface: a running server's NICs listed, attached and detached.
struct InterfaceTests {
    @Test("a server's NICs are its interfaces, and the ports Nova made for them are listed as bound ports")
    func interfacesAndNovaPorts() throws {
        var cloud = try NetworkTests.cloud()
        let id = try NetworkTests.create(&cloud, [NICRequest(network: Network.private.id)])
        cloud.runUntilIdle()
        let interfaces = try cloud.interfaces(of: id, as: Lab.me)
        #expect(interfaces.count == 1 && interfaces[0].device == id && interfaces[0].addresses.first?.address == "10.0.0.2")
        #expect(cloud.ports(as: Lab.me) == interfaces)
        let listed = API.call(&cloud, "GET", "/servers/\(id)/os-interface").body?["interfaceAttachments"]?.arrayValue ?? []
        #expect(listed.count == 1 && listed[0]["port_id"]?.stringValue == interfaces[0].id.rawValue && listed[0]["port_state"] == "ACTIVE")
        #expect(ResponseShapeTests.keys(listed.first) == ["fixed_ips", "mac_addr", "net_id", "port_id", "port_state"])
        #expect(API.call(&cloud, "GET", "/v2.0/ports/\(interfaces[0].id)").body?.value(at: "port.device_id")?.stringValue == id.rawValue)
        #expect(throws: CloudError(.conflictingRequest, "Port \(interfaces[0].id) is still in use.")) { try cloud.deletePort(interfaces[0].id, as: Lab.me) }
        #expect(throws: CloudError(.conflictingRequest, "Port \(interfaces[0].id) is still in use.")) {
            try NetworkTests.create(&cloud, [NICRequest(port: interfaces[0].id)])
        }
    }

    @Test("attaching on a network adds a NIC and detaching frees its address; a project's port is bound, then unbound")
    func attachAndDetach() throws {
        var cloud = try NetworkTests.cloud()
        let id = try NetworkTests.create(&cloud, [NICRequest(network: Network.private.id)])
        cloud.runUntilIdle()
        let attached = API.call(&cloud, "POST", "/servers/\(id)/os-interface", #"{"interfaceAttachment": {"net_id": "\#(NetworkTests.data.id)"}}"#)
        #expect(attached.status == 200 && attached.body?.value(at: "interfaceAttachment.fixed_ips.0.ip_address") == "10.1.0.2")
        #expect(try cloud.server(id, as: Lab.me).addresses.map(\.network) == ["private", "private", "data", "data"])
        let data = try #require(attached.body?.value(at: "interfaceAttachment.port_id")?.stringValue)
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)/os-interface/\(data)").status == 202)
        #expect(try cloud.server(id, as: Lab.me).addresses.map(\.network) == ["private", "private"])
        #expect(cloud.world.usedPorts[1].count == 0)
        let port = try cloud.createPort(network: NetworkTests.data.id, as: Lab.me)
        let onPort = try cloud.attachInterface(to: id, port: port.id, as: Lab.me)
        let bound = try cloud.port(port.id, as: Lab.me)
        #expect(onPort.id == port.id && bound.device == id)
        try cloud.detachInterface(from: id, port: port.id, as: Lab.me)
        #expect(try cloud.port(port.id, as: Lab.me) == port)
        #expect(cloud.checkInvariants().isEmpty)
        // With everything attached again, deleting the server frees Nova's ports and unbinds the project's.
        _ = try cloud.attachInterface(to: id, port: port.id, as: Lab.me)
        _ = try cloud.attachInterface(to: id, network: NetworkTests.data.id, fixedIP: "10.1.0.30", as: Lab.me)
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try cloud.port(port.id, as: Lab.me).device == nil && cloud.world.usedPorts[0].count == 0 && cloud.world.usedPorts[1].count == 1)
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("attach and detach follow Nova's rules and texts")
    func interfaceRefusals() throws {
        var cloud = try NetworkTests.cloud()
        let id = try NetworkTests.create(&cloud, [NICRequest(network: Network.private.id)])
        let building = BodySchemaTests.fault(
            API.call(&cloud, "POST", "/servers/\(id)/os-interface", #"{"interfaceAttachment": {"net_id": "\#(NetworkTests.data.id)"}}"#))
        #expect(building == #"409 {"conflictingRequest":{"code":409,"message":"Cannot 'attach_interface' instance \#(id) while it is in vm_state building"}}"#)
        cloud.runUntilIdle()
        #expect(throws: CloudError(.badRequest, "Must not input both network_id and port_id")) {
            try cloud.attachInterface(to: id, network: NetworkTests.data.id, port: PortID("p"), as: Lab.me)
        }
        #expect(throws: CloudError(.badRequest, "Must input network_id when request IP address")) {
            try cloud.attachInterface(to: id, fixedIP: "10.1.0.5", as: Lab.me)
        }
        #expect(throws: CloudError(.badRequest, "Multiple possible networks found, use a Network ID to be more specific.")) {
            try cloud.attachInterface(to: id, as: Lab.me)
        }
        #expect(throws: CloudError(.itemNotFound, "Network \(NetworkTests.secret.id) could not be found.")) {
            try cloud.attachInterface(to: id, network: NetworkTests.secret.id, as: Lab.me)
        }
        #expect(throws: CloudError(.itemNotFound, "Port nope could not be found.")) { try cloud.detachInterface(from: id, port: "nope", as: Lab.me) }
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "GET", "/servers/\(id)/os-interface/nope"))
                == #"404 {"itemNotFound":{"code":404,"message":"Instance \#(id) does not have a port with id nope"}}"#)
        #expect(
            BodySchemaTests.fault(API.call(&cloud, "POST", "/servers/\(id)/os-interface", #"{"interfaceAttachment": {"network": "x"}}"#))
                == #"400 Invalid input for field/attribute interfaceAttachment. Value: {"network":"x"}. Additional properties are not allowed ('network' was unexpected)"#
        )
        _ = try cloud.perform(.lock, on: id, as: Lab.admin)
        #expect(throws: CloudError(.conflictingRequest, "Instance \(id) is locked")) {
            try cloud.attachInterface(to: id, network: NetworkTests.data.id, as: Lab.me)
        }
        #expect(cloud.checkInvariants().isEmpty)
    }
}
