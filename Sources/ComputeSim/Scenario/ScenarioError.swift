/// A problem in a scenario file: the JSON path of the offending value and the reason, e.g.
/// `hosts[2].vcpus: expected a positive integer, got -4`.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The JSON path (`hosts[2].vcpus`), or "" for the file as a whole.
    public var path: String
    public var reason: String
    /// Further problems found in other sections of the same file (validation reads each
    /// top-level section on its own, so one run reports a problem in each).
    public var additional: [ScenarioError] = []

    /// The lower layer's error this one was made from, if any (not part of equality or hashing).
    public var underlying: (any Error & Sendable)?

    public init(path: String, reason: String, underlying: (any Error & Sendable)? = nil) {
        self.path = path
        self.reason = reason
        self.underlying = underlying
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.path == rhs.path && lhs.reason == rhs.reason && lhs.additional == rhs.additional
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(reason)
        hasher.combine(additional)
    }

    /// The first problem, `path: reason`.
    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    /// Every problem found, one per line.
    public var allDescriptions: [String] { [description] + additional.map(\.description) }

    /// This problem and its additional ones as a flat list.
    var flattened: [ScenarioError] {
        var first = self
        first.additional = []
        return [first] + additional.flatMap(\.flattened)
    }

    /// The first of `problems` carrying the rest, or nil when there are none.
    static func combined(_ problems: [ScenarioError]) -> ScenarioError? {
        let flat = problems.flatMap(\.flattened)
        guard var first = flat.first else { return nil }
        first.additional = Array(flat.dropFirst())
        return first
    }
}

/// Runs `body` on each element, collecting every element's problem instead of stopping at the
/// first, so `validate` reports all the faulty entries of an array at once (the first
/// ``maximumCollectedProblems``, then how many more).
func collectingEach<Elements: Sequence, Result>(
    _ elements: Elements, _ body: (Elements.Element) throws(ScenarioError) -> Result
) throws(ScenarioError) -> [Result] {
    var results: [Result] = []
    var problems: [ScenarioError] = []
    var more = 0
    for element in elements {
        do {
            results.append(try body(element))
        } catch {
            if problems.count < maximumCollectedProblems { problems.append(error) } else { more += 1 }
        }
    }
    if more > 0 { problems.append(ScenarioError(path: "", reason: "and \(more) more problems like these")) }
    if let combined = ScenarioError.combined(problems) { throw combined }
    return results
}

/// The most problems one array reports (a file with a million bad entries must not need a
/// million error values).
let maximumCollectedProblems = 100

/// Reads a JSON value while tracking its path, so every error names where it happened.
///
/// The path is made only when asked for: an array element stores its parent's path (shared
/// storage) and its index, so reading a million-element array allocates no strings.
struct JSONReader {
    let value: JSONValue
    private let base: String
    private let index: Int

    /// The JSON path of this value (`hosts[2].vcpus`), "" for the document.
    var path: String { index < 0 ? base : "\(base)[\(index)]" }

    init(value: JSONValue, path: String) {
        self.value = value
        self.base = path
        self.index = -1
    }

    fileprivate init(value: JSONValue, parentPath: String, index: Int) {
        self.value = value
        self.base = parentPath
        self.index = index
    }

    func fail(_ reason: String) -> ScenarioError { ScenarioError(path: path, reason: reason) }

    private static func child(_ key: String, of path: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The fields of an object, refusing keys outside `allowed`.
    func object(allowed: Set<String>) throws(ScenarioError) -> [String: JSONReader] {
        guard case .object(let entries) = value else { throw fail("expected an object, got \(value.canonicalText.prefix(40))") }
        var fields: [String: JSONReader] = [:]
        let here = path
        for (key, entry) in entries {
            guard allowed.contains(key) else {
                throw ScenarioError(path: Self.child(key, of: here), reason: "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            fields[key] = JSONReader(value: entry, path: Self.child(key, of: here))
        }
        return fields
    }

    /// The entries of an object with free keys (quotas per project, properties).
    func entries() throws(ScenarioError) -> [(String, JSONReader)] {
        guard case .object(let entries) = value else { throw fail("expected an object, got \(value.canonicalText.prefix(40))") }
        let here = path
        return entries.map { ($0.0, JSONReader(value: $0.1, path: Self.child($0.0, of: here))) }
    }

    func array() throws(ScenarioError) -> JSONReaderArray {
        guard case .array(let elements) = value else { throw fail("expected an array, got \(value.canonicalText.prefix(40))") }
        return JSONReaderArray(elements: elements, parentPath: path)
    }

    func string() throws(ScenarioError) -> String {
        guard let text = value.stringValue else { throw fail("expected a string, got \(value.canonicalText.prefix(40))") }
        return text
    }

    func bool() throws(ScenarioError) -> Bool {
        guard let flag = value.boolValue else { throw fail("expected true or false, got \(value.canonicalText.prefix(40))") }
        return flag
    }

    /// An integer in `range`, described as `what` in the error ("a positive integer").
    func integer(_ range: ClosedRange<Int>, _ what: String) throws(ScenarioError) -> Int {
        guard let number = value.intValue else { throw fail("expected \(what), got \(value.canonicalText.prefix(40))") }
        guard number >= Int64(range.lowerBound) else { throw fail("expected \(what), got \(number)") }
        // Too large names the maximum unless `what` does ("a positive integer, got 1000000000"
        // alone would mislead).
        guard number <= Int64(range.upperBound) else {
            throw fail("expected \(what), got \(number)" + (what.contains(String(range.upperBound)) ? "" : ", above the maximum of \(range.upperBound)"))
        }
        return Int(number)
    }

    func number(_ range: ClosedRange<Double>, _ what: String) throws(ScenarioError) -> Double {
        let number: Double
        switch value {
        case .int(let integer): number = Double(integer)
        case .double(let double): number = double
        default: throw fail("expected \(what), got \(value.canonicalText.prefix(40))")
        }
        guard number.isFinite, range.contains(number) else { throw fail("expected \(what), got \(value.canonicalText.prefix(40))") }
        return number
    }

    func duration() throws(ScenarioError) -> SimDuration {
        let text = try string()
        do { return try SimDuration(parsing: text) } catch { throw fail(error.message) }
    }
}

/// The elements of a JSON array as ``JSONReader``s, made on access: building them all up
/// front would cost tens of bytes per element on top of the parsed document.
struct JSONReaderArray: RandomAccessCollection, ExpressibleByArrayLiteral {
    private let elements: [JSONValue]
    private let parentPath: String

    fileprivate init(elements: [JSONValue], parentPath: String) {
        self.elements = elements
        self.parentPath = parentPath
    }

    /// An array of values at the document root; only the empty literal (`?? []`) is used.
    init(arrayLiteral readers: JSONReader...) {
        self.init(elements: readers.map(\.value), parentPath: "")
    }

    var startIndex: Int { 0 }
    var endIndex: Int { elements.count }
    subscript(position: Int) -> JSONReader { JSONReader(value: elements[position], parentPath: parentPath, index: position) }
}
