/// An immutable value on the heap, shared by every copy that holds it: a server record holds
/// its catalog flavor and image, and its rarely set details, through one pointer each instead of
/// inline (hundreds of bytes per server in a million-server run), and every server of one
/// catalog flavor shares one box.
///
/// Equality and hashing are the value's, so a box compares like what it holds.
final class Shared<Value: Hashable & Sendable>: Hashable, Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (lhs: Shared, rhs: Shared) -> Bool { lhs === rhs || lhs.value == rhs.value }

    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
