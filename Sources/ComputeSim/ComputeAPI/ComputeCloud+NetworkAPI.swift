// The part of Neutron's API a compute client needs beside Nova's: networks and ports under
// /v2.0, with Neutron's bodies and its {"NeutronError": {type, message, detail}} faults.
extension ComputeCloud {
    /// A Neutron fault: its HTTP status, Neutron's exception name and message.
    struct NeutronFault: Error {
        var status: Int
        var type: String
        var message: String

        init(_ error: CloudError, type: String) {
            status = error.httpStatus
            self.type = type
            message = error.message
        }

        var response: APIResponse {
            APIResponse(status: status, body: ["NeutronError": ["type": .string(type), "message": .string(message), "detail": ""]])
        }
    }

    /// Answers `/v2.0/networks[/{id}]` and `/v2.0/ports[/{id}]` (GET, POST, DELETE), or nil for
    /// any other path.
    mutating func networkAPI(_ request: APIRequest) -> APIResponse? {
        guard request.path.hasPrefix("/v2.0/") || request.path.hasPrefix("v2.0/") else { return nil }
        let route = parseRoute(request)
        // (The route parser takes "v2.0" for a project segment and drops it.)
        let segments = route.segments.first == "v2.0" ? Array(route.segments.dropFirst()) : route.segments
        guard let collection = segments.first else {
            return NeutronFault(CloudError(.itemNotFound, "The resource could not be found."), type: "HTTPNotFound").response
        }
        let caller = request.caller
        let rest = Array(segments.dropFirst())
        let method = request.method.normalized
        do throws(NeutronFault) {
            switch (collection, rest.count, method) {
            case ("networks", 0, "GET"):
                var visible = world.configuration.networks.filter { $0.isVisible(to: caller.project, isAdmin: caller.isAdmin) }
                if let name = route.value("name") { visible = visible.filter { $0.name == name } }
                if let id = route.value("id") { visible = visible.filter { $0.id == id } }
                if let status = route.value("status"), status != "ACTIVE" { visible = [] }
                if let shared = route.value("shared") { visible = visible.filter { String($0.isShared) == shared.lowercased() } }
                return APIResponse(status: 200, body: ["networks": .array(visible.map(neutronNetworkJSON))])
            case ("subnets", 0, "GET"):
                var subnets = world.configuration.networks.filter { $0.isVisible(to: caller.project, isAdmin: caller.isAdmin) }.flatMap(neutronSubnetsJSON)
                for key in ["network_id", "name", "id", "ip_version"] {
                    if let wanted = route.value(key) { subnets = subnets.filter { $0[key].map { $0.stringValue ?? $0.canonicalText } == wanted } }
                }
                return APIResponse(status: 200, body: ["subnets": .array(subnets)])
            case ("subnets", 1, "GET"):
                let subnets = world.configuration.networks.filter { $0.isVisible(to: caller.project, isAdmin: caller.isAdmin) }.flatMap(neutronSubnetsJSON)
                guard let subnet = subnets.first(where: { $0["id"]?.stringValue == rest[0] }) else {
                    throw NeutronFault(CloudError(.itemNotFound, "Subnet \(rest[0]) could not be found."), type: "SubnetNotFound")
                }
                return APIResponse(status: 200, body: ["subnet": subnet])
            case ("floatingips", 0, "GET"), ("routers", 0, "GET"), ("security-groups", 0, "GET"):
                // The simulated cloud has none of these: listed so that clients which look, find none.
                return APIResponse(status: 200, body: .object([(collection.replacingOccurrences(of: "-", with: "_"), .array([]))]))
            case ("networks", 1, "GET"):
                guard let network = world.configuration.networks.first(where: { $0.id == rest[0] && $0.isVisible(to: caller.project, isAdmin: caller.isAdmin) })
                else { throw NeutronFault(CloudError(.itemNotFound, "Network \(rest[0]) could not be found."), type: "NetworkNotFound") }
                return APIResponse(status: 200, body: ["network": neutronNetworkJSON(network)])
            case ("ports", 0, "GET"):
                var list = ports(as: caller)
                if let device = route.value("device_id") { list = list.filter { ($0.device?.rawValue ?? "") == device } }
                if let network = route.value("network_id") { list = list.filter { $0.network == network } }
                return APIResponse(status: 200, body: ["ports": .array(list.map(neutronPortJSON))])
            case ("ports", 0, "POST"):
                return try createPort(request, caller: caller)
            case ("ports", 1, "GET"):
                do { return APIResponse(status: 200, body: ["port": neutronPortJSON(try port(PortID(rest[0]), as: caller))]) } catch {
                    throw NeutronFault(error, type: "PortNotFound")
                }
            case ("ports", 1, "DELETE"):
                do { try deletePort(PortID(rest[0]), as: caller) } catch {
                    throw NeutronFault(error, type: error.code == .itemNotFound ? "PortNotFound" : "PortInUse")
                }
                return APIResponse(status: 204)
            case ("networks", 0...1, _), ("ports", 0...1, _), ("subnets", 0...1, _), ("floatingips", 0, _), ("routers", 0, _), ("security-groups", 0, _):
                throw NeutronFault(CloudError(.badMethod, "The method specified is not allowed for this resource."), type: "HTTPMethodNotAllowed")
            default:
                throw NeutronFault(CloudError(.itemNotFound, "The resource could not be found."), type: "HTTPNotFound")
            }
        } catch {
            return error.response
        }
    }

    /// `POST /v2.0/ports`: `{"port": {"network_id", "fixed_ips": [{"ip_address"}], "name"}}`.
    private mutating func createPort(_ request: APIRequest, caller: Caller) throws(NeutronFault) -> APIResponse {
        let body: JSONValue
        do { body = try self.body(request) } catch { throw NeutronFault(error, type: "HTTPBadRequest") }
        guard let spec = body["port"], spec.objectValue != nil else {
            throw NeutronFault(CloudError(.badRequest, "Resource body required"), type: "HTTPBadRequest")
        }
        guard let network = spec["network_id"]?.stringValue else {
            throw NeutronFault(CloudError(.badRequest, "Failed to parse request. Required attribute 'network_id' not specified"), type: "HTTPBadRequest")
        }
        let fixed = spec["fixed_ips"]?.arrayValue ?? []
        guard fixed.count <= 1, fixed.allSatisfy({ $0["ip_address"]?.stringValue != nil }) else {
            throw NeutronFault(CloudError(.badRequest, "Invalid input for fixed_ips: one entry with an ip_address is supported"), type: "HTTPBadRequest")
        }
        do {
            let port = try createPort(network: network, fixedIP: fixed.first?["ip_address"]?.stringValue, name: spec["name"]?.stringValue ?? "", as: caller)
            return APIResponse(status: 201, body: ["port": neutronPortJSON(port)])
        } catch {
            let type: String
            switch error.code {
            case .itemNotFound: type = "NetworkNotFound"
            case .badRequest: type = "InvalidIpForNetwork"
            default: type = error.message.hasPrefix("No more") ? "IpAddressGenerationFailure" : "IpAddressInUse"
            }
            throw NeutronFault(error, type: type)
        }
    }

    /// `/servers/{id}/os-interface[/{port_id}]`: list (GET), show (GET), attach (POST
    /// `{"interfaceAttachment": {"net_id" | "port_id", "fixed_ips": [{"ip_address"}]}}`, the body
    /// optional), detach (DELETE, 202).
    mutating func interfaceRequest(_ request: APIRequest, server id: ServerID, port: PortID?, caller: Caller, version: Microversion) throws(CloudError)
        -> APIResponse
    {
        switch (request.method.normalized, port) {
        case ("GET", nil):
            return APIResponse(status: 200, body: ["interfaceAttachments": .array(try interfaces(of: id, as: caller).map(Self.interfaceJSON))])
        case ("GET", let port?):
            guard let found = try interfaces(of: id, as: caller).first(where: { $0.id == port }) else {
                throw CloudError(.itemNotFound, "Instance \(id) does not have a port with id \(port)")
            }
            return APIResponse(status: 200, body: ["interfaceAttachment": Self.interfaceJSON(found)])
        case ("POST", nil):
            var network: String? = nil, fixedIP: String? = nil, portID: PortID? = nil
            if let bytes = request.body, !bytes.isEmpty {
                let body = try self.body(request)
                guard let spec = body["interfaceAttachment"], spec.objectValue != nil else {
                    throw CloudError(
                        .badRequest,
                        "Invalid input for field/attribute interfaceAttachment. Value: \(body.redacted.canonicalText). 'interfaceAttachment' is a required property"
                    )
                }
                try BodySchema.rejectUnexpected(body, allowed: ["interfaceAttachment"], field: nil)
                let allowed = ["net_id", "port_id", "fixed_ips"] + (version >= Microversion(2, 49) ? ["tag"] : [])
                try BodySchema.rejectUnexpected(spec, allowed: allowed, field: "interfaceAttachment")
                network = spec["net_id"]?.stringValue
                portID = spec["port_id"]?.stringValue.map { PortID($0) }
                fixedIP = spec["fixed_ips"]?.arrayValue?.first?["ip_address"]?.stringValue
            }
            let attached = try attachInterface(to: id, network: network, fixedIP: fixedIP, port: portID, as: caller)
            return APIResponse(status: 200, body: ["interfaceAttachment": Self.interfaceJSON(attached)])
        case ("DELETE", let port?):
            try detachInterface(from: id, port: port, as: caller)
            return APIResponse(status: 202)
        default:
            throw CloudError(.badMethod, "The method specified is not allowed for this resource.")
        }
    }

    /// Nova's interface attachment view of a port.
    static func interfaceJSON(_ port: Port) -> JSONValue {
        [
            "net_id": .string(port.network), "port_id": .string(port.id.rawValue), "mac_addr": .string(port.macAddress),
            "port_state": port.device == nil ? "DOWN" : "ACTIVE",
            "fixed_ips": .array(
                port.addresses.map { address in
                    ["subnet_id": .string(nameUUID(address.version == 4 ? "subnet-v4" : "subnet-v6", port.network)), "ip_address": .string(address.address)]
                }),
        ]
    }

    /// Neutron's network view; each network has one IPv4 and one IPv6 subnet, whose ids are
    /// derived from the network's.
    func neutronNetworkJSON(_ network: Network) -> JSONValue {
        [
            "id": .string(network.id), "name": .string(network.name), "status": "ACTIVE", "admin_state_up": true, "shared": .bool(network.isShared),
            "tenant_id": .string(network.project?.rawValue ?? ""), "project_id": .string(network.project?.rawValue ?? ""),
            "subnets": [.string(Self.nameUUID("subnet-v4", network.id)), .string(Self.nameUUID("subnet-v6", network.id))],
        ]
    }

    /// A network's two subnets (IPv4 from its CIDR, IPv6 a /64 of its prefix), Neutron's view.
    func neutronSubnetsJSON(_ network: Network) -> [JSONValue] {
        let project = JSONValue.string(network.project?.rawValue ?? "")
        let (a, b, c) = network.ipv4Prefix
        let v4 = "\(a).\(b).\(c)"
        // The last usable address: the one before the subnet's broadcast address.
        let base = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8
        let last = base + (UInt32(1) << UInt32(32 - network.ipv4PrefixLength)) - 2
        let lastIPv4 = "\(last >> 24).\(last >> 16 & 255).\(last >> 8 & 255).\(last & 255)"
        func subnet(_ version: Int, cidr: String, gateway: String, pool: (String, String)) -> JSONValue {
            [
                "id": .string(Self.nameUUID(version == 4 ? "subnet-v4" : "subnet-v6", network.id)), "name": .string("\(network.name)-v\(version)"),
                "network_id": .string(network.id), "tenant_id": project, "project_id": project, "ip_version": .int(Int64(version)),
                "cidr": .string(cidr), "gateway_ip": .string(gateway), "enable_dhcp": true, "dns_nameservers": [], "host_routes": [],
                "allocation_pools": [["start": .string(pool.0), "end": .string(pool.1)]],
            ]
        }
        return [
            subnet(4, cidr: network.ipv4CIDR, gateway: v4 + ".1", pool: (v4 + ".2", lastIPv4)),
            subnet(
                6, cidr: network.ipv6Prefix + "/64", gateway: network.ipv6Prefix + "1",
                pool: (network.ipv6Prefix + "2", network.ipv6Prefix + "ffff:ffff:ffff:fffe")),
        ]
    }

    /// Neutron's port view: bound ports are ACTIVE and owned by `compute:<zone>`.
    func neutronPortJSON(_ port: Port) -> JSONValue {
        let zone = port.device.flatMap { try? server($0, as: Caller(project: port.project, isAdmin: true)).availabilityZone?.rawValue } ?? "nova"
        return [
            "id": .string(port.id.rawValue), "name": .string(port.name), "network_id": .string(port.network), "tenant_id": .string(port.project.rawValue),
            "project_id": .string(port.project.rawValue), "mac_address": .string(port.macAddress), "admin_state_up": true,
            "status": port.device == nil ? "DOWN" : "ACTIVE", "device_id": .string(port.device?.rawValue ?? ""),
            "device_owner": .string(port.device == nil ? "" : "compute:\(zone)"),
            "fixed_ips": .array(
                port.addresses.map { address in
                    [
                        "subnet_id": .string(Self.nameUUID(address.version == 4 ? "subnet-v4" : "subnet-v6", port.network)),
                        "ip_address": .string(address.address),
                    ]
                }),
        ]
    }
}
