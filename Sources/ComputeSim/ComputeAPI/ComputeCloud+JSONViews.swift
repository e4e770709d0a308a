import Foundation  // NSRegularExpression

/// Builds self and bookmark links as Nova does: self has `/v2.1`, bookmark does not; the
/// project segment appears only when the request URL had it.
struct LinkBuilder {
    var base: String
    var project: String?

    func links(_ collection: String, _ id: String) -> JSONValue {
        let tail = (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
        return [["rel": "self", "href": .string(base + "/v2.1" + tail)], ["rel": "bookmark", "href": .string(base + tail)]]
    }

    func bookmark(_ collection: String, _ id: String) -> JSONValue {
        [["rel": "bookmark", "href": .string(base + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)")]]
    }

    func selfHref(_ collection: String, _ id: String) -> String {
        base + "/v2.1" + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
    }
}

extension ComputeCloud {
    static func dictionary(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { ($0, .string(map[$0] ?? "")) })
    }

    /// Reads `{"<key>": {"k": "v", ...}}` with Nova's schema messages.
    static func metadataBody(_ body: JSONValue, key: String) throws(CloudError) -> [String: String] {
        guard let value = body[key] else {
            throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(body.canonicalText). '\(key)' is a required property")
        }
        guard let object = value.objectValue else {
            throw CloudError(
                .badRequest, "Invalid input for field/attribute \(key). Value: \(value.canonicalText). \(value.canonicalText) is not of type 'object'")
        }
        var result: [String: String] = [:]
        for (name, value) in object {
            guard let text = value.stringValue else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute \(name). Value: \(value.canonicalText). \(value.canonicalText) is not of type 'string'")
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
                    fields.append(("OS-EXT-IPS-MAC:mac_addr", .string(server.macAddress ?? "")))
                }
                return .object(fields)
            }
            networks.append((network, .array(entries)))
        }
        return .object(networks)
    }

    /// The detailed server view of nova-facts 11a at microversion 2.1.
    func serverJSON(_ server: Server, caller: Caller, links: LinkBuilder, version: (Int, Int) = (2, 1)) -> JSONValue {
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
                version >= (2, 47)
                    ? Self.embeddedFlavor(server.flavor)
                    : ["id": .string(server.flavor.id.rawValue), "links": links.bookmark("flavors", server.flavor.id.rawValue)]
            ),
            ("addresses", Self.addresses(server, detailed: true)),
            ("accessIPv4", .string(server.accessIPv4)),
            ("accessIPv6", .string(server.accessIPv6)),
            ("links", links.links("servers", server.id.rawValue)),
            ("metadata", Self.dictionary(server.metadata)),
            ("OS-DCF:diskConfig", .string(server.diskConfig)),
            ("key_name", .null),
            ("config_drive", ""),
            (
                "OS-EXT-AZ:availability_zone",
                .string(server.host.flatMap { hostPool.host($0)?.availabilityZone.rawValue } ?? server.availabilityZone?.rawValue ?? "")
            ),
            ("OS-EXT-STS:task_state", server.taskState.map { .string($0.rawValue) } ?? .null),
            ("OS-EXT-STS:vm_state", .string(server.vmState.rawValue)),
            ("OS-EXT-STS:power_state", .int(Int64(server.powerState.rawValue))),
            ("OS-SRV-USG:launched_at", server.launchedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null),
            ("OS-SRV-USG:terminated_at", .null),
            ("os-extended-volumes:volumes_attached", []),
            ("security_groups", [["name": "default"]]),
        ]
        if let progress = server.progress { fields.append(("progress", .int(Int64(progress)))) }
        if version >= (2, 9) { fields.append(("locked", .bool(server.isLocked))) }
        if version >= (2, 19) { fields.append(("description", server.description.map(JSONValue.string) ?? .null)) }
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
            if version >= (2, 3), let extended = extendedAttributes(of: server.id) {
                fields += [
                    ("OS-EXT-SRV-ATTR:reservation_id", .string(extended.reservationID)),
                    ("OS-EXT-SRV-ATTR:launch_index", .int(Int64(extended.launchIndex))),
                    ("OS-EXT-SRV-ATTR:hostname", .string(Self.hostname(server.name))),
                    ("OS-EXT-SRV-ATTR:kernel_id", ""), ("OS-EXT-SRV-ATTR:ramdisk_id", ""),
                    ("OS-EXT-SRV-ATTR:root_device_name", server.launchedAt == nil ? .null : "/dev/vda"),
                    ("OS-EXT-SRV-ATTR:user_data", extended.userData.map(JSONValue.string) ?? .null),
                ]
            }
            if version >= (2, 16) {
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
        return text.split(separator: "/").last.map(String.init) ?? text
    }

    /// Reads `networks` (nova-facts 9): optional before 2.37, required from 2.37 ("auto", "none"
    /// or a list); entries name the cloud's network by uuid, optionally with a fixed_ip; ports
    /// do not exist here. ComputeSim gives a server at most one NIC.
    func networkRequest(_ value: JSONValue?, version: (Int, Int), maxCount: Int) throws(CloudError) -> NetworkRequest {
        guard let value else {
            if version >= (2, 37) { throw CloudError(.badRequest, "Invalid input for field/attribute server. 'networks' is a required property") }
            return .automatic
        }
        if let text = value.stringValue, version >= (2, 37) {
            switch text {
            case "auto": return .automatic
            case "none": return .none
            default: throw CloudError(.badRequest, "Invalid input for field/attribute networks. Value: \(text). '\(text)' is not one of ['none', 'auto']")
            }
        }
        guard let entries = value.arrayValue else { throw CloudError(.badRequest, "Bad networks format") }
        guard entries.count <= 1 else { throw CloudError(.badRequest, "Bad networks format: ComputeSim gives a server at most one network interface") }
        guard let entry = entries.first else { return .automatic }
        guard entry.objectValue != nil else { throw CloudError(.badRequest, "Bad networks format") }
        let fixed = entry["fixed_ip"]?.stringValue
        if let port = entry["port"]?.stringValue {
            if let fixed {
                throw CloudError(.badRequest, "Specified Fixed IP '\(fixed)' cannot be used with port '\(port)': the two cannot be specified together.")
            }
            throw CloudError(.badRequest, "Port \(port) could not be found.")
        }
        guard let uuid = entry["uuid"]?.stringValue else { throw CloudError(.badRequest, "Bad network format: missing 'uuid'") }
        guard uuid == world.configuration.network.id else {
            if version < (2, 37) && !Self.looksLikeUUID(uuid) {
                throw CloudError(.badRequest, "Bad networks format: network uuid is not in proper format (\(uuid))")
            }
            throw CloudError(.badRequest, "Network \(uuid) could not be found.")
        }
        guard let fixed else { return .automatic }
        guard IPAddress.normalizedIPv4(fixed) != nil || IPAddress.normalizedIPv6(fixed) != nil else {
            throw CloudError(.badRequest, "Invalid input for field/attribute fixed_ip. Value: \(fixed). '\(fixed)' is not valid under any of the given schemas")
        }
        return .fixedIP(fixed)
    }

    static func looksLikeUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    mutating func createServer(_ body: JSONValue, caller: Caller, links: LinkBuilder, version: (Int, Int)) throws(CloudError) -> APIResponse {
        guard let server = body["server"], server.objectValue != nil else {
            throw CloudError(.badRequest, "Invalid input for field/attribute server. Value: \(body.canonicalText). 'server' is a required property")
        }
        func required(_ key: String) throws(CloudError) -> String {
            guard let value = server[key] else {
                throw CloudError(.badRequest, "Invalid input for field/attribute server. Value: \(server.canonicalText). '\(key)' is a required property")
            }
            guard let text = Self.reference(value) else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute \(key). Value: \(value.canonicalText). \(value.canonicalText) is not of type 'string'")
            }
            return text
        }
        let name = try required("name")
        var request = CreateServerRequest(name: name, image: ImageID(try required("imageRef")), flavor: FlavorID(try required("flavorRef")))
        if let password = server["adminPass"] {
            guard let text = password.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute adminPass. Value: \(password.canonicalText). \(password.canonicalText) is not of type 'string'")
            }
            request.adminPass = text
        }
        if server["metadata"] != nil { request.metadata = try Self.metadataBody(server, key: "metadata") }
        if let files = server["personality"] {
            guard let list = files.arrayValue else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute personality. Value: \(files.canonicalText). \(files.canonicalText) is not of type 'array'")
            }
            request.personality = try list.map { (entry: JSONValue) throws(CloudError) -> Personality in
                guard let path = entry["path"]?.stringValue, let contents = entry["contents"]?.stringValue else {
                    throw CloudError(.badRequest, "Bad personality format: missing \(entry["path"] == nil ? "path" : "contents")")
                }
                return Personality(path: path, contents: contents)
            }
        }
        if let zone = server["availability_zone"]?.stringValue { request.availabilityZone = AvailabilityZone(zone) }
        for key in ["accessIPv4", "accessIPv6"] {
            guard let value = server[key] else { continue }
            guard let text = value.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute \(key). Value: \(value.canonicalText). '\(value.canonicalText)' is not a '\(key == "accessIPv4" ? "ipv4" : "ipv6")'"
                )
            }
            if key == "accessIPv4" { request.accessIPv4 = text } else { request.accessIPv6 = text }
        }
        for key in ["min_count", "max_count"] {
            if let value = server[key] {
                guard let count = value.intValue, count >= 1, count <= 1_000 else {
                    throw CloudError(
                        .badRequest,
                        "Invalid input for field/attribute \(key). Value: \(value.canonicalText). \(value.canonicalText) is less than the minimum of 1")
                }
                if key == "min_count" { request.minCount = Int(count) } else { request.maxCount = Int(count) }
            }
        }
        if server["min_count"] != nil && server["max_count"] == nil { request.maxCount = request.minCount }
        if let group = body["os:scheduler_hints"]?["group"]?.stringValue { request.group = ServerGroupID(group) }
        request.network = try networkRequest(server["networks"], version: version, maxCount: request.maxCount)
        if let diskConfig = server["OS-DCF:diskConfig"] {
            guard let text = diskConfig.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute OS-DCF:diskConfig. Value: \(diskConfig.canonicalText). \(diskConfig.canonicalText) is not one of ['AUTO', 'MANUAL']"
                )
            }
            request.diskConfig = text
        }
        if server["key_name"] != nil {
            // ComputeSim has no key pairs, so every name is unknown, as in Nova for a missing one.
            throw CloudError(.badRequest, "Invalid key_name provided.")
        }
        if let userData = server["user_data"] {
            request.userData = userData.stringValue
            guard let text = userData.stringValue, Base64.decodeStrict(text) != nil else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute user_data. Value: \(userData.canonicalText.prefix(64)). \(userData.canonicalText.prefix(64)) is not a 'base64'"
                )
            }
            guard text.utf8.count <= 65_535 else {
                throw CloudError(
                    .badRequest, "User data too large. User data must be no larger than 65535 bytes once base64 encoded. Your data is \(text.utf8.count) bytes")
            }
        }
        if let groups = server["security_groups"] {
            guard let list = groups.arrayValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute security_groups. Value: \(groups.canonicalText). \(groups.canonicalText) is not of type 'array'")
            }
            for group in list {
                guard let name = group["name"]?.stringValue else {
                    throw CloudError(
                        .badRequest, "Invalid input for field/attribute security_groups. Value: \(groups.canonicalText). 'name' is a required property")
                }
                // Only the project's default security group exists.
                guard name == "default" else { throw CloudError(.badRequest, "Security group \(name) not found for project \(caller.project).") }
            }
        }
        if version >= (2, 19), let description = server["description"] {
            guard let text = description.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute description. Value: \(description.canonicalText). \(description.canonicalText) is not of type 'string'")
            }
            request.description = text
        }
        let created = try createServers(request, as: caller)
        guard let first = created.ids.first else { throw CloudError(.computeFault, "no server was created") }
        var fields: [(String, JSONValue)] = [
            ("id", .string(first.rawValue)),
            ("links", links.links("servers", first.rawValue)),
            ("OS-DCF:diskConfig", .string((try? self.server(first, as: caller).diskConfig) ?? "MANUAL")),
            ("security_groups", server["security_groups"] ?? [["name": "default"]]),
        ]
        if let password = created.adminPass { fields.append(("adminPass", .string(password))) }
        return APIResponse(status: 202, headers: ["Location": links.selfHref("servers", first.rawValue)], body: ["server": .object(fields)])
    }

    /// Nova's `[api] max_limit`.
    static let maximumLimit = 1_000

    /// GET /servers and /servers/detail with Nova's filters, sorting and pagination
    /// (nova-facts 10): name (unanchored, case-sensitive regex), status (the reverse state map),
    /// image, flavor, ip and ip6 (prefix regex on fixed addresses), changes-since (includes
    /// deleted servers as DELETED), all_tenants (admin), sort_key/sort_dir, limit/marker.
    func listServers(_ route: Route, caller: Caller, detail: Bool, links: LinkBuilder, version: (Int, Int)) throws(CloudError) -> APIResponse {
        func invalid(_ name: String, _ value: String, _ format: String) -> CloudError {
            CloudError(.badRequest, "Invalid input for query parameters \(name). Value: \(value). '\(value)' is not a '\(format)'")
        }
        let allTenants = route.value("all_tenants") != nil
        if allTenants && !caller.isAdmin { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.") }
        var since: SimTime? = nil
        if let text = route.value("changes-since") {
            guard let time = wallClock.time(parsingISO8601: text) else { throw invalid("changes-since", text, "date-time") }
            since = time
        }
        let statuses = route.values("status")
        let wantsDeleted = statuses.contains { $0.uppercased() == "DELETED" }
        if wantsDeleted && !caller.isAdmin { throw CloudError(.forbidden, "Only administrators may list deleted instances") }
        // Deleted servers appear only with changes-since, or for an admin asking for DELETED.
        let includeDeleted = since != nil || wantsDeleted
        var list: [Server] = world.servers.indices.compactMap { index -> Server? in
            let record = world.servers[index]
            guard allTenants || record.server.project == caller.project else { return nil }
            guard includeDeleted || (!record.isDeleted && record.server.vmState != .softDeleted) else { return nil }
            return world.view(Int32(index), now: now)
        }
        if let since { list = list.filter { $0.updated >= since } }
        if !statuses.isEmpty {
            let filter = StatusFilter(statuses: statuses)
            if filter.matchesNothing && version >= (2, 38) { throw CloudError(.badRequest, "Invalid status value") }
            list = list.filter { server in
                (wantsDeleted && server.status == .deleted)
                    || (server.status != .deleted && filter.matches(vmState: server.vmState, taskState: server.taskState))
            }
        }
        if let pattern = route.value("name") {
            guard !pattern.isEmpty, let regex = try? NSRegularExpression(pattern: pattern) else { throw invalid("name", pattern, "regex") }
            list = list.filter { regex.firstMatch(in: $0.name, range: NSRange($0.name.startIndex..., in: $0.name)) != nil }
        }
        if let image = Self.reference(route.value("image").map(JSONValue.string)) { list = list.filter { $0.image.id.rawValue == image } }
        if let flavor = Self.reference(route.value("flavor").map(JSONValue.string)) { list = list.filter { $0.flavor.id.rawValue == flavor } }
        for (key, family) in [("ip", 4), ("ip6", 6)] where key == "ip" || version >= (2, 5) {
            guard let pattern = route.value(key) else { continue }
            guard let regex = try? NSRegularExpression(pattern: pattern) else { throw invalid(key, pattern, "regex") }
            list = list.filter { server in
                server.addresses.contains { address in
                    address.version == family
                        && regex.firstMatch(in: address.address, options: .anchored, range: NSRange(address.address.startIndex..., in: address.address)) != nil
                }
            }
        }
        list = try Self.sorted(list, route: route, caller: caller)
        if let marker = route.value("marker") {
            guard let position = list.firstIndex(where: { $0.id.rawValue == marker }) else { throw CloudError(.badRequest, "marker [\(marker)] not found") }
            list = Array(list[(position + 1)...])
        }
        var limit = Self.maximumLimit
        if let text = route.value("limit") {
            guard let value = Int(text), value >= 0 else { throw invalid("limit", text, "positive integer") }
            limit = min(value, Self.maximumLimit)
        }
        list = Array(list.prefix(limit))
        let items: [JSONValue] = list.map {
            detail
                ? serverJSON($0, caller: caller, links: links, version: version)
                : ["id": .string($0.id.rawValue), "links": links.links("servers", $0.id.rawValue), "name": .string($0.name)]
        }
        var body: [(String, JSONValue)] = [("servers", .array(items))]
        // Nova adds a next link whenever the page is full, even when nothing follows.
        if limit > 0, list.count == limit, let last = list.last {
            let query = (route.query.filter { $0.0 != "marker" } + [("marker", last.id.rawValue)]).sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
            let base = links.selfHref("servers", detail ? "detail" : "").replacingOccurrences(of: "/servers/", with: detail ? "/servers/" : "/servers")
            body.append(("servers_links", [["rel": "next", "href": .string(base + "?" + query.joined(separator: "&"))]]))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// Sorts by the requested keys (default created_at desc), with `id` appended in the first
    /// direction; keys this facade does not know are ignored, as Nova does before 2.75.
    static func sorted(_ servers: [Server], route: Route, caller: Caller) throws(CloudError) -> [Server] {
        let keys = route.values("sort_key"), directions = route.values("sort_dir")
        guard directions.count <= max(keys.count, 1) else { throw CloudError(.badRequest, "The number of sort_keys and sort_dirs must be same") }
        for direction in directions where direction != "asc" && direction != "desc" {
            throw CloudError(.badRequest, "Unknown sort direction, must be 'desc' or 'asc'")
        }
        if (keys.contains("host") || keys.contains("node")) && !caller.isAdmin { throw CloudError(.forbidden, "Only administrators can sort servers by host") }
        var criteria: [(String, Bool)] = []
        for (index, key) in (keys.isEmpty ? ["created_at"] : keys).enumerated() {
            criteria.append((key, (index < directions.count ? directions[index] : (directions.first ?? "desc")) == "asc"))
        }
        criteria.append(("uuid", criteria.first?.1 ?? false))
        func compare(_ a: Server, _ b: Server, _ key: String) -> Int? {
            func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
            switch key {
            case "created_at": return order(a.created, b.created)
            case "updated_at": return order(a.updated, b.updated)
            case "display_name": return order(a.name, b.name)
            case "uuid", "id": return order(a.id, b.id)
            case "vm_state": return order(a.vmState.rawValue, b.vmState.rawValue)
            case "task_state": return order(a.taskState?.rawValue ?? "", b.taskState?.rawValue ?? "")
            case "power_state": return order(a.powerState.rawValue, b.powerState.rawValue)
            case "image_ref": return order(a.image.id, b.image.id)
            case "launched_at": return order(a.launchedAt ?? .zero, b.launchedAt ?? .zero)
            case "progress": return order(a.progress ?? 0, b.progress ?? 0)
            case "project_id": return order(a.project, b.project)
            case "user_id": return order(a.user, b.user)
            case "host": return order(a.host?.rawValue ?? "", b.host?.rawValue ?? "")
            case "availability_zone": return order(a.availabilityZone?.rawValue ?? "", b.availabilityZone?.rawValue ?? "")
            default: return nil
            }
        }
        return servers.sorted { a, b in
            for (key, ascending) in criteria {
                guard let result = compare(a, b, key), result != 0 else { continue }
                return ascending ? result < 0 : result > 0
            }
            return false
        }
    }

    mutating func performAction(_ body: JSONValue, on id: ServerID, caller: Caller, links: LinkBuilder, version: (Int, Int)) throws(CloudError) -> APIResponse {
        guard let entries = body.objectValue, entries.count == 1, let (name, argument) = entries.first else {
            throw CloudError(.badRequest, "Malformed request body")
        }
        func string(_ key: String) -> String? { argument[key]?.stringValue }
        let request: ServerActionRequest
        switch name {
        case "reboot":
            guard let type = string("type"), ["SOFT", "HARD"].contains(type.uppercased()) else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute type. Value: \(argument["type"]?.canonicalText ?? "None"). \(argument["type"]?.canonicalText ?? "None") is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']"
                )
            }
            request = .reboot(hard: type.uppercased() == "HARD")
        case "rebuild":
            guard let image = Self.reference(argument["imageRef"]) else {
                throw CloudError(.badRequest, "Invalid input for field/attribute rebuild. Value: \(argument.canonicalText). 'imageRef' is a required property")
            }
            var files: [Personality] = []
            for entry in argument["personality"]?.arrayValue ?? [] {
                guard let path = entry["path"]?.stringValue, let contents = entry["contents"]?.stringValue else {
                    throw CloudError(.badRequest, "Bad personality format")
                }
                files.append(Personality(path: path, contents: contents))
            }
            request = .rebuild(image: ImageID(image), adminPass: string("adminPass"), personality: files)
        case "resize":
            guard let flavor = Self.reference(argument["flavorRef"]) else {
                throw CloudError(.badRequest, "Invalid input for field/attribute resize. Value: \(argument.canonicalText). 'flavorRef' is a required property")
            }
            request = .resize(flavor: FlavorID(flavor))
        case "confirmResize": request = .confirmResize
        case "revertResize": request = .revertResize
        case "migrate": request = .migrate
        case "os-migrateLive": request = .liveMigrate
        case "rescue": request = .rescue(adminPass: string("adminPass"))
        case "unrescue": request = .unrescue
        case "suspend": request = .suspend
        case "resume": request = .resume
        case "pause": request = .pause
        case "unpause": request = .unpause
        case "os-start": request = .start
        case "os-stop": request = .stop
        case "shelve": request = .shelve
        case "shelveOffload": request = .shelveOffload
        case "unshelve": request = .unshelve
        case "changePassword":
            guard let password = string("adminPass") else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute changePassword. Value: \(argument.canonicalText). 'adminPass' is a required property")
            }
            request = .changePassword(password)
        case "lock": request = .lock
        case "unlock": request = .unlock
        case "createImage":
            guard let imageName = string("name") else {
                throw CloudError(.badRequest, "Invalid input for field/attribute createImage. Value: \(argument.canonicalText). 'name' is a required property")
            }
            request = .createImage(name: imageName)
        case "restore": request = .restore
        case "forceDelete": request = .forceDelete
        default:
            throw CloudError(.badRequest, "There is no such action: \(name)")
        }
        let result = try perform(request, on: id, as: caller)
        switch request {
        case .rescue:
            return APIResponse(status: 200, body: result.adminPass.map { ["adminPass": .string($0)] } ?? [:])
        case .rebuild:
            var view = serverJSON(try server(id, as: caller), caller: caller, links: links, version: version)
            if case .object(var fields) = view, let password = result.adminPass {
                fields.append(("adminPass", .string(password)))
                view = .object(fields)
            }
            return APIResponse(status: 202, headers: ["Location": links.selfHref("servers", id.rawValue)], body: ["server": view])
        case .createImage:
            // 2.45 answers with the image id in the body instead of a Location header.
            if version >= (2, 45) { return APIResponse(status: 202, body: ["image_id": .string(result.image?.rawValue ?? "")]) }
            return APIResponse(status: 202, headers: ["Location": links.selfHref("images", result.image?.rawValue ?? "")])
        default:
            return APIResponse(status: result.httpStatus)
        }
    }

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

    func limitsJSON(_ project: ProjectID, version: (Int, Int)) -> JSONValue {
        let quota = world.configuration.quotas[project] ?? world.configuration.defaultQuota
        let usage = world.projectUsage[project] ?? QuotaUsage()
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
        if version < (2, 57) {
            absolute += [("maxPersonality", .int(Int64(quota.injectedFiles))), ("maxPersonalitySize", .int(Int64(quota.injectedFileContentBytes)))]
        }
        if version < (2, 39) { absolute.append(("maxImageMeta", .int(Int64(quota.metadataItems)))) }
        if version < (2, 36) {
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
                throw CloudError(.badRequest, "Invalid input for field/attribute server_group. Value: \(body.canonicalText). 'name' is a required property")
            }
            guard let policies = spec["policies"]?.arrayValue, policies.count == 1, let policyName = policies[0].stringValue,
                let policy = ServerGroupPolicy(rawValue: policyName), policy == .affinity || policy == .antiAffinity || request.versionAtLeast(2, 15)
            else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute policies. Value: \(spec["policies"]?.canonicalText ?? "None"). \(spec["policies"]?.canonicalText ?? "None") is not valid under any of the given schemas"
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
                "id": .int(Int64(offset + 1)), "hypervisor_hostname": .string(name.rawValue), "hypervisor_type": .string(host.hypervisorType),
                "state": .string(usage.isUp ? "up" : "down"), "status": .string(usage.isEnabled ? "enabled" : "disabled"),
                "vcpus": .int(Int64(host.total.vcpus)), "vcpus_used": .int(Int64(usage.used.vcpus)),
                "memory_mb": .int(Int64(host.total.memoryMiB)), "memory_mb_used": .int(Int64(usage.used.memoryMiB)),
                "local_gb": .int(Int64(host.total.diskGiB)), "local_gb_used": .int(Int64(usage.used.diskGiB)),
                "running_vms": .int(Int64(usage.servers)), "service": ["host": .string(name.rawValue), "id": .int(Int64(offset + 1))],
            ]
        }
    }
}

extension APIRequest {
    func versionAtLeast(_ major: Int, _ minor: Int) -> Bool {
        ((try? ComputeCloud.negotiateVersion(headers)) ?? ComputeCloud.minimumVersion) >= (major, minor)
    }
}
