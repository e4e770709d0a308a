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
}

/// One heat-map column being summed: per row the hosts' used and allocatable resources and
/// whether any of them is up.
struct HeatColumn {
    var used: [Resources]
    var capacity: [Resources]
    var up: [Bool]

    init(rows: Int) {
        used = Array(repeating: .zero, count: rows)
        capacity = Array(repeating: .zero, count: rows)
        up = Array(repeating: false, count: rows)
    }

    mutating func add(_ record: HostPool.HostRecord, to row: Int) {
        used[row] = used[row] + record.used
        capacity[row] = capacity[row] + record.capacity
        if record.isUp { up[row] = true }
    }

    /// Per row: the fullest resource's share in whole percent, or ``HostHeatMap/down``.
    var cells: [UInt8] {
        func share(_ used: Int, _ capacity: Int) -> Double { capacity > 0 ? Double(used) / Double(capacity) : 0 }
        return used.indices.map { row in
            guard up[row] else { return HostHeatMap.down }
            let fullest = max(
                share(used[row].vcpus, capacity[row].vcpus), share(used[row].memoryMiB, capacity[row].memoryMiB),
                share(used[row].diskGiB, capacity[row].diskGiB))
            return UInt8(min(100, max(0, (fullest * 100).rounded())))
        }
    }
}
