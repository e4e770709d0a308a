// The per-host heat map: which row each host adds to, and one column per recorded sample.
extension RunState {
    /// Chooses the heat map's rows (hosts, else the scenario's host groups, else zones) and
    /// how often to record a column for a run of `samples` samples.
    /// - Complexity: O(H) for H hosts.
    mutating func setUpHeatMap(samples: Int64) {
        let pool = cloud.hostPool
        let names = pool.hostNames
        heatStride = Int(max(1, (samples + Int64(HostHeatMap.maximumColumns) - 1) / Int64(HostHeatMap.maximumColumns)))
        // Host names to rows only while setting up; the columns then go by the pool's record
        // order, which never changes (a removed host keeps its record).
        var rowOf: [HostName: Int32] = [:]
        var map: HostHeatMap
        if names.count <= HostHeatMap.maximumHostRows {
            map = HostHeatMap(rows: names.map(\.rawValue), grouped: false)
            for (index, name) in names.enumerated() { rowOf[name] = Int32(index) }
        } else if scenario.hostGroupSizes.reduce(0, +) == scenario.configuration.hosts.count, !scenario.hostGroupSizes.isEmpty {
            // The section's groups, in order: `first … last` host of each.
            var rows: [String] = []
            var offset = 0
            for size in scenario.hostGroupSizes {
                let group = scenario.configuration.hosts[offset..<(offset + size)]
                let first = group.first?.name.rawValue ?? "", last = group.last?.name.rawValue ?? ""
                rows.append(size == 1 ? first : "\(first) … \(last)")
                for host in group { rowOf[host.name] = Int32(rows.count - 1) }
                offset += size
            }
            map = HostHeatMap(rows: rows, grouped: true)
        } else {
            var zones: [String] = []
            var zoneRow: [String: Int32] = [:]
            for name in names {
                guard let zone = pool.host(name)?.availabilityZone.rawValue else { continue }
                if zoneRow[zone] == nil {
                    zoneRow[zone] = Int32(zones.count)
                    zones.append(zone)
                }
                rowOf[name] = zoneRow[zone]
            }
            map = HostHeatMap(rows: zones, grouped: true)
        }
        heatRowOfRecord = pool.hosts.map { rowOf[$0.host.name] ?? -1 }
        heatMap = map
    }

    /// Adds the current column when this is a recorded sample (every ``heatStride``-th).
    /// - Complexity: O(H).
    mutating func recordHeatColumn() {
        guard var map = heatMap, (samples.count - 1) % heatStride == 0 else { return }
        let pool = cloud.hostPool
        let rowCount = map.rows.count
        var used = [Resources](repeating: .zero, count: rowCount)
        var capacity = [Resources](repeating: .zero, count: rowCount)
        var up = [Bool](repeating: false, count: rowCount)
        for (index, record) in pool.hosts.enumerated() where !record.isRemoved && index < heatRowOfRecord.count && heatRowOfRecord[index] >= 0 {
            let row = Int(heatRowOfRecord[index])
            used[row] = used[row] + record.used
            capacity[row] = capacity[row] + record.capacity
            if record.isUp { up[row] = true }
        }
        func share(_ used: Int, _ capacity: Int) -> Double { capacity > 0 ? Double(used) / Double(capacity) : 0 }
        for row in 0..<rowCount {
            guard up[row] else {
                map.cells.append(HostHeatMap.down)
                continue
            }
            let fullest = max(
                share(used[row].vcpus, capacity[row].vcpus), share(used[row].memoryMiB, capacity[row].memoryMiB),
                share(used[row].diskGiB, capacity[row].diskGiB))
            map.cells.append(UInt8(min(100, max(0, (fullest * 100).rounded()))))
        }
        map.times.append(cloud.now.sinceStart)
        heatMap = map
    }
}
