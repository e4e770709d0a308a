import ComputeSim
import ComputeSimTesting
import Foundation
import TestSupport
import Testing

@testable import ComputeSimCLI

struct InvocationTests {
    @Test("no arguments run the demo with its defaults")
    func noArgumentsRunTheDemo() throws {
        #expect(try Invocation.parse([]) == Invocation(command: .demo(DemoOptions())))
        #expect(try Invocation.parse(["demo"]) == Invocation(command: .demo(DemoOptions())))
    }

    @Test("options are parsed into the invocation")
    func optionsAreParsed() throws {
        let parsed = try Invocation.parse(["demo", "--seed", "18446744073709551615", "--until", "1.5h", "--trace"])
        #expect(parsed == Invocation(command: .demo(DemoOptions(seed: .max, duration: .seconds(5_400), printTrace: true))))
        #expect(try Invocation.parse(["--seed", "7"]) == Invocation(command: .demo(DemoOptions(seed: 7))))
        #expect(try Invocation.parse(["--help"]) == Invocation(command: .help))
        #expect(try Invocation.parse(["demo", "-h"]) == Invocation(command: .help))
        #expect(try Invocation.parse(["--version"]) == Invocation(command: .version))
    }

    @Test(
        "bad arguments are usage errors naming the argument",
        arguments: [
            (["--seed"], "--seed needs a value"),
            (["--seed", "-1"], "--seed expects an unsigned 64-bit integer, got \"-1\""),
            (["--seed", "18446744073709551616"], "--seed expects an unsigned 64-bit integer, got \"18446744073709551616\""),
            (["--until", "soon"], "--until: invalid duration \"soon\": expected a number at \"soon\""),
            (["--until"], "--until needs a value"),
            (["--frobnicate"], "unknown option \"--frobnicate\""),
            (["launch"], "unknown command \"launch\"; the commands are \"demo\", \"run\", \"sweep\", \"merge\", \"session\" and \"validate\""),
        ])
    func badArgumentsAreUsageErrors(arguments: [String], message: String) {
        #expect(throws: UsageError(message: message)) { try Invocation.parse(arguments) }
    }
}

struct DemoTests {
    @Test("the demo's output for seed 1 matches the golden file")
    func theDemoOutputMatchesTheGoldenFile() {
        Golden.check(runDemo(DemoOptions(seed: 1)), against: "demo-seed-1.txt")
    }

    @Test("the demo's trace for seed 2 over five minutes matches the golden file")
    func theDemoTraceMatchesTheGoldenFile() {
        Golden.check(runDemo(DemoOptions(seed: 2, duration: .minutes(5), printTrace: true)), against: "demo-seed-2-5m-trace.txt")
    }

    @Test("the same seed prints the same bytes and another seed does not")
    func theSameSeedPrintsTheSameBytes() {
        #expect(runDemo(DemoOptions(seed: 9)) == runDemo(DemoOptions(seed: 9)))
        #expect(runDemo(DemoOptions(seed: 9)) != runDemo(DemoOptions(seed: 10)))
    }

    @Test("a long demo run keeps placement invariants, and only full anti-affinity groups are refused")
    func aLongDemoRunKeepsInvariants() {
        let output = runDemo(DemoOptions(seed: 5, duration: .hours(12)))
        #expect(output.contains("invariants          hold"))
        // Capacity is ample; a group with more live members than the 8 hosts is not.
        #expect(output.contains("no valid host       34 (hosts eliminated: ServerGroupAntiAffinityFilter 272)"))
    }
}

struct OutputFailureTests {
    @Test("a failed write (a full device) is reported as false instead of trapping")
    func failedWritesAreReported() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        #expect(write("report line\n", to: full) == false)
        let null = try #require(FileHandle(forWritingAtPath: "/dev/null"))
        #expect(write("report line\n", to: null) == true)
        #expect(write("", to: full) == true)  // nothing to write, nothing to fail
    }

    @Test("reports aimed at a file, a read-only place or a full device say so in words, not Cocoa error numbers")
    func outputErrorsNameTheReason() throws {
        let scenario = Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/small-cloud.json").path
        let intoFile = runScenario(RunOptions(path: scenario, outputDirectory: "/dev/null"))
        #expect(intoFile.exitCode == 2 && intoFile.stderr == "compute-sim: cannot write the report: /dev/null exists and is not a directory\n")
        #expect(throws: OutputError(message: "cannot create the directory /dev/null/x: Not a directory")) { try makeDirectory("/dev/null/x") }
        #expect(throws: OutputError(message: "cannot write /proc/version/x: Not a directory")) { try writeFile("x", to: "/proc/version/x") }
        #expect(throws: OutputError(message: "cannot write /dev/full: No space left on device")) { try writeFile("x", to: "/dev/full") }
        #expect(throws: OutputError(message: "cannot write /proc/nope: No such file or directory")) { try writeFile("x", to: "/proc/nope") }
    }

    @Test("the demo's --until is bounded, so it cannot run for hours with no output")
    func demoLengthIsBounded() throws {
        #expect(throws: UsageError(message: "--until: the demo runs at most 365d; use compute-sim run with a scenario for longer")) {
            try Invocation.parse(["demo", "--until", "366d"])
        }
        #expect(throws: UsageError(message: "--until: invalid duration \"100000d\": longer than the limit of 36500d (about 100 years)")) {
            try Invocation.parse(["--until", "100000d"])
        }
    }
}
