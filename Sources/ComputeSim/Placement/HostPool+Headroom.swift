extension HostPool {
    /// Whether every server could be placed again if the `count` busiest available hosts were
    /// lost now: N+1 headroom for `count` = 1, N+2 for 2.
    ///
    /// The busiest hosts are those using the most vCPUs (then RAM, then disk, then host order).
    /// Their claims are re-placed on the other available hosts by best-fit decreasing (largest
    /// first by vCPUs, RAM, disk; each onto the fitting host that would keep the fewest vCPUs
    /// free, then the least RAM, then host order), within each host's free capacity (allocation
    /// ratios and reserved resources included), keeping hard anti-affinity (never beside a
    /// member of the group, moved or not) and hard affinity (the group's servers on a lost host
    /// move together, onto one host). Soft policies, requested zones and filters other than
    /// capacity are not considered, so the answer is what capacity allows; a down, disabled or
    /// removed host is neither lost nor a destination.
    ///
    /// - Returns: true when everything fits (also when there is nothing to move), false when
    ///   something does not or fewer than `count` hosts are available.
    /// - Complexity: O(C + H log H + m·(K + log H)) for C claims, m of them on the lost hosts,
    ///   H hosts and K distinct free-resource vectors among the destinations (few in a cloud of
    ///   similar hosts; see ``bestFitByClasses(_:free:holding:)``).
    func survivesLoss(ofBusiestHosts count: Int) -> Bool {
        survivesLoss(ofBusiestHostsUpTo: count).last ?? true
    }

    /// ``survivesLoss(ofBusiestHosts:)`` for 1 through `count` hosts (N+1 through N+`count`),
    /// sorting the hosts once: element k-1 answers for the k busiest.
    /// - Complexity: O(H log H + count·(C + m·(K + log H))), terms as in
    ///   ``survivesLoss(ofBusiestHosts:)``.
    func survivesLoss(ofBusiestHostsUpTo count: Int) -> [Bool] {
        let available = hosts.indices.filter { hosts[$0].isAvailable }
        let busiest = available.sorted { a, b in Self.busier(hosts[a].used, than: hosts[b].used) ?? (a < b) }
        return (0..<max(count, 0)).map { k in
            k < busiest.count && survivesLoss(of: Set(busiest.prefix(k + 1).map(Int32.init)))
        }
    }

    /// The order "busiest first" that headroom uses for hosts, zones and what it re-places:
    /// more vCPUs, then more RAM, then more disk. Nil when all three are equal (the caller
    /// breaks the tie).
    static func busier(_ x: Resources, than y: Resources) -> Bool? {
        if x.vcpus != y.vcpus { return x.vcpus > y.vcpus }
        if x.memoryMiB != y.memoryMiB { return x.memoryMiB > y.memoryMiB }
        if x.diskGiB != y.diskGiB { return x.diskGiB > y.diskGiB }
        return nil
    }

    /// Whether every server could be placed again if the busiest availability zone (the most
    /// vCPUs used, then RAM, then disk, then name) lost all its available hosts now, on the same
    /// terms as ``survivesLoss(ofBusiestHosts:)``. A cloud of one zone survives only while it
    /// holds nothing; with no available host there is nothing to lose (true).
    /// - Complexity: as ``survivesLoss(ofBusiestHosts:)``.
    func survivesLossOfBusiestZone() -> Bool {
        var usage: [AvailabilityZone: Resources] = [:]
        for host in hosts where host.isAvailable {
            usage[host.host.availabilityZone, default: .zero] = usage[host.host.availabilityZone, default: .zero] + host.used
        }
        let zones = usage.keys.sorted { a, b in
            Self.busier(usage[a] ?? .zero, than: usage[b] ?? .zero) ?? a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8)
        }
        guard let busiest = zones.first else { return true }
        let lost = hosts.indices.filter { hosts[$0].isAvailable && hosts[$0].host.availabilityZone == busiest }
        return survivesLoss(of: Set(lost.map(Int32.init)))
    }

    /// One server, or a hard-affinity group's servers together, to place again.
    private struct Displaced {
        var resources: Resources
        var group: Int32?
        var account: Int32
        var from: Int32
    }

    /// Whether the claims on `lost` fit on the other available hosts (see
    /// ``survivesLoss(ofBusiestHosts:)`` for the rules).
    private func survivesLoss(of lost: Set<Int32>) -> Bool {
        var displaced: [Displaced] = []
        var affinity: [Int32: Int] = [:]  // (group) -> position in displaced, per lost host below
        func add(_ claim: ClaimRecord) {
            guard claim.host >= 0, lost.contains(claim.host) else { return }
            if let group = claim.group, groups[Int(group)].group.policy == .affinity {
                // Members of a hard-affinity group share their host: they move as one.
                let key = group
                if let position = affinity[key], displaced[position].from == claim.host {
                    displaced[position].resources = displaced[position].resources + claim.resources
                    return
                }
                affinity[key] = displaced.count
            }
            displaced.append(Displaced(resources: claim.resources, group: claim.group, account: claim.account, from: claim.host))
        }
        // Claims in a fixed order (record numbers, then keyed claims sorted below): no dictionary
        // order reaches the result.
        for claim in numberedClaims { add(claim) }
        for number in numberedTargets.keys.sorted() { if let claim = numberedTargets[number] { add(claim) } }
        let keyed = claims.filter { lost.contains($0.value.host) }.sorted { a, b in
            a.key.server.rawValue.utf8.lexicographicallyPrecedes(b.key.server.rawValue.utf8)
                || (a.key.server == b.key.server && a.key.purpose == .instance && b.key.purpose != .instance)
        }
        for (_, claim) in keyed { add(claim) }
        guard !displaced.isEmpty else { return true }
        // Largest first; the rest of the key makes the order total, so equal items are
        // interchangeable.
        displaced.sort { a, b in
            if let order = Self.busier(a.resources, than: b.resources) { return order }
            if a.from != b.from { return a.from < b.from }
            if a.account != b.account { return a.account < b.account }
            return (a.group ?? -1) < (b.group ?? -1)
        }
        let destinations = hosts.indices.filter { hosts[$0].isAvailable && !lost.contains(Int32($0)) }
        // Hard anti-affinity: the destinations already holding a member of each group.
        var holding: [Int32: Set<Int>] = [:]
        for item in displaced where item.group.map({ groups[Int($0)].group.policy == .antiAffinity }) == true {
            guard let group = item.group, holding[group] == nil else { continue }
            holding[group] = Set(destinations.indices.filter { hosts[destinations[$0]].count(ofGroup: group) > 0 })
        }
        return Self.bestFitByClasses(displaced.map { ($0.resources, $0.group) }, free: destinations.map { hosts[$0].free }, holding: holding) != nil
    }

    /// Best-fit decreasing: each item (in the order given) goes to the fitting destination with
    /// the fewest free vCPUs, then the least free RAM, then the lowest position, skipping
    /// destinations that hold a member of its hard anti-affinity group (`holding`, which the
    /// placements extend). The chosen positions, or nil when an item fits nowhere.
    ///
    /// Rather than scanning every destination per item (O(m·H); the tests keep that scan as
    /// the reference this is compared with), the destinations are grouped by their free
    /// resources: classes in (vCPUs, RAM, disk) order, each holding its positions
    /// in ascending order. An item takes the first class (in that order) it fits whose vCPUs and
    /// RAM it shares with no earlier fitting class, or the lowest free position among the
    /// fitting classes of equal vCPUs and RAM; the chosen destination moves to the class of
    /// what it has left. A cloud of similar hosts has few classes, so a zone's loss of hundreds
    /// of thousands of servers over tens of thousands of hosts stays near linear.
    /// - Complexity: O(m·(K + log H)) for m items and K classes (at most H), plus moving
    ///   positions within a class's array.
    static func bestFitByClasses(_ items: [(need: Resources, group: Int32?)], free: [Resources], holding: [Int32: Set<Int>]) -> [Int]? {
        func precedes(_ a: Resources, _ b: Resources) -> Bool { busier(b, than: a) ?? false }
        var keys = Array(Set(free)).sorted(by: precedes)
        // Each class's positions in descending order, so the lowest, the one usually taken, is
        // removed from the end.
        var members: [Resources: [Int]] = [:]
        for (position, room) in free.enumerated().reversed() { members[room, default: []].append(position) }
        var holding = holding, chosen: [Int] = []
        /// The index of `key` in `keys`, or where it would go.
        func slot(_ key: Resources) -> Int {
            var low = 0, high = keys.count
            while low < high {
                let middle = (low + high) / 2
                if precedes(keys[middle], key) { low = middle + 1 } else { high = middle }
            }
            return low
        }
        /// Where `position` is, or would go, in a descending list.
        func place(of position: Int, in list: [Int]) -> Int {
            var low = 0, high = list.count
            while low < high {
                let middle = (low + high) / 2
                if list[middle] > position { low = middle + 1 } else { high = middle }
            }
            return low
        }
        for (need, group) in items {
            let blocked = group.flatMap { holding[$0] }
            var best: (position: Int, key: Resources)? = nil
            // Classes of fewer vCPUs than needed never fit: start at the first with enough.
            var index = slot(Resources(vcpus: need.vcpus, memoryMiB: .min, diskGiB: .min))
            while index < keys.count {
                let key = keys[index]
                if let found = best, key.vcpus != found.key.vcpus || key.memoryMiB != found.key.memoryMiB { break }
                if key.memoryMiB >= need.memoryMiB, key.diskGiB >= need.diskGiB, let list = members[key] {
                    // The lowest position here not holding a member of the item's group.
                    if let position = list.last(where: { blocked?.contains($0) != true }), best.map({ position < $0.position }) ?? true {
                        best = (position, key)
                    }
                }
                index += 1
            }
            guard let (position, key) = best else { return nil }
            // Move the destination to the class of what it has left (in place: no copies).
            let at = members[key].map { place(of: position, in: $0) } ?? 0
            members[key]?.remove(at: at)
            if members[key]?.isEmpty == true {
                members[key] = nil
                keys.remove(at: slot(key))
            }
            let left = key - need
            if members[left] == nil { keys.insert(left, at: slot(left)) }
            let to = members[left].map { place(of: position, in: $0) } ?? 0
            members[left, default: []].insert(position, at: to)
            if let group, holding[group] != nil { holding[group]?.insert(position) }
            chosen.append(position)
        }
        return chosen
    }
}
