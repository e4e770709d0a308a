/// A percentage rounded to hundredths, kept as a number until it is rendered ("12.34").
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The percentage in hundredths of a percent: 1234 is 12.34 %.
    public var hundredths: Int64

    /// 0 %.
    public static let zero = Percentage(hundredths: 0)

    /// A percentage of `hundredths` hundredths of a percent.
    public init(hundredths: Int64) { self.hundredths = hundredths }

    /// `part / whole` in percent, rounded to the nearest hundredth; 0 when `whole` is not positive
    /// or `part` is negative. IEEE arithmetic on sums that could overflow integers keeps it
    /// deterministic.
    public init(_ part: Double, of whole: Double) {
        guard whole > 0, part >= 0 else {
            self.hundredths = 0
            return
        }
        self.hundredths = Int64(min((part / whole * 10_000).rounded(), 1e15))
    }

    /// The percentage as a number (12.34), the closest double to the rendered text.
    public var value: Double { Double(hundredths) / 100 }

    /// Two decimals, as reports write it: "12.34", "0.05", "100.00".
    public var description: String {
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.hundredths < rhs.hundredths }
}

/// Mean and peak use of one resource over a run, as percentages of capacity.
public struct Utilisation: Hashable, Sendable {
    /// Total use over total capacity across the samples.
    public var mean: Percentage
    /// The highest use over capacity of any one sample.
    public var peak: Percentage

    public init(mean: Percentage, peak: Percentage) {
        self.mean = mean
        self.peak = peak
    }
}
