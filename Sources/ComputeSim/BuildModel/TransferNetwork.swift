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
/// Cost: O(a·k log(a·k)) per start or finish for a active transfers crossing k links each.
struct TransferNetwork: Hashable, Sendable {
    struct Transfer: Hashable, Sendable {
        var owner: Int32
        var links: [Int32]
        var remaining: Double
        var rate: Double = 0
        var total: Double
        /// Its place in start order (ids are reused, so an id says nothing about order).
        var sequence: UInt64 = 0
    }

    /// Link capacities in bytes per second.
    private(set) var capacities: [Double] = []
    /// Transfers by id (nil once finished or cancelled). Ids of finished transfers are reused,
    /// so memory follows the transfers in flight, not all there ever were.
    private(set) var slots: [Transfer?] = []
    private var freeIDs: [Int32] = []
    /// Ids of active transfers, in start order.
    private var active: [Int32] = []
    /// Per link: ids of the active transfers crossing it, in start order.
    private var transfersOn: [[Int32]] = []
    /// The next transfer's ``Transfer/sequence``.
    private var nextSequence: UInt64 = 0
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
        transfersOn.append([])
        return Int32(capacities.count - 1)
    }

    /// Starts a transfer at `now` (after bringing the others up to date) and recomputes rates.
    mutating func start(owner: Int32, bytes: Double, links: [Int32], now: SimTime) -> Int32 {
        settle(to: now)
        var transfer = Transfer(owner: owner, links: links, remaining: max(0, bytes), total: max(0, bytes))
        transfer.sequence = nextSequence
        nextSequence += 1
        let id: Int32
        if let reused = freeIDs.popLast() {
            id = reused
            slots[Int(id)] = transfer
        } else {
            id = Int32(slots.count)
            slots.append(transfer)
        }
        active.append(id)
        for link in links where Int(link) < transfersOn.count { transfersOn[Int(link)].append(id) }
        recomputeRates(around: links)
        return id
    }

    /// Stops a transfer (its server was deleted or failed) and recomputes rates.
    mutating func cancel(_ id: Int32, now: SimTime) {
        guard Int(id) < slots.count, slots[Int(id)] != nil else { return }
        settle(to: now)
        let links = slots[Int(id)]?.links ?? []
        slots[Int(id)] = nil
        freeIDs.append(id)
        active.removeAll { $0 == id }
        for link in links where Int(link) < transfersOn.count { transfersOn[Int(link)].removeAll { $0 == id } }
        recomputeRates(around: links)
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
        var touched: [Int32] = []
        for id in active where ids.contains(id) {
            guard let transfer = slots[Int(id)] else { continue }
            for link in transfer.links { bytesMoved[Int(link)] += transfer.remaining }  // the rounding crumb
            done.append((id, transfer.owner))
            touched.append(contentsOf: transfer.links)
            slots[Int(id)] = nil
            freeIDs.append(id)
        }
        active.removeAll { slots[Int($0)] == nil }
        for link in touched where Int(link) < transfersOn.count { transfersOn[Int(link)].removeAll { slots[Int($0)] == nil } }
        recomputeRates(around: touched)
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
    /// keeps each round O(log links).
    ///
    /// Only the links some active transfer crosses take part, numbered densely in link order,
    /// so a recompute costs O(a·k log(a·k)) for a active transfers of k links each, whatever
    /// the number of hosts (per-link tables over every link made it O(links) per start and
    /// finish: the boot storm spent most of its time there). Transfers are visited in start
    /// order and links in each transfer's order, as before, so every subtraction happens in the
    /// same order and the rates are the same to the bit.
    private mutating func recomputeRates(around seeds: [Int32]) {
        // Max-min fairness decides each connected part of the transfer/link graph on its own,
        // and the filling below does the same arithmetic in the same order within a part
        // whether or not other parts are present. So only the part holding the links that
        // changed is recomputed: the transfers reachable from `seeds` through shared links.
        var linkSeen = Set(seeds)
        var transferSeen = Set<Int32>()
        var queue = seeds
        var members: [Int32] = []
        while let link = queue.popLast() {
            guard Int(link) >= 0, Int(link) < transfersOn.count else { continue }
            for id in transfersOn[Int(link)] where transferSeen.insert(id).inserted {
                members.append(id)
                for other in slots[Int(id)]?.links ?? [] where linkSeen.insert(other).inserted { queue.append(other) }
            }
        }
        members.sort { (slots[Int($0)]?.sequence ?? 0) < (slots[Int($1)]?.sequence ?? 0) }
        fillRates(members)
    }

    /// Progressive filling over `members` (active transfers, in start order) and their links.
    private mutating func fillRates(_ active: [Int32]) {
        // The links in use, ascending, and each transfer's links as dense numbers.
        var used: [Int32] = []
        for id in active { if let transfer = slots[Int(id)] { used.append(contentsOf: transfer.links) } }
        used.sort()
        var write = 0
        for link in used where write == 0 || used[write - 1] != link {
            used[write] = link
            write += 1
        }
        used.removeLast(used.count - write)
        func dense(_ link: Int32) -> Int {
            var low = 0, high = used.count
            while low < high {
                let middle = (low + high) / 2
                if used[middle] < link { low = middle + 1 } else { high = middle }
            }
            return low
        }
        // Per active transfer (by position in `active`): its dense links, flattened.
        var linkStart = [Int](repeating: 0, count: active.count + 1)
        var denseLinks: [Int] = []
        var count = [Int](repeating: 0, count: used.count)
        for (position, id) in active.enumerated() {
            if let transfer = slots[Int(id)] {
                for link in transfer.links {
                    let local = dense(link)
                    denseLinks.append(local)
                    count[local] += 1
                }
            }
            linkStart[position + 1] = denseLinks.count
        }
        // The transfers on each link, in start order (flattened by link).
        var flowStart = [Int](repeating: 0, count: used.count + 1)
        for local in used.indices { flowStart[local + 1] = flowStart[local] + count[local] }
        var fill = flowStart
        var flows = [Int](repeating: 0, count: denseLinks.count)
        for position in active.indices {
            for entry in linkStart[position]..<linkStart[position + 1] {
                let local = denseLinks[entry]
                flows[fill[local]] = position
                fill[local] += 1
            }
        }
        var spare = used.map { capacities[Int($0)] }
        var version = [Int](repeating: 0, count: used.count)
        var frozen = [Bool](repeating: false, count: active.count)
        var heap = MinHeap()
        for local in used.indices where count[local] > 0 { heap.push(share: spare[local] / Double(count[local]), link: local, version: 0) }
        while let top = heap.pop() {
            let link = top.link
            guard top.version == version[link], count[link] > 0 else { continue }
            let share = top.share
            for flow in flowStart[link]..<flowStart[link + 1] {
                let position = flows[flow]
                guard !frozen[position] else { continue }
                frozen[position] = true
                slots[Int(active[position])]?.rate = share
                for entry in linkStart[position]..<linkStart[position + 1] {
                    let other = denseLinks[entry]
                    spare[other] = max(0, spare[other] - share)
                    count[other] -= 1
                    version[other] += 1
                    if other != link, count[other] > 0 {
                        heap.push(share: spare[other] / Double(count[other]), link: other, version: version[other])
                    }
                }
            }
        }
        for (position, id) in active.enumerated() where !frozen[position] { slots[Int(id)]?.rate = 0 }  // on no link: never finishes by rate
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
