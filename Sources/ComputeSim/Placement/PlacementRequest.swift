/// What one server needs from placement.
public struct PlacementRequest: Hashable, Sendable {
    /// The server's project (for account spreading).
    public var project: ProjectID
    /// The resources to claim (usually ``Flavor/claim``).
    public var resources: Resources
    /// The image's minimum RAM (MiB) and disk (GiB): a host must be able to give at least this.
    public var imageMinimum: Resources
    /// Image properties matched against hosts (`hypervisor_type`).
    public var imageProperties: [String: String]
    /// The requested availability zone; nil: any zone.
    public var availabilityZone: AvailabilityZone?
    /// The server group the server joins; nil: none.
    public var group: ServerGroupID?
    /// Hosts to avoid (earlier attempts of a reschedule).
    public var excludedHosts: Set<HostName>
    /// The server's current host when resizing or migrating: group filters always pass it, and
    /// the server itself is not counted there by account spreading.
    public var currentHost: HostName?
    /// The flavor's extra specs, matched against the hosts' aggregate metadata when
    /// ``PlacementPolicy/matchesAggregateExtraSpecs`` is on.
    public var flavorExtraSpecs: [String: String] = [:]

    public init(
        project: ProjectID,
        resources: Resources,
        imageMinimum: Resources = .zero,
        imageProperties: [String: String] = [:],
        availabilityZone: AvailabilityZone? = nil,
        group: ServerGroupID? = nil,
        excludedHosts: Set<HostName> = [],
        currentHost: HostName? = nil
    ) {
        self.project = project
        self.resources = resources
        self.imageMinimum = imageMinimum
        self.imageProperties = imageProperties
        self.availabilityZone = availabilityZone
        self.group = group
        self.excludedHosts = excludedHosts
        self.currentHost = currentHost
    }

    /// A request for a server of `flavor` booted from `image`.
    public init(project: ProjectID, flavor: Flavor, image: Image? = nil, availabilityZone: AvailabilityZone? = nil, group: ServerGroupID? = nil) {
        self.init(
            project: project,
            resources: flavor.claim,
            imageMinimum: Resources(vcpus: 0, memoryMiB: image?.minRamMiB ?? 0, diskGiB: image?.minDiskGiB ?? 0),
            imageProperties: image?.properties ?? [:],
            availabilityZone: availabilityZone,
            group: group
        )
        flavorExtraSpecs = flavor.extraSpecs
    }

    /// What a host must have free: the claim, raised to the image's minimums.
    var need: Resources { resources.componentMax(imageMinimum) }
}

/// The filters, in the order they are applied; their names are Nova's.
public enum PlacementFilter: String, Hashable, Sendable, CaseIterable, Codable {
    /// Host up (its compute service reports) and enabled.
    case compute = "ComputeFilter"
    /// Hosts an earlier attempt of this request already tried.
    case ignoreHosts = "IgnoreHostsFilter"
    /// The requested availability zone.
    case availabilityZone = "AvailabilityZoneFilter"
    /// Free vCPU, RAM and disk after allocation ratios and reserved amounts (Placement).
    case resources = "ResourcesFilter"
    /// Image `hypervisor_type` against the host's hypervisor type.
    case imageProperties = "ImagePropertiesFilter"
    /// Flavor extra specs (unscoped or `aggregate_instance_extra_specs:`) against the host's
    /// aggregate metadata; only with ``PlacementPolicy/matchesAggregateExtraSpecs``.
    case aggregateInstanceExtraSpecs = "AggregateInstanceExtraSpecsFilter"
    /// At most `maxInstancesPerHost` servers on the host.
    case numInstances = "NumInstancesFilter"
    /// Hard anti-affinity: fewer than `max_server_per_host` group members on the host.
    case serverGroupAntiAffinity = "ServerGroupAntiAffinityFilter"
    /// Hard affinity: a host the group already uses, if it uses any.
    case serverGroupAffinity = "ServerGroupAffinityFilter"
}

/// The outcome of one placement decision.
public enum PlacementDecision: Hashable, Sendable {
    /// A host was chosen; `alternates` are the next best, for reschedules.
    case placed(host: HostName, alternates: [HostName])
    /// No host passed the filters.
    case noValidHost(NoValidHost)

    /// The chosen host, if any.
    public var host: HostName? {
        if case .placed(let host, _) = self { return host }
        return nil
    }
}

/// Why no host was found: how many hosts each filter eliminated (each host counted once, by the
/// first filter that rejected it, in ``PlacementFilter`` order).
public struct NoValidHost: Hashable, Sendable, Error, CustomStringConvertible {
    /// Nova's fault message when filters removed every host.
    public static let message = "No valid host was found. There are not enough hosts available."

    /// (filter, hosts it eliminated), in filter order, only filters that eliminated some.
    public var eliminated: [(filter: PlacementFilter, hosts: Int)]
    /// How many hosts were considered.
    public var hostCount: Int

    public init(eliminated: [(filter: PlacementFilter, hosts: Int)], hostCount: Int) {
        self.eliminated = eliminated
        self.hostCount = hostCount
    }

    public static func == (lhs: NoValidHost, rhs: NoValidHost) -> Bool {
        lhs.hostCount == rhs.hostCount && lhs.eliminated.elementsEqual(rhs.eliminated) { $0.filter == $1.filter && $0.hosts == $1.hosts }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hostCount)
        for item in eliminated { hasher.combine(item.filter); hasher.combine(item.hosts) }
    }

    /// Nova's message plus the breakdown, e.g. "... available. (3 hosts: ComputeFilter
    /// eliminated 1, ResourcesFilter eliminated 2)".
    public var description: String {
        let parts = eliminated.map { "\($0.filter.rawValue) eliminated \($0.hosts)" }.joined(separator: ", ")
        return "\(Self.message) (\(hostCount) hosts\(parts.isEmpty ? "" : ": " + parts))"
    }
}
