import ComputeSim
import Foundation

/// A malformed session line: which line and why. The run stops there.
public struct SessionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    /// The output of the steps before the bad line.
    public var output: [String]
    public var description: String { "line \(line): \(reason)" }
}

/// What a session run produced.
public struct SessionResult: Hashable, Sendable {
    /// One canonical JSON line per step.
    public var output: [String]
    /// Expectation mismatches, `step N: <path>: <what>`.
    public var mismatches: [String]
    /// Steps with expectations that all held, and steps with at least one mismatch.
    public var passed: Int
    public var failed: Int
}

/// Replays a scripted session (JSON Lines) against a cloud, so any language can drive
/// ComputeSim. See README "Scripted sessions" for the format.
///
/// Every line is one step: an object with exactly one of `request` (plus optional `capture`
/// and `expect`), `advance`, `runUntilIdle`, `fault` or `files`. Blank lines and lines starting
/// with `#` are skipped. `{{NAME}}` in any string is replaced by a captured value. Output is
/// canonical JSON, so a session replays byte for byte for a seed.
public struct SessionRunner {
    public private(set) var cloud: ComputeCloud
    private var captures: [String: Captured] = [:]

    /// A captured value with its canonical text, measured once.
    private struct Captured {
        var value: JSONValue
        var text: String
        var size: Int { text.utf8.count }
        init(_ value: JSONValue) {
            self.value = value
            self.text = value.canonicalText
        }
    }

    public init(cloud: ComputeCloud) { self.cloud = cloud }

    /// Runs every line of `text`.
    /// - Throws: ``SessionError`` for the first malformed line (with the output so far).
    public mutating func run(_ text: String) throws(SessionError) -> SessionResult {
        var result = SessionResult(output: [], mismatches: [], passed: 0, failed: 0)
        var step = 0
        for (offset, rawLine) in text.textLines.enumerated() {
            let line = String(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            step += 1
            let lineNumber = offset + 1
            func fail(_ reason: String) -> SessionError { SessionError(line: lineNumber, reason: reason, output: result.output) }
            let parsed: JSONValue
            do { parsed = try JSONParser.parse(line) } catch { throw fail(error.description) }
            var budget = Self.maximumStepBytes
            let substituted: JSONValue
            do { substituted = try substitute(parsed, budget: &budget) } catch {
                throw fail("substituting captured values makes the step longer than \(Self.maximumStepBytes) bytes")
            }
            guard case .object(let rawEntries) = substituted else { throw fail("a step must be a JSON object") }
            let entries = rawEntries
            let kinds = entries.map(\.0).filter { ["request", "advance", "runUntilIdle", "fault", "files", "shutdownTerminate"].contains($0) }
            guard kinds.count == 1, let kind = kinds.first else {
                throw fail("a step needs exactly one of request, advance, runUntilIdle, fault, files, shutdownTerminate")
            }
            let allowed: Set<String> = kind == "request" ? ["request", "capture", "expect"] : [kind]
            if let extra = entries.map(\.0).first(where: { !allowed.contains($0) }) { throw fail("unexpected key \"\(extra)\" in a \(kind) step") }
            let value = entries.first { $0.0 == kind }?.1 ?? .null
            switch kind {
            case "request":
                let response = try performRequest(value, fail: fail)
                var fields: [(String, JSONValue)] = [
                    ("step", .int(Int64(step))), ("status", .int(Int64(response.status))),
                    ("headers", .object(response.headers.map { ($0.key, .string($0.value)) })), ("body", response.body ?? .null),
                ]
                fields.sort { $0.0 < $1.0 }
                result.output.append(JSONValue.object(fields).canonicalText)
                var mismatches: [String] = []
                if let capture = entries.first(where: { $0.0 == "capture" })?.1 {
                    guard let names = capture.objectValue else { throw fail("capture must be an object of NAME: \"dot.path\"") }
                    for (name, pathValue) in names {
                        guard let path = pathValue.stringValue else { throw fail("capture \(name) must name a dot path") }
                        if let captured = response.body?.value(at: path) {
                            captures[name] = Captured(captured)
                        } else {
                            mismatches.append("step \(step): capture \(name): \(path) is absent")
                        }
                    }
                }
                if let expect = entries.first(where: { $0.0 == "expect" })?.1 {
                    guard expect.objectValue != nil else { throw fail("expect must be an object") }
                    mismatches += Self.check(expect, against: response, step: step)
                    if mismatches.isEmpty { result.passed += 1 }
                }
                if !mismatches.isEmpty {
                    result.failed += 1
                    result.mismatches += mismatches
                }
            case "advance":
                guard let text = value.stringValue else { throw fail("advance takes a duration string such as \"30s\"") }
                let duration: SimDuration
                do { duration = try SimDuration(parsing: text) } catch { throw fail(error.message) }
                do { try cloud.advance(by: duration) } catch { throw fail(error.message) }
                result.output.append(nowLine(step))
            case "runUntilIdle":
                guard value == .bool(true) else { throw fail("runUntilIdle takes true") }
                cloud.runUntilIdle()
                result.output.append(nowLine(step))
            case "fault":
                try applyFault(value, fail: fail)
                result.output.append(nowLine(step))
            case "shutdownTerminate":
                guard let id = value["server"]?.stringValue, let terminate = value["value"]?.boolValue else {
                    throw fail("shutdownTerminate needs a string \"server\" and a boolean \"value\"")
                }
                do { try cloud.setShutdownTerminate(ServerID(id), terminate, as: Caller(project: "admin", isAdmin: true)) } catch { throw fail(error.message) }
                result.output.append(nowLine(step))
            default:
                result.output.append(try listFiles(value, step: step, fail: fail))
            }
        }
        return result
    }

    private func nowLine(_ step: Int) -> String {
        JSONValue.object([("now", .string(cloud.wallClockTime)), ("step", .int(Int64(step)))]).canonicalText
    }

    /// Replaces `{{NAME}}` in every string: a string that is exactly one placeholder becomes the
    /// captured value itself (keeping its JSON type); otherwise the value's text is spliced in.
    ///
    /// One left-to-right pass: text that came from a capture is never scanned again, so a
    /// captured value that itself contains `{{NAME}}` stays as it is. An unknown name stays
    /// literally. The step may grow to at most ``maximumStepBytes`` through substitution.
    /// - Complexity: O(n + output) for a step of n bytes.
    private func substitute(_ value: JSONValue, budget: inout Int) throws(SubstitutionError) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("{{") else { return value }
            if text.hasPrefix("{{"), text.hasSuffix("}}"), text.utf8.count > 4 {
                let name = String(text.dropFirst(2).dropLast(2))
                if !name.contains("}}"), !name.contains("{{"), let whole = captures[name] {
                    try spend(whole.size, of: &budget)
                    return whole.value
                }
            }
            var output = ""
            var rest = Substring(text)
            while let open = rest.range(of: "{{") {
                output += rest[..<open.lowerBound]
                let afterOpen = rest[open.upperBound...]
                guard let close = afterOpen.range(of: "}}") else {
                    rest = rest[open.lowerBound...]
                    break
                }
                let name = String(afterOpen[..<close.lowerBound])
                if let captured = captures[name] {
                    let replacement = captured.value.stringValue ?? captured.text
                    try spend(replacement.utf8.count, of: &budget)
                    output += replacement
                } else {
                    output += rest[open.lowerBound..<close.upperBound]
                }
                rest = afterOpen[close.upperBound...]
            }
            output += rest
            return .string(output)
        case .array(let elements):
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for element in elements { out.append(try substitute(element, budget: &budget)) }
            return .array(out)
        case .object(let entries):
            var out: [(String, JSONValue)] = []
            out.reserveCapacity(entries.count)
            for (key, element) in entries { out.append((key, try substitute(element, budget: &budget))) }
            return .object(out)
        default: return value
        }
    }

    private func spend(_ bytes: Int, of budget: inout Int) throws(SubstitutionError) {
        budget -= bytes
        guard budget >= 0 else { throw SubstitutionError() }
    }

    private struct SubstitutionError: Error {}

    /// The most a step may grow through `{{NAME}}` substitution: 1 MiB.
    public static let maximumStepBytes = 1 << 20

    private mutating func performRequest(_ value: JSONValue, fail: (String) -> SessionError) throws(SessionError) -> APIResponse {
        guard let method = value["method"]?.stringValue else { throw fail("request needs a string \"method\"") }
        guard let path = value["path"]?.stringValue else { throw fail("request needs a string \"path\"") }
        guard let project = value["project"]?.stringValue else { throw fail("request needs a string \"project\"") }
        var headers: [String: String] = [:]
        for (name, header) in value["headers"]?.objectValue ?? [] {
            guard let text = header.stringValue else { throw fail("header \(name) must be a string") }
            headers[name] = text
        }
        let roles = (value["roles"]?.arrayValue ?? []).compactMap(\.stringValue)
        let body = value["body"].map { Array($0.canonicalText.utf8) }
        let request = APIRequest(
            method: HTTPMethod(rawValue: method), path: path, headers: headers, body: body, project: ProjectID(project),
            user: value["user"]?.stringValue ?? "user", roles: roles.map(Role.init(rawValue:)))
        return cloud.handle(request)
    }

    private mutating func applyFault(_ value: JSONValue, fail: (String) -> SessionError) throws(SessionError) {
        do { try cloud.applyNow(try ScriptedFault(json: value)) } catch { throw fail(error.message) }
    }

    private func listFiles(_ value: JSONValue, step: Int, fail: (String) -> SessionError) throws(SessionError) -> String {
        guard let id = value["server"]?.stringValue, let pathText = value["path"]?.stringValue else { throw fail("files needs \"server\" and \"path\"") }
        let files: JSONValue
        do { files = try cloud.fileListing(of: ServerID(id), path: pathText) } catch { throw fail(error.message) }
        return JSONValue.object([("files", files), ("step", .int(Int64(step)))]).canonicalText
    }

    /// Compares a response with an `expect` object (see the type's discussion).
    static func check(_ expect: JSONValue, against response: APIResponse, step: Int) -> [String] {
        var mismatches: [String] = []
        if let status = expect["status"], status != .int(Int64(response.status)) {
            mismatches.append("step \(step): status: expected \(status.canonicalText), got \(response.status)")
        }
        for (name, value) in expect["headers"]?.objectValue ?? [] {
            let actual = response.headers.first { $0.key.lowercased() == name.lowercased() }?.value
            if !matches(value, actual.map(JSONValue.string)) {
                mismatches.append("step \(step): headers.\(name): expected \(value.canonicalText), got \(actual.map { "\"\($0)\"" } ?? "nothing")")
            }
        }
        if let body = expect["body"] { compare(body, response.body, path: "body", step: step, into: &mismatches) }
        for path in (expect["absent"]?.arrayValue ?? []).compactMap(\.stringValue) where response.body?.value(at: path) != nil {
            mismatches.append("step \(step): body.\(path): expected absent, got \(response.body?.value(at: path)?.canonicalText ?? "")")
        }
        return mismatches
    }

    private static func matches(_ expected: JSONValue, _ actual: JSONValue?) -> Bool {
        guard let actual else { return false }
        if case .string(let text) = expected {
            if text == "<any>" { return true }
            if text.hasPrefix("<regex:"), text.hasSuffix(">") {
                // The whole string must match; linear time, so a session cannot stall the runner.
                let pattern = "^(?:" + String(text.dropFirst(7).dropLast()) + ")$"
                guard let subject = actual.stringValue, let regex = LinearRegex(pattern) else { return false }
                return regex.matches(subject)
            }
        }
        return expected == actual
    }

    private static func compare(_ expected: JSONValue, _ actual: JSONValue?, path: String, step: Int, into mismatches: inout [String]) {
        switch expected {
        case .object(let entries):
            guard case .object? = actual else {
                mismatches.append("step \(step): \(path): expected an object, got \(actual?.canonicalText ?? "nothing")")
                return
            }
            for (key, value) in entries { compare(value, actual?[key], path: path + "." + key, step: step, into: &mismatches) }
        case .array(let elements):
            guard let actualElements = actual?.arrayValue, actualElements.count == elements.count else {
                mismatches.append("step \(step): \(path): expected \(elements.count) elements, got \(actual?.canonicalText ?? "nothing")")
                return
            }
            for (index, element) in elements.enumerated() { compare(element, actualElements[index], path: path + ".\(index)", step: step, into: &mismatches) }
        default:
            if !matches(expected, actual) {
                mismatches.append("step \(step): \(path): expected \(expected.canonicalText), got \(actual?.canonicalText ?? "nothing")")
            }
        }
    }
}
