import Foundation
import Testing

@testable import ComputeSim

@Suite("Hostile input")
struct HostileInputTests {
    @Test("Input files that are not regular files are refused before reading: a directory, /dev/zero, a missing path")
    func onlyRegularFilesAreRead() {
        #expect(throws: ScenarioError(path: "", reason: "cannot read /tmp: not a regular file")) { try Scenario.load(path: "/tmp") }
        #expect(throws: ScenarioError(path: "", reason: "cannot read /dev/zero: not a regular file")) { try Scenario.load(path: "/dev/zero") }
        #expect(throws: ScenarioError(path: "", reason: "cannot read /nonexistent/x.json: no such file")) { try Scenario.load(path: "/nonexistent/x.json") }
        #expect(Scenario.maximumFileBytes == 16_777_216 && Scenario.maximumTraceFileBytes == 67_108_864)
    }

    @Test("A JSON file over 16 MiB is refused before reading (parsing needs up to 17x the file); a trace may be 64 MiB")
    func fileSizeLimits() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-big-\(ProcessInfo.processInfo.processIdentifier).json").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(Scenario.maximumFileBytes + 1))
        try handle.close()
        #expect(throws: ScenarioError(path: "", reason: "cannot read \(path): 16777217 bytes, more than the 16777216-byte limit")) {
            try Scenario.load(path: path)
        }
        #expect(try Scenario.readText(path, limit: Scenario.maximumTraceFileBytes).utf8.count == 16_777_217)
    }

    @Test("An array of a thousand faulty entries reports the first hundred and counts the rest; element paths are named once")
    func manyProblemsAreCapped() {
        let hosts = Array(repeating: #"{"name": "h", "vcpus": 0, "memoryMiB": 1, "diskGiB": 1}"#, count: 1_000).joined(separator: ",")
        do {
            _ = try Scenario.parse(#"{"hosts": [\#(hosts)]}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.allDescriptions.count == 101)
            #expect(error.allDescriptions[99] == "hosts[99].vcpus: expected a positive integer, got 0")
            #expect(error.allDescriptions[100] == "and 900 more problems like these")
        }
        let values =
            #"{"hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}], "workloads": [{"name": "w", "arrival": {"process": "constant", "interval": "1h"}, "flavor": "1", "lifetime": {"kind": "empirical", "values": ["1s", 1]}}]}"#
        #expect(throws: ScenarioError(path: "workloads[0].lifetime.values[1]", reason: "expected a string, got 1")) { try Scenario.parse(values) }
    }

    @Test("A trace file that names /dev/zero is refused with the workload's path")
    func traceFromADevice() {
        let text =
            #"{"name": "t", "duration": "1h", "hosts": [{"name": "h", "count": 1, "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100}], "workloads": [{"name": "w", "arrival": {"process": "trace", "file": "/dev/zero"}}]}"#
        #expect(throws: ScenarioError(path: "workloads[0].arrival.file", reason: "cannot read /dev/zero: not a regular file")) { try Scenario.parse(text) }
    }

    @Test("A scenario asking for 10^12 hosts is refused before any allocation")
    func absurdHostCount() {
        let text = #"{"name": "huge", "duration": "1h", "hosts": [{"count": 1000000000000}]}"#
        #expect(throws: ScenarioError.self) { try Scenario.parse(text) }
        do { _ = try Scenario.parse(text) } catch { #expect(error.path == "hosts[0].count") }
    }

    @Test(
        "JSON nested deeper than the documented limit is a 400 naming the limit; at the limit it parses",
        arguments: [JSONParser.maximumDepth, JSONParser.maximumDepth + 1, 50_000])
    func nestingLimit(depth: Int) throws {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        if depth <= JSONParser.maximumDepth {
            _ = try JSONParser.parse(text)
        } else {
            var cloud = try ComputeCloud()
            let response = API.call(&cloud, "POST", "/servers", text)
            #expect(response.status == 400)
            let path = (0..<JSONParser.maximumDepth).map { _ in "[0]" }.joined()
            #expect(
                response.bodyText
                    == #"{"badRequest":{"code":400,"message":"Malformed request body: invalid JSON at byte \#(JSONParser.maximumDepth) (\#(path)): nested deeper than 64 levels"}}"#
            )
        }
    }

    @Test(
        "Hostile bodies get a 400 naming what is wrong",
        arguments: [
            (#"{"server": {"name": "a", "name": "b"}}"#, #"(server.name): duplicate key \"name\""#),
            (#"{"server": null}"#, "server"),
            (#"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "min_count": 1e999}}"#, "(server.min_count)"),
            (#"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "max_count": "NaN"}}"#, "max_count"),
            (
                #"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "metadata": null}}"#,
                "Invalid input for field/attribute metadata. Value: null. null is not of type 'object'"
            ),
        ])
    func hostileBodies(body: String, named: String) throws {
        var cloud = try ComputeCloud()
        let response = API.call(&cloud, "POST", "/servers", body)
        #expect(response.status == 400, "\(response.bodyText)")
        #expect(response.bodyText.contains(named), "\(response.bodyText)")
        #expect(cloud.servers(as: Caller(project: "admin", isAdmin: true)).isEmpty)
    }

    @Test("Invalid UTF-8 in a body is a 400, and nothing is created")
    func invalidUTF8() throws {
        var cloud = try ComputeCloud()
        var request = API.request("POST", "/servers")
        request.body = Array(#"{"server": {"name": ""#.utf8) + [0xff, 0xfe] + Array(#""}}"#.utf8)
        let response = cloud.handle(request)
        #expect(response.status == 400)
        #expect(cloud.servers(as: Caller(project: "admin", isAdmin: true)).isEmpty)
    }
}

/// Issue 20 regressions fixed so far: each used to trap or leak.
struct HostileInputRegressionTests {
    @Test("changes-since outside the representable time range is a 400 naming the parameter, not a trap")
    func changesSinceOutOfRange() throws {
        var cloud = try ComputeCloud()
        for date in ["1700-01-01T00:00:00Z", "1677-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            let response = API.call(&cloud, "GET", "/servers?changes-since=\(date)")
            #expect(response.status == 400, "\(date)")
            #expect(
                response.bodyText
                    == #"{"badRequest":{"code":400,"message":"Invalid input for query parameters changes-since. Value: \#(date). '\#(date)' is not a 'date-time'"}}"#
            )
        }
        #expect(WallClock.defaultEpoch.time(parsingISO8601: "1700-01-01T00:00:00Z") == nil)
        #expect(WallClock.defaultEpoch.time(parsingISO8601: "2026-01-01T00:00:01Z") == SimTime(.seconds(1)))
    }

    @Test("a catastrophic name pattern against a tenant's own pathological name answers at once")
    func nameFilterIsLinear() throws {
        var cloud = try ComputeCloud()
        let name = String(repeating: "a", count: 160) + "!"
        let body = #"{"server": {"name": "\#(name)", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#
        #expect(API.call(&cloud, "POST", "/servers", body).status == 202)
        let none = API.call(&cloud, "GET", "/servers?name=(a%2B)%2B%24")
        #expect(none.status == 200 && none.bodyText == #"{"servers":[]}"#)
        let one = API.call(&cloud, "GET", "/servers?name=(a%2B)%2B!%24")
        #expect(one.body?.value(at: "servers.0.name") == .string(name))
        let refused = API.call(&cloud, "GET", "/servers?name=(a)%5C1")
        #expect(refused.status == 400)
        #expect(
            refused.bodyText == #"{"badRequest":{"code":400,"message":"Invalid input for query parameters name. Value: (a)\\1. '(a)\\1' is not a 'regex'"}}"#)
    }

    @Test(
        "min_count and max_count refusals say what was wrong, and digit strings count as Nova's schema allows",
        arguments: [
            (
                "9223372036854775807",
                "Invalid input for field/attribute min_count. Value: 9223372036854775807. 9223372036854775807 is greater than the maximum of 1000"
            ),
            ("0", "Invalid input for field/attribute min_count. Value: 0. 0 is less than the minimum of 1"),
            ("-3", "Invalid input for field/attribute min_count. Value: -3. -3 is less than the minimum of 1"),
            ("1.5", "Invalid input for field/attribute min_count. Value: 1.5. 1.5 is not of type 'integer', 'string'"),
            (#""x2""#, "Invalid input for field/attribute min_count. Value: x2. 'x2' does not match '^[0-9]*$'"),
            (#""""#, "Invalid input for field/attribute min_count. Value: . '' is too short"),
            (
                #""99999999999999999999999""#,
                "Invalid input for field/attribute min_count. Value: 99999999999999999999999. '99999999999999999999999' is greater than the maximum of 1000"
            ),
            (#""2""#, ""),
        ])
    func serverCounts(value: String, message: String) throws {
        var cloud = try ComputeCloud()
        let response = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "min_count": \#(value)}}"#)
        if message.isEmpty {
            #expect(response.status == 202)
            #expect(cloud.servers(as: Caller(project: "admin", isAdmin: true)).count == 2)
        } else {
            #expect(response.status == 400)
            #expect(response.body?.value(at: "badRequest.message") == .string(message))
        }
    }

    @Test("400s that echo the request body never repeat an adminPass or a large user_data")
    func secretsAreRedacted() throws {
        var cloud = try ComputeCloud()
        let userData = String(repeating: "QUJD", count: 40)
        let missingName = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"adminPass": "S3cret-X1", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "user_data": "\#(userData)"}}"#)
        #expect(missingName.status == 400)
        #expect(!missingName.bodyText.contains("S3cret-X1") && !missingName.bodyText.contains(userData))
        #expect(missingName.bodyText.contains(#"\"adminPass\":\"***\""#))
        let numericPassword = API.call(
            &cloud, "POST", "/servers",
            #"{"server": {"name": "a", "adminPass": 12345678, "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#)
        #expect(numericPassword.bodyText.contains("Invalid input for field/attribute adminPass. Value: ***. *** is not of type 'string'"))
        #expect(!numericPassword.bodyText.contains("12345678"))
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        let badRebuild = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"rebuild": {"adminPass": "Rebuild-S3cret"}}"#)
        #expect(badRebuild.status == 400 && !badRebuild.bodyText.contains("Rebuild-S3cret"))
    }
}

/// Issue 20, defect classes 1, 2 and 5: time, counts and formatting stay in range; input from
/// any platform is read; nothing a user names reaches a file raw.
struct TimeRangeRegressionTests {
    static let hosts = #""hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}]"#

    @Test("a cloud refuses to advance past 100 years and stays where it was")
    func advancingPastTheLimitIsABadRequest() throws {
        var cloud = try ComputeCloud()
        try cloud.advance(by: .days(36_000))
        #expect(throws: CloudError(.badRequest, "cannot advance by 501d from T+36000d: a simulation ends at most 36500d (about 100 years) after its start")) {
            try cloud.advance(by: .days(501))
        }
        #expect(throws: CloudError(.badRequest, "cannot advance by a negative duration (-1s)")) { try cloud.advance(by: .seconds(-1)) }
        #expect(cloud.now == SimTime(.days(36_000)))
        try cloud.advance(to: .limit)
        #expect(cloud.wallClockTime == "2125-12-08T00:00:00Z")
        #expect(throws: CloudError.self) { try cloud.advance(by: .nanoseconds(1)) }
    }

    @Test("events due after the limit stay pending: runUntilIdle is idle and the reclaim never runs")
    func eventsPastTheLimitStayPending() throws {
        var cloud = try Lab.cloud { $0.reclaimInterval = .days(36_500) }
        let id = try #require(API.call(&cloud, "POST", "/servers", API.guideCreate).body?.value(at: "server.id")?.stringValue)
        cloud.runUntilIdle()
        try cloud.advance(to: SimTime(.days(10)))
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)").status == 204)
        #expect(cloud.runUntilIdle() == .idle)
        #expect(cloud.now < .limit)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.status") == .string("SOFT_DELETED"))
    }

    @Test("durations, epochs and distribution samples outside the range are refused or clamped")
    func userTimesAreBounded() throws {
        #expect(throws: KernelError(.timeOverflow, "invalid duration \"106751d\": longer than the limit of 36500d (about 100 years)")) {
            try SimDuration(parsing: "106751d")
        }
        #expect(try WallClock(epochISO8601: "2100-01-01T00:00:00Z").epochUnixNanoseconds == 4_102_444_800_000_000_000)
        #expect(try WallClock(epochISO8601: "1970-01-01T00:00:00Z").epochUnixNanoseconds == 0)
        #expect(
            throws: KernelError(.timeOverflow, "epoch 2262-04-10T00:00:00Z is outside the supported range 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z")
        ) { try WallClock(epochISO8601: "2262-04-10T00:00:00Z") }
        #expect(throws: KernelError.self) { try WallClock(epochISO8601: "1969-12-31T23:59:59Z") }
        #expect(throws: KernelError(.invalidTimestamp, "expected an ISO 8601 time such as 2026-01-01T00:00:00Z")) { try WallClock(epochISO8601: "tomorrow") }
        var random = DeterministicRandom(seed: 1)
        #expect(Distribution.constant(1e300).sampleDuration(using: &random) == .limit)
        #expect(Distribution.lognormal(mu: 700, sigma: 1).sampleDuration(using: &random) == .limit)
        #expect(Distribution.constant(-5).sampleDuration(using: &random) == .zero)
    }

    @Test("validate refuses what run cannot do: late epochs, 292-year intervals, create timing of 4 x 106751d")
    func validateRefusesWhatRunCannotDo() {
        let cases: [(String, String)] = [
            (
                #""epoch": "2262-04-10T00:00:00Z", "duration": "3d""#,
                "epoch: epoch 2262-04-10T00:00:00Z is outside the supported range 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z"
            ),
            (#""reclaimInterval": "106751d""#, "reclaimInterval: invalid duration \"106751d\": longer than the limit of 36500d (about 100 years)"),
            (#""shelvedOffloadTime": "106751d""#, "shelvedOffloadTime: invalid duration \"106751d\": longer than the limit of 36500d (about 100 years)"),
            (#""duration": "86299d""#, "duration: invalid duration \"86299d\": longer than the limit of 36500d (about 100 years)"),
        ]
        for (fields, message) in cases {
            #expect(throws: ScenarioError.self, "\(fields)") { try Scenario.parse("{\(fields), \(Self.hosts)}") }
            do {
                _ = try Scenario.parse("{\(fields), \(Self.hosts)}")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test("the widest run (epoch 2100, 36500 days, the longest intervals) writes its CSV without a trap")
    func theWidestRunReports() throws {
        let scenario = try Scenario.parse(
            #"{"epoch": "2100-01-01T00:00:00Z", "duration": "36500d", "sampleInterval": "3650d", "reclaimInterval": "36500d", "shelvedOffloadTime": "36500d", \#(Self.hosts), "workloads": [{"name": "w", "arrival": {"process": "burst", "at": "0s", "count": 2}, "flavor": "1", "lifetime": {"kind": "constant", "value": "36500d"}, "actions": [{"action": "shelve", "perHour": 1}]}], "timing": {"create": [{"kind": "constant", "value": "36500d"}, {"kind": "constant", "value": "36500d"}, {"kind": "constant", "value": "36500d"}, {"kind": "constant", "value": "36500d"}]}}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        let lastRow = try #require(report.timeSeriesCSV.split(separator: "\n").last)
        #expect(lastRow.hasPrefix("3153600000,2199-12-08T00:00:00Z,"))
        #expect(report.invariantViolations.isEmpty)
    }

    @Test("counts and chart numbers never overflow: a 10^20-run sweep is refused, 1e17 is drawn")
    func countsAndFormatting() throws {
        let scenario = try JSONParser.parse("{\(Self.hosts)}")
        var fields: [String] = []
        for index in 0..<20 { fields.append(#""placement.k\#(index)": [1,2,3,4,5,6,7,8,9,10]"#) }
        let sweepText = #"{"scenario": "s.json", "parameters": {\#(fields.joined(separator: ", "))}}"#
        #expect(throws: ScenarioError(path: "parameters", reason: "the sweep expands to at least 9223372036854775807 runs; at most \(Sweep.maximumRuns)")) {
            try Sweep.parse(sweepText) { _ throws(ScenarioError) in scenario }
        }
        #expect(SVGChart.format(1e17) == "1e+17" && SVGChart.format(-3e20, decimals: 2) == "-3e+20")
        #expect(SVGChart.format(.nan) == "0" && SVGChart.format(.infinity) == "0" && SVGChart.format(123.456, decimals: 2) == "123.46")
    }
}

/// Issue 20, defect class 5: messages that say what was wrong; any platform's line endings.
struct InputHygieneRegressionTests {
    static let hosts = #""hosts": [{"name": "h", "vcpus": 4, "memoryMiB": 8192, "diskGiB": 100}]"#

    static func message(_ text: String) -> String {
        do {
            _ = try Scenario.parse(text)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test("an integer out of range names the bound it crossed")
    func rangeMessagesNameTheBound() {
        #expect(
            Self.message(
                #"{\#(Self.hosts), "workloads": [{"name": "w", "arrival": {"process": "constant", "interval": "1s"}, "maxServers": 1000000000, "flavor": "1"}]}"#
            )
                == "workloads[0].maxServers: expected a positive integer, got 1000000000, above the maximum of 10000000")
        #expect(
            Self.message(
                #"{\#(Self.hosts), "workloads": [{"name": "w", "arrival": {"process": "constant", "interval": "1s"}, "maxServers": 0, "flavor": "1"}]}"#)
                == "workloads[0].maxServers: expected a positive integer, got 0")
    }

    @Test("seeds of 2^63 and more are accepted as strings, and a number that cannot hold them says so")
    func largeSeeds() throws {
        #expect(try Scenario.parse(#"{"seed": "18446744073709551615", \#(Self.hosts)}"#).configuration.seed == .max)
        #expect(try Scenario.parse(#"{"seed": 9223372036854775807, \#(Self.hosts)}"#).configuration.seed == 9_223_372_036_854_775_807)
        #expect(
            Self.message(#"{"seed": 9223372036854775808, \#(Self.hosts)}"#)
                == #"seed: a seed of 2^63 or more must be written as a string ("seed": "18446744073709551615"): as a JSON number it loses precision"#)
        #expect(Self.message(#"{"seed": -1, \#(Self.hosts)}"#) == "seed: expected an integer from 0 to 18446744073709551615, got -1")
        #expect(Self.message(#"{"seed": "0x10", \#(Self.hosts)}"#) == #"seed: expected a decimal unsigned 64-bit integer string, got "0x10""#)
    }

    @Test("a NUL inside a file path is refused, not truncated to another file")
    func nulInPaths() {
        #expect(throws: ScenarioError(path: "", reason: "cannot read Fixtures\\u{00}/x.csv: the path contains a NUL character")) {
            try Scenario.readText("Fixtures\u{0}/x.csv")
        }
        #expect(
            Self.message(#"{\#(Self.hosts), "workloads": [{"name": "w", "arrival": {"process": "trace", "file": "a\u0000b.csv"}}]}"#)
                == "workloads[0].arrival.file: cannot read a\\u{00}b.csv: the path contains a NUL character")
    }

    @Test("names with control characters reach summary.txt and the SVG charts escaped")
    func controlCharactersAreEscaped() throws {
        let scenario = try Scenario.parse(
            #"{"name": "evil\u0000\u001b[31m", "duration": "1h", \#(Self.hosts), "workloads": [{"name": "w\u0007", "arrival": {"process": "burst", "at": "0s", "count": 1}, "flavor": "1"}]}"#
        )
        var runner = try ScenarioRunner(scenario: scenario)
        let report = runner.run()
        #expect(report.summary.hasPrefix("scenario evil\\u{00}\\u{1B}[31m, seed"))
        #expect(!report.summary.utf8.contains { $0 < 0x20 && $0 != 0x0A })
        #expect(!report.statusChart.svg.utf8.contains { $0 < 0x20 && $0 != 0x0A })
        #expect("tab\there\r\n".escapingControlCharacters == "tab\\u{09}here\\u{0D}\\u{0A}")
    }

    @Test("trace files with CRLF line endings are read like LF ones")
    func crlfTraceFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compute-sim-crlf-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = ["time,account,flavor,image,lifetime", "0s,p,1,,1h", "10s,q,2,,"]
        for (name, separator) in [("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
            try Data((rows.joined(separator: separator) + separator).utf8).write(to: directory.appendingPathComponent(name))
        }
        func arrivals(_ file: String) throws -> String {
            let scenario = try Scenario.parse(
                #"{\#(Self.hosts), "workloads": [{"name": "w", "arrival": {"process": "trace", "file": "\#(file)"}}]}"#, baseDirectory: directory.path)
            return "\(scenario.workloads[0].arrival)"
        }
        #expect(try arrivals("crlf.csv") == arrivals("lf.csv"))
        #expect("a\r\nb\nc\rd".textLines == ["a", "b", "c\rd"])
        // The byte scan cuts exactly where splitting the Characters does, on seeded texts
        // built from line breaks, lone CRs, combining marks, emoji and ASCII (and on substrings).
        let pieces = ["\n", "\r", "\r\n", "\u{301}", "a", "é", "👍🏽", "\r\r\n", "\n\u{301}", "x\r", ""]
        var random = DeterministicRandom(seed: 21)
        for _ in 0..<300 {
            let text = (0..<random.nextIndex(below: 12)).map { _ in pieces[random.nextIndex(below: pieces.count)] }.joined()
            let reference = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
            #expect(text.textLines == reference, "\(text.unicodeScalars.map { $0.value })")
            let tail = text.dropFirst(min(1, text.count))
            #expect(tail.textLines == tail.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" })
        }
    }
}
