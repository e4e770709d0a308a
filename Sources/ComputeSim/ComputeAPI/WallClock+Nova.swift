/// The Compute API's own timestamp forms, kept out of the kernel (which knows nothing of Nova).
extension WallClock {
    /// Nova's zone-less timestamp with microseconds when they are not zero, as in
    /// `OS-SRV-USG:launched_at`: `2026-01-01T00:00:35` or `2013-09-23T13:37:00.880302`.
    func isoMicroseconds(at time: SimTime) -> String {
        let whole = iso8601(at: time)
        let microseconds = unixNanoseconds(at: time).floorDivided(by: 1_000) - unixNanoseconds(at: time).floorDivided(by: 1_000_000_000) * 1_000_000
        var bytes = Array(whole.utf8.dropLast())  // without the Z
        if microseconds != 0 {
            bytes.append(UInt8(ascii: "."))
            var divisor: Int64 = 100_000
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: 48 + microseconds / divisor % 10))
                divisor /= 10
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
