import ComputeSim
import ComputeSimServer
import Dispatch
import Foundation

/// `compute-sim serve` options.
struct ServeOptions: Equatable {
    var scenario: String? = nil
    var seed: UInt64? = nil
    var host = "127.0.0.1"
    var port = 8774
    var speed = 1.0
    var tickPerRequest: SimDuration? = nil
    var auth = AuthMode.keystone
    var ioThreads = ServerOptions().ioThreads
}

extension Invocation {
    static func parseServe(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = ServeOptions()
        var rest = arguments[...]
        func value(_ option: String) throws(UsageError) -> String {
            guard let text = rest.first else { throw UsageError(message: "\(option) needs a value") }
            rest = rest.dropFirst()
            return text
        }
        while let argument = rest.first {
            rest = rest.dropFirst()
            switch argument {
            case "--scenario": options.scenario = try value(argument)
            case "--seed":
                let text = try value(argument)
                options.seed = try Invocation.seed(text)
            case "--host":
                options.host = try value(argument)
            case "--port":
                let text = try value(argument)
                guard let port = Int(text), (0...65_535).contains(port) else { throw UsageError(message: "--port expects 0 to 65535, got \"\(text)\"") }
                options.port = port
            case "--speed":
                let text = try value(argument)
                guard let speed = Double(text), speed.isFinite, speed >= 0, speed <= 1e9 else {
                    throw UsageError(message: "--speed expects a number from 0 to 1e9 (0: time moves only by /sim and --tick-per-request), got \"\(text)\"")
                }
                options.speed = speed
            case "--tick-per-request":
                let text = try value(argument)
                do { options.tickPerRequest = try SimDuration(parsing: text) } catch {
                    throw UsageError(message: "--tick-per-request expects a duration such as 5s, got \"\(text)\": \(error.message)")
                }
            case "--auth":
                let text = try value(argument)
                guard let mode = AuthMode(rawValue: text) else { throw UsageError(message: "--auth expects keystone or noauth, got \"\(text)\"") }
                options.auth = mode
            case "--io-threads":
                let text = try value(argument)
                guard let count = Int(text), (1...64).contains(count) else { throw UsageError(message: "--io-threads expects 1 to 64, got \"\(text)\"") }
                options.ioThreads = count
            case "--help", "-h":
                return Invocation(command: .help)
            default:
                throw UsageError(message: "unknown option \"\(argument)\"")
            }
        }
        if options.tickPerRequest != nil, options.speed > 0 {
            throw UsageError(message: "--tick-per-request needs --speed 0 (time moves either with the wall clock or per request)")
        }
        return Invocation(command: .serve(options))
    }
}

/// Runs `compute-sim serve` until SIGINT or SIGTERM: prints the URLs as one JSON line, logs a
/// line per request to stderr, and exits 0 after closing; 2 when it cannot start.
func runServe(_ options: ServeOptions) -> Int32 {
    var configuration = CloudConfiguration()
    var serverOptions = ServerOptions()
    if let file = options.scenario {
        do {
            let scenario = try Scenario.load(path: file)
            configuration = scenario.configuration
            serverOptions.users = scenario.users
        } catch {
            write("compute-sim: \(file): \(error.description)\n", to: .standardError)
            return 2
        }
    }
    if let seed = options.seed { configuration.seed = seed }
    serverOptions.seed = configuration.seed
    serverOptions.host = options.host
    serverOptions.port = options.port
    serverOptions.auth = options.auth
    serverOptions.ioThreads = options.ioThreads
    serverOptions.time = TimeMode(speed: options.speed, tickPerRequest: options.tickPerRequest)
    let server: SimulatorServer
    do {
        server = try SimulatorServer(configuration: configuration, options: serverOptions) { line in
            write(line + "\n", to: .standardError)
        }
    } catch {
        write("compute-sim: \(error.message)\n", to: .standardError)
        return 2
    }
    // Signals arrive on a dispatch source, not in a handler: stopping takes a lock.
    var sources: [DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { server.stop() }
        source.resume()
        sources.append(source)
    }
    guard write(server.urls.json + "\n", to: .standardOutput) else {
        write("compute-sim: cannot write to standard output\n", to: .standardError)
        return 1
    }
    server.run()
    sources.forEach { $0.cancel() }
    return 0
}
