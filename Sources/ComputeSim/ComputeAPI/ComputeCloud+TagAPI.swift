// `servers/{id}/tags[/{tag}]` (2.26+).
extension ComputeCloud {
    /// `GET|PUT|DELETE /servers/{id}/tags` and `GET|PUT|DELETE /servers/{id}/tags/{tag}`, with
    /// Nova's statuses (201 with `Location` for a new tag, 204 otherwise).
    mutating func tagRequest(_ request: APIRequest, server id: ServerID, tag: String?, method: String, caller: Caller) throws(CloudError) -> APIResponse {
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        guard let tag else {
            switch method {
            case "GET": return APIResponse(status: 200, body: ["tags": .array(try tags(of: id, as: caller).map(JSONValue.string))])
            case "PUT":
                let body = try body(request)
                try BodySchema.rejectUnexpected(body, allowed: ["tags"], field: nil)
                guard let value = body["tags"] else {
                    throw BodySchema.missing("tags", in: body, field: "tags")
                }
                guard let list = value.arrayValue else {
                    throw BodySchema.wrongType("tags", value, "'array'")
                }
                if let entry = list.first(where: { $0.stringValue == nil }) {
                    throw BodySchema.wrongType("tags", entry, "'string'")
                }
                let tags = try setTags(list.compactMap(\.stringValue), on: id, as: caller)
                return APIResponse(status: 200, body: ["tags": .array(tags.map(JSONValue.string))])
            case "DELETE":
                try removeAllTags(from: id, as: caller)
                return APIResponse(status: 204)
            default: throw badMethod
            }
        }
        switch method {
        case "GET":
            guard try tags(of: id, as: caller).contains(tag) else { throw CloudError(.itemNotFound, "Server \(id) has no tag '\(tag)'") }
            return APIResponse(status: 204)
        case "PUT":
            guard try addTag(tag, to: id, as: caller) else { return APIResponse(status: 204) }
            let links = LinkBuilder(base: world.configuration.apiBaseURL, project: nil)
            return APIResponse(status: 201, headers: ["Location": links.selfHref("servers", "\(id)/tags/\(tag)")])
        case "DELETE":
            try removeTag(tag, from: id, as: caller)
            return APIResponse(status: 204)
        default: throw badMethod
        }
    }
}
