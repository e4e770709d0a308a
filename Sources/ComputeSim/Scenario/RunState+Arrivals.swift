// Arrivals: when each workload creates servers, and the creates themselves.
extension RunState {
    mutating func arrive(_ index: Int, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        let stop = workload.stop.map { SimTime.zero + $0 }
        if let stop, scheduler.now >= stop { return }
        switch workload.arrival {
        case .burst(let offsets, let count):
            // Every burst due now, then wait for the next (the cursor is shared with traces).
            while traceCursor[index] < offsets.count, let due = try? (SimTime.zero + workload.start).advanced(by: offsets[traceCursor[index]]),
                due <= scheduler.now
            {
                for _ in 0..<count where !isExhausted(index) { create(index, scheduler: &scheduler) }
                traceCursor[index] += 1
            }
            if traceCursor[index] < offsets.count, !isExhausted(index),
                let next = try? (SimTime.zero + workload.start).advanced(by: offsets[traceCursor[index]])
            {
                scheduler.schedule(.arrival(workload: index), at: next)
            }
            return
        case .constant(let interval):
            create(index, scheduler: &scheduler)
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: interval, scheduler: &scheduler) }
        case .diurnal(let perHour):
            // Thinning: candidates at the peak rate, each kept with probability rate(now)/peak.
            let peak = perHour.max() ?? 0
            if stats[index].createRequests > 0 || scheduler.now > .zero + workload.start {
                let unixSeconds = cloud.wallClock.unixNanoseconds(at: scheduler.now) / 1_000_000_000
                let hour = Int(((unixSeconds % 86_400) + 86_400) % 86_400 / 3_600)
                if arrivalRandom[index].nextUnitDouble() * peak < perHour[hour] { create(index, scheduler: &scheduler) }
            }
            let gap = Distribution.exponential(mean: 3_600 / peak).sampleDuration(using: &arrivalRandom[index])
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler) }
        case .trace(let rows):
            // Every row due now, then wait for the next row.
            while traceCursor[index] < rows.count, let due = try? (SimTime.zero + workload.start).advanced(by: rows[traceCursor[index]].at),
                due <= scheduler.now,
                !isExhausted(index)
            {
                create(index, row: rows[traceCursor[index]], scheduler: &scheduler)
                traceCursor[index] += 1
            }
            if traceCursor[index] < rows.count, !isExhausted(index),
                let next = try? (SimTime.zero + workload.start).advanced(by: rows[traceCursor[index]].at)
            {
                scheduler.schedule(.arrival(workload: index), at: next)
            }
        case .growing(let perHour, let growth, let every):
            if stats[index].createRequests > 0 || scheduler.now > .zero + workload.start { create(index, scheduler: &scheduler) }
            let elapsed = (scheduler.now.sinceStart - workload.start).secondsValue
            let unit = arrivalRandom[index].nextUnitDouble()
            let gap = ArrivalProcess.growingGap(after: elapsed, draw: unit, perHour: perHour, growthPercent: growth, every: every)
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: gap, scheduler: &scheduler) }
        case .poisson(let mean):
            // The first arrival is a gap after the start, like every other.
            if stats[index].createRequests > 0 || scheduler.now > .zero + workload.start { create(index, scheduler: &scheduler) }
            let gap = Distribution.exponential(mean: mean.secondsValue).sampleDuration(using: &arrivalRandom[index])
            if !isExhausted(index) { Self.schedule(.arrival(workload: index), after: max(gap, SimDuration(nanoseconds: 1)), scheduler: &scheduler) }
        }
    }

    func isExhausted(_ index: Int) -> Bool {
        scenario.workloads[index].maxServers.map { stats[index].createRequests >= $0 } ?? false
    }

    mutating func create(_ index: Int, row: TraceArrival? = nil, scheduler: inout Scheduler<RunEvent>) {
        let workload = scenario.workloads[index]
        let number = stats[index].createRequests
        stats[index].createRequests += 1
        let flavor = row?.flavor ?? Self.pick(workload.flavors, using: &serverRandom[index])
        let caller: Caller
        let spread: (count: Int, position: Int) = workload.projects.map { ($0.count, (number / $0.block) % $0.count) } ?? (1, 0)
        if let project = row?.project {
            caller = Caller(project: project, user: workload.name)
        } else if spread.count <= Self.cachedCallers {
            if callers[index].isEmpty {
                callers[index] = (0..<spread.count).map {
                    Caller(project: workload.project(ofServer: $0 * (workload.projects?.block ?? 1)), user: workload.name)
                }
            }
            caller = callers[index][spread.position]
        } else {
            caller = Caller(project: workload.project(ofServer: number), user: workload.name)
        }
        guard let image = row?.image ?? workload.image ?? cloud.images.first?.id else {
            stats[index].refuse(CloudError(.badRequest, "the catalog has no image")); return
        }
        var request = CreateServerRequest(name: Self.numbered(workload.name, number + 1), image: image, flavor: flavor)
        if let declared = workload.declaredGroup { request.group = declared }
        request.availabilityZone = workload.availabilityZone
        request.shutdownTerminate = workload.shutdownTerminate
        if !workload.networks.isEmpty { request.network = .networks(workload.networks.map { NICRequest(network: $0) }) }
        if let group = workload.group {
            let block = number / group.size
            let id: ServerGroupID
            if let current = currentGroup[index], current.block == block {
                id = current.id
            } else {
                id = ServerGroupID(rawValue: Self.numbered(workload.name + "-group", block + 1))
                currentGroup[index] = (block, id)
            }
            if number % group.size == 0 {
                do { try cloud.createServerGroup(id, name: id.rawValue, policy: group.policy, as: caller) } catch { stats[index].groupFailures += 1 }
            }
            request.group = id
        }
        let made: CreatedServers
        do { made = try cloud.createServers(request, as: caller) } catch {
            stats[index].refuse(error)
            return
        }
        for handle in cloud.handles(of: made) {
            let record = handle.index
            let server = RunServer(index: record, id: handle.id)
            if cloud.logsArchived {
                // The record number may be an archived server's: nothing of that server applies.
                createdPosition[record] = (index, created[index].count)
                expired.remove(record)
                awaitingActive[record] = nil
            }
            created[index].append(server)
            owners[record] = caller
            if let row {
                if let lifetime = row.lifetime { Self.schedule(.expire(workload: index, server: server), after: lifetime, scheduler: &scheduler) }
            } else if let lifetime = workload.lifetime {
                Self.schedule(.expire(workload: index, server: server), after: lifetime.sampleDuration(using: &serverRandom[index]), scheduler: &scheduler)
            }
            scheduleAction(index, server, scheduler: &scheduler)
            if !workload.script.isEmpty { awaitingActive[record] = (index, 0) }
        }
    }

    /// Workloads spread over at most this many projects keep a caller per project.
    static let cachedCallers = 4_096

    /// `prefix`, a hyphen and `number` in decimal: what `"\(prefix)-\(number)"` gives, without
    /// the interpolation machinery (a thousand instructions, once per create).
    static func numbered(_ prefix: String, _ number: Int) -> String {
        var name = prefix
        name.append("-")
        name.append(String(number))
        return name
    }

    /// Picks by weight; all-zero weights pick the first.
    /// - Precondition: `choices` is not empty (the scenario reader guarantees a flavor, and an
    ///   action is picked only when the rates add up to more than zero).
    static func pick<Value>(_ choices: [Weighted<Value>], using random: inout DeterministicRandom) -> Value {
        let total = choices.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return choices[0].value }
        var target = random.nextUnitDouble() * total
        for choice in choices {
            if target < choice.weight { return choice.value }
            target -= choice.weight
        }
        return choices[choices.count - 1].value
    }

}
