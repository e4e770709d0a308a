/// One row of a run's time series.
public struct RunSample: Hashable, Sendable {
    public var time: SimTime
    /// Servers (not deleted) by status.
    public var statusCounts: [ServerStatus: Int] = [:]
    public var hosts = 0
    public var hostsUp = 0
    public var vcpus = 0
    public var vcpusUsed = 0
    public var memoryMiB = 0
    public var memoryMiBUsed = 0
    public var diskGiB = 0
    public var diskGiBUsed = 0

    /// Physical build model only: builds waiting for a slot, and link loads (0...1).
    public var buildQueue: Int?
    public var imageStoreUtilisation: Double?
    public var hostNetworkUtilisation: Double?

    /// With a scenario's ``HeadroomCheck``: whether the cloud could have lost its 1, 2, …
    /// busiest hosts (N+1 at index 0) and placed every server again, at this sample.
    public var headroom: [Bool] = []
    /// With a zone check: whether it could have lost its busiest availability zone.
    public var zoneHeadroom: Bool? = nil

    public init(time: SimTime) { self.time = time }

    public var servers: Int { statusCounts.values.reduce(0, +) }
}
