import Foundation  // components(separatedBy:)

/// Strict IP address parsing and Nova's normalised text (what netaddr stores): dotted quads
/// without leading zeros; IPv6 lower case, the longest run of two or more zero groups
/// compressed to `::`, an embedded dotted quad converted to hex (`::babe:67.23.10.132` is
/// `::babe:4317:a84`).
enum IPAddress {
    /// The normalised IPv4 text, or nil when `text` is not a strict dotted quad.
    public static func normalizedIPv4(_ text: String) -> String? {
        parseIPv4(text).map { $0.map(String.init).joined(separator: ".") }
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), !(part.count > 1 && part.first == "0"),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The normalised IPv6 text, or nil when `text` is not a valid IPv6 address (zone ids are
    /// not accepted).
    public static func normalizedIPv6(_ text: String) -> String? {
        guard let groups = parseIPv6(text) else { return nil }
        // The longest run (first on ties) of at least two zero groups becomes "::".
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength { bestStart = index; bestLength = end - index }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":"), tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    static func parseIPv6(_ text: String) -> [UInt16]? {
        guard !text.isEmpty, !text.contains("%") else { return nil }
        var body = text
        var trailing: [UInt16] = []
        // An embedded dotted quad supplies the last two groups.
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(String(body[body.index(after: lastColon)...])) else { return nil }
            trailing = [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
            body = String(body[...lastColon])
            if !body.hasSuffix("::") { body.removeLast() }  // "a:b:" -> "a:b"; "a::" stays
        }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let needed = 8 - trailing.count
        let halves = body.components(separatedBy: "::")
        if halves.count == 1 {
            guard let all = groups(body), all.count == needed else { return nil }
            return all + trailing
        }
        guard halves.count == 2, let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count < needed else { return nil }
        return head + [UInt16](repeating: 0, count: needed - head.count - tail.count) + tail + trailing
    }
}
