/// Everything one decision needs, resolved once (indexes instead of names).
struct SelectionContext {
    let need: Resources
    let availabilityZone: AvailabilityZone?
    let account: Int32?
    let groupKey: Int32?
    /// The group's policy and `max_server_per_host` (scalars: a copy of the group's record would
    /// retain its strings and its host map on every decision).
    let groupPolicy: ServerGroupPolicy?
    let groupMaxPerHost: Int
    let excluded: Set<Int32>
    let currentHost: Int32?
    /// With an image `hypervisor_type`: per entry of ``HostPool/hypervisorKinds``, whether that
    /// type can run the image (decided once per decision, not once per host).
    let hypervisorSupport: [Bool]?
    let strictSpreading: Bool
    let maxInstances: Int?
    /// The flavor's requirements of aggregate metadata (nil: the filter is off or has none).
    let aggregateRequirements: [(key: String, requirement: String)]?

    /// The numbers a caller that already knows them passes in (the engine keeps each server's
    /// account and group numbers), so a decision hashes no name.
    struct Numbers {
        var account: Int32?
        var group: Int32?
        var currentHost: Int32?
        /// The request's excluded hosts by number (nil: look their names up).
        var excluded: Set<Int32>?
    }

    init(pool: HostPool, request: PlacementRequest, numbers: Numbers? = nil) throws(ModelError) {
        need = request.need
        availabilityZone = request.availabilityZone
        if let numbers {
            account = numbers.account
            groupKey = numbers.group
            currentHost = numbers.currentHost
        } else {
            account = pool.accountIndex[request.project]
            if let id = request.group {
                guard let key = pool.groupIndex[id] else { throw ModelError(.notFound, "no server group with id \(id)") }
                groupKey = key
            } else {
                groupKey = nil
            }
            currentHost = request.currentHost.flatMap { pool.hostIndex[$0] }
        }
        if let groupKey {
            groupPolicy = pool.groups[Int(groupKey)].group.policy
            groupMaxPerHost = pool.groups[Int(groupKey)].group.effectiveMaxServerPerHost
        } else {
            groupPolicy = nil
            groupMaxPerHost = .max
        }
        excluded = numbers?.excluded ?? (request.excludedHosts.isEmpty ? [] : Set(request.excludedHosts.compactMap { pool.hostIndex[$0] }))
        hypervisorSupport =
            request.imageProperties.isEmpty
            ? nil
            : request.imageProperties["hypervisor_type"].map { required in
                let imageType = required.lowercased()
                return pool.hypervisorKinds.map { $0.supports(imageType: imageType) }
            }
        if case .strict = pool.policy.accountSpreading { strictSpreading = true } else { strictSpreading = false }
        maxInstances = pool.policy.maxInstancesPerHost
        aggregateRequirements =
            pool.policy.matchesAggregateExtraSpecs && !request.flavorExtraSpecs.isEmpty ? HostPool.aggregateRequirements(request.flavorExtraSpecs) : nil
    }

    /// Servers of the request's account on `host`, not counting the server being moved.
    func accountCount(_ host: Int32, in pool: HostPool) -> Int {
        guard let account else { return 0 }
        let count = pool.hosts[Int(host)].count(ofAccount: account)
        return host == currentHost ? max(0, count - 1) : count
    }

    func inZone(_ host: Int32, in pool: HostPool) -> Bool {
        guard let zone = availabilityZone else { return true }
        return pool.hosts[Int(host)].host.availabilityZone == zone
    }

    /// The first filter that rejects `host`, or nil when it passes them all.
    func firstFailingFilter(_ host: Int32, in pool: HostPool) -> PlacementFilter? {
        // Fields are read one by one: copying the whole record would retain its arrays.
        let index = Int(host)
        if !pool.hosts[index].isAvailable { return .compute }
        if !excluded.isEmpty, excluded.contains(host) { return .ignoreHosts }
        if let zone = availabilityZone, pool.hosts[index].host.availabilityZone != zone { return .availabilityZone }
        if !need.fits(in: pool.hosts[index].free) { return .resources }
        if let hypervisorSupport, !hypervisorSupport[Int(pool.hosts[index].hypervisorKind)] { return .imageProperties }
        if let aggregateRequirements, !pool.matchesAggregates(host, aggregateRequirements) { return .aggregateInstanceExtraSpecs }
        if let maxInstances, pool.hosts[index].instances >= maxInstances { return .numInstances }
        if let groupPolicy, let groupKey, host != currentHost {
            switch groupPolicy {
            case .antiAffinity:
                if pool.hosts[index].count(ofGroup: groupKey) >= groupMaxPerHost { return .serverGroupAntiAffinity }
            case .affinity:
                if !pool.groups[Int(groupKey)].hosts.isEmpty && pool.hosts[index].count(ofGroup: groupKey) == 0 { return .serverGroupAffinity }
            case .softAffinity, .softAntiAffinity:
                break
            }
        }
        return nil
    }

    /// Whether `host` passes every filter (and, with `spreading`, holds none of the account's
    /// other servers).
    @inline(__always)
    func passes(_ host: Int32, in pool: HostPool, spreading: Bool) -> Bool {
        guard firstFailingFilter(host, in: pool) == nil else { return false }
        return !spreading || accountCount(host, in: pool) == 0
    }
}
