/// A segment tree over a list of hosts (in host order) that answers "the first K hosts, in the
/// order of one free-resource dimension, that can hold this much" without visiting the rest.
///
/// Slots (one per host) sit in buckets of ``bucketSize`` in one flat array of free vCPU, RAM and
/// disk; the tree's leaves are the buckets. Every node stores, over the available slots below
/// it, the maximum free vCPU, RAM and disk (to prune subtrees where no host can fit a request)
/// and the minimum of each (the ordering key for packing). An unavailable slot (host down,
/// disabled, removed, or not in this tree) holds `Int32.min` in every dimension, so it never
/// fits and bounds nothing.
///
/// ``candidates(fitting:order:limit:accept:)`` is a best-first walk by rounds of equal bound:
/// frontier entries cover disjoint slot ranges, so slots come out exactly in (value, slot)
/// order. A bucket is read as a short array (contiguous, no pointer chasing): a walk that
/// reaches K hosts spread over the tree visits about K buckets and their ancestors instead of K
/// paths of log H binary nodes.
///
/// - Complexity: `update` O(B + log(H/B)) for buckets of B slots, stopping early where an
///   ancestor's summary does not change; a query expands O(K log(H/B)) nodes and reads O(K·B)
///   slots, plus the slots the filter rejects (filters the tree cannot prune: groups,
///   account spreading, image properties).
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

    /// Slots per bucket (a power of two): 8 slots are 128 bytes, two cache lines. (Measured
    /// on the reference lifecycle: 4 slots cost 0.5% more instructions and 16 about 0.9% more
    /// than 4; binary leaves, one slot each, 2% more, and about 10% more time per placement
    /// decision at 100,000 hosts.)
    static let bucketShift = 3
    static let bucketSize = 1 << bucketShift

    /// The number of tree leaves (buckets), a power of two.
    private(set) var leafCount = 1
    /// Per node: max free of each dimension (3 values), then min free of each (3 values), as
    /// 32-bit values (``Host`` keeps effective capacities below 2^30) so a node is 24 bytes and
    /// both children of a node usually share a cache line.
    /// Node 1 is the root; the buckets' nodes are `leafCount ..< 2 * leafCount`.
    private(set) var nodes: [Int32] = Array(repeating: 0, count: 12)
    /// Per used slot, four values: its free vCPU, RAM and disk (`Int32.min` three times when
    /// unavailable) and the host index that sits in it. (One array, so a bucket's slots and
    /// hosts are read together.)
    private(set) var slots: [Int32] = []

    /// The number of slots appended.
    var slotCount: Int { slots.count >> 2 }

    init() { setBucketSummary(0) }

    /// Adds a slot for `host` and returns its index.
    /// - Complexity: O(B + log(H/B)) amortised (the tree doubles when full).
    mutating func appendSlot(host: Int32, free: Resources?) -> Int {
        let slot = slotCount
        if slot >= leafCount << Self.bucketShift { grow() }
        slots.append(contentsOf: [.min, .min, .min, host])
        setLeaf(slot, free)
        return slot
    }

    /// Doubles the number of buckets and recomputes every summary.
    private mutating func grow() {
        leafCount *= 2
        nodes = Array(repeating: 0, count: leafCount * 2 * 6)
        for bucket in 0..<leafCount { setBucketSummary(bucket) }
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
            return Self.store(summary, at: target, in: nodes)
        }
    }

    /// Writes a summary into a node; false when the node already held it.
    @inline(__always)
    private static func store(
        _ summary: (Int32, Int32, Int32, Int32, Int32, Int32), at target: Int, in nodes: UnsafeMutableBufferPointer<Int32>
    ) -> Bool {
        if summary.0 == nodes[target] && summary.1 == nodes[target &+ 1] && summary.2 == nodes[target &+ 2]
            && summary.3 == nodes[target &+ 3] && summary.4 == nodes[target &+ 4] && summary.5 == nodes[target &+ 5]
        {
            return false
        }
        (nodes[target], nodes[target &+ 1], nodes[target &+ 2]) = (summary.0, summary.1, summary.2)
        (nodes[target &+ 3], nodes[target &+ 4], nodes[target &+ 5]) = (summary.3, summary.4, summary.5)
        return true
    }

    /// Recomputes a bucket's node from its slots; false when it did not change.
    /// - Complexity: O(B).
    @discardableResult
    private mutating func setBucketSummary(_ bucket: Int) -> Bool {
        let first = bucket << Self.bucketShift
        let end = min(first + Self.bucketSize, slotCount)
        var summary: (Int32, Int32, Int32, Int32, Int32, Int32) = (.min, .min, .min, .max, .max, .max)
        slots.withUnsafeBufferPointer { values in
            var slot = first
            while slot < end {
                let base = slot &<< 2
                let (cpu, ram, disk) = (values[base], values[base &+ 1], values[base &+ 2])
                slot &+= 1
                guard cpu != .min else { continue }
                summary = (
                    max(summary.0, cpu), max(summary.1, ram), max(summary.2, disk), min(summary.3, cpu), min(summary.4, ram), min(summary.5, disk)
                )
            }
        }
        let target = (leafCount + bucket) * 6
        return nodes.withUnsafeMutableBufferPointer { Self.store(summary, at: target, in: $0) }
    }

    /// Sets a slot's free resources (nil: unavailable) and updates its bucket and ancestors.
    /// - Complexity: O(B + log(H/B)).
    mutating func setLeaf(_ slot: Int, _ free: Resources?) {
        let base = slot * 4
        if let free {
            // Values are clamped to 32 bits; `Int32.min` marks an unavailable slot, so a real
            // value stays above it.
            (slots[base], slots[base + 1], slots[base + 2]) = (
                max(Int32(clamping: free.vcpus), .min + 1), max(Int32(clamping: free.memoryMiB), .min + 1), max(Int32(clamping: free.diskGiB), .min + 1)
            )
        } else {
            (slots[base], slots[base + 1], slots[base + 2]) = (.min, .min, .min)
        }
        let bucket = slot >> Self.bucketShift
        guard setBucketSummary(bucket) else { return }
        var node = (leafCount + bucket) >> 1
        while node >= 1 && pullChanged(node) { node >>= 1 }
    }

    /// A slot's free resources as stored, or nil when unavailable.
    func leaf(_ slot: Int) -> Resources? {
        let base = slot * 4
        guard slot >= 0, slot < slotCount, slots[base] != .min else { return nil }
        return Resources(vcpus: Int(slots[base]), memoryMiB: Int(slots[base + 1]), diskGiB: Int(slots[base + 2]))
    }

    /// Whether every bucket and internal node summarises what is below it exactly; for tests
    /// and the invariant checker.
    func isConsistent() -> Bool {
        var copy = self
        for bucket in 0..<leafCount { copy.setBucketSummary(bucket) }
        for node in stride(from: leafCount - 1, through: 1, by: -1) { copy.pull(node) }
        return copy.nodes == nodes
    }
}
