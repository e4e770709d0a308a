// compute-sim: the command-line front end. Thin by design: parse, run, print.
import ComputeSim
import ComputeSimTesting
import Foundation

@main
struct ComputeSimCommand {
    static func main() {
        let invocation: Invocation
        do {
            invocation = try Invocation.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            write("compute-sim: \(error.message)\n\n\(Invocation.usage)\n", to: .standardError)
            exit(2)
        }
        let run: SessionRun
        switch invocation.command {
        case .help: run = SessionRun(stdout: Invocation.usage + "\n", stderr: "", exitCode: 0)
        case .version: run = SessionRun(stdout: "compute-sim \(Sweep.toolVersion)\n", stderr: "", exitCode: 0)
        case .demo(let options): run = SessionRun(stdout: runDemo(options), stderr: "", exitCode: 0)
        case .validate(let path): run = runValidate(path)
        case .run(let options): run = runScenario(options, progressToTerminal: isatty(STDERR_FILENO) == 1)
        case .sweep(let options): run = runSweep(options)
        case .merge(let options): run = runMerge(options)
        case .session(let options): run = runSession(options)
        case .serve(let options): exit(runServe(options))
        }
        // A closed or full stdout (a pipe whose reader went away, a full disk) is exit status 1
        // with a message, not a trap.
        guard write(run.stdout, to: .standardOutput) else {
            write("compute-sim: cannot write to standard output\n", to: .standardError)
            exit(1)
        }
        write(run.stderr, to: .standardError)
        exit(run.exitCode)
    }
}

/// Writes `text` to `handle` and reports whether it all went out. (`FileHandle.write(_:)` traps
/// on a failed write; `write(contentsOf:)` throws instead.)
@discardableResult
func write(_ text: String, to handle: FileHandle) -> Bool {
    guard !text.isEmpty else { return true }
    do {
        try handle.write(contentsOf: Data(text.utf8))
        return true
    } catch {
        return false
    }
}
