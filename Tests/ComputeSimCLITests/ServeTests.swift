import ComputeSim
import ComputeSimServer
import Foundation
import Testing

@testable import ComputeSimCLI

struct ServeTests {
    @Test("serve reads every option; speed 0 with a tick is manual time")
    func serveOptions() throws {
        let parsed = try Invocation.parse([
            "serve", "--scenario", "s.json", "--seed", "9", "--host", "0.0.0.0", "--port", "0", "--speed", "0", "--tick-per-request", "5s", "--auth", "noauth",
            "--io-threads", "1",
        ])
        let expected = ServeOptions(
            scenario: "s.json", seed: 9, host: "0.0.0.0", port: 0, speed: 0, tickPerRequest: .seconds(5), auth: .noauth, ioThreads: 1)
        #expect(parsed == Invocation(command: .serve(expected)))
        #expect(try Invocation.parse(["serve"]) == Invocation(command: .serve(ServeOptions())))
        #expect(TimeMode(speed: 0, tickPerRequest: .seconds(5)) == .manual(tickPerRequest: .seconds(5)))
        #expect(TimeMode(speed: 10, tickPerRequest: nil) == .speed(10))
    }

    @Test(
        "serve refuses bad options with a message naming them",
        arguments: [
            (["serve", "--port", "70000"], "--port expects 0 to 65535, got \"70000\""),
            (["serve", "--auth", "basic"], "--auth expects keystone or noauth, got \"basic\""),
            (["serve", "--speed", "-1"], "--speed expects a number from 0 to 1e9 (0: time moves only by /sim and --tick-per-request), got \"-1\""),
            (["serve", "--tick-per-request", "5s"], "--tick-per-request needs --speed 0 (time moves either with the wall clock or per request)"),
            (["serve", "--port"], "--port needs a value"),
            (["serve", "--io-threads", "0"], "--io-threads expects 1 to 64, got \"0\""),
            (["serve", "extra"], "unknown option \"extra\""),
        ])
    func serveRefusals(arguments: [String], message: String) {
        #expect(throws: UsageError(message: message)) { try Invocation.parse(arguments) }
    }

    @Test("serve with an unreadable scenario or a bad address exits 2 before serving")
    func serveStartFailures() {
        #expect(runServe(ServeOptions(scenario: "/nonexistent/scenario.json")) == 2)
        #expect(runServe(ServeOptions(host: "not-an-address", port: 0)) == 2)
    }
}
