// The time series as CSV.
extension RunReport {
    /// One row per sample: `seconds,time,servers,BUILD,ACTIVE,SHUTOFF,ERROR,UNKNOWN,other,
    /// hosts_up,hosts,vcpus_used,vcpus,memory_mib_used,memory_mib,disk_gib_used,disk_gib`,
    /// newline-terminated.
    public var timeSeriesCSV: String {
        let physical = builds != nil
        var text =
            "seconds,time,servers," + Self.csvStatuses.map(\.rawValue).joined(separator: ",")
            + ",other,hosts_up,hosts,vcpus_used,vcpus,memory_mib_used,memory_mib,disk_gib_used,disk_gib"
            + (physical ? ",build_queue,image_store_util_percent,host_network_util_percent\n" : "\n")
        for sample in samples {
            let buildCells =
                physical
                ? [
                    String(sample.buildQueue ?? 0), Self.percent(sample.imageStoreUtilisation ?? 0, of: 1),
                    Self.percent(sample.hostNetworkUtilisation ?? 0, of: 1),
                ] : []
            let named = Self.csvStatuses.map { sample.statusCounts[$0] ?? 0 }
            let cells =
                [sample.time.sinceStart.nanoseconds / 1_000_000_000].map(String.init) + [epoch.iso8601(at: sample.time), String(sample.servers)]
                + named.map(String.init) + [String(sample.servers - named.reduce(0, +))]
                + [sample.hostsUp, sample.hosts, sample.vcpusUsed, sample.vcpus, sample.memoryMiBUsed, sample.memoryMiB, sample.diskGiBUsed, sample.diskGiB]
                .map(String.init)
                + buildCells
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }
}
