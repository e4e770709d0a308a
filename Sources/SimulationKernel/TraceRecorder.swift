/// What a ``TraceRecorder`` keeps of the lines it renders.
public enum TraceCapture: Hashable, Sendable {
    /// Keep no lines; only the digest (the default).
    case none
    /// Keep the most recent `n` lines (a ring buffer), for post-mortems of long runs.
    case last(Int)
    /// Keep every line (memory grows with the run).
    case all
}

/// Renders processed events as canonical lines, folds them into a ``TraceDigest`` and
/// optionally keeps them.
///
/// A line is `"<seconds with 9 decimals> #<sequence> <event text>"`, for example
/// `"90.000000000 #17 build-completed server=3"`.
public struct TraceRecorder: Sendable {
    /// Whether lines are rendered and digested at all. On by default; switching it off makes
    /// ``digest`` meaningless for the events processed meanwhile.
    public var isEnabled: Bool
    /// What is kept of the lines.
    public var capture: TraceCapture {
        didSet {
            lines.removeAll()
            ringStart = 0
            keepsLines = capture != .none
        }
    }
    /// `capture != .none`, kept so the hot path tests a Bool instead of comparing enums.
    @usableFromInline
    var keepsLines: Bool
    /// The digest of every line rendered so far.
    @inlinable
    public var digest: TraceDigest { _digest }
    @usableFromInline
    var _digest: TraceDigest = TraceDigest()

    @usableFromInline
    var lines: [String] = []
    @usableFromInline
    var ringStart = 0

    /// Creates a recorder.
    @inlinable
    public init(isEnabled: Bool = true, capture: TraceCapture = .none) {
        self.isEnabled = isEnabled
        self.capture = capture
        self.keepsLines = capture != .none
    }

    /// The kept lines, oldest first.
    @inlinable
    public var capturedLines: [String] {
        Array(lines[ringStart...] + lines[..<ringStart])
    }

    /// Digests and (per ``capture``) renders and keeps the line for one event.
    @inlinable
    mutating func record<Event: TraceableEvent>(time: Int64, sequence: UInt64, event: Event) {
        if !keepsLines {
            var line = TraceLine(scratch: nil, digest: digest)
            Self.write(time: time, sequence: sequence, event: event, to: &line)
            _digest = line.digest
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TraceLine.scratchCapacity) { scratch in
            var line = TraceLine(scratch: scratch, digest: digest)
            Self.write(time: time, sequence: sequence, event: event, to: &line)
            _digest = line.digest
            keep(line.string)
        }
    }

    /// The line's framing, `"<seconds> #<sequence> "`, then the event's own fields. The
    /// framing's fixed characters carry no information, so they are rendered but not digested.
    @inline(__always)
    @inlinable
    static func write<Event: TraceableEvent>(time: Int64, sequence: UInt64, event: Event, to line: inout TraceLine) {
        line.digest.fold(UInt64(bitPattern: time), sequence)
        if line.rendersText {
            line.appendFraming(time: time, sequence: sequence)
        }
        event.writeTrace(to: &line)
        line.digest.finishLine()
    }

    @inlinable
    mutating func keep(_ text: String) {
        switch capture {
        case .none:
            break
        case .all:
            lines.append(text)
        case .last(let limit):
            guard limit > 0 else { break }
            if lines.count < limit {
                lines.append(text)
            } else {
                lines[ringStart] = text
                ringStart = (ringStart + 1) % limit
            }
        }
    }
}
