/// Writes canonical JSON piece by piece, for views written straight to bytes (the network
/// front end's hot path: no ``JSONValue`` tree to build, walk and free).
///
/// The writer emits what it is given in that order: a caller writes object members in
/// canonical order (by the UTF-8 bytes of their names), so the bytes are those of
/// ``JSONValue/canonicalBytes`` for the same view built as a value (the tests compare the two).
/// Commas are placed automatically.
struct JSONByteWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 2_048) { bytes.reserveCapacity(capacity) }

    /// A literal's bytes (one copy, not the generic append of a `String.UTF8View`).
    private mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// The next member's name, a literal that needs no escaping (inside an object); its value
    /// follows.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        append(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string written from pieces, without joining them first (a link's parts).
    mutating func string(joining pieces: String...) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for piece in pieces { JSONValue.writeStringContents(piece, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// The next member's name, computed (inside an object); its value follows.
    mutating func key(string name: String) {
        separate()
        JSONValue.writeString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        JSONValue.writeString(value, to: &bytes)
        needsComma = true
    }

    mutating func int(_ value: Int64) {
        separate()
        JSONValue.writeInteger(value, to: &bytes)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
        needsComma = true
    }

    mutating func null() {
        separate()
        append("null")
        needsComma = true
    }

    /// A whole value, in canonical form.
    mutating func value(_ value: JSONValue) {
        separate()
        value.write(to: &bytes)
        needsComma = true
    }
}

extension JSONByteWriter {
    mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// A string, or null for nil.
    mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    mutating func member(_ name: StaticString, int value: Int64) {
        key(name)
        int(value)
    }

    mutating func member(_ name: StaticString, bool value: Bool) {
        key(name)
        bool(value)
    }

    /// A string map as an object, its members in canonical order.
    /// - Complexity: O(n log n) in the number of entries.
    mutating func object(_ map: [String: String]) {
        beginObject()
        for name in map.keys.sorted(by: JSONValue.utf8Precedes) {
            key(string: name)
            string(map[name] ?? "")
        }
        endObject()
    }
}
