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

    /// No failures.
    public static let none = PlacementFailures(total: 0, byFilter: [])

    public init(total: Int, byFilter: [FilterCount]) {
        self.total = total
        self.byFilter = byFilter
    }
}
