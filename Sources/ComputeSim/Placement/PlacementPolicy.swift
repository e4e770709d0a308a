/// How the account-spreading rule (ComputeSim's per-account anti-affinity) takes part in
/// placement.
public enum AccountSpreading: Hashable, Sendable, Codable {
    /// Off: accounts are not considered.
    case off
    /// The default: a server goes to a host holding none of its account's servers while any such
    /// host passes the filters; otherwise to the host holding the fewest of them. Weighers only
    /// order hosts within that rule.
    case strict
    /// A weigher: raw value −(servers of the account on the host), normalised like Nova's
    /// weighers, times this multiplier; a soft preference that other weighers can outvote.
    case weighted(multiplier: Double)
}

/// Placement settings: Nova's filter and weigher configuration plus ComputeSim's own.
///
/// Defaults are Nova's (`nova/conf/scheduler.py`) except account spreading, which is
/// ComputeSim's product rule and on by default.
public struct PlacementPolicy: Hashable, Sendable, Codable {
    /// RAMWeigher multiplier (free RAM; positive spreads).
    public var ramWeightMultiplier = 1.0
    /// CPUWeigher multiplier (free vCPUs after overcommit).
    public var cpuWeightMultiplier = 1.0
    /// DiskWeigher multiplier (free disk).
    public var diskWeightMultiplier = 1.0
    /// ServerGroupSoftAffinityWeigher multiplier (must not be negative).
    public var softAffinityWeightMultiplier = 1.0
    /// ServerGroupSoftAntiAffinityWeigher multiplier (must not be negative).
    public var softAntiAffinityWeightMultiplier = 1.0
    /// BuildFailureWeigher multiplier: recent failed builds push a host down.
    public var buildFailureWeightMultiplier = -1_000_000.0
    /// NumInstancesWeigher multiplier (0: off; positive stacks, negative spreads by count).
    public var numInstancesWeightMultiplier = 0.0
    /// The account-spreading rule.
    public var accountSpreading = AccountSpreading.strict
    /// Pick randomly among this many best hosts (Nova's `host_subset_size`, default 1: always
    /// the best). Draws come from the placement random stream only when it is above 1.
    public var hostSubsetSize = 1
    /// Hosts returned per decision: the chosen one plus `maxAttempts − 1` alternates for
    /// reschedules (Nova's `max_attempts`, default 3).
    public var maxAttempts = 3
    /// At most this many servers on one host (NumInstancesFilter); nil: no limit (Nova's
    /// default, as the filter is not enabled by default).
    public var maxInstancesPerHost: Int? = nil
    /// K: how many candidates the index hands to the exact weighers (see ``HostPool``). With
    /// at most K eligible hosts the decision equals a full scan of every host.
    public var candidateLimit = 16
    /// Whether Nova's AggregateInstanceExtraSpecsFilter runs: a flavor's extra specs without a
    /// scope or with `aggregate_instance_extra_specs:` must each match a value of that key in
    /// the host's aggregate metadata (with Nova's operators: `=`, `<in>`, `s==`, `<or>`, ...).
    /// Off by default, as in Nova.
    public var matchesAggregateExtraSpecs = false

    /// Nova's defaults plus strict account spreading.
    public init() {}

    /// Checks the settings; returns them unchanged.
    public func validated() throws(ModelError) -> PlacementPolicy {
        for (label, value) in [
            ("ramWeightMultiplier", ramWeightMultiplier), ("cpuWeightMultiplier", cpuWeightMultiplier), ("diskWeightMultiplier", diskWeightMultiplier),
            ("buildFailureWeightMultiplier", buildFailureWeightMultiplier), ("numInstancesWeightMultiplier", numInstancesWeightMultiplier),
        ] {
            guard value.isFinite else { throw ModelError(.invalidValue, "placement \(label) must be finite, got \(value)") }
        }
        for (label, value) in [
            ("softAffinityWeightMultiplier", softAffinityWeightMultiplier), ("softAntiAffinityWeightMultiplier", softAntiAffinityWeightMultiplier),
        ] {
            guard value.isFinite, value >= 0 else { throw ModelError(.invalidValue, "placement \(label) must be a non-negative finite number, got \(value)") }
        }
        if case .weighted(let multiplier) = accountSpreading, !multiplier.isFinite {
            throw ModelError(.invalidValue, "placement account spreading multiplier must be finite, got \(multiplier)")
        }
        guard hostSubsetSize >= 1 else { throw ModelError(.invalidValue, "placement hostSubsetSize must be at least 1, got \(hostSubsetSize)") }
        guard maxAttempts >= 1 else { throw ModelError(.invalidValue, "placement maxAttempts must be at least 1, got \(maxAttempts)") }
        guard candidateLimit >= 1, candidateLimit <= 100_000 else {
            throw ModelError(.invalidValue, "placement candidateLimit must be between 1 and 100000, got \(candidateLimit)")
        }
        if let limit = maxInstancesPerHost, limit < 1 {
            throw ModelError(.invalidValue, "placement maxInstancesPerHost must be at least 1, got \(limit)")
        }
        return self
    }
}
