// Server metadata.
extension ComputeCloud {
    /// Nova's metadata schema and quota: keys 1–255 of `[a-zA-Z0-9-_:. ]`, string values up to
    /// 255 bytes of UTF-8, at most `metadata_items` (128) items.
    /// - Complexity: O(k log k) in the items given.
    static func validateMetadata(_ metadata: [String: String], quota: Quota) throws(CloudError) {
        try validateMetadataItems(metadata)
        try checkMetadataCount(metadata.count, quota: quota)
    }

    /// The schema half of ``validateMetadata(_:quota:)``: the first bad key in sorted order, so
    /// the message does not depend on hash order. `field` names the member in the message
    /// (flavor extra specs and aggregate metadata follow the same schema).
    static func validateMetadataItems(_ metadata: [String: String], field: String = "metadata") throws(CloudError) {
        guard !metadata.isEmpty else { return }
        func allowed(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue else { return false }
            return (ascii >= 97 && ascii <= 122) || (ascii >= 65 && ascii <= 90) || (ascii >= 48 && ascii <= 57) || "-_:. ".utf8.contains(ascii)
        }
        for key in metadata.keys.sorted() {
            guard (1...255).contains(key.count), key.allSatisfy(allowed) else {
                throw CloudError(
                    .badRequest,
                    "Invalid input for field/attribute \(field). Value: \(key). '\(key)' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
            }
            // The Compute API's words: "The maximum size of the metadata key and value is 255
            // bytes each" (UTF-8 bytes; Nova's schema counts characters).
            if let value = metadata[key], value.utf8.count > 255 {
                throw CloudError(.badRequest, "Invalid input for field/attribute \(key). Value: \(value). '\(value)' is too long")
            }
        }
    }

    /// The quota half: at most `metadata_items` items (unlimited when negative).
    static func checkMetadataCount(_ count: Int, quota: Quota) throws(CloudError) {
        if quota.metadataItems >= 0 && count > quota.metadataItems {
            throw CloudError(.forbidden, "Maximum number of metadata items exceeds \(quota.metadataItems)")
        }
    }

    func metadataGuard(_ index: Int32, action: String, caller: Caller) throws(CloudError) {
        let server = world.servers[Int(index)].server
        if server.isLocked && !caller.isAdmin { throw CloudError(.conflictingRequest, "Instance \(server.id) is locked") }
        guard [.active, .paused, .suspended, .stopped].contains(server.vmState) else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in vm_state \(server.vmState.rawValue)")
        }
        guard server.launchedAt != nil else {
            throw CloudError(.conflictingRequest, "Cannot '\(action)' instance \(server.id) while it is in launched_at None")
        }
    }

    /// Merges (or, with `replacing`, replaces) the server's metadata; returns the result.
    /// - Throws: ``CloudError``: 400 for invalid keys or values, 403 over 128 items, 409 when the
    ///   state does not allow metadata changes or the server is locked.
    /// - Complexity: O(k log k) in the items given, not in the items the server holds: only
    ///   the new items are checked (the held ones were when they arrived) and the held
    ///   dictionary is updated in place, so 10,000 single-item updates stay linear overall.
    public mutating func updateMetadata(_ id: ServerID, _ metadata: [String: String], replacing: Bool, as caller: Caller) throws(CloudError) -> [String: String]
    {
        let index = try index(of: id, for: caller)
        try Self.validateMetadataItems(metadata)
        // Counted in place: a local copy of the held dictionary alive at the update below would
        // make that update copy it.
        let count = replacing ? metadata.count : Self.mergedCount(world.servers[Int(index)].server.metadata, adding: metadata)
        let quota = world.configuration.quotas[world.servers[Int(index)].server.project] ?? world.configuration.defaultQuota
        try Self.checkMetadataCount(count, quota: quota)
        try metadataGuard(index, action: "update metadata", caller: caller)
        if replacing {
            world.servers[Int(index)].server.metadata = metadata
        } else {
            for (key, value) in metadata { world.servers[Int(index)].server.metadata[key] = value }
        }
        world.servers[Int(index)].server.updated = now
        return world.servers[Int(index)].server.metadata
    }

    /// How many items `held` has once `new` is merged in. O(k) in the new items.
    private static func mergedCount(_ held: [String: String], adding new: [String: String]) -> Int {
        held.count + new.keys.reduce(0) { $0 + (held[$1] == nil ? 1 : 0) }
    }

    /// Deletes one metadata item.
    /// - Throws: ``CloudError`` 404 "Metadata item was not found", or 409 as for updates.
    public mutating func deleteMetadata(_ id: ServerID, key: String, as caller: Caller) throws(CloudError) {
        let index = try index(of: id, for: caller)
        guard world.servers[Int(index)].server.metadata[key] != nil else { throw CloudError(.itemNotFound, "Metadata item was not found") }
        try metadataGuard(index, action: "delete metadata", caller: caller)
        world.servers[Int(index)].server.metadata[key] = nil
        world.servers[Int(index)].server.updated = now
    }

}
