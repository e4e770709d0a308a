import Testing

@testable import ComputeSim

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
