// `os-keypairs`: Nova's per-user key pairs, import only (see importKeyPair).
extension ComputeCloud {
    /// `POST /os-keypairs`, `GET /os-keypairs`, `GET` and `DELETE /os-keypairs/{name}`, with
    /// Nova's views and statuses per microversion (type from 2.2, user_id for administrators
    /// from 2.10, paging from 2.35).
    mutating func keyPairRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, links: LinkBuilder, version: Microversion)
        throws(CloudError)
        -> APIResponse
    {
        let rest = Array(route.segments.dropFirst())
        let typed = version >= Microversion(2, 2)
        let otherUser = version >= Microversion(2, 10) ? route.value("user_id") : nil
        switch (rest.count, method) {
        case (0, "POST"):
            let body = try body(request)
            guard let spec = body["keypair"], spec.objectValue != nil else {
                throw CloudError(
                    .badRequest, "Invalid input for field/attribute keypair. Value: \(body.redacted.canonicalText). 'keypair' is a required property")
            }
            try BodySchema.rejectUnexpected(body, allowed: ["keypair"], field: nil)
            try BodySchema.rejectUnexpected(
                spec, allowed: ["name", "public_key"] + (typed ? ["type"] : []) + (version >= Microversion(2, 10) ? ["user_id"] : []), field: "keypair")
            guard let name = spec["name"]?.stringValue else {
                throw CloudError(.badRequest, "Invalid input for field/attribute keypair. Value: \(spec.redacted.canonicalText). 'name' is a required property")
            }
            if let type = spec["type"], type != "ssh" {
                guard type == "x509" else {
                    throw CloudError(
                        .badRequest,
                        "Invalid input for field/attribute type. Value: \(type.redacted.canonicalText). \(type.redacted.canonicalText) is not one of ['ssh', 'x509']"
                    )
                }
                throw CloudError(.badRequest, "Keypair data is invalid: ComputeSim imports ssh keys only")
            }
            guard let publicKey = spec["public_key"]?.stringValue else {
                throw CloudError(.badRequest, "Keypair data is invalid: ComputeSim does not generate key pairs; import one with public_key")
            }
            let owner = try keyPairOwner(spec["user_id"]?.stringValue, caller: caller, rule: "create")
            let pair = try importKeyPair(name: name, publicKey: publicKey, as: Caller(project: caller.project, user: owner, isAdmin: caller.isAdmin))
            var fields: [(String, JSONValue)] = [
                ("name", .string(pair.name)), ("public_key", .string(pair.publicKey)), ("fingerprint", .string(pair.fingerprint)),
                ("user_id", .string(pair.user)),
            ]
            if typed { fields.append(("type", "ssh")) }
            return APIResponse(status: typed ? 201 : 200, body: ["keypair": .object(fields)])
        case (0, "GET"):
            var pairs = try keyPairs(of: otherUser, as: caller)
            var next: String?
            if version >= Microversion(2, 35) {
                if let marker = route.value("marker") {
                    guard let position = pairs.firstIndex(where: { $0.name == marker }) else { throw CloudError(.badRequest, "marker [\(marker)] not found") }
                    pairs = Array(pairs[(position + 1)...])
                }
                if let text = route.value("limit") {
                    guard let limit = Int(text), limit >= 0 else {
                        throw CloudError(.badRequest, "Invalid input for query parameters limit. Value: \(text). '\(text)' does not match '^[0-9]*$'")
                    }
                    if pairs.count > limit {
                        pairs = Array(pairs.prefix(limit))
                        if let last = pairs.last { next = links.selfHref("os-keypairs", "").dropLast() + "?limit=\(limit)&marker=\(last.name)" }
                    }
                }
            }
            let list: [JSONValue] = pairs.map { pair in
                var fields: [(String, JSONValue)] = [
                    ("name", .string(pair.name)), ("public_key", .string(pair.publicKey)), ("fingerprint", .string(pair.fingerprint)),
                ]
                if typed { fields.append(("type", "ssh")) }
                return ["keypair": .object(fields)]
            }
            var body: [(String, JSONValue)] = [("keypairs", .array(list))]
            if let next { body.append(("keypairs_links", [["href": .string(next), "rel": "next"]])) }
            return APIResponse(status: 200, body: .object(body))
        case (1, "GET"):
            let pair = try keyPair(rest[0], of: otherUser, as: caller)
            var fields: [(String, JSONValue)] = [
                ("name", .string(pair.name)), ("public_key", .string(pair.publicKey)), ("fingerprint", .string(pair.fingerprint)),
                ("user_id", .string(pair.user)), ("created_at", .string(wallClock.iso8601(at: pair.created).replacingOccurrences(of: "Z", with: ".000000"))),
                ("deleted", false),
                ("deleted_at", .null), ("id", .int(Int64(pair.serial))), ("updated_at", .null),
            ]
            if typed { fields.append(("type", "ssh")) }
            return APIResponse(status: 200, body: ["keypair": .object(fields)])
        case (1, "DELETE"):
            try deleteKeyPair(rest[0], of: otherUser, as: caller)
            return APIResponse(status: typed ? 204 : 202)
        case (0, _), (1, _):
            throw CloudError(.badMethod, "The method specified is not allowed for this resource.")
        default:
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
    }
}
