/// A regular expression that matches in time linear in the subject: the `name` and `ip` list
/// filters take patterns from any tenant, and a backtracking engine lets `(a+)+$` against
/// `"a"*40+"!"` run for seconds (and `"a"*160` for hours).
///
/// The pattern is compiled to a Thompson NFA and run as a Pike VM without captures: the set of
/// live states advances one Unicode scalar at a time and never holds a state twice, so a
/// match costs O(n × m) for a subject of n scalars and a program of m instructions, whatever the
/// pattern. m is capped at ``maximumInstructions``.
///
/// The syntax is the part of Python's `re` (what Nova's SQLite backend and build requests
/// use) that an automaton can run:
/// - literals, `.` (any scalar but newline), `^` (start), `$` (end, or before a final newline);
/// - classes `[abc]`, `[^a-z]`, `[\d_]`; escapes `\d \D \w \W \s \S \t \n \r \f \v \\` and
///   escaped punctuation (`\.`, `\(`, `\{`, ...);
/// - groups `( )` and `(?: )`, alternation `|`, quantifiers `* + ? {n} {n,} {,m} {n,m}`,
///   each optionally lazy (`*?`; laziness does not change whether a pattern matches);
/// - a `{` that does not start a valid quantifier is a literal, as in Python.
///
/// Refused (``LinearRegex/init(_:)`` returns nil, the API answers 400): backreferences,
/// lookaround, inline flags and named groups, possessive quantifiers, unbalanced parentheses,
/// a quantifier with nothing to repeat, repetition counts over 1000, and programs over
/// ``maximumInstructions``.
package struct LinearRegex: Sendable {
    /// The largest compiled program accepted: 10,000 instructions.
    package static let maximumInstructions = 10_000
    /// The largest repetition count in `{n,m}`.
    package static let maximumRepeat = 1_000

    private let program: [Instruction]

    /// Compiles `pattern`, or returns nil when it is invalid or outside the supported subset.
    /// - Complexity: O(pattern length + program size).
    package init?(_ pattern: String) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let node = parser.parseAlternation(), parser.position == parser.scalars.count else { return nil }
        var compiler = Compiler()
        guard compiler.emit(node) else { return nil }
        compiler.program.append(.match)
        guard compiler.program.count <= Self.maximumInstructions else { return nil }
        program = compiler.program
    }

    /// Whether the pattern matches somewhere in `subject` (Python's `re.search`), or, with
    /// `anchored`, at its start (`re.match`).
    /// - Complexity: O(n × m) for n scalars in `subject` and m instructions.
    package func matches(_ subject: String, anchored: Bool = false) -> Bool {
        let scalars = Array(subject.unicodeScalars)
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        // Marks carry the generation of the list they were set for; generations only grow, so
        // a list never needs clearing.
        var generation = 1
        var currentGeneration = generation
        for position in 0...scalars.count {
            if position == 0 || !anchored {
                if add(0, at: position, in: scalars, to: &current, generation: currentGeneration) { return true }
            }
            guard position < scalars.count, !current.states.isEmpty || !anchored else { return false }
            generation += 1
            next.states.removeAll(keepingCapacity: true)
            let scalar = scalars[position]
            for state in current.states {
                let advances: Bool
                switch program[state] {
                case .scalar(let expected): advances = scalar == expected
                case .any: advances = scalar != "\n"
                case .set(let set): advances = set.contains(scalar)
                default: advances = false
                }
                if advances, add(state + 1, at: position + 1, in: scalars, to: &next, generation: generation) { return true }
            }
            swap(&current, &next)
            currentGeneration = generation
        }
        return false
    }

    /// Adds `state` and everything reachable from it without consuming input; true when that
    /// reaches `match` (the search can stop: the answer is yes).
    private func add(_ state: Int, at position: Int, in scalars: [Unicode.Scalar], to list: inout ThreadList, generation: Int) -> Bool {
        var stack = [state]
        while let state = stack.popLast() {
            guard list.mark[state] != generation else { continue }
            list.mark[state] = generation
            switch program[state] {
            case .match: return true
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertStart: if position == 0 { stack.append(state + 1) }
            case .assertEnd:
                if position == scalars.count || (position == scalars.count - 1 && scalars[position] == "\n") { stack.append(state + 1) }
            case .scalar, .any, .set: list.states.append(state)
            }
        }
        return false
    }

    private struct ThreadList {
        var states: [Int] = []
        var mark: [Int]
        init(capacity: Int) {
            states.reserveCapacity(capacity)
            mark = Array(repeating: 0, count: capacity)
        }
    }

    // MARK: Program

    private enum Instruction: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case set(ScalarSet)
        case split(Int, Int)
        case jump(Int)
        case assertStart, assertEnd
        case match
    }

    /// A character class: ranges and named classes, possibly negated.
    private struct ScalarSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [NamedClass] = []
        var negated = false

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let inside = ranges.contains { $0.contains(scalar.value) } || classes.contains { $0.contains(scalar) }
            return inside != negated
        }
    }

    private enum NamedClass: Sendable {
        case digit, word, space
        case notDigit, notWord, notSpace

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .digit: return scalar.properties.numericType == .decimal
            case .word: return scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
            case .space: return scalar.properties.isWhitespace
            case .notDigit: return !NamedClass.digit.contains(scalar)
            case .notWord: return !NamedClass.word.contains(scalar)
            case .notSpace: return !NamedClass.space.contains(scalar)
            }
        }
    }

    // MARK: Syntax tree

    private indirect enum Node {
        case empty
        case scalar(Unicode.Scalar)
        case any
        case set(ScalarSet)
        case start, end
        case concatenation([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func parseAlternation() -> Node? {
            var branches: [Node] = []
            repeat {
                if !branches.isEmpty { position += 1 }  // the "|"
                guard let branch = parseConcatenation() else { return nil }
                branches.append(branch)
            } while peek == "|"
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcatenation() -> Node? {
            var items: [Node] = []
            while let scalar = peek, scalar != "|", scalar != ")" {
                guard let atom = parseAtom() else { return nil }
                guard let item = parseQuantifiers(atom) else { return nil }
                items.append(item)
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concatenation(items))
        }

        mutating func parseAtom() -> Node? {
            guard let scalar = peek else { return nil }
            position += 1
            switch scalar {
            case ".": return .any
            case "^": return .start
            case "$": return .end
            case "*", "+", "?": return nil  // nothing to repeat
            case "(":
                if peek == "?" {
                    // Only the non-capturing group; lookaround, flags and named groups are refused.
                    guard position + 1 < scalars.count, scalars[position + 1] == ":" else { return nil }
                    position += 2
                }
                guard let inner = parseAlternation(), peek == ")" else { return nil }
                position += 1
                return inner
            case ")": return nil
            case "[": return parseClass()
            case "\\": return parseEscape(inClass: false)
            case "{": return Self.brace(in: scalars, at: position - 1) == nil ? .scalar("{") : nil  // nothing to repeat
            default: return .scalar(scalar)
            }
        }

        /// The quantifier after an atom, if any: `*`, `+`, `?`, `{...}`, optionally lazy (`*?`).
        /// A second quantifier (`a**`, possessive `a*+`) is refused, as Python refuses it.
        mutating func parseQuantifiers(_ atom: Node) -> Node? {
            guard let scalar = peek else { return atom }
            let bounds: (minimum: Int, maximum: Int?)
            switch scalar {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            case "{":
                guard let brace = Self.brace(in: scalars, at: position) else { return atom }  // a literal "{"
                guard let valid = brace.bounds else { return nil }
                bounds = valid
            default: return atom
            }
            position = scalar == "{" ? (Self.brace(in: scalars, at: position)?.end ?? position + 1) : position + 1
            switch atom {
            case .start, .end: return nil  // nothing to repeat
            default: break
            }
            if peek == "?" { position += 1 }  // lazy: the same language
            if let next = peek, next == "*" || next == "+" || next == "?" || (next == "{" && Self.brace(in: scalars, at: position) != nil) {
                return nil  // multiple repeat
            }
            return .repeated(atom, min: bounds.minimum, max: bounds.maximum)
        }

        /// The `{n}`, `{n,}`, `{,m}`, `{n,m}` or `{,}` starting at `index`: nil when the brace
        /// is a literal (`{}`, `{x`, or not closed); `bounds` nil when the counts are invalid
        /// (m < n, or over ``LinearRegex/maximumRepeat``).
        static func brace(in scalars: [Unicode.Scalar], at index: Int) -> (end: Int, bounds: (minimum: Int, maximum: Int?)?)? {
            var cursor = index + 1
            func number() -> Int? {
                var value = 0
                var digits = 0
                while cursor < scalars.count, let digit = scalars[cursor].asciiDigitValue {
                    value = min(value * 10 + digit, 1 << 30)
                    digits += 1
                    cursor += 1
                }
                return digits == 0 ? nil : value
            }
            let low = number()
            var high = low
            var hasComma = false
            if cursor < scalars.count, scalars[cursor] == "," {
                hasComma = true
                cursor += 1
                high = number()
            }
            // "{}" is a literal; "{,}" means {0,} as in Python.
            guard cursor < scalars.count, scalars[cursor] == "}", low != nil || hasComma else { return nil }
            let minimum = low ?? 0
            let maximum = hasComma ? high : low
            if let maximum, maximum < minimum { return (cursor + 1, nil) }
            if minimum > LinearRegex.maximumRepeat || (maximum ?? 0) > LinearRegex.maximumRepeat { return (cursor + 1, nil) }
            return (cursor + 1, (minimum, maximum))
        }

        mutating func parseClass() -> Node? {
            var set = ScalarSet()
            if peek == "^" {
                set.negated = true
                position += 1
            }
            var first = true
            while let scalar = peek {
                if scalar == "]" && !first {
                    position += 1
                    return .set(set)
                }
                first = false
                position += 1
                var low: UInt32
                if scalar == "\\" {
                    guard let escaped = parseEscape(inClass: true) else { return nil }
                    switch escaped {
                    case .scalar(let value): low = value.value
                    case .set(let named):
                        set.classes += named.classes
                        continue
                    default: return nil
                    }
                } else {
                    low = scalar.value
                }
                if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                    position += 1
                    guard let endScalar = peek else { return nil }
                    position += 1
                    var high = endScalar.value
                    if endScalar == "\\" {
                        guard case .scalar(let value)? = parseEscape(inClass: true) else { return nil }
                        high = value.value
                    }
                    guard low <= high else { return nil }
                    set.ranges.append(low...high)
                } else {
                    set.ranges.append(low...low)
                }
            }
            return nil  // unterminated class
        }

        /// After a backslash.
        mutating func parseEscape(inClass: Bool) -> Node? {
            guard let scalar = peek else { return nil }
            position += 1
            switch scalar {
            case "d": return .set(ScalarSet(classes: [.digit]))
            case "D": return .set(ScalarSet(classes: [.notDigit]))
            case "w": return .set(ScalarSet(classes: [.word]))
            case "W": return .set(ScalarSet(classes: [.notWord]))
            case "s": return .set(ScalarSet(classes: [.space]))
            case "S": return .set(ScalarSet(classes: [.notSpace]))
            case "t": return .scalar("\t")
            case "n": return .scalar("\n")
            case "r": return .scalar("\r")
            case "f": return .scalar("\u{0C}")
            case "v": return .scalar("\u{0B}")
            default:
                // Escaped punctuation is itself; letters and digits would be backreferences,
                // word boundaries or other features an automaton here does not run.
                guard scalar.isASCII, !scalar.properties.isAlphabetic, scalar.properties.numericType == nil else { return nil }
                return .scalar(scalar)
            }
        }
    }

    private struct Compiler {
        var program: [Instruction] = []

        /// Appends `node`'s instructions; false once the program is too large.
        mutating func emit(_ node: Node) -> Bool {
            guard program.count <= LinearRegex.maximumInstructions else { return false }
            switch node {
            case .empty: return true
            case .scalar(let scalar): program.append(.scalar(scalar))
            case .any: program.append(.any)
            case .set(let set): program.append(.set(set))
            case .start: program.append(.assertStart)
            case .end: program.append(.assertEnd)
            case .concatenation(let items):
                for item in items where !emit(item) { return false }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (index, branch) in branches.enumerated() {
                    if index < branches.count - 1 {
                        let split = program.count
                        program.append(.split(split + 1, -1))
                        guard emit(branch) else { return false }
                        jumps.append(program.count)
                        program.append(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        guard emit(branch) else { return false }
                    }
                }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repeated(let inner, let minimum, let maximum):
                for _ in 0..<minimum where !emit(inner) { return false }
                if let maximum {
                    // Optional copies: split to the copy or past all of them.
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(program.count)
                        program.append(.split(program.count + 1, -1))
                        guard emit(inner) else { return false }
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.split(loop + 1, -1))
                    guard emit(inner) else { return false }
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
            return program.count <= LinearRegex.maximumInstructions
        }
    }
}

extension Unicode.Scalar {
    /// 0–9 for an ASCII digit, else nil.
    fileprivate var asciiDigitValue: Int? { value >= 48 && value <= 57 ? Int(value - 48) : nil }
}
