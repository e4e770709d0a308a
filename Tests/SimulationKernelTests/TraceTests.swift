import Testing

@testable import SimulationKernel

struct TraceTests {
    private func run(seed: UInt64, capture: TraceCapture = .none, events: Int = 200) -> Scheduler<Probe> {
        var random = DeterministicRandom(seed: seed, stream: "trace-test")
        var scheduler = Scheduler<Probe>(trace: TraceRecorder(capture: capture))
        var handler = ProbeHandler()
        for index in 0..<events {
            scheduler.schedule(.note("n\(index)"), at: SimTime(nanosecondsSinceStart: Int64(random.next(below: 5_000_000_000))))
        }
        scheduler.schedule(.spawn("child", delay: 1_500), at: SimTime(.seconds(1)))
        scheduler.runUntilIdle(maxEvents: 10_000, handler: &handler)
        return scheduler
    }

    @Test("each processed event renders as one canonical line")
    func eachEventRendersAsOneCanonicalLine() {
        var scheduler = Scheduler<Probe>(trace: TraceRecorder(capture: .all))
        var handler = ProbeHandler()
        scheduler.schedule(.spawn("x", delay: -0 + 250), at: SimTime(.seconds(90)))
        scheduler.runUntilIdle(maxEvents: 10, handler: &handler)
        #expect(
            scheduler.trace.capturedLines == [
                "90.000000000 #0 spawn x after=250",
                "90.000000250 #1 note x",
            ])
    }

    @Test("the same seed gives the same digest and different seeds give different digests")
    func digestsAreDeterministic() {
        let first = run(seed: 1), again = run(seed: 1), other = run(seed: 2)
        #expect(first.traceDigest == again.traceDigest)
        #expect(first.traceDigest != other.traceDigest)
        #expect(first.traceDigest.count == 16)
        #expect(first.trace.digest.lineCount == 202)
    }

    @Test("the digest of a fixed run is pinned, so algorithm changes are deliberate")
    func theDigestOfAFixedRunIsPinned() {
        #expect(run(seed: 1).traceDigest == "d42facd178acf3b8")
    }

    @Test("capturing lines does not change the digest")
    func capturingLinesDoesNotChangeTheDigest() {
        let plain = run(seed: 3)
        let captured = run(seed: 3, capture: .all)
        #expect(plain.traceDigest == captured.traceDigest)
        #expect(captured.trace.capturedLines.count == 202)
    }

    @Test("a bounded capture keeps the most recent lines, oldest first")
    func aBoundedCaptureKeepsTheMostRecentLines() {
        let all = run(seed: 4, capture: .all).trace.capturedLines
        let last = run(seed: 4, capture: .last(5)).trace.capturedLines
        #expect(last == Array(all.suffix(5)))
        #expect(run(seed: 4, capture: .last(0)).trace.capturedLines.isEmpty)
    }

    @Test("lines longer than the scratch buffer are rendered in full")
    func longLinesAreRenderedInFull() {
        let name = String(repeating: "é", count: 300)
        var scheduler = Scheduler<Probe>(trace: TraceRecorder(capture: .all))
        var handler = ProbeHandler()
        scheduler.schedule(.spawn(name, delay: 12_345_678_901), at: .zero)
        scheduler.runUntilIdle(maxEvents: 10, handler: &handler)
        #expect(
            scheduler.trace.capturedLines == [
                "0.000000000 #0 spawn \(name) after=12345678901",
                "12.345678901 #1 note \(name)",
            ])
    }

    @Test("different field values give different digests")
    func differentFieldValuesGiveDifferentDigests() {
        func digest(_ events: [Probe]) -> String {
            var scheduler = Scheduler<Probe>()
            var handler = ProbeHandler()
            for event in events { scheduler.schedule(event, at: .zero) }
            scheduler.runUntilIdle(maxEvents: 10, handler: &handler)
            return scheduler.traceDigest
        }
        let base = digest([.note("abcdefgh"), .note("i")])
        #expect(base != digest([.note("abcdefghi")]))
        #expect(base != digest([.note("abcdefgi"), .note("i")]))
        #expect(base != digest([.note("abcdefgh"), .note("j")]))
        #expect(base == digest([.note("abcdefgh"), .note("i")]))
        #expect(digest([]) == TraceDigest().hexString)
    }

    @Test("strings of every length from 0 to 140 bytes give distinct digests")
    func stringsOfEveryLengthGiveDistinctDigests() {
        var digests = Set<String>()
        for length in 0...140 {
            var scheduler = Scheduler<Probe>()
            var handler = ProbeHandler()
            scheduler.schedule(.note(String(repeating: "a", count: length)), at: .zero)
            scheduler.runUntilIdle(maxEvents: 1, handler: &handler)
            digests.insert(scheduler.traceDigest)
        }
        #expect(digests.count == 141)
    }

    @Test("numbers render in plain decimal")
    func numbersRenderInPlainDecimal() {
        let text = TraceLine.render { line in
            line.append(UInt64.max); line.append(byte: 32)
            line.append(Int64.min); line.append(byte: 32)
            line.append(0); line.append(byte: 32)
            line.append(Int(-7)); line.append(byte: 32)
            line.appendSeconds(nanoseconds: 1)
        }
        #expect(text == "18446744073709551615 -9223372036854775808 0 -7 0.000000001")
    }
}

struct WallClockTests {
    @Test("the default epoch is 2026-01-01 and never the real time")
    func theDefaultEpochIsFixed() {
        let clock = WallClock.defaultEpoch
        #expect(clock.iso8601(at: .zero) == "2026-01-01T00:00:00Z")
        #expect(clock.iso8601(at: SimTime(.days(59) + .hours(13) + .seconds(7))) == "2026-03-01T13:00:07Z")
        #expect(WallClock(epochUnixSeconds: 0).iso8601(at: .zero) == "1970-01-01T00:00:00Z")
        #expect(WallClock(epochUnixSeconds: 951_782_400).iso8601(at: .zero) == "2000-02-29T00:00:00Z")
        #expect(WallClock(epochUnixSeconds: -1).iso8601(at: .zero) == "1969-12-31T23:59:59Z")
    }

    @Test("unix seconds are written with at most four decimals, like the docs' .bak example")
    func unixSecondsAreWrittenWithFourDecimals() {
        let clock = WallClock(epochUnixSeconds: 1_246_036_261)
        #expect(clock.unixSecondsText(at: SimTime(.microseconds(578_5_99))) == "1246036261.5785")
        #expect(clock.unixSecondsText(at: .zero) == "1246036261")
        #expect(clock.unixSecondsText(at: SimTime(.milliseconds(500))) == "1246036261.5")
        #expect(clock.unixNanoseconds(at: SimTime(.seconds(1))) == 1_246_036_262_000_000_000)
    }
}
