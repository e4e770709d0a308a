import Testing

@testable import ComputeSim

struct JSONParserTests {
    @Test(
        "valid JSON parses, and canonical text sorts keys",
        arguments: [
            (#"{"b": [1, 2.5, true, null], "a": "x\u00e9\n"}"#, #"{"a":"x\u{e9}\n","b":[1,2.5,true,null]}"#.replacingOccurrences(of: "\\u{e9}", with: "é")),
            (" [] ", "[]"),
            ("-0", "0"),
            (#""\ud83d\ude00""#, "\"😀\""),
            ("1e3", "1000.0"),
        ])
    func validJSONParses(text: String, canonical: String) throws {
        #expect(try JSONParser.parse(text).canonicalText == canonical)
    }

    @Test(
        "invalid JSON is rejected with the offset and reason",
        arguments: [
            ("{\"a\": 1, \"a\": 2}", "invalid JSON at byte 9 (a): duplicate key \"a\""),
            ("{\"server\": {\"files\": [{\"path\": 01}]}}", "invalid JSON at byte 32 (server.files[0].path): leading zero in a number"),
            ("[1, 2,]", "invalid JSON at byte 6 ([2]): unexpected character"),
            ("01", "invalid JSON at byte 1: leading zero in a number"),
            ("{\"a\" 1}", "invalid JSON at byte 5: expected ':'"),
            ("\"\\ud800\"", "invalid JSON at byte 7: unpaired surrogate"),
            ("[1] x", "invalid JSON at byte 4: unexpected text after the value"),
            ("", "invalid JSON at byte 0: unexpected end of input"),
            ("1e999", "invalid JSON at byte 0: number out of range"),
            (
                String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
                "invalid JSON at byte 64 (" + String(repeating: "[0]", count: 64) + "): nested deeper than 64 levels"
            ),
        ])
    func invalidJSONIsRejected(text: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect((try? JSONParser.parse(text)) == nil)
        do { _ = try JSONParser.parse(text) } catch { #expect(error.description == message) }
    }

    @Test("invalid UTF-8 inside strings is rejected")
    func invalidUTF8IsRejected() {
        #expect((try? JSONParser.parse([0x22, 0xff, 0x22])) == nil)
    }
}

struct IPAddressTests {
    @Test(
        "IPv6 addresses normalise like Nova's stored values",
        arguments: [
            ("::babe:67.23.10.132", "::babe:4317:a84"), ("80FE:0000::1", "80fe::1"), ("::", "::"), ("::1", "::1"), ("1::", "1::"),
            ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"), ("1:0:1:1:1:1:1:1", "1:0:1:1:1:1:1:1"),
            ("1:0:0:1:0:0:0:1", "1:0:0:1::1"), ("::ffff:1.2.3.4", "::ffff:102:304"), ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
            ("0:0:0:0:0:0:0:0", "::"), ("a:b::c:d:0:0:0", "a:b:0:c:d::"),
        ])
    func ipv6Normalises(text: String, normalized: String) {
        #expect(IPAddress.normalizedIPv6(text) == normalized)
    }

    @Test("invalid addresses are refused", arguments: ["fe80::1%eth0", "1:2:3:4:5:6:7:8:9", ":::", "1::2::3", "12345::", "::g", "1.2.3.4", ""])
    func invalidIPv6IsRefused(text: String) {
        #expect(IPAddress.normalizedIPv6(text) == nil)
    }

    @Test(
        "IPv4 must be a strict dotted quad",
        arguments: [("67.23.10.132", "67.23.10.132"), ("1.2.3", nil), ("01.2.3.4", nil), ("256.1.1.1", nil), ("1.2.3.4.5", nil), (" 1.2.3.4", nil)]
            as [(String, String?)])
    func ipv4IsStrict(text: String, normalized: String?) {
        #expect(IPAddress.normalizedIPv4(text) == normalized)
    }
}

struct JSONValueHashableTests {
    @Test("values that compare equal hash equally: 1 and 1.0, and objects whose members come in another order")
    func equalValuesHashEqually() {
        let pairs: [(JSONValue, JSONValue)] = [
            (.int(1), .double(1)),
            (.int(-7), .double(-7)),
            (.object([("a", .int(1)), ("b", .string("x"))]), .object([("b", .string("x")), ("a", .double(1))])),
            (.array([.int(2), .null]), .array([.double(2), .null])),
        ]
        for (a, b) in pairs {
            #expect(a == b && b == a)
            #expect(a.hashValue == b.hashValue, "\(a.canonicalText) and \(b.canonicalText)")
            #expect(Set([a, b]).count == 1)
        }
    }

    @Test("an integer equals only a double of exactly its value, and objects compare as multisets")
    func equalityIsExact() {
        #expect(JSONValue.int(Int64.max) != .double(9_223_372_036_854_775_807))  // the double rounds to 2^63
        #expect(JSONValue.int(1) != .double(1.5))
        let twice: JSONValue = .object([("k", .int(1)), ("k", .int(1))])
        let mixed: JSONValue = .object([("k", .int(1)), ("j", .int(2))])
        #expect(twice != mixed && mixed != twice)
        #expect(JSONValue.object([("k", .int(1)), ("k", .int(2))]) == .object([("k", .int(2)), ("k", .int(1))]))
    }
}

struct JSONWriterTests {
    @Test("integers are written as their exact decimal digits, the extremes included")
    func integersAreWrittenExactly() {
        let values: [Int64] = [0, 7, -7, 10, 1_000_000, Int64.max, Int64.min, -9_223_372_036_854_775_807]
        for value in values { #expect(JSONValue.int(value).canonicalText == String(value)) }
        #expect(JSONValue.array(values.map { .int($0) }).canonicalText == "[" + values.map(String.init).joined(separator: ",") + "]")
    }

    @Test("objects of any size are written in key order, duplicate keys in their original order", arguments: [3, 64, 65, 200])
    func objectsAreWrittenInKeyOrder(size: Int) {
        // Keys in a scrambled order (a step coprime with the size), with one key repeated; half
        // share their first 19 bytes, so the order needs more than an 8-byte prefix.
        let keys = (0..<size).map { position -> String in
            let number = (position * 7) % size + 1000
            return number % 2 == 0 ? "k\(number)" : "long-common-prefix-\(number)"
        }
        var members: [(String, JSONValue)] = keys.enumerated().map { ($0.element, .int(Int64($0.offset))) }
        members.append((keys[0], .string("second")))
        let text = JSONValue.object(members).canonicalText
        let sortedKeys = keys.sorted()
        var expected = sortedKeys.map { key -> String in
            let position = keys.firstIndex(of: key) ?? -1
            let duplicate = key == keys[0] ? ",\"\(key)\":\"second\"" : ""
            return "\"\(key)\":\(position)" + duplicate
        }.joined(separator: ",")
        expected = "{" + expected + "}"
        #expect(text == expected)
    }
    @Test("the byte writer places commas between members and elements at every depth and escapes strings")
    func byteWriterPlacesCommas() {
        var writer = JSONByteWriter()
        writer.beginObject()
        writer.key("a")
        writer.beginArray()
        writer.int(-1)
        writer.beginObject()
        writer.endObject()
        writer.string("x\"\n")
        writer.beginArray()
        writer.endArray()
        writer.value(["k": true, "j": nil])
        writer.endArray()
        writer.member("b", nil as String?)
        writer.key(string: "computed")
        writer.string(joining: "a", "\"", "b")
        writer.member("c", bool: false)
        writer.key("d")
        writer.object(["z": "1", "y": "2"])
        writer.endObject()
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"{"a":[-1,{},"x\"\n",[],{"j":null,"k":true}],"b":null,"computed":"a\"b","c":false,"d":{"y":"2","z":"1"}}"#)
    }
    @Test("strings are escaped wherever the character falls against the eight-byte steps")
    func stringsAreEscapedAtEveryOffset() {
        func reference(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "é", "\u{7f}", " "] {
            for offset in 0..<20 {
                let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 19 - offset)
                #expect(JSONValue.string(text).canonicalText == reference(text), "\(offset) \(special.unicodeScalars.map(\.value))")
            }
        }
    }
}
