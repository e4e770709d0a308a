/// A segment tree over a list of hosts (in host order) that answers "the first K hosts, in the
/// order of one free-resource dimension, that can hold this much" without visiting the rest.
///
/// Every node stores, over the available hosts below it, the maximum free vCPU, RAM and disk
/// (to prune subtrees where no host can fit a request) and the minimum of each (the ordering key
/// for packing). An unavailable slot (host down, disabled, removed, or not in this tree) has
/// maxima of `Int.min`, so it never fits.
///
/// ``candidates(fitting:order:limit:accept:)`` is a best-first walk: a small heap holds the
/// frontier nodes keyed by (bound of the ordering dimension, first slot), and since frontier
/// nodes cover disjoint slot ranges, leaves come out exactly in (value, host order) order.
///
/// - Complexity: `update` O(log H); a query expands O(K log H) nodes plus the leaves that `accept`
///   rejects (filters the tree cannot prune: groups, account spreading, image properties).
struct CapacityTree: Sendable {
    /// The free-resource dimension that orders candidates, and its direction.
    struct Order: Hashable, Sendable {
        enum Dimension: Int, Sendable {
            case vcpus = 0
            case memory = 1
            case disk = 2
        }
        var dimension: Dimension?
        /// True: most free first (spread). False: least free first (pack).
        var descending: Bool
    }

    private(set) var leafCount = 1
    /// Per node: max free of each dimension (3 values), then min free of each (3 values), as
    /// 32-bit values (``Host`` keeps effective capacities below 2^30) so a node is 24 bytes and
    /// both children of a node usually share a cache line.
    /// Node 1 is the root; leaves are nodes `leafCount ..< 2 * leafCount`.
    private var nodes: [Int32] = Array(repeating: 0, count: 12)
    /// Which host index sits in each used leaf slot.
    private(set) var hostAtSlot: [Int32] = []

    init() { setLeaf(0, nil) }

    private static let unavailable: (Int32, Int32, Int32) = (.min, .min, .min)

    /// Adds a slot for `host` and returns its index.
    /// - Complexity: O(log H) amortised (the tree doubles when full).
    mutating func appendSlot(host: Int32, free: Resources?) -> Int {
        let slot = hostAtSlot.count
        if slot >= leafCount { grow() }
        hostAtSlot.append(host)
        setLeaf(slot, free)
        return slot
    }

    /// Doubles the number of leaves, keeping every slot's values.
    private mutating func grow() {
        let oldLeaves = leafCount
        var leaves: [(Int32, Int32, Int32, Int32, Int32, Int32)] = []
        leaves.reserveCapacity(oldLeaves)
        for slot in 0..<oldLeaves {
            let node = (oldLeaves + slot) * 6
            leaves.append((nodes[node], nodes[node + 1], nodes[node + 2], nodes[node + 3], nodes[node + 4], nodes[node + 5]))
        }
        leafCount = oldLeaves * 2
        nodes = Array(repeating: 0, count: leafCount * 2 * 6)
        for slot in 0..<leafCount {
            let node = (leafCount + slot) * 6
            if slot < oldLeaves {
                let value = leaves[slot]
                (nodes[node], nodes[node + 1], nodes[node + 2], nodes[node + 3], nodes[node + 4], nodes[node + 5]) = value
            } else {
                (nodes[node], nodes[node + 1], nodes[node + 2]) = Self.unavailable
                (nodes[node + 3], nodes[node + 4], nodes[node + 5]) = (.max, .max, .max)
            }
        }
        for node in stride(from: leafCount - 1, through: 1, by: -1) { pull(node) }
    }

    private mutating func pull(_ node: Int) {
        let left = node * 2 * 6, right = (node * 2 + 1) * 6, target = node * 6
        nodes[target] = max(nodes[left], nodes[right])
        nodes[target + 1] = max(nodes[left + 1], nodes[right + 1])
        nodes[target + 2] = max(nodes[left + 2], nodes[right + 2])
        nodes[target + 3] = min(nodes[left + 3], nodes[right + 3])
        nodes[target + 4] = min(nodes[left + 4], nodes[right + 4])
        nodes[target + 5] = min(nodes[left + 5], nodes[right + 5])
    }

    /// Sets a slot's free resources (nil: unavailable) and updates its ancestors.
    /// - Complexity: O(log H).
    mutating func setLeaf(_ slot: Int, _ free: Resources?) {
        var node = leafCount + slot
        let base = node * 6
        if let free {
            let values = (Int32(clamping: free.vcpus), Int32(clamping: free.memoryMiB), Int32(clamping: free.diskGiB))
            (nodes[base], nodes[base + 1], nodes[base + 2]) = values
            (nodes[base + 3], nodes[base + 4], nodes[base + 5]) = values
        } else {
            (nodes[base], nodes[base + 1], nodes[base + 2]) = Self.unavailable
            (nodes[base + 3], nodes[base + 4], nodes[base + 5]) = (.max, .max, .max)
        }
        node >>= 1
        while node >= 1 {
            pull(node)
            node >>= 1
        }
    }

    @inline(__always)
    private func fits(_ node: Int, _ need: Resources) -> Bool {
        let base = node * 6
        return Int(nodes[base]) >= need.vcpus && Int(nodes[base + 1]) >= need.memoryMiB && Int(nodes[base + 2]) >= need.diskGiB
    }

    /// One frontier entry of a walk: a subtree, and its order as one 64-bit number, the ordering
    /// key (offset to unsigned) in the high half and the first slot it covers in the low half,
    /// so one comparison orders two entries. Slots are below 2^31, keys within ±2^31.
    private struct FrontierEntry {
        var order: UInt64
        var node: Int

        @inline(__always)
        init(key: Int, start: Int, node: Int) {
            order = UInt64(truncatingIfNeeded: key &+ (1 << 31)) << 32 | UInt64(truncatingIfNeeded: start)
            self.node = node
        }

        @inline(__always)
        func precedes(_ other: FrontierEntry) -> Bool { order < other.order }
    }

    /// A binary min-heap of frontier entries (a value on the stack: no closure captures it, so
    /// no dynamic exclusivity checks on the hot path).
    private struct FrontierHeap {
        private var entries: [FrontierEntry] = []

        init() { entries.reserveCapacity(64) }

        var minimum: FrontierEntry? { entries.first }

        mutating func push(_ entry: FrontierEntry) {
            entries.append(entry)
            var hole = entries.count &- 1
            while hole > 0 {
                let parent = (hole &- 1) >> 1
                guard entry.precedes(entries[parent]) else { break }
                entries[hole] = entries[parent]
                hole = parent
            }
            entries[hole] = entry
        }

        mutating func popMinimum() -> FrontierEntry? {
            guard let top = entries.first else { return nil }
            let last = entries.removeLast()
            let count = entries.count
            if count > 0 {
                var hole = 0
                while true {
                    var child = 2 &* hole &+ 1
                    if child >= count { break }
                    if child &+ 1 < count && entries[child &+ 1].precedes(entries[child]) { child &+= 1 }
                    guard entries[child].precedes(last) else { break }
                    entries[hole] = entries[child]
                    hole = child
                }
                entries[hole] = last
            }
            return top
        }
    }

    /// Calls `accept` with the host index of every slot that can hold `need`, in the order
    /// given (ties by slot), until `accept` has returned true `limit` times or no slot is left.
    ///
    /// A best-first walk: the frontier is a min-heap of disjoint subtrees. Expanding a subtree
    /// goes straight on into its better child whenever that child precedes everything on the
    /// frontier (the usual case on the way down to a leaf), so only the other child is pushed;
    /// the order of the leaves is exactly that of always popping the frontier's minimum.
    func candidates(fitting need: Resources, order: Order, limit: Int, accept: (Int32) -> Bool) {
        guard limit > 0, fits(1, need) else { return }
        // Where the ordering value sits in a node (max for most-free-first, min for
        // least-free-first) and its sign, so smaller keys always come first.
        let keyOffset: Int, keySign: Int
        if let dimension = order.dimension {
            keyOffset = order.descending ? dimension.rawValue : 3 + dimension.rawValue
            keySign = order.descending ? -1 : 1
        } else {
            keyOffset = 0
            keySign = 0
        }
        // Needs above the 32-bit range fit nowhere; clamping keeps that true.
        let (needCPU, needRAM, needDisk) = (Int32(clamping: need.vcpus), Int32(clamping: need.memoryMiB), Int32(clamping: need.diskGiB))
        let leafCount = self.leafCount
        let usedSlots = hostAtSlot.count
        nodes.withUnsafeBufferPointer { nodes in
            // The frontier: a binary min-heap of disjoint subtrees.
            var frontier = FrontierHeap()
            var current: FrontierEntry? = FrontierEntry(key: keySign &* Int(nodes[6 &+ keyOffset]), start: 0, node: 1)
            var accepted = 0
            while let top = current ?? frontier.popMinimum() {
                current = nil
                if top.node >= leafCount {
                    let slot = top.node &- leafCount
                    if slot < usedSlots, accept(hostAtSlot[slot]) {
                        accepted &+= 1
                        if accepted == limit { return }
                    }
                    continue
                }
                // A node's range width is leafCount >> depth; its right child starts half-way.
                let depth = Int.bitWidth &- 1 &- top.node.leadingZeroBitCount
                let half = (leafCount >> depth) >> 1
                let start = Int(truncatingIfNeeded: top.order & 0xFFFF_FFFF)
                var children: (FrontierEntry?, FrontierEntry?) = (nil, nil)
                for side in 0..<2 {
                    let child = top.node &* 2 &+ side
                    let base = child &* 6
                    if nodes[base] >= needCPU && nodes[base &+ 1] >= needRAM && nodes[base &+ 2] >= needDisk {
                        let entry = FrontierEntry(key: keySign &* Int(nodes[base &+ keyOffset]), start: start &+ side &* half, node: child)
                        if side == 0 { children.0 = entry } else { children.1 = entry }
                    }
                }
                // The better child goes on directly when nothing on the frontier precedes it.
                var better = children.0, other = children.1
                if let left = better, let right = other, right.precedes(left) { (better, other) = (right, left) }
                if better == nil { (better, other) = (other, nil) }
                if let other { frontier.push(other) }
                if let better {
                    if frontier.minimum.map({ better.precedes($0) }) ?? true { current = better } else { frontier.push(better) }
                }
            }
        }
    }

    /// A slot's free resources as stored, or nil when unavailable.
    func leaf(_ slot: Int) -> Resources? {
        let base = (leafCount + slot) * 6
        guard nodes[base] != .min else { return nil }
        return Resources(vcpus: Int(nodes[base]), memoryMiB: Int(nodes[base + 1]), diskGiB: Int(nodes[base + 2]))
    }

    /// Whether every internal node summarises its children exactly; for tests.
    func isConsistent() -> Bool {
        var copy = self
        for node in stride(from: leafCount - 1, through: 1, by: -1) { copy.pull(node) }
        return copy.nodes == nodes
    }
}
