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
    /// Transfers by id (nil once finished or cancelled). Ids of finished transfers are reused,
    /// so memory follows the transfers in flight, not all there ever were.
    private(set) var slots: [Transfer?] = []
    private var freeIDs: [Int32] = []
    /// Ids of active transfers, in start order.
    private var active: [Int32] = []
    /// When the remaining bytes were last brought up to date.
    private(set) var updatedAt = SimTime.zero
    /// Bytes moved over each link so far (for utilisation).
    private(set) var bytesMoved: [Double] = []

    /// Active transfers by id (for tests and reports).
    var transfers: [Int32: Transfer] {
        var map: [Int32: Transfer] = [:]
        for id in active { map[id] = slots[Int(id)] }
        return map
    }

    mutating func addLink(bytesPerSecond: Double) -> Int32 {
        capacities.append(bytesPerSecond)
        bytesMoved.append(0)
        return Int32(capacities.count - 1)
    }

    /// Starts a transfer at `now` (after bringing the others up to date) and recomputes rates.
    mutating func start(owner: Int32, bytes: Double, links: [Int32], now: SimTime) -> Int32 {
        settle(to: now)
        let transfer = Transfer(owner: owner, links: links, remaining: max(0, bytes), total: max(0, bytes))
        let id: Int32
        if let reused = freeIDs.popLast() {
            id = reused
            slots[Int(id)] = transfer
        } else {
            id = Int32(slots.count)
            slots.append(transfer)
        }
        active.append(id)
        recomputeRates()
        return id
    }

    /// Stops a transfer (its server was deleted or failed) and recomputes rates.
    mutating func cancel(_ id: Int32, now: SimTime) {
        guard Int(id) < slots.count, slots[Int(id)] != nil else { return }
        settle(to: now)
        slots[Int(id)] = nil
        freeIDs.append(id)
        active.removeAll { $0 == id }
        recomputeRates()
    }

    /// Brings every transfer's remaining bytes up to `now` at the current rates.
    mutating func settle(to now: SimTime) {
        let seconds = Double((now - updatedAt).nanoseconds) / 1e9
        updatedAt = max(updatedAt, now)
        guard seconds > 0 else { return }
        for id in active {
            guard let transfer = slots[Int(id)] else { continue }
            let moved = min(transfer.remaining, transfer.rate * seconds)
            slots[Int(id)]!.remaining -= moved
            for link in transfer.links { bytesMoved[Int(link)] += moved }
        }
    }

    /// The earliest finish among active transfers, and which transfers finish then.
    func nextFinish() -> (time: SimTime, ids: [Int32])? {
        var best: Int64? = nil
        var ids: [Int32] = []
        for id in active {
            guard let transfer = slots[Int(id)] else { continue }
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

    /// Removes finished transfers (at `now`, after settling) and returns their owners, in start
    /// order; recomputes rates.
    mutating func finish(_ ids: [Int32], now: SimTime) -> [(id: Int32, owner: Int32)] {
        settle(to: now)
        var done: [(Int32, Int32)] = []
        for id in active where ids.contains(id) {
            guard let transfer = slots[Int(id)] else { continue }
            for link in transfer.links { bytesMoved[Int(link)] += transfer.remaining }  // the rounding crumb
            done.append((id, transfer.owner))
            slots[Int(id)] = nil
            freeIDs.append(id)
        }
        active.removeAll { slots[Int($0)] == nil }
        recomputeRates()
        return done
    }

    /// Fraction of a transfer done, 0...1.
    func fractionDone(_ id: Int32, at now: SimTime) -> Double {
        guard Int(id) < slots.count, let transfer = slots[Int(id)], transfer.total > 0 else { return 1 }
        let seconds = Double((now - updatedAt).nanoseconds) / 1e9
        let remaining = max(0, transfer.remaining - transfer.rate * max(0, seconds))
        return 1 - remaining / transfer.total
    }

    /// The current rate summed per link, for every link at once. O(active × links per transfer).
    func loads() -> [Double] {
        var sums = [Double](repeating: 0, count: capacities.count)
        for id in active { if let transfer = slots[Int(id)] { for link in transfer.links { sums[Int(link)] += transfer.rate } } }
        return sums
    }

    /// Max-min fair rates by progressive filling: repeatedly take the link whose fair share
    /// (spare capacity over unfrozen transfers) is smallest, give that share to its unfrozen
    /// transfers, and take it from their other links. A heap of (share, link) with versions
    /// keeps each round O(log links). O((transfers × k + links) log links).
    private mutating func recomputeRates() {
        var flowsOn = [[Int32]](repeating: [], count: capacities.count)
        var count = [Int](repeating: 0, count: capacities.count)
        for id in active {
            guard let transfer = slots[Int(id)] else { continue }
            for link in transfer.links {
                flowsOn[Int(link)].append(id)
                count[Int(link)] += 1
            }
        }
        var spare = capacities
        var version = [Int](repeating: 0, count: capacities.count)
        var frozen = [Bool](repeating: false, count: slots.count)
        var heap = MinHeap()
        for link in capacities.indices where count[link] > 0 { heap.push(share: spare[link] / Double(count[link]), link: link, version: 0) }
        while let top = heap.pop() {
            let link = top.link
            guard top.version == version[link], count[link] > 0 else { continue }
            let share = top.share
            for id in flowsOn[link] where !frozen[Int(id)] {
                frozen[Int(id)] = true
                slots[Int(id)]?.rate = share
                for other in slots[Int(id)]?.links ?? [] {
                    spare[Int(other)] = max(0, spare[Int(other)] - share)
                    count[Int(other)] -= 1
                    version[Int(other)] += 1
                    if Int(other) != link, count[Int(other)] > 0 {
                        heap.push(share: spare[Int(other)] / Double(count[Int(other)]), link: Int(other), version: version[Int(other)])
                    }
                }
            }
        }
        for id in active where !frozen[Int(id)] { slots[Int(id)]?.rate = 0 }  // on no link: never finishes by rate
    }

    /// A binary min-heap of (share, link, version), ties broken by link index.
    private struct MinHeap {
        private var items: [(share: Double, link: Int, version: Int)] = []

        private static func less(_ a: (share: Double, link: Int, version: Int), _ b: (share: Double, link: Int, version: Int)) -> Bool {
            a.share != b.share ? a.share < b.share : a.link < b.link
        }

        mutating func push(share: Double, link: Int, version: Int) {
            items.append((share, link, version))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> (share: Double, link: Int, version: Int)? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, Self.less(items[left], items[smallest]) { smallest = left }
                if right < items.count, Self.less(items[right], items[smallest]) { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
            return top
        }
    }
}
