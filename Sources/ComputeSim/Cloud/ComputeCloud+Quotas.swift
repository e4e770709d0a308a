// Quota sets (os-quota-sets): a project's limits, read by its members and set by administrators.
extension ComputeCloud {
    /// The limits `project` runs under: its own if an administrator set them, else the defaults.
    /// - Throws: ``CloudError`` `forbidden` unless the caller is an administrator or a member
    ///   of `project` (Nova's project reader rule).
    public func quota(of project: ProjectID, as caller: Caller) throws(CloudError) -> Quota {
        guard caller.isAdmin || caller.project == project else {
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.")
        }
        return world.configuration.quotas[project] ?? world.configuration.defaultQuota
    }

    /// What `project` uses of its countable limits now: instances, cores and RAM of its live
    /// servers and its server groups (key pairs and group members are counted per user, so a
    /// project's count of them is 0, as Nova's project view shows).
    func quotaUsage(of project: ProjectID) -> [String: Int] {
        let usage = world.usage(of: project)
        return [
            "instances": usage.instances, "cores": usage.cores, "ram": usage.ramMiB, "server_groups": world.pool.groupCount(of: project),
        ]
    }

    /// Sets `project`'s limits (administrators). Without `force`, a countable limit below what
    /// the project uses now is refused ("Quota limit 1 for instances must be greater than or
    /// equal to already used and reserved 2."), and nothing changes; -1 is unlimited.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `badRequest` as above.
    public mutating func setQuota(_ quota: Quota, of project: ProjectID, force: Bool = false, as caller: Caller) throws(CloudError) {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.") }
        if !force {
            let used = quotaUsage(of: project)
            for (name, limit) in Self.quotaFields(quota) {
                let minimum = used[name] ?? 0
                if limit != -1 && limit < minimum {
                    throw CloudError(
                        .badRequest, "Quota limit \(limit) for \(name) must be greater than or equal to already used and reserved \(minimum).")
                }
            }
        }
        world.configuration.quotas[project] = quota
    }

    /// Returns `project` to the default limits (administrators; Nova's quota-set delete).
    public mutating func deleteQuota(of project: ProjectID, as caller: Caller) throws(CloudError) {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-quota-sets:delete to be performed.") }
        world.configuration.quotas[project] = nil
        world.legacyQuotas[project] = nil
    }

    /// A quota's limits by Nova's resource names, in Nova's order.
    static func quotaFields(_ quota: Quota) -> [(String, Int)] {
        [
            ("cores", quota.cores), ("injected_files", quota.injectedFiles), ("injected_file_content_bytes", quota.injectedFileContentBytes),
            ("injected_file_path_bytes", quota.injectedFilePathLength), ("instances", quota.instances), ("key_pairs", quota.keyPairs),
            ("metadata_items", quota.metadataItems), ("ram", quota.ramMiB), ("server_groups", quota.serverGroups),
            ("server_group_members", quota.serverGroupMembers),
        ]
    }

    /// `quota` with the limit Nova names `name` set to `value` (false for an unknown name).
    static func setting(_ name: String, to value: Int, in quota: inout Quota) -> Bool {
        switch name {
        case "cores": quota.cores = value
        case "injected_files": quota.injectedFiles = value
        case "injected_file_content_bytes": quota.injectedFileContentBytes = value
        case "injected_file_path_bytes": quota.injectedFilePathLength = value
        case "instances": quota.instances = value
        case "key_pairs": quota.keyPairs = value
        case "metadata_items": quota.metadataItems = value
        case "ram": quota.ramMiB = value
        case "server_groups": quota.serverGroups = value
        case "server_group_members": quota.serverGroupMembers = value
        default: return false
        }
        return true
    }
}
