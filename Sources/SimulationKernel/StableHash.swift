/// Hash functions whose output is fixed forever, unlike `Hasher`, which is seeded per process.
@usableFromInline
package enum StableHash {
    /// 64-bit FNV-1a of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    /// - Complexity: O(n).
    @inlinable
    package static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    @inlinable
    package static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(text.utf8) }

    /// The SplitMix64 output function: a bijective 64-bit mixer.
    @inline(__always)
    @inlinable
    package static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
