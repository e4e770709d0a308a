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
            FileHandle.standardError.write(Data("compute-sim: \(error.message)\n\n\(Invocation.usage)\n".utf8))
            exit(2)
        }
        let run: SessionRun
        switch invocation.command {
        case .help: run = SessionRun(stdout: Invocation.usage + "\n", stderr: "", exitCode: 0)
        case .version: run = SessionRun(stdout: "compute-sim 0.1.0\n", stderr: "", exitCode: 0)
        case .demo(let options): run = SessionRun(stdout: runDemo(options), stderr: "", exitCode: 0)
        case .validate(let path): run = runValidate(path)
        case .run(let options): run = runScenario(options, progressToTerminal: isatty(STDERR_FILENO) == 1)
        case .sweep(let options): run = runSweep(options)
        case .merge(let options): run = runMerge(options)
        case .session(let options): run = runSession(options)
        }
        FileHandle.standardOutput.write(Data(run.stdout.utf8))
        FileHandle.standardError.write(Data(run.stderr.utf8))
        exit(run.exitCode)
    }
}
