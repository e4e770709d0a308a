// Usage over a period (os-simple-tenant-usage), from the servers' launch and termination times.
extension ComputeCloud {
    /// Every project's usage from `start` to `stop` (administrators), or one project's (its
    /// members too), as Nova's simple tenant usage computes it: each server launched before
    /// `stop` and not terminated before `start` counts the hours it ran within the period, at
    /// its current flavor. `stop` past now is now. Projects and their servers in id order.
    /// Deleted servers count until they are archived.
    /// - Throws: ``CloudError``: `forbidden` for a member asking for all projects or another
    ///   one; `badRequest` when `start` is after `stop`.
    /// - Complexity: O(servers).
    public func usage(from start: SimTime, to stop: SimTime, project: ProjectID? = nil, as caller: Caller) throws(CloudError) -> [TenantUsage] {
        if let project {
            guard caller.isAdmin || caller.project == project else {
                throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show to be performed.")
            }
        } else if !caller.isAdmin {
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:list to be performed.")
        }
        guard start <= stop else { throw CloudError(.badRequest, "Invalid start time. The start time cannot occur after the end time.") }
        return Self.grouped(serverUsages(from: start, to: min(stop, now), project: project), start: start, stop: min(stop, now))
    }

    /// Rows sorted by project gathered into one usage per project.
    static func grouped(_ rows: [ServerUsage], start: SimTime, stop: SimTime) -> [TenantUsage] {
        rows.reduce(into: [TenantUsage]()) { usages, server in
            if usages.last?.project == server.project {
                usages[usages.count - 1].servers.append(server)
            } else {
                usages.append(TenantUsage(project: server.project, servers: [server], start: start, stop: stop))
            }
        }
    }

    /// The usage rows of the servers that ran between `start` and `stop`, sorted by project,
    /// then id (Nova's order).
    func serverUsages(from start: SimTime, to stop: SimTime, project: ProjectID?) -> [ServerUsage] {
        var rows: [ServerUsage] = []
        for i in world.servers.indices where !world.servers[i].isVacant {
            let server = world.servers[i].server
            guard project == nil || server.project == project, let launched = server.launchedAt, launched < stop else { continue }
            // Terminated when its DELETED status began (what views show as terminated_at).
            let last = world.servers[i].history.last
            let ended = world.servers[i].isDeleted && last?.status == .deleted ? last?.time : nil
            if let ended, ended <= start { continue }
            let from = max(launched, start), to = min(ended ?? stop, stop)
            let flavor = server.flavor
            rows.append(
                ServerUsage(
                    id: server.id, name: server.name, project: server.project, flavor: flavor.name, vcpus: flavor.vcpus, memoryMiB: flavor.memoryMiB,
                    localGiB: flavor.diskGiB + flavor.ephemeralGiB, hours: Double((to - from).nanoseconds) / 3_600_000_000_000, startedAt: launched,
                    endedAt: ended, state: ended == nil ? server.vmState.rawValue : "terminated",
                    uptime: ((ended ?? now) - launched).nanoseconds / 1_000_000_000))
        }
        return rows.sorted { ($0.project, $0.id) < ($1.project, $1.id) }
    }
}
