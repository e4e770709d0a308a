import Testing

@testable import SimulationKernel

struct SimDurationTests {
    @Test(
        "unit constructors produce exact nanoseconds",
        arguments: [
            (SimDuration.nanoseconds(7), Int64(7)),
            (.microseconds(3), 3_000),
            (.milliseconds(250), 250_000_000),
            (.seconds(90), 90_000_000_000),
            (.minutes(2), 120_000_000_000),
            (.hours(1), 3_600_000_000_000),
            (.days(2), 172_800_000_000_000),
        ])
    func unitConstructorsProduceExactNanoseconds(duration: SimDuration, nanoseconds: Int64) {
        #expect(duration.nanoseconds == nanoseconds)
    }

    @Test(
        "human durations parse exactly",
        arguments: [
            ("90s", Int64(90_000_000_000)),
            ("1.5h", 5_400_000_000_000),
            ("250ms", 250_000_000),
            ("2d", 172_800_000_000_000),
            ("1h30m", 5_400_000_000_000),
            ("1h 30m 15s", 5_415_000_000_000),
            ("0.000000001s", 1),
            ("12us", 12_000),
            ("12µs", 12_000),
            ("5min", 300_000_000_000),
            ("  42ns ", 42),
            ("0s", 0),
            ("36500d", 3_153_600_000_000_000_000),
            (".5s", 500_000_000),
            ("1.500000000000000000000s", 1_500_000_000),
        ])
    func humanDurationsParseExactly(text: String, nanoseconds: Int64) throws {
        #expect(try SimDuration(parsing: text).nanoseconds == nanoseconds)
    }

    @Test(
        "garbage durations are rejected with a message naming the text",
        arguments: [
            ("", KernelError(.invalidDuration, "invalid duration \"\": empty; expected a number and a unit such as \"90s\", \"1.5h\" or \"250ms\"")),
            ("90", KernelError(.invalidDuration, "invalid duration \"90\": missing unit after \"90\"; use one of ns, us, ms, s, m, h, d")),
            ("5 parsecs", KernelError(.invalidDuration, "invalid duration \"5 parsecs\": missing unit after \"5\"; use one of ns, us, ms, s, m, h, d")),
            ("5parsecs", KernelError(.invalidDuration, "invalid duration \"5parsecs\": unknown unit \"parsecs\"; use one of ns, us, ms, s, m, h, d")),
            ("-5s", KernelError(.invalidDuration, "invalid duration \"-5s\": negative durations are not allowed")),
            ("h", KernelError(.invalidDuration, "invalid duration \"h\": expected a number at \"h\"")),
            ("1.s", KernelError(.invalidDuration, "invalid duration \"1.s\": a decimal point must be followed by digits")),
            ("1.5ns", KernelError(.invalidDuration, "invalid duration \"1.5ns\": finer than one nanosecond")),
            ("0.0000000001s", KernelError(.invalidDuration, "invalid duration \"0.0000000001s\": finer than one nanosecond")),
            ("300y", KernelError(.invalidDuration, "invalid duration \"300y\": unknown unit \"y\"; use one of ns, us, ms, s, m, h, d")),
            ("36500d1ns", KernelError(.timeOverflow, "invalid duration \"36500d1ns\": longer than the limit of 36500d (about 100 years)")),
            ("106752d", KernelError(.timeOverflow, "invalid duration \"106752d\": longer than the limit of 36500d (about 100 years)")),
            (
                "99999999999999999999s",
                KernelError(.timeOverflow, "invalid duration \"99999999999999999999s\": longer than the limit of 36500d (about 100 years)")
            ),
            ("106751d106751d", KernelError(.timeOverflow, "invalid duration \"106751d106751d\": longer than the limit of 36500d (about 100 years)")),
        ])
    func garbageDurationsAreRejectedWithAMessageNamingTheText(text: String, expected: KernelError) {
        #expect(throws: expected) { try SimDuration(parsing: text) }
    }

    @Test(
        "durations format in the shortest exact human form",
        arguments: [
            (SimDuration.seconds(90), "1m30s"),
            (.seconds(5_400), "1h30m"),
            (.milliseconds(250), "250ms"),
            (.days(2), "2d"),
            (.zero, "0s"),
            (.milliseconds(1_500), "1s500ms"),
            (.nanoseconds(1_000_001), "1000001ns"),
            (.microseconds(1_001), "1001us"),
            (.seconds(-90), "-1m30s"),
            (.nanoseconds(.min), "-106751d23h47m16s854775808ns"),
        ])
    func durationsFormatInTheShortestExactHumanForm(duration: SimDuration, text: String) {
        #expect(duration.description == text)
    }

    @Test("formatting then parsing gives the same duration for a sweep of values")
    func formattingThenParsingRoundTrips() throws {
        var random = DeterministicRandom(seed: 11)
        for _ in 0..<2_000 {
            let value = SimDuration(nanoseconds: random.next(in: 0...SimDuration.limit.nanoseconds))
            #expect(try SimDuration(parsing: value.description) == value)
        }
        #expect(SimDuration("1h30m") == .seconds(5_400))
        #expect(SimDuration("nonsense") == nil)
    }

    @Test("checked arithmetic reports overflow as a typed error")
    func checkedArithmeticReportsOverflowAsATypedError() throws {
        #expect(try SimDuration.seconds(1).adding(.seconds(2)) == .seconds(3))
        #expect(throws: KernelError.self) { try SimDuration(nanoseconds: .max).adding(.nanoseconds(1)) }
        #expect(try SimDuration.seconds(2).multiplied(by: 3) == .seconds(6))
        #expect(throws: KernelError.self) { try SimDuration.days(100_000).multiplied(by: 2) }
        #expect(throws: KernelError(.timeOverflow, "1e+300 seconds is outside the representable range of about ±292 years")) {
            try SimDuration(secondsValue: 1e300)
        }
        #expect(throws: KernelError.self) { try SimDuration(secondsValue: .nan) }
        #expect(try SimDuration(secondsValue: 1.25) == .milliseconds(1_250))
    }

    @Test("operators add, subtract and scale exactly")
    func operatorsAddSubtractAndScaleExactly() {
        var total = SimDuration.seconds(1)
        total += .milliseconds(500)
        #expect(total == .milliseconds(1_500))
        #expect(total - .seconds(2) == .milliseconds(-500))
        #expect(SimDuration.minutes(1) * 3 == .minutes(3))
        #expect(SimDuration.seconds(1) < .seconds(2))
        #expect(SimDuration.milliseconds(1_500).secondsValue == 1.5)
    }
}

struct SimTimeTests {
    @Test("a time is written relative to the start, and canonically with nine decimals")
    func aTimeIsWrittenRelativeToTheStart() {
        let time = SimTime.zero + .seconds(90) + .nanoseconds(250)
        #expect(time.description == "T+1m30s250ns")
        #expect(time.canonicalSeconds == "90.000000250")
        #expect(SimTime.zero.canonicalSeconds == "0.000000000")
        #expect(SimTime(nanosecondsSinceStart: -500_000_000).canonicalSeconds == "-0.500000000")
        #expect((time - .zero) == .nanoseconds(90_000_000_250))
    }

    @Test("advancing past the last representable instant is a typed error")
    func advancingPastTheLastInstantIsATypedError() throws {
        #expect(try SimTime.zero.advanced(by: .seconds(5)) == SimTime(.seconds(5)))
        #expect(throws: KernelError.self) { try SimTime.distantFuture.advanced(by: .nanoseconds(1)) }
    }
}
