/// The cloud's hosts, what is claimed on them, and the indexes placement decides with.
///
/// ## Indexes
/// - A `CapacityTree` over all hosts and one per availability zone, keyed by free vCPU, RAM
///   and disk, so a decision visits O(K log H) nodes instead of H hosts.
/// - Per host, the accounts and groups with servers there and how many (short arrays: a host
///   holds tens of servers, so a scan beats hashing).
/// - Per account and per group, the hosts they use and how many servers on each.
///
/// ## Claims
/// Every claim is keyed by (server, purpose), so a resize can hold the source and the
/// destination at once. (The cloud's engine keys its claims by its own record numbers instead,
/// an array slot per server, so a claim or release hashes no id; both kinds meet in the same
/// usage and indexes.) Claims never exceed a host's effective capacity and releases never
/// drive usage negative: both are checked on every operation and by ``checkInvariants()``.
///
/// Deterministic: hosts keep the order they were added in (the tie-breaker everywhere), and no
/// dictionary order reaches a decision.
public struct HostPool: Sendable {
    /// One host's record.
    struct HostRecord: Sendable {
        var host: Host
        var capacity: Resources
        var used = Resources.zero
        var instances = 0
        var isUp = true
        var isEnabled = true
        var isRemoved = false
        var buildFailures = 0
        var zoneTree: Int
        var zoneSlot: Int
        /// The host's hypervisor type as a position in ``HostPool/hypervisorKinds``, so the image
        /// properties filter reads a table instead of comparing names per host.
        var hypervisorKind: Int32
        /// (account index, servers of that account here).
        var accounts: [Residency] = []
        /// (group index, members of that group here).
        var groups: [Residency] = []

        var isAvailable: Bool { isUp && isEnabled && !isRemoved }
        var free: Resources { capacity - used }

        func count(ofAccount account: Int32) -> Int { Residency.count(of: account, in: accounts) }
        func count(ofGroup group: Int32) -> Int { Residency.count(of: group, in: groups) }
    }

    /// How many servers of one account (or members of one group) a host holds. A host holds
    /// tens of servers, so a short array scanned linearly beats hashing.
    struct Residency: Sendable {
        var key: Int32
        var count: Int32

        static func count(of key: Int32, in list: [Residency]) -> Int {
            for entry in list where entry.key == key { return Int(entry.count) }
            return 0
        }

        /// Adds `delta` to `key`'s count, dropping entries that reach zero.
        /// - Returns: the new count.
        @discardableResult
        static func adjust(_ list: inout [Residency], _ key: Int32, by delta: Int32) -> Int {
            if let position = list.firstIndex(where: { $0.key == key }) {
                list[position].count += delta
                let count = list[position].count
                if count == 0 { list.remove(at: position) }
                return Int(count)
            }
            list.append(Residency(key: key, count: delta))
            return Int(delta)
        }
    }

    struct GroupRecord: Sendable {
        var group: ServerGroup
        /// The hosts holding members, ascending (how many each holds is in the host's own
        /// ``HostRecord/groups``).
        private(set) var hosts: [Int32] = []

        /// Whether members are on host `host`.
        /// - Complexity: O(log n) for n hosts holding members.
        func holds(_ host: Int32) -> Bool {
            let at = place(of: host)
            return at < hosts.count && hosts[at] == host
        }

        /// A host now holds members (`joined`) or none any more.
        /// - Complexity: O(n) for n hosts holding members (O(log n) to find its place).
        mutating func note(_ host: Int32, joined: Bool) {
            let at = place(of: host)
            let present = at < hosts.count && hosts[at] == host
            if joined, !present { hosts.insert(host, at: at) }
            if !joined, present { hosts.remove(at: at) }
        }

        private func place(of host: Int32) -> Int {
            var low = 0, high = hosts.count
            while low < high {
                let middle = (low + high) / 2
                if hosts[middle] < host { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Why a claim exists: a server's own allocation, or the destination held during a resize
    /// or migration until it is confirmed or reverted.
    public enum ClaimPurpose: String, Hashable, Sendable, Codable {
        case instance
        case migrationTarget
    }

    /// The key of one claim.
    public struct ClaimKey: Hashable, Sendable {
        public var server: ServerID
        public var purpose: ClaimPurpose
        public init(server: ServerID, purpose: ClaimPurpose = .instance) {
            self.server = server
            self.purpose = purpose
        }

        /// The server's id and one bit for the purpose (the synthesised hash also hashed the
        /// purpose's raw string, on every claim and release).
        public func hash(into hasher: inout Hasher) {
            hasher.combine(server)
            hasher.combine(purpose == .instance)
        }
    }

    /// (The resources first, so the record packs into 40 bytes.)
    struct ClaimRecord: Sendable {
        var resources: Resources
        var host: Int32
        var account: Int32
        var group: Int32?

        /// An empty slot of ``HostPool/numberedClaims``.
        static let none = ClaimRecord(resources: .zero, host: -1, account: -1, group: nil)
    }

    /// The placement settings.
    public private(set) var policy: PlacementPolicy
    /// The capacity-tree orders of the active resource weighers (derived from `policy`).
    let resourceOrders: [CapacityTree.Order]

    var hosts: [HostRecord] = []
    var hostIndex: [HostName: Int32] = [:]
    var globalTree = CapacityTree()
    var zoneTrees: [CapacityTree] = []
    var zoneIndex: [AvailabilityZone: Int] = [:]
    /// How many hosts each zone index holds (hosts that moved to another zone not counted).
    var zoneMemberCounts: [Int] = []
    var accountIndex: [ProjectID: Int32] = [:]
    /// The project of each account number (``accountIndex`` reversed).
    var accountProjects: [ProjectID] = []
    /// Per account: its hosts grouped by how many of its servers each holds (how many a host
    /// holds is in its own ``HostRecord/accounts``).
    var accountLevels: [AccountLevels] = []
    var groupIndex: [ServerGroupID: Int32] = [:]
    var groups: [GroupRecord] = []
    var claims: [ClaimKey: ClaimRecord] = [:]
    /// The engine's instance claims by its record number (``ClaimRecord/none`` where it holds
    /// none), and its rarer migration-target claims by the same number.
    var numberedClaims: [ClaimRecord] = []
    var numberedTargets: [Int32: ClaimRecord] = [:]
    /// The distinct hypervisor types among the hosts ever added (by name without regard to
    /// case, which is how the filter compares them), in the order first seen.
    var hypervisorKinds: [HypervisorType] = []
    /// ``hypervisorKinds`` by name in ASCII lower case.
    var hypervisorKindIndex: [String: Int32] = [:]
    /// Per host in an aggregate with metadata: each key's values (Nova's
    /// `aggregate_metadata_get_by_host`), for the AggregateInstanceExtraSpecsFilter.
    var aggregateValues: [Int32: [String: Set<String>]] = [:]

    /// An empty pool.
    /// - Throws: ``ModelError`` when `policy` is invalid.
    public init(policy: PlacementPolicy = PlacementPolicy()) throws(ModelError) {
        self.policy = try policy.validated()
        self.resourceOrders = Self.resourceOrders(for: self.policy)
    }

    // MARK: Hosts

    /// The number of hosts ever added (removed hosts keep their place in the order).
    public var hostCount: Int { hosts.count }

    /// Adds a host at the end of the host order.
    /// - Throws: ``ModelError`` for invalid values or a duplicate name; the pool is unchanged.
    /// - Complexity: O(log H) amortised.
    public mutating func addHost(_ host: Host) throws(ModelError) {
        let capacity = try host.effectiveCapacity()
        guard hostIndex[host.name] == nil else { throw ModelError(.duplicate, "a host named \(host.name) already exists") }
        guard hosts.count < Int(Int32.max) else { throw ModelError(.invalidValue, "too many hosts") }
        let index = Int32(hosts.count)
        let zone: Int
        if let existing = zoneIndex[host.availabilityZone] {
            zone = existing
        } else {
            zone = zoneTrees.count
            zoneIndex[host.availabilityZone] = zone
            zoneTrees.append(CapacityTree())
            zoneMemberCounts.append(0)
        }
        zoneMemberCounts[zone] += 1
        let slot = zoneTrees[zone].appendSlot(host: index, free: capacity)
        _ = globalTree.appendSlot(host: index, free: capacity)
        // ASCII lower case, as the filter's comparison folds it.
        let kindName = String(decoding: host.hypervisorType.rawValue.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
        let kind: Int32
        if let existing = hypervisorKindIndex[kindName] {
            kind = existing
        } else {
            kind = Int32(hypervisorKinds.count)
            hypervisorKindIndex[kindName] = kind
            hypervisorKinds.append(host.hypervisorType)
        }
        hosts.append(HostRecord(host: host, capacity: capacity, zoneTree: zone, zoneSlot: slot, hypervisorKind: kind))
        hostIndex[host.name] = index
        for account in accountLevels.indices where accountLevels[account].listsEmptyHosts { accountLevels[account].hostAdded(index) }
    }

    /// Removes a host that holds no claims. Its name may be reused by a later `addHost`.
    /// - Throws: ``ModelError`` `notFound`, or `conflict` when servers still hold resources there.
    public mutating func removeHost(_ name: HostName) throws(ModelError) {
        let index = try require(name)
        guard hosts[Int(index)].instances == 0, hosts[Int(index)].used == .zero else {
            throw ModelError(.conflict, "host \(name) still holds \(hosts[Int(index)].instances) servers")
        }
        if !hosts[Int(index)].isUp { downHostCount -= 1 }
        hosts[Int(index)].isRemoved = true
        hostIndex[name] = nil
        refreshIndexes(index)
    }

    /// Enables or disables scheduling to a host (its servers keep running).
    public mutating func setEnabled(_ enabled: Bool, host name: HostName) throws(ModelError) {
        let index = try require(name)
        hosts[Int(index)].isEnabled = enabled
        refreshIndexes(index)
    }

    /// Marks a host up or down (a down host is never chosen).
    public mutating func setUp(_ up: Bool, host name: HostName) throws(ModelError) {
        let index = try require(name)
        if hosts[Int(index)].isUp != up { downHostCount += up ? -1 : 1 }
        hosts[Int(index)].isUp = up
        refreshIndexes(index)
    }

    /// How many hosts are down now.
    public private(set) var downHostCount = 0

    /// Whether `name` is a known host that is down.
    /// - Complexity: O(1) when no host is down, else one hash of the name.
    public func isDown(_ name: HostName) -> Bool {
        guard downHostCount > 0, let index = hostIndex[name] else { return false }
        return !hosts[Int(index)].isUp
    }

    /// Records a failed build on a host (the BuildFailureWeigher avoids it) or clears the count.
    public mutating func recordBuildFailure(on name: HostName, reset: Bool = false) throws(ModelError) {
        let index = try require(name)
        hosts[Int(index)].buildFailures = reset ? 0 : hosts[Int(index)].buildFailures + 1
    }

    /// The host's configuration, or nil.
    public func host(_ name: HostName) -> Host? { hostIndex[name].map { hosts[Int($0)].host } }

    /// The names of all current hosts, in host order.
    public var hostNames: [HostName] { hosts.filter { !$0.isRemoved }.map(\.host.name) }

    /// A snapshot of one host's usage.
    public struct Usage: Hashable, Sendable {
        public var capacity: Resources
        public var used: Resources
        public var servers: Int
        public var isUp: Bool
        public var isEnabled: Bool
        public var free: Resources { capacity - used }
    }

    /// The usage of a host, or nil when there is no such host.
    public func usage(of name: HostName) -> Usage? {
        guard let index = hostIndex[name] else { return nil }
        let record = hosts[Int(index)]
        return Usage(capacity: record.capacity, used: record.used, servers: record.instances, isUp: record.isUp, isEnabled: record.isEnabled)
    }

    /// How many of `project`'s servers are on `host`.
    public func serverCount(of project: ProjectID, on host: HostName) -> Int {
        guard let hostIndex = hostIndex[host], let account = accountIndex[project] else { return 0 }
        return hosts[Int(hostIndex)].count(ofAccount: account)
    }

    /// Every host holding servers of `project`, with how many, in host order.
    /// - Complexity: O(k log k) for k such hosts.
    public func hostsHolding(_ project: ProjectID) -> [(host: HostName, servers: Int)] {
        guard let account = accountIndex[project] else { return [] }
        return accountLevels[Int(account)].holding.map { (hosts[Int($0.host)].host.name, $0.count) }
    }

    /// Every host holding members of `group`, with how many, in host order.
    public func hostsHolding(group id: ServerGroupID) -> [(host: HostName, servers: Int)] {
        guard let group = groupIndex[id] else { return [] }
        return groups[Int(group)].hosts.map { (hosts[Int($0)].host.name, hosts[Int($0)].count(ofGroup: group)) }
    }

    func require(_ name: HostName) throws(ModelError) -> Int32 {
        guard let index = hostIndex[name] else { throw ModelError(.notFound, "no host named \(name)") }
        return index
    }

    /// Pushes a host's free resources (or unavailability) into both trees.
    mutating func refreshIndexes(_ index: Int32) {
        let free: Resources? = hosts[Int(index)].isAvailable ? hosts[Int(index)].free : nil
        globalTree.setLeaf(Int(index), free)
        zoneTrees[hosts[Int(index)].zoneTree].setLeaf(hosts[Int(index)].zoneSlot, free)
    }

    // MARK: Groups

    /// Registers a server group.
    /// - Throws: ``ModelError`` for an invalid group or a duplicate id.
    public mutating func addGroup(_ group: ServerGroup) throws(ModelError) {
        let group = try group.validated()
        guard groupIndex[group.id] == nil else { throw ModelError(.duplicate, "a server group with id \(group.id) already exists") }
        groupIndex[group.id] = Int32(groups.count)
        groups.append(GroupRecord(group: group))
    }

    /// The groups of `project` (every group when nil), in the order they were added.
    public func groups(of project: ProjectID?) -> [ServerGroup] {
        groups.map(\.group).filter { project == nil || $0.project == project }
    }

    /// How many groups `project` has.
    public func groupCount(of project: ProjectID) -> Int { groups.reduce(0) { $0 + ($1.group.project == project ? 1 : 0) } }

    /// The group with this id, or nil.
    public func group(_ id: ServerGroupID) -> ServerGroup? { groupIndex[id].map { groups[Int($0)].group } }

    mutating func internAccount(_ project: ProjectID) -> Int32 {
        if let index = accountIndex[project] { return index }
        let index = Int32(accountLevels.count)
        accountIndex[project] = index
        accountProjects.append(project)
        accountLevels.append(AccountLevels())
        return index
    }

    // MARK: Invariants

    /// Every violated invariant, described; empty when the pool is consistent.
    ///
    /// Checks: usage equals the sum of claims per host, usage within capacity and not negative,
    /// instance and per-account/per-group counts match the claims, hard anti-affinity
    /// (`max_server_per_host`) and affinity (one host) hold, and both trees summarise the hosts.
    /// - Complexity: O(H + claims).
    public func checkInvariants() -> [InvariantViolation] {
        var problems: [InvariantViolation] = []
        var used = [Resources](repeating: .zero, count: hosts.count)
        var instances = [Int](repeating: 0, count: hosts.count)
        var accountCounts: [Int32: [Int32: Int32]] = [:]
        var groupCounts: [Int32: [Int32: Int32]] = [:]
        for claim in Array(claims.values) + numberedClaims.filter({ $0.host >= 0 }) + Array(numberedTargets.values) {
            used[Int(claim.host)] = used[Int(claim.host)] + claim.resources
            instances[Int(claim.host)] += 1
            accountCounts[claim.account, default: [:]][claim.host, default: 0] += 1
            if let group = claim.group { groupCounts[group, default: [:]][claim.host, default: 0] += 1 }
        }
        for (index, record) in hosts.enumerated() {
            let name = record.host.name
            if record.used != used[index] { problems.append(InvariantViolation(.host(name), "usage \(record.used) but claims sum to \(used[index])")) }
            if record.used.hasNegativeComponent { problems.append(InvariantViolation(.host(name), "negative usage \(record.used)")) }
            if !record.used.fits(in: record.capacity) {
                problems.append(InvariantViolation(.host(name), "usage \(record.used) exceeds capacity \(record.capacity)"))
            }
            if record.instances != instances[index] {
                problems.append(InvariantViolation(.host(name), "\(record.instances) servers but \(instances[index]) claims"))
            }
            for entry in record.accounts where accountCounts[entry.key]?[Int32(index)] != entry.count {
                problems.append(InvariantViolation(.host(name), "account index \(entry.key) count \(entry.count) disagrees with claims"))
            }
            for entry in record.groups where groupCounts[entry.key]?[Int32(index)] != entry.count {
                problems.append(InvariantViolation(.host(name), "group index \(entry.key) count \(entry.count) disagrees with claims"))
            }
        }
        // Each host's own account counts (checked against the claims above), gathered per account.
        var residentCounts = [[Int32: Int32]](repeating: [:], count: accountLevels.count)
        for (index, record) in hosts.enumerated() {
            for entry in record.accounts {
                guard entry.key >= 0, Int(entry.key) < residentCounts.count else {
                    problems.append(InvariantViolation(.host(record.host.name), "unknown account index \(entry.key)"))
                    continue
                }
                residentCounts[Int(entry.key)][Int32(index)] = entry.count
            }
        }
        for (account, map) in residentCounts.enumerated() where map != (accountCounts[Int32(account)] ?? [:]) {
            problems.append(InvariantViolation(.accountIndex(account), "host counts disagree with claims"))
        }
        for (account, map) in residentCounts.enumerated() where !accountLevels[account].agrees(with: map, hostCount: hosts.count) {
            problems.append(InvariantViolation(.accountIndex(account), "hosts listed by count disagree with the host counts"))
        }
        for (index, record) in groups.enumerated() {
            let counts = groupCounts[Int32(index)] ?? [:]
            if record.hosts != counts.keys.sorted() || record.hosts.contains(where: { Int($0) >= hosts.count }) {
                problems.append(InvariantViolation(.group(record.group.id), "hosts listed disagree with claims"))
            }
            switch record.group.policy {
            case .antiAffinity:
                for (host, count) in counts.sorted(by: { $0.key < $1.key }) where Int(count) > record.group.effectiveMaxServerPerHost {
                    problems.append(
                        InvariantViolation(
                            .group(record.group.id),
                            "\(count) members on host \(hosts[Int(host)].host.name), above max_server_per_host \(record.group.effectiveMaxServerPerHost)"))
                }
            case .affinity:
                if counts.count > 1 { problems.append(InvariantViolation(.group(record.group.id), "affinity members on \(counts.count) hosts")) }
            case .softAffinity, .softAntiAffinity:
                break
            }
        }
        if !globalTree.isConsistent() || zoneTrees.contains(where: { !$0.isConsistent() }) {
            problems.append(InvariantViolation(.cloud, "a capacity tree does not summarise its hosts"))
        }
        for (index, record) in hosts.enumerated() {
            let expected: Resources? = record.isAvailable ? record.free : nil
            if globalTree.leaf(index) != expected || zoneTrees[record.zoneTree].leaf(record.zoneSlot) != expected {
                problems.append(InvariantViolation(.host(record.host.name), "index holds stale free resources"))
            }
        }
        return problems
    }
}
