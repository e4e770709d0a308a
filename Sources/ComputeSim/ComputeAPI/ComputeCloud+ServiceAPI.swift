// `os-services`: list (filters host and binary) and updates, before 2.53 by action
// (`enable`, `disable`, `disable-log-reason`, `force-down` from 2.11) and from 2.53 by id.
extension ComputeCloud {
    mutating func serviceRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, version: Microversion) throws(CloudError) -> APIResponse {
        let rest = Array(route.segments.dropFirst())
        let all = try services(as: caller)
        // Ids: numbers in listing order before 2.53, then UUIDs derived from host and binary
        // (a compute service's is the hypervisor view's service id).
        func id(_ service: ComputeService) -> JSONValue {
            if version >= Microversion(2, 53) {
                return .string(Self.nameUUID("service", service.binary == "nova-compute" ? service.host : "\(service.host)/\(service.binary)"))
            }
            return .int(Int64((all.firstIndex(of: service) ?? 0) + 1))
        }
        func view(_ service: ComputeService) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("id", id(service)), ("binary", .string(service.binary)), ("host", .string(service.host)), ("zone", .string(service.zone)),
                ("status", service.isDisabled ? "disabled" : "enabled"), ("state", service.isUp ? "up" : "down"),
                ("updated_at", .string(wallClock.isoMicroseconds(at: now))), ("disabled_reason", service.disabledReason.map(JSONValue.string) ?? .null),
            ]
            if version >= Microversion(2, 11) { fields.append(("forced_down", .bool(service.isForcedDown))) }
            return .object(fields)
        }
        switch (method, rest.count) {
        case ("GET", 0):
            var list = all
            if let host = route.value("host") { list = list.filter { $0.host == host } }
            if let binary = route.value("binary") { list = list.filter { $0.binary == binary } }
            return APIResponse(status: 200, body: ["services": .array(list.map(view))])
        case ("PUT", 1) where version >= Microversion(2, 53):
            guard Self.isUUIDLike(rest[0]) else { throw CloudError(.badRequest, "Invalid uuid \(rest[0])") }
            guard let service = all.first(where: { id($0) == .string(rest[0]) }) else {
                throw CloudError(.itemNotFound, "Service \(rest[0]) could not be found.")
            }
            let body = try body(request)
            try BodySchema.rejectUnexpected(body, allowed: ["status", "disabled_reason", "forced_down"], field: nil)
            if let status = body["status"], status != "enabled", status != "disabled" {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute status. Value: \(status.redacted.canonicalText). \(status.redacted.canonicalText) is not one of ['enabled', 'disabled']"
                )
            }
            guard body["status"] != nil || body["forced_down"] != nil else {
                throw CloudError(.badRequest, "No updates were requested. Fields 'status' or 'forced_down' should be specified.")
            }
            let forcedDown = try body["forced_down"].map { (value: JSONValue) throws(CloudError) -> Bool in try BodySchema.boolean(value, field: "forced_down")
            }
            let updated = try updateService(
                host: service.host, binary: service.binary, disabled: body["status"].map { $0 == "disabled" }, reason: body["disabled_reason"]?.stringValue,
                forcedDown: forcedDown, as: caller)
            return APIResponse(status: 200, body: ["service": view(updated)])
        case ("PUT", 1):
            let actions = ["enable", "disable", "disable-log-reason"] + (version >= Microversion(2, 11) ? ["force-down"] : [])
            guard actions.contains(rest[0]) else { throw CloudError(.itemNotFound, "Unknown action") }
            let body = try body(request)
            guard let host = body["host"]?.stringValue, let binary = body["binary"]?.stringValue else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute \(rest[0]). Value: \(body.redacted.canonicalText). 'host' and 'binary' are required properties")
            }
            var answer: [(String, JSONValue)] = [("host", .string(host)), ("binary", .string(binary))]
            switch rest[0] {
            case "enable":
                try updateService(host: host, binary: binary, disabled: false, as: caller)
                answer.append(("status", "enabled"))
            case "force-down":
                guard let value = body["forced_down"] else { throw CloudError(.badRequest, "Missing forced_down field") }
                let forced = try BodySchema.boolean(value, field: "forced_down")
                try updateService(host: host, binary: binary, forcedDown: forced, as: caller)
                answer.append(("forced_down", .bool(forced)))
            default:
                let reason = body["disabled_reason"]?.stringValue
                if rest[0] == "disable-log-reason", reason == nil { throw CloudError(.badRequest, "Missing disabled reason field") }
                try updateService(host: host, binary: binary, disabled: true, reason: rest[0] == "disable-log-reason" ? reason : nil, as: caller)
                answer.append(("status", "disabled"))
                if rest[0] == "disable-log-reason", let reason { answer.append(("disabled_reason", .string(reason))) }
            }
            return APIResponse(status: 200, body: ["service": .object(answer)])
        case ("GET", _), ("PUT", _), ("DELETE", _):
            throw CloudError(.itemNotFound, "The resource could not be found.")
        default:
            throw CloudError(.badMethod, "The method specified is not allowed for this resource.")
        }
    }
}

extension ComputeCloud {
    /// Whether `text` is a UUID as Nova's `is_uuid_like` takes one: 32 hex digits, bare or in
    /// the hyphenated 8-4-4-4-12 form.
    static func isUUIDLike(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        return looksLikeUUID(text) || (text.utf8.count == 32 && text.allSatisfy(\.isHexDigit))
    }
}
