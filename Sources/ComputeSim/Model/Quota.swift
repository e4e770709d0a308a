/// Per-project limits, with Nova's defaults (`nova/conf/quota.py`). −1 means unlimited.
public struct Quota: Hashable, Sendable, Codable {
    public var instances = 10
    public var cores = 20
    public var ramMiB = 51_200
    public var metadataItems = 128
    public var injectedFiles = 5
    public var injectedFileContentBytes = 10_240
    public var injectedFilePathLength = 255
    public var keyPairs = 100
    public var serverGroups = 10
    public var serverGroupMembers = 10

    /// Nova's defaults.
    public init() {}

    /// No limits at all (capacity-planning runs that study the cloud, not the quotas).
    public static var unlimited: Quota {
        var quota = Quota()
        quota.instances = -1
        quota.cores = -1
        quota.ramMiB = -1
        quota.serverGroups = -1
        quota.serverGroupMembers = -1
        return quota
    }
}
