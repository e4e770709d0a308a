// os-aggregates in JSON: list, create, show, update, delete, and the add_host, remove_host and
// set_metadata actions, with Nova's schemas, texts and (historical) status codes.
extension ComputeCloud {
    /// Routes `/os-aggregates...`.
    mutating func aggregateRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, version: Microversion) throws(CloudError)
        -> APIResponse
    {
        let rest = Array(route.segments.dropFirst())
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        switch (rest.count, method) {
        case (0, "GET"):
            return APIResponse(status: 200, body: ["aggregates": .array(try aggregates(as: caller).map { aggregateJSON($0, version: version) })])
        case (0, "POST"):
            let spec = try Self.aggregateMember(try body(request), "aggregate", allowed: ["name", "availability_zone"])
            guard let nameValue = spec["name"] else {
                throw BodySchema.missing("name", in: spec, field: "aggregate")
            }
            let name = try Self.aggregateName(nameValue, strict: true)
            let zone = try Self.aggregateZone(spec["availability_zone"])
            let created = try createAggregate(name: name, availabilityZone: zone.flatMap { $0.isEmpty ? nil : AvailabilityZone($0) }, as: caller)
            return APIResponse(status: 200, body: ["aggregate": aggregateJSON(created, version: version, withMembers: false)])
        case (1, "GET"):
            try requirePolicy("show", caller)
            return APIResponse(status: 200, body: ["aggregate": aggregateJSON(try aggregate(try Self.aggregateID(rest[0]), as: caller), version: version)])
        case (1, "PUT"):
            let spec = try Self.aggregateMember(try body(request), "aggregate", allowed: ["name", "availability_zone"])
            guard spec["name"] != nil || spec["availability_zone"] != nil else {
                let shown = spec.redacted.canonicalText
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute aggregate. Value: \(shown). \(shown) is not valid under any of the given schemas")
            }
            let name = try spec["name"].map { (value: JSONValue) throws(CloudError) -> String in try Self.aggregateName(value, strict: false) }
            // A null zone reaches Nova's check as an empty one.
            let zone: String? = spec["availability_zone"] == nil ? nil : (try Self.aggregateZone(spec["availability_zone"]) ?? "")
            try requirePolicy("update", caller)
            let updated = try updateAggregate(try Self.aggregateID(rest[0]), name: name, availabilityZone: zone, as: caller)
            return APIResponse(status: 200, body: ["aggregate": aggregateJSON(updated, version: version)])
        case (1, "DELETE"):
            try requirePolicy("delete", caller)
            try deleteAggregate(try Self.aggregateID(rest[0]), as: caller)
            return APIResponse(status: 200)
        case (2, "POST") where rest[1] == "action":
            let body = try body(request)
            guard let action = body.objectValue?.first?.0, ["add_host", "remove_host", "set_metadata"].contains(action) else {
                throw CloudError(.badRequest, "There is no such action: \(body.objectValue?.first?.0 ?? "")")
            }
            let aggregate: Aggregate
            if action == "set_metadata" {
                let spec = try Self.aggregateMember(body, action, allowed: ["metadata"])
                guard let metadata = spec["metadata"] else {
                    throw BodySchema.missing("metadata", in: spec, field: "set_metadata")
                }
                let items = try Self.aggregateMetadata(metadata)
                try requirePolicy(action, caller)
                aggregate = try setAggregateMetadata(items, of: try Self.aggregateID(rest[0]), as: caller)
            } else {
                let spec = try Self.aggregateMember(body, action, allowed: ["host"])
                guard let hostValue = spec["host"] else {
                    throw BodySchema.missing("host", in: spec, field: action)
                }
                guard let host = hostValue.stringValue else {
                    throw BodySchema.wrongType("host", hostValue, "'string'")
                }
                let allowed = host.utf8.allSatisfy { byte in
                    (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 46 || byte == 95
                }
                guard allowed else {
                    throw CloudError(.badRequest, "Invalid input for field/attribute host. Value: \(host). '\(host)' does not match '^[a-zA-Z0-9-._]*$'")
                }
                guard host.utf8.count <= 255 else {
                    throw CloudError(.badRequest, "Invalid input for field/attribute host. Value: \(host). '\(host)' is too long")
                }
                try requirePolicy(action, caller)
                let id = try Self.aggregateID(rest[0])
                aggregate =
                    action == "add_host"
                    ? try addHostToAggregate(id, host: HostName(host), as: caller) : try removeHostFromAggregate(id, host: HostName(host), as: caller)
            }
            return APIResponse(status: 200, body: ["aggregate": aggregateJSON(aggregate, version: version)])
        case (0, _), (1, _),
            (2, _) where rest.count == 2 && rest[1] == "action":
            throw badMethod
        default:
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
    }

    /// Nova's view: every field of the aggregate (its zone from the metadata, zone-less
    /// timestamps with microseconds), `uuid` from 2.41; a create's answer has no hosts or
    /// metadata.
    func aggregateJSON(_ aggregate: Aggregate, version: Microversion, withMembers: Bool = true) -> JSONValue {
        func timestamp(_ time: SimTime) -> JSONValue {
            let text = wallClock.isoMicroseconds(at: time)
            return .string(text.contains(".") ? text : text + ".000000")
        }
        var fields: [(String, JSONValue)] = [
            ("availability_zone", aggregate.metadata[Aggregate.zoneKey].map { .string($0) } ?? .null), ("created_at", timestamp(aggregate.created)),
            ("deleted", false), ("deleted_at", .null),
        ]
        if withMembers { fields.append(("hosts", .array(aggregate.hosts.map { .string($0.rawValue) }))) }
        fields.append(("id", .int(Int64(aggregate.id))))
        if withMembers { fields.append(("metadata", Self.dictionary(aggregate.metadata))) }
        fields += [("name", .string(aggregate.name)), ("updated_at", aggregate.updated.map(timestamp) ?? .null)]
        if version >= Microversion(2, 41) { fields.append(("uuid", .string(aggregate.uuid))) }
        return .object(fields)
    }

    private func requirePolicy(_ rule: String, _ caller: Caller) throws(CloudError) {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-aggregates:\(rule) to be performed.") }
    }

    /// An aggregate id in a path: Nova's `validate_integer` (an integer, surrounding spaces
    /// allowed).
    static func aggregateID(_ text: String) throws(CloudError) -> Int {
        let trimmed = text.trimmingWhitespace
        let digits = trimmed.hasPrefix("-") || trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(trimmed.hasPrefix("+") ? String(digits) : trimmed) else {
            throw CloudError(.badRequest, "Invalid input received: id must be an integer")
        }
        return id
    }

    /// The body's one member `key` as an object with only `allowed` members (jsonschema's
    /// messages for a missing or wrong member, and for unexpected ones).
    static func aggregateMember(_ body: JSONValue, _ key: String, allowed: [String]) throws(CloudError) -> JSONValue {
        guard let spec = body[key] else { throw BodySchema.missing(key, in: body, field: nil) }
        guard spec.objectValue != nil else {
            throw BodySchema.wrongType(key, spec, "'object'")
        }
        try BodySchema.rejectUnexpected(spec, allowed: allowed, field: key)
        try BodySchema.rejectUnexpected(body, allowed: [key], field: nil)
        return spec
    }

    /// A name: `strict` (create) as Nova's `name` format; otherwise (update) leading and
    /// trailing spaces are allowed and stripped, as Nova's update does.
    static func aggregateName(_ value: JSONValue, strict: Bool) throws(CloudError) -> String {
        guard let text = value.stringValue else {
            throw BodySchema.wrongType("name", value, "'string'")
        }
        if strict {
            try validateName(text)
            return text
        }
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty, text.count <= 255, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CloudError(.badRequest, "An invalid 'name' value was provided. The name must be: printable characters with at least one non space character")
        }
        return trimmed
    }

    /// An `availability_zone` member: Nova's `az_name` format or null (nil).
    static func aggregateZone(_ value: JSONValue?) throws(CloudError) -> String? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue, (try? validateZoneName(text)) != nil { return text }
        let shown = value.stringValue ?? value.redacted.canonicalText
        throw CloudError(
            .badRequest,
            "Invalid input for field/attribute availability_zone. Value: \(shown). \(BodySchema.pythonText(value)) is not valid under any of the given schemas")
    }

    /// `set_metadata`'s metadata: keys as Nova's metadata schema, values strings (at most 255
    /// characters) or null (remove the key).
    static func aggregateMetadata(_ value: JSONValue) throws(CloudError) -> [String: String?] {
        guard let members = value.objectValue else {
            throw BodySchema.wrongType("metadata", value, "'object'")
        }
        var items: [String: String?] = [:]
        for (key, member) in members {
            switch member {
            case .string(let text): items[key] = .some(text)
            case .null: items[key] = .some(nil)
            default:
                throw BodySchema.wrongType(key, member, "'string', 'null'")
            }
        }
        try validateMetadataItems(items.mapValues { $0 ?? "" }, field: "metadata")
        return items
    }
}
