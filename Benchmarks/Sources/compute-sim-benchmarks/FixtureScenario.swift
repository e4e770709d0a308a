import ComputeSim
import Foundation

/// A run of one of `Fixtures/Scenarios` with some values changed, timed on its own.
struct FixtureRun {
    var runner: ScenarioRunner
    var report: RunReport
    var seconds: Double

    /// Reads `Fixtures/Scenarios/<file>`, sets each (path, value) of `changes` in order
    /// (``JSONValue/setting(_:to:)`` paths such as `hosts[0].count`), parses and runs it; only the
    /// run is timed.
    /// - Throws: ``UsageError`` naming the file when it cannot be read, a path or value is
    ///   wrong, or the scenario is invalid.
    init(_ file: String, changes: [(String, JSONValue)]) throws(UsageError) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fixtures/Scenarios/\(file)")
            .standardized.path
        let scenario: Scenario
        do {
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
            var json = try JSONValue(parsing: [UInt8](data))
            for (key, value) in changes { json = try json.setting(key, to: value) }
            scenario = try Scenario.parse(json: json)
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(file): \(error)")
        }
        do { runner = try ScenarioRunner(scenario: scenario) } catch { throw UsageError(error.description) }
        let start = DispatchTime.now().uptimeNanoseconds
        report = runner.run()
        seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
