/// Everything one decision needs, resolved once (indexes instead of names).
struct SelectionContext {
    let request: PlacementRequest
    let need: Resources
    let account: Int32?
    let groupKey: Int32?
    let group: HostPool.GroupRecord?
    let excluded: Set<Int32>
    let currentHost: Int32?
    /// With an image `hypervisor_type`: per entry of ``HostPool/hypervisorKinds``, whether that
    /// type can run the image (decided once per decision, not once per host).
    let hypervisorSupport: [Bool]?
    let strictSpreading: Bool
    let maxInstances: Int?

    init(pool: HostPool, request: PlacementRequest) throws(ModelError) {
        self.request = request
        need = request.need
        account = pool.accountIndex[request.project]
        if let id = request.group {
            guard let key = pool.groupIndex[id] else { throw ModelError(.notFound, "no server group with id \(id)") }
            groupKey = key
            group = pool.groups[Int(key)]
        } else {
            groupKey = nil
            group = nil
        }
        excluded = Set(request.excludedHosts.compactMap { pool.hostIndex[$0] })
        currentHost = request.currentHost.flatMap { pool.hostIndex[$0] }
        hypervisorSupport = request.imageProperties["hypervisor_type"].map { required in
            let imageType = required.lowercased()
            return pool.hypervisorKinds.map { $0.supports(imageType: imageType) }
        }
        if case .strict = pool.policy.accountSpreading { strictSpreading = true } else { strictSpreading = false }
        maxInstances = pool.policy.maxInstancesPerHost
    }

    /// Servers of the request's account on `host`, not counting the server being moved.
    func accountCount(_ host: Int32, in pool: HostPool) -> Int {
        guard let account else { return 0 }
        let count = pool.hosts[Int(host)].count(ofAccount: account)
        return host == currentHost ? max(0, count - 1) : count
    }

    func inZone(_ host: Int32, in pool: HostPool) -> Bool {
        guard let zone = request.availabilityZone else { return true }
        return pool.hosts[Int(host)].host.availabilityZone == zone
    }

    /// The first filter that rejects `host`, or nil when it passes them all.
    func firstFailingFilter(_ host: Int32, in pool: HostPool) -> PlacementFilter? {
        // Fields are read one by one: copying the whole record would retain its arrays.
        let index = Int(host)
        if !pool.hosts[index].isAvailable { return .compute }
        if !excluded.isEmpty, excluded.contains(host) { return .ignoreHosts }
        if let zone = request.availabilityZone, pool.hosts[index].host.availabilityZone != zone { return .availabilityZone }
        if !need.fits(in: pool.hosts[index].free) { return .resources }
        if let hypervisorSupport, !hypervisorSupport[Int(pool.hosts[index].hypervisorKind)] { return .imageProperties }
        if let maxInstances, pool.hosts[index].instances >= maxInstances { return .numInstances }
        if let group, let groupKey, host != currentHost {
            switch group.group.policy {
            case .antiAffinity:
                if pool.hosts[index].count(ofGroup: groupKey) >= group.group.effectiveMaxServerPerHost { return .serverGroupAntiAffinity }
            case .affinity:
                if !group.hosts.isEmpty && group.hosts[host] == nil { return .serverGroupAffinity }
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
