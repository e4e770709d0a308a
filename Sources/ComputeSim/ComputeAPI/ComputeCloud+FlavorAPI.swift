// Flavors in JSON: list (filters, sorting, paging), show, and the administrators' calls:
// create, description update (2.55), delete, extra specs and flavor access.
extension ComputeCloud {
    /// Routes `/flavors...`.
    mutating func flavorRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, links: LinkBuilder, version: Microversion)
        throws(CloudError) -> APIResponse
    {
        let rest = Array(route.segments.dropFirst())
        let notFound = CloudError(.itemNotFound, "The resource could not be found.")
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        // Nova's view shows extra specs from 2.61 to whoever may read them (everyone).
        let withSpecs = version >= Microversion(2, 61)
        if rest.count >= 2, rest[1] == "os-extra_specs" { return try extraSpecsRequest(rest, method: method, request: request, caller: caller) }
        if rest.count == 2, rest[1] == "os-flavor-access" {
            guard method == "GET" else { throw badMethod }
            return APIResponse(status: 200, body: Self.accessJSON(FlavorID(rest[0]), try flavorAccess(FlavorID(rest[0]), as: caller)))
        }
        if rest.count == 2, rest[1] == "action" {
            guard method == "POST" else { throw badMethod }
            return try flavorAction(FlavorID(rest[0]), request: request, caller: caller, version: version)
        }
        switch (rest.count, method) {
        case (0, "GET"),
            (1, "GET") where rest[0] == "detail":
            return try flavorList(route, detail: !rest.isEmpty, caller: caller, links: links, version: version)
        case (0, "POST"):
            var flavor = try Self.flavorCreateBody(try body(request), version: version)
            // An id is drawn only for a call that can succeed, so a refused one leaves the stream.
            if flavor.id.rawValue.isEmpty, caller.isAdmin { flavor.id = FlavorID(Self.uuid(&world.ids)) }
            try createFlavor(flavor, as: caller)
            let view = Self.flavorJSON(flavor, detail: true, links: links, version: version, withSpecs: withSpecs)
            return APIResponse(status: 200, body: ["flavor": view])
        case (1, "GET"):
            let flavor = try flavor(FlavorID(rest[0]), as: caller)
            return APIResponse(status: 200, body: ["flavor": Self.flavorJSON(flavor, detail: true, links: links, version: version, withSpecs: withSpecs)])
        case (1, "PUT"):
            guard version >= Microversion(2, 55) else { throw notFound }
            let description = try Self.flavorUpdateBody(try body(request))
            let flavor = try updateFlavorDescription(FlavorID(rest[0]), to: description, as: caller)
            return APIResponse(status: 200, body: ["flavor": Self.flavorJSON(flavor, detail: true, links: links, version: version, withSpecs: withSpecs)])
        case (1, "DELETE"):
            try deleteFlavor(FlavorID(rest[0]), as: caller)
            return APIResponse(status: 202)
        case (0, _), (1, _):
            throw badMethod
        default:
            throw notFound
        }
    }

    /// The keys flavors may be sorted by (Nova's list; `disabled` and `vcpu_weight` are the same
    /// for every flavor here, `id`, `created_at` and `updated_at` follow creation order).
    static let flavorSortKeys = [
        "created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id", "is_public", "memory_mb", "name", "root_gb", "rxtx_factor", "swap",
        "updated_at", "vcpu_weight", "vcpus",
    ]

    /// `GET /flavors[/detail]`: `is_public` (administrators), `minRam`, `minDisk`, `sort_key`,
    /// `sort_dir`, `marker` and `limit` (at most 1000), with a next link when the page is full.
    /// - Complexity: O(f log f) for f flavors.
    func flavorList(_ route: Route, detail: Bool, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        func queryError(_ name: String, _ text: String, _ reason: String) -> CloudError {
            CloudError(.badRequest, "Invalid input for query parameters \(name). Value: \(text). \(reason)")
        }
        var limit = Self.maximumLimit
        if let text = route.value("limit") {
            guard let value = Int(text), value >= 0, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw queryError("limit", text, "'\(text)' does not match '^[0-9]*$'")
            }
            limit = min(value, Self.maximumLimit)
        }
        let sortKey = route.value("sort_key") ?? "flavorid"
        guard Self.flavorSortKeys.contains(sortKey) else {
            throw queryError("sort_key", sortKey, "'\(sortKey)' is not one of [\(Self.flavorSortKeys.map { "'\($0)'" }.joined(separator: ", "))]")
        }
        let sortDir = route.value("sort_dir") ?? "asc"
        guard sortDir == "asc" || sortDir == "desc" else { throw queryError("sort_dir", sortDir, "'\(sortDir)' is not one of ['asc', 'desc']") }
        var isPublic: Bool? = true
        if caller.isAdmin, let text = route.value("is_public") {
            if text.lowercased() == "none" {
                isPublic = nil
            } else if ["1", "t", "true", "on", "y", "yes"].contains(text.lowercased()) {
                isPublic = true
            } else if ["0", "f", "false", "off", "n", "no"].contains(text.lowercased()) {
                isPublic = false
            } else {
                throw CloudError(.badRequest, "Invalid is_public filter [\(text)]")
            }
        }
        var minimum: (ram: Int, disk: Int) = (0, 0)
        for (name, field) in [("minRam", \(ram: Int, disk: Int).ram), ("minDisk", \(ram: Int, disk: Int).disk)] {
            guard let text = route.value(name) else { continue }
            guard let value = Int(text.trimmingWhitespace) else { throw CloudError(.badRequest, "Invalid \(name) filter [\(text)]") }
            minimum[keyPath: field] = value
        }
        // Sorted by the key, then by creation order (Nova's second key, its row id, which the
        // world keeps per flavor), both ways.
        let order = world.flavorRowIDs
        let descending = sortDir == "desc"
        var flavors = visibleFlavors(isPublic: isPublic, as: caller).filter { $0.memoryMiB >= minimum.ram && $0.diskGiB >= minimum.disk }
        flavors.sort { a, b in
            let comparison = Self.compareFlavors(a, b, by: sortKey)
            let first = comparison != 0 ? comparison < 0 : (order[a.id] ?? 0) < (order[b.id] ?? 0)
            let tied = comparison == 0 && order[a.id] == order[b.id]
            return tied ? false : (descending ? !first : first)
        }
        if let marker = route.value("marker") {
            guard usableFlavor(FlavorID(marker), by: caller) != nil else { throw CloudError(.badRequest, "marker [\(marker)] not found") }
            if let position = flavors.firstIndex(where: { $0.id.rawValue == marker }) { flavors = Array(flavors[(position + 1)...]) }
        }
        flavors = Array(flavors.prefix(limit))
        let withSpecs = detail && version >= Microversion(2, 61)
        var body: [(String, JSONValue)] = [
            ("flavors", .array(flavors.map { Self.flavorJSON($0, detail: detail, links: links, version: version, withSpecs: withSpecs) }))
        ]
        if limit > 0, flavors.count == limit, let last = flavors.last {
            // Nova's next link: the request's parameters sorted by name, the marker replaced.
            var parameters: [(String, String)] = []
            for (name, value) in route.query.sorted(by: { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }) where name != "marker" {
                if let index = parameters.firstIndex(where: { $0.0 == name }) { parameters[index].1 = value } else { parameters.append((name, value)) }
            }
            if let index = parameters.firstIndex(where: { $0.0 > "marker" }) {
                parameters.insert(("marker", last.id.rawValue), at: index)
            } else {
                parameters.append(("marker", last.id.rawValue))
            }
            let path = detail ? links.selfHref("flavors", "detail") : String(links.selfHref("flavors", "").dropLast())
            let query = parameters.map { Self.percentEncoded($0.0) + "=" + Self.percentEncoded($0.1) }.joined(separator: "&")
            body.append(("flavors_links", [["href": .string(path + "?" + query), "rel": "next"]]))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by Nova's sort key (ids and names
    /// by their bytes; the keys every flavor shares here compare equal).
    static func compareFlavors(_ a: Flavor, _ b: Flavor, by key: String) -> Int {
        func compare<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        func bytes(_ x: String, _ y: String) -> Int {
            x == y ? 0 : x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        }
        switch key {
        case "flavorid": return bytes(a.id.rawValue, b.id.rawValue)
        case "name": return bytes(a.name, b.name)
        case "memory_mb": return compare(a.memoryMiB, b.memoryMiB)
        case "vcpus": return compare(a.vcpus, b.vcpus)
        case "root_gb": return compare(a.diskGiB, b.diskGiB)
        case "ephemeral_gb": return compare(a.ephemeralGiB, b.ephemeralGiB)
        case "swap": return compare(a.swapMiB, b.swapMiB)
        case "rxtx_factor": return compare(a.rxtxFactor, b.rxtxFactor)
        case "is_public": return compare(a.isPublic ? 1 : 0, b.isPublic ? 1 : 0)
        // NULL sorts first, as in MySQL and SQLite.
        case "description":
            return a.description == b.description ? 0 : a.description == nil ? -1 : b.description == nil ? 1 : bytes(a.description ?? "", b.description ?? "")
        default: return 0
        }
    }

    /// `POST /flavors`: the `flavor` object checked member by member as Nova's schema does
    /// (`description` from 2.55); an absent or null id is left empty for the caller to draw.
    static func flavorCreateBody(_ body: JSONValue, version: Microversion) throws(CloudError) -> Flavor {
        guard let spec = body["flavor"], spec.objectValue != nil else {
            if let spec = body["flavor"] {
                throw BodySchema.wrongType("flavor", spec, "'object'")
            }
            throw BodySchema.missing("flavor", in: body, field: nil)
        }
        // Nova's flavor integers: a JSON integer in range, or a string of digits (range-checked
        // after the schema, with flavors.create's words).
        func integer(_ field: String, label: String, minimum: Int) throws(CloudError) -> Int? {
            guard let value = spec[field] else { return nil }
            switch value {
            case .int(let number):
                guard number >= minimum else { throw BodySchema.invalid(field, value, "\(number) is less than the minimum of \(minimum)") }
                guard number <= 0x7FFF_FFFF else { throw BodySchema.invalid(field, value, "\(number) is greater than the maximum of 2147483647") }
                return Int(number)
            case .string(let text):
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    throw BodySchema.invalid(field, value, "'\(text)' does not match '^[0-9]+$'")
                }
                guard let number = Int(text), number <= 0x7FFF_FFFF else {
                    throw CloudError(.badRequest, "Invalid input received: \(label) must be <= 2147483647")
                }
                guard number >= minimum else { throw CloudError(.badRequest, "Invalid input received: \(label) must be >= \(minimum)") }
                return number
            default:
                let shown = BodySchema.pythonText(value)
                throw BodySchema.invalid(field, value, "\(shown) is not of type 'integer', 'string'")
            }
        }
        let name: String
        switch spec["name"] {
        case .string(let text)?:
            name = text
            try validateName(text)
        case let other?:
            throw BodySchema.wrongType("name", other, "'string'")
        case nil:
            name = ""
        }
        var id: String? = nil
        if let value = spec["id"] {
            switch value {
            case .null: break
            case .string(let text):
                guard !text.isEmpty else { throw BodySchema.invalid("id", value, "'' is too short") }
                guard text.count <= 255 else { throw BodySchema.invalid("id", value, "'\(text)' is too long") }
                let allowed = text.utf8.allSatisfy { byte in
                    (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 46 || byte == 32 || byte == 95
                        || byte == 45
                }
                guard allowed, text.first != " ", text.last != " " else {
                    throw BodySchema.invalid("id", value, "'\(text)' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'")
                }
                id = text
            case .int(let number): id = String(number)
            case .double(let number): id = number.description
            default: throw BodySchema.wrongType("id", value, "'string', 'number', 'null'")
            }
        }
        let ram = try integer("ram", label: "ram", minimum: 1)
        let vcpus = try integer("vcpus", label: "vcpus", minimum: 1)
        let disk = try integer("disk", label: "disk", minimum: 0)
        let ephemeral = try integer("OS-FLV-EXT-DATA:ephemeral", label: "ephemeral", minimum: 0)
        let swap = try integer("swap", label: "swap", minimum: 0)
        var rxtx = 1.0
        if let value = spec["rxtx_factor"] {
            let number: Double?
            switch value {
            case .int(let whole): number = Double(whole)
            case .double(let real): number = real
            case .string(let text):
                let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                let digits = parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
                guard digits else { throw BodySchema.invalid("rxtx_factor", value, "'\(text)' does not match '^[0-9]+(\\.[0-9]+)?$'") }
                number = Double(text)
            default: throw BodySchema.wrongType("rxtx_factor", value, "'number', 'string'")
            }
            if case .string = value {
            } else {
                if let number, number <= 0 {
                    throw BodySchema.invalid("rxtx_factor", value, "\(BodySchema.pythonText(value)) is less than or equal to the minimum of 0")
                }
                if let number, number > 3.40282e38 {
                    throw BodySchema.invalid("rxtx_factor", value, "\(BodySchema.pythonText(value)) is greater than the maximum of 3.40282e+38")
                }
            }
            guard let number, number > 0, number <= 3.40282e38 else {
                throw CloudError(.badRequest, "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38")
            }
            rxtx = number
        }
        var isPublic = true
        if let value = spec["os-flavor-access:is_public"] { isPublic = try BodySchema.boolean(value, field: "os-flavor-access:is_public") }
        var description: String? = nil
        if version >= Microversion(2, 55), let value = spec["description"] {
            switch value {
            case .null: break
            case .string(let text):
                try validateFlavorDescription(text)
                description = text
            default: throw BodySchema.wrongType("description", value, "'string', 'null'")
            }
        }
        var members = ["name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "rxtx_factor", "os-flavor-access:is_public"]
        if version >= Microversion(2, 55) { members.append("description") }
        for required in ["name", "ram", "vcpus", "disk"] where spec[required] == nil {
            throw BodySchema.missing(required, in: spec, field: "flavor")
        }
        try BodySchema.rejectUnexpected(spec, allowed: members, field: "flavor")
        try BodySchema.rejectUnexpected(body, allowed: ["flavor"], field: nil)
        return Flavor(
            id: FlavorID(id ?? ""), name: name, vcpus: vcpus ?? 1, memoryMiB: ram ?? 1, diskGiB: disk ?? 0, ephemeralGiB: ephemeral ?? 0,
            swapMiB: swap ?? 0, isPublic: isPublic, description: description, rxtxFactor: rxtx)
    }

    /// `PUT /flavors/{id}` (2.55): `{"flavor": {"description": ...}}` and nothing else.
    static func flavorUpdateBody(_ body: JSONValue) throws(CloudError) -> String? {
        guard let spec = body["flavor"], spec.objectValue != nil else {
            throw BodySchema.missing("flavor", in: body, field: nil)
        }
        var description: String? = nil
        switch spec["description"] {
        case .string(let text)?:
            try validateFlavorDescription(text)
            description = text
        case .null?: break
        case let other?:
            throw BodySchema.wrongType("description", other, "'string', 'null'")
        case nil:
            throw BodySchema.missing("description", in: spec, field: "flavor")
        }
        try BodySchema.rejectUnexpected(spec, allowed: ["description"], field: "flavor")
        try BodySchema.rejectUnexpected(body, allowed: ["flavor"], field: nil)
        return description
    }

    /// `/flavors/{id}/os-extra_specs[/{key}]`: list and show for whoever may see the flavor;
    /// create (merge), update (one key) and delete for administrators.
    mutating func extraSpecsRequest(_ rest: [String], method: String, request: APIRequest, caller: Caller) throws(CloudError) -> APIResponse {
        let id = FlavorID(rest[0])
        switch (rest.count, method) {
        case (2, "GET"):
            return APIResponse(status: 200, body: ["extra_specs": Self.dictionary(try flavorExtraSpecs(id, as: caller))])
        case (3, "GET"):
            guard let value = try flavorExtraSpecs(id, as: caller)[rest[2]] else {
                throw CloudError(.itemNotFound, "Flavor \(id) has no extra specs with key \(rest[2]).")
            }
            return APIResponse(status: 200, body: .object([(rest[2], .string(value))]))
        case (2, "POST"):
            let body = try body(request)
            guard let specs = body["extra_specs"] else {
                throw BodySchema.missing("extra_specs", in: body, field: nil)
            }
            let values = try Self.extraSpecValues(specs, field: "extra_specs")
            try BodySchema.rejectUnexpected(body, allowed: ["extra_specs"], field: nil)
            try setFlavorExtraSpecs(values, of: id, as: caller)
            return APIResponse(status: 200, body: body)
        case (3, "PUT"):
            let body = try body(request)
            let values = try Self.extraSpecValues(body, field: nil)
            guard values.count == 1 else {
                let shown = body.redacted.canonicalText
                throw CloudError(
                    .badRequest,
                    "\(shown) \(values.isEmpty ? "does not have enough properties" : "has too many properties")"
                )
            }
            guard values[rest[2]] != nil else { throw CloudError(.badRequest, "Request body and URI mismatch") }
            try setFlavorExtraSpecs(values, of: id, as: caller)
            return APIResponse(status: 200, body: body)
        case (3, "DELETE"):
            try deleteFlavorExtraSpec(rest[2], of: id, as: caller)
            return APIResponse(status: 200)
        case (2, _), (3, _):
            throw CloudError(.badMethod, "The method specified is not allowed for this resource.")
        default:
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
    }

    /// An extra specs object: string or number values (numbers kept as Python writes them),
    /// keys and lengths as Nova's metadata schema.
    static func extraSpecValues(_ value: JSONValue, field: String?) throws(CloudError) -> [String: String] {
        guard let members = value.objectValue else {
            let shown = value.redacted.canonicalText
            throw CloudError(
                .badRequest, "Invalid input for field/attribute \(field ?? ""). Value: \(shown). \(BodySchema.pythonText(value)) is not of type 'object'")
        }
        var values: [String: String] = [:]
        for (key, member) in members {
            switch member {
            case .string(let text): values[key] = text
            case .int(let number): values[key] = String(number)
            case .double(let number): values[key] = number.description
            default:
                throw BodySchema.wrongType(key, member, "'string', 'number'")
            }
        }
        try validateMetadataItems(values, field: field ?? "extra_specs")
        return values
    }

    /// `POST /flavors/{id}/action`: addTenantAccess and removeTenantAccess.
    mutating func flavorAction(_ id: FlavorID, request: APIRequest, caller: Caller, version: Microversion) throws(CloudError) -> APIResponse {
        let body = try body(request)
        guard let (action, argument) = body.objectValue?.first, ["addTenantAccess", "removeTenantAccess"].contains(action) else {
            throw CloudError(.badRequest, "There is no such action: \(body.objectValue?.first?.0 ?? "")")
        }
        guard let tenant = argument["tenant"]?.stringValue else {
            throw BodySchema.missing("tenant", in: argument, field: action)
        }
        guard !tenant.isEmpty else { throw CloudError(.badRequest, "Invalid input for field/attribute tenant. Value: . '' is too short") }
        guard tenant.count <= 255 else { throw CloudError(.badRequest, "Invalid input for field/attribute tenant. Value: \(tenant). '\(tenant)' is too long") }
        try BodySchema.rejectUnexpected(argument, allowed: ["tenant"], field: action)
        try BodySchema.rejectUnexpected(body, allowed: [action], field: nil)
        let list: [ProjectID]
        if action == "addTenantAccess" {
            list = try addFlavorAccess(id, project: ProjectID(tenant), refusingPublic: version >= Microversion(2, 7), as: caller)
        } else {
            list = try removeFlavorAccess(id, project: ProjectID(tenant), as: caller)
        }
        return APIResponse(status: 200, body: Self.accessJSON(id, list))
    }

    static func accessJSON(_ id: FlavorID, _ projects: [ProjectID]) -> JSONValue {
        ["flavor_access": .array(projects.map { ["flavor_id": .string(id.rawValue), "tenant_id": .string($0.rawValue)] })]
    }
}
