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
        guard let host = pool.claimedHost(number: index, purpose: .migrationTarget) else { return }
        let resources = servers[Int(index)].server.flavor.claim
        releaseIfHeld(index, .migrationTarget)
        if !claim(index, purpose: .instance, resources: resources, host: host) {
            breaches.append(InvariantViolation(.server(servers[Int(index)].server.id), "re-keying its migration claim failed"))
        }
    }

    /// Adds (or with `sign` −1 removes) the flavor of the server at `index` (or `flavor`) to its
    /// project's quota usage, and with `instance` the server itself.
    /// - Complexity: O(1): usage is kept by the pool's account number.
    mutating func countUsage(of index: Int32, flavor: Flavor? = nil, sign: Int, instance: Bool = false) {
        let account = Int(servers[Int(index)].accountNumber)
        if account >= accountUsage.count { accountUsage.append(contentsOf: repeatElement(QuotaUsage(), count: account + 1 - accountUsage.count)) }
        accountUsage[account].add(flavor ?? servers[Int(index)].server.flavor, sign: sign, instance: instance)
    }

    /// A project's quota usage (zero for a project with no servers).
    func usage(of project: ProjectID) -> QuotaUsage {
        guard let account = pool.accountIndex[project] else { return QuotaUsage() }
        return usage(ofAccount: account)
    }

    /// The quota usage of the pool's account number `account`.
    func usage(ofAccount account: Int32) -> QuotaUsage {
        Int(account) < accountUsage.count ? accountUsage[Int(account)] : QuotaUsage()
    }

    mutating func finishDelete(_ index: Int32, now: SimTime) {
        // A delete that cuts an operation short (Nova's local delete of a building server) ends
        // its event as the compute manager's would: the instance is gone.
        if servers[Int(index)].operation != nil {
            closeEvent(of: index, now: now, failure: "Instance \(servers[Int(index)].server.id) could not be found.")
            closeMigration(of: index, action: nil, failed: true, now: now)
        }
        if !servers[Int(index)].isDeleted, let retention = configuration.deletedServerRetention, let deadline = try? now.advanced(by: retention) {
            archiveQueue.append(ArchiveEntry(deadline: deadline, index: index))
        }
        if usesBuildModel { workToEnd.append(index) }
        if !servers[Int(index)].isDeleted { countUsage(of: index, sign: -1, instance: true) }
        releasePort(index)
        releaseIfHeld(index)
        releaseIfHeld(index, .migrationTarget)
        servers[Int(index)].server.vmState = .deleted
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = .noState
        servers[Int(index)].guestPower = nil
        servers[Int(index)].clearOperation()
        servers[Int(index)].isDeleted = true
        noteStatus(index, now: now)
    }

    /// The power-state sync after a guest shut down or crashed: stop it, or delete it when it
    /// was created with `shutdownTerminate`.
    mutating func powerSync(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        let i = Int(index)
        guard !servers[i].isDeleted, servers[i].server.vmState == .active, servers[i].server.taskState == nil,
            servers[i].actualPower == .shutdown || servers[i].actualPower == .crashed
        else { return }
        // The sync records what the driver reports (startOperation would too), then acts on it.
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
            let power: PowerState
            if case .guestCrash = fault { power = .crashed } else { power = .shutdown }
            guard servers[Int(index)].server.taskState == nil else {
                // A task is under way: the compute manager reads the driver's state as it goes.
                servers[Int(index)].server.powerState = power
                return
            }
            // Nothing is acting on the server: the API shows the old power state until the
            // periodic sync notices.
            servers[Int(index)].guestPower = power
            guard servers[Int(index)].pending == nil else { return }
            // The next periodic sync (at a multiple of the interval) notices it.
            let interval = max(1, configuration.powerSyncInterval.nanoseconds)
            let next = (now.nanosecondsSinceStart / interval + 1) * interval
            servers[Int(index)].pending = scheduler.schedule(.powerSync(server: index), at: SimTime(nanosecondsSinceStart: next))
        }
    }
}
