/// A project's usage over a period (Nova's `os-simple-tenant-usage`): what a capacity planner
/// bills, computed from each server's launch and termination times.
public struct TenantUsage: Hashable, Sendable {
    public var project: ProjectID
    /// The servers that ran during the period, by id.
    public var servers: [ServerUsage]
    public var start: SimTime
    public var stop: SimTime
    /// Sums over ``servers`` of hours, and of vCPUs, RAM (MiB) and local disk (GiB) times hours.
    public var totalHours: Double { servers.reduce(0) { $0 + $1.hours } }
    public var totalVCPUHours: Double { servers.reduce(0) { $0 + Double($1.vcpus) * $1.hours } }
    public var totalMemoryMiBHours: Double { servers.reduce(0) { $0 + Double($1.memoryMiB) * $1.hours } }
    public var totalLocalGiBHours: Double { servers.reduce(0) { $0 + Double($1.localGiB) * $1.hours } }
}

/// One server's part of a ``TenantUsage``.
public struct ServerUsage: Hashable, Sendable {
    public var id: ServerID
    public var name: String
    public var project: ProjectID
    /// Its flavor's name, vCPUs, RAM and root plus ephemeral disk.
    public var flavor: String
    public var vcpus: Int
    public var memoryMiB: Int
    public var localGiB: Int
    /// Hours it ran within the period: from its launch (or the period's start) to its
    /// termination (or the period's stop).
    public var hours: Double
    public var startedAt: SimTime
    public var endedAt: SimTime?
    /// `terminated` once deleted, else its vm_state.
    public var state: String
    /// Seconds from its launch to its termination, or to now.
    public var uptime: Int64
}
