import Foundation
import Testing

@testable import ComputeSim

struct VirtualPathTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: String?  // nil: rejected
        var reason: String = ""
        var location: SourceLocation
        init(_ text: String, _ expected: String?, _ reason: String = "", location: SourceLocation = #_sourceLocation) {
            self.text = text
            self.expected = expected
            self.reason = reason
            self.location = location
        }
        var testDescription: String { "\"\(text)\"" }
    }

    static let cases: [Case] = [
        Case("/", "/"),
        Case("/etc/passwd", "/etc/passwd"),
        Case("/a/./b//c", "/a/b/c"),
        Case("/a/b/../c", "/a/c"),
        Case("//etc///hosts/", "/etc/hosts"),
        Case("/a/..", "/"),
        Case("/ünïcode/файл", "/ünïcode/файл"),
        Case("/" + String(repeating: "a", count: 254), "/" + String(repeating: "a", count: 254)),
        Case("etc/passwd", nil, "it must be absolute (start with /)"),
        Case("", nil, "it must be absolute (start with /)"),
        Case("/../etc", nil, "it leaves the root"),
        Case("/a/../../b", nil, "it leaves the root"),
        Case("/etc/pass\u{0}wd", nil, "it contains a NUL byte"),
        Case("/" + String(repeating: "a", count: 255), nil, "it is longer than 255 bytes"),
        Case("/" + String(repeating: "é", count: 128), nil, "it is longer than 255 bytes"),
    ]

    @Test("paths normalise or are rejected with the reason", arguments: cases)
    func pathsNormaliseOrAreRejected(given: Case) {
        if let expected = given.expected {
            #expect((try? VirtualPath(given.text))?.description == expected, sourceLocation: given.location)
        } else {
            #expect(throws: FileSystemError(.invalidPath, "invalid path \"\(given.text)\": \(given.reason)"), sourceLocation: given.location) {
                try VirtualPath(given.text)
            }
        }
    }

    @Test("invalid UTF-8 is rejected and JSON decoding validates")
    func invalidUTF8AndDecoding() throws {
        #expect(throws: FileSystemError(.invalidPath, "invalid path: it is not valid UTF-8")) { try VirtualPath(bytes: [47, 0xff, 0xfe]) }
        #expect(try VirtualPath(bytes: Array("/ok".utf8)).description == "/ok")
        let decoder = JSONDecoder()
        #expect(try decoder.decode([VirtualPath].self, from: Data(#"["/a/./b"]"#.utf8)).map(\.description) == ["/a/b"])
        #expect(throws: DecodingError.self) { try decoder.decode([VirtualPath].self, from: Data(#"["/../etc"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode([try VirtualPath("/x//y")]), as: UTF8.self) == #"["\/x\/y"]"#)
    }
}

struct Base64Tests {
    @Test(
        "strict base64 accepts canonical text only",
        arguments: [
            ("", [UInt8]?.some([])), ("Zg==", Array("f".utf8)), ("Zm8=", Array("fo".utf8)), ("Zm9v", Array("foo".utf8)),
            ("Zm9vYmFy", Array("foobar".utf8)), ("Zm9", nil), ("Zm9v\n", nil), ("Zm 9v", nil), ("Zg=a", nil), ("Z===", nil),
            ("=Zg=", nil), ("Zh==", nil), ("Zm9=", nil), ("Zm9v!A==", nil), ("Zg==Zg==", nil),
        ])
    func strictBase64(text: String, bytes: [UInt8]?) {
        #expect(Base64.decodeStrict(text) == bytes)
    }

    @Test("encoding round-trips for every length up to 64 bytes")
    func encodingRoundTrips() {
        var random = DeterministicRandom(seed: 4)
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64.decodeStrict(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
    }
}

@Suite("VirtualPath fuzz findings")
struct VirtualPathFuzzFindingTests {
    /// Found by `Fuzz/run.sh path-normalisation`: U+06DD is a prepended mark, so "۝/" is one
    /// Character and a Character split kept the slash inside a component.
    @Test("A slash after a prepended or combining mark still separates components", arguments: ["/a/./b\u{06DD}//c/../d", "/x\u{0301}/y", "/\u{0600}/z"])
    func slashAfterAMarkSeparates(text: String) throws {
        let path = try VirtualPath(text)
        #expect(path.components.allSatisfy { !$0.utf8.contains(UInt8(ascii: "/")) && !$0.isEmpty })
        #expect(try VirtualPath(path.description) == path)
    }

    @Test("The fuzzer's input normalises to three components")
    func fuzzerInput() throws {
        #expect(try VirtualPath("/a/./b\u{06DD}//c/../d").components == ["a", "b\u{06DD}", "d"])
    }
}
