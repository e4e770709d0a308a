/// Maps simulated time to Unix time for the timestamps users see (`created`, `updated`,
/// `.bak.<timestamp>` names). The kernel never reads a real clock: the epoch is configured,
/// and its default is a fixed date.
public struct WallClock: Hashable, Sendable, Codable {
    /// The Unix time, in nanoseconds, of ``SimTime/zero``.
    public var epochUnixNanoseconds: Int64

    /// 2026-01-01T00:00:00Z, the default epoch of every simulation.
    public static let defaultEpoch = WallClock(epochUnixSeconds: 1_767_225_600)

    /// The epochs, in Unix seconds, accepted from users: 1970-01-01T00:00:00Z through
    /// 2100-01-01T00:00:00Z.
    ///
    /// With ``SimTime/limit`` (100 years) every wall time a simulation can show lies in the years
    /// 1970–2200, inside the range of 64-bit Unix nanoseconds (1677-09-21 to 2262-04-11).
    public static let supportedEpochs: ClosedRange<Int64> = 0...4_102_444_800

    /// Creates the clock whose simulated zero is the ISO 8601 time `text`
    /// (`2026-03-02T00:00:00Z`; a fraction of a second is dropped), for epochs that users give.
    ///
    /// - Throws: ``KernelError`` `invalidTimestamp` when `text` is not an ISO 8601 time, and
    ///   `timeOverflow` when it is outside ``supportedEpochs``.
    public init(epochISO8601 text: String) throws(KernelError) {
        guard let time = WallClock(epochUnixSeconds: 0).time(parsingISO8601: text) else {
            throw KernelError(.invalidTimestamp, "expected an ISO 8601 time such as 2026-01-01T00:00:00Z")
        }
        let seconds = time.nanosecondsSinceStart.floorDivided(by: 1_000_000_000)
        guard Self.supportedEpochs.contains(seconds) else {
            throw KernelError(.timeOverflow, "epoch \(text) is outside the supported range 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z")
        }
        self.init(epochUnixSeconds: seconds)
    }

    /// Creates a clock whose simulated zero is `epochUnixSeconds` seconds after 1970-01-01T00:00:00Z.
    /// - Precondition: the value fits in 64-bit nanoseconds (years 1678–2262). Epochs from users
    ///   go through ``init(epochISO8601:)``, which limits them to ``supportedEpochs``.
    public init(epochUnixSeconds: Int64) {
        let (nanoseconds, overflow) = epochUnixSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        precondition(!overflow, "epoch \(epochUnixSeconds) is outside the years 1678-2262")
        self.epochUnixNanoseconds = nanoseconds
    }

    /// Unix time in nanoseconds at `time`; traps on overflow (validated epochs cannot reach it
    /// within the simulation's range in practice).
    public func unixNanoseconds(at time: SimTime) -> Int64 {
        let (value, overflow) = epochUnixNanoseconds.addingReportingOverflow(time.nanosecondsSinceStart)
        precondition(!overflow, "wall-clock overflow at \(time)")
        return value
    }

    /// Unix seconds at `time` with at most `maxDecimals` decimals, trailing zeros dropped
    /// (`1246036261.5785`, `1767225600`), truncating finer digits. The form of `.bak` names.
    public func unixSecondsText(at time: SimTime, maxDecimals: Int = 4) -> String {
        let nanoseconds = unixNanoseconds(at: time)
        let seconds = nanoseconds.floorDivided(by: 1_000_000_000)
        var fraction = nanoseconds - seconds * 1_000_000_000
        var digits = ""
        var divisor: Int64 = 100_000_000
        for _ in 0..<Swift.max(0, Swift.min(maxDecimals, 9)) {
            digits.append(Character(Unicode.Scalar(UInt8(48 + fraction / divisor))))
            fraction %= divisor
            divisor /= 10
        }
        while digits.last == "0" { digits.removeLast() }
        return digits.isEmpty ? "\(seconds)" : "\(seconds).\(digits)"
    }

    /// ISO 8601 UTC timestamp at `time` with whole seconds, as the Compute API writes
    /// `created` and `updated`: `2026-01-01T00:00:00Z`.
    public func iso8601(at time: SimTime) -> String {
        let seconds = unixNanoseconds(at: time).floorDivided(by: 1_000_000_000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        if (0...9_999).contains(year) {
            // Every view writes these: twenty bytes in place, one allocation.
            return String(unsafeUninitializedCapacity: 20) { buffer in
                func put(_ value: Int64, _ width: Int, at offset: Int) {
                    var rest = value
                    for position in stride(from: offset + width - 1, through: offset, by: -1) {
                        buffer[position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                        rest /= 10
                    }
                }
                put(year, 4, at: 0)
                buffer[4] = UInt8(ascii: "-")
                put(month, 2, at: 5)
                buffer[7] = UInt8(ascii: "-")
                put(day, 2, at: 8)
                buffer[10] = UInt8(ascii: "T")
                put(secondOfDay / 3600, 2, at: 11)
                buffer[13] = UInt8(ascii: ":")
                put(secondOfDay % 3600 / 60, 2, at: 14)
                buffer[16] = UInt8(ascii: ":")
                put(secondOfDay % 60, 2, at: 17)
                buffer[19] = UInt8(ascii: "Z")
                return 20
            }
        }
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = year < 1000 ? String(repeating: "0", count: 4 - "\(year)".count) + "\(year)" : "\(year)"
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }

    /// The simulated time of an ISO 8601 timestamp (`2026-01-01T00:00:00Z`, optional fraction,
    /// `Z`, `±HH:MM` or no zone meaning UTC, `T` or a space between date and time), or nil when
    /// the text is not one or is outside the simulation's range.
    public func time(parsingISO8601 text: String) -> SimTime? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 32, bytes[13] == 58, bytes[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var nanoseconds: Int64 = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale: Int64 = 100_000_000
            let start = index
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                nanoseconds += Int64(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset: Int64 = 0
        if index < bytes.count {
            if bytes[index] == 90 && index + 1 == bytes.count {
                index += 1
            } else if bytes[index] == 43 || bytes[index] == 45, index + 6 == bytes.count, bytes[index + 3] == 58,
                let hours = number(index + 1, 2), let minutes = number(index + 4, 2)
            {
                offset = (hours * 3600 + minutes * 60) * (bytes[index] == 43 ? 1 : -1)
                index += 6
            } else {
                return nil
            }
        }
        // Days since 1970-01-01 (Howard Hinnant's days-from-civil, from its published description).
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let unixSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        // Checked all the way: a date outside the representable range (before 1677-09-21 or after
        // 2262-04-11 in Unix nanoseconds, or too far from this clock's epoch) is nil, never a trap.
        let (unixNanoseconds, overflow) = unixSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (withFraction, fractionOverflow) = unixNanoseconds.addingReportingOverflow(nanoseconds)
        guard !fractionOverflow else { return nil }
        let (sinceEpoch, epochOverflow) = withFraction.subtractingReportingOverflow(epochUnixNanoseconds)
        guard !epochOverflow else { return nil }
        return SimTime(nanosecondsSinceStart: sinceEpoch)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
    /// days-to-civil algorithm, written from its published description).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    package func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
