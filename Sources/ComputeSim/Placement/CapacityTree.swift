/// A segment tree over a list of hosts (in host order) that answers "the first K hosts, in the
/// order of one free-resource dimension, that can hold this much" without visiting the rest.
///
/// Every node stores, over the available hosts below it, the maximum free vCPU, RAM and disk
/// (to prune subtrees where no host can fit a request) and the minimum of each (the ordering key
/// for packing). An unavailable slot (host down, disabled, removed, or not in this tree) has
/// maxima of `Int.min`, so it never fits.
///
/// ``candidates(fitting:order:limit:accept:)`` is a best-first walk by rounds of equal bound:
/// frontier nodes cover disjoint slot ranges, so leaves come out exactly in (value, host order)
/// order.
///
/// - Complexity: `update` O(log H), stopping early where an ancestor's summary does not change; a
///   query expands O(K log H) nodes plus the leaves that `accept` rejects (filters the tree
///   cannot prune: groups, account spreading, image properties).
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

    private mutating func pull(_ node: Int) { _ = pullChanged(node) }

    /// Recomputes a node's summary from its children; false when it did not change (so no
    /// ancestor's can either).
    @inline(__always)
    private mutating func pullChanged(_ node: Int) -> Bool {
        nodes.withUnsafeMutableBufferPointer { nodes in
            let left = node &* 12, right = left &+ 6, target = node &* 6
            let summary = (
                max(nodes[left], nodes[right]), max(nodes[left &+ 1], nodes[right &+ 1]), max(nodes[left &+ 2], nodes[right &+ 2]),
                min(nodes[left &+ 3], nodes[right &+ 3]), min(nodes[left &+ 4], nodes[right &+ 4]), min(nodes[left &+ 5], nodes[right &+ 5])
            )
            if summary.0 == nodes[target] && summary.1 == nodes[target &+ 1] && summary.2 == nodes[target &+ 2]
                && summary.3 == nodes[target &+ 3] && summary.4 == nodes[target &+ 4] && summary.5 == nodes[target &+ 5]
            {
                return false
            }
            (nodes[target], nodes[target &+ 1], nodes[target &+ 2]) = (summary.0, summary.1, summary.2)
            (nodes[target &+ 3], nodes[target &+ 4], nodes[target &+ 5]) = (summary.3, summary.4, summary.5)
            return true
        }
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
        while node >= 1 && pullChanged(node) { node >>= 1 }
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

        init() {}

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
    /// The walk goes by rounds, one per ordering value: a round takes the frontier subtrees
    /// whose bound is the best left (in slot order; they are disjoint) and explores each depth
    /// first, left child first, descending only into children with that same bound. Every leaf
    /// such a descent reaches holds exactly the round's value, so leaves come out in (value,
    /// slot) order, exactly as popping a best-first heap would give them. Children with a worse
    /// bound are set aside unsorted for later rounds: hosts tied on the ordering value (the usual
    /// case: many equally empty hosts) cost a few node visits each and no heap operation. After
    /// ``roundsBeforeHeap`` rounds with a large frontier, or once more than ``frontierCapacity``
    /// subtrees are set aside, they go into a binary heap and the walk pops one subtree per
    /// round, so many distinct values cannot make it quadratic. All scratch space is on the
    /// stack: a walk allocates nothing until it needs the heap.
    ///
    /// - Complexity: O(K log H) node visits for K leaves reached, plus O(F) per round for a
    ///   frontier of F subtrees in the first rounds, O(log F) per subtree after.
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
        // Scratch space on the stack: the depth-first stack never holds more than one node per
        // level plus one; the unsorted frontier and a round hold at most `frontierCapacity`
        // subtrees (more switch the walk to a heap).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { stack in
            withUnsafeTemporaryAllocation(of: FrontierEntry.self, capacity: Self.frontierCapacity * 2) { scratch in
                nodes.withUnsafeBufferPointer { nodes in
                    hostAtSlot.withUnsafeBufferPointer { hostAtSlot in
                        // The subtrees set aside for later rounds: unsorted in `scratch[0..<pendingCount]`
                        // at first, in `heap` once there are too many or the walk is many rounds long.
                        var pendingCount = 1
                        scratch.initializeElement(at: 0, to: FrontierEntry(key: keySign &* Int(nodes[6 &+ keyOffset]), start: 0, node: 1))
                        var heap = FrontierHeap()
                        var usingHeap = false
                        // The round's subtrees: `scratch[roundBase ..< roundBase + roundCount]`.
                        let roundBase = Self.frontierCapacity
                        var accepted = 0
                        var rounds = 0
                        while true {
                            var roundCount = 0
                            if usingHeap {
                                guard let first = heap.popMinimum() else { return }
                                scratch.initializeElement(at: roundBase, to: first)
                                roundCount = 1
                            } else {
                                guard pendingCount > 0 else { return }
                                var least = scratch[0].order
                                for index in 1..<pendingCount where scratch[index].order < least { least = scratch[index].order }
                                let leastKey = least >> 32
                                var kept = 0
                                for index in 0..<pendingCount {
                                    let entry = scratch[index]
                                    if entry.order >> 32 == leastKey {
                                        scratch[roundBase &+ roundCount] = entry
                                        roundCount &+= 1
                                    } else {
                                        scratch[kept] = entry
                                        kept &+= 1
                                    }
                                }
                                pendingCount = kept
                                if roundCount > 1 {
                                    // Insertion sort by first slot: a round is usually one or two subtrees.
                                    for index in (roundBase &+ 1)..<(roundBase &+ roundCount) {
                                        let entry = scratch[index]
                                        var hole = index
                                        while hole > roundBase && entry.order < scratch[hole &- 1].order {
                                            scratch[hole] = scratch[hole &- 1]
                                            hole &-= 1
                                        }
                                        scratch[hole] = entry
                                    }
                                }
                            }
                            for roundIndex in roundBase..<(roundBase &+ roundCount) {
                                let entry = scratch[roundIndex]
                                let roundKey = Int(truncatingIfNeeded: entry.order >> 32) &- (1 << 31)
                                stack[0] = entry.node
                                var depthFirst = 1
                                while depthFirst > 0 {
                                    depthFirst &-= 1
                                    let node = stack[depthFirst]
                                    if node >= leafCount {
                                        let slot = node &- leafCount
                                        if slot < usedSlots, accept(hostAtSlot[slot]) {
                                            accepted &+= 1
                                            if accepted == limit { return }
                                        }
                                        continue
                                    }
                                    // Right child first onto the stack, so the left one is explored first.
                                    var child = node &* 2 &+ 1
                                    while child >= node &* 2 {
                                        let base = child &* 6
                                        defer { child &-= 1 }
                                        guard nodes[base] >= needCPU && nodes[base &+ 1] >= needRAM && nodes[base &+ 2] >= needDisk else { continue }
                                        let key = keySign &* Int(nodes[base &+ keyOffset])
                                        if key == roundKey {
                                            stack[depthFirst] = child
                                            depthFirst &+= 1
                                            continue
                                        }
                                        // A worse bound: set aside, with the first slot it covers.
                                        let depth = Int.bitWidth &- 1 &- child.leadingZeroBitCount
                                        let start = (child &- (1 &<< depth)) &* (leafCount >> depth)
                                        let aside = FrontierEntry(key: key, start: start, node: child)
                                        if !usingHeap && pendingCount == Self.frontierCapacity {
                                            for index in 0..<pendingCount { heap.push(scratch[index]) }
                                            pendingCount = 0
                                            usingHeap = true
                                        }
                                        if usingHeap {
                                            heap.push(aside)
                                        } else {
                                            scratch[pendingCount] = aside
                                            pendingCount &+= 1
                                        }
                                    }
                                }
                            }
                            rounds &+= 1
                            if !usingHeap && rounds >= Self.roundsBeforeHeap && pendingCount > Self.frontierBeforeHeap {
                                for index in 0..<pendingCount { heap.push(scratch[index]) }
                                pendingCount = 0
                                usingHeap = true
                            }
                        }
                    }
                }
            }
        }
    }

    /// How many set-aside subtrees the unsorted frontier holds before the walk switches to a heap.
    static let frontierCapacity = 256

    /// Rounds a walk makes with an unsorted frontier before it switches to a heap (when the
    /// frontier holds more than ``frontierBeforeHeap`` subtrees).
    static let roundsBeforeHeap = 8
    static let frontierBeforeHeap = 32

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
