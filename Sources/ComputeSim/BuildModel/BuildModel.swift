/// The physical build-time model: builds take as long as their work, not a drawn duration.
///
/// A build is scheduled (``schedulingDelay``), waits for one of the host's
/// ``maxConcurrentBuilds`` build slots (still BUILD), sets up its port (``portSetupDelay``),
/// then spawns: it fetches the image unless the host's cache holds it (image size over the
/// bandwidth it gets: the host's link and the image store's egress are shared max-min fairly
/// among the downloads crossing them), writes its disk (root + ephemeral over the host's disk
/// throughput, shared among the host's writes) and boots (``boot`` or ``bootByImage``).
/// Rebuild fetches and writes the same way; resize and cold migration copy the disk between
/// the two hosts over their links. `progress` follows the work done.
///
/// Defaults are a modern cloud's: 10 Gbit/s host links, a 40 Gbit/s image store, 2 GB/s disks,
/// a 20 GiB image cache per host, Nova's 10 concurrent builds per host.
public struct BuildModel: Hashable, Sendable {
    /// Each host's network link, bytes per second (default 10 Gbit/s).
    public var hostNetworkBytesPerSecond: Double = 1.25e9
    /// The image store's egress, bytes per second (default 40 Gbit/s).
    public var imageStoreBytesPerSecond: Double = 5e9
    /// Each host's disk write throughput, bytes per second (default 2 GB/s).
    public var diskBytesPerSecond: Double = 2e9
    /// Each host's image cache (default 20 GiB); least recently used images are evicted.
    public var imageCacheBytes: Double = 20 * 1_073_741_824
    /// Images already in every host's cache at the start, oldest first.
    public var prewarmedImages: [ImageID] = []
    /// Hosts whose caches start warm with `prewarmedImages` (nil: every host).
    public var prewarmedHosts: Set<HostName>? = nil
    /// Nova's `max_concurrent_builds` (10): builds running at once per host; the rest queue.
    public var maxConcurrentBuilds = 10
    /// From the request to the host's choice.
    public var schedulingDelay: Distribution = .constant(1)
    /// Port set-up on the network.
    public var portSetupDelay: Distribution = .uniform(min: 1, max: 3)
    /// From the disk being ready to ACTIVE, for images without an entry in `bootByImage`.
    public var boot: Distribution = .uniform(min: 10, max: 30)
    public var bootByImage: [ImageID: Distribution] = [:]

    public init() {}

    /// Checks every field; returns the model unchanged.
    public func validated() throws(ModelError) -> BuildModel {
        for (name, value) in [
            ("hostNetworkBytesPerSecond", hostNetworkBytesPerSecond), ("imageStoreBytesPerSecond", imageStoreBytesPerSecond),
            ("diskBytesPerSecond", diskBytesPerSecond),
        ] where !(value.isFinite && value > 0) {
            throw ModelError(.invalidValue, "build model: \(name) must be a positive number, got \(value)")
        }
        guard imageCacheBytes.isFinite, imageCacheBytes >= 0 else {
            throw ModelError(.invalidValue, "build model: imageCacheBytes must be zero or positive, got \(imageCacheBytes)")
        }
        guard maxConcurrentBuilds >= 1 else {
            throw ModelError(.invalidValue, "build model: maxConcurrentBuilds must be at least 1, got \(maxConcurrentBuilds)")
        }
        let named =
            [("schedulingDelay", schedulingDelay), ("portSetupDelay", portSetupDelay), ("boot", boot)]
            + bootByImage.keys.sorted().compactMap { image in bootByImage[image].map { ("bootByImage[\(image)]", $0) } }
        for (name, distribution) in named {
            do { _ = try distribution.validated() } catch { throw ModelError(.invalidValue, "build model: \(name): \(error.message)", underlying: error) }
        }
        return self
    }
}

/// Where a build's time went (physical build model), for reports.
public struct BuildTimes: Hashable, Sendable {
    public var scheduling = SimDuration.zero
    /// Waiting for one of the host's build slots.
    public var queued = SimDuration.zero
    public var networking = SimDuration.zero
    /// Zero on a cache hit.
    public var fetch = SimDuration.zero
    public var disk = SimDuration.zero
    public var boot = SimDuration.zero
    public var cacheHit = false

    public var total: SimDuration { scheduling + queued + networking + fetch + disk + boot }
}

/// Counters of the physical build model.
public struct BuildStatistics: Hashable, Sendable {
    public var cacheHits = 0
    public var cacheMisses = 0
    /// The longest any host's build queue has been.
    public var peakQueueLength = 0
    /// Builds waiting for a slot now, over every host.
    public var queuedNow = 0
    /// Current load over capacity of the image store's egress and of all host links together, 0...1.
    public var imageStoreUtilisation = 0.0
    public var hostNetworkUtilisation = 0.0
    /// Bytes moved so far: downloads from the store, and over all host links.
    public var imageStoreBytes = 0.0
    public var hostNetworkBytes = 0.0

    public var cacheHitRatio: Double { cacheHits + cacheMisses == 0 ? 0 : Double(cacheHits) / Double(cacheHits + cacheMisses) }
}
