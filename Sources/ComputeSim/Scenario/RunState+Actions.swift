// Actions, scripts, expiry and deletion of the servers a run created.
extension RunState {
    mutating func scheduleAction(_ index: Int, _ server: RunServer, scheduler: inout Scheduler<RunEvent>) {
        let perHour = scenario.workloads[index].actions.reduce(0) { $0 + $1.perHour }
        guard perHour > 0 else { return }
        let gap = Distribution.exponential(mean: 3_600 / perHour).sampleDuration(using: &actionRandom[index])
        Self.schedule(.action(workload: index, server: server), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler)
    }

    mutating func act(_ index: Int, _ server: RunServer, scheduler: inout Scheduler<RunEvent>) {
        guard !expired.contains(server.index) else { return }
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
            case .api(let request): _ = try cloud.perform(request, at: cloud.index(at: server.index, for: owner), as: owner)
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
        guard let record = cloud.recordIndex(of: change.server), let (index, step) = awaitingActive.removeValue(forKey: record) else { return }
        let delay = scenario.workloads[index].script[step].after.sampleDuration(using: &serverRandom[index])
        guard let time = try? change.time.advanced(by: delay) else { return }
        scheduler.schedule(.scriptStep(workload: index, server: RunServer(index: record, id: change.server), step: step), at: max(time, scheduler.now))
    }

    mutating func runScriptStep(_ index: Int, _ server: RunServer, _ step: Int, scheduler: inout Scheduler<RunEvent>) {
        guard !expired.contains(server.index) else { return }
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
        if let record = try? cloud.index(at: server.index, for: owner), cloud.status(at: record) == .active {
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
            try cloud.deleteServer(at: cloud.index(at: server.index, for: owner), as: owner)
            stats[index].deletes += 1
            expired.insert(server.index)
            owners[server.index] = nil
        } catch {
            stats[index].deleteRefusals[error.code, default: 0] += 1
            stats[index].note(error)
            guard error.code != .itemNotFound else { expired.insert(server.index); return }
            Self.schedule(.expire(workload: index, server: server), after: .minutes(1), scheduler: &scheduler)  // a user tries again
        }
    }

    /// Tallies the fault of a server in ERROR (before the runner deletes it, and at the end).
    mutating func noteError(_ index: Int, _ server: RunServer) {
        let owner = owners[server.index] ?? caller(scenario.workloads[index])
        guard let record = try? cloud.index(at: server.index, for: owner), cloud.status(at: record) == .error,
            let view = try? cloud.server(server.id, as: owner)
        else { return }
        // Nova's messages name the instance; the tally groups them by everything else.
        stats[index].errorFaults[view.fault?.message.replacing(server.id.rawValue, with: "<server>") ?? "(no fault)", default: 0] += 1
    }

}
