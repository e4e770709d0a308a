import ComputeSim
import ComputeSimTesting
import Foundation
import TestSupport
import Testing

@testable import ComputeSimCLI

struct SessionTests {
    static var serverConcepts: String {
        String(
            decoding: FileManager.default.contents(atPath: Golden.packageRoot.appendingPathComponent("Fixtures/Sessions/server-concepts.jsonl").path) ?? Data(),
            as: UTF8.self)
    }

    static var fixtureSessions: [String] {
        let folder = Golden.packageRoot.appendingPathComponent("Fixtures/Sessions")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
    }

    @Test("every fixture session passes every expectation with --check", arguments: fixtureSessions)
    func everyFixturePasses(name: String) throws {
        let path = Golden.packageRoot.appendingPathComponent("Fixtures/Sessions/\(name)").path
        let run = runSession(SessionOptions(path: path, check: true))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr == "")
        #expect(run.stdout.hasSuffix(" passed, 0 failed\n"))
    }

    @Test("the fixtures include the server concepts, every status and the README example")
    func theFixturesExist() {
        #expect(Self.fixtureSessions == ["endpoints.jsonl", "readme-example.jsonl", "server-concepts.jsonl", "statuses.jsonl"])
        #expect(runSession(SessionOptions(path: "s", check: true), text: Self.serverConcepts).stdout.hasSuffix("24 passed, 0 failed\n"))
    }

    @Test("a session replays byte for byte for a seed, matching the golden file")
    func sessionsReplayByteForByte() {
        let first = runSession(SessionOptions(path: "s", seed: 1), text: Self.serverConcepts)
        #expect(first == runSession(SessionOptions(path: "s", seed: 1), text: Self.serverConcepts))
        #expect(first.stdout != runSession(SessionOptions(path: "s", seed: 2), text: Self.serverConcepts).stdout)
        Golden.check(first.stdout, against: "session-server-concepts-seed-1.jsonl")
    }

    @Test("mismatches are reported with the step and path, and fail the run")
    func mismatchesAreReported() {
        let session = """
            {"request": {"method": "GET", "path": "/flavors/1", "project": "p"}, "expect": {"status": 500, "body": {"flavor": {"name": "m1.huge", "ram": "<any>", "vcpus": "<regex:[0-9]+>"}}, "absent": ["flavor.id"]}}
            {"request": {"method": "GET", "path": "/flavors/2", "project": "p"}, "expect": {"status": 200, "body": {"flavor": {"name": "<regex:m1\\\\.s.*>", "links": [{"rel": "self"}, {"rel": "bookmark"}]}}}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.exitCode == 1)
        #expect(
            run.stderr == """
                step 1: status: expected 500, got 200
                step 1: body.flavor.name: expected "m1.huge", got "m1.tiny"
                step 1: body.flavor.vcpus: expected "<regex:[0-9]+>", got 1
                step 1: body.flavor.id: expected absent, got "1"

                """)
        #expect(run.stdout.hasSuffix("1 passed, 1 failed\n"))
    }

    @Test("captured values substitute into later steps, keeping their JSON type when a string is only a placeholder")
    func capturesSubstitute() {
        let session = """
            {"request": {"method": "GET", "path": "/flavors/3", "project": "p"}, "capture": {"RAM": "flavor.ram", "NAME": "flavor.name"}}
            {"request": {"method": "GET", "path": "/flavors/detail", "project": "p"}, "expect": {"body": {"flavors": [{}, {}, {"ram": "{{RAM}}", "name": "{{NAME}}"}, {}, {}, {}]}}}
            {"request": {"method": "GET", "path": "/flavors/{{RAM}}", "project": "p"}, "expect": {"status": 404, "body": {"itemNotFound": {"message": "Flavor 4096 could not be found."}}}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.stderr == "" && run.exitCode == 0)
    }

    @Test("a captured value is spliced in once: placeholders inside it are never expanded again")
    func capturesAreSubstitutedOnce() throws {
        let create =
            #"{"request": {"method": "POST", "path": "/servers", "project": "p", "body": {"server": {"name": "s", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}}, "capture": {"ID": "server.id"}}"#
        let session = """
            \(create)
            {"runUntilIdle": true}
            {"request": {"method": "PUT", "path": "/servers/{{ID}}/metadata/a", "project": "p", "body": {"meta": {"a": "{{B}}{{B}}"}}}, "capture": {"A": "meta.a"}}
            {"request": {"method": "PUT", "path": "/servers/{{ID}}/metadata/b", "project": "p", "body": {"meta": {"b": "xy"}}}, "capture": {"B": "meta.b"}}
            {"request": {"method": "PUT", "path": "/servers/{{ID}}/metadata/c", "project": "p", "body": {"meta": {"c": "{{A}}-{{B}}-{{C}}"}}}, "expect": {"status": 200}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.stderr == "" && run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""c":"{{B}}{{B}}-xy-{{C}}""#))
    }

    @Test("substitution that would grow a step past 1 MiB stops the run at that line, in milliseconds")
    func substitutionIsBounded() throws {
        let create =
            #"{"request": {"method": "POST", "path": "/servers", "project": "p", "body": {"server": {"name": "s", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}}, "capture": {"ID": "server.id"}}"#
        let big = String(repeating: "v", count: 255)
        let session = """
            \(create)
            {"runUntilIdle": true}
            {"request": {"method": "PUT", "path": "/servers/{{ID}}/metadata/k", "project": "p", "body": {"meta": {"k": "\(big)"}}}, "capture": {"V": "meta.k"}}
            {"request": {"method": "GET", "path": "/servers/\(String(repeating: "{{V}}", count: 5_000))", "project": "p"}}
            """
        let run = runSession(SessionOptions(path: "s.jsonl"), text: session)
        #expect(run.exitCode == 2)
        #expect(run.stderr == "compute-sim: s.jsonl line 4: substituting captured values makes the step longer than 1048576 bytes\n")
    }

    @Test("sessions with CRLF line endings run like LF ones, and advancing past 100 years is refused")
    func crlfSessionsAndLongAdvances() {
        let lines = [#"{"advance": "30s"}"#, "# comment", #"{"request": {"method": "GET", "path": "/flavors/1", "project": "p"}}"#]
        let lf = runSession(SessionOptions(path: "s"), text: lines.joined(separator: "\n"))
        let crlf = runSession(SessionOptions(path: "s"), text: lines.joined(separator: "\r\n") + "\r\n")
        #expect(lf.exitCode == 0 && crlf == lf)
        #expect(lf.stdout.split(separator: "\n").count == 2)
        let far = runSession(SessionOptions(path: "s.jsonl"), text: #"{"advance": "36000d"}"# + "\n" + #"{"advance": "501d"}"#)
        #expect(far.exitCode == 2)
        #expect(
            far.stderr
                == "compute-sim: s.jsonl line 2: cannot advance by 501d from T+36000d: a simulation ends at most 36500d (about 100 years) after its start\n")
        #expect(far.stdout == #"{"now":"2124-07-26T00:00:00Z","step":1}"# + "\n")
        let huge = runSession(SessionOptions(path: "s.jsonl"), text: #"{"advance": "86299d"}"#)
        #expect(huge.stderr == "compute-sim: s.jsonl line 1: invalid duration \"86299d\": longer than the limit of 36500d (about 100 years)\n")
    }

    @Test(
        "malformed lines stop the run with the line number and reason",
        arguments: [
            ("{\"advance\": \"30s\"}\nnot json", "line 2: invalid JSON at byte 1: expected null"),
            (
                "# comment\n\n{\"advance\": \"30s\", \"runUntilIdle\": true}",
                "line 3: a step needs exactly one of request, advance, runUntilIdle, fault, files, shutdownTerminate"
            ),
            ("{\"shutdownTerminate\": {\"server\": \"x\"}}", "line 1: shutdownTerminate needs a string \"server\" and a boolean \"value\""),
            ("{\"shutdownTerminate\": {\"server\": \"x\", \"value\": true}}", "line 1: Instance x could not be found."),
            ("{\"advance\": \"soon\"}", "line 1: invalid duration \"soon\": expected a number at \"soon\""),
            ("{\"request\": {\"path\": \"/servers\", \"project\": \"p\"}}", "line 1: request needs a string \"method\""),
            ("{\"runUntilIdle\": true, \"expect\": {}}", "line 1: unexpected key \"expect\" in a runUntilIdle step"),
            ("{\"fault\": {\"kind\": \"meteor\"}}", "line 1: fault kind meteor needs a \"host\", or is unknown"),
            ("{\"fault\": {\"kind\": \"hostDown\", \"host\": \"nope\"}}", "line 1: no host named nope"),
            ("[1]", "line 1: a step must be a JSON object"),
        ])
    func malformedLinesStopTheRun(session: String, message: String) {
        let run = runSession(SessionOptions(path: "s.jsonl"), text: session)
        #expect(run.exitCode == 2)
        #expect(run.stderr == "compute-sim: s.jsonl \(message)\n")
    }

    @Test("faults, advances and files steps print the simulated wall time or the files")
    func nonRequestSteps() {
        let session = """
            {"request": {"method": "POST", "path": "/servers", "project": "p", "body": {"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}}, "capture": {"ID": "server.id"}}
            {"fault": {"kind": "failNextBuild"}}
            {"runUntilIdle": true}
            {"request": {"method": "GET", "path": "/servers/{{ID}}", "project": "p"}, "expect": {"body": {"server": {"status": "ACTIVE"}}}}
            {"files": {"server": "{{ID}}", "path": "/home"}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines[1] == #"{"now":"2026-01-01T00:00:00Z","step":2}"#)
        #expect(
            lines[4]
                == #"{"files":[{"gid":1000,"kind":"directory","mode":"0755","mtime":"2026-01-01T00:00:00Z","path":"/home/cirros","size":0,"uid":1000}],"step":5}"#
        )
    }

    @Test("a shutdownTerminate step makes a guest's own shutdown delete the server at the next power sync")
    func shutdownTerminateStep() {
        let session = """
            {"request": {"method": "POST", "path": "/servers", "project": "p", "body": {"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}}, "capture": {"ID": "server.id"}}
            {"runUntilIdle": true}
            {"shutdownTerminate": {"server": "{{ID}}", "value": true}}
            {"fault": {"kind": "guestShutdown", "server": "{{ID}}"}}
            {"runUntilIdle": true}
            {"request": {"method": "GET", "path": "/servers/{{ID}}", "project": "p"}, "expect": {"status": 404}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n")[2] == #"{"now":"2026-01-01T00:00:35Z","step":3}"#)
    }

    @Test("a session creates a port through /v2.0/ports and boots a server on it")
    func sessionPorts() {
        let session = """
            {"request": {"method": "POST", "path": "/v2.0/ports", "project": "p", "body": {"port": {"network_id": "3cb9bc59-5699-4588-a4b1-b87f96708bc6", "fixed_ips": [{"ip_address": "10.0.0.99"}]}}}, "capture": {"PORT": "port.id"}, "expect": {"status": 201}}
            {"request": {"method": "POST", "path": "/servers", "project": "p", "body": {"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "networks": [{"port": "{{PORT}}"}]}}}, "capture": {"ID": "server.id"}, "expect": {"status": 202}}
            {"runUntilIdle": true}
            {"request": {"method": "GET", "path": "/servers/{{ID}}/ips", "project": "p"}, "expect": {"body": {"addresses": {"private": [{"addr": "10.0.0.99", "version": 4}, {"addr": "fd00::63", "version": 6}]}}}}
            {"request": {"method": "GET", "path": "/v2.0/ports/{{PORT}}", "project": "p"}, "expect": {"body": {"port": {"device_id": "{{ID}}", "status": "ACTIVE"}}}}
            """
        let run = runSession(SessionOptions(path: "s", check: true), text: session)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("4 passed, 0 failed\n"))
    }

    @Test("the session command line parses and refuses what it cannot do")
    func sessionCommandLine() throws {
        #expect(
            try Invocation.parse(["session", "--check", "--seed", "9", "a.jsonl"])
                == Invocation(command: .session(SessionOptions(path: "a.jsonl", seed: 9, check: true))))
        #expect(throws: UsageError(message: "session needs a SESSION.jsonl file")) { try Invocation.parse(["session"]) }
        #expect(throws: UsageError(message: "--scenario needs a file")) { try Invocation.parse(["session", "a.jsonl", "--scenario"]) }
        #expect(runSession(SessionOptions(path: "/nonexistent/file.jsonl")).stderr == "compute-sim: cannot read /nonexistent/file.jsonl: no such file\n")
    }
}
