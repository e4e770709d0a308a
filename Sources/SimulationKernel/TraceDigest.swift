/// A streaming 64-bit digest of a trace: cheap enough to stay on in benchmarks.
///
/// It digests the *fields* each trace line is rendered from (the event's time and sequence,
/// then every literal, string and integer the event writes through ``TraceLine``), not the
/// rendered bytes: rendering decimal text costs more than the whole event queue does per event,
/// while folding fields costs a few nanoseconds. A line's text is a pure function of its field
/// sequence, so two traces with equal digests have equal lines (up to 64-bit collisions).
///
/// The algorithm is ComputeSim's own and fixed (changing it changes every golden digest).
/// Fields become 64-bit words: a line starts with its time and sequence (no tags: their place
/// is fixed); an integer is its bit pattern plus a tag for its kind; a byte string is its
/// little-endian 8-byte words (the last zero-padded) followed by its length with the top bit set.
/// Words are folded in pairs where a field has two, `h = ((h ^ a) * K) + b * K'`, else singly,
/// `h = (h ^ a) * K` (K = 0x9E3779B97F4A7C15, K' = 0xC2B2AE3D27D4EB4F); a string of up to 8 bytes
/// is one step (tail, length) and of 9 to 16 bytes two. Few, short steps on the critical path
/// are what keep the digest near 10% of the kernel's throughput or below. A line
/// ends with an xorshift. Every step is a bijection of the state, so two traces that differ in
/// one field never collide. ``value`` applies the MurmurHash3 `fmix64` avalanche. It is a
/// fingerprint for reproducibility checks, not a cryptographic hash.
public struct TraceDigest: Hashable, Sendable {
    @usableFromInline
    var state: UInt64 = 0xCBF2_9CE4_8422_2325
    /// How many lines were folded in.
    @inlinable
    public var lineCount: UInt64 { _lineCount }
    @usableFromInline
    var _lineCount: UInt64 = 0

    /// A digest of no lines.
    @inlinable
    public init() {}

    @usableFromInline
    static let unsignedTag: UInt64 = 0x5500_0000_0000_0001
    @usableFromInline
    static let signedTag: UInt64 = 0x5500_0000_0000_0002
    @usableFromInline
    static let timeTag: UInt64 = 0x5500_0000_0000_0003
    @usableFromInline
    static let lineTerminator: UInt64 = 0x5500_0000_0000_000A

    @inline(__always)
    @inlinable
    mutating func fold(_ word: UInt64) {
        state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Folds two words in one step.
    @inline(__always)
    @inlinable
    mutating func fold(_ first: UInt64, _ second: UInt64) {
        state = ((state ^ first) &* 0x9E37_79B9_7F4A_7C15) &+ (second &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// Folds an integer field: its bit pattern and its kind's tag, in one step.
    @inline(__always)
    @inlinable
    mutating func fold(_ word: UInt64, tag: UInt64) {
        fold(word, tag)
    }

    /// Folds a byte string and its length (see the type's discussion for the layout).
    @inline(__always)
    @inlinable
    mutating func fold(bytes start: UnsafePointer<UInt8>, count: Int) {
        let raw = UnsafeRawPointer(start)
        // Full words, two per step; the final word holds the tail bytes and the length.
        var offset = 0
        while offset &+ 16 < count {
            fold(
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)))
            offset &+= 16
        }
        let rest = count &- offset  // 0...16 bytes left
        let lengthWord = UInt64(truncatingIfNeeded: count) | (1 &<< 63)
        if rest > 8 {
            // One full word, then the tail (1...8 bytes) with the length folded in the same step.
            let first = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) &>> (UInt64(truncatingIfNeeded: 16 &- rest) &* 8)
            fold(first, tail)
            fold(lengthWord)
        } else if rest > 0 {
            var tail: UInt64 = 0
            if count >= 8 {
                tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) &>> (UInt64(truncatingIfNeeded: 8 &- rest) &* 8)
            } else {
                var shift: UInt64 = 0
                while offset < count {
                    tail |= UInt64(start[offset]) &<< shift
                    shift &+= 8
                    offset &+= 1
                }
            }
            fold(tail, lengthWord)
        } else {
            fold(lengthWord)
        }
    }

    /// Ends the current line.
    @inline(__always)
    @inlinable
    mutating func finishLine() {
        fold(Self.lineTerminator)
        state ^= state >> 29
        _lineCount &+= 1
    }

    /// The digest so far.
    @inlinable
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
    @inlinable
    public var hexString: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
