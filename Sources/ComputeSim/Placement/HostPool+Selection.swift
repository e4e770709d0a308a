extension HostPool {
    /// Chooses a host for one server: filters, then weighers, Nova-style, driven by the indexes.
    ///
    /// 1. Hard affinity with members already placed: the candidates are the group's hosts (and
    ///    the server's own host on a resize). Otherwise the capacity tree of the requested zone
    ///    (or of all hosts) yields, in the order of the strongest resource weigher (RAM, CPU or
    ///    disk with the largest |multiplier|; most free first for a positive multiplier), the
    ///    first K = ``PlacementPolicy/candidateLimit`` hosts that pass every filter; if that
    ///    fills K, every other resource weigher adds its best ⌈K/d⌉ (d = active resource
    ///    weighers). Soft affinity adds the group's hosts that pass.
    /// 2. Strict account spreading first asks only for hosts holding none of the account's
    ///    servers; if none passes, the candidates are the passing hosts that hold the fewest.
    /// 3. Every weigher's raw values are normalised over the candidates as Nova does (RAM, CPU
    ///    and disk from 0 to the maximum; others from minimum to maximum; all equal gives 0),
    ///    multiplied and summed in a fixed order. The highest total wins; ties go to the host
    ///    added first. With `hostSubsetSize` > 1 the winner is drawn from that many best
    ///    using `random` (the placement stream); otherwise `random` is not touched.
    ///
    /// When at most K hosts pass the filters, the result is exactly that of weighing every host.
    ///
    /// - Returns: the host and up to `maxAttempts − 1` alternates, or ``NoValidHost`` with how many
    ///   hosts each filter eliminated (that breakdown scans every host: O(H), failures only).
    /// - Throws: ``ModelError`` `notFound` for a group that does not exist.
    /// - Complexity: O(K log H + K·w) for w weighers, plus hosts the tree cannot prune that the
    ///   per-leaf filters reject (group members, the account's hosts, hypervisor mismatches).
    public func select(_ request: PlacementRequest, random: inout DeterministicRandom) throws(ModelError) -> PlacementDecision {
        switch try decide(request, numbers: nil, random: &random) {
        case .placed(let chosen, let alternates):
            return .placed(host: hosts[Int(chosen)].host.name, alternates: alternates.map { hosts[Int($0)].host.name })
        case .noValidHost(let reasons):
            return .noValidHost(reasons)
        }
    }

    /// A decision by host number, as ``select(_:random:)`` makes it.
    enum NumberedDecision {
        case placed(Int32, alternates: [Int32])
        case noValidHost(NoValidHost)
    }

    /// ``select(_:random:)`` by host number; with `numbers`, the request's account, group and
    /// current host are taken from them instead of being looked up by name (the engine keeps
    /// them per server).
    func decide(_ request: PlacementRequest, numbers: SelectionContext.Numbers?, random: inout DeterministicRandom) throws(ModelError) -> NumberedDecision {
        let context = try SelectionContext(pool: self, request: request, numbers: numbers)
        var candidates = collectCandidates(context)
        if candidates.isEmpty {
            return .noValidHost(eliminations(context))
        }
        if context.groupPolicy == .softAffinity, let group = context.groupKey {
            var seen = Set(candidates)
            for host in groups[Int(group)].hosts where !seen.contains(host) && context.passes(host, in: self, spreading: false) {
                candidates.append(host)
                seen.insert(host)
            }
        }
        // Only the first max(hostSubsetSize, maxAttempts) of the ranking are ever read.
        let ranked = rank(candidates, context, keeping: max(policy.hostSubsetSize, policy.maxAttempts))
        var chosenPosition = 0
        if policy.hostSubsetSize > 1 {
            chosenPosition = random.nextIndex(below: min(policy.hostSubsetSize, ranked.count))
        }
        var alternates: [Int32] = []
        for (position, host) in ranked.enumerated() where position != chosenPosition && alternates.count < policy.maxAttempts - 1 {
            alternates.append(host)
        }
        return .placed(ranked[chosenPosition], alternates: alternates)
    }

    /// Places servers one after another, claiming each pick before the next decision, so later
    /// servers see earlier ones (Nova's multi-create). Stops at the first server that finds no
    /// host; the result holds one decision per server placed plus that failure.
    /// - Throws: ``ModelError`` for an unknown group or a duplicate claim; claims made before the
    ///   error stay in place.
    public mutating func placeMany(_ request: PlacementRequest, servers: [ServerID], random: inout DeterministicRandom) throws(ModelError)
        -> [PlacementDecision]
    {
        var decisions: [PlacementDecision] = []
        for server in servers {
            let decision = try select(request, random: &random)
            decisions.append(decision)
            guard let host = decision.host else { break }
            try claim(ClaimKey(server: server), resources: request.resources, on: host, project: request.project, group: request.group)
        }
        return decisions
    }

    /// The resource weighers' orders for the capacity tree, strongest |multiplier| first (ties:
    /// RAM, CPU, disk); positive multipliers order by most free, negative by least free. With
    /// every resource multiplier at zero, one order: host order.
    static func resourceOrders(for policy: PlacementPolicy) -> [CapacityTree.Order] {
        let weights: [(CapacityTree.Order.Dimension, Double)] = [
            (.memory, policy.ramWeightMultiplier), (.vcpus, policy.cpuWeightMultiplier), (.disk, policy.diskWeightMultiplier),
        ]
        let active = weights.enumerated()
            .filter { $0.element.1 != 0 }
            .sorted { abs($0.element.1) != abs($1.element.1) ? abs($0.element.1) > abs($1.element.1) : $0.offset < $1.offset }
            .map { CapacityTree.Order(dimension: $0.element.0, descending: $0.element.1 > 0) }
        return active.isEmpty ? [CapacityTree.Order(dimension: nil, descending: true)] : active
    }

    private func collectCandidates(_ context: SelectionContext) -> [Int32] {
        var candidates: [Int32] = []
        // Hard affinity with members already placed: only the group's hosts can pass.
        if context.groupPolicy == .affinity, let group = context.groupKey, !groups[Int(group)].hosts.isEmpty {
            // The group's hosts, plus the server's own host, which the filter always passes.
            var ordered = groups[Int(group)].hosts
            if let current = context.currentHost, !groups[Int(group)].holds(current) {
                ordered.insert(current, at: ordered.firstIndex { $0 > current } ?? ordered.count)
            }
            candidates = ordered.filter { context.passes($0, in: self, spreading: context.strictSpreading) }
            if candidates.isEmpty && context.strictSpreading {
                return fewestOfAccount(ordered.filter { context.passes($0, in: self, spreading: false) }, context)
            }
            return candidates
        }
        let tree: CapacityTree
        if let zone = context.availabilityZone {
            guard let zoneTree = zoneIndex[zone] else { return [] }
            tree = zoneTrees[zoneTree]
        } else {
            tree = globalTree
        }
        guard context.strictSpreading, let account = context.account else {
            return walk(tree, context, level: nil, maxRejections: nil) ?? []
        }
        // Strict spreading: the hosts holding none of the account's servers, else those holding
        // the fewest (co-location only when it must). Counts are tried from 0 up (a moving
        // server's own host counts one less); the first count with a passing host gives the
        // candidates. The walk of the capacity tree finds them when hosts at that count are
        // common; once it has refused more hosts than a quarter of the account's list for that
        // count (a refused host costs the walk about four times what reading a listed one
        // does), the list is read instead, and a list of 64 hosts or fewer is read at once.
        // Level 0 is listed only for an account on half the hosts or more. Both ways give the
        // same candidates.
        let levels = accountLevels[Int(account)]
        let ownLevel = context.currentHost.map { context.accountCount($0, in: self) }
        let highest = max(levels.hosts.count - 1, ownLevel ?? 0)
        // A plain loop: a closed range's iterator cost an outlined copy and destroy per level.
        var level = -1
        while level < highest {
            level += 1
            let listed = level > 0 || levels.listsEmptyHosts
            var size = listed ? levels.hosts(at: level).count : hosts.count - levels.holdingCount
            if level == ownLevel { size += 1 }
            guard size > 0 else { continue }
            // The acceptance test is written out at each call: a closure stored in a local would
            // capture a copy of the whole pool on every decision.
            let candidates: [Int32]
            if listed, size <= 64 {
                candidates = select(from: levels.hosts(at: level), including: level == ownLevel ? context.currentHost : nil, context) {
                    context.accountCount($0, in: self) == level && context.passes($0, in: self, spreading: false)
                }
            } else if let walked = walk(tree, context, level: level, maxRejections: listed ? size / 4 : nil) {
                candidates = walked
            } else {
                // The walk refused too many hosts at other counts: read the list.
                candidates = select(from: levels.hosts(at: level), including: level == ownLevel ? context.currentHost : nil, context) {
                    context.accountCount($0, in: self) == level && context.passes($0, in: self, spreading: false)
                }
            }
            if !candidates.isEmpty { return candidates }
        }
        return []
    }

    /// The strongest resource weigher's order yields up to K hosts that pass every filter
    /// (and, with `level`, hold exactly that many of the account's servers): all of them when
    /// there are at most K, so the result then equals a full scan. When it fills K, each other
    /// resource weigher adds its own best ⌈K/d⌉, so a host that is strong in CPU or disk but not
    /// in RAM still competes on the combined weight.
    /// - Complexity: O(K log H) plus the hosts refused on the way.
    /// - Returns: nil when `maxRejections` is set and more hosts than that were refused (the
    ///   walk then stops at once: every later host is taken and the result dropped).
    private func walk(_ tree: CapacityTree, _ context: SelectionContext, level: Int?, maxRejections: Int?) -> [Int32]? {
        let limit = policy.candidateLimit
        let orders = resourceOrders
        let filter = WalkFilter(pool: self, context: context, level: level)
        var list = CandidateList(maxRejections: maxRejections ?? .max)
        for (position, order) in orders.enumerated() {
            let share = position == 0 ? limit : (limit + orders.count - 1) / orders.count
            tree.candidates(fitting: context.need, order: order, limit: share, filter: filter, into: &list)
            if list.overRejected { return nil }
            if position == 0 && list.hosts.count < limit { break }
        }
        return list.hosts
    }

    /// ``walk(_:_:level:maxRejections:)``'s acceptance test. It holds a copy of the pool (one
    /// per decision's walk: its arrays retained, not copied).
    private struct WalkFilter: CandidateFilter {
        let pool: HostPool
        let context: SelectionContext
        let level: Int?

        func accepts(_ host: Int32) -> Bool {
            if let level, context.accountCount(host, in: pool) != level { return false }
            return context.passes(host, in: pool, spreading: false)
        }
    }

    /// ``walk(_:_:level:maxRejections:)``'s candidates from a list of hosts instead of the tree: per
    /// order, the first hosts `accept` takes in (ordering value, host order), exactly as the walk
    /// would reach them (the tree orders by the same clamped free values, and its slots follow
    /// host order).
    /// - Complexity: O(n·K) for n listed hosts, usually O(n).
    private func select(from listed: [Int32], including extra: Int32?, _ context: SelectionContext, accept: (Int32) -> Bool) -> [Int32] {
        var passing = listed.filter(accept)
        if let extra, !listed.contains(extra), accept(extra) { passing.append(extra) }
        var candidates: [Int32] = []
        let limit = policy.candidateLimit
        let orders = resourceOrders
        for (position, order) in orders.enumerated() {
            let share = position == 0 ? limit : (limit + orders.count - 1) / orders.count
            // The `share` first by (key, host), kept sorted by bounded insertion.
            var best: [(key: Int, host: Int32)] = []
            best.reserveCapacity(share + 1)
            for host in passing {
                let entry = (key: orderKey(host, order), host: host)
                if best.count == share, let last = best.last, !(entry.key < last.key || (entry.key == last.key && entry.host < last.host)) { continue }
                var index = best.count
                while index > 0, entry.key < best[index - 1].key || (entry.key == best[index - 1].key && entry.host < best[index - 1].host) { index -= 1 }
                best.insert(entry, at: index)
                if best.count > share { best.removeLast() }
            }
            for entry in best where position == 0 || !candidates.contains(entry.host) { candidates.append(entry.host) }
            if position == 0 && candidates.count < limit { break }
        }
        return candidates
    }

    /// A host's place in a capacity-tree order: its free amount of the order's dimension as the
    /// tree stores it (clamped to 32 bits), negated for most-free-first; 0 for host order.
    private func orderKey(_ host: Int32, _ order: CapacityTree.Order) -> Int {
        guard let dimension = order.dimension else { return 0 }
        let free = hosts[Int(host)].free
        let value: Int
        switch dimension {
        case .vcpus: value = free.vcpus
        case .memory: value = free.memoryMiB
        case .disk: value = free.diskGiB
        }
        let clamped = Int(Int32(clamping: value))
        return order.descending ? -clamped : clamped
    }

    /// The hosts among `hostsHolding` with the fewest of the account's servers, in host order.
    /// One pass keeps the fewest so far; only those are sorted (``rank(_:_:keeping:)`` does not
    /// depend on the order, but the candidates are kept in host order all the same, so no
    /// dictionary order is ever in sight of a decision).
    /// - Complexity: O(n + f log f) for n hosts and f of them kept.
    private func fewestOfAccount(_ hostsHolding: some Sequence<Int32>, _ context: SelectionContext) -> [Int32] {
        var fewest = Int.max
        var kept: [Int32] = []
        for host in hostsHolding {
            let count = context.accountCount(host, in: self)
            if count < fewest {
                fewest = count
                kept.removeAll(keepingCapacity: true)
            }
            if count == fewest { kept.append(host) }
        }
        return Self.inHostOrder(kept, hostCount: hosts.count)
    }

    /// Distinct host indices in ascending order: a comparison sort for a few, a bitmap pass
    /// for many (strict spreading's fallback can keep every host).
    /// - Complexity: O(n log n) for n ≤ 64 hosts, else O(n + H/64).
    static func inHostOrder(_ hosts: [Int32], hostCount: Int) -> [Int32] {
        guard hosts.count > 64 else { return hosts.sorted() }
        var words = [UInt64](repeating: 0, count: (hostCount + 63) / 64)
        for host in hosts where Int(host) < hostCount && host >= 0 { words[Int(host) >> 6] |= 1 << UInt64(host & 63) }
        var ordered: [Int32] = []
        ordered.reserveCapacity(hosts.count)
        for (index, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                ordered.append(Int32(index * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return ordered
    }

    /// The first `keeping` candidates by total weight (highest first), ties by host order.
    ///
    /// Each weigher fills one scratch array with its raw values and adds its normalised
    /// weight to the totals (the same operations in the same order as weighing host by host,
    /// so the totals are bit-identical). (total, host) is a strict order, so the result does
    /// not depend on the order of `candidates`. A few candidates are sorted; many (strict
    /// spreading's fallback can hand over every host) go through a bounded insertion that keeps
    /// only the best `keeping`.
    /// - Complexity: O(c·w + c log c) for c candidates and w active weighers; O(c·w + c·k)
    ///   when c > 4k.
    func rank(_ candidates: [Int32], _ context: SelectionContext, keeping: Int) -> [Int32] {
        // The totals and one weigher's raw values share one scratch allocation on the stack.
        let count = candidates.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, 2 * count)) { scratch in
            let totals = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            let raw = UnsafeMutableBufferPointer(rebasing: scratch[count..<(2 * count)])
            totals.initialize(repeating: 0)
            raw.initialize(repeating: 0)
            if policy.ramWeightMultiplier != 0 {
                for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].free.memoryMiB) }
                Self.addNormalized(raw, to: totals, multiplier: policy.ramWeightMultiplier, minimumIsZero: true)
            }
            if policy.cpuWeightMultiplier != 0 {
                for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].free.vcpus) }
                Self.addNormalized(raw, to: totals, multiplier: policy.cpuWeightMultiplier, minimumIsZero: true)
            }
            if policy.diskWeightMultiplier != 0 {
                for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].free.diskGiB) }
                Self.addNormalized(raw, to: totals, multiplier: policy.diskWeightMultiplier, minimumIsZero: true)
            }
            if let group = context.groupKey, let policyKind = context.groupPolicy {
                if policyKind == .softAffinity {
                    for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].count(ofGroup: group)) }
                    Self.addNormalized(raw, to: totals, multiplier: policy.softAffinityWeightMultiplier, minimumIsZero: false)
                } else if policyKind == .softAntiAffinity {
                    for (position, host) in candidates.enumerated() { raw[position] = -Double(hosts[Int(host)].count(ofGroup: group)) }
                    Self.addNormalized(raw, to: totals, multiplier: policy.softAntiAffinityWeightMultiplier, minimumIsZero: false)
                }
            }
            if policy.buildFailureWeightMultiplier != 0 {
                for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].buildFailures) }
                Self.addNormalized(raw, to: totals, multiplier: policy.buildFailureWeightMultiplier, minimumIsZero: false)
            }
            if policy.numInstancesWeightMultiplier != 0 {
                for (position, host) in candidates.enumerated() { raw[position] = Double(hosts[Int(host)].instances) }
                Self.addNormalized(raw, to: totals, multiplier: policy.numInstancesWeightMultiplier, minimumIsZero: false)
            }
            if case .weighted(let multiplier) = policy.accountSpreading {
                for (position, host) in candidates.enumerated() { raw[position] = -Double(context.accountCount(host, in: self)) }
                Self.addNormalized(raw, to: totals, multiplier: multiplier, minimumIsZero: false)
            }
            // Hosts are distinct, so (total descending, host ascending) is a strict order: any sort
            // gives the same result.
            func precedes(_ a: (total: Double, host: Int32), _ b: (total: Double, host: Int32)) -> Bool {
                a.total != b.total ? a.total > b.total : a.host < b.host
            }
            let keeping = max(1, keeping)
            var weighed: [(total: Double, host: Int32)] = []
            if count > 4 * keeping {
                weighed.reserveCapacity(keeping + 1)
                for (position, host) in candidates.enumerated() {
                    let entry = (total: totals[position], host: host)
                    if weighed.count == keeping, let last = weighed.last, !precedes(entry, last) { continue }
                    var slot = weighed.count
                    while slot > 0 && precedes(entry, weighed[slot - 1]) { slot -= 1 }
                    weighed.insert(entry, at: slot)
                    if weighed.count > keeping { weighed.removeLast() }
                }
                return weighed.map(\.host)
            }
            weighed.reserveCapacity(count)
            for (position, host) in candidates.enumerated() { weighed.append((totals[position], host)) }
            weighed.sort(by: precedes)
            return weighed.map(\.host)
        }
    }

    /// Adds one weigher's normalised weights to `totals`: Nova's normalisation over the
    /// candidates (from 0, or from the minimum, to the maximum; all equal adds nothing).
    /// - Complexity: O(c).
    static func addNormalized(_ raw: UnsafeMutableBufferPointer<Double>, to totals: UnsafeMutableBufferPointer<Double>, multiplier: Double, minimumIsZero: Bool)
    {
        guard multiplier != 0, let maximum = raw.max(), let rawMinimum = raw.min() else { return }
        let minimum = minimumIsZero ? 0 : rawMinimum
        guard maximum != minimum else { return }
        let range = maximum - minimum
        for index in raw.indices { totals[index] += multiplier * ((raw[index] - minimum) / range) }
    }

    /// Counts, by the first filter that rejects each host, why no host passed.
    /// - Complexity: O(H).
    func eliminations(_ context: SelectionContext) -> NoValidHost {
        var counts: [PlacementFilter: Int] = [:]
        var considered = 0
        for index in hosts.indices where !hosts[index].isRemoved {
            considered += 1
            if let filter = context.firstFailingFilter(Int32(index), in: self) { counts[filter, default: 0] += 1 }
        }
        let eliminated = PlacementFilter.allCases.compactMap { filter in counts[filter].map { (filter: filter, hosts: $0) } }
        return NoValidHost(eliminated: eliminated, hostCount: considered)
    }
}
