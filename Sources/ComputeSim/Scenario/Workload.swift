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
    public var projects: (count: Int, block: Int)? = nil
    public var arrival: ArrivalProcess
    /// When the workload starts and stops creating servers (offsets from the start).
    public var start: SimDuration
    public var stop: SimDuration?
    /// At most this many creates in all; nil: no limit.
    public var maxServers: Int?
    /// Flavors to pick from, with weights.
    public var flavors: [(FlavorID, Double)]
    public var image: ImageID?
    /// How long a server lives before it is deleted (seconds); nil: until the end.
    public var lifetime: Distribution?
    /// Servers join groups of this policy, `size` consecutive servers per group.
    public var group: (policy: ServerGroupPolicy, size: Int)?
    /// Or every server joins this group, declared in the scenario's `serverGroups`.
    public var declaredGroup: ServerGroupID? = nil
    /// The availability zone the workload's servers ask for (`"zone"`), if any.
    public var availabilityZone: AvailabilityZone? = nil
    /// Actions each server performs, as Poisson processes with these rates per hour.
    public var actions: [(WorkloadAction, Double)]
    /// Steps each server takes in order, each timed from when the server became ACTIVE.
    public var script: [ScriptStep] = []

    public init(
        name: String, project: ProjectID, arrival: ArrivalProcess, start: SimDuration = .zero, stop: SimDuration? = nil, maxServers: Int? = nil,
        flavors: [(FlavorID, Double)], image: ImageID? = nil, lifetime: Distribution? = nil, group: (policy: ServerGroupPolicy, size: Int)? = nil,
        actions: [(WorkloadAction, Double)] = []
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

    public static func == (lhs: Workload, rhs: Workload) -> Bool {
        lhs.name == rhs.name && lhs.project == rhs.project && lhs.arrival == rhs.arrival && lhs.start == rhs.start && lhs.stop == rhs.stop
            && lhs.maxServers == rhs.maxServers && lhs.flavors.map(\.0) == rhs.flavors.map(\.0) && lhs.flavors.map(\.1) == rhs.flavors.map(\.1)
            && lhs.image == rhs.image && lhs.lifetime == rhs.lifetime && lhs.group?.policy == rhs.group?.policy && lhs.group?.size == rhs.group?.size
            && lhs.actions.map(\.0) == rhs.actions.map(\.0) && lhs.actions.map(\.1) == rhs.actions.map(\.1)
            && lhs.projects?.count == rhs.projects?.count && lhs.projects?.block == rhs.projects?.block && lhs.script == rhs.script
            && lhs.declaredGroup == rhs.declaredGroup
            && lhs.availabilityZone == rhs.availabilityZone
    }

    /// The project server `number` (from 0) belongs to.
    public func project(ofServer number: Int) -> ProjectID {
        guard let projects else { return project }
        return ProjectID("\(project.rawValue)-\((number / projects.block) % projects.count)")
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
