// Build failures and host claims: builds, spawns, migration destinations, unshelving.
extension CloudWorld {
    mutating func fail(_ index: Int32, code: Int, message: String, now: SimTime, releaseClaims: Bool) {
        let id = servers[Int(index)].server.id
        if plant != nil { workToEnd.append(index) }
        if releaseClaims {
            releasePort(index)
            try? pool.release(.init(server: id))
            try? pool.release(.init(server: id, purpose: .migrationTarget))
            servers[Int(index)].server.host = nil
            servers[Int(index)].resizeSource = nil  // both of a resize's hosts were just released
        }
        servers[Int(index)].alternates = []
        servers[Int(index)].server.vmState = .error
        servers[Int(index)].server.taskState = nil
        servers[Int(index)].server.powerState = releaseClaims ? .noState : servers[Int(index)].server.powerState
        servers[Int(index)].server.fault = ServerFault(code: code, message: message, created: now)
        servers[Int(index)].operation = nil
    }

    /// The build's scheduling phase: ask placement, claim the chosen host.
    mutating func scheduleBuild(_ index: Int32, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let request = PlacementRequest(
            project: server.project, flavor: server.flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        let decision: PlacementDecision
        do {
            decision = try pool.select(request, random: &placementRandom)
        } catch {
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        }
        switch decision {
        case .noValidHost(let reasons):
            placementFailures += 1
            for item in reasons.eliminated where item.hosts > 0 { placementFailuresByFilter[item.filter, default: 0] += 1 }
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        case .placed(let host, let alternates):
            servers[Int(index)].alternates = alternates
            return claimBuildHost(index, host, now: now)
        }
    }

    mutating func claimBuildHost(_ index: Int32, _ host: HostName, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        do {
            try pool.claim(.init(server: server.id), resources: server.flavor.claim, on: host, project: server.project, group: server.group)
        } catch {
            fail(index, code: 500, message: NoValidHost.message, now: now, releaseClaims: true)
            return false
        }
        setHost(index, host)
        return true
    }

    /// The end of spawning: injected build failures (with reschedule), then success.
    mutating func finishSpawn(_ index: Int32, operation: inout Operation, scheduler: inout Scheduler<CloudEvent>) -> Bool {
        let now = scheduler.now
        let id = servers[Int(index)].server.id
        let faults = configuration.faults
        if faults.fatalBuildFailure > 0, faultRandom.nextBool(probability: faults.fatalBuildFailure) {
            if let host = servers[Int(index)].server.host { try? pool.recordBuildFailure(on: host) }
            fail(index, code: 500, message: "Build of instance \(id) aborted: injected build failure", now: now, releaseClaims: true)
            return false
        }
        let host = servers[Int(index)].server.host
        let armed = armedBuildFailures.firstIndex { $0 == nil || $0 == host }
        if let armed { armedBuildFailures.remove(at: armed) }
        if armed != nil || (faults.reschedulableBuildFailure > 0 && faultRandom.nextBool(probability: faults.reschedulableBuildFailure)) {
            if let host = servers[Int(index)].server.host { try? pool.recordBuildFailure(on: host) }
            try? pool.release(.init(server: id))
            servers[Int(index)].server.host = nil
            while !servers[Int(index)].alternates.isEmpty {
                let next = servers[Int(index)].alternates.removeFirst()
                let server = servers[Int(index)].server
                if (try? pool.claim(.init(server: id), resources: server.flavor.claim, on: next, project: server.project, group: server.group)) != nil {
                    setHost(index, next)
                    moveBuildSlot(index, to: next, scheduler: &scheduler)
                    // Back to networking on the alternate: phases after scheduling run again.
                    operation.phase = 0
                    return true
                }
            }
            fail(
                index, code: 500, message: "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance \(id).",
                now: now, releaseClaims: true)
            return false
        }
        return true
    }

    mutating func claimDestination(_ index: Int32, operation: inout Operation, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let flavor = operation.targetFlavor ?? server.flavor
        var request = PlacementRequest(
            project: server.project, flavor: flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        request.currentHost = server.host
        if let host = server.host { request.excludedHosts = [host] }  // allow_resize_to_same_host = False
        guard let decision = try? pool.select(request, random: &placementRandom), let destination = decision.host,
            (try? pool.claim(
                .init(server: server.id, purpose: .migrationTarget), resources: flavor.claim, on: destination, project: server.project, group: server.group))
                != nil
        else {
            // Nova: vm_state back to what it was, task None, a fault recorded but not shown.
            servers[Int(index)].server.vmState = operation.previousVMState
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].server.fault = ServerFault(code: 500, message: NoValidHost.message, created: now)
            servers[Int(index)].operation = nil
            return false
        }
        operation.targetHost = destination
        return true
    }

    mutating func claimForUnshelve(_ index: Int32, now: SimTime) -> Bool {
        let server = servers[Int(index)].server
        let request = PlacementRequest(
            project: server.project, flavor: server.flavor, image: server.image, availabilityZone: server.availabilityZone, group: server.group)
        guard let decision = try? pool.select(request, random: &placementRandom), let host = decision.host,
            (try? pool.claim(.init(server: server.id), resources: server.flavor.claim, on: host, project: server.project, group: server.group)) != nil
        else {
            // NoValidHost on unshelve: task None, stays shelved_offloaded, no fault.
            servers[Int(index)].server.taskState = nil
            servers[Int(index)].operation = nil
            return false
        }
        setHost(index, host)
        return true
    }
}
