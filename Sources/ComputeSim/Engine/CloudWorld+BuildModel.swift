/// The physical build model (``BuildModel``) inside the cloud: build slots and queues,
/// transfers, caches and boot timers. Every entry point is a no-op when the cloud uses the
/// distribution timing model (`plant == nil`).
extension CloudWorld {
    static let gibibyte = 1_073_741_824.0

    func imageBytes(_ image: ImageID) -> Double { (images[image]?.value.sizeGiB ?? 0) * Self.gibibyte }

    /// The phase durations of a build under the physical model: scheduling and port set-up are
    /// drawn; block device mapping takes no time; spawning is driven by work.
    mutating func physicalBuildDurations() -> PhaseDurations? {
        guard let model = plant?.model else { return nil }
        var durations = PhaseDurations()
        durations.append(model.schedulingDelay.sampleDuration(using: &timing))
        durations.append(model.portSetupDelay.sampleDuration(using: &timing))
        durations.append(.zero)
        durations.append(.zero)
        return durations
    }

    /// Whether the current phase of the server's operation is physical work, and if so starts it.
    mutating func startPhysicalWork(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) -> Bool {
        guard usesBuildModel, let operation = servers[Int(index)].operation else { return false }
        let task = operation.task(at: operation.phase)
        let now = scheduler.now
        switch (operation.action, task) {
        case (nil, .spawning?), (.rebuild?, .rebuildSpawning?):
            if operation.action == nil {
                plantServers[index, default: ServerPlant()].buildTimes.networking = now - plantServers[index, default: ServerPlant()].workStartedAt
            }
            startFetch(index, now: now, scheduler: &scheduler)
            return true
        case (.resize?, .resizeMigrating?), (.migrate?, .resizeMigrating?):
            guard let source = servers[Int(index)].server.host, let destination = operation.targetHost,
                let from = plant?.hosts[source], let to = plant?.hosts[pool.hosts[Int(destination)].host.name]
            else { return false }
            let flavor = servers[Int(index)].server.flavor
            let bytes = Double(flavor.diskGiB + flavor.ephemeralGiB) * Self.gibibyte
            startTransfer(index, .copying, bytes: bytes, links: [from.network, to.network], now: now, scheduler: &scheduler)
            return true
        default:
            return false
        }
    }

    /// Spawning: the image from the host's cache or the store, then the disk, then boot.
    mutating func startFetch(_ index: Int32, now: SimTime, scheduler: inout Scheduler<CloudEvent>) {
        guard let host = servers[Int(index)].server.host, plant?.hosts[host] != nil else { return }
        let image = servers[Int(index)].server.image.id
        if plant?.hosts[host]?.cache.touch(image) == true {
            plant?.statistics.cacheHits += 1
            if servers[Int(index)].operation?.action == nil { plantServers[index, default: ServerPlant()].buildTimes.cacheHit = true }
            startWrite(index, now: now, scheduler: &scheduler)
        } else {
            plant?.statistics.cacheMisses += 1
            guard let store = plant?.store, let link = plant?.hosts[host]?.network else { return }
            startTransfer(index, .fetching, bytes: imageBytes(image), links: [link, store], now: now, scheduler: &scheduler)
        }
    }

    mutating func startWrite(_ index: Int32, now: SimTime, scheduler: inout Scheduler<CloudEvent>) {
        guard let host = servers[Int(index)].server.host, let disk = plant?.hosts[host]?.disk else { return }
        let flavor = servers[Int(index)].server.flavor
        startTransfer(index, .writing, bytes: Double(flavor.diskGiB + flavor.ephemeralGiB) * Self.gibibyte, links: [disk], now: now, scheduler: &scheduler)
    }

    mutating func startTransfer(
        _ index: Int32, _ stage: PlantWork.Stage, bytes: Double, links: [Int32], now: SimTime, scheduler: inout Scheduler<CloudEvent>
    ) {
        guard usesBuildModel else { return }
        let id = plant!.network.start(owner: index, bytes: bytes, links: links, now: now)
        plantServers[index, default: ServerPlant()].work = PlantWork(stage: stage, transfer: id, stageStartedAt: now)
        rescheduleTransfers(scheduler: &scheduler)
    }

    /// Keeps one pending event at the earliest transfer finish.
    mutating func rescheduleTransfers(scheduler: inout Scheduler<CloudEvent>) {
        guard usesBuildModel else { return }
        if let handle = plant!.transferEvent { scheduler.cancel(handle) }
        plant!.transferEvent = plant!.network.nextFinish().map { scheduler.schedule(.transfersDone, at: max($0.time, scheduler.now)) }
    }

    /// Transfers finished: each server moves to its next stage, in the order transfers started.
    mutating func transfersDone(scheduler: inout Scheduler<CloudEvent>) {
        guard usesBuildModel else { return }
        plant!.transferEvent = nil
        let now = scheduler.now
        guard let due = plant!.network.nextFinish(), due.time <= now else {
            rescheduleTransfers(scheduler: &scheduler)
            return
        }
        for (_, index) in plant!.network.finish(due.ids, now: now) {
            guard let work = plantServers[index, default: ServerPlant()].work else { continue }
            let elapsed = now - work.stageStartedAt
            switch work.stage {
            case .fetching:
                if let host = servers[Int(index)].server.host {
                    let image = servers[Int(index)].server.image.id
                    let bytes = imageBytes(image)
                    plant!.hosts[host]?.cache.insert(image, bytes: bytes)
                }
                if servers[Int(index)].operation?.action == nil { plantServers[index, default: ServerPlant()].buildTimes.fetch = elapsed }
                startWrite(index, now: now, scheduler: &scheduler)
            case .writing:
                let isBuild = servers[Int(index)].operation?.action == nil  // build times describe the first build only
                if isBuild { plantServers[index, default: ServerPlant()].buildTimes.disk = elapsed }
                let image = servers[Int(index)].server.image.id
                let boot = (plant!.model.bootByImage[image] ?? plant!.model.boot).sampleDuration(using: &timing)
                plantServers[index, default: ServerPlant()].work = PlantWork(stage: .booting, transfer: nil, stageStartedAt: now, bootDuration: boot)
                if isBuild { plantServers[index, default: ServerPlant()].buildTimes.boot = boot }
                servers[Int(index)].pending = scheduler.schedule(.phaseDone(server: index), after: boot)
            case .copying:
                plantServers[index, default: ServerPlant()].work = nil
                servers[Int(index)].pending = scheduler.schedule(.phaseDone(server: index), after: .zero)
            case .queued, .booting:
                break
            }
        }
        rescheduleTransfers(scheduler: &scheduler)
    }

    /// After a build's scheduling phase placed it: takes one of the host's build slots, or
    /// queues the server (it stays BUILD, task scheduling). Returns whether it may go on.
    mutating func acquireBuildSlot(_ index: Int32, now: SimTime) -> Bool {
        guard let host = servers[Int(index)].server.host, let hostPlant = plant?.hosts[host] else { return true }
        plantServers[index, default: ServerPlant()].buildTimes.scheduling = now - (servers[Int(index)].operation?.startedAt ?? now)
        plantServers[index, default: ServerPlant()].workStartedAt = now
        if hostPlant.active < plant!.model.maxConcurrentBuilds {
            plant!.hosts[host]!.active += 1
            plantServers[index, default: ServerPlant()].slotHost = host
            return true
        }
        plant!.hosts[host]!.queue.append(index)
        plant!.statistics.peakQueueLength = max(plant!.statistics.peakQueueLength, plant!.hosts[host]!.queue.count)
        plantServers[index, default: ServerPlant()].work = PlantWork(stage: .queued, transfer: nil, host: host, stageStartedAt: now)
        return false
    }

    /// Stops whatever physical work the server is doing (its operation ended, failed or was
    /// replaced): cancels its transfer, leaves its queue, frees its build slot for the next
    /// queued build.
    mutating func endPhysicalWork(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard usesBuildModel else { return }
        if let transfer = plantServers[index, default: ServerPlant()].work?.transfer {
            plant!.network.cancel(transfer, now: scheduler.now)
            rescheduleTransfers(scheduler: &scheduler)
        }
        if let work = plantServers[index, default: ServerPlant()].work, work.stage == .queued, let host = work.host {
            plant!.hosts[host]?.queue.removeAll { $0 == index }
        }
        plantServers[index, default: ServerPlant()].work = nil
        guard let host = plantServers[index, default: ServerPlant()].slotHost else { return }
        plantServers[index, default: ServerPlant()].slotHost = nil
        plant!.hosts[host]!.active -= 1
        while plant!.hosts[host]!.active < plant!.model.maxConcurrentBuilds, !plant!.hosts[host]!.queue.isEmpty {
            let next = plant!.hosts[host]!.queue.removeFirst()
            plant!.hosts[host]!.active += 1
            plantServers[next, default: ServerPlant()].slotHost = host
            resumeQueuedBuild(next, scheduler: &scheduler)
        }
    }

    /// A rescheduled build moves to an alternate host: its slot moves with it, even past the
    /// alternate's limit (the retry is already under way).
    mutating func moveBuildSlot(_ index: Int32, to host: HostName, scheduler: inout Scheduler<CloudEvent>) {
        guard usesBuildModel else { return }
        endPhysicalWork(index, scheduler: &scheduler)
        plant!.hosts[host]?.active += 1
        plantServers[index, default: ServerPlant()].slotHost = host
    }

    /// Ends the work of servers that failed or were deleted where no scheduler was at hand.
    mutating func drainEndedWork(scheduler: inout Scheduler<CloudEvent>) {
        while !workToEnd.isEmpty {
            let index = workToEnd.removeFirst()
            endPhysicalWork(index, scheduler: &scheduler)
        }
    }

    /// A queued build got its slot: on to networking.
    mutating func resumeQueuedBuild(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard var operation = servers[Int(index)].operation else { return }
        let now = scheduler.now
        if let work = plantServers[index, default: ServerPlant()].work {
            plantServers[index, default: ServerPlant()].buildTimes.queued = now - work.stageStartedAt
        }
        plantServers[index, default: ServerPlant()].work = nil
        plantServers[index, default: ServerPlant()].workStartedAt = now
        operation.phase += 1
        servers[Int(index)].operation = operation
        servers[Int(index)].server.taskState = operation.task(at: operation.phase)
        schedulePhase(index, scheduler: &scheduler)
        noteStatus(index, now: now)
    }

    /// Build progress under the physical model: 5 when placed, to 50 as the image arrives, to
    /// 80 as the disk is written, to 99 through boot (100 only at ACTIVE).
    func physicalProgress(_ index: Int32, now: SimTime) -> Int? {
        guard let plant, let operation = servers[Int(index)].operation, operation.action == nil || operation.action == .rebuild else { return nil }
        guard let work = plantServers[index, default: ServerPlant()].work else { return operation.phase == 0 ? 0 : 5 }
        let fraction: (Int32?) -> Double = { $0.map { plant.network.fractionDone($0, at: now) } ?? 1 }
        let value: Double
        switch work.stage {
        case .queued: value = 0
        case .fetching: value = 5 + 45 * fraction(work.transfer)
        case .writing: value = 50 + 30 * fraction(work.transfer)
        case .copying: value = 50 * fraction(work.transfer)
        case .booting:
            let total = max(1, work.bootDuration.nanoseconds)
            value = 80 + 19 * Double(min(total, (now - work.stageStartedAt).nanoseconds)) / Double(total)
        }
        return min(99, Int(value))
    }
}
