/// The physical build model's state in a cloud: the links, each host's cache, build slots and
/// queue, and the counters. ``CloudWorld`` drives it (see `CloudWorld+BuildModel.swift`).
struct BuildPlant: Hashable, Sendable {
    struct HostPlant: Hashable, Sendable {
        var network: Int32
        var disk: Int32
        var cache: ImageCache
        /// Builds holding one of the host's slots.
        var active = 0
        /// Servers waiting for a slot, first come first served.
        var queue: [Int32] = []
    }

    var model: BuildModel
    var network = TransferNetwork()
    var store: Int32
    var hosts: [HostName: HostPlant] = [:]
    /// The pending "a transfer finishes" event.
    var transferEvent: EventHandle?
    var statistics = BuildStatistics()

    init(model: BuildModel, hosts: [Host], imageBytes: (ImageID) -> Double) {
        self.model = model
        store = network.addLink(bytesPerSecond: model.imageStoreBytesPerSecond)
        for host in hosts {
            var cache = ImageCache(capacityBytes: model.imageCacheBytes)
            if model.prewarmedHosts?.contains(host.name) ?? true {
                for image in model.prewarmedImages { cache.insert(image, bytes: imageBytes(image)) }
            }
            let link = network.addLink(bytesPerSecond: model.hostNetworkBytesPerSecond)
            let disk = network.addLink(bytesPerSecond: model.diskBytesPerSecond)
            self.hosts[host.name] = HostPlant(network: link, disk: disk, cache: cache)
        }
    }

    /// The statistics with current utilisation filled in.
    func currentStatistics() -> BuildStatistics {
        var statistics = self.statistics
        let loads = network.loads()
        statistics.imageStoreUtilisation = loads[Int(store)] / model.imageStoreBytesPerSecond
        let links = hosts.keys.sorted().compactMap { hosts[$0]?.network }  // sorted: sums must not depend on hashing
        statistics.hostNetworkUtilisation =
            links.isEmpty ? 0 : links.reduce(0) { $0 + loads[Int($1)] } / (Double(links.count) * model.hostNetworkBytesPerSecond)
        statistics.imageStoreBytes = network.bytesMoved[Int(store)]
        statistics.hostNetworkBytes = links.reduce(0) { $0 + network.bytesMoved[Int($1)] }
        statistics.queuedNow = hosts.values.reduce(0) { $0 + $1.queue.count }  // integers: order-free
        return statistics
    }
}

/// One server's progress through the physical model's work.
struct PlantWork: Hashable, Sendable {
    enum Stage: Hashable, Sendable { case queued, fetching, writing, copying, booting }
    var stage: Stage
    var transfer: Int32?
    /// The host whose queue a queued build waits in.
    var host: HostName? = nil
    var stageStartedAt: SimTime
    var bootDuration = SimDuration.zero
}

/// The physical model's record of one server, kept beside the server (in
/// `CloudWorld.plantServers`) so clouds without the model pay nothing per server.
struct ServerPlant: Hashable, Sendable {
    /// The work in progress.
    var work: PlantWork?
    /// The host whose build slot the server holds.
    var slotHost: HostName?
    /// When the current stretch of work (networking, queue) started.
    var workStartedAt = SimTime.zero
    /// Where the first build's time went.
    var buildTimes = BuildTimes()
}
