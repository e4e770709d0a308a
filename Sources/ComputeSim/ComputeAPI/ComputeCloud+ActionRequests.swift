// POST /servers/{id}/action: decoding each action body.
extension ComputeCloud {
    /// Whether an action's argument has the members its schema requires (so an unexpected
    /// member is the error to report; otherwise the action's own check names the missing one).
    static func hasRequiredMembers(_ action: ServerAction, _ argument: JSONValue) -> Bool {
        switch action {
        case .rebootSoft, .rebootHard: return argument["type"] != nil
        case .resize: return argument["flavorRef"] != nil
        case .createImage: return argument["name"] != nil
        case .createBackup: return argument["name"] != nil && argument["backup_type"] != nil && argument["rotation"] != nil
        case .changePassword: return argument["adminPass"] != nil
        default: return true
        }
    }

    mutating func performAction(_ body: JSONValue, on id: ServerID, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse
    {
        guard let entries = body.objectValue, entries.count == 1, let (name, argument) = entries.first else {
            throw CloudError(.badRequest, "Malformed request body")
        }
        func string(_ key: String) -> String? { argument[key]?.stringValue }
        if name == "os-getConsoleOutput" { return try consoleOutputAction(argument, on: id, caller: caller) }
        if name == "os-resetState" { return try resetStateAction(argument, on: id, caller: caller) }
        guard let action = ServerAction(requestKey: name) else { throw CloudError(.badRequest, "There is no such action: \(name)") }
        // Nova's schema for the argument: a required member missing is reported first (below,
        // per action), then unexpected members, then the members' own values.
        if let allowed = BodySchema.actionArgument(action, version: version), Self.hasRequiredMembers(action, argument) {
            try BodySchema.rejectUnexpected(argument, allowed: allowed, field: name)
        }
        let request: ServerActionRequest
        // Exhaustive: a new action cannot be added without saying how its body is read.
        switch action {
        case .rebootSoft, .rebootHard:
            guard let type = string("type"), ["SOFT", "HARD"].contains(type.uppercased()) else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute type. Value: \(argument["type"]?.redacted.canonicalText ?? "None"). \(argument["type"]?.redacted.canonicalText ?? "None") is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']"
                )
            }
            request = .reboot(hard: type.uppercased() == "HARD")
        case .rebuild:
            guard let image = Self.reference(argument["imageRef"]) else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute rebuild. Value: \(argument.redacted.canonicalText). 'imageRef' is a required property")
            }
            try BodySchema.rejectUnexpected(argument, allowed: BodySchema.rebuild(version), field: name)
            try BodySchema.rejectUnexpectedInEntries(argument["personality"], allowed: BodySchema.personalityEntry)
            var files: [Personality] = []
            for entry in argument["personality"]?.arrayValue ?? [] {
                guard let path = entry["path"]?.stringValue, let contents = entry["contents"]?.stringValue else {
                    throw CloudError(.badRequest, "Bad personality format")
                }
                files.append(Personality(path: path, contents: contents))
            }
            var changes = RebuildChanges()
            for key in ["name"] + (version >= Microversion(2, 19) ? ["description"] : []) {
                guard let value = argument[key] else { continue }
                guard let text = value.stringValue else {
                    throw CloudError(
                        .badRequest,
                        "Invalid input for field/attribute \(key). Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'string'"
                    )
                }
                if key == "name" { changes.name = text } else { changes.description = text }
            }
            if argument["metadata"] != nil { changes.metadata = try Self.metadataBody(argument, key: "metadata") }
            changes.accessIPv4 = try Self.accessIP("accessIPv4", in: argument)
            changes.accessIPv6 = try Self.accessIP("accessIPv6", in: argument)
            changes.diskConfig = try Self.diskConfig(in: argument)
            if let preserve = argument["preserve_ephemeral"] {
                changes.preserveEphemeral = try BodySchema.boolean(preserve, field: "preserve_ephemeral")
            }
            if version >= Microversion(2, 54), let key = argument["key_name"] {
                // A name sets the key pair, null removes it (Nova's schema: string or null).
                guard key.isNull || key.stringValue != nil else {
                    throw CloudError(
                        .badRequest,
                        "Invalid input for field/attribute key_name. Value: \(key.redacted.canonicalText). \(key.redacted.canonicalText) is not of type 'string', 'null'"
                    )
                }
                changes.keyName = .some(key.stringValue)
            }
            request = .rebuild(image: ImageID(image), adminPass: string("adminPass"), personality: files, changes: changes)
        case .resize:
            guard let flavor = Self.reference(argument["flavorRef"]) else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute resize. Value: \(argument.redacted.canonicalText). 'flavorRef' is a required property")
            }
            request = .resize(flavor: FlavorID(flavor))
        case .confirmResize: request = .confirmResize
        case .revertResize: request = .revertResize
        case .migrate: request = .migrate
        case .liveMigrate:
            let schema = BodySchema.liveMigrate(version)
            guard argument.objectValue != nil else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute os-migrateLive. Value: \(argument.redacted.canonicalText). \(argument.redacted.canonicalText) is not of type 'object'"
                )
            }
            if let missing = schema.required.first(where: { argument[$0] == nil }) {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute os-migrateLive. Value: \(argument.redacted.canonicalText). '\(missing)' is a required property")
            }
            try BodySchema.rejectUnexpected(argument, allowed: schema.allowed, field: name)
            for key in ["block_migration", "disk_over_commit", "force"] {
                guard let value = argument[key] else { continue }
                try BodySchema.checkBoolean(value, field: key, allowingAuto: key == "block_migration" && version >= Microversion(2, 25))
            }
            if let host = argument["host"], !host.isNull, host.stringValue == nil {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute host. Value: \(host.redacted.canonicalText). \(host.redacted.canonicalText) is not of type 'string', 'null'"
                )
            }
            request = .liveMigrate
        case .rescue: request = .rescue(adminPass: string("adminPass"))
        case .unrescue: request = .unrescue
        case .suspend: request = .suspend
        case .resume: request = .resume
        case .pause: request = .pause
        case .unpause: request = .unpause
        case .start: request = .start
        case .stop: request = .stop
        case .shelve: request = .shelve
        case .shelveOffload: request = .shelveOffload
        case .unshelve: request = .unshelve
        case .changePassword:
            guard let password = string("adminPass") else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute changePassword. Value: \(argument.redacted.canonicalText). 'adminPass' is a required property")
            }
            request = .changePassword(password)
        case .lock: request = .lock
        case .unlock: request = .unlock
        case .createImage:
            guard let imageName = string("name") else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute createImage. Value: \(argument.redacted.canonicalText). 'name' is a required property")
            }
            request = .createImage(name: imageName, metadata: argument["metadata"] != nil ? try Self.metadataBody(argument, key: "metadata") : [:])
        case .createBackup:
            for key in ["name", "backup_type", "rotation"] where argument[key] == nil {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute createBackup. Value: \(argument.redacted.canonicalText). '\(key)' is a required property")
            }
            for key in ["name", "backup_type"] {
                guard let value = argument[key], value.stringValue == nil else { continue }
                let shown = value.redacted.canonicalText
                throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(shown). \(shown) is not of type 'string'")
            }
            request = .createBackup(
                name: string("name") ?? "", type: string("backup_type") ?? "", rotation: try Self.rotation(argument["rotation"] ?? .null),
                metadata: argument["metadata"] != nil ? try Self.metadataBody(argument, key: "metadata") : [:])
        case .restore: request = .restore
        case .forceDelete: request = .forceDelete
        case .evacuate: request = try Self.evacuateRequest(argument, version: version)
        case .delete, .softDelete:
            // DELETE /servers/{id}, never an action body (their request key is nil).
            throw CloudError(.badRequest, "There is no such action: \(name)")
        }
        let result = try perform(request, on: id, as: caller)
        switch request {
        case .rescue:
            return APIResponse(status: 200, body: result.adminPass.map { ["adminPass": .string($0)] } ?? [:])
        case .rebuild:
            var view = serverJSON(
                try server(id, as: caller), caller: caller, links: links, version: version, scope: .updated(showsKeyName: version >= Microversion(2, 54)))
            if case .object(var fields) = view, let password = result.adminPass {
                fields.append(("adminPass", .string(password)))
                view = .object(fields)
            }
            return APIResponse(status: 202, headers: ["Location": links.selfHref("servers", id.rawValue)], body: ["server": view])
        case .evacuate:
            // 200 (not 202, for compatibility); the password only before 2.14.
            guard version < Microversion(2, 14), world.configuration.returnsAdminPassword else { return APIResponse(status: 200) }
            return APIResponse(status: 200, body: ["adminPass": result.adminPass.map(JSONValue.string) ?? .null])
        case .createImage:
            // 2.45 answers with the image id in the body instead of a Location header.
            if version >= Microversion(2, 45) { return APIResponse(status: 202, body: ["image_id": .string(result.image?.rawValue ?? "")]) }
            return APIResponse(status: 202, headers: ["Location": links.selfHref("images", result.image?.rawValue ?? "")])
        case .createBackup(_, _, let rotation, _):
            if version >= Microversion(2, 45) { return APIResponse(status: 202, body: ["image_id": .string(result.image?.rawValue ?? "")]) }
            // Before 2.45 Nova names the image only when the rotation kept it.
            guard rotation > 0 else { return APIResponse(status: 202) }
            return APIResponse(status: 202, headers: ["Location": links.selfHref("images", result.image?.rawValue ?? "")])
        default:
            return APIResponse(status: result.httpStatus)
        }
    }

    /// The `evacuate` body as Nova's schema reads it: `host` (a string), `adminPass`, and
    /// `onSharedStorage` (required) before 2.14, `force` from 2.29; booleans in Nova's spellings.
    static func evacuateRequest(_ argument: JSONValue, version: Microversion) throws(CloudError) -> ServerActionRequest {
        let field = "evacuate"
        let shown = argument.redacted.canonicalText
        guard argument.objectValue != nil else {
            throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). \(shown) is not of type 'object'")
        }
        var allowed = ["host", "adminPass"]
        if version < Microversion(2, 14) {
            guard argument["onSharedStorage"] != nil else {
                throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). 'onSharedStorage' is a required property")
            }
            allowed.append("onSharedStorage")
        }
        if version >= Microversion(2, 29) { allowed.append("force") }
        try BodySchema.rejectUnexpected(argument, allowed: allowed, field: field)
        for key in ["host", "adminPass"] {
            guard let value = argument[key], value.stringValue == nil else { continue }
            let text = value.redacted.canonicalText
            throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(text). \(text) is not of type 'string'")
        }
        let shared = try argument["onSharedStorage"].map { value throws(CloudError) in try BodySchema.boolean(value, field: "onSharedStorage") } ?? false
        let force = try argument["force"].map { value throws(CloudError) in try BodySchema.boolean(value, field: "force") } ?? false
        return .evacuate(
            host: argument["host"]?.stringValue.map(HostName.init(rawValue:)), adminPass: argument["adminPass"]?.stringValue, force: force,
            onSharedStorage: shared)
    }

    /// `os-resetState`: `{"state": "active"|"error"}`, answered 202 without a body.
    mutating func resetStateAction(_ argument: JSONValue, on id: ServerID, caller: Caller) throws(CloudError) -> APIResponse {
        let field = "os-resetState"
        let shown = argument.redacted.canonicalText
        guard argument.objectValue != nil else {
            throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). \(shown) is not of type 'object'")
        }
        guard let value = argument["state"] else {
            throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). 'state' is a required property")
        }
        try BodySchema.rejectUnexpected(argument, allowed: ["state"], field: field)
        guard let text = value.stringValue else {
            let valueShown = value.redacted.canonicalText
            throw CloudError(.badRequest, "Invalid input for field/attribute state. Value: \(valueShown). \(valueShown) is not of type 'string'")
        }
        guard text == "active" || text == "error" else {
            throw CloudError(.badRequest, "Invalid input for field/attribute state. Value: \(text). '\(text)' is not one of ['active', 'error']")
        }
        try resetState(of: id, to: text == "active" ? .active : .error, as: caller)
        return APIResponse(status: 202)
    }

    /// `os-getConsoleOutput`: `{"length": N}` (an integer from -1, a string of digits, or null),
    /// answered 200 `{"output": "..."}` with Nova's schema messages; control characters other
    /// than tab and line feed removed, as Nova does.
    func consoleOutputAction(_ argument: JSONValue, on id: ServerID, caller: Caller) throws(CloudError) -> APIResponse {
        let field = "os-getConsoleOutput"
        guard argument.objectValue != nil else {
            let shown = argument.redacted.canonicalText
            throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). \(shown) is not of type 'object'")
        }
        try BodySchema.rejectUnexpected(argument, allowed: ["length"], field: field)
        var length: Int? = nil
        if let value = argument["length"] {
            func invalid(_ shown: String, _ reason: String) -> CloudError {
                CloudError(.badRequest, "Invalid input for field/attribute length. Value: \(shown). \(reason)")
            }
            switch value {
            case .null: break
            case .int(let number):
                guard number >= -1 else { throw invalid("\(number)", "\(number) is less than the minimum of -1") }
                length = Int(number)
            case .string(let text):
                // The pattern alone applies to strings (jsonschema's minimum is for numbers).
                let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    throw invalid(text, "'\(text)' does not match '^-?[0-9]+$'")
                }
                // Past Int's range, the whole log either way.
                length = Int(text) ?? (text.hasPrefix("-") ? Int.min : Int.max)
            default:
                let shown = value.redacted.canonicalText
                throw invalid(shown, "\(shown) is not of type 'integer', 'string', 'null'")
            }
        }
        let output = try consoleOutput(of: id, length: length, as: caller)
        // Nova strips the control characters XML could not carry (all but tab, line feed).
        let cleaned = String(String.UnicodeScalarView(output.unicodeScalars.filter { $0.value > 0x1F || $0 == "\t" || $0 == "\n" }))
        return APIResponse(status: 200, body: ["output": .string(cleaned)])
    }

    /// createBackup's `rotation`: Nova's non-negative integer, a JSON integer or a string of
    /// digits, each problem in jsonschema's words.
    static func rotation(_ value: JSONValue) throws(CloudError) -> Int {
        let shown = value.stringValue.map { "'\($0)'" } ?? value.redacted.canonicalText
        func invalid(_ reason: String) -> CloudError {
            CloudError(.badRequest, "Invalid input for field/attribute rotation. Value: \(value.stringValue ?? value.redacted.canonicalText). \(reason)")
        }
        switch value {
        case .int(let number):
            guard number >= 0 else { throw invalid("\(number) is less than the minimum of 0") }
            return Int(number)
        case .string(let text):
            guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw invalid("'\(text)' does not match '^[0-9]*$'") }
            // "" passes Nova's pattern and then fails its int() with a 500; here a clear 400.
            guard !text.isEmpty else { throw invalid("'' is not a number") }
            return Int(text) ?? .max  // digits only: past Int, every backup is kept
        default:
            throw invalid("\(shown) is not of type 'integer', 'string'")
        }
    }
}
