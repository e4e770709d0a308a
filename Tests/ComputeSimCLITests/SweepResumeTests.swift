import Foundation
import TestSupport
import Testing

@testable import ComputeSim
@testable import ComputeSimCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Sweeps lose and repeat nothing: atomic record writes, resuming, fingerprints, `--shard auto`.
@Suite(.serialized)
struct SweepResumeTests {
    static var sweepPath: String { ScenarioCommandTests.sweepPath }

    /// A fresh directory for one test, removed by the caller.
    static func directory(_ name: String) -> String { ScenarioCommandTests.temporaryDirectory("resume-\(name)") }

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Every file of `folder` with its bytes, by name.
    static func snapshot(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            name + ": " + (contents(folder + "/" + name).map { String(decoding: $0, as: UTF8.self) } ?? "unreadable")
        }
    }

    /// The merged table (CSV and JSON bytes) of the sweep written to `directory`.
    static func mergedTable(_ directory: String) throws -> (csv: Data, json: Data) {
        let merged = runMerge(MergeOptions(directories: [directory], output: directory + "/table.csv"))
        #expect(merged.exitCode == 0, "\(merged.stderr)")
        return (try #require(contents(directory + "/table.csv")), try #require(contents(directory + "/table.json")))
    }

    /// The merged table of the whole sweep, run once without interruption.
    static func referenceTable(_ sweep: String, name: String) throws -> (csv: Data, json: Data) {
        let whole = directory("reference-\(name)")
        defer { try? FileManager.default.removeItem(atPath: whole) }
        let output = runSweep(SweepOptions(path: sweep, outputDirectory: whole))
        #expect(output.exitCode == 0, "\(output.stderr)")
        return try mergedTable(whole)
    }

    @Test("a rerun keeps the valid records, runs only the missing ones, removes left-over temporary files, and merges to the same bytes")
    func rerunResumes() throws {
        let reference = try Self.referenceTable(Self.sweepPath, name: "spreading")
        let folder = Self.directory("rerun")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(runSweep(SweepOptions(path: Self.sweepPath, outputDirectory: folder)).exitCode == 0)
        let kept = try #require(Self.contents(folder + "/runs/run-000000.json"))
        for index in [3, 7, 11] { try FileManager.default.removeItem(atPath: folder + "/runs/" + sweepRecordName(index)) }
        // What a write killed before its rename leaves behind, and a file of someone else's.
        try Data("{\"run\": 3".utf8).write(to: URL(fileURLWithPath: folder + "/runs/.run-000003.json.4242.tmp"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/runs/.notes.tmp"))
        let resumed = runSweep(SweepOptions(path: Self.sweepPath, outputDirectory: folder))
        #expect(resumed.exitCode == 0 && resumed.stderr == "")
        let lines = resumed.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[1] == "resuming: 9 of this shard's 12 run record(s) are already written and valid; running the other 3")
        #expect(lines[2].hasPrefix("run 3 seed 1 ") && lines[3].hasPrefix("run 7 seed 2 ") && lines[4].hasPrefix("run 11 seed 3 "))
        #expect(lines[5] == "wrote 3 run record(s) to \(folder)/runs (9 kept from before)")
        #expect(Self.contents(folder + "/runs/run-000000.json") == kept)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").sorted()
        #expect(names == [".notes.tmp"] + (0..<12).map(sweepRecordName))
        let table = try Self.mergedTable(folder)
        #expect(table.csv == reference.csv && table.json == reference.json)
        // Nothing is left to do: a third run runs nothing.
        let again = runSweep(SweepOptions(path: Self.sweepPath, shard: 1, shards: 3, outputDirectory: folder))
        #expect(
            again.stdout.hasSuffix(
                "resuming: 4 of this shard's 4 run record(s) are already written and valid; running the other 0\nwrote 0 run record(s) to \(folder)/runs (4 kept from before)\n"
            ))
    }

    @Test("records of another sweep or damaged ones stop the sweep, named by path and reason, and are left as they were")
    func foreignRecordsStopTheSweep() throws {
        let folder = Self.directory("foreign")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(runSweep(SweepOptions(path: Self.sweepPath, shard: 0, shards: 4, outputDirectory: folder)).exitCode == 0)
        // The same sweep with a different duration is a different sweep.
        let other = folder + "/other-sweep.json"
        try Data(
            #"{"scenario": "\#(ScenarioCommandTests.smallCloudPath)", "seeds": {"from": 1, "count": 3}, "duration": "30m", "parameters": {"placement.accountSpreading": ["strict", "off"], "workloads[0].arrival.meanInterval": ["60s", "120s"]}}"#
                .utf8
        ).write(to: URL(fileURLWithPath: other))
        let mine = try Sweep.load(path: Self.sweepPath).fingerprint, theirs = try Sweep.load(path: other).fingerprint
        #expect(mine != theirs)
        try Data(#"{"run":4,"#.utf8).write(to: URL(fileURLWithPath: folder + "/runs/run-000004.json"))
        let before = try Self.snapshot(folder + "/runs")
        let refused = runSweep(SweepOptions(path: other, outputDirectory: folder))
        #expect(refused.exitCode == 2)
        let runs = folder + "/runs/"
        let difference = "belongs to a different sweep (fingerprint \(mine.prefix(12)), this sweep's is \(theirs.prefix(12)))"
        #expect(
            refused.stderr == """
                compute-sim: \(runs)run-000000.json: \(difference)
                compute-sim: \(runs)run-000004.json: not valid JSON (invalid JSON at byte 9: expected a string key)
                compute-sim: \(runs)run-000008.json: \(difference)
                compute-sim: 3 record(s) in \(folder)/runs cannot be kept (another sweep's, or damaged); move them away or choose another --out, then run again

                """)
        #expect(try Self.snapshot(folder + "/runs") == before)
        // The sweep that wrote them still refuses only the damaged one.
        let own = runSweep(SweepOptions(path: Self.sweepPath, shard: 0, shards: 4, outputDirectory: folder))
        #expect(own.exitCode == 2 && own.stderr.hasPrefix("compute-sim: \(runs)run-000004.json: not valid JSON"))
        #expect(own.stderr.split(separator: "\n").count == 2)
    }

    @Test("a record is checked against the run it is named after: run, count, inputs, metrics")
    func recordChecks() throws {
        let sweep = try Sweep.load(path: Self.sweepPath)
        let run = try sweep.run(5)
        var runner = try ScenarioRunner(scenario: run.scenario)
        let report = runner.run()
        let fingerprint = sweep.fingerprint
        let record = sweep.record(run, report: report, sweepFingerprint: fingerprint)
        #expect(sweep.checkRecord(record.canonicalText, for: run, sweepFingerprint: fingerprint) == nil)
        func changed(_ path: String, _ value: JSONValue) throws -> String? {
            sweep.checkRecord(try record.setting(path, to: value).canonicalText, for: run, sweepFingerprint: fingerprint)
        }
        #expect(try changed("run", 6) == "holds run 6, not run 5")
        #expect(try changed("of", 13) == "is not from a sweep of 12 runs")
        #expect(try changed("fingerprint", "00") == "was recorded for other inputs of run 5 (its fingerprint differs: a changed trace file?)")
        #expect(try changed("seed", "9") == "names another seed or other parameters than run 5")
        #expect(try changed("metrics.created", "many") == "is not a run record (metrics.created: expected a number, got \"many\")")
        #expect(try changed("metrics.extra", 1) == "does not have the metrics this version records")
        #expect(
            try changed("extra", 1)
                == "is not a run record (extra: unknown field; expected one of cloudTraceDigest, fingerprint, metrics, of, parameters, run, runTraceDigest, seed, sweep)"
        )
        #expect(sweep.checkRecord("[1]", for: run, sweepFingerprint: fingerprint) == "is not a run record (expected an object, got [1])")
        #expect(
            sweep.checkRecord(#"{"run": 5}"#, for: run, sweepFingerprint: fingerprint)
                == "has no sweep fingerprint (written by an older compute-sim, or not by a sweep)")
    }

    @Test("the sweep's fingerprint covers the tool, scenario, seeds, duration and parameters, not the scenario's layout")
    func fingerprints() throws {
        let scenario: JSONValue = ["hosts": [["name": "h", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1]], "duration": "1h"]
        func sweep(_ text: String, _ json: JSONValue = scenario) throws -> Sweep {
            try Sweep.parse(text, scenarioLoader: { (_: String) throws(ScenarioError) -> JSONValue in json })
        }
        let base = try sweep(#"{"scenario": "s", "seeds": [1, 2], "parameters": {"hosts[0].vcpus": [1, 2]}}"#)
        // Pinned: SHA-256 of the canonical definition text (checked with Python's hashlib:
        // {"duration":null,"parameters":[["hosts[0].vcpus",[1,2]]],"scenario":{...},"seeds":["1","2"],"tool":"compute-sim 0.1.0"});
        // a change of this value means every existing record would be rerun.
        #expect(base.fingerprint == "cad9eded38724826a5f851d7efba5ca88017c7bae6be9f46accd62ff19a9e0b0")
        let reordered: JSONValue = ["duration": "1h", "hosts": [["diskGiB": 1, "memoryMiB": 1024, "vcpus": 1, "name": "h"]]]
        #expect(try sweep(#"{"scenario": "s",  "parameters": {"hosts[0].vcpus": [1, 2]}, "seeds": [1, 2]}"#, reordered).fingerprint == base.fingerprint)
        let variants = [
            try sweep(#"{"scenario": "s", "seeds": [1, 3], "parameters": {"hosts[0].vcpus": [1, 2]}}"#),
            try sweep(#"{"scenario": "s", "seeds": [1, 2], "parameters": {"hosts[0].vcpus": [1, 4]}}"#),
            try sweep(#"{"scenario": "s", "seeds": [1, 2], "duration": "2h", "parameters": {"hosts[0].vcpus": [1, 2]}}"#),
            try sweep(#"{"scenario": "s", "seeds": [1, 2], "parameters": {"hosts[0].vcpus": [1, 2]}}"#, try scenario.setting("duration", to: "2h")),
        ]
        #expect(Set(variants.map(\.fingerprint) + [base.fingerprint]).count == 5)
        let runs = try (0..<4).map { try base.run($0) }
        #expect(Set(runs.map { base.fingerprint(of: $0, sweepFingerprint: base.fingerprint) }).count == 4)
    }

    @Test("a replayed trace's rows are part of its runs' fingerprints")
    func traceRowsCount() throws {
        let folder = Self.directory("trace")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scenario =
            #"{"hosts": [{"name": "h", "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100}], "duration": "1h", "workloads": [{"name": "w", "project": "p", "arrival": {"process": "trace", "file": "trace.csv"}}]}"#
        try Data(scenario.utf8).write(to: URL(fileURLWithPath: folder + "/scenario.json"))
        try Data(#"{"scenario": "scenario.json"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/sweep.json"))
        func runFingerprint(_ trace: String) throws -> String {
            try Data(trace.utf8).write(to: URL(fileURLWithPath: folder + "/trace.csv"))
            let sweep = try Sweep.load(path: folder + "/sweep.json")
            return sweep.fingerprint(of: try sweep.run(0), sweepFingerprint: sweep.fingerprint)
        }
        let one = try runFingerprint("time,account,flavor,image,lifetime\n10s,p,1,,\n")
        #expect(try runFingerprint("time,account,flavor,image,lifetime\n10s,p,1,,\n") == one)
        #expect(try runFingerprint("time,account,flavor,image,lifetime\n11s,p,1,,\n") != one)
    }

    @Test("merge refuses shards of different sweeps, naming a record of each")
    func mergeRefusesMixedSweeps() throws {
        let first = Self.directory("mixed-a"), second = Self.directory("mixed-b")
        defer { for folder in [first, second] { try? FileManager.default.removeItem(atPath: folder) } }
        #expect(runSweep(SweepOptions(path: Self.sweepPath, shard: 0, shards: 6, outputDirectory: first)).exitCode == 0)
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        let other = second + "/other-sweep.json"
        try Data(
            #"{"scenario": "\#(ScenarioCommandTests.smallCloudPath)", "seeds": {"from": 1, "count": 3}, "duration": "2h", "parameters": {"placement.accountSpreading": ["strict", "off"], "workloads[0].arrival.meanInterval": ["60s", "120s"]}}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: other))
        #expect(runSweep(SweepOptions(path: other, shard: 1, shards: 6, outputDirectory: second)).exitCode == 0)
        let mine = try Sweep.load(path: Self.sweepPath).fingerprint, theirs = try Sweep.load(path: other).fingerprint
        let merged = runMerge(MergeOptions(directories: [first, second], output: first + "/t.csv"))
        #expect(merged.exitCode == 2)
        #expect(
            merged.stderr
                == "compute-sim: \(second)/runs/run-000001.json and \(first)/runs/run-000000.json are from different sweeps (fingerprints \(theirs.prefix(12)) and \(mine.prefix(12)))\n"
        )
        #expect(Self.contents(first + "/t.csv") == nil)
    }

    @Test("files are written whole or not at all: no temporary file stays, devices are written in place")
    func atomicWrites() throws {
        let folder = Self.directory("atomic")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try makeDirectory(folder)
        try writeFile("one\n", to: folder + "/a.txt")
        try writeFile("two\n", to: folder + "/a.txt")
        #expect(Self.contents(folder + "/a.txt") == Data("two\n".utf8))
        try writeFile("ignored\n", to: "/dev/null")
        try makeDirectory(folder + "/sub")
        #expect(throws: OutputError(message: "cannot write \(folder)/sub: Is a directory")) { try writeFile("x", to: folder + "/sub") }
        #expect(throws: OutputError(message: "cannot write \(folder)/missing/a.txt: No such file or directory")) {
            try writeFile("x", to: folder + "/missing/a.txt")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a.txt", "sub"])
        #expect(temporaryPath(for: "out/report.json") == "out/.report.json.\(getpid()).tmp")
        #expect(leftoverTarget(ofTemporary: ".run-000003.json.4242.tmp") == "run-000003.json")
        for name in [".notes.tmp", ".run-000003.json.42a.tmp", "run-000003.json.42.tmp", "..42.tmp", ".run-000003.json.tmp"] {
            #expect(leftoverTarget(ofTemporary: name) == nil, "\(name)")
        }
    }

    @Test(
        "--shard auto takes the index from Slurm's or Kubernetes' environment, and says which variable is wrong",
        arguments: [
            (["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3"], 0, "3/4"),
            (["SLURM_ARRAY_TASK_ID": "16", "SLURM_ARRAY_TASK_COUNT": "16", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "16"], 0, "15/16"),
            (["SLURM_ARRAY_TASK_ID": "2"], 5, "2/5"),
            (["JOB_COMPLETION_INDEX": "7"], 8, "7/8"),
            (["SLURM_ARRAY_TASK_ID": "2"], 0, "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give the count as auto/N"),
            (
                ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "4"], 0,
                "--shard auto: the array is not contiguous (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_MAX=4, SLURM_ARRAY_TASK_COUNT=3); submit --array=0-2"
            ),
            (["SLURM_ARRAY_TASK_ID": "x"], 4, "--shard auto: SLURM_ARRAY_TASK_ID is \"x\", not a non-negative integer"),
            (["SLURM_ARRAY_TASK_ID": "4"], 4, "--shard auto: SLURM_ARRAY_TASK_ID=4 (from 0) is not a shard of 4"),
            (
                ["JOB_COMPLETION_INDEX": "1"], 0,
                "--shard auto: JOB_COMPLETION_INDEX is set but Kubernetes does not pass the completion count; give it as auto/N"
            ),
            (["JOB_COMPLETION_INDEX": "8"], 8, "--shard auto: JOB_COMPLETION_INDEX=8 is not a shard of 8"),
            ([:], 4, "--shard auto reads SLURM_ARRAY_TASK_ID (Slurm) or JOB_COMPLETION_INDEX (Kubernetes); neither is set"),
        ])
    func automaticShards(environment: [String: String], count: Int, expected: String) throws {
        let arguments = ["sweep", "s.json", "--shard", count == 0 ? "auto" : "auto/\(count)", "--out", "o"]
        guard case .sweep(let options) = try Invocation.parse(arguments).command else {
            Issue.record("not a sweep")
            return
        }
        #expect(options == SweepOptions(path: "s.json", shard: 0, shards: count, outputDirectory: "o", shardFromEnvironment: true))
        do {
            let shard = try resolveShard(options, environment: environment)
            #expect("\(shard.index)/\(shard.count)" == expected)
        } catch {
            #expect(error.message == expected)
        }
    }

    @Test("--shard refuses what is neither I/N nor auto[/N]")
    func shardSyntax() throws {
        for text in ["auto/0", "auto/x", "auto/4/2", "3/3", "x"] {
            #expect(throws: UsageError(message: "--shard expects I/N with 0 <= I < N, auto or auto/N, got \"\(text)\"")) {
                try Invocation.parse(["sweep", "s.json", "--shard", text, "--out", "o"])
            }
        }
        let fixed = runSweep(SweepOptions(path: Self.sweepPath, outputDirectory: "/unused", shardFromEnvironment: true), environment: [:])
        #expect(
            fixed.exitCode == 2
                && fixed.stderr == "compute-sim: --shard auto reads SLURM_ARRAY_TASK_ID (Slurm) or JOB_COMPLETION_INDEX (Kubernetes); neither is set\n")
    }

    @Test("the deploy files run sweep with --shard auto, the Kubernetes Job with N equal to its completions")
    func deployFiles() throws {
        let root = Golden.packageRoot.path
        let slurm = String(decoding: try #require(Self.contents(root + "/Deploy/slurm/sweep-array.sh")), as: UTF8.self)
        #expect(slurm.hasPrefix("#!/bin/sh\n") && slurm.contains("#SBATCH --array=0-15\n"))
        let command = try #require(slurm.split(separator: "\n").last(where: { $0.hasPrefix("exec ") }))
        #expect(
            command.contains(#"sweep "${1:?"#) && command.hasSuffix(#"--shard auto --out "${2:?usage: sbatch Deploy/slurm/sweep-array.sh SWEEP.json OUT}""#))
        let job = String(decoding: try #require(Self.contents(root + "/Deploy/kubernetes/sweep-indexed-job.yaml")), as: UTF8.self)
        let lines = job.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("completionMode: Indexed") && lines.contains("restartPolicy: Never"))
        let completions = try #require(lines.first { $0.hasPrefix("completions: ") }?.dropFirst("completions: ".count))
        #expect(lines.contains("parallelism: \(completions)"))
        #expect(
            lines.contains(#"command: ["compute-sim", "sweep", "/data/sweep.json", "--shard", "auto/\#(completions)", "--out", "/data/out"]"#))
        // The count the manifest passes is one resolveShard accepts with the index Kubernetes sets.
        guard case .sweep(let options) = try Invocation.parse(["sweep", "/data/sweep.json", "--shard", "auto/\(completions)", "--out", "/data/out"]).command
        else { throw UsageError(message: "not a sweep") }
        let count = try #require(Int(completions))
        #expect(try resolveShard(options, environment: ["JOB_COMPLETION_INDEX": String(count - 1)]) == (count - 1, count))
    }

    /// The `compute-sim` executable SwiftPM built beside this test binary.
    static var executable: String? {
        guard let test = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var folder = URL(fileURLWithPath: test).deletingLastPathComponent()
        // Swift Testing's runner may live inside the .xctest bundle.
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("compute-sim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    @Test("a sweep killed at any point (SIGKILL, SIGINT, SIGTERM) resumes to the byte-identical merged table")
    func killedSweepsResume() throws {
        let binary = try #require(Self.executable, "compute-sim is built beside the tests by `swift build --build-tests` and `swift test`")
        let folder = Self.directory("killed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // 48 runs of a few milliseconds each: kills land between, before and during writes.
        let sweepPath = folder + "/sweep.json"
        try Data(
            #"{"scenario": "\#(ScenarioCommandTests.smallCloudPath)", "seeds": {"from": 1, "count": 12}, "duration": "20m", "parameters": {"placement.accountSpreading": ["strict", "off"], "workloads[0].arrival.meanInterval": ["60s", "120s"]}}"#
                .utf8
        ).write(to: URL(fileURLWithPath: sweepPath))
        let reference = try Self.referenceTable(sweepPath, name: "killed")
        // Kill points: after this many records exist, plus a delay in microseconds (a fixed
        // pseudo-random sequence, so a failure reproduces).
        var generator = DeterministicRandom(seed: 21)
        let plans: [(signal: Int32, records: Int)] = [(SIGKILL, 0), (SIGKILL, 5), (SIGTERM, 17), (SIGKILL, 30), (SIGINT, 41), (SIGKILL, 47)]
        var interrupted = 0
        for (attempt, plan) in plans.enumerated() {
            let out = folder + "/out-\(attempt)"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["sweep", sweepPath, "--out", out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline,
                ((try? FileManager.default.contentsOfDirectory(atPath: out + "/runs")) ?? []).filter({ $0.hasPrefix("run-") }).count < plan.records
            {
                usleep(200)
            }
            usleep(UInt32(generator.nextIndex(below: 3000)))
            if process.isRunning {
                kill(process.processIdentifier, plan.signal)
                interrupted += 1
            }
            process.waitUntilExit()
            let written = ((try? FileManager.default.contentsOfDirectory(atPath: out + "/runs")) ?? []).filter { $0.hasPrefix("run-") }.count
            let resumed = runSweep(SweepOptions(path: sweepPath, outputDirectory: out))
            #expect(resumed.exitCode == 0, "attempt \(attempt): \(resumed.stderr)")
            if written > 0 {
                #expect(
                    resumed.stdout.contains(
                        "resuming: \(written) of this shard's 48 run record(s) are already written and valid; running the other \(48 - written)\n"))
            }
            #expect(resumed.stdout.hasSuffix("wrote \(48 - written) run record(s) to \(out)/runs" + (written > 0 ? " (\(written) kept from before)\n" : "\n")))
            let table = try Self.mergedTable(out)
            #expect(table.csv == reference.csv && table.json == reference.json, "attempt \(attempt)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/runs").allSatisfy { $0.hasPrefix("run-") && $0.hasSuffix(".json") })
        }
        // Most kills land mid-sweep (the last plan may find the sweep finished on a fast machine).
        #expect(interrupted >= plans.count - 1)
    }
}
