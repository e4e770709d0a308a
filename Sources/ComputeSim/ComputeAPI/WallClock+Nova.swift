/// The Compute API's own timestamp forms, kept out of the kernel (which knows nothing of Nova).
extension WallClock {
    /// Nova's zone-less timestamp with microseconds when they are not zero, as in
    /// `OS-SRV-USG:launched_at`: `2026-01-01T00:00:35` or `2013-09-23T13:37:00.880302`.
    func isoMicroseconds(at time: SimTime) -> String {
        let whole = String(iso8601(at: time).dropLast())
        let microseconds = unixNanoseconds(at: time).floorDivided(by: 1_000) - unixNanoseconds(at: time).floorDivided(by: 1_000_000_000) * 1_000_000
        guard microseconds != 0 else { return whole }
        let digits = String(microseconds)
        return whole + "." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
