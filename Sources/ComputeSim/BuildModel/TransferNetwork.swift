/// Transfers (image downloads, disk writes, disk copies) sharing links fairly, in simulated
/// time: each transfer moves a number of bytes across one or two links (a host's network link,
/// the image store's egress, a host's disk), and every link's capacity is divided max-min
/// fairly among the transfers crossing it (progressive filling: the most constrained link
/// first; a transfer limited elsewhere leaves its unused share to the others).
///
/// Rates are recomputed whenever a transfer starts or finishes, so two equal downloads on one
/// link each take exactly twice as long as one alone. A transfer's finish time is its remaining
/// bytes over its rate, rounded up to the nanosecond.
///
/// Cost: O(transfers × links per transfer × bottleneck rounds) per start or finish.
struct TransferNetwork: Hashable, Sendable {
    struct Transfer: Hashable, Sendable {
        var owner: Int32
        var links: [Int32]
        var remaining: Double
        var rate: Double = 0
        var total: Double
    }

    /// Link capacities in bytes per second.
    private(set) var capacities: [Double] = []
    /// Active transfers by id, and the order ids were issued in (for determinism).
    private(set) var transfers: [Int32: Transfer] = [:]
    private var order: [Int32] = []
    private var nextID: Int32 = 0
    /// When the remaining bytes were last brought up to date.
    private(set) var updatedAt = SimTime.zero
    /// Bytes moved over each link so far (for utilisation).
    private(set) var bytesMoved: [Double] = []

    mutating func addLink(bytesPerSecond: Double) -> Int32 {
        capacities.append(bytesPerSecond)
        bytesMoved.append(0)
        return Int32(capacities.count - 1)
    }

    /// Starts a transfer at `now` (after bringing the others up to date) and recomputes rates.
    mutating func start(owner: Int32, bytes: Double, links: [Int32], now: SimTime) -> Int32 {
        settle(to: now)
        let id = nextID
        nextID += 1
        transfers[id] = Transfer(owner: owner, links: links, remaining: max(0, bytes), total: max(0, bytes))
        order.append(id)
        recomputeRates()
        return id
    }

    /// Stops a transfer (its server was deleted or failed) and recomputes rates.
    mutating func cancel(_ id: Int32, now: SimTime) {
        guard transfers[id] != nil else { return }
        settle(to: now)
        transfers[id] = nil
        order.removeAll { $0 == id }
        recomputeRates()
    }

    /// Brings every transfer's remaining bytes up to `now` at the current rates.
    mutating func settle(to now: SimTime) {
        let seconds = Double((now - updatedAt).nanoseconds) / 1e9
        updatedAt = max(updatedAt, now)
        guard seconds > 0 else { return }
        for id in order {
            guard var transfer = transfers[id] else { continue }
            let moved = min(transfer.remaining, transfer.rate * seconds)
            transfer.remaining -= moved
            for link in transfer.links { bytesMoved[Int(link)] += moved }
            transfers[id] = transfer
        }
    }

    /// The earliest finish among active transfers, and which transfers finish then.
    func nextFinish() -> (time: SimTime, ids: [Int32])? {
        var best: Int64? = nil
        var ids: [Int32] = []
        for id in order {
            guard let transfer = transfers[id] else { continue }
            let nanoseconds: Int64
            if transfer.remaining <= 0 {
                nanoseconds = 0
            } else if transfer.rate > 0 {
                nanoseconds = Int64(min(9e18, (transfer.remaining / transfer.rate * 1e9).rounded(.up)))
            } else {
                continue
            }
            if best == nil || nanoseconds < best! {
                best = nanoseconds
                ids = [id]
            } else if nanoseconds == best! {
                ids.append(id)
            }
        }
        guard let best else { return nil }
        return (updatedAt + SimDuration(nanoseconds: best), ids)
    }

    /// Removes finished transfers (at `now`, after settling) and returns their owners' ids in
    /// start order; recomputes rates.
    mutating func finish(_ ids: [Int32], now: SimTime) -> [(id: Int32, owner: Int32)] {
        settle(to: now)
        var done: [(Int32, Int32)] = []
        for id in order where ids.contains(id) {
            if let transfer = transfers[id] {
                for link in transfer.links { bytesMoved[Int(link)] += transfer.remaining }  // the rounding crumb
                done.append((id, transfer.owner))
            }
            transfers[id] = nil
        }
        order.removeAll { ids.contains($0) }
        recomputeRates()
        return done
    }

    /// Fraction of a transfer done, 0...1.
    func fractionDone(_ id: Int32, at now: SimTime) -> Double {
        guard let transfer = transfers[id], transfer.total > 0 else { return 1 }
        let seconds = Double((now - updatedAt).nanoseconds) / 1e9
        let remaining = max(0, transfer.remaining - transfer.rate * max(0, seconds))
        return 1 - remaining / transfer.total
    }

    /// The sum of current rates over each link, in bytes per second.
    func load(of link: Int32) -> Double {
        order.reduce(0) { sum, id in
            guard let transfer = transfers[id], transfer.links.contains(link) else { return sum }
            return sum + transfer.rate
        }
    }

    /// Max-min fair rates by progressive filling.
    private mutating func recomputeRates() {
        var unfrozen = order.filter { transfers[$0] != nil }
        var spare = capacities
        while !unfrozen.isEmpty {
            var users = [Int](repeating: 0, count: capacities.count)
            for id in unfrozen { for link in transfers[id]!.links { users[Int(link)] += 1 } }
            // The bottleneck: the smallest fair share among links still in use.
            var share = Double.infinity
            for (link, count) in users.enumerated() where count > 0 { share = min(share, spare[link] / Double(count)) }
            guard share.isFinite else {
                for id in unfrozen { transfers[id]!.rate = 0 }  // transfers on no link never finish by rate
                break
            }
            var stillUnfrozen: [Int32] = []
            for id in unfrozen {
                let links = transfers[id]!.links
                let bottlenecked = links.contains { users[Int($0)] > 0 && abs(spare[Int($0)] / Double(users[Int($0)]) - share) <= share * 1e-12 }
                if bottlenecked {
                    transfers[id]!.rate = share
                    for link in links { spare[Int(link)] = max(0, spare[Int(link)] - share) }
                } else {
                    stillUnfrozen.append(id)
                }
            }
            unfrozen = stillUnfrozen
        }
    }
}
