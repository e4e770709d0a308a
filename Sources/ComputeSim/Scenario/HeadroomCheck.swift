/// What a run checks at every sample about spare capacity for failures (a scenario's
/// `headroom` section, `{"hosts": 2, "zone": true}`): could the cloud lose its busiest host
/// (N+1), its two busiest (N+2), … or its busiest availability zone, and still place every
/// server again? The rules of the re-placement are ``HostPool``'s (capacity, hard affinity and
/// anti-affinity; see the Capacity planning article).
public struct HeadroomCheck: Hashable, Sendable {
    /// N+1 up to N+`hosts` are checked (0 to ``maximumHosts``; 0 checks no host losses).
    public var hosts: Int
    /// Whether the loss of the busiest availability zone is checked too.
    public var zone: Bool

    /// The most simultaneous host losses a scenario may ask about.
    public static let maximumHosts = 8

    public init(hosts: Int = 1, zone: Bool = false) {
        self.hosts = hosts
        self.zone = zone
    }
}
