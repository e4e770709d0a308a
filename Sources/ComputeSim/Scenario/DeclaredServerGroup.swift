/// A server group the scenario creates before the run (`serverGroups`), which workloads join
/// with `"group": {"id": ...}`.
public struct DeclaredServerGroup: Hashable, Sendable {
    public var id: ServerGroupID
    public var project: ProjectID
    public var policy: ServerGroupPolicy
    /// Hard anti-affinity's `max_server_per_host` rule (microversion 2.64 style); nil: 1.
    public var maxServerPerHost: Int?
}
