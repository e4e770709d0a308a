// Flavors, images, limits, server groups and hypervisors in JSON.
extension ComputeCloud {
    /// Nova's flavor view: id, name and links; 2.55 adds the description to both views. The
    /// detail view adds sizes, access and rxtx factor; `withSpecs` (2.61) the extra specs; from
    /// 2.75 a flavor without swap shows 0 instead of "".
    static func flavorJSON(_ flavor: Flavor, detail: Bool, links: LinkBuilder, version: Microversion = .minimum, withSpecs: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(flavor.id.rawValue)), ("name", .string(flavor.name)), ("links", links.links("flavors", flavor.id.rawValue)),
        ]
        if version >= Microversion(2, 55) { fields.append(("description", flavor.description.map { .string($0) } ?? .null)) }
        if detail {
            let noSwap: JSONValue = version >= Microversion(2, 75) ? 0 : ""
            fields += [
                ("ram", .int(Int64(flavor.memoryMiB))), ("disk", .int(Int64(flavor.diskGiB))), ("vcpus", .int(Int64(flavor.vcpus))),
                ("OS-FLV-EXT-DATA:ephemeral", .int(Int64(flavor.ephemeralGiB))), ("swap", flavor.swapMiB == 0 ? noSwap : .int(Int64(flavor.swapMiB))),
                ("OS-FLV-DISABLED:disabled", false), ("os-flavor-access:is_public", .bool(flavor.isPublic)), ("rxtx_factor", .double(flavor.rxtxFactor)),
            ]
            if withSpecs { fields.append(("extra_specs", dictionary(flavor.extraSpecs))) }
        }
        return .object(fields)
    }

    /// Nova's `os-networks` view of a Neutron network: its id and name (`label`); the
    /// nova-network fields are null, and administrators see the longer list of them.
    static func networkJSON(_ network: Network, caller: Caller) -> JSONValue {
        var names = ["cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6", "gateway_v6", "netmask_v6"]
        if caller.isAdmin {
            names += [
                "created_at", "updated_at", "deleted_at", "deleted", "injected", "bridge", "vlan", "vpn_public_address", "vpn_public_port",
                "vpn_private_address", "dhcp_start", "project_id", "host", "bridge_interface", "multi_host", "priority", "rxtx_base", "mtu",
                "dhcp_server", "enable_dhcp", "share_address",
            ]
        }
        return .object([("id", .string(network.id)), ("label", .string(network.name))] + names.map { ($0, JSONValue.null) })
    }

    /// The image proxy's view: catalog images were created at the epoch, snapshots when taken
    /// (with the server they came from); `OS-EXT-IMG-SIZE:size` is in bytes.
    func imageJSON(_ image: Image, detail: Bool, links: LinkBuilder) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(image.id.rawValue)), ("name", .string(image.name)), ("links", links.links("images", image.id.rawValue)),
        ]
        if detail {
            let snapshot = world.snapshots[image.id]
            let created = JSONValue.string(wallClock.iso8601(at: snapshot?.created ?? .zero))
            fields += [
                ("status", "ACTIVE"), ("minRam", .int(Int64(image.minRamMiB))), ("minDisk", .int(Int64(image.minDiskGiB))), ("progress", 100),
                ("metadata", Self.dictionary(image.properties)), ("created", created), ("updated", created),
                ("OS-EXT-IMG-SIZE:size", .int(Int64((image.sizeGiB * 1_073_741_824).rounded()))),
            ]
            if let snapshot {
                fields.append(("server", ["id": .string(snapshot.server.rawValue), "links": links.links("servers", snapshot.server.rawValue)]))
            }
        }
        return .object(fields)
    }

    func limitsJSON(_ project: ProjectID, version: Microversion) -> JSONValue {
        let quota = world.configuration.quotas[project] ?? world.configuration.defaultQuota
        let usage = world.usage(of: project)
        let used = (instances: usage.instances, cores: usage.cores, ram: usage.ramMiB)
        let groupsUsed = world.pool.groupCount(of: project)
        var absolute: [(String, JSONValue)] = [
            ("maxServerMeta", .int(Int64(quota.metadataItems))), ("maxTotalInstances", .int(Int64(quota.instances))),
            ("maxTotalCores", .int(Int64(quota.cores))), ("maxTotalRAMSize", .int(Int64(quota.ramMiB))),
            ("maxTotalKeypairs", .int(Int64(quota.keyPairs))), ("maxServerGroups", .int(Int64(quota.serverGroups))),
            ("maxServerGroupMembers", .int(Int64(quota.serverGroupMembers))),
            ("totalInstancesUsed", .int(Int64(used.instances))), ("totalCoresUsed", .int(Int64(used.cores))),
            ("totalRAMUsed", .int(Int64(used.ram))), ("totalServerGroupsUsed", .int(Int64(groupsUsed))),
        ]
        if version < Microversion(2, 57) {
            absolute += [("maxPersonality", .int(Int64(quota.injectedFiles))), ("maxPersonalitySize", .int(Int64(quota.injectedFileContentBytes)))]
        }
        if version < Microversion(2, 39) { absolute.append(("maxImageMeta", .int(Int64(quota.metadataItems)))) }
        if version < Microversion(2, 36) {
            absolute += [
                ("maxSecurityGroups", -1), ("maxSecurityGroupRules", -1), ("maxTotalFloatingIps", -1),
                ("totalFloatingIpsUsed", 0), ("totalSecurityGroupsUsed", 0),
            ]
        }
        return ["limits": ["rate": [], "absolute": .object(absolute)]]
    }

    mutating func serverGroups(_ route: Route, method: String, request: APIRequest, caller: Caller) throws(CloudError) -> APIResponse {
        let rest = Array(route.segments.dropFirst())
        func json(_ group: ServerGroup) -> JSONValue {
            let members = world.servers.filter { !$0.isDeleted && $0.server.group == group.id }.map { JSONValue.string($0.server.id.rawValue) }
            var fields: [(String, JSONValue)] = [
                ("id", .string(group.id.rawValue)), ("name", .string(group.name)), ("policies", [.string(group.policy.rawValue)]),
                ("members", .array(members)), ("metadata", [:]),
            ]
            if request.versionAtLeast(2, 13) {
                fields += [("project_id", .string(group.project.rawValue)), ("user_id", .string(world.groupUsers[group.id] ?? ""))]
            }
            return .object(fields)
        }
        switch (rest.count, method) {
        case (0, "GET"):
            return APIResponse(
                status: 200,
                body: [
                    "server_groups": .array(
                        world.pool.groups(of: caller.isAdmin && route.value("all_projects") != nil ? nil : caller.project).filter {
                            !world.deletedGroups.contains($0.id)
                        }.map(json))
                ])
        case (0, "POST"):
            let body = try body(request)
            guard let spec = body["server_group"], let name = spec["name"]?.stringValue else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute server_group. Value: \(body.redacted.canonicalText). 'name' is a required property")
            }
            try BodySchema.rejectUnexpected(body, allowed: ["server_group"], field: nil)
            try BodySchema.rejectUnexpected(spec, allowed: ["name", "policies"], field: "server_group")
            guard let policies = spec["policies"]?.arrayValue, policies.count == 1, let policyName = policies[0].stringValue,
                let policy = ServerGroupPolicy(rawValue: policyName), policy == .affinity || policy == .antiAffinity || request.versionAtLeast(2, 15)
            else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute policies. Value: \(spec["policies"]?.redacted.canonicalText ?? "None"). \(spec["policies"]?.redacted.canonicalText ?? "None") is not valid under any of the given schemas"
                )
            }
            let id = try createServerGroup(name: name, policy: policy, as: caller)
            guard let group = world.pool.group(id) else { throw CloudError(.computeFault, "server group \(id) vanished") }
            return APIResponse(status: 200, body: ["server_group": json(group)])
        case (1, "GET"):
            return APIResponse(status: 200, body: ["server_group": json(try visibleGroup(ServerGroupID(rest[0]), as: caller))])
        case (1, "DELETE"):
            try deleteServerGroup(ServerGroupID(rest[0]), as: caller)
            return APIResponse(status: 204)
        case (0, _), (1, _):
            throw CloudError(.badMethod, "The method specified is not allowed for this resource.")
        default:
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
    }

    /// A UUID-formatted id derived from `kind` and `name` (SHA-256), so an id the API shows for
    /// a host stays the same across runs without drawing from any random stream.
    static func nameUUID(_ kind: String, _ name: String) -> String {
        let digest = SHA256.hash(Array("\(kind):\(name)".utf8))
        let hex = Array(digest.prefix(16).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined())
        return "\(String(hex[0..<8]))-\(String(hex[8..<12]))-\(String(hex[12..<16]))-\(String(hex[16..<20]))-\(String(hex[20..<32]))"
    }
}
