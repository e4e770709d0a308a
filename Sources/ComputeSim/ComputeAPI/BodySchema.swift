/// The members Nova's request-body schemas allow, per endpoint and microversion.
///
/// Nova validates every body with JSON Schema and almost every object in it says
/// `additionalProperties: false`, so a misspelt or invented key is a 400, never silently
/// ignored. The member lists here follow Nova's schemas (`nova/api/openstack/compute/schemas`)
/// for the microversions ComputeSim serves (2.1 to 2.56); the messages are jsonschema's as Nova
/// words them.
enum BodySchema {
    /// Refuses the members of `value` (when it is an object) that `allowed` does not list:
    /// "Additional properties are not allowed ('x' was unexpected)", naming every unexpected
    /// member in body order ("('a', 'b' were unexpected)"). For an object under a member
    /// (`field`, the last step of its path: a key or an array index), Nova prefixes
    /// "Invalid input for field/attribute FIELD. Value: VALUE. ".
    /// - Complexity: O(n · a) for n members and a allowed names (both small).
    static func rejectUnexpected(_ value: JSONValue, allowed: [String], field: String?) throws(CloudError) {
        guard let members = value.objectValue else { return }
        let unexpected = members.map(\.0).filter { !allowed.contains($0) }
        guard !unexpected.isEmpty else { return }
        let names = unexpected.map { "'\(pythonEscaped($0))'" }.joined(separator: ", ")
        let message = "Additional properties are not allowed (\(names) \(unexpected.count == 1 ? "was" : "were") unexpected)"
        guard let field else { throw CloudError(.badRequest, message) }
        throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(value.redacted.canonicalText). \(message)")
    }

    /// Refuses unexpected members in each object of an array member (`personality`,
    /// `networks`, `security_groups`), naming the entry by its index as Nova does.
    static func rejectUnexpectedInEntries(_ value: JSONValue?, allowed: [String]) throws(CloudError) {
        guard let entries = value?.arrayValue else { return }
        for (index, entry) in entries.enumerated() { try rejectUnexpected(entry, allowed: allowed, field: String(index)) }
    }

    /// Nova's `parameter_types.boolean`: JSON true or false, or one of its spellings as a
    /// string; `allowingAuto` adds `"auto"` (live migration's block_migration from 2.25).
    static func checkBoolean(_ value: JSONValue, field: String, allowingAuto: Bool) throws(CloudError) {
        if case .bool = value { return }
        if let text = value.stringValue, booleanSpellings.contains(text) || (allowingAuto && text == "auto") { return }
        let shown = value.stringValue ?? value.redacted.canonicalText
        let quoted = value.stringValue.map { "'\(pythonEscaped($0))'" } ?? shown
        let choices =
            "[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'\(allowingAuto ? ", 'auto'" : "")]"
        throw CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(shown). \(quoted) is not one of \(choices)")
    }

    /// jsonschema's error for the value of member `field`, as Nova words it: "Invalid input
    /// for field/attribute FIELD. Value: VALUE. REASON" (a string shown bare, anything else as
    /// canonical JSON).
    static func invalid(_ field: String, _ value: JSONValue, _ reason: String) -> CloudError {
        CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(value.stringValue ?? value.redacted.canonicalText). \(reason)")
    }

    /// "'KEY' is a required property", for the object under member `field` (nil: the body).
    static func missing(_ key: String, in object: JSONValue, field: String?) -> CloudError {
        guard let field else { return CloudError(.badRequest, "'\(key)' is a required property") }
        return CloudError(.badRequest, "Invalid input for field/attribute \(field). Value: \(object.redacted.canonicalText). '\(key)' is a required property")
    }

    /// "VALUE is not of type 'a', 'b'" for member `field`; `types` lists the quoted names.
    static func wrongType(_ field: String, _ value: JSONValue, _ types: String) -> CloudError {
        invalid(field, value, "\(pythonText(value)) is not of type \(types)")
    }

    /// A JSON value as Python's `repr` shows it in jsonschema's messages (containers as
    /// canonical JSON).
    static func pythonText(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .string(let text): return "'\(text)'"
        default: return value.redacted.canonicalText
        }
    }

    /// The strings Nova's boolean type accepts.
    static let booleanSpellings: Set<String> = [
        "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no",
    ]

    /// The value of a member of Nova's boolean type (checked as ``checkBoolean(_:field:allowingAuto:)``).
    static func boolean(_ value: JSONValue, field: String) throws(CloudError) -> Bool {
        try checkBoolean(value, field: field, allowingAuto: false)
        return value.boolValue ?? trueSpellings.contains(value.stringValue ?? "")
    }

    /// The strings Nova's boolean type reads as true.
    static let trueSpellings: Set<String> = ["True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes"]

    /// A name as Python's `repr` shows it inside single quotes (backslash and quote escaped).
    private static func pythonEscaped(_ name: String) -> String {
        name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    /// `POST /servers`: the body's members.
    static let createBody = ["server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"]

    /// `POST /servers`: the `server` object's members at `version` (description from 2.19,
    /// tags from 2.52).
    static func createServer(_ version: Microversion) -> [String] {
        var keys = [
            "name", "imageRef", "flavorRef", "adminPass", "metadata", "networks", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "personality",
            "availability_zone", "block_device_mapping", "block_device_mapping_v2", "config_drive", "key_name", "min_count", "max_count",
            "return_reservation_id", "security_groups", "user_data",
        ]
        if version >= Microversion(2, 19) { keys.append("description") }
        if version >= Microversion(2, 52) { keys.append("tags") }
        return keys
    }

    /// A `networks` entry's members (`tag` at 2.32 and from 2.42, as Nova's schemas have it).
    static func networkEntry(_ version: Microversion) -> [String] {
        version == Microversion(2, 32) || version >= Microversion(2, 42) ? ["fixed_ip", "port", "uuid", "tag"] : ["fixed_ip", "port", "uuid"]
    }

    /// A `personality` entry's members.
    static let personalityEntry = ["path", "contents"]

    /// A `security_groups` entry's members.
    static let securityGroupEntry = ["name"]

    /// `PUT /servers/{id}`: the `server` object's members (description from 2.19).
    static func updateServer(_ version: Microversion) -> [String] {
        ["name", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"] + (version >= Microversion(2, 19) ? ["description"] : [])
    }

    /// The `rebuild` action's members (description from 2.19, key_name from 2.54).
    static func rebuild(_ version: Microversion) -> [String] {
        var keys = ["name", "imageRef", "adminPass", "metadata", "preserve_ephemeral", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "personality"]
        if version >= Microversion(2, 19) { keys.append("description") }
        if version >= Microversion(2, 54) { keys.append("key_name") }
        return keys
    }

    /// The `os-migrateLive` action's members: `disk_over_commit` until 2.24, `force` from 2.30.
    static func liveMigrate(_ version: Microversion) -> (allowed: [String], required: [String]) {
        if version < Microversion(2, 25) { return (["block_migration", "disk_over_commit", "host"], ["block_migration", "disk_over_commit", "host"]) }
        if version < Microversion(2, 30) { return (["block_migration", "host"], ["block_migration", "host"]) }
        return (["block_migration", "host", "force"], ["block_migration", "host"])
    }

    /// The members of the other actions whose argument is an object with a fixed set of
    /// members (`migrate` only from 2.56, where Nova starts validating its body); nil for the
    /// actions whose argument Nova does not constrain.
    static func actionArgument(_ action: ServerAction, version: Microversion) -> [String]? {
        switch action {
        case .rebootSoft, .rebootHard: return ["type"]
        case .resize: return ["flavorRef", "OS-DCF:diskConfig"]
        case .createImage: return ["name", "metadata"]
        case .createBackup: return ["name", "backup_type", "rotation", "metadata"]
        case .changePassword: return ["adminPass"]
        case .rescue: return ["adminPass", "rescue_image_ref"]
        case .migrate: return version >= Microversion(2, 56) ? ["host"] : nil
        default: return nil
        }
    }
}
