/// A host aggregate (Nova's `os-aggregates`): a named group of hosts with metadata.
///
/// Two kinds of metadata act on placement. `availability_zone` makes the aggregate's hosts an
/// availability zone (a host outside every such aggregate is in the default zone, `nova`), and
/// with ``PlacementPolicy/matchesAggregateExtraSpecs`` the other keys are what Nova's
/// AggregateInstanceExtraSpecsFilter matches flavor extra specs against, so a pool of hosts
/// (`ssd=true`, `gpu=a100`) takes only the flavors that ask for it.
///
/// A cloud starts with one aggregate per availability zone its configured hosts name other than
/// `nova` (named after the zone), then the configuration's ``Definition``s; ids count from 1 in
/// that order.
public struct Aggregate: Hashable, Sendable {
    /// Nova's integer id (what the API's paths use).
    public var id: Int
    /// The UUID Nova shows from microversion 2.41.
    public var uuid: String
    public var name: String
    /// The member hosts, in the order they were added.
    public var hosts: [HostName]
    public var metadata: [String: String]
    public var created: SimTime
    /// When the name or metadata last changed (nil: never).
    public var updated: SimTime?

    /// The zone the aggregate makes of its hosts (its `availability_zone` metadata), if any.
    public var availabilityZone: AvailabilityZone? { metadata[Self.zoneKey].map { AvailabilityZone($0) } }

    /// The metadata key that names an availability zone.
    public static let zoneKey = "availability_zone"

    /// An aggregate a cloud starts with (``CloudConfiguration/aggregates``).
    public struct Definition: Hashable, Sendable {
        public var name: String
        public var hosts: [HostName]
        /// Metadata, e.g. `["ssd": "true"]`. Zones come from the hosts' own zone, so
        /// `availability_zone` is not allowed here.
        public var metadata: [String: String]

        public init(name: String, hosts: [HostName], metadata: [String: String] = [:]) {
            self.name = name
            self.hosts = hosts
            self.metadata = metadata
        }
    }
}
