import Foundation
import Testing

extension Tag {
    /// Seed sweeps over invariants: sized by `COMPUTESIM_SWEEP` (see ``SeedSweep``). Run only
    /// them with `swift test --filter` on their suites, or skip them with `--skip`.
    @Tag public static var seedSweep: Self
}

/// The size of seed sweeps: the default (CI) size, or a multiple of it for a nightly-style run.
///
/// `COMPUTESIM_SWEEP=large` runs 10x the seeds; `COMPUTESIM_SWEEP=N` (a whole number from 1 to
/// 1000) runs N times the seeds. Anything else keeps the default, so a typo never empties a sweep.
/// Example: `COMPUTESIM_SWEEP=large swift test --filter Sweep`.
public enum SeedSweep {
    /// The factor applied to every sweep in this process.
    public static let factor: Int = {
        guard let text = ProcessInfo.processInfo.environment["COMPUTESIM_SWEEP"] else { return 1 }
        if text == "large" { return 10 }
        if let value = Int(text), (1...1000).contains(value) { return value }
        return 1
    }()

    /// Seeds `0..<(base × factor)` as UInt64, for `@Test(arguments:)`.
    public static func seeds(_ base: Int) -> [UInt64] { (0..<UInt64(base * factor)).map { $0 } }

    /// Seeds `0..<(base × factor)` as Int.
    public static func intSeeds(_ base: Int) -> [Int] { Array(0..<(base * factor)) }
}
