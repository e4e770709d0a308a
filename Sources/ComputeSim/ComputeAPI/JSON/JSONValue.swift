#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON value, as ComputeSim's API reads and writes it.
///
/// Objects keep their keys in insertion order; ``canonicalText`` writes them sorted, with a
/// fixed number format, so equal values always serialise to equal bytes.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// Any other number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Equality as JSON means it: an integer equals a double of exactly the same value
    /// (`1 == 1.0`, but never a double that merely rounds to it), and objects are equal when they
    /// hold the same members in any order (compared as multisets, so duplicate keys count).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Int64(exactly: b) == a
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            func occurrences(of entry: (String, JSONValue), in entries: [(String, JSONValue)]) -> Int {
                entries.reduce(0) { $0 + ($1.0 == entry.0 && $1.1 == entry.1 ? 1 : 0) }
            }
            return a.allSatisfy { occurrences(of: $0, in: a) == occurrences(of: $0, in: b) }
        default: return false
        }
    }

    /// Hashes consistently with ``==(_:_:)``: a double holding an integral value hashes as that
    /// integer, and an object's members are combined independently of their order.
    /// Complexity: O(n) in the size of the value.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let value): hasher.combine(1 as UInt8); hasher.combine(value)
        case .int(let value): hasher.combine(2 as UInt8); hasher.combine(value)
        case .double(let value):
            if let integer = Int64(exactly: value) {
                hasher.combine(2 as UInt8); hasher.combine(integer)
            } else {
                hasher.combine(3 as UInt8); hasher.combine(value)
            }
        case .string(let value): hasher.combine(4 as UInt8); hasher.combine(value)
        case .array(let elements):
            hasher.combine(5 as UInt8); hasher.combine(elements.count)
            for element in elements { hasher.combine(element) }
        case .object(let entries):
            // Order-independent: the member names, sorted. Objects equal as multisets have the
            // same names; their values are left to == (a weaker hash, never an inconsistent one).
            hasher.combine(6 as UInt8)
            hasher.combine(entries.count)
            for name in entries.map(\.0).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { hasher.combine(name) }
        }
    }

    /// The value of `key` in an object, or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    /// The element at `index` of an array, or nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? { if case .string(let value) = self { return value }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let value) = self { return value }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { return value }; return nil }
    public var objectValue: [(String, JSONValue)]? { if case .object(let value) = self { return value }; return nil }
    public var isNull: Bool { self == .null }

    /// Follows a dot path such as `server.id` or `servers.0.name`.
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let value = current else { return nil }
            if case .array = value, let index = Int(part) { current = value[index] } else { current = value[String(part)] }
        }
        return current
    }

    /// Compact JSON with object keys sorted (by UTF-8 bytes), integers as integers, other
    /// numbers in Swift's shortest round-trip form, and `/` not escaped.
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// ``canonicalText`` as UTF-8 bytes, without building a `String` (what a server writes).
    /// - Complexity: O(n) in the output, plus sorting each object's keys when they are not
    ///   already in order.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    func write(to output: inout [UInt8]) {
        switch self {
        case .null: Self.append("null", to: &output)
        case .bool(let value): Self.append(value ? "true" : "false", to: &output)
        case .int(let value): Self.writeInteger(value, to: &output)
        case .double(let value): output.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let entries):
            output.append(UInt8(ascii: "{"))
            var inOrder = true
            for index in entries.indices.dropFirst() where !Self.utf8Precedes(entries[index - 1].0, entries[index].0) {
                inOrder = false
                break
            }
            if inOrder {
                for index in entries.indices {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    Self.writeMember(entries[index], to: &output)
                }
            } else {
                // Sorting positions, not the (String, JSONValue) pairs: no reference counting
                // while elements move.
                for (rank, index) in Self.sortedOrder(of: entries).enumerated() {
                    if rank > 0 { output.append(UInt8(ascii: ",")) }
                    Self.writeMember(entries[index], to: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// A literal's bytes, in one copy (not the generic append of a `String.UTF8View`).
    private static func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static func writeMember(_ member: (String, JSONValue), to output: inout [UInt8]) {
        writeString(member.0, to: &output)
        output.append(UInt8(ascii: ":"))
        member.1.write(to: &output)
    }

    /// The positions of `entries` in the order of their keys' UTF-8 bytes, equal keys in their
    /// original order.
    /// - Complexity: O(n) to read each key's first 8 bytes as one integer, then insertion sort
    ///   on those integers (full keys compared only on a tie) for up to 64 members (the common
    ///   case: views are a few dozen members), O(n log n) comparisons beyond.
    static func sortedOrder(of entries: [(String, JSONValue)]) -> [Int] {
        // The first 8 bytes, big-endian, zero-padded: integers in the keys' byte order except
        // when equal (one key a prefix of the other within 8 bytes, or a common 8-byte prefix).
        let prefixes = entries.map { entry -> UInt64 in
            var prefix: UInt64 = 0
            var shift: UInt64 = 56
            for byte in entry.0.utf8.prefix(8) {
                prefix |= UInt64(byte) << shift
                shift &-= 8
            }
            return prefix
        }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
            if utf8Precedes(entries[a].0, entries[b].0) { return true }
            if utf8Precedes(entries[b].0, entries[a].0) { return false }
            return a < b
        }
        var order = Array(entries.indices)
        guard entries.count > 64 else {
            for position in order.indices.dropFirst() {
                let moving = order[position]
                var slot = position
                while slot > 0, precedes(moving, order[slot - 1]) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = moving
            }
            return order
        }
        order.sort(by: precedes)
        return order
    }

    /// A 64-bit integer's decimal digits, written without building a `String`.
    static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int64.min needs no special case.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes (what `a.utf8.lexicographicallyPrecedes(b.utf8)`
    /// says), comparing contiguous bytes at once rather than one code unit at a time.
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        if let answer = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let common = min(x.count, y.count)
                if common > 0, let xBase = x.baseAddress, let yBase = y.baseAddress {
                    let order = memcmp(xBase, yBase, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }), let answer {
            return answer
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A JSON string: runs of bytes that need no escape are copied whole; `"`, `\`, and
    /// control characters are escaped (`\n`, `\r`, `\t` by name, others as `\u00XX`).
    static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        writeStringContents(value, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// ``writeString(_:to:)`` without the quotes.
    /// - Complexity: O(n), eight bytes per step while no byte needs an escape.
    static func writeStringContents(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var runStart = 0
            var index = 0
            let count = bytes.count
            while index < count {
                // Eight bytes at once: none below 0x20, none `"`, none `\` (the classic
                // "has a zero byte" test on the word and on its XORs with the two characters).
                if index + 8 <= count {
                    let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let low: UInt64 = 0x0101_0101_0101_0101
                    let high: UInt64 = 0x8080_8080_8080_8080
                    let quotes = word ^ (low &* 0x22)
                    let slashes = word ^ (low &* 0x5C)
                    let control = (word &- low &* 0x20) & ~word
                    let quote = (quotes &- low) & ~quotes
                    let slash = (slashes &- low) & ~slashes
                    if (control | quote | slash) & high == 0 {
                        index += 8
                        continue
                    }
                }
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                index += 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): output.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): output.append(contentsOf: "\\r".utf8)
                case UInt8(ascii: "\t"): output.append(contentsOf: "\\t".utf8)
                default:
                    let hex = String(byte, radix: 16)
                    output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// Parses JSON text (UTF-8): objects keep their member order, integers that fit in 64 bits
    /// stay integers, at most ``maximumDepth`` nested containers.
    /// - Throws: ``JSONParseError`` naming the byte offset, the member path and the reason.
    /// - Complexity: O(n) in the length of the text.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) { self = try JSONParser.parse(bytes) }

    /// Parses JSON text; see ``init(parsing:)-([UInt8])``.
    public init(parsing text: String) throws(JSONParseError) { self = try JSONParser.parse(text) }

    /// The deepest nesting of arrays and objects the parser accepts.
    public static var maximumDepth: Int { JSONParser.maximumDepth }
}

extension JSONValue {
    /// The value as error messages may echo it: every `adminPass` member's value replaced by
    /// `"***"`, and `user_data` longer than 64 characters cut to its first 64 and `...`, at any
    /// depth, so a refused request never repeats a secret or a large blob.
    /// Complexity: O(n) in the size of the value.
    var redacted: JSONValue {
        switch self {
        case .object(let entries):
            return .object(
                entries.map { key, value in
                    if key == "adminPass" { return (key, .string("***")) }
                    if key == "user_data", let text = value.stringValue, text.count > 64 { return (key, .string(String(text.prefix(64)) + "...")) }
                    return (key, value.redacted)
                })
        case .array(let elements):
            return .array(elements.map(\.redacted))
        default:
            return self
        }
    }
}
