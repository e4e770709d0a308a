import SimulationKernel
import Testing

@testable import ComputeSim

/// The capacity tree's walk against the obvious answer: every slot that fits, sorted by the
/// order's value and then by slot, with the same rejections.
@Suite("Capacity tree")
struct CapacityTreeTests {
    /// The slots' hosts, in the order the brute force expects: fitting slots sorted by (key, slot),
    /// `accept` applied in that order until `limit` acceptances.
    static func bruteForce(
        _ leaves: [Resources?], need: Resources, order: CapacityTree.Order, limit: Int, rejected: Set<Int32>
    ) -> [Int32] {
        func key(_ free: Resources) -> Int {
            guard let dimension = order.dimension else { return 0 }
            let value: Int
            switch dimension {
            case .vcpus: value = free.vcpus
            case .memory: value = free.memoryMiB
            case .disk: value = free.diskGiB
            }
            return order.descending ? -value : value
        }
        let fitting = leaves.enumerated().compactMap { slot, free -> (key: Int, slot: Int)? in
            guard let free, need.fits(in: free) else { return nil }
            return (key(free), slot)
        }
        .sorted { $0.key != $1.key ? $0.key < $1.key : $0.slot < $1.slot }
        var visited: [Int32] = []
        var accepted = 0
        for entry in fitting where accepted < limit {
            let host = Int32(1_000 + entry.slot)
            visited.append(host)
            if !rejected.contains(host) { accepted += 1 }
        }
        return visited
    }

    /// A tree of `count` slots whose free resources come from `values` (few distinct values make
    /// ties; many make one round per value), some unavailable.
    static func randomLeaves(count: Int, values: Int, random: inout DeterministicRandom) -> [Resources?] {
        (0..<count).map { _ in
            if random.nextIndex(below: 10) == 0 { return nil }
            return Resources(
                vcpus: random.nextIndex(below: values) * 2, memoryMiB: random.nextIndex(below: values) * 1_024,
                diskGiB: random.nextIndex(below: values) * 10)
        }
    }

    static let orders: [CapacityTree.Order] = [
        .init(dimension: .memory, descending: true), .init(dimension: .memory, descending: false),
        .init(dimension: .vcpus, descending: true), .init(dimension: .disk, descending: false),
        .init(dimension: nil, descending: true),
    ]

    @Test(
        "the walk visits fitting slots in (value, slot) order, exactly as sorting them all does",
        arguments: [(1, 3), (7, 2), (16, 2), (17, 5), (33, 1), (64, 4), (300, 3), (300, 1_000), (1_000, 40), (2_000, 2), (2_000, 100_000)])
    func walkMatchesSorting(count: Int, values: Int) {
        var random = DeterministicRandom(seed: UInt64(count * 31 + values), stream: "capacity-tree")
        for trial in 0..<12 {
            var leaves = Self.randomLeaves(count: count, values: values, random: &random)
            var tree = CapacityTree()
            for (slot, free) in leaves.enumerated() { _ = tree.appendSlot(host: Int32(1_000 + slot), free: free) }
            // Changes after building, as claims and releases make them.
            for _ in 0..<(count / 4) {
                let slot = random.nextIndex(below: count)
                leaves[slot] = Self.randomLeaves(count: 1, values: values, random: &random)[0]
                tree.setLeaf(slot, leaves[slot])
            }
            #expect(tree.isConsistent())
            let need = Resources(vcpus: random.nextIndex(below: 3), memoryMiB: random.nextIndex(below: 3) * 512, diskGiB: random.nextIndex(below: 3))
            let rejected = Set((0..<count).filter { _ in random.nextIndex(below: 3) == 0 }.map { Int32(1_000 + $0) })
            let limit = [1, 16, count + 1][trial % 3]
            for order in Self.orders {
                var visited: [Int32] = []
                tree.candidates(fitting: need, order: order, limit: limit) { host in
                    visited.append(host)
                    return !rejected.contains(host)
                }
                let expected = Self.bruteForce(leaves, need: need, order: order, limit: limit, rejected: rejected)
                #expect(visited == expected, "\(count) slots, \(values) values, trial \(trial), \(order)")
            }
        }
    }

    @Test("a need no slot can hold visits nothing, and a tree of unavailable slots visits nothing")
    func nothingFits() {
        var tree = CapacityTree()
        for slot in 0..<10 { _ = tree.appendSlot(host: Int32(slot), free: slot == 3 ? nil : Resources(vcpus: 4, memoryMiB: 4_096, diskGiB: 40)) }
        var visited: [Int32] = []
        tree.candidates(fitting: Resources(vcpus: 5, memoryMiB: 1, diskGiB: 1), order: Self.orders[0], limit: 10) {
            visited.append($0)
            return true
        }
        #expect(visited.isEmpty)
        for slot in 0..<10 { tree.setLeaf(slot, nil) }
        tree.candidates(fitting: .zero, order: Self.orders[0], limit: 10) {
            visited.append($0)
            return true
        }
        #expect(visited.isEmpty)
        #expect(tree.isConsistent())
    }
}
