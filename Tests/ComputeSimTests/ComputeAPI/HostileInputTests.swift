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
        #expect(Scenario.maximumFileBytes == 268_435_456)
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
