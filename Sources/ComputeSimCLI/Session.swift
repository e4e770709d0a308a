import ComputeSim
import ComputeSimTesting
import Foundation

/// What running a session prints and returns.
struct SessionRun: Equatable {
    var stdout: String
    var stderr: String
    var exitCode: Int32
}

/// Runs `compute-sim session`: reads the file, replays it, and formats the output.
func runSession(_ options: SessionOptions, text: String? = nil) -> SessionRun {
    let contents: String
    if let text {
        contents = text
    } else {
        do { contents = try Scenario.readText(options.path) } catch {
            return SessionRun(stdout: "", stderr: "compute-sim: \(error.reason)\n", exitCode: 2)
        }
    }
    var configuration = CloudConfiguration()
    if let file = options.scenario {
        do {
            configuration = try Scenario.load(path: file).configuration
        } catch {
            return SessionRun(stdout: "", stderr: "compute-sim: \(file): \(error.description)\n", exitCode: 2)
        }
    }
    if let seed = options.seed { configuration.seed = seed }
    let cloud: ComputeCloud
    do {
        cloud = try ComputeCloud(configuration: configuration)
    } catch {
        return SessionRun(stdout: "", stderr: "compute-sim: \(error.message)\n", exitCode: 2)
    }
    var runner = SessionRunner(cloud: cloud)
    do {
        let result = try runner.run(contents)
        var stdout = result.output.map { $0 + "\n" }.joined()
        var stderr = ""
        if options.check {
            stderr = result.mismatches.map { $0 + "\n" }.joined()
            stdout += "\(result.passed) passed, \(result.failed) failed\n"
        }
        return SessionRun(stdout: stdout, stderr: stderr, exitCode: options.check && result.failed > 0 ? 1 : 0)
    } catch {
        return SessionRun(stdout: error.output.map { $0 + "\n" }.joined(), stderr: "compute-sim: \(options.path) \(error.description)\n", exitCode: 2)
    }
}

/// Runs `compute-sim validate`: "ok" with a one-line summary, or the error with its JSON path.
func runValidate(_ path: String) -> SessionRun {
    do {
        let scenario = try Scenario.load(path: path)
        let configuration = scenario.configuration
        let zones = Set(configuration.hosts.map(\.availabilityZone.rawValue)).sorted()
        return SessionRun(
            stdout:
                "\(path): ok: \(scenario.name), seed \(configuration.seed), \(configuration.hosts.count) hosts in \(zones.count) zone(s) (\(zones.joined(separator: ", "))), \(configuration.flavors.count) flavors, \(configuration.images.count) images, duration \(scenario.duration), \(scenario.workloads.count) workload(s), \(scenario.faultPlan.count) timed fault(s)\n",
            stderr: "", exitCode: 0)
    } catch {
        return SessionRun(stdout: "", stderr: error.allDescriptions.map { "compute-sim: \(path): \($0)\n" }.joined(), exitCode: 2)
    }
}
