// The per-host heat map: which row each host adds to, and one column per recorded sample.
extension RunState {
    /// Chooses the heat map's rows (hosts, else the scenario's host groups, else zones) and
    /// how often to record a column for a run of `samples` samples.
    /// - Complexity: O(H) for H hosts.
    mutating func setUpHeatMap(samples: Int64) {
        let records = cloud.hostPool.hosts
        heatStride = Int(max(1, (samples + Int64(HostHeatMap.maximumColumns) - 1) / Int64(HostHeatMap.maximumColumns)))
        // Rows by the pool's record order, which never changes (a removed host keeps its
        // record); no per-host dictionary, so a million hosts cost 4 bytes each here.
        let live = records.filter { !$0.isRemoved }
        let configured = scenario.configuration.hosts
        var rowOfRecord = [Int32](repeating: -1, count: records.count)
        var map: HostHeatMap
        if live.count <= HostHeatMap.maximumHostRows {
            map = HostHeatMap(rows: live.map(\.host.name.rawValue), grouped: false)
            var row: Int32 = 0
            for index in records.indices where !records[index].isRemoved {
                rowOfRecord[index] = row
                row += 1
            }
        } else if scenario.hostGroupSizes.reduce(0, +) == configured.count, !scenario.hostGroupSizes.isEmpty,
            records.count == configured.count, zip(records, configured).allSatisfy({ $0.host.name == $1.name })
        {
            // The section's groups, in order (the pool holds the configured hosts in that
            // order): `first … last` host of each.
            var rows: [String] = []
            var offset = 0
            for size in scenario.hostGroupSizes {
                let first = configured[offset].name.rawValue, last = configured[offset + size - 1].name.rawValue
                rows.append(size == 1 ? first : "\(first) … \(last)")
                for index in offset..<(offset + size) where !records[index].isRemoved { rowOfRecord[index] = Int32(rows.count - 1) }
                offset += size
            }
            map = HostHeatMap(rows: rows, grouped: true)
        } else {
            var zones: [String] = []
            var zoneRow: [String: Int32] = [:]
            for index in records.indices where !records[index].isRemoved {
                let zone = records[index].host.availabilityZone.rawValue
                if zoneRow[zone] == nil {
                    zoneRow[zone] = Int32(zones.count)
                    zones.append(zone)
                }
                rowOfRecord[index] = zoneRow[zone] ?? -1
            }
            map = HostHeatMap(rows: zones, grouped: true)
        }
        heatRowOfRecord = rowOfRecord
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
