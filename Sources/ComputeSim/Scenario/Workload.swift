/// What a workload's servers do now and then.
public enum WorkloadAction: Hashable, Sendable {
    /// A Compute API action, as the server's owner.
    case api(ServerActionRequest)
    /// The guest powers itself off (`shutdown -h` inside the VM); the power sync notices.
    case guestShutdown
}

/// One step of a per-server script: `after` the server became ACTIVE (after its build, or
/// after the previous step's action finished), do `action` (nil: delete the server).
public struct ScriptStep: Hashable, Sendable {
    public var after: Distribution
    public var action: WorkloadAction?
}

/// A stream of servers one project creates, what happens to them, and when they go.
public struct Workload: Hashable, Sendable {
    public var name: String
    public var project: ProjectID
    /// Spread the servers over `count` projects named `<project>-<k>`: server `n` (from 0)
    /// belongs to project `(n / block) mod count`. Nil: every server is ``project``'s.
    public var projects: ProjectSpread? = nil
    public var arrival: ArrivalProcess
    /// When the workload starts and stops creating servers (offsets from the start).
    public var start: SimDuration
    public var stop: SimDuration?
    /// At most this many creates in all; nil: no limit.
    public var maxServers: Int?
    /// Flavors to pick from, with weights.
    public var flavors: [Weighted<FlavorID>]
    public var image: ImageID?
    /// How long a server lives before it is deleted (seconds); nil: until the end.
    public var lifetime: Distribution?
    /// Servers join groups of this policy, `size` consecutive servers per group.
    public var group: WorkloadGroup?
    /// Or every server joins this group, declared in the scenario's `serverGroups`.
    public var declaredGroup: ServerGroupID? = nil
    /// The availability zone the workload's servers ask for (`"zone"`), if any.
    public var availabilityZone: AvailabilityZone? = nil
    /// Actions each server performs, as Poisson processes with these rates per hour.
    public var actions: [ActionRate]
    /// Steps each server takes in order, each timed from when the server became ACTIVE.
    public var script: [ScriptStep] = []
    /// Nova's `shutdown_terminate` for the workload's servers: a guest that shuts itself down
    /// is deleted at the next power sync instead of stopped.
    public var shutdownTerminate = false
    /// The networks (by id) each server gets a NIC on, in order; empty: its project's only
    /// usable network.
    public var networks: [String] = []

    public init(
        name: String, project: ProjectID, arrival: ArrivalProcess, start: SimDuration = .zero, stop: SimDuration? = nil, maxServers: Int? = nil,
        flavors: [Weighted<FlavorID>], image: ImageID? = nil, lifetime: Distribution? = nil, group: WorkloadGroup? = nil,
        actions: [ActionRate] = []
    ) {
        self.name = name
        self.project = project
        self.arrival = arrival
        self.start = start
        self.stop = stop
        self.maxServers = maxServers
        self.flavors = flavors
        self.image = image
        self.lifetime = lifetime
        self.group = group
        self.actions = actions
    }

    /// The project server `number` (from 0) belongs to.
    public func project(ofServer number: Int) -> ProjectID {
        guard let projects else { return project }
        return ProjectID("\(project.rawValue)-\((number / projects.block) % projects.count)")
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A value with a relative weight, for weighted random choices (a workload's flavor mix).
public struct Weighted<Value: Hashable & Sendable>: Hashable, Sendable {
    public var value: Value
    /// Relative weight: positive and finite; weights need not sum to 1.
    public var weight: Double

    public init(_ value: Value, weight: Double) {
        self.value = value
        self.weight = weight
    }
}

/// Servers of a workload joining server groups of one policy, `size` consecutive servers per group.
public struct WorkloadGroup: Hashable, Sendable {
    public var policy: ServerGroupPolicy
    public var size: Int

    public init(policy: ServerGroupPolicy, size: Int) {
        self.policy = policy
        self.size = size
    }
}

/// A workload's servers spread over `count` projects in blocks of `block` consecutive servers.
public struct ProjectSpread: Hashable, Sendable {
    public var count: Int
    public var block: Int

    public init(count: Int, block: Int) {
        self.count = count
        self.block = block
    }
}

/// One action each server of a workload performs, as a Poisson process of `perHour` per hour.
public struct ActionRate: Hashable, Sendable {
    public var action: WorkloadAction
    public var perHour: Double

    public init(_ action: WorkloadAction, perHour: Double) {
        self.action = action
        self.perHour = perHour
    }
}
