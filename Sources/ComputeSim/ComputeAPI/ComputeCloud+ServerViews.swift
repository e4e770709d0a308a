// Servers in JSON: the server view, addresses, embedded flavors, metadata bodies.
extension ComputeCloud {
    static func dictionary(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { ($0, .string(map[$0] ?? "")) })
    }

    /// Reads `{"<key>": {"k": "v", ...}}` with Nova's schema messages.
    static func metadataBody(_ body: JSONValue, key: String) throws(CloudError) -> [String: String] {
        guard let value = body[key] else {
            throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(body.redacted.canonicalText). '\(key)' is a required property")
        }
        guard let object = value.objectValue else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute \(key). Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'object'")
        }
        var result: [String: String] = [:]
        for (name, value) in object {
            guard let text = value.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute \(name). Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'string'"
                )
            }
            result[name] = text
        }
        return result
    }

    static func addresses(_ server: Server, detailed: Bool) -> JSONValue {
        var networks: [(String, JSONValue)] = []
        for network in Set(server.addresses.map(\.network)).sorted() {
            let entries = server.addresses.filter { $0.network == network }.map { address -> JSONValue in
                var fields: [(String, JSONValue)] = [("version", .int(Int64(address.version))), ("addr", .string(address.address))]
                if detailed {
                    fields.append(("OS-EXT-IPS:type", "fixed"))
                    fields.append(("OS-EXT-IPS-MAC:mac_addr", .string(address.macAddress ?? server.macAddress ?? "")))
                }
                return .object(fields)
            }
            networks.append((network, .array(entries)))
        }
        return .object(networks)
    }

    /// Which server view a response carries.
    enum ServerViewScope: Hashable, Sendable {
        /// `GET /servers/{id}` and `/servers/detail`: every attribute the caller may see.
        case full
        /// The `PUT /servers/{id}` and rebuild responses before 2.75: Nova's show view without
        /// the extended attributes (availability zone, config drive, extended status and server
        /// attributes, usage times, volumes, security groups, host status), with addresses of
        /// `version` and `addr` only; key_name only for a rebuild from 2.54.
        case updated(showsKeyName: Bool)
    }

    /// The detailed server view of nova-facts 11a at microversion 2.1 (or, for `scope`
    /// `.updated`, the reduced view of an update or rebuild response).
    func serverJSON(_ server: Server, caller: Caller, links: LinkBuilder, version: Microversion = .minimum, scope: ServerViewScope = .full) -> JSONValue {
        if case .updated(let showsKeyName) = scope {
            guard case .object(let all) = serverJSON(server, caller: Caller(project: caller.project), links: links, version: version) else { return [:] }
            let hidden: Set<String> = [
                "config_drive", "OS-EXT-AZ:availability_zone", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state", "OS-EXT-STS:power_state",
                "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at", "os-extended-volumes:volumes_attached", "security_groups",
            ]
            var fields = all.filter { !hidden.contains($0.0) && ($0.0 != "key_name" || showsKeyName) }
            if let slot = fields.firstIndex(where: { $0.0 == "addresses" }) { fields[slot].1 = Self.addresses(server, detailed: false) }
            return .object(fields)
        }
        let clock = wallClock
        func iso(_ time: SimTime) -> JSONValue { .string(clock.iso8601(at: time)) }
        var fields: [(String, JSONValue)] = [
            ("id", .string(server.id.rawValue)),
            ("name", .string(server.name)),
            ("status", .string(server.status.rawValue)),
            ("hostId", .string(server.hostID)),
            ("tenant_id", .string(server.project.rawValue)),
            ("user_id", .string(server.user)),
            ("created", iso(server.created)),
            ("updated", iso(server.updated)),
            ("image", ["id": .string(server.image.id.rawValue), "links": links.bookmark("images", server.image.id.rawValue)]),
            (
                "flavor",
                version >= Microversion(2, 47)
                    ? Self.embeddedFlavor(server.flavor)
                    : ["id": .string(server.flavor.id.rawValue), "links": links.bookmark("flavors", server.flavor.id.rawValue)]
            ),
            ("addresses", Self.addresses(server, detailed: true)),
            ("accessIPv4", .string(server.accessIPv4)),
            ("accessIPv6", .string(server.accessIPv6)),
            ("links", links.links("servers", server.id.rawValue)),
            ("metadata", Self.dictionary(server.metadata)),
            ("OS-DCF:diskConfig", .string(server.diskConfig.rawValue)),
            ("key_name", server.keyName.map(JSONValue.string) ?? .null),
            ("config_drive", ""),
            (
                "OS-EXT-AZ:availability_zone",
                .string(server.host.flatMap { hostPool.host($0)?.availabilityZone.rawValue } ?? server.availabilityZone?.rawValue ?? "")
            ),
            ("OS-EXT-STS:task_state", server.taskState.map { .string($0.rawValue) } ?? .null),
            ("OS-EXT-STS:vm_state", .string(server.vmState.rawValue)),
            ("OS-EXT-STS:power_state", .int(Int64(server.powerState.rawValue))),
            ("OS-SRV-USG:launched_at", server.launchedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null),
            ("OS-SRV-USG:terminated_at", server.terminatedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null),
            ("os-extended-volumes:volumes_attached", []),
            ("security_groups", [["name": "default"]]),
        ]
        if let progress = server.progress { fields.append(("progress", .int(Int64(progress)))) }
        if version >= Microversion(2, 9) { fields.append(("locked", .bool(server.isLocked))) }
        if version >= Microversion(2, 19) { fields.append(("description", server.description.map(JSONValue.string) ?? .null)) }
        if version >= Microversion(2, 26) { fields.append(("tags", .array(server.tags.map(JSONValue.string)))) }
        if let fault = server.fault, server.status == .error || server.status == .deleted {
            var faultFields: [(String, JSONValue)] = [("code", .int(Int64(fault.code))), ("created", iso(fault.created)), ("message", .string(fault.message))]
            // Nova adds details (its traceback) for admins, or for faults that are not 500s; a
            // simulator has no traceback, so the details repeat the message.
            if caller.isAdmin || fault.code != 500 { faultFields.append(("details", .string(fault.message))) }
            fields.append(("fault", .object(faultFields)))
        }
        if caller.isAdmin {
            fields.append(("OS-EXT-SRV-ATTR:host", server.host.map { .string($0.rawValue) } ?? .null))
            fields.append(("OS-EXT-SRV-ATTR:hypervisor_hostname", server.host.map { .string($0.rawValue) } ?? .null))
            fields.append(("OS-EXT-SRV-ATTR:instance_name", .string("instance-\(server.id.rawValue.prefix(8))")))
            if version >= Microversion(2, 3), let extended = extendedAttributes(of: server.id) {
                fields += [
                    ("OS-EXT-SRV-ATTR:reservation_id", .string(extended.reservationID)),
                    ("OS-EXT-SRV-ATTR:launch_index", .int(Int64(extended.launchIndex))),
                    ("OS-EXT-SRV-ATTR:hostname", .string(Self.hostname(server.name))),
                    ("OS-EXT-SRV-ATTR:kernel_id", ""), ("OS-EXT-SRV-ATTR:ramdisk_id", ""),
                    ("OS-EXT-SRV-ATTR:root_device_name", server.launchedAt == nil ? .null : "/dev/vda"),
                    ("OS-EXT-SRV-ATTR:user_data", extended.userData.map(JSONValue.string) ?? .null),
                ]
            }
            if version >= Microversion(2, 16) {
                // Admin-only host_status: UP, DOWN (or UNKNOWN), "" without a host.
                let status: String
                if let host = server.host, let usage = hostPool.usage(of: host) {
                    status = usage.isUp ? (usage.isEnabled ? "UP" : "MAINTENANCE") : "DOWN"
                } else {
                    status = ""
                }
                fields.append(("host_status", .string(status)))
            }
        }
        return .object(fields)
    }

    /// Nova's hostname from a display name: lower case, letters, digits and '-' only (other
    /// characters become '-'), no leading or trailing '-', at most 63 characters.
    static func hostname(_ name: String) -> String {
        let mapped = name.lowercased().map { character -> Character in
            (character.isASCII && (character.isLetter || character.isNumber)) || character == "-" ? character : "-"
        }
        var text = String(mapped.prefix(63))
        while text.hasPrefix("-") { text.removeFirst() }
        while text.hasSuffix("-") { text.removeLast() }
        return text.isEmpty ? "server" : text
    }

    /// The flavor as embedded in server views from 2.47.
    static func embeddedFlavor(_ flavor: Flavor) -> JSONValue {
        [
            "vcpus": .int(Int64(flavor.vcpus)), "ram": .int(Int64(flavor.memoryMiB)), "disk": .int(Int64(flavor.diskGiB)),
            "ephemeral": .int(Int64(flavor.ephemeralGiB)), "swap": .int(Int64(flavor.swapMiB)), "original_name": .string(flavor.name),
            "extra_specs": dictionary(flavor.extraSpecs),
        ]
    }

    static func reference(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        // The last non-empty piece between "/" bytes (a href's id), split on bytes.
        return split(Substring(text), on: "/").last { !$0.isEmpty }.map(String.init) ?? text
    }
}
