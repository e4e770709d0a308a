// Server groups, personality validation and fault injection.
extension ComputeCloud {
    /// Creates a server group with a new id (POST /os-server-groups), within the project's
    /// server-group quota.
    /// - Throws: ``CloudError`` `forbidden` over quota (Nova's message).
    public mutating func createServerGroup(name: String, policy: ServerGroupPolicy, maxServerPerHost: Int? = nil, as caller: Caller) throws(CloudError)
        -> ServerGroupID
    {
        try checkServerGroupQuota(of: caller.project)
        let id = ServerGroupID(Self.uuid(&world.ids))
        try createServerGroup(id, name: name, policy: policy, maxServerPerHost: maxServerPerHost, as: caller)
        return id
    }

    /// ``Personality/validate(_:quota:image:)`` in the API's terms: a quota limit is `forbidden`,
    /// anything else `badRequest`, with the same message.
    static func validatePersonality(_ files: [Personality], quota: Quota, image: Image) throws(CloudError) -> [InjectedFile] {
        do {
            return try Personality.validate(files, quota: quota, image: image)
        } catch {
            throw CloudError(error.code == .limitExceeded ? .forbidden : .badRequest, error.message, underlying: error)
        }
    }

    /// Refuses a new group when the project already holds its quota of server groups
    /// (a negative quota is unlimited). Checked before an id is drawn, so a refusal draws none.
    /// - Throws: ``CloudError`` `forbidden` with Nova's message.
    func checkServerGroupQuota(of project: ProjectID) throws(CloudError) {
        let quota = world.configuration.quotas[project] ?? world.configuration.defaultQuota
        if quota.serverGroups >= 0 && world.pool.groupCount(of: project) >= quota.serverGroups {
            throw CloudError(.forbidden, "Quota exceeded, too many server groups.")
        }
    }

    /// A group the caller may see (its own, or any for an admin) that was not deleted.
    /// - Throws: ``CloudError`` `itemNotFound` otherwise (the same for other projects' groups).
    func visibleGroup(_ id: ServerGroupID, as caller: Caller) throws(CloudError) -> ServerGroup {
        guard let group = world.pool.group(id), !world.deletedGroups.contains(id), group.project == caller.project || caller.isAdmin else {
            throw CloudError(.itemNotFound, "Instance group \(id) could not be found.")
        }
        return group
    }

    /// Deletes a server group (DELETE /os-server-groups/{id}); its members keep their placement.
    /// - Throws: ``CloudError`` `itemNotFound` for unknown, deleted or other projects' groups.
    public mutating func deleteServerGroup(_ id: ServerGroupID, as caller: Caller) throws(CloudError) {
        _ = try visibleGroup(id, as: caller)
        world.deletedGroups.insert(id)
    }

    /// Creates a server group for the caller's project.
    public mutating func createServerGroup(_ id: ServerGroupID, name: String, policy: ServerGroupPolicy, maxServerPerHost: Int? = nil, as caller: Caller)
        throws(CloudError)
    {
        try checkServerGroupQuota(of: caller.project)
        do {
            try world.pool.addGroup(ServerGroup(id: id, name: name, project: caller.project, policy: policy, maxServerPerHost: maxServerPerHost))
            world.groupUsers[id] = caller.user
        } catch {
            throw CloudError(error.code == .duplicate ? .conflictingRequest : .badRequest, error.message, underlying: error)
        }
    }

    /// Schedules a fault at an exact virtual time (now or later).
    /// - Throws: ``CloudError`` `badRequest` for a time in the past or an unknown host or server.
    public mutating func inject(_ fault: ScriptedFault, at time: SimTime) throws(CloudError) {
        guard time >= now else { throw CloudError(.badRequest, "cannot inject a fault at \(time): the simulation is already at \(now)") }
        switch fault {
        case .hostDown(let host), .hostUp(let host), .hostFailure(let host), .failNextBuild(let host?):
            guard world.pool.host(host) != nil else { throw CloudError(.badRequest, "no host named \(host)") }
        case .failNextBuild(nil):
            break
        case .guestShutdown(let id), .guestCrash(let id):
            guard world.serverIndex[id] != nil else { throw CloudError(.badRequest, "no server \(id)") }
        }
        world.scriptedFaults.append(fault)
        scheduler.schedule(.scripted(index: Int32(world.scriptedFaults.count - 1)), at: time)
    }

}
