// POST /servers: decoding the create request (networks, microversion rules) and answering it.
extension ComputeCloud {
    /// Reads `networks` (nova-facts 9): optional before 2.37, required from 2.37 ("auto", "none"
    /// or a list); entries name a network by uuid, optionally with a fixed_ip, or a port, one NIC
    /// each, in order. Whether the caller may use each network or port, and whether a fixed IP
    /// fits, is checked by createServers.
    func networkRequest(_ value: JSONValue?, version: Microversion, maxCount: Int) throws(CloudError) -> NetworkRequest {
        guard let value else {
            if version >= Microversion(2, 37) { throw CloudError(.badRequest, "Invalid input for field/attribute server. 'networks' is a required property") }
            return .automatic
        }
        if let text = value.stringValue, version >= Microversion(2, 37) {
            switch text {
            case "auto": return .automatic
            case "none": return .none
            default: throw CloudError(.badRequest, "Invalid input for field/attribute networks. Value: \(text). '\(text)' is not one of ['none', 'auto']")
            }
        }
        guard let entries = value.arrayValue else { throw CloudError(.badRequest, "Bad networks format") }
        guard !entries.isEmpty else { return .automatic }
        var nics: [NICRequest] = []
        for entry in entries {
            guard entry.objectValue != nil else { throw CloudError(.badRequest, "Bad networks format") }
            let fixed = entry["fixed_ip"]?.stringValue
            if let port = entry["port"]?.stringValue {
                if let fixed {
                    throw CloudError(.badRequest, "Specified Fixed IP '\(fixed)' cannot be used with port '\(port)': the two cannot be specified together.")
                }
                nics.append(NICRequest(port: PortID(port)))
                continue
            }
            guard let uuid = entry["uuid"]?.stringValue else { throw CloudError(.badRequest, "Bad network format: missing 'uuid'") }
            if version < Microversion(2, 37) && !Self.looksLikeUUID(uuid) && !world.configuration.networks.contains(where: { $0.id == uuid }) {
                throw CloudError(.badRequest, "Bad networks format: network uuid is not in proper format (\(uuid))")
            }
            if let fixed, IPAddress.normalizedIPv4(fixed) == nil && IPAddress.normalizedIPv6(fixed) == nil {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute fixed_ip. Value: \(fixed). '\(fixed)' is not valid under any of the given schemas")
            }
            nics.append(NICRequest(network: uuid, fixedIP: fixed))
        }
        return .networks(nics)
    }

    static func looksLikeUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// A body's `accessIPv4` or `accessIPv6` member: nil when absent; a non-string is 400 (the
    /// address itself is checked where it is applied).
    static func accessIP(_ key: String, in object: JSONValue) throws(CloudError) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute \(key). Value: \(value.redacted.canonicalText). '\(value.redacted.canonicalText)' is not a '\(key == "accessIPv4" ? "ipv4" : "ipv6")'"
            )
        }
        return text
    }

    /// The image a `block_device_mapping_v2` boots from, or nil without one. ComputeSim has no
    /// block storage, so the one mapping it takes is what the CLI sends for an image boot: a
    /// single entry with `source_type` `image`, `destination_type` `local` (or absent) and
    /// `boot_index` 0. Volumes, snapshots and blank disks are refused with 400, as is the legacy
    /// `block_device_mapping` (always a volume) and both syntaxes at once (Nova's text).
    static func bootImage(_ server: JSONValue) throws(CloudError) -> String? {
        let legacy = server["block_device_mapping"]?.arrayValue ?? []
        let mappings = server["block_device_mapping_v2"]?.arrayValue ?? []
        if !legacy.isEmpty && !mappings.isEmpty {
            throw CloudError(.badRequest, "Using different block_device_mapping syntaxes is not allowed in the same request.")
        }
        if !legacy.isEmpty {
            throw CloudError(.badRequest, "Block Device Mapping is Invalid: ComputeSim simulates no volumes, so block_device_mapping cannot be used.")
        }
        if let value = server["block_device_mapping_v2"], value.arrayValue == nil {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute block_device_mapping_v2. Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'array'"
            )
        }
        guard !mappings.isEmpty else { return nil }
        guard mappings.count == 1, let entry = mappings.first, entry.objectValue != nil else {
            throw CloudError(
                .badRequest, "Block Device Mapping is Invalid: ComputeSim simulates no volumes, so only one local image entry can be given.")
        }
        let source = entry["source_type"]?.stringValue
        let destination = entry["destination_type"]?.stringValue ?? "local"
        let bootIndex = entry["boot_index"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int64($0) } }
        guard source == "image", destination == "local", bootIndex == 0, let image = entry["uuid"]?.stringValue, !image.isEmpty else {
            throw CloudError(
                .badRequest,
                "Block Device Mapping is Invalid: ComputeSim simulates no volumes, so the entry must be source_type image, destination_type local, boot_index 0, with the image's uuid."
            )
        }
        return image
    }

    /// A body's `OS-DCF:diskConfig` member: nil when absent, else AUTO or MANUAL (400 otherwise).
    static func diskConfig(in object: JSONValue) throws(CloudError) -> DiskConfig? {
        guard let diskConfig = object["OS-DCF:diskConfig"] else { return nil }
        guard let text = diskConfig.stringValue else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute OS-DCF:diskConfig. Value: \(diskConfig.redacted.canonicalText). \(diskConfig.redacted.canonicalText) is not one of ['AUTO', 'MANUAL']"
            )
        }
        guard let config = DiskConfig(rawValue: text) else {
            throw CloudError(.badRequest, "Invalid input for field/attribute OS-DCF:diskConfig. Value: \(text). '\(text)' is not one of ['AUTO', 'MANUAL']")
        }
        return config
    }

    mutating func createServer(_ body: JSONValue, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        guard let server = body["server"], server.objectValue != nil else {
            throw CloudError(.badRequest, "Invalid input for field/attribute server. Value: \(body.redacted.canonicalText). 'server' is a required property")
        }
        // Nova's schema (additionalProperties: false at each level): the shallowest error wins,
        // so the body's members, then the server's required and unexpected members, then entries.
        try BodySchema.rejectUnexpected(body, allowed: BodySchema.createBody, field: nil)
        func required(_ key: String) throws(CloudError) -> String {
            guard let value = server[key] else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute server. Value: \(server.redacted.canonicalText). '\(key)' is a required property")
            }
            guard let text = Self.reference(value) else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute \(key). Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'string'")
            }
            return text
        }
        // Nova's schema requires name and flavorRef; a missing imageRef is the controller's
        // "Missing imageRef attribute", unless a block device mapping names the image.
        for key in ["name", "flavorRef"] where server[key] == nil { _ = try required(key) }
        try BodySchema.rejectUnexpected(server, allowed: BodySchema.createServer(version), field: "server")
        try BodySchema.rejectUnexpectedInEntries(server["personality"], allowed: BodySchema.personalityEntry)
        try BodySchema.rejectUnexpectedInEntries(server["networks"], allowed: BodySchema.networkEntry(version))
        try BodySchema.rejectUnexpectedInEntries(server["security_groups"], allowed: BodySchema.securityGroupEntry)
        let name = try required("name")
        let bootImage = try Self.bootImage(server)
        var imageReference = server["imageRef"] == nil ? "" : try required("imageRef")
        if imageReference.isEmpty { imageReference = bootImage ?? "" }
        guard !imageReference.isEmpty else { throw CloudError(.badRequest, "Missing imageRef attribute") }
        var request = CreateServerRequest(name: name, image: ImageID(imageReference), flavor: FlavorID(try required("flavorRef")))
        if let password = server["adminPass"] {
            guard let text = password.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute adminPass. Value: ***. *** is not of type 'string'")
            }
            request.adminPass = text
        }
        if server["metadata"] != nil { request.metadata = try Self.metadataBody(server, key: "metadata") }
        if let files = server["personality"] {
            guard let list = files.arrayValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute personality. Value: \(files.redacted.canonicalText). \(files.redacted.canonicalText) is not of type 'array'"
                )
            }
            request.personality = try list.map { (entry: JSONValue) throws(CloudError) -> Personality in
                guard let path = entry["path"]?.stringValue, let contents = entry["contents"]?.stringValue else {
                    throw CloudError(.badRequest, "Bad personality format: missing \(entry["path"] == nil ? "path" : "contents")")
                }
                return Personality(path: path, contents: contents)
            }
        }
        if let zone = server["availability_zone"]?.stringValue { request.availabilityZone = AvailabilityZone(zone) }
        request.accessIPv4 = try Self.accessIP("accessIPv4", in: server)
        request.accessIPv6 = try Self.accessIP("accessIPv6", in: server)
        for key in ["min_count", "max_count"] {
            if let value = server[key] {
                let count = try Self.serverCount(key, value)
                if key == "min_count" { request.minCount = count } else { request.maxCount = count }
            }
        }
        if server["min_count"] != nil && server["max_count"] == nil { request.maxCount = request.minCount }
        // Nova reads os:scheduler_hints, else OS-SCH-HNT:scheduler_hints (what openstacksdk and
        // the openstack CLI send).
        let hints = body["os:scheduler_hints"] ?? body["OS-SCH-HNT:scheduler_hints"]
        if let group = hints?["group"]?.stringValue { request.group = ServerGroupID(group) }
        request.network = try networkRequest(server["networks"], version: version, maxCount: request.maxCount)
        if let diskConfig = try Self.diskConfig(in: server) { request.diskConfig = diskConfig }
        if let key = server["key_name"] {
            guard let name = key.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute key_name. Value: \(key.redacted.canonicalText). \(key.redacted.canonicalText) is not of type 'string'")
            }
            request.keyName = name
        }
        if let userData = server["user_data"] {
            request.userData = userData.stringValue
            guard let text = userData.stringValue, Base64.decodeWrapped(text) != nil else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute user_data. Value: \(userData.redacted.canonicalText.prefix(64)). \(userData.redacted.canonicalText.prefix(64)) is not a 'base64'"
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
                    "Invalid input for field/attribute security_groups. Value: \(groups.redacted.canonicalText). \(groups.redacted.canonicalText) is not of type 'array'"
                )
            }
            for group in list {
                guard let name = group["name"]?.stringValue else {
                    throw CloudError(
                        .badRequest, "Invalid input for field/attribute security_groups. Value: \(groups.redacted.canonicalText). 'name' is a required property"
                    )
                }
                // Only the project's default security group exists.
                guard name == "default" else { throw CloudError(.badRequest, "Security group \(name) not found for project \(caller.project).") }
            }
        }
        if version >= Microversion(2, 19), let description = server["description"] {
            guard let text = description.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute description. Value: \(description.redacted.canonicalText). \(description.redacted.canonicalText) is not of type 'string'"
                )
            }
            request.description = text
        }
        if version >= Microversion(2, 52), let tags = server["tags"] {
            guard let list = tags.arrayValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute tags. Value: \(tags.redacted.canonicalText). \(tags.redacted.canonicalText) is not of type 'array'")
            }
            if let entry = list.first(where: { $0.stringValue == nil }) {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute tags. Value: \(entry.redacted.canonicalText). \(entry.redacted.canonicalText) is not of type 'string'")
            }
            request.tags = list.compactMap(\.stringValue)
        }
        var returnsReservation = false
        if let flag = server["return_reservation_id"] {
            returnsReservation = try BodySchema.boolean(flag, field: "return_reservation_id")
        }
        let created = try createServers(request, as: caller)
        guard let first = created.ids.first else { throw CloudError(.computeFault, "no server was created") }
        // Nova answers a create that asks for it with the reservation id alone.
        if returnsReservation { return APIResponse(status: 202, body: ["reservation_id": .string(extendedAttributes(of: first)?.reservationID ?? "")]) }
        var fields: [(String, JSONValue)] = [
            ("id", .string(first.rawValue)),
            ("links", links.links("servers", first.rawValue)),
            ("OS-DCF:diskConfig", .string(((try? self.server(first, as: caller).diskConfig) ?? .manual).rawValue)),
            ("security_groups", server["security_groups"] ?? [["name": "default"]]),
        ]
        if let password = created.adminPass { fields.append(("adminPass", .string(password))) }
        return APIResponse(status: 202, headers: ["Location": links.selfHref("servers", first.rawValue)], body: ["server": .object(fields)])
    }

    /// Nova's `[api] max_limit`.
    static let maximumLimit = 1_000

    /// The most servers one create request may ask for (ComputeSim's bound; Nova's schema has
    /// none and relies on quota).
    static let maximumServerCount = 1_000

    /// `min_count` or `max_count`: Nova's positive integer, given as a JSON integer or a string
    /// of digits, here also at most ``maximumServerCount``; each problem in jsonschema's words.
    static func serverCount(_ key: String, _ value: JSONValue) throws(CloudError) -> Int {
        let shown = value.stringValue.map { "'\($0)'" } ?? value.redacted.canonicalText
        func invalid(_ reason: String) -> CloudError {
            CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(value.stringValue ?? value.redacted.canonicalText). \(reason)")
        }
        let number: Int64
        switch value {
        case .int(let integer): number = integer
        case .string(let text):
            guard !text.isEmpty else { throw invalid("'' is too short") }
            guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw invalid("'\(text)' does not match '^[0-9]*$'") }
            number = Int64(text) ?? .max  // digits only: nil means too large
        default: throw invalid("\(shown) is not of type 'integer', 'string'")
        }
        guard number >= 1 else { throw invalid("\(shown) is less than the minimum of 1") }
        guard number <= Int64(maximumServerCount) else { throw invalid("\(shown) is greater than the maximum of \(maximumServerCount)") }
        return Int(number)
    }
}
