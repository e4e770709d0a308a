// /os-quota-sets/{project_id}[/detail|/defaults]: Nova's quota set views and update.
extension ComputeCloud {
    /// The nova-network quotas Nova still lists before 2.36 (nothing counts them).
    static let legacyQuotaNames = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"]

    /// Show (`GET`, the project's members and administrators), `detail` (with `in_use` and
    /// `reserved`), `defaults` (anyone), update (`PUT`, administrators) and delete (back to the
    /// defaults, 202), per microversion: the nova-network quotas until 2.35.
    mutating func quotaSetRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, version: Microversion) throws(CloudError)
        -> APIResponse
    {
        let rest = Array(route.segments.dropFirst())
        guard rest.count == 1 || (rest.count == 2 && (rest[1] == "detail" || rest[1] == "defaults")) else {
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        let project = ProjectID(rest[0])
        let legacy = version < Microversion(2, 36)
        if rest.count == 2 {
            guard method == "GET" else { throw badMethod }
            if rest[1] == "defaults" {
                return quotaSetResponse(id: project, Self.quotaFields(world.configuration.defaultQuota).map { ($0.0, .int(Int64($0.1))) }, legacy: legacy)
            }
            guard caller.isAdmin || caller.project == project else {
                throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-quota-sets:detail to be performed.")
            }
            let used = quotaUsage(of: project)
            let quota = try quota(of: project, as: caller)
            func entry(_ limit: Int, _ inUse: Int) -> JSONValue { ["in_use": .int(Int64(inUse)), "limit": .int(Int64(limit)), "reserved": 0] }
            var fields = Self.quotaFields(quota).map { ($0.0, entry($0.1, used[$0.0] ?? 0)) }
            if legacy { fields += Self.legacyQuotaNames.map { ($0, entry(world.legacyQuotas[project]?[$0] ?? -1, 0)) } }
            return quotaSetResponse(id: project, fields, legacy: false)
        }
        switch method {
        case "GET":
            let quota = try quota(of: project, as: caller)
            return quotaSetResponse(id: project, Self.quotaFields(quota).map { ($0.0, .int(Int64($0.1))) }, legacy: legacy)
        case "PUT":
            // Nova validates the body before it checks the policy.
            let body = try body(request)
            try BodySchema.rejectUnexpected(body, allowed: ["quota_set"], field: nil)
            guard let changes = body["quota_set"] else { throw CloudError(.badRequest, "'quota_set' is a required property") }
            guard let members = changes.objectValue else {
                let shown = changes.redacted.canonicalText
                throw CloudError(.badRequest, "Invalid input for field/attribute quota_set. Value: \(shown). \(shown) is not of type 'object'")
            }
            let names = Self.quotaFields(Quota()).map(\.0) + (legacy ? Self.legacyQuotaNames : [])
            try BodySchema.rejectUnexpected(changes, allowed: names + ["force"], field: "quota_set")
            var limits: [(String, Int)] = []
            var force = false
            for (name, value) in members {
                if name == "force" {
                    force = try BodySchema.boolean(value, field: "force")
                } else {
                    limits.append((name, try Self.quotaLimit(value, field: name)))
                }
            }
            guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.") }
            var quota = world.configuration.quotas[project] ?? world.configuration.defaultQuota
            var legacyValues = world.legacyQuotas[project] ?? [:]
            for (name, limit) in limits where !Self.setting(name, to: limit, in: &quota) { legacyValues[name] = limit }
            try setQuota(quota, of: project, force: force, as: caller)
            world.legacyQuotas[project] = legacyValues.isEmpty ? nil : legacyValues
            return quotaSetResponse(id: nil, Self.quotaFields(quota).map { ($0.0, .int(Int64($0.1))) }, legacy: legacy, project: project)
        case "DELETE":
            try deleteQuota(of: project, as: caller)
            return APIResponse(status: 202)
        default:
            throw badMethod
        }
    }

    /// `{"quota_set": {...}}` with `id` when given, and the nova-network quotas when `legacy`
    /// (the project's own values, else -1).
    func quotaSetResponse(id: ProjectID?, _ fields: [(String, JSONValue)], legacy: Bool, project: ProjectID? = nil) -> APIResponse {
        var members = fields
        if let id { members.append(("id", .string(id.rawValue))) }
        if legacy, let owner = id ?? project {
            members += Self.legacyQuotaNames.map { ($0, .int(Int64(world.legacyQuotas[owner]?[$0] ?? -1))) }
        } else if legacy {
            members += Self.legacyQuotaNames.map { ($0, .int(-1)) }
        }
        return APIResponse(status: 200, body: ["quota_set": .object(members)])
    }

    /// A quota limit as Nova's schema reads it: an integer, or a string of one, from -1 to 2^31-1.
    static func quotaLimit(_ value: JSONValue, field: String) throws(CloudError) -> Int {
        let shown = value.redacted.canonicalText
        func invalid(_ message: String) -> CloudError { CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(message)") }
        switch value {
        case .int(let number):
            guard number >= -1 else { throw invalid("\(number). \(number) is less than the minimum of -1") }
            guard number <= 0x7FFF_FFFF else { throw invalid("\(number). \(number) is greater than the maximum of 2147483647") }
            return Int(number)
        case .string(let text):
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw invalid("\(text). '\(text)' does not match '^-?[0-9]+$'")
            }
            // A string is not range-checked by the schema; Nova stores it as a database integer.
            guard let number = Int32(text) else { throw invalid("\(text). '\(text)' is not a 32-bit integer") }
            return Int(number)
        case .bool(let flag):
            let python = flag ? "True" : "False"
            throw invalid("\(python). \(python) is not of type 'integer', 'string'")
        case .null:
            throw invalid("None. None is not of type 'integer', 'string'")
        default:
            throw invalid("\(shown). \(shown) is not of type 'integer', 'string'")
        }
    }
}
