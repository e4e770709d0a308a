// Injection, deletion, usage counting, power sync and scripted faults.
extension CloudWorld {
    /// Writes the pending personality files (validated against the image tree when accepted).
    mutating func injectPending(_ index: Int32, now: SimTime) {
        let files = servers[Int(index)].pendingFiles
        servers[Int(index)].pendingFiles = []
        guard !files.isEmpty else { return }
        guard (try? servers[Int(index)].fileSystem.inject(files, at: now, wallClock: configuration.wallClock)) != nil else { return }
        servers[Int(index)].injectedPaths.append(contentsOf: files.map(\.path))
    }

    mutating func rekeyMigrationClaim(_ index: Int32) {
        // The fields it needs, not the whole server (whose copy retains every string in it).
        let id = servers[Int(index)].server.id
        guard let host = pool.claimHost(.init(server: id, purpose: .migrationTarget)) else { return }
        let resources = servers[Int(index)].server.flavor.claim
        let project = servers[Int(index)].server.project
        let group = servers[Int(index)].server.group
        releaseIfHeld(.init(server: id, purpose: .migrationTarget))
        expectPool("re-keying its migration claim", about: .server(id)) {
            try $0.claim(.init(server: id), resources: resources, on: host, project: project, group: group)
        }
    }

    /// Adds (or with `sign` −1 removes) a server's flavor to its project's quota usage, and with
    /// `instance` the server itself.
    mutating func countUsage(of server: Server, flavor: Flavor? = nil, sign: Int, instance: Bool = false) {
        let flavor = flavor ?? server.flavor
        projectUsage[server.project, default: QuotaUsage()].add(flavor, sign: sign, instance: instance)
    }

    mutating func finishDelete(_ index: Int32, now: SimTime) {
        let id = servers[Int(index)].server.id
        if !servers[Int(index)].isDeleted, let retention = configuration.deletedServerRetention, let deadline = try? now.advanced(by: retention) {
            archiveQueue.append(ArchiveEntry(deadline: deadline, index: index))
        }
        if usesBuildModel { workToEnd.append(index) }
        if !servers[Int(index)].isDeleted { countUsage(of: servers[Int(index)].server, sign: -1, instance: true) }
        releasePort(index)
        releaseIfHeld(.init(server: id))
        releaseIfHeld(.init(server: id, purpose: .migrationTarget))
        servers[Int(index)].server.vmState = .deleted
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = .noState
        servers[Int(index)].operation = nil
        servers[Int(index)].isDeleted = true
        noteStatus(index, now: now)
    }

    /// The power-state sync after a guest shut down or crashed: stop it, or delete it when it
    /// was created with `shutdownTerminate`.
    mutating func powerSync(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        let i = Int(index)
        guard !servers[i].isDeleted, servers[i].server.vmState == .active, servers[i].server.taskState == nil,
            servers[i].server.powerState == .shutdown || servers[i].server.powerState == .crashed
        else { return }
        startOperation(servers[i].server.shutdownTerminate ? .delete : .stop, on: index, scheduler: &scheduler)
    }

    mutating func applyScripted(_ fault: ScriptedFault, scheduler: inout Scheduler<CloudEvent>) {
        let now = scheduler.now
        switch fault {
        case .hostDown(let host), .hostUp(let host):
            let up: Bool
            if case .hostUp = fault { up = true } else { up = false }
            expectPool("marking the host \(up ? "up" : "down")", about: .host(host)) { try $0.setUp(up, host: host) }
            for index in residents(of: host) { noteStatus(index, now: now) }
        case .hostFailure(let host):
            expectPool("marking the host down", about: .host(host)) { try $0.setUp(false, host: host) }
            for index in residents(of: host) where !servers[Int(index)].isDeleted {
                cancelPending(index, scheduler: &scheduler)
                fail(index, .hostLost, message: "Host \(host) failed and the server was lost", now: now, releaseClaims: true)
                noteStatus(index, now: now)
            }
        case .failNextBuild(let host):
            armedBuildFailures.append(host)
        case .guestShutdown(let id), .guestCrash(let id):
            guard let index = serverIndex[id], !servers[Int(index)].isDeleted, servers[Int(index)].server.vmState == .active else { return }
            if case .guestCrash = fault { servers[Int(index)].server.powerState = .crashed } else { servers[Int(index)].server.powerState = .shutdown }
            guard servers[Int(index)].server.taskState == nil, servers[Int(index)].pending == nil else { return }
            // The next periodic sync (at a multiple of the interval) notices it.
            let interval = max(1, configuration.powerSyncInterval.nanoseconds)
            let next = (now.nanosecondsSinceStart / interval + 1) * interval
            servers[Int(index)].pending = scheduler.schedule(.powerSync(server: index), at: SimTime(nanosecondsSinceStart: next))
        }
    }
}
