// Claims: the public ones keyed by (server, purpose) and the engine's keyed by record number,
// both booked into the same host usage and indexes.
extension HostPool {
    /// Claims `resources` on `host` for a server of `project` (and its group, if any).
    ///
    /// - Throws: ``ModelError`` `duplicate` when the key already holds a claim,
    ///   `notFound` for an unknown host or group, `insufficientCapacity` when the host cannot
    ///   hold it; the pool is unchanged.
    /// - Complexity: O(log H).
    public mutating func claim(_ key: ClaimKey, resources: Resources, on host: HostName, project: ProjectID, group: ServerGroupID? = nil) throws(ModelError) {
        let index = try require(host)
        guard !resources.hasNegativeComponent else { throw ModelError(.invalidValue, "claim for server \(key.server) has a negative amount: \(resources)") }
        var groupKey: Int32? = nil
        if let group {
            guard let found = groupIndex[group] else { throw ModelError(.notFound, "no server group with id \(group)") }
            groupKey = found
        }
        try checkFits(resources, on: index)
        let account = internAccount(project)
        let record = ClaimRecord(resources: resources, host: index, account: account, group: groupKey)
        if let existing = claims.updateValue(record, forKey: key) {
            claims[key] = existing
            throw ModelError(.duplicate, "server \(key.server) already holds a \(key.purpose.rawValue) claim")
        }
        book(record)
    }

    /// ``claim(_:resources:on:project:group:)`` for the engine, by numbers: `number` is the
    /// caller's own (the engine's record number), `host`, `account` (from ``internAccount(_:)``)
    /// and `group` are the pool's. An array slot per number instead of a hashed server id.
    /// - Throws: as the keyed claim; the pool is unchanged.
    /// - Complexity: O(log H).
    mutating func claim(number: Int32, purpose: ClaimPurpose, resources: Resources, host index: Int32, account: Int32, group: Int32?) throws(ModelError) {
        guard index >= 0, Int(index) < hosts.count, !hosts[Int(index)].isRemoved else { throw ModelError(.notFound, "no host number \(index)") }
        guard number >= 0 else { throw ModelError(.invalidValue, "claim number \(number) is negative") }
        guard !resources.hasNegativeComponent else { throw ModelError(.invalidValue, "claim for record \(number) has a negative amount: \(resources)") }
        guard account >= 0, Int(account) < accountLevels.count else { throw ModelError(.notFound, "no account number \(account)") }
        if let group { guard group >= 0, Int(group) < groups.count else { throw ModelError(.notFound, "no server group number \(group)") } }
        try checkFits(resources, on: index)
        let record = ClaimRecord(resources: resources, host: index, account: account, group: group)
        switch purpose {
        case .instance:
            if Int(number) >= numberedClaims.count {
                numberedClaims.append(contentsOf: repeatElement(.none, count: Int(number) + 1 - numberedClaims.count))
            }
            guard numberedClaims[Int(number)].host < 0 else { throw ModelError(.duplicate, "record \(number) already holds an instance claim") }
            numberedClaims[Int(number)] = record
        case .migrationTarget:
            guard numberedTargets[number] == nil else { throw ModelError(.duplicate, "record \(number) already holds a migrationTarget claim") }
            numberedTargets[number] = record
        }
        book(record)
    }

    /// Throws `insufficientCapacity` unless `resources` fit on the host beside what it holds.
    private func checkFits(_ resources: Resources, on index: Int32) throws(ModelError) {
        let used = hosts[Int(index)].used + resources
        guard used.fits(in: hosts[Int(index)].capacity) else {
            throw ModelError(.insufficientCapacity, "host \(hosts[Int(index)].host.name) cannot hold \(resources): \(hosts[Int(index)].free) free")
        }
    }

    /// Adds a claim's resources and residency to its host and the indexes.
    private mutating func book(_ record: ClaimRecord) {
        let index = record.host
        let account = record.account
        hosts[Int(index)].used = hosts[Int(index)].used + record.resources
        hosts[Int(index)].instances += 1
        let held = Residency.adjust(&hosts[Int(index)].accounts, account, by: 1)
        accountLevels[Int(account)].move(index, from: held - 1, to: held)
        if !accountLevels[Int(account)].listsEmptyHosts, accountLevels[Int(account)].holdingCount * 2 >= hosts.count {
            // Heavy: on at least half the hosts, so the hosts without it are listed.
            let holding = hosts.map { $0.count(ofAccount: account) > 0 }
            accountLevels[Int(account)].listEmptyHosts(hostCount: hosts.count) { holding[Int($0)] }
        }
        if let groupKey = record.group {
            if Residency.adjust(&hosts[Int(index)].groups, groupKey, by: 1) == 1 { groups[Int(groupKey)].note(index, joined: true) }
        }
        refreshIndexes(index)
    }

    /// Releases a claim.
    /// - Throws: ``ModelError`` `notFound` when the key holds no claim.
    /// - Complexity: O(log H).
    public mutating func release(_ key: ClaimKey) throws(ModelError) {
        guard releaseIfHeld(key) else { throw ModelError(.notFound, "server \(key.server) holds no \(key.purpose.rawValue) claim") }
    }

    /// Releases the claim under `key` if there is one; returns whether there was. One lookup,
    /// and no error to build when the server holds no such claim (the engine releases a
    /// server's migration-target claim on every failure, held or not).
    /// - Complexity: O(log hosts), as ``release(_:)``.
    @discardableResult
    public mutating func releaseIfHeld(_ key: ClaimKey) -> Bool {
        guard let claim = claims.removeValue(forKey: key) else { return false }
        unbook(claim)
        return true
    }

    /// Releases the numbered claim (see ``claim(number:purpose:resources:host:account:group:)``)
    /// if there is one; returns whether there was.
    /// - Complexity: O(log H).
    @discardableResult
    mutating func releaseIfHeld(number: Int32, purpose: ClaimPurpose) -> Bool {
        switch purpose {
        case .instance:
            guard number >= 0, Int(number) < numberedClaims.count, numberedClaims[Int(number)].host >= 0 else { return false }
            let claim = numberedClaims[Int(number)]
            numberedClaims[Int(number)] = .none
            unbook(claim)
        case .migrationTarget:
            guard !numberedTargets.isEmpty, let claim = numberedTargets.removeValue(forKey: number) else { return false }
            unbook(claim)
        }
        return true
    }

    /// Changes the amount a numbered instance claim holds, on the same host, keeping its
    /// residency (a suspended server gives back its vCPUs and RAM and later takes them again).
    /// - Throws: ``ModelError`` `notFound` when the number holds no instance claim,
    ///   `invalidValue` for a negative amount, `insufficientCapacity` when the host cannot hold
    ///   the new amount; the pool is unchanged.
    /// - Complexity: O(log H).
    mutating func changeClaim(number: Int32, to resources: Resources) throws(ModelError) {
        guard number >= 0, Int(number) < numberedClaims.count, numberedClaims[Int(number)].host >= 0 else {
            throw ModelError(.notFound, "record \(number) holds no instance claim")
        }
        guard !resources.hasNegativeComponent else { throw ModelError(.invalidValue, "claim for record \(number) has a negative amount: \(resources)") }
        let index = numberedClaims[Int(number)].host
        let used = hosts[Int(index)].used - numberedClaims[Int(number)].resources + resources
        guard used.fits(in: hosts[Int(index)].capacity) else {
            throw ModelError(.insufficientCapacity, "host \(hosts[Int(index)].host.name) cannot hold \(resources): \(hosts[Int(index)].free) free")
        }
        hosts[Int(index)].used = used
        numberedClaims[Int(number)].resources = resources
        refreshIndexes(index)
    }

    /// Nova's late group check on the compute host (`_validate_instance_group_policy`, run when
    /// a build lands on a host, alternates included): whether a member of the group numbered
    /// `group` may join the members already on the host numbered `host`. Soft policies always
    /// may.
    /// - Complexity: O(g) for the g groups with members on the host.
    func groupPolicyAllows(group: Int32, host: Int32) -> Bool {
        guard group >= 0, Int(group) < groups.count, host >= 0, Int(host) < hosts.count else { return true }
        switch groups[Int(group)].group.policy {
        case .antiAffinity: return hosts[Int(host)].count(ofGroup: group) < groups[Int(group)].group.effectiveMaxServerPerHost
        case .affinity: return groups[Int(group)].hosts.isEmpty || hosts[Int(host)].count(ofGroup: group) > 0
        case .softAffinity, .softAntiAffinity: return true
        }
    }

    /// The resources a numbered instance claim holds, or nil.
    func claimedResources(number: Int32) -> Resources? {
        guard number >= 0, Int(number) < numberedClaims.count, numberedClaims[Int(number)].host >= 0 else { return nil }
        return numberedClaims[Int(number)].resources
    }

    /// The host number of a numbered claim, or nil.
    func claimedHost(number: Int32, purpose: ClaimPurpose) -> Int32? {
        switch purpose {
        case .instance:
            guard number >= 0, Int(number) < numberedClaims.count, numberedClaims[Int(number)].host >= 0 else { return nil }
            return numberedClaims[Int(number)].host
        case .migrationTarget:
            return numberedTargets.isEmpty ? nil : numberedTargets[number]?.host
        }
    }

    /// Takes a released claim's resources and residency off its host and the indexes.
    private mutating func unbook(_ claim: ClaimRecord) {
        let index = Int(claim.host)
        hosts[index].used = hosts[index].used - claim.resources
        precondition(!hosts[index].used.hasNegativeComponent, "host usage went negative")
        hosts[index].instances -= 1
        let held = Residency.adjust(&hosts[index].accounts, claim.account, by: -1)
        accountLevels[Int(claim.account)].move(claim.host, from: held + 1, to: held)
        if accountLevels[Int(claim.account)].listsEmptyHosts, accountLevels[Int(claim.account)].holdingCount * 4 < hosts.count {
            accountLevels[Int(claim.account)].forgetEmptyHosts()
        }
        if let group = claim.group {
            if Residency.adjust(&hosts[index].groups, group, by: -1) == 0 { groups[Int(group)].note(claim.host, joined: false) }
        }
        refreshIndexes(claim.host)
    }

    /// The host a claim is on, or nil.
    public func claimHost(_ key: ClaimKey) -> HostName? { claims[key].map { hosts[Int($0.host)].host.name } }
}
