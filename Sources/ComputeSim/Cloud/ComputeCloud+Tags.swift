// Server tags (microversion 2.26+): Nova's rules, limits and texts.
extension ComputeCloud {
    /// The most tags a server holds (Nova's MAX_TAG_COUNT).
    public static let maximumTags = 50

    /// A server's tags, sorted.
    public func tags(of id: ServerID, as caller: Caller) throws(CloudError) -> [String] {
        world.servers[Int(try index(of: id, for: caller))].server.tags
    }

    /// Replaces every tag (`PUT /servers/{id}/tags`); duplicates count once.
    /// - Throws: ``CloudError``: `badRequest` for an invalid tag or more than 50; `conflictingRequest`
    ///   unless the server is ACTIVE, PAUSED, SUSPENDED or SHUTOFF (its vm_state).
    @discardableResult
    public mutating func setTags(_ tags: [String], on id: ServerID, as caller: Caller) throws(CloudError) -> [String] {
        let index = try taggable(id, caller: caller, action: "update tags")
        let sorted = try Self.validatedTags(tags)
        world.servers[Int(index)].server.tags = sorted
        return sorted
    }

    /// Adds one tag (`PUT /servers/{id}/tags/{tag}`); returns whether it was new (201, else 204).
    public mutating func addTag(_ tag: String, to id: ServerID, as caller: Caller) throws(CloudError) -> Bool {
        let index = try taggable(id, caller: caller, action: "update tag")
        try Self.validateTag(tag, inPath: true)
        var tags = world.servers[Int(index)].server.tags
        guard tags.count < Self.maximumTags else { throw CloudError(.badRequest, "The number of tags exceeded the per-server limit \(Self.maximumTags)") }
        guard !tags.contains(tag) else { return false }
        tags.append(tag)
        world.servers[Int(index)].server.tags = tags.sorted()
        return true
    }

    /// Removes one tag (`DELETE /servers/{id}/tags/{tag}`).
    public mutating func removeTag(_ tag: String, from id: ServerID, as caller: Caller) throws(CloudError) {
        let index = try taggable(id, caller: caller, action: "delete tag")
        guard let position = world.servers[Int(index)].server.tags.firstIndex(of: tag) else {
            throw CloudError(.itemNotFound, "Tag \(tag) could not be found.")
        }
        world.servers[Int(index)].server.tags.remove(at: position)
    }

    /// Removes every tag (`DELETE /servers/{id}/tags`).
    public mutating func removeAllTags(from id: ServerID, as caller: Caller) throws(CloudError) {
        let index = try taggable(id, caller: caller, action: "delete tags")
        world.servers[Int(index)].server.tags = []
    }

    /// The server's record number, if its vm_state lets its tags change (Nova's tag controller
    /// checks the vm_state only, not the task).
    private func taggable(_ id: ServerID, caller: Caller, action: String) throws(CloudError) -> Int32 {
        let index = try index(of: id, for: caller)
        let state = world.servers[Int(index)].server.vmState
        guard [.active, .paused, .suspended, .stopped].contains(state) else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(id) while it is in vm_state \(state.rawValue)")
        }
        return index
    }

    /// Tags checked (each 1 to 60 characters without `/` or `,`, at most 50), unique and sorted.
    static func validatedTags(_ tags: [String]) throws(CloudError) -> [String] {
        if tags.isEmpty { return tags }  // (every create passes here)
        for tag in tags { try validateTag(tag, inPath: false) }
        let unique = Array(Set(tags)).sorted()
        guard unique.count <= maximumTags else {
            throw CloudError(.badRequest, "Invalid input for field/attribute tags. Value: \(tags). \(tags) is too long")
        }
        return unique
    }

    /// One tag: the body's jsonschema text, or the path's own ("Tag '…' is invalid. …").
    static func validateTag(_ tag: String, inPath: Bool) throws(CloudError) {
        let problem: String?
        if tag.isEmpty {
            problem = "'' should be non-empty"
        } else if tag.count > 60 {
            problem = "'\(tag)' is too long"
        } else if tag.contains("/") || tag.contains(",") {
            problem = "'\(tag)' does not match '^[^,/]*$'"
        } else {
            problem = nil
        }
        guard let problem else { return }
        if inPath {
            throw CloudError(
                .badRequest, "Tag '\(tag)' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: \(problem)")
        }
        throw CloudError(.badRequest, "Invalid input for field/attribute tags. Value: \(tag). \(problem)")
    }
}
