/// How one project's servers are spread at the end of a run.
public struct SpreadQuality: Hashable, Sendable {
    public var project: ProjectID
    public var servers: Int
    public var hosts: Int
    /// Servers sharing a host with another server of the same project.
    public var sharing: Int
    public var mostOnOneHost: Int
}
