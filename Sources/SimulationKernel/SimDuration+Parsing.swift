extension SimDuration: CustomStringConvertible, LosslessStringConvertible {
    /// The units the parser accepts, longest suffix first so `ms` wins over `m` and `min` over `m`.
    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("min", nanosecondsPerMinute),
        ("ns", 1), ("us", nanosecondsPerMicrosecond), ("µs", nanosecondsPerMicrosecond),
        ("ms", nanosecondsPerMillisecond),
        ("s", nanosecondsPerSecond), ("m", nanosecondsPerMinute),
        ("h", nanosecondsPerHour), ("d", nanosecondsPerDay),
    ]

    /// Parses a human duration such as `"90s"`, `"1.5h"`, `"250ms"`, `"2d"` or `"1h30m"`.
    ///
    /// The text is one or more `<number><unit>` terms (spaces between terms allowed), where the
    /// number is decimal digits with an optional fraction and the unit is one of `ns`, `us`
    /// (or `µs`), `ms`, `s`, `m` (or `min`), `h`, `d`. Arithmetic is exact: `"1.5h"` is exactly
    /// 5,400 s and a fraction finer than one nanosecond is an error, not a rounding.
    /// Negative durations and bare numbers without a unit are rejected.
    ///
    /// - Throws: ``KernelError`` with code `invalidDuration` naming the offending text, or
    ///   `timeOverflow` when the value exceeds ``limit`` (36500d, about 100 years).
    /// - Complexity: O(n) in the length of `text`.
    public init(parsing text: String) throws(KernelError) {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else {
            throw KernelError(.invalidDuration, "invalid duration \"\(text)\": empty; expected a number and a unit such as \"90s\", \"1.5h\" or \"250ms\"")
        }
        var scalars = Substring(trimmed).unicodeScalars[...]
        var total: Int64 = 0
        while !scalars.isEmpty {
            while let first = scalars.first, first == " " { scalars.removeFirst() }
            let integerDigits = scalars.prefix { $0.isASCIIDigit }
            scalars = scalars.dropFirst(integerDigits.count)
            var fractionDigits = Substring.UnicodeScalarView.SubSequence()
            var hasPoint = false
            if scalars.first == "." {
                hasPoint = true
                scalars = scalars.dropFirst()
                fractionDigits = scalars.prefix { $0.isASCIIDigit }
                scalars = scalars.dropFirst(fractionDigits.count)
            }
            if integerDigits.isEmpty && fractionDigits.isEmpty {
                if scalars.first == "-" {
                    throw KernelError(.invalidDuration, "invalid duration \"\(text)\": negative durations are not allowed")
                }
                throw KernelError(.invalidDuration, "invalid duration \"\(text)\": expected a number at \"\(String(scalars))\"")
            }
            if hasPoint && fractionDigits.isEmpty {
                throw KernelError(.invalidDuration, "invalid duration \"\(text)\": a decimal point must be followed by digits")
            }
            let unitText = scalars.prefix { !$0.isASCIIDigit && $0 != "." && $0 != " " }
            scalars = scalars.dropFirst(unitText.count)
            let unitString = String(String.UnicodeScalarView(unitText))
            guard !unitString.isEmpty else {
                throw KernelError(
                    .invalidDuration,
                    "invalid duration \"\(text)\": missing unit after \"\(String(String.UnicodeScalarView(integerDigits)))\(hasPoint ? "." : "")\(String(String.UnicodeScalarView(fractionDigits)))\"; use one of ns, us, ms, s, m, h, d"
                )
            }
            guard let unit = Self.units.first(where: { $0.suffix == unitString }) else {
                throw KernelError(.invalidDuration, "invalid duration \"\(text)\": unknown unit \"\(unitString)\"; use one of ns, us, ms, s, m, h, d")
            }
            let term = try Self.term(integer: integerDigits, fraction: fractionDigits, unit: unit.nanoseconds, text: text)
            let (sum, overflow) = total.addingReportingOverflow(term)
            guard !overflow else { throw Self.overflow(text) }
            total = sum
        }
        guard total <= Self.limit.nanoseconds else { throw Self.overflow(text) }
        self.nanoseconds = total
    }

    /// Parses like ``init(parsing:)``, returning nil for invalid text.
    public init?(_ description: String) {
        guard let value = try? SimDuration(parsing: description) else { return nil }
        self = value
    }

    private static func overflow(_ text: String) -> KernelError {
        KernelError(.timeOverflow, "invalid duration \"\(text)\": longer than the limit of 36500d (about 100 years)")
    }

    /// The exact nanoseconds of `integer.fraction` units.
    private static func term(
        integer: Substring.UnicodeScalarView.SubSequence,
        fraction: Substring.UnicodeScalarView.SubSequence,
        unit: Int64,
        text: String
    ) throws(KernelError) -> Int64 {
        var whole: Int64 = 0
        for scalar in integer {
            let (shifted, o1) = whole.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int64(scalar.value - 48))
            guard !o1, !o2 else { throw overflow(text) }
            whole = next
        }
        let (wholeNanoseconds, o3) = whole.multipliedReportingOverflow(by: unit)
        guard !o3 else { throw overflow(text) }
        // Drop trailing zeros so "1.500000000000000000000s" is as good as "1.5s".
        var digits = Array(fraction)
        while digits.last == "0" { digits.removeLast() }
        guard !digits.isEmpty else { return wholeNanoseconds }
        guard digits.count <= 18 else {
            throw KernelError(.invalidDuration, "invalid duration \"\(text)\": finer than one nanosecond")
        }
        var numerator: UInt64 = 0
        var denominator: UInt64 = 1
        for scalar in digits {
            numerator = numerator * 10 + UInt64(scalar.value - 48)
            denominator *= 10
        }
        // numerator < denominator, so the product is below denominator * unit and the quotient
        // below unit: dividingFullWidth cannot overflow.
        let product = numerator.multipliedFullWidth(by: UInt64(unit))
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        guard remainder == 0 else {
            throw KernelError(.invalidDuration, "invalid duration \"\(text)\": finer than one nanosecond")
        }
        let (result, o4) = wholeNanoseconds.addingReportingOverflow(Int64(quotient))
        guard !o4 else { throw overflow(text) }
        return result
    }

    /// The shortest exact human form: whole days, hours, minutes and seconds, then the
    /// sub-second rest in the largest of ms, us, ns that divides it: `1h30m`, `250ms`,
    /// `1s500ms`, `0s`. ``init(parsing:)`` reads it back to the same value.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var rest = nanoseconds.magnitude
        var text = nanoseconds < 0 ? "-" : ""
        for (suffix, size) in [
            ("d", Self.nanosecondsPerDay), ("h", Self.nanosecondsPerHour), ("m", Self.nanosecondsPerMinute), ("s", Self.nanosecondsPerSecond),
        ] {
            let count = rest / UInt64(size)
            if count > 0 { text += "\(count)\(suffix)" }
            rest %= UInt64(size)
        }
        if rest > 0 {
            if rest % UInt64(Self.nanosecondsPerMillisecond) == 0 {
                text += "\(rest / UInt64(Self.nanosecondsPerMillisecond))ms"
            } else if rest % UInt64(Self.nanosecondsPerMicrosecond) == 0 {
                text += "\(rest / UInt64(Self.nanosecondsPerMicrosecond))us"
            } else {
                text += "\(rest)ns"
            }
        }
        return text
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { value >= 48 && value <= 57 }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and newlines.
    package var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
