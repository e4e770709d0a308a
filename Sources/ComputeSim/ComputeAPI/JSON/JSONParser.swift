/// Why JSON text could not be parsed: the byte offset and the reason.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    /// Where in the document the problem is, e.g. `server.personality[0].path` ("" at the top).
    public var path = ""
    public var description: String { "invalid JSON at byte \(offset)\(path.isEmpty ? "" : " (\(path))"): \(reason)" }

    /// The same error one level further out: inside member `key` or element `[index]`.
    func inside(_ component: String) -> JSONParseError {
        var error = self
        error.path = path.isEmpty ? component : component + (path.hasPrefix("[") ? "" : ".") + path
        return error
    }
}

/// A strict JSON parser (RFC 8259): UTF-8 only, no trailing commas, no comments, no leading
/// zeros, duplicate keys rejected, at most ``maximumDepth`` objects and arrays nested in each
/// other. Errors name the byte offset and the path of the member where parsing stopped.
package enum JSONParser {
    /// The most objects and arrays nested in each other (hostile input must not exhaust the
    /// stack): 64 nested arrays parse, 65 do not.
    public static let maximumDepth = 64

    /// Parses `bytes` as one JSON value (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.offset == bytes.count else { throw parser.fail("unexpected text after the value") }
        return value
    }

    /// Parses text.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Array(text.utf8)) }

    private struct Parser {
        let bytes: [UInt8]
        var offset = 0

        func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: offset, reason: reason) }

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
        }

        mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
            for byte in literal.utf8 {
                guard current == byte else { throw fail("expected \(literal)") }
                offset += 1
            }
            return value
        }

        /// `depth`: how many objects and arrays enclose the value.
        mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
            guard let byte = current else { throw fail("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected character")
            }
        }

        mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth < JSONParser.maximumDepth else { throw fail("nested deeper than \(JSONParser.maximumDepth) levels") }
            offset += 1
            var entries: [(String, JSONValue)] = []
            var keys = Set<String>()
            skipWhitespace()
            if current == UInt8(ascii: "}") { offset += 1; return .object(entries) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let keyOffset = offset
                let key = try parseString()
                guard keys.insert(key).inserted else { throw JSONParseError(offset: keyOffset, reason: "duplicate key \"\(key)\"").inside(key) }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
                offset += 1
                skipWhitespace()
                do { entries.append((key, try parseValue(depth: depth + 1))) } catch { throw error.inside(key) }
                skipWhitespace()
                if current == UInt8(ascii: ",") { offset += 1; continue }
                if current == UInt8(ascii: "}") { offset += 1; return .object(entries) }
                throw fail("expected ',' or '}'")
            }
        }

        mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth < JSONParser.maximumDepth else { throw fail("nested deeper than \(JSONParser.maximumDepth) levels") }
            offset += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            while true {
                skipWhitespace()
                do { elements.append(try parseValue(depth: depth + 1)) } catch { throw error.inside("[\(elements.count)]") }
                skipWhitespace()
                if current == UInt8(ascii: ",") { offset += 1; continue }
                if current == UInt8(ascii: "]") { offset += 1; return .array(elements) }
                throw fail("expected ',' or ']'")
            }
        }

        mutating func parseHex4() throws(JSONParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current else { throw fail("unexpected end of input in \\u escape") }
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
                default: throw fail("invalid \\u escape")
                }
                value = value << 4 | digit
                offset += 1
            }
            return value
        }

        mutating func parseString() throws(JSONParseError) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var run = offset
            func flush(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw JSONParseError(offset: bytes.startIndex, reason: "invalid UTF-8 in a string")
                }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while true {
                guard let byte = current else { throw fail("unterminated string") }
                if byte == UInt8(ascii: "\""), scalars.isEmpty {
                    // No escape in the string (every escape adds a scalar): its bytes are the
                    // string, validated once, without the scalar-by-scalar copy.
                    guard let text = String(validating: bytes[run..<offset], as: UTF8.self) else {
                        throw JSONParseError(offset: run, reason: "invalid UTF-8 in a string")
                    }
                    offset += 1
                    return text
                }
                if byte == UInt8(ascii: "\"") {
                    try flush(bytes[run..<offset])
                    offset += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw fail("control character in a string") }
                if byte == UInt8(ascii: "\\") {
                    try flush(bytes[run..<offset])
                    offset += 1
                    guard let escape = current else { throw fail("unterminated escape") }
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try parseHex4()
                        if (0xD800...0xDBFF).contains(code) {
                            guard current == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                                throw fail("unpaired surrogate")
                            }
                            offset += 2
                            let low = try parseHex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(code) {
                            throw fail("unpaired surrogate")
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                        scalars.append(scalar)
                    default: throw fail("invalid escape")
                    }
                    run = offset
                    continue
                }
                offset += 1
            }
        }

        mutating func parseNumber() throws(JSONParseError) -> JSONValue {
            let start = offset
            if current == UInt8(ascii: "-") { offset += 1 }
            guard let first = current, first >= 48 && first <= 57 else { throw fail("invalid number") }
            offset += 1
            if first == 48, let next = current, next >= 48 && next <= 57 { throw fail("leading zero in a number") }
            while let byte = current, byte >= 48 && byte <= 57 { offset += 1 }
            var isInteger = true
            if current == UInt8(ascii: ".") {
                isInteger = false
                offset += 1
                guard let byte = current, byte >= 48 && byte <= 57 else { throw fail("invalid number") }
                while let byte = current, byte >= 48 && byte <= 57 { offset += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard let byte = current, byte >= 48 && byte <= 57 else { throw fail("invalid number") }
                while let byte = current, byte >= 48 && byte <= 57 { offset += 1 }
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if isInteger, let value = Int64(text) { return .int(value) }
            guard let value = Double(text), value.isFinite else { throw JSONParseError(offset: start, reason: "number out of range") }
            return .double(value)
        }
    }
}
