// compute-sim: the command-line front end. Thin by design: parse, run, print.
import ComputeSim
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
        switch invocation.command {
        case .help:
            print(Invocation.usage)
        case .version:
            print("compute-sim 0.1.0")
        case .demo(let options):
            FileHandle.standardOutput.write(Data(runDemo(options).utf8))
        case .validate(let path):
            let run = runValidate(path)
            FileHandle.standardOutput.write(Data(run.stdout.utf8))
            FileHandle.standardError.write(Data(run.stderr.utf8))
            exit(run.exitCode)
        case .run(let options):
            let run = runScenario(options, progressToTerminal: isatty(STDERR_FILENO) == 1)
            FileHandle.standardOutput.write(Data(run.stdout.utf8))
            FileHandle.standardError.write(Data(run.stderr.utf8))
            exit(run.exitCode)
        case .sweep(let options):
            let run = runSweep(options)
            FileHandle.standardOutput.write(Data(run.stdout.utf8))
            FileHandle.standardError.write(Data(run.stderr.utf8))
            exit(run.exitCode)
        case .merge(let options):
            let run = runMerge(options)
            FileHandle.standardOutput.write(Data(run.stdout.utf8))
            FileHandle.standardError.write(Data(run.stderr.utf8))
            exit(run.exitCode)
        case .session(let options):
            let run = runSession(options)
            FileHandle.standardOutput.write(Data(run.stdout.utf8))
            FileHandle.standardError.write(Data(run.stderr.utf8))
            exit(run.exitCode)
        }
    }
}
