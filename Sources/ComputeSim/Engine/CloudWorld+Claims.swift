// Host claims: the one place that selects and claims a host, checked releases, build failures.
extension CloudWorld {
    /// How a phase left its operation: still running, or ended (the server failed or went back
    /// to its earlier state), so no later phase runs.
    enum PhaseOutcome: Hashable, Sendable {
        case continues
        case ended
    }

    /// What ``selectAndClaim(for:flavor:purpose:awayFromCurrentHost:)`` found.
    enum HostSelection: Hashable, Sendable {
        /// A host (by pool number) was chosen and claimed; `alternates` are placement's next choices.
        case claimed(Int32, alternates: [HostName])
        /// No host: placement's reasons when it weighed the hosts, nil when the claim itself
        /// was refused or the request named an unknown group.
        case noValidHost(NoValidHost?)
    }

    /// Asks placement for a host for the server at `index` and claims `flavor` there under
    /// `purpose`: the initial build and an unshelve claim the server's own resources, a resize,
    /// cold or live migration claims a migration target away from its current host
    /// (`allow_resize_to_same_host = False`). Every host choice in the engine goes through here.
    /// - Complexity: one placement decision plus O(1) for the claim.
    mutating func selectAndClaim(for index: Int32, flavor: Flavor, purpose: HostPool.ClaimPurpose, awayFromCurrentHost: Bool) -> HostSelection {
        // The fields placement needs, read in place (a copy of the whole server retains every
        // string in it); the account, group and host go by their pool numbers.
        let i = Int(index)
        var request = PlacementRequest(
            project: servers[i].server.project, flavor: flavor, image: servers[i].server.image, availabilityZone: servers[i].server.availabilityZone,
            group: servers[i].server.group)
        var numbers = SelectionContext.Numbers(account: servers[i].accountNumber, group: servers[i].groupNumber < 0 ? nil : servers[i].groupNumber)
        if awayFromCurrentHost, let current = servers[i].server.host {
            request.currentHost = current
            request.excludedHosts = [current]
            numbers.currentHost = servers[i].hostSlot < 0 ? pool.hostIndex[current] : servers[i].hostSlot
            numbers.excluded = numbers.currentHost.map { [$0] } ?? []
        }
        let decision: HostPool.NumberedDecision
        do {
            decision = try pool.decide(request, numbers: numbers, random: &placementRandom)
        } catch {
            return .noValidHost(nil)
        }
        switch decision {
        case .noValidHost(let reasons):
            return .noValidHost(reasons)
        case .placed(let host, let alternates):
            guard claim(index, purpose: purpose, resources: flavor.claim, host: host) else { return .noValidHost(nil) }
            return .claimed(host, alternates: alternates.map { pool.hosts[Int($0)].host.name })
        }
    }

    /// Claims `resources` on the host numbered `host` for the server at `index` under `purpose`
    /// (keyed by its record number); false when the pool refuses.
    mutating func claim(_ index: Int32, purpose: HostPool.ClaimPurpose, resources: Resources, host: Int32) -> Bool {
        let i = Int(index)
        let group = servers[i].groupNumber
        return
            (try? pool.claim(
                number: index, purpose: purpose, resources: resources, host: host, account: servers[i].accountNumber, group: group < 0 ? nil : group)) != nil
    }

    /// Releases the server's claim for `purpose` if it holds one (a release cannot fail
    /// otherwise, so there is nothing to drop).
    mutating func releaseIfHeld(_ index: Int32, _ purpose: HostPool.ClaimPurpose = .instance) {
        pool.releaseIfHeld(number: index, purpose: purpose)
        if purpose == .instance && servers[Int(index)].computeReleased { servers[Int(index)].computeReleased = false }
    }

    /// A suspended server gives back its vCPUs and RAM ("memory and vCPUs become available to
    /// create other instances") and keeps its disk on the same host.
    mutating func releaseComputeClaim(_ index: Int32) {
        guard !servers[Int(index)].computeReleased, var kept = pool.claimedResources(number: index) else { return }
        kept.vcpus = 0
        kept.memoryMiB = 0
        expectPool("keeping only the suspended server's disk", about: .server(servers[Int(index)].server.id)) { try $0.changeClaim(number: index, to: kept) }
        servers[Int(index)].computeReleased = true
    }

    /// Takes back the vCPUs and RAM a suspended server gave up, on its own host; false (and
    /// nothing changed) when the host has no room for them now.
    mutating func reclaimCompute(_ index: Int32) -> Bool {
        guard servers[Int(index)].computeReleased else { return true }
        guard (try? pool.changeClaim(number: index, to: servers[Int(index)].server.flavor.claim)) != nil else { return false }
        servers[Int(index)].computeReleased = false
        return true
    }

    /// Runs a pool operation that cannot fail while the engine is consistent (a host it already
    /// knows, a claim it just released); a failure is recorded as an invariant breach.
    mutating func expectPool(_ what: String, about subject: InvariantViolation.Subject, _ body: (inout HostPool) throws -> Void) {
        do {
            try body(&pool)
        } catch {
            let reason = (error as? ModelError)?.message ?? "\(error)"
            breaches.append(InvariantViolation(subject, "\(what) failed: \(reason)"))
        }
    }

    /// Puts the server in ERROR with a fault of `kind`; with `releaseClaims`, it also gives
    /// up its address, its claims (a resize's both) and its host.
    mutating func fail(_ index: Int32, _ kind: ServerFault.Kind, message: String, now: SimTime, releaseClaims: Bool) {
        closeEvent(of: index, now: now, failure: message)
        closeMigration(of: index, action: nil, failed: true, now: now)
        if usesBuildModel { workToEnd.append(index) }
        servers[Int(index)].recordGuestPower()
        if releaseClaims {
            releasePort(index)
            releaseIfHeld(index)
            releaseIfHeld(index, .migrationTarget)
            servers[Int(index)].server.host = nil
            servers[Int(index)].hostSlot = -1
            servers[Int(index)].resizeSource = nil  // both of a resize's hosts were just released
        }
        servers[Int(index)].alternates = []
        servers[Int(index)].server.vmState = .error
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = releaseClaims ? .noState : servers[Int(index)].server.powerState
        servers[Int(index)].server.fault = ServerFault(kind, message: message, created: now)
        servers[Int(index)].clearOperation()
    }

    /// The build's scheduling phase: choose and claim a host, keeping placement's alternates
    /// for reschedules; NoValidHost (counted by filter) ends the build in ERROR.
    mutating func scheduleBuild(_ index: Int32, now: SimTime) -> PhaseOutcome {
        let flavor = servers[Int(index)].server.flavor
        buildsByFlavor[flavor.id, default: (0, 0, nil)].builds += 1
        switch selectAndClaim(for: index, flavor: flavor, purpose: .instance, awayFromCurrentHost: false) {
        case .claimed(let host, let alternates):
            servers[Int(index)].alternates = alternates
            setHost(index, slot: host)
            return .continues
        case .noValidHost(let reasons):
            buildsByFlavor[flavor.id, default: (0, 0, nil)].noValidHost += 1
            if buildsByFlavor[flavor.id]?.firstNoValidHost == nil { buildsByFlavor[flavor.id]?.firstNoValidHost = now }
            if let reasons {
                placementFailures += 1
                for item in reasons.eliminated where item.hosts > 0 { placementFailuresByFilter[item.filter, default: 0] += 1 }
            }
            fail(index, .noValidHost, message: NoValidHost.message, now: now, releaseClaims: true)
            return .ended
        }
    }

    /// The end of spawning: injected build failures (with reschedule to an alternate), then
    /// success.
    mutating func finishSpawn(_ index: Int32, operation: inout Operation, scheduler: inout Scheduler<CloudEvent>) -> PhaseOutcome {
        let now = scheduler.now
        let id = servers[Int(index)].server.id
        let faults = configuration.faults
        if faults.fatalBuildFailure > 0, faultRandom.nextBool(probability: faults.fatalBuildFailure) {
            if let host = servers[Int(index)].server.host {
                expectPool("recording a build failure", about: .server(id)) { try $0.recordBuildFailure(on: host) }
            }
            fail(index, .buildAborted, message: "Build of instance \(id) aborted: injected build failure", now: now, releaseClaims: true)
            return .ended
        }
        let host = servers[Int(index)].server.host
        let armed = armedBuildFailures.firstIndex { $0 == nil || $0 == host }
        if let armed { armedBuildFailures.remove(at: armed) }
        if armed != nil || (faults.reschedulableBuildFailure > 0 && faultRandom.nextBool(probability: faults.reschedulableBuildFailure)) {
            if let host { expectPool("recording a build failure", about: .server(id)) { try $0.recordBuildFailure(on: host) } }
            releaseIfHeld(index)
            servers[Int(index)].server.host = nil
            servers[Int(index)].hostSlot = -1
            while !servers[Int(index)].alternates.isEmpty {
                let next = servers[Int(index)].alternates.removeFirst()
                // An alternate may have filled up (or gone) since placement chose it, or now break
                // the server's group policy (Nova's late check on the compute host): try the next.
                if let slot = pool.hostIndex[next], pool.groupPolicyAllows(group: servers[Int(index)].groupNumber, host: slot),
                    claim(index, purpose: .instance, resources: servers[Int(index)].server.flavor.claim, host: slot)
                {
                    setHost(index, slot: slot)
                    moveBuildSlot(index, to: next, scheduler: &scheduler)
                    // Back to networking on the alternate: phases after scheduling run again.
                    operation.phase = 0
                    return .continues
                }
            }
            fail(
                index, .retriesExhausted,
                message: "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance \(id).",
                now: now, releaseClaims: true)
            return .ended
        }
        return .continues
    }

    /// A resize's or cold migration's destination. Without one, Nova puts vm_state back to what
    /// it was, task None, with a fault recorded but not shown.
    mutating func claimDestination(_ index: Int32, operation: inout Operation, now: SimTime) -> PhaseOutcome {
        let flavor = servers[Int(index)].operationFlavor?.value ?? servers[Int(index)].server.flavor
        guard case .claimed(let slot, _) = selectAndClaim(for: index, flavor: flavor, purpose: .migrationTarget, awayFromCurrentHost: true) else {
            servers[Int(index)].server.vmState = operation.previousVMState
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].server.fault = ServerFault(.noValidHost, message: NoValidHost.message, created: now)
            servers[Int(index)].clearOperation()
            closeEvent(of: index, now: now, failure: NoValidHost.message)
            closeMigration(of: index, action: nil, failed: true, now: now)
            return .ended
        }
        operation.targetHost = slot
        return .continues
    }

    /// Unshelving from SHELVED_OFFLOADED places the server again. NoValidHost: task None, it
    /// stays shelved_offloaded, with no fault.
    mutating func claimForUnshelve(_ index: Int32, now: SimTime) -> PhaseOutcome {
        guard case .claimed(let slot, _) = selectAndClaim(for: index, flavor: servers[Int(index)].server.flavor, purpose: .instance, awayFromCurrentHost: false)
        else {
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].clearOperation()
            return .ended
        }
        setHost(index, slot: slot)
        return .continues
    }
}
