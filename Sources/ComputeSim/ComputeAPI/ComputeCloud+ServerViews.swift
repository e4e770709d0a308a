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
                // In the canonical (byte) order of the member names.
                var fields: [(String, JSONValue)] = []
                if detailed {
                    fields.append(("OS-EXT-IPS-MAC:mac_addr", .string(address.macAddress ?? server.macAddress ?? "")))
                    fields.append(("OS-EXT-IPS:type", "fixed"))
                }
                fields.append(("addr", .string(address.address)))
                fields.append(("version", .int(Int64(address.version))))
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
        let admin = caller.isAdmin
        let extended = admin && version >= Microversion(2, 3) ? extendedAttributes(of: server.id) : nil
        // Members in the order of their names' UTF-8 bytes, the order the canonical writer
        // emits, so writing the view needs no sort. ``writeServer`` writes the same view
        // straight to bytes; the tests check both agree byte for byte and are in order.
        var fields: [(String, JSONValue)] = []
        fields.reserveCapacity(48)
        fields.append(("OS-DCF:diskConfig", .string(server.diskConfig.rawValue)))
        fields.append(("OS-EXT-AZ:availability_zone", .string(availabilityZoneName(of: server))))
        if admin {
            let host: JSONValue = server.host.map { .string($0.rawValue) } ?? .null
            fields.append(("OS-EXT-SRV-ATTR:host", host))
            if extended != nil { fields.append(("OS-EXT-SRV-ATTR:hostname", .string(Self.hostname(server.name)))) }
            fields.append(("OS-EXT-SRV-ATTR:hypervisor_hostname", host))
            fields.append(("OS-EXT-SRV-ATTR:instance_name", .string("instance-" + server.id.rawValue.prefix(8))))
            if let extended {
                fields += [
                    ("OS-EXT-SRV-ATTR:kernel_id", ""),
                    ("OS-EXT-SRV-ATTR:launch_index", .int(Int64(extended.launchIndex))),
                    ("OS-EXT-SRV-ATTR:ramdisk_id", ""),
                    ("OS-EXT-SRV-ATTR:reservation_id", .string(extended.reservationID)),
                    ("OS-EXT-SRV-ATTR:root_device_name", server.launchedAt == nil ? .null : "/dev/vda"),
                    ("OS-EXT-SRV-ATTR:user_data", extended.userData.map(JSONValue.string) ?? .null),
                ]
            }
        }
        fields.append(("OS-EXT-STS:power_state", .int(Int64(server.powerState.rawValue))))
        fields.append(("OS-EXT-STS:task_state", server.taskState.map { .string($0.rawValue) } ?? .null))
        fields.append(("OS-EXT-STS:vm_state", .string(server.vmState.rawValue)))
        fields.append(("OS-SRV-USG:launched_at", server.launchedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null))
        fields.append(("OS-SRV-USG:terminated_at", server.terminatedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null))
        fields.append(("accessIPv4", .string(server.accessIPv4)))
        fields.append(("accessIPv6", .string(server.accessIPv6)))
        fields.append(("addresses", Self.addresses(server, detailed: true)))
        fields.append(("config_drive", ""))
        fields.append(("created", iso(server.created)))
        if version >= Microversion(2, 19) { fields.append(("description", server.description.map(JSONValue.string) ?? .null)) }
        if let fault = server.fault, server.status == .error || server.status == .deleted {
            var faultFields: [(String, JSONValue)] = [("code", .int(Int64(fault.code))), ("created", iso(fault.created))]
            // Nova adds details (its traceback) for admins, or for faults that are not 500s; a
            // simulator has no traceback, so the details repeat the message.
            if admin || fault.code != 500 { faultFields.append(("details", .string(fault.message))) }
            faultFields.append(("message", .string(fault.message)))
            fields.append(("fault", .object(faultFields)))
        }
        fields.append(
            (
                "flavor",
                version >= Microversion(2, 47)
                    ? Self.embeddedFlavor(server.flavor)
                    : ["id": .string(server.flavor.id.rawValue), "links": links.bookmark("flavors", server.flavor.id.rawValue)]
            ))
        fields.append(("hostId", .string(server.hostID)))
        if admin && version >= Microversion(2, 16) { fields.append(("host_status", .string(hostStatus(of: server)))) }
        fields.append(("id", .string(server.id.rawValue)))
        fields.append(("image", ["id": .string(server.image.id.rawValue), "links": links.bookmark("images", server.image.id.rawValue)]))
        fields.append(("key_name", server.keyName.map(JSONValue.string) ?? .null))
        fields.append(("links", links.links("servers", server.id.rawValue)))
        if version >= Microversion(2, 9) { fields.append(("locked", .bool(server.isLocked))) }
        fields.append(("metadata", Self.dictionary(server.metadata)))
        fields.append(("name", .string(server.name)))
        fields.append(("os-extended-volumes:volumes_attached", []))
        if let progress = server.progress { fields.append(("progress", .int(Int64(progress)))) }
        fields.append(("security_groups", [["name": "default"]]))
        fields.append(("status", .string(server.status.rawValue)))
        if version >= Microversion(2, 26) { fields.append(("tags", .array(server.tags.map(JSONValue.string)))) }
        fields.append(("tenant_id", .string(server.project.rawValue)))
        fields.append(("updated", iso(server.updated)))
        fields.append(("user_id", .string(server.user)))
        return .object(fields)
    }

    /// The server view's availability zone: its host's, else the one it asked for, else "".
    func availabilityZoneName(of server: Server) -> String {
        server.host.flatMap { hostPool.host($0)?.availabilityZone.rawValue } ?? server.availabilityZone?.rawValue ?? ""
    }

    /// Admin-only host_status: UP, MAINTENANCE (disabled), DOWN, "" without a host.
    func hostStatus(of server: Server) -> String {
        guard let host = server.host, let usage = hostPool.usage(of: host) else { return "" }
        return usage.isUp ? (usage.isEnabled ? "UP" : "MAINTENANCE") : "DOWN"
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
            "disk": .int(Int64(flavor.diskGiB)), "ephemeral": .int(Int64(flavor.ephemeralGiB)), "extra_specs": dictionary(flavor.extraSpecs),
            "original_name": .string(flavor.name), "ram": .int(Int64(flavor.memoryMiB)), "swap": .int(Int64(flavor.swapMiB)),
            "vcpus": .int(Int64(flavor.vcpus)),
        ]
    }

    static func reference(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        // The last non-empty piece between "/" bytes (a href's id), split on bytes.
        return split(Substring(text), on: "/").last { !$0.isEmpty }.map(String.init) ?? text
    }

    // MARK: Written straight to bytes

    /// The full server view (``serverJSON(_:caller:links:version:scope:)`` with scope `.full`)
    /// written straight to canonical bytes, for the network front end: no tree to build, walk
    /// and free (about a third of the instructions). Kept member for member with
    /// ``serverJSON(_:caller:links:version:scope:)``: the tests compare the two byte for byte
    /// for every microversion, scope and caller.
    func writeServer(_ server: Server, caller: Caller, links: LinkBuilder, version: Microversion, into sink: inout JSONByteWriter) {
        let clock = wallClock
        let admin = caller.isAdmin
        let extended = admin && version >= Microversion(2, 3) ? extendedAttributes(of: server.id) : nil
        sink.beginObject()
        sink.member("OS-DCF:diskConfig", server.diskConfig.rawValue)
        sink.member("OS-EXT-AZ:availability_zone", availabilityZoneName(of: server))
        if admin {
            sink.member("OS-EXT-SRV-ATTR:host", server.host?.rawValue)
            if extended != nil { sink.member("OS-EXT-SRV-ATTR:hostname", Self.hostname(server.name)) }
            sink.member("OS-EXT-SRV-ATTR:hypervisor_hostname", server.host?.rawValue)
            sink.member("OS-EXT-SRV-ATTR:instance_name", "instance-" + server.id.rawValue.prefix(8))
            if let extended {
                sink.member("OS-EXT-SRV-ATTR:kernel_id", "")
                sink.member("OS-EXT-SRV-ATTR:launch_index", int: Int64(extended.launchIndex))
                sink.member("OS-EXT-SRV-ATTR:ramdisk_id", "")
                sink.member("OS-EXT-SRV-ATTR:reservation_id", extended.reservationID)
                sink.member("OS-EXT-SRV-ATTR:root_device_name", server.launchedAt == nil ? nil : "/dev/vda")
                sink.member("OS-EXT-SRV-ATTR:user_data", extended.userData)
            }
        }
        sink.member("OS-EXT-STS:power_state", int: Int64(server.powerState.rawValue))
        sink.member("OS-EXT-STS:task_state", server.taskState?.rawValue)
        sink.member("OS-EXT-STS:vm_state", server.vmState.rawValue)
        sink.member("OS-SRV-USG:launched_at", server.launchedAt.map { clock.isoMicroseconds(at: $0) })
        sink.member("OS-SRV-USG:terminated_at", server.terminatedAt.map { clock.isoMicroseconds(at: $0) })
        sink.member("accessIPv4", server.accessIPv4)
        sink.member("accessIPv6", server.accessIPv6)
        sink.key("addresses")
        Self.writeAddresses(server, detailed: true, into: &sink)
        sink.member("config_drive", "")
        sink.member("created", clock.iso8601(at: server.created))
        if version >= Microversion(2, 19) { sink.member("description", server.description) }
        if let fault = server.fault, server.status == .error || server.status == .deleted {
            sink.key("fault")
            sink.beginObject()
            sink.member("code", int: Int64(fault.code))
            sink.member("created", clock.iso8601(at: fault.created))
            // Nova adds details (its traceback) for admins, or for faults that are not 500s; a
            // simulator has no traceback, so the details repeat the message.
            if admin || fault.code != 500 { sink.member("details", fault.message) }
            sink.member("message", fault.message)
            sink.endObject()
        }
        sink.key("flavor")
        if version >= Microversion(2, 47) {
            Self.writeEmbeddedFlavor(server.flavor, into: &sink)
        } else {
            sink.beginObject()
            sink.member("id", server.flavor.id.rawValue)
            sink.key("links")
            links.writeBookmark("flavors", server.flavor.id.rawValue, into: &sink)
            sink.endObject()
        }
        sink.member("hostId", server.hostID)
        if admin && version >= Microversion(2, 16) { sink.member("host_status", hostStatus(of: server)) }
        sink.member("id", server.id.rawValue)
        sink.key("image")
        sink.beginObject()
        sink.member("id", server.image.id.rawValue)
        sink.key("links")
        links.writeBookmark("images", server.image.id.rawValue, into: &sink)
        sink.endObject()
        sink.member("key_name", server.keyName)
        sink.key("links")
        links.writeLinks("servers", server.id.rawValue, into: &sink)
        if version >= Microversion(2, 9) { sink.member("locked", bool: server.isLocked) }
        sink.key("metadata")
        sink.object(server.metadata)
        sink.member("name", server.name)
        sink.key("os-extended-volumes:volumes_attached")
        sink.beginArray()
        sink.endArray()
        if let progress = server.progress { sink.member("progress", int: Int64(progress)) }
        sink.key("security_groups")
        sink.beginArray()
        sink.beginObject()
        sink.member("name", "default")
        sink.endObject()
        sink.endArray()
        sink.member("status", server.status.rawValue)
        if version >= Microversion(2, 26) {
            sink.key("tags")
            sink.beginArray()
            for tag in server.tags { sink.string(tag) }
            sink.endArray()
        }
        sink.member("tenant_id", server.project.rawValue)
        sink.member("updated", clock.iso8601(at: server.updated))
        sink.member("user_id", server.user)
        sink.endObject()
    }

    /// ``addresses(_:detailed:)`` written to bytes.
    static func writeAddresses(_ server: Server, detailed: Bool, into sink: inout JSONByteWriter) {
        sink.beginObject()
        var networks = server.addresses.map(\.network)
        networks.sort(by: JSONValue.utf8Precedes)
        var previous: String? = nil
        for network in networks where network != previous {
            previous = network
            sink.key(string: network)
            sink.beginArray()
            // In the canonical (byte) order of the member names.
            for address in server.addresses where address.network == network {
                sink.beginObject()
                if detailed {
                    sink.member("OS-EXT-IPS-MAC:mac_addr", address.macAddress ?? server.macAddress ?? "")
                    sink.member("OS-EXT-IPS:type", "fixed")
                }
                sink.member("addr", address.address)
                sink.member("version", int: Int64(address.version))
                sink.endObject()
            }
            sink.endArray()
        }
        sink.endObject()
    }

    /// ``embeddedFlavor(_:)`` written to bytes.
    static func writeEmbeddedFlavor(_ flavor: Flavor, into sink: inout JSONByteWriter) {
        sink.beginObject()
        sink.member("disk", int: Int64(flavor.diskGiB))
        sink.member("ephemeral", int: Int64(flavor.ephemeralGiB))
        sink.key("extra_specs")
        sink.object(flavor.extraSpecs)
        sink.member("original_name", flavor.name)
        sink.member("ram", int: Int64(flavor.memoryMiB))
        sink.member("swap", int: Int64(flavor.swapMiB))
        sink.member("vcpus", int: Int64(flavor.vcpus))
        sink.endObject()
    }
}
