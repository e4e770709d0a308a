/// The benchmark tool's command line: `compute-sim-benchmarks NAME [--flag value ...]`.
struct Options {
    let benchmark: String
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws(UsageError) {
        guard let name = arguments.first, !name.hasPrefix("-") else {
            throw UsageError("missing benchmark name")
        }
        benchmark = name
        var rest = arguments.dropFirst()
        while let flag = rest.first {
            rest = rest.dropFirst()
            guard flag.hasPrefix("--"), flag.count > 2 else { throw UsageError("unexpected argument \"\(flag)\"") }
            guard let value = rest.first else { throw UsageError("\(flag) needs a value") }
            rest = rest.dropFirst()
            values[String(flag.dropFirst(2))] = value
        }
    }

    /// A positive integer option (underscores allowed: `1_000_000`), or its default.
    func integer(_ name: String, default fallback: Int) throws(UsageError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
            throw UsageError("--\(name) expects a non-negative integer, got \"\(text)\"")
        }
        return value
    }

    /// An integer option that may be negative, or its default.
    func signedInteger(_ name: String, default fallback: Int) throws(UsageError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw UsageError("--\(name) expects an integer, got \"\(text)\"")
        }
        return value
    }

    /// An option's text as given, or nil.
    func value(_ name: String) -> String? { values[name] }

    /// A yes/no option (`on`/`off`), or its default.
    func flag(_ name: String, default fallback: Bool) throws(UsageError) -> Bool {
        guard let text = values[name] else { return fallback }
        switch text {
        case "on", "true", "yes": return true
        case "off", "false", "no": return false
        default: throw UsageError("--\(name) expects on or off, got \"\(text)\"")
        }
    }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension String {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
