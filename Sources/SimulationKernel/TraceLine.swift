/// The writer an event uses to describe itself in the trace: a sequence of fields (literals,
/// strings, integers) that is folded into the ``TraceDigest`` and, when lines are kept or shown,
/// rendered as canonical text.
///
/// Text goes into a scratch buffer on the stack (not a `String`, not an `Array`); a line longer
/// than the scratch buffer moves to the heap transparently. When no text is wanted (the default
/// while only the digest is kept) nothing is rendered at all, which keeps the always-on digest
/// cheap on the hot path. Every method produces plain ASCII or the UTF-8 of the given string,
/// with no locale, padding or platform dependence. The type is non-copyable because it refers to
/// scratch memory that lives only while the line is being written.
public struct TraceLine: ~Copyable {
    /// Where text goes, or nil when only the digest is wanted.
    @usableFromInline
    let scratch: UnsafeMutablePointer<UInt8>?
    @usableFromInline
    let capacity: Int
    @usableFromInline
    var count = 0
    /// The whole line once it outgrew `scratch`.
    @usableFromInline
    var spill: [UInt8]? = nil
    /// The digest the fields are folded into.
    @usableFromInline
    var digest: TraceDigest

    /// The size of the stack scratch buffer used for text.
    @usableFromInline
    static let scratchCapacity = 256

    /// A line that renders text into `scratch` and folds fields into `digest`.
    @inlinable
    init(scratch: UnsafeMutableBufferPointer<UInt8>?, digest: TraceDigest = TraceDigest()) {
        self.scratch = scratch?.baseAddress
        self.capacity = scratch?.count ?? 0
        self.digest = digest
    }

    /// Whether this line renders text (false when only the digest is wanted).
    @inlinable
    var rendersText: Bool { scratch != nil }

    /// Renders a line with `body` and returns it as text (for tests and reports; the scheduler
    /// digests lines without making strings).
    @inlinable
    public static func render(_ body: (inout TraceLine) -> Void) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scratchCapacity) { scratch in
            var line = TraceLine(scratch: scratch)
            body(&line)
            return line.string
        }
    }

    /// Calls `body` with the line's bytes.
    @inlinable
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let spill { return spill.withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(start: scratch, count: scratch == nil ? 0 : count))
    }

    /// The line as text.
    @inlinable
    public var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// Makes room for `extra` bytes and returns where to write them, or nil when the line has
    /// spilled to the heap (callers then append to `spill`).
    @inline(__always)
    @inlinable
    mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8>? {
        guard let scratch else { return nil }
        if spill == nil {
            if count &+ extra <= capacity {
                let start = scratch + count
                count &+= extra
                return start
            }
            spill = Array(UnsafeBufferPointer(start: scratch, count: count))
        }
        return nil
    }

    /// Appends raw bytes as one field.
    @inline(__always)
    @inlinable
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        if let base = bytes.baseAddress { digest.fold(bytes: base, count: bytes.count) } else { digest.fold(1 &<< 63) }
        guard rendersText else { return }
        appendRendered(bytes)
    }

    /// Copies bytes into the rendered text (not inlined: only used when lines are kept).
    @inlinable
    mutating func appendRendered(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let start = reserve(bytes.count) {
            if let base = bytes.baseAddress { start.update(from: base, count: bytes.count) }
        } else {
            spill?.append(contentsOf: bytes)
        }
    }

    /// Appends a literal. Inlined so the literal's constant length folds the digest loops away.
    @inline(__always)
    @inlinable
    public mutating func append(_ text: StaticString) {
        if text.hasPointerRepresentation {
            append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        } else {
            text.withUTF8Buffer { append(bytes: $0) }
        }
    }

    /// Appends the UTF-8 of `text` (string literals use the faster ``append(_:)-(StaticString)``).
    @inlinable
    public mutating func append(string text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    /// Appends one byte (an ASCII character such as `32` for a space) as one field.
    @inlinable
    public mutating func append(byte: UInt8) {
        digest.fold(UInt64(byte) | (1 &<< 62))
        guard rendersText else { return }
        if let start = reserve(1) { start.pointee = byte } else { spill?.append(byte) }
    }

    /// "00" through "99": two decimal digits per table lookup.
    @usableFromInline
    static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Writes the last `count` decimal digits of `value` ending just before `end`, two at a time.
    @inline(__always)
    @inlinable
    static func writeDigits(_ value: UInt64, count: Int, endingAt end: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var rest = value
        var cursor = end
        var remaining = count
        while remaining >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            cursor -= 2
            cursor[0] = pairs[pair]
            cursor[1] = pairs[pair &+ 1]
            remaining &-= 2
        }
        if remaining == 1 {
            cursor -= 1
            cursor[0] = 48 &+ UInt8(truncatingIfNeeded: rest % 10)
        }
    }

    /// The number of decimal digits of `value` (1 for zero).
    @inline(__always)
    @inlinable
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var digits = 1
        var threshold: UInt64 = 10
        while digits < 20 && value >= threshold {
            digits &+= 1
            if digits == 20 { break }
            threshold &*= 10
        }
        return digits
    }

    /// Appends `value` in decimal as one field.
    @inlinable
    public mutating func append(_ value: UInt64) {
        digest.fold(value, tag: TraceDigest.unsignedTag)
        guard rendersText else { return }
        appendDigits(value)
    }

    @inlinable
    mutating func appendDigits(_ value: UInt64) {
        let digits = Self.decimalDigitCount(value)
        if let start = reserve(digits) {
            Self.writeDigits(value, count: digits, endingAt: start + digits)
        } else {
            spill?.append(contentsOf: "\(value)".utf8)
        }
    }

    /// Appends `value` in decimal, with a leading `-` when negative, as one field.
    @inlinable
    public mutating func append(_ value: Int64) {
        digest.fold(UInt64(bitPattern: value), tag: TraceDigest.signedTag)
        guard rendersText else { return }
        if value < 0 { appendRaw(45) }
        appendDigits(value.magnitude)
    }

    @inlinable
    mutating func appendRaw(_ byte: UInt8) {
        if let start = reserve(1) { start.pointee = byte } else { spill?.append(byte) }
    }

    /// Appends `value` in decimal.
    @inlinable
    public mutating func append(_ value: Int) { append(Int64(value)) }

    /// Appends a time in seconds with exactly nine decimals, e.g. `12.000000500` or
    /// `-0.500000000`, as one field.
    @inlinable
    public mutating func appendSeconds(nanoseconds: Int64) {
        digest.fold(UInt64(bitPattern: nanoseconds), tag: TraceDigest.timeTag)
        guard rendersText else { return }
        if nanoseconds < 0 { appendRaw(45) }
        let magnitude = nanoseconds.magnitude
        appendDigits(magnitude / 1_000_000_000)
        if let start = reserve(10) {
            start[0] = 46
            Self.writeDigits(magnitude % 1_000_000_000, count: 9, endingAt: start + 10)
        } else {
            let fraction = "\(magnitude % 1_000_000_000)"
            spill?.append(46)
            spill?.append(contentsOf: String(repeating: "0", count: 9 - fraction.count).utf8)
            spill?.append(contentsOf: fraction.utf8)
        }
    }
}

/// An event that can render itself as the payload of one canonical trace line.
///
/// The scheduler writes `"<seconds with 9 decimals> #<sequence> "` and then calls
/// ``writeTrace(to:)``. The text must depend only on the event's value (no addresses, no
/// dictionary order) so that equal runs give equal traces on every machine.
public protocol TraceableEvent {
    /// Appends this event's canonical description, e.g. `build-completed server=7`.
    @inlinable
    func writeTrace(to line: inout TraceLine)
}

extension TraceLine {
    /// Renders `"<seconds> #<sequence> "` without digesting it (the recorder digests the values).
    @inlinable
    mutating func appendFraming(time: Int64, sequence: UInt64) {
        let saved = digest
        appendSeconds(nanoseconds: time)
        append(" #")
        append(sequence)
        append(byte: 32)
        digest = saved
    }
}
