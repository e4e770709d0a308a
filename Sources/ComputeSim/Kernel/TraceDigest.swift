/// A streaming 64-bit digest of a trace: cheap enough to stay on in benchmarks.
///
/// It digests the *fields* each trace line is rendered from (the event's time and sequence,
/// then every literal, string and integer the event writes through ``TraceLine``), not the
/// rendered bytes: rendering decimal text costs more than the whole event queue does per event,
/// while folding fields costs a few nanoseconds. A line's text is a pure function of its field
/// sequence, so two traces with equal digests have equal lines (up to 64-bit collisions).
///
/// The algorithm is ComputeSim's own and fixed (changing it changes every golden digest):
/// every word is folded in as `h = (h ^ word) * K` with `K = 0x9E3779B97F4A7C15` (two
/// instructions on the critical path, which is what keeps the digest under 10% of the kernel's
/// throughput); byte strings are folded as little-endian 8-byte words (the last zero-padded)
/// followed by their length with the top bit set; an integer is folded as its bit pattern and
/// then xored with a tag for its kind; a line ends with a terminator word and an xorshift.
/// Every step is a bijection of the state, so two traces that differ in one field never
/// collide. The ``value`` applies the MurmurHash3 `fmix64` avalanche. It is a fingerprint for
/// reproducibility checks, not a cryptographic hash.
public struct TraceDigest: Hashable, Sendable {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325
    /// How many lines were folded in.
    public private(set) var lineCount: UInt64 = 0

    /// A digest of no lines.
    public init() {}

    static let unsignedTag: UInt64 = 0x5500_0000_0000_0001
    static let signedTag: UInt64 = 0x5500_0000_0000_0002
    static let timeTag: UInt64 = 0x5500_0000_0000_0003
    static let lineTerminator: UInt64 = 0x5500_0000_0000_000A

    @inline(__always)
    mutating func fold(_ word: UInt64) {
        state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Folds an integer field: its bit pattern, then its kind's tag.
    @inline(__always)
    mutating func fold(_ word: UInt64, tag: UInt64) {
        state = ((state ^ word) &* 0x9E37_79B9_7F4A_7C15) ^ tag
    }

    /// Folds a byte string and its length.
    @inline(__always)
    mutating func fold(bytes start: UnsafePointer<UInt8>, count: Int) {
        let raw = UnsafeRawPointer(start)
        var offset = 0
        while offset &+ 8 <= count {
            fold(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset &+= 8
        }
        if offset < count {
            var tail: UInt64 = 0
            if count >= 8 {
                // One load of the last 8 bytes, shifted so the bytes already folded drop out:
                // the same value as assembling the tail byte by byte, without the loop.
                let overlap = UInt64(truncatingIfNeeded: 8 &- (count &- offset)) &* 8
                tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) &>> overlap
            } else {
                var shift: UInt64 = 0
                while offset < count {
                    tail |= UInt64(start[offset]) &<< shift
                    shift &+= 8
                    offset &+= 1
                }
            }
            fold(tail)
        }
        fold(UInt64(truncatingIfNeeded: count) | (1 &<< 63))
    }

    /// Ends the current line.
    @inline(__always)
    mutating func finishLine() {
        fold(Self.lineTerminator)
        state ^= state >> 29
        lineCount &+= 1
    }

    /// The digest so far.
    public var value: UInt64 {
        var h = state ^ lineCount
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// ``value`` as 16 lowercase hex digits.
    public var hexString: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
