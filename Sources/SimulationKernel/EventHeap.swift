/// One queued event with its key inline, shared by ``EventQueue`` and ``EventHeap``.
@usableFromInline
struct QueuedEvent<Event> {
    @usableFromInline
    var time: Int64
    @usableFromInline
    var sequence: UInt64
    @usableFromInline
    var event: Event

    @inlinable
    init(time: Int64, sequence: UInt64, event: Event) {
        self.time = time
        self.sequence = sequence
        self.event = event
    }

    /// Whether this entry's key (time, sequence) is before `other`'s.
    @inline(__always)
    @inlinable
    func precedes(_ other: QueuedEvent) -> Bool {
        time < other.time || (time == other.time && sequence < other.sequence)
    }
}

/// A 4-ary implicit min-heap of events ordered by (time, sequence).
///
/// ``EventQueue`` uses it for the rare events scheduled below its radix floor. Children of
/// slot `i` are `4i+1 ... 4i+4`, so the heap is half as deep as a binary heap and reads each
/// node's children from adjacent memory.
///
/// - Complexity: ``insert(_:)`` and ``popMin()`` are O(log₄ n); ``min`` is O(1).
@usableFromInline
struct EventHeap<Event> {
    @usableFromInline
    var storage: [QueuedEvent<Event>] = []

    /// The number of entries.
    @inlinable
    var count: Int { storage.count }

    /// The earliest entry, or nil when empty.
    @inlinable
    var min: QueuedEvent<Event>? { storage.first }

    /// Adds `entry`.
    @inlinable
    mutating func insert(_ entry: QueuedEvent<Event>) {
        storage.append(entry)
        storage.withUnsafeMutableBufferPointer { heap in
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole &- 1) >> 2
                guard entry.precedes(heap[parent]) else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = entry
        }
    }

    /// Removes and returns the earliest entry, or nil when empty.
    @inlinable
    mutating func popMin() -> QueuedEvent<Event>? {
        guard let first = storage.first else { return nil }
        let last = storage.removeLast()
        guard !storage.isEmpty else { return first }
        storage.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var hole = 0
            while true {
                let firstChild = 4 &* hole &+ 1
                if firstChild >= count { break }
                var best = firstChild
                var child = firstChild &+ 1
                let end = Swift.min(firstChild &+ 4, count)
                while child < end {
                    if heap[child].precedes(heap[best]) { best = child }
                    child &+= 1
                }
                guard heap[best].precedes(last) else { break }
                heap[hole] = heap[best]
                hole = best
            }
            heap[hole] = last
        }
        return first
    }

    /// Whether every entry's parent precedes it.
    /// - Complexity: O(n).
    @inlinable
    func isValid() -> Bool {
        storage.indices.dropFirst().allSatisfy { !storage[$0].precedes(storage[($0 - 1) >> 2]) }
    }
}

extension QueuedEvent: Sendable where Event: Sendable {}
extension EventHeap: Sendable where Event: Sendable {}
