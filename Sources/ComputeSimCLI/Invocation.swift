import ComputeSim

/// What the user asked `compute-sim` to do, parsed from the command line by a pure function.
struct Invocation: Equatable {
    enum Command: Equatable {
        case demo(DemoOptions)
        case help
        case version
    }
    var command: Command
}

/// A usage error: a message for stderr and the exit code to return (2, like most Unix tools).
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension Invocation {
    static let usage = """
        usage: compute-sim [demo] [--seed N] [--until DURATION] [--trace]
               compute-sim --help | --version

        demo       run the built-in demo (the default): servers of three projects arrive, are
                   placed on 8 hosts, build, run and are deleted; prints a summary and digest
        --seed N   root seed (unsigned 64-bit; default 1). The seed is always printed.
        --until D  simulated duration, e.g. 90s, 1.5h, 2d (default 1h)
        --trace    also print every trace line
        """

    /// Parses arguments (without the program name).
    /// - Throws: ``UsageError`` naming the offending argument.
    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = DemoOptions()
        var rest = arguments[...]
        if let first = rest.first {
            switch first {
            case "--help", "-h", "help": return Invocation(command: .help)
            case "--version": return Invocation(command: .version)
            case "demo": rest = rest.dropFirst()
            default:
                if !first.hasPrefix("-") { throw UsageError(message: "unknown command \"\(first)\"; the only command is \"demo\"") }
            }
        }
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--seed":
                guard let text = rest.first else { throw UsageError(message: "--seed needs a value") }
                rest = rest.dropFirst()
                guard let seed = UInt64(text) else {
                    throw UsageError(message: "--seed expects an unsigned 64-bit integer, got \"\(text)\"")
                }
                options.seed = seed
            case "--until":
                guard let text = rest.first else { throw UsageError(message: "--until needs a value") }
                rest = rest.dropFirst()
                do {
                    options.duration = try SimDuration(parsing: text)
                } catch {
                    throw UsageError(message: "--until: \(error.message)")
                }
            case "--trace":
                options.printTrace = true
            case "--help", "-h":
                return Invocation(command: .help)
            default:
                throw UsageError(message: "unknown option \"\(argument)\"")
            }
        }
        return Invocation(command: .demo(options))
    }
}
