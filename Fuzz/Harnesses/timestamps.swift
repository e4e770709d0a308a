// Timestamps and durations: any text goes through every parser of times users give (ISO 8601
// times, epochs, durations) and what parses is rendered and used: a cloud advances by the
// duration, renders wall times at the parsed instant and at the 100-year limit, and a chart
// formats the text read as a number. Nothing may trap; renderings must parse back.
func fuzzTimestamps(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes) else { return }
    let clock = WallClock.defaultEpoch
    if let time = clock.time(parsingISO8601: input) {
        let rendered = clock.iso8601(at: time)
        guard let again = clock.time(parsingISO8601: rendered) else { finding("\(input) parsed, but its rendering \(rendered) does not") }
        let nanoseconds = time.nanosecondsSinceStart
        let wholeSeconds = nanoseconds - ((nanoseconds % 1_000_000_000) + 1_000_000_000) % 1_000_000_000
        if again.nanosecondsSinceStart != wholeSeconds { finding("\(input) -> \(rendered) -> \(again), not \(wholeSeconds) ns") }
        _ = clock.unixSecondsText(at: time)
    }
    if let epoch = try? WallClock(epochISO8601: input) {
        _ = epoch.iso8601(at: .zero)
        _ = epoch.iso8601(at: .limit)
        _ = epoch.unixSecondsText(at: .limit)
    }
    if let duration = try? SimDuration(parsing: input) {
        var cloud = templateCloud
        if duration > .limit { finding("\(input) parsed to \(duration), past the limit") }
        try? cloud.advance(by: duration)
        _ = cloud.wallClockTime
        let listing = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers?changes-since=\(input)", project: "p"))
        if listing.status >= 500 { finding("changes-since=\(input): \(listing.status)") }
    }
    if let number = Double(input) {
        let formatted = SVGChart.format(number, decimals: 2)
        if number.isFinite, Double(formatted) == nil { finding("\(input) formats as \(formatted), which is not a number") }
    }
    do {
        var cloud = templateCloud
        let listing = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers?changes-since=\(input)&changes-before=\(input)", project: "p"))
        if listing.status >= 500 { finding("changes-since=\(input): \(listing.status)") }
    }
}
