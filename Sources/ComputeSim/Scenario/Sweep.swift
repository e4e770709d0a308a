import Foundation  // FileManager, for reading the sweep and its scenario

/// A parameter sweep: one scenario run for every seed × every combination of parameter values.
///
/// ```json
/// {"scenario": "quickstart.json", "seeds": {"from": 1, "count": 5}, "duration": "6h",
///  "parameters": {"placement.accountSpreading": ["strict", "off"], "hosts[0].count": [10, 20]}}
/// ```
///
/// A parameter is a JSON path into the scenario file (`workloads[0].arrival.meanInterval`);
/// each run substitutes its values and validates the result like any scenario file. Runs are
/// numbered parameters-major, seeds-minor (run `k` is combination `k / seeds`, seed `k % seeds`),
/// and shard `i` of `n` runs exactly the runs with `k % n == i`, so any shard count covers every
/// run once and the merged table does not depend on how the work was split.
package struct Sweep: Sendable {
    /// One run of a sweep.
    public struct Run: Sendable {
        public var index: Int
        public var seed: UInt64
        /// (JSON path, value) in the sweep file's parameter order.
        public var parameters: [(String, JSONValue)]
        public var scenario: Scenario
    }

    public var scenarioJSON: JSONValue
    /// Where the scenario's relative trace files are read from.
    public var scenarioDirectory: String? = nil
    public var seeds: [UInt64]
    public var duration: SimDuration?
    /// (JSON path, values), in file order.
    public var parameters: [(String, [JSONValue])]

    /// The number of runs: seeds × the product of the value counts.
    /// Saturates at `Int.max` (a parsed sweep has at most ``maximumRuns``).
    public var runCount: Int {
        parameters.reduce(seeds.count) { count, parameter in
            let (product, overflow) = count.multipliedReportingOverflow(by: parameter.1.count)
            return overflow ? .max : product
        }
    }

    /// The most runs a sweep may expand to.
    public static let maximumRuns = 100_000

    /// Parses a sweep file; `scenarioLoader` reads the scenario it names (relative paths are the
    /// caller's business; ``load(path:)`` resolves them against the sweep file's folder).
    public static func parse(_ text: String, scenarioLoader: (String) throws(ScenarioError) -> JSONValue) throws(ScenarioError) -> Sweep {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch { throw ScenarioError(path: "", reason: error.description) }
        let fields = try JSONReader(value: json, path: "").object(allowed: ["scenario", "seeds", "duration", "parameters"])
        guard let scenarioField = fields["scenario"] else { throw ScenarioError(path: "scenario", reason: "is required") }
        let scenarioJSON = try scenarioLoader(try scenarioField.string())
        var seeds: [UInt64] = [1]
        if let field = fields["seeds"] {
            if case .array = field.value {
                seeds = try field.array().map { (item: JSONReader) throws(ScenarioError) -> UInt64 in
                    UInt64(try item.integer(0...Int.max, "a non-negative integer seed"))
                }
            } else {
                let range = try field.object(allowed: ["from", "count"])
                let from = try range["from"]?.integer(0...Int.max, "a non-negative integer seed") ?? 1
                guard let countField = range["count"] else { throw field.fail("needs count") }
                let count = try countField.integer(1...maximumRuns, "a count from 1 to \(maximumRuns)")
                guard from <= Int.max - count else { throw countField.fail("seeds overflow") }
                seeds = (0..<count).map { UInt64(from + $0) }
            }
            guard !seeds.isEmpty else { throw field.fail("needs at least one seed") }
            guard Set(seeds).count == seeds.count else { throw field.fail("a seed is listed twice") }
        }
        var duration: SimDuration? = nil
        if let field = fields["duration"] {
            duration = try field.duration()
            guard duration ?? .zero > .zero else { throw field.fail("expected a positive duration") }
        }
        var parameters: [(String, [JSONValue])] = []
        for (path, values) in try fields["parameters"]?.entries() ?? [] {
            let list = try values.array().map(\.value)
            guard !list.isEmpty else { throw values.fail("needs at least one value") }
            do { _ = try scenarioJSON.setting(path, to: list[0]) } catch { throw values.fail(error.reason) }
            parameters.append((path, list))
        }
        let sweep = Sweep(scenarioJSON: scenarioJSON, seeds: seeds, duration: duration, parameters: parameters)
        guard sweep.runCount <= maximumRuns else {
            let count = sweep.runCount == .max ? "at least \(Int.max)" : "\(sweep.runCount)"
            throw ScenarioError(path: "parameters", reason: "the sweep expands to \(count) runs; at most \(maximumRuns)")
        }
        return sweep
    }

    /// Reads a sweep file and the scenario it names (relative to the sweep file's folder).
    public static func load(path: String) throws(ScenarioError) -> Sweep {
        let text = try Scenario.readText(path)
        let folder = (path as NSString).deletingLastPathComponent
        var scenarioDirectory: String? = nil
        var sweep = try parse(text) { (name: String) throws(ScenarioError) -> JSONValue in
            let scenarioPath = name.hasPrefix("/") || folder.isEmpty ? name : folder + "/" + name
            scenarioDirectory = (scenarioPath as NSString).deletingLastPathComponent
            do { return try JSONParser.parse(try Scenario.readText(scenarioPath)) } catch let error as ScenarioError {
                throw ScenarioError(path: "scenario", reason: error.reason)
            } catch {
                throw ScenarioError(path: "scenario", reason: "\(scenarioPath): \(error)")
            }
        }
        sweep.scenarioDirectory = scenarioDirectory
        return sweep
    }

    /// Run `index`: its seed, its parameter values and the validated scenario.
    /// - Throws: ``ScenarioError`` naming the run and its parameters when the substituted
    ///   scenario is invalid (`run 3 (hosts[0].count=0): hosts[0].count: ...`).
    public func run(_ index: Int) throws(ScenarioError) -> Run {
        guard index >= 0, index < runCount else { throw ScenarioError(path: "", reason: "no run \(index): the sweep has \(runCount) runs") }
        var rest = index / seeds.count
        var chosen: [(String, JSONValue)] = []
        for (path, values) in parameters.reversed() {
            chosen.insert((path, values[rest % values.count]), at: 0)
            rest /= values.count
        }
        var json = scenarioJSON
        for (path, value) in chosen {
            do { json = try json.setting(path, to: value) } catch { throw ScenarioError(path: path, reason: error.reason) }
        }
        let seed = seeds[index % seeds.count]
        var scenario: Scenario
        do { scenario = try Scenario.parse(json: json, baseDirectory: scenarioDirectory) } catch {
            throw ScenarioError(path: "", reason: "run \(index) (\(Self.label(chosen))): \(error.description)")
        }
        scenario.configuration.seed = seed
        if let duration { scenario.duration = duration }
        return Run(index: index, seed: seed, parameters: chosen, scenario: scenario)
    }

    /// The run indices of shard `shard` of `count` (0-based): every `count`-th run from `shard`.
    public func runIndices(shard: Int = 0, of count: Int = 1) -> [Int] {
        guard count > 0, shard >= 0, shard < count else { return [] }
        return Array(stride(from: shard, to: runCount, by: count))
    }

    /// `a=1, b="x"`: parameter values as canonical JSON.
    public static func label(_ parameters: [(String, JSONValue)]) -> String {
        parameters.isEmpty ? "no parameters" : parameters.map { "\($0.0)=\($0.1.canonicalText)" }.joined(separator: ", ")
    }
}

extension Scenario {
    /// The largest JSON file ComputeSim reads (scenario, sweep, session, run record): 16 MiB.
    ///
    /// Parsing takes up to about 17 times the file in memory (measured: an array of 8 million
    /// small integers, 16 MB, peaks at 273 MB; 200,000 host groups in 16.7 MB at 252 MB), so the
    /// limit keeps the worst case near 300 MB.
    public static let maximumFileBytes = 16 << 20

    /// The largest trace CSV ComputeSim reads: 64 MiB (about 4.6 million rows). A 13.9 MB trace of
    /// a million rows peaks at 159 MB, so the worst case is about 750 MB.
    public static let maximumTraceFileBytes = 64 << 20

    /// Reads a UTF-8 text file. Refuses what is not a regular file (a directory, a FIFO,
    /// `/dev/zero`) and files over `limit` bytes (by default ``maximumFileBytes``) before
    /// reading a byte.
    /// - Throws: ``ScenarioError`` naming the path and what is wrong with it.
    public static func readText(_ path: String, limit: Int = maximumFileBytes) throws(ScenarioError) -> String {
        // The file system would read "a\0b" as "a": refuse rather than open another file.
        guard !path.utf8.contains(0) else {
            throw ScenarioError(path: "", reason: "cannot read \(path.escapingControlCharacters): the path contains a NUL character")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw ScenarioError(path: "", reason: "cannot read \(path): no such file")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { throw ScenarioError(path: "", reason: "cannot read \(path): not a regular file") }
        if let size = attributes[.size] as? Int, size > limit {
            throw ScenarioError(path: "", reason: "cannot read \(path): \(size) bytes, more than the \(limit)-byte limit")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ScenarioError(path: "", reason: "cannot read \(path)") }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else { throw ScenarioError(path: "", reason: "\(path) is not valid UTF-8") }
        return text
    }
}

/// Why a JSON path could not be set.
public struct JSONPathError: Error, Hashable, Sendable {
    public var reason: String
}

extension JSONValue {
    /// A copy with the value at `path` (`a.b[2].c`) replaced or, for a missing object key,
    /// added (missing intermediate objects are created). Array indices must exist.
    public func setting(_ path: String, to newValue: JSONValue) throws(JSONPathError) -> JSONValue {
        var components: [Substring] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw JSONPathError(reason: "invalid path \(path)") }
            var rest = part
            if let bracket = rest.firstIndex(of: "[") {
                if bracket != rest.startIndex { components.append(rest[..<bracket]) }
                rest = rest[bracket...]
                while !rest.isEmpty {
                    guard rest.first == "[", let close = rest.firstIndex(of: "]") else { throw JSONPathError(reason: "invalid path \(path)") }
                    components.append(rest[rest.startIndex...close])
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                components.append(rest)
            }
        }
        guard !components.isEmpty else { throw JSONPathError(reason: "invalid path \(path)") }
        return try Self.set(self, components[...], to: newValue, path: path)
    }

    private static func set(_ value: JSONValue, _ components: ArraySlice<Substring>, to newValue: JSONValue, path: String) throws(JSONPathError) -> JSONValue {
        guard let first = components.first else { return newValue }
        let rest = components.dropFirst()
        if first.hasPrefix("[") {
            guard let index = Int(first.dropFirst().dropLast()), case .array(var elements) = value else {
                throw JSONPathError(reason: "\(path): \(first) needs an array there")
            }
            guard elements.indices.contains(index) else { throw JSONPathError(reason: "\(path): index \(index) is outside the array of \(elements.count)") }
            elements[index] = try set(elements[index], rest, to: newValue, path: path)
            return .array(elements)
        }
        var entries: [(String, JSONValue)]
        switch value {
        case .object(let existing): entries = existing
        case .null: entries = []
        default: throw JSONPathError(reason: "\(path): \(first) needs an object there")
        }
        if let position = entries.firstIndex(where: { $0.0 == String(first) }) {
            entries[position].1 = try set(entries[position].1, rest, to: newValue, path: path)
        } else {
            entries.append((String(first), try set(.null, rest, to: newValue, path: path)))
        }
        return .object(entries)
    }
}
