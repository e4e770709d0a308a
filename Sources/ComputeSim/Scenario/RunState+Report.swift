// Samples and the report at the end of a run.
extension RunState {
    /// Records the time series' row for now (and the heat map's column when this sample is
    /// one it keeps), reading each host's record once.
    /// - Complexity: O(H) for H hosts, plus the headroom checks the scenario asks for.
    mutating func takeSample() {
        var row = RunSample(time: cloud.now)
        row.statusCounts = cloud.statusCounts()
        if let statistics = cloud.buildStatistics {
            row.buildQueue = statistics.queuedNow
            row.imageStoreUtilisation = statistics.imageStoreUtilisation
            row.hostNetworkUtilisation = statistics.hostNetworkUtilisation
        }
        let pool = cloud.hostPool
        var heat = heatMap != nil && samples.count % heatStride == 0 ? HeatColumn(rows: heatMap?.rows.count ?? 0) : nil
        for (index, record) in pool.hosts.enumerated() where !record.isRemoved {
            row.hosts += 1
            if record.isUp { row.hostsUp += 1 }
            row.vcpus += record.capacity.vcpus
            row.vcpusUsed += record.used.vcpus
            row.memoryMiB += record.capacity.memoryMiB
            row.memoryMiBUsed += record.used.memoryMiB
            row.diskGiB += record.capacity.diskGiB
            row.diskGiBUsed += record.used.diskGiB
            if heat != nil, index < heatRowOfRecord.count, heatRowOfRecord[index] >= 0 { heat?.add(record, to: Int(heatRowOfRecord[index])) }
        }
        if let check = scenario.headroom {
            row.headroom = pool.survivesLoss(ofBusiestHostsUpTo: check.hosts)
            if check.zone { row.zoneHeadroom = pool.survivesLossOfBusiestZone() }
        }
        samples.append(row)
        if let heat, var map = heatMap {
            map.cells += heat.cells
            map.times.append(cloud.now.sinceStart)
            heatMap = map
        }
    }

    mutating func report(duration: SimDuration, runDigest: String) -> RunReport {
        for index in stats.indices {
            for server in created[index] where !expired.contains(server.index) { noteError(index, server) }
        }
        var stats = self.stats
        var timeInStatus = archivedTimeInStatus
        var spread: [SpreadQuality] = []
        for index in stats.indices {
            for server in created[index] {
                Self.tally(cloud.statusHistory(at: server.index, id: server.id), now: cloud.now, stats: &stats[index], timeInStatus: &timeInStatus)
            }
            let workload = scenario.workloads[index]
            let projects = workload.projects.map { layout in (0..<layout.count).map { workload.project(ofServer: $0 * layout.block) } } ?? [workload.project]
            var hosts = Set<HostName>()
            for project in projects {
                let holding = cloud.hostPool.hostsHolding(project)
                hosts.formUnion(holding.map(\.host))
                // Spread quality per project; a workload spread over more than 20 projects is summarised by its hosts only.
                if projects.count <= 20, !spread.contains(where: { $0.project == project }) {
                    spread.append(
                        SpreadQuality(
                            project: project, servers: holding.reduce(0) { $0 + $1.servers }, hosts: holding.count,
                            sharing: holding.reduce(0) { $0 + ($1.servers > 1 ? $1.servers : 0) }, mostOnOneHost: holding.map(\.servers).max() ?? 0))
                }
            }
            stats[index].hostsHolding = hosts.count
        }
        let statusTimes = ServerStatus.allCases.filter { !timeInStatus[$0.ordinal].isEmpty }.sorted { $0.rawValue < $1.rawValue }.map {
            StatusTime(status: $0, nanoseconds: timeInStatus[$0.ordinal])
        }
        var report = RunReport(
            scenario: scenario.name, seed: seed, duration: duration, epoch: cloud.wallClock, workloads: stats, samples: samples,
            cloudDigest: cloud.traceDigest, runDigest: runDigest, invariantViolations: cloud.checkInvariants(),
            statusTimes: statusTimes, spread: spread, cloudEvents: cloud.processedEventCount,
            faults: scenario.faultPlan.filter { $0.at <= duration }.map { "\($0.at) \($0.fault.summary)" } + randomFaults + evacuationNotes)
        report.placementFailures = cloud.placementFailures
        report.headroom = scenario.headroom
        report.exhaustion = scenario.exhaustion
        report.heatMap = heatMap
        if let statistics = cloud.buildStatistics {
            let workloads = scenario.workloads.indices.map { index in
                let times =
                    archivedBuildTimes[index]
                    + created[index].filter { cloud.statusHistory(at: $0.index, id: $0.id).contains { $0.status == .active } }.compactMap {
                        cloud.buildTimes(of: $0.id)
                    }
                return (name: scenario.workloads[index].name, cacheHits: times.filter(\.cacheHit).count, phases: BuildReport.summarise(times))
            }
            report.builds = BuildReport(workloads: workloads, statistics: statistics)
        }
        return report
    }
}
