// The capacity tree's walk: hosts that fit a need, in the order of one free-resource dimension.

/// The test a capacity-tree walk puts each fitting host to, in the walk's order. A borrowed
/// value rather than a closure: a closure that reads the host pool captures a copy of it, and
/// once the walk is not inlined into its caller, every call copied the whole pool.
protocol CandidateFilter {
    /// Whether `host` is taken.
    func accepts(_ host: Int32) -> Bool
}

/// What a walk gathers: the hosts the filter took (in walk order, each once) and how many it
/// refused. It goes on across walks of several orders.
struct CandidateList {
    var hosts: [Int32] = []
    var rejections = 0
    /// Refusals after which a walk stops at once (the caller then drops the list).
    var maxRejections = Int.max

    /// Whether the walks refused more hosts than ``maxRejections``.
    var overRejected: Bool { rejections > maxRejections }
}

extension CapacityTree {
    @inline(__always)
    private func fits(_ node: Int, _ need: Resources) -> Bool {
        let base = node * 6
        return Int(nodes[base]) >= need.vcpus && Int(nodes[base + 1]) >= need.memoryMiB && Int(nodes[base + 2]) >= need.diskGiB
    }

    /// One frontier entry of a walk: a subtree or a bucket, and its order as one 64-bit number,
    /// the ordering key (offset to unsigned) in the high half and the first bucket it covers in
    /// the low half, so one comparison orders two entries. Buckets are below 2^31, keys within
    /// ±2^31.
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
    /// (A closure for tests and rare callers; ``candidates(fitting:order:limit:visitor:)`` is
    /// the same walk for a visitor value.)
    func candidates(fitting need: Resources, order: Order, limit: Int, accept: (Int32) -> Bool) {
        withoutActuallyEscaping(accept) { accept in
            var list = CandidateList()
            candidates(fitting: need, order: order, limit: limit, filter: ClosureFilter(body: accept), into: &list)
        }
    }

    /// A closure as a ``CandidateFilter``.
    private struct ClosureFilter: CandidateFilter {
        let body: (Int32) -> Bool
        func accepts(_ host: Int32) -> Bool { body(host) }
    }

    /// Puts the host index of every slot that can hold `need` to `filter`, in the order given
    /// (ties by slot), until it has taken `limit` of them, no slot is left, or `list` is over
    /// its refusals. Taken hosts are appended to `list` unless already there (an earlier
    /// order's walk may have taken them; they still count toward `limit`).
    ///
    /// The walk goes by rounds, one per ordering value: a round takes the frontier entries
    /// whose bound is the best left (in slot order; they are disjoint) and explores each depth
    /// first, left child first, descending only into children with that same bound. A bucket
    /// the descent reaches yields its fitting slots with exactly the round's value, in slot
    /// order, so hosts come out in (value, slot) order, exactly as popping a best-first heap
    /// would give them. Children with a worse bound, and buckets with fitting slots of a worse
    /// value (under the best such value), are set aside unsorted for later rounds: hosts tied
    /// on the ordering value (the usual case: many equally loaded hosts) cost a few node visits
    /// and slot reads each and no heap operation. After ``roundsBeforeHeap`` rounds with a
    /// large frontier, or once more than ``frontierCapacity`` entries are set aside, they go
    /// into a binary heap and the walk pops one entry per round, so many distinct values cannot
    /// make it quadratic. All scratch space is on the stack: a walk allocates nothing until it
    /// needs the heap.
    ///
    /// - Complexity: O(K log(H/B)) node visits and O(K·B) slot reads for K hosts reached, plus
    ///   O(F) per round for a frontier of F entries in the first rounds, O(log F) per entry after.
    @inline(__always)
    func candidates<Filter: CandidateFilter>(fitting need: Resources, order: Order, limit: Int, filter: Filter, into list: inout CandidateList) {
        let dedupe = !list.hosts.isEmpty
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
        // A slot holds one value per dimension.
        let slotKeyOffset = order.dimension?.rawValue ?? 0
        // Needs above the 32-bit range fit nowhere; clamping keeps that true.
        let (needCPU, needRAM, needDisk) = (Int32(clamping: need.vcpus), Int32(clamping: need.memoryMiB), Int32(clamping: need.diskGiB))
        let leafCount = self.leafCount
        let usedSlots = slotCount
        // Scratch space on the stack: the depth-first stack never holds more than one node per
        // level plus one; the unsorted frontier and a round hold at most `frontierCapacity`
        // subtrees (more switch the walk to a heap).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { stack in
            withUnsafeTemporaryAllocation(of: FrontierEntry.self, capacity: Self.frontierCapacity * 2) { scratch in
                nodes.withUnsafeBufferPointer { nodes in
                    slots.withUnsafeBufferPointer { slots in
                        scratch.initializeElement(at: 0, to: FrontierEntry(key: keySign &* Int(nodes[6 &+ keyOffset]), start: 0, node: 1))
                        var frontier = Frontier(scratch: scratch)
                        // The round's subtrees: `scratch[roundBase ..< roundBase + roundCount]`.
                        let roundBase = Self.frontierCapacity
                        var accepted = 0
                        var rounds = 0
                        while true {
                            var roundCount = 0
                            if frontier.usingHeap {
                                guard let first = frontier.heap.popMinimum() else { return }
                                scratch.initializeElement(at: roundBase, to: first)
                                roundCount = 1
                            } else {
                                let pendingCount = frontier.pendingCount
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
                                frontier.pendingCount = kept
                                if roundCount > 1 {
                                    // Insertion sort by first bucket: a round is usually one or two entries.
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
                                        // A bucket: its fitting slots with the round's value, in slot
                                        // order; the best worse value among the others that fit sets
                                        // the bucket aside for that value's round. (No fitting slot
                                        // is better than the round: rounds go from the best value,
                                        // and a bucket enters a round no better than its bound.)
                                        let bucket = node &- leafCount
                                        let first = bucket &<< Self.bucketShift
                                        let end = Swift.min(first &+ Self.bucketSize, usedSlots)
                                        var worse = Int.max
                                        var slot = first
                                        while slot < end {
                                            let base = slot &<< 2
                                            if slots[base] >= needCPU && slots[base &+ 1] >= needRAM && slots[base &+ 2] >= needDisk {
                                                let key = keySign &* Int(slots[base &+ slotKeyOffset])
                                                if key == roundKey {
                                                    let host = slots[base &+ 3]
                                                    if filter.accepts(host) {
                                                        // At most a few dozen candidates: a linear check beats hashing.
                                                        if !dedupe || !list.hosts.contains(host) { list.hosts.append(host) }
                                                        accepted &+= 1
                                                        if accepted == limit { return }
                                                    } else {
                                                        list.rejections &+= 1
                                                        if list.rejections > list.maxRejections { return }
                                                    }
                                                } else if key > roundKey && key < worse {
                                                    worse = key
                                                }
                                            }
                                            slot &+= 1
                                        }
                                        if worse != Int.max { frontier.setAside(FrontierEntry(key: worse, start: bucket, node: node)) }
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
                                        // A worse bound: set aside, with the first bucket it covers.
                                        let depth = Int.bitWidth &- 1 &- child.leadingZeroBitCount
                                        let start = (child &- (1 &<< depth)) &* (leafCount >> depth)
                                        frontier.setAside(FrontierEntry(key: key, start: start, node: child))
                                    }
                                }
                            }
                            rounds &+= 1
                            if !frontier.usingHeap && rounds >= Self.roundsBeforeHeap && frontier.pendingCount > Self.frontierBeforeHeap {
                                frontier.switchToHeap()
                            }
                        }
                    }
                }
            }
        }
    }

    /// The subtrees a walk has set aside for later rounds: unsorted in
    /// `scratch[0..<pendingCount]` at first, in `heap` once there are more than
    /// ``CapacityTree/frontierCapacity`` or the walk is many rounds long. (A value on the stack,
    /// called directly: no closure captures it, so no dynamic exclusivity checks.)
    private struct Frontier {
        let scratch: UnsafeMutableBufferPointer<FrontierEntry>
        var pendingCount = 1
        var heap = FrontierHeap()
        var usingHeap = false

        init(scratch: UnsafeMutableBufferPointer<FrontierEntry>) { self.scratch = scratch }

        @inline(__always)
        mutating func setAside(_ entry: FrontierEntry) {
            if !usingHeap && pendingCount == CapacityTree.frontierCapacity { switchToHeap() }
            if usingHeap {
                heap.push(entry)
            } else {
                scratch[pendingCount] = entry
                pendingCount &+= 1
            }
        }

        mutating func switchToHeap() {
            for index in 0..<pendingCount { heap.push(scratch[index]) }
            pendingCount = 0
            usingHeap = true
        }
    }

    /// How many set-aside subtrees the unsorted frontier holds before the walk switches to a heap.
    static let frontierCapacity = 256

    /// Rounds a walk makes with an unsorted frontier before it switches to a heap (when the
    /// frontier holds more than ``frontierBeforeHeap`` subtrees).
    static let roundsBeforeHeap = 8
    static let frontierBeforeHeap = 32
}
