/// How many builds found no valid host, and which filters did it.
public struct PlacementFailures: Hashable, Sendable {
    /// One filter's share of the failures.
    public struct FilterCount: Hashable, Sendable {
        public var filter: PlacementFilter
        /// In how many of the failures this filter eliminated at least one host.
        public var failures: Int

        public init(filter: PlacementFilter, failures: Int) {
            self.filter = filter
            self.failures = failures
        }
    }

    /// Builds that ended in NoValidHost.
    public var total: Int
    /// Per filter, in filter order, only filters that eliminated hosts.
    public var byFilter: [FilterCount]

    /// One flavor's builds and how many of them found no valid host.
    public struct FlavorCount: Hashable, Sendable {
        public var flavor: FlavorID
        /// Builds of the flavor that went through scheduling.
        public var builds: Int
        /// Of those, the ones that ended in NoValidHost.
        public var noValidHost: Int
        /// When the first of them found no valid host (nil: none did): the time this flavor's
        /// capacity ran out.
        public var firstNoValidHost: SimTime?

        public init(flavor: FlavorID, builds: Int, noValidHost: Int, firstNoValidHost: SimTime? = nil) {
            self.flavor = flavor
            self.builds = builds
            self.noValidHost = noValidHost
            self.firstNoValidHost = firstNoValidHost
        }

        /// `noValidHost` as a percentage of `builds` (0 without builds).
        public var percent: Percentage { Percentage(Double(noValidHost), of: Double(builds)) }
    }

    /// Per flavor of the catalog (and any deleted flavor that had builds), in flavor id order:
    /// the NoValidHost rate capacity planners read per instance size.
    public var byFlavor: [FlavorCount] = []

    /// When the first build of any flavor found no valid host (nil: none did).
    public var firstNoValidHost: SimTime? { byFlavor.compactMap(\.firstNoValidHost).min() }

    /// No failures.
    public static let none = PlacementFailures(total: 0, byFilter: [])

    public init(total: Int, byFilter: [FilterCount], byFlavor: [FlavorCount] = []) {
        self.total = total
        self.byFilter = byFilter
        self.byFlavor = byFlavor
    }
}
