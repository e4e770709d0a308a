// Actions, scripts, expiry and deletion of the servers a run created.
extension RunState {
    mutating func scheduleAction(_ index: Int, _ server: RunServer, scheduler: inout Scheduler<RunEvent>) {
        let perHour = scenario.workloads[index].actions.reduce(0) { $0 + $1.perHour }
        guard perHour > 0 else { return }
        let gap = Distribution.exponential(mean: 3_600 / perHour).sampleDuration(using: &actionRandom[index])
        Self.schedule(.action(workload: index, server: server), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler)
    }

    mutating func act(_ index: Int, _ server: RunServer, scheduler: inout Scheduler<RunEvent>) {
        guard !hasExpired(server) else { return }
        let workload = scenario.workloads[index]
        let action = Self.pick(workload.actions.map { Weighted($0.action, weight: $0.perHour) }, using: &actionRandom[index])
        if let refusal = perform(action, on: server, workload: index), refusal.code == .itemNotFound { return }  // deleted meanwhile
        scheduleAction(index, server, scheduler: &scheduler)
    }

    /// Performs a workload action as the server's owner and counts it; returns the refusal.
    mutating func perform(_ action: WorkloadAction, on server: RunServer, workload index: Int) -> CloudError? {
        let owner = owners[server.index] ?? caller(scenario.workloads[index])
        stats[index].actionRequests += 1
        do throws(CloudError) {
            switch action {
            case .api(let request):
                // Migrations are the operator's: Nova's default policy refuses them to members.
                let caller = request == .migrate || request == .liveMigrate ? Caller(project: owner.project, user: owner.user, isAdmin: true) : owner
                _ = try cloud.perform(request, at: cloud.index(at: server.index, id: server.id, for: caller), as: caller)
            case .guestShutdown: try cloud.guestShutdown(server.id, as: owner)
            }
            stats[index].actionsAccepted += 1
            return nil
        } catch {
            stats[index].actionRefusals[error.code, default: 0] += 1
            stats[index].note(error)
            return error
        }
    }

    /// A server turned ACTIVE: schedule its next script step, timed from that instant.
    mutating func scriptBecameActive(_ change: ServerStatusChange, scheduler: inout Scheduler<RunEvent>) {
        // A server never changes record, so one whose record no longer holds it was archived.
        let record = change.record
        guard cloud.holds(record, change.server), let (index, step) = awaitingActive.removeValue(forKey: record) else { return }
        let delay = scenario.workloads[index].script[step].after.sampleDuration(using: &serverRandom[index])
        guard let time = try? change.time.advanced(by: delay) else { return }
        scheduler.schedule(.scriptStep(workload: index, server: RunServer(index: record, id: change.server), step: step), at: max(time, scheduler.now))
    }

    mutating func runScriptStep(_ index: Int, _ server: RunServer, _ step: Int, scheduler: inout Scheduler<RunEvent>) {
        guard !hasExpired(server) else { return }
        let script = scenario.workloads[index].script
        guard let action = script[step].action else {
            expire(index, server, scheduler: &scheduler)
            return
        }
        let owner = owners[server.index] ?? caller(scenario.workloads[index])
        if let refusal = perform(action, on: server, workload: index) {
            if refusal.code != .itemNotFound {
                Self.schedule(.scriptStep(workload: index, server: server, step: step), after: .minutes(1), scheduler: &scheduler)  // try again
            }
            return
        }
        guard step + 1 < script.count else { return }
        if let record = try? cloud.index(at: server.index, id: server.id, for: owner), cloud.status(at: record) == .active {
            // The action left the status ACTIVE (e.g. createImage): time the next step from now.
            let delay = script[step + 1].after.sampleDuration(using: &serverRandom[index])
            Self.schedule(.scriptStep(workload: index, server: server, step: step + 1), after: delay, scheduler: &scheduler)
        } else {
            awaitingActive[server.index] = (index, step + 1)
        }
    }

    mutating func expire(_ index: Int, _ server: RunServer, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        noteError(index, server)
        do {
            let owner = owners[server.index] ?? caller(workload)
            try cloud.deleteServer(at: cloud.index(at: server.index, id: server.id, for: owner), as: owner)
            stats[index].deletes += 1
            markExpired(server)
            owners[server.index] = nil
        } catch {
            stats[index].deleteRefusals[error.code, default: 0] += 1
            stats[index].note(error)
            guard error.code != .itemNotFound else { markExpired(server); return }
            Self.schedule(.expire(workload: index, server: server), after: .minutes(1), scheduler: &scheduler)  // a user tries again
        }
    }

    /// Whether a server's pending workload events end quietly: the runner deleted it, or it was
    /// archived after the runner deleted it. (Without archiving, only the first.)
    @inline(__always)
    func hasExpired(_ server: RunServer) -> Bool {
        if ownsNumber(server) { return expired.contains(server.index) }
        return !deletedElsewhere.contains(server.id)
    }

    /// Whether the runner's tables for `server.index` are still this server's: its record is
    /// in the cloud, or it was archived so recently that ``foldArchived()`` has not run.
    @inline(__always)
    func ownsNumber(_ server: RunServer) -> Bool {
        if cloud.holds(server.index, server.id) { return true }
        guard let (workload, position) = createdPosition[server.index] else { return false }
        return created[workload][position].id == server.id
    }

    /// Marks a server the runner deleted (or found deleted) so its pending events end quietly.
    mutating func markExpired(_ server: RunServer) {
        if ownsNumber(server) {
            expired.insert(server.index)
        } else {
            deletedElsewhere.remove(server.id)  // archived and forgotten: its record number may be another's
        }
    }

    /// Takes the servers the cloud archived since the last call: what they add to the report is
    /// counted now, and the runner forgets them (their record numbers may be reused next).
    mutating func foldArchived() {
        for archived in cloud.drainArchived() {
            guard let (workload, position) = createdPosition.removeValue(forKey: archived.index), created[workload][position].id == archived.id else {
                continue
            }
            let last = created[workload].removeLast()
            if position < created[workload].count {
                created[workload][position] = last
                createdPosition[last.index] = (workload, position)
            }
            if !expired.contains(archived.index) { deletedElsewhere.insert(archived.id) }
            expired.remove(archived.index)
            owners[archived.index] = nil
            awaitingActive[archived.index] = nil
            let changes = archived.history.changes
            Self.tally(changes, now: cloud.now, stats: &stats[workload], timeInStatus: &archivedTimeInStatus)
            if let times = archived.buildTimes, changes.contains(where: { $0.status == .active }) { archivedBuildTimes[workload].append(times) }
        }
    }

    /// Adds one server's status history to its workload's build outcomes and to the time spent
    /// in each status (a status still current ends at `now`; DELETED is not timed).
    /// `timeInStatus` holds one list of durations per ``ServerStatus/ordinal``.
    static func tally(_ changes: [StatusChange], now: SimTime, stats: inout WorkloadStats, timeInStatus: inout [[Int64]]) {
        for (position, change) in changes.enumerated() where change.status != .deleted {
            let end = position + 1 < changes.count ? changes[position + 1].time : now
            timeInStatus[change.status.ordinal].append((end - change.time).nanoseconds)
        }
        if changes.contains(where: { $0.status == .active }) {
            stats.becameActive += 1
        } else if changes.contains(where: { $0.status == .error }) {
            stats.failedToBuild += 1
        } else if changes.contains(where: { $0.status == .deleted }) {
            stats.deletedWhileBuilding += 1
        }
    }

    /// Tallies the fault of a server in ERROR (before the runner deletes it, and at the end).
    mutating func noteError(_ index: Int, _ server: RunServer) {
        let owner = owners[server.index] ?? caller(scenario.workloads[index])
        guard let record = try? cloud.index(at: server.index, id: server.id, for: owner), cloud.status(at: record) == .error,
            let view = try? cloud.server(server.id, as: owner)
        else { return }
        // Nova's messages name the instance; the tally groups them by everything else.
        stats[index].errorFaults[view.fault?.message.replacing(server.id.rawValue, with: "<server>") ?? "(no fault)", default: 0] += 1
    }

}
