import TestSupport
import Testing

@testable import SimulationKernel

struct EventQueueTests {
    /// A brute-force reference: a plain array kept sorted by (time, sequence).
    struct ReferenceQueue {
        var entries: [(time: Int64, sequence: UInt64)] = []
        mutating func insert(_ time: Int64, _ sequence: UInt64) {
            entries.append((time, sequence))
            entries.sort { $0.time != $1.time ? $0.time < $1.time : $0.sequence < $1.sequence }
        }
        mutating func popMin() -> (time: Int64, sequence: UInt64)? { entries.isEmpty ? nil : entries.removeFirst() }
    }

    @Test("the radix queue pops exactly what a sorted reference pops", .tags(.seedSweep), arguments: SeedSweep.seeds(24))
    func radixQueuePopsWhatASortedReferencePops(seed: UInt64) {
        var random = DeterministicRandom(seed: seed, stream: "event-queue-test")
        var queue = EventQueue<UInt64>()
        var reference = ReferenceQueue()
        var sequence: UInt64 = 0
        var now: Int64 = 0
        // Small time spreads make ties common; occasional huge jumps exercise high buckets.
        let spread: UInt64 = [4, 1_000, 1 << 40][Int(seed % 3)]
        for _ in 0..<1_500 {
            switch random.next(below: 10) {
            case 0..<5:
                let time = now + Int64(random.next(below: spread))
                queue.insert(.init(time: time, sequence: sequence, event: sequence))
                reference.insert(time, sequence)
                sequence += 1
            case 5..<6:
                // A peek may raise the radix floor above `now`; inserts below it must still order.
                _ = queue.peekMin()
            default:
                let popped = queue.popMin()
                let expected = reference.popMin()
                #expect(popped?.time == expected?.time && popped?.sequence == expected?.sequence, "seed \(seed)")
                if let popped { now = popped.time }
            }
            #expect(queue.isValid(), "seed \(seed)")
            #expect(queue.count == reference.entries.count)
        }
        while let expected = reference.popMin() {
            let popped = queue.popMin()
            #expect(popped?.time == expected.time && popped?.sequence == expected.sequence)
        }
        #expect(queue.popMin() == nil && queue.isEmpty)
    }

    @Test("events at one time come out in the order they went in")
    func eventsAtOneTimeComeOutInInsertionOrder() {
        var queue = EventQueue<Int>()
        for index in 0..<100 { queue.insert(.init(time: 5, sequence: UInt64(index), event: index)) }
        queue.insert(.init(time: 1, sequence: 100, event: -1))
        #expect(queue.popMin()?.event == -1)
        for index in 0..<100 { #expect(queue.popMin()?.event == index) }
    }

    @Test("inserts below a floor raised by a peek drain before the buckets")
    func insertsBelowARaisedFloorDrainFirst() {
        var queue = EventQueue<String>()
        queue.insert(.init(time: 1_000, sequence: 0, event: "late"))
        #expect(queue.peekMin()?.event == "late")  // floor is now 1000
        queue.insert(.init(time: 10, sequence: 1, event: "early-b"))
        queue.insert(.init(time: 5, sequence: 2, event: "early-a"))
        queue.insert(.init(time: 1_000, sequence: 3, event: "late-2"))
        #expect(queue.isValid())
        #expect([queue.popMin(), queue.popMin(), queue.popMin(), queue.popMin()].map { $0?.event } == ["early-a", "early-b", "late", "late-2"])
    }

    @Test("the 4-ary heap pops in key order", .tags(.seedSweep), arguments: SeedSweep.seeds(6))
    func theFourAryHeapPopsInKeyOrder(seed: UInt64) {
        var random = DeterministicRandom(seed: seed)
        var heap = EventHeap<Int>()
        var keys: [(Int64, UInt64)] = []
        for index in 0..<500 {
            let time = Int64(random.next(below: 50))
            heap.insert(.init(time: time, sequence: UInt64(index), event: index))
            keys.append((time, UInt64(index)))
            #expect(heap.isValid())
        }
        keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        for key in keys {
            let popped = heap.popMin()
            #expect(popped?.time == key.0 && popped?.sequence == key.1)
        }
        #expect(heap.popMin() == nil)
    }
}
