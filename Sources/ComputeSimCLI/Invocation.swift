import ComputeSim
import ComputeSimTesting

/// What the user asked `compute-sim` to do, parsed from the command line by a pure function.
struct Invocation: Equatable {
    enum Command: Equatable {
        case demo(DemoOptions)
        case session(SessionOptions)
        case validate(String)
        case run(RunOptions)
        case sweep(SweepOptions)
        case merge(MergeOptions)
        case serve(ServeOptions)
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
               compute-sim run SCENARIO.json [--seed N] [--until DURATION] [--out DIR [--trace]] [--format text|json]
               compute-sim sweep SWEEP.json [--shard I/N|auto[/N]] --out DIR
               compute-sim merge DIR... --out TABLE.csv
               compute-sim session [--scenario FILE] [--seed N] [--check] SESSION.jsonl
               compute-sim validate SCENARIO.json
               compute-sim serve [--scenario FILE] [--seed N] [--host 127.0.0.1] [--port 8774|0]
                                 [--speed S] [--tick-per-request DURATION] [--auth keystone|noauth]
                                 [--io-threads N]
               compute-sim --help | --version

        demo       run the built-in demo (the default): servers of three projects arrive, are
                   placed on 8 hosts, build, run and are deleted; prints a summary and digest
        --seed N   root seed (unsigned 64-bit; default 1). The seed is always printed.
        --until D  simulated duration, e.g. 90s, 1.5h, 2d (default 1h; the demo runs at most
                   365d, scenarios at most 36500d)
        --trace    also print every trace line

        run        run a scenario file's workloads and fault plan; prints a summary (or, with
                   --format json, the canonical report); --out DIR also writes report.json,
                   timeseries.csv, summary.txt, utilisation.svg, status.svg, heatmap.svg and
                   report.html (everything on one page, offline) there (and trace.jsonl with
                   --trace). --seed and --until override the file. Events/s
                   (and, on a terminal, a progress bar) go to stderr. Exit status 1 if the
                   cloud's invariants failed at the end.
        sweep      run every seed x parameter combination of a sweep file (or, with --shard I/N,
                   every N-th run from I, 0-based) and write one record per run to DIR/runs/,
                   each atomically; run again, it keeps valid records and runs the rest, and
                   stops naming any record that is another sweep's. --shard auto takes I (and
                   N) from SLURM_ARRAY_TASK_ID/_COUNT; auto/N from JOB_COMPLETION_INDEX too
        merge      combine sweep directories (any shards) into one table, TABLE.csv and
                   TABLE.json: per combination, each metric's mean and 95% confidence
                   half-width across seeds; TABLE.html and TABLE-charts/ (a chart per metric
                   and parameter, with 95% bars); exit status 1 when runs are missing
        session    replay a scripted session (JSON Lines) against the default catalog or the
                   cloud of --scenario: one JSON line out per step; with --check, mismatches go to
                   stderr, the last line is "N passed, M failed", exit status 1 when any failed
        validate   check a scenario file; errors name the JSON path of the problem
        serve      serve the cloud over HTTP to OpenStack clients: Keystone v3 (users from the
                   scenario's "users", default demo/secret and admin/secret), Compute v2.1,
                   Glance v2 and Neutron v2.0 subsets, and /sim controls. Prints the URLs as
                   one JSON line, logs a line per request to stderr, stops on SIGINT/SIGTERM.
                   --speed S: simulated time runs S times wall time (default 1); --speed 0:
                   time moves only by /sim calls and by --tick-per-request D before each
                   compute request (reproducible). --auth noauth: X-Auth-Token: user:project
                   --io-threads N: event loops for sockets, HTTP and JSON (default 2; 1 leaves
                   a core of a 2-core machine to a client running beside it)
        """

    /// A `--seed` value: any unsigned 64-bit integer.
    static func seed(_ text: String) throws(UsageError) -> UInt64 {
        guard let seed = UInt64(text) else { throw UsageError(message: "--seed expects an unsigned 64-bit integer, got \"\(text)\"") }
        return seed
    }

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
            case "session": return try parseSession(Array(rest.dropFirst()))
            case "run": return try parseRun(Array(rest.dropFirst()))
            case "sweep": return try parseSweep(Array(rest.dropFirst()))
            case "merge": return try parseMerge(Array(rest.dropFirst()))
            case "serve": return try parseServe(Array(rest.dropFirst()))
            case "validate":
                let files = Array(rest.dropFirst())
                guard files.count == 1, let file = files.first, !file.hasPrefix("-") else {
                    throw UsageError(message: "validate needs exactly one SCENARIO.json file")
                }
                return Invocation(command: .validate(file))
            default:
                if !first.hasPrefix("-") {
                    throw UsageError(
                        message: "unknown command \"\(first)\"; the commands are \"demo\", \"run\", \"sweep\", \"merge\", \"session\" and \"validate\"")
                }
            }
        }
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--seed":
                guard let text = rest.first else { throw UsageError(message: "--seed needs a value") }
                rest = rest.dropFirst()
                options.seed = try Invocation.seed(text)
            case "--until":
                guard let text = rest.first else { throw UsageError(message: "--until needs a value") }
                rest = rest.dropFirst()
                do {
                    options.duration = try SimDuration(parsing: text)
                } catch {
                    throw UsageError(message: "--until: \(error.message)")
                }
                // Arrivals never stop, so the demo's work grows with its length: a year is about
                // 5 million events and a few seconds; longer experiments are scenarios.
                guard options.duration <= DemoOptions.maximumDuration else {
                    throw UsageError(message: "--until: the demo runs at most \(DemoOptions.maximumDuration); use compute-sim run with a scenario for longer")
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

/// Options of `compute-sim session`.
struct SessionOptions: Equatable {
    var path: String
    var seed: UInt64? = nil
    var check = false
    var scenario: String? = nil
}

extension Invocation {
    static func parseSession(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = SessionOptions(path: "")
        var rest = arguments[...]
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--seed":
                guard let text = rest.first else { throw UsageError(message: "--seed needs a value") }
                rest = rest.dropFirst()
                options.seed = try Invocation.seed(text)
            case "--check":
                options.check = true
            case "--scenario":
                guard let file = rest.first else { throw UsageError(message: "--scenario needs a file") }
                rest = rest.dropFirst()
                options.scenario = file
            case "--help", "-h":
                return Invocation(command: .help)
            default:
                guard !argument.hasPrefix("-") else { throw UsageError(message: "unknown option \"\(argument)\"") }
                guard options.path.isEmpty else { throw UsageError(message: "only one session file may be given") }
                options.path = argument
            }
        }
        guard !options.path.isEmpty else { throw UsageError(message: "session needs a SESSION.jsonl file") }
        return Invocation(command: .session(options))
    }
}
