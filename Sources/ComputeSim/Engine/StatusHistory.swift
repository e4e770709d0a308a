/// A server's status changes, stored compactly because a capacity-planning run keeps dozens of
/// changes for each of a million servers.
///
/// One byte array holds every change as its status (one byte, the position in
/// `ServerStatus.allCases`) followed by the time since the previous change (since time zero for
/// the first) as an unsigned LEB128 varint of the two's-complement difference: 6 bytes for a
/// change half a minute after the one before, instead of 9 in two parallel arrays. The last
/// change is also kept unpacked, so ``last`` and ``append(_:)`` are O(1) (amortised: the array
/// grows by half its size when full).
struct StatusHistory: Hashable, Sendable {
    private var bytes: [UInt8] = []
    private var lastTime: Int64 = 0
    /// The last status's byte, or `UInt8.max` while the history is empty.
    private var lastStatus: UInt8 = .max

    /// ServerStatus by its position in `allCases` (the byte stored).
    private static let byOrdinal = ServerStatus.allCases

    var isEmpty: Bool { lastStatus == .max }

    /// The latest change. O(1).
    var last: StatusChange? {
        guard lastStatus != .max else { return nil }
        return StatusChange(time: SimTime(nanosecondsSinceStart: lastTime), status: Self.byOrdinal[Int(lastStatus)])
    }

    /// Bytes the encoded changes take (capacity aside).
    var encodedByteCount: Int { bytes.count }

    /// - Complexity: amortised O(1).
    mutating func append(_ change: StatusChange) {
        let time = change.time.nanosecondsSinceStart
        let status = UInt8(change.status.ordinal)
        // Grow by half (not the standard library's doubling): a long history leaves at most a
        // third of its capacity unused instead of half. 11 bytes is the longest change.
        if bytes.capacity - bytes.count < 11 { bytes.reserveCapacity(bytes.count + bytes.count / 2 + 22) }
        bytes.append(status)
        // Any difference, even a negative one, round-trips: it is stored as its bit pattern.
        var delta = UInt64(bitPattern: time &- (isEmpty ? 0 : lastTime))
        while delta >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
            delta >>= 7
        }
        bytes.append(UInt8(delta))
        lastTime = time
        lastStatus = status
    }

    /// Every change, oldest first. O(count), one allocation: a change takes at least two bytes
    /// (its status and one varint byte), so half the bytes bound the count.
    var changes: [StatusChange] {
        var result: [StatusChange] = []
        result.reserveCapacity(bytes.count / 2)
        let byOrdinal = Self.byOrdinal
        var position = 0
        var time: Int64 = 0
        while position < bytes.count {
            let status = byOrdinal[Int(bytes[position])]
            position += 1
            var delta: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                delta |= UInt64(byte & 0x7f) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            time = time &+ Int64(bitPattern: delta)
            result.append(StatusChange(time: SimTime(nanosecondsSinceStart: time), status: status))
        }
        return result
    }
}
