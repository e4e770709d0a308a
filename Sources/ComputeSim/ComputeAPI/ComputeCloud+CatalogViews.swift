// Flavors, images, limits, server groups and hypervisors in JSON.
extension ComputeCloud {
    static func flavorJSON(_ flavor: Flavor, detail: Bool, links: LinkBuilder) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(flavor.id.rawValue)), ("name", .string(flavor.name)), ("links", links.links("flavors", flavor.id.rawValue)),
        ]
        if detail {
            fields += [
                ("ram", .int(Int64(flavor.memoryMiB))), ("disk", .int(Int64(flavor.diskGiB))), ("vcpus", .int(Int64(flavor.vcpus))),
                ("OS-FLV-EXT-DATA:ephemeral", .int(Int64(flavor.ephemeralGiB))), ("swap", flavor.swapMiB == 0 ? "" : .int(Int64(flavor.swapMiB))),
                ("OS-FLV-DISABLED:disabled", false), ("os-flavor-access:is_public", true), ("rxtx_factor", .double(1.0)),
            ]
        }
        return .object(fields)
    }

    static func imageJSON(_ image: Image, detail: Bool, links: LinkBuilder) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(image.id.rawValue)), ("name", .string(image.name)), ("links", links.links("images", image.id.rawValue)),
        ]
        if detail {
            fields += [
                ("status", "ACTIVE"), ("minRam", .int(Int64(image.minRamMiB))), ("minDisk", .int(Int64(image.minDiskGiB))), ("progress", 100),
                ("metadata", dictionary(image.properties)),
            ]
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
            return [
                "id": .string(group.id.rawValue), "name": .string(group.name), "policies": [.string(group.policy.rawValue)], "members": .array(members),
                "metadata": [:],
            ]
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

    func hypervisorsJSON() -> [JSONValue] {
        hostPool.hostNames.enumerated().compactMap { offset, name -> JSONValue? in
            guard let host = hostPool.host(name), let usage = hostPool.usage(of: name) else { return nil }
            return [
                "id": .int(Int64(offset + 1)), "hypervisor_hostname": .string(name.rawValue), "hypervisor_type": .string(host.hypervisorType.rawValue),
                "state": .string(usage.isUp ? "up" : "down"), "status": .string(usage.isEnabled ? "enabled" : "disabled"),
                "vcpus": .int(Int64(host.total.vcpus)), "vcpus_used": .int(Int64(usage.used.vcpus)),
                "memory_mb": .int(Int64(host.total.memoryMiB)), "memory_mb_used": .int(Int64(usage.used.memoryMiB)),
                "local_gb": .int(Int64(host.total.diskGiB)), "local_gb_used": .int(Int64(usage.used.diskGiB)),
                "running_vms": .int(Int64(usage.servers)), "service": ["host": .string(name.rawValue), "id": .int(Int64(offset + 1))],
            ]
        }
    }
}
