/// A server's status changes, stored compactly: the times in one array and the statuses as
/// one byte each in another (9 bytes per change instead of 16), because a capacity-planning
/// run keeps dozens of changes for each of a million servers.
struct StatusHistory: Hashable, Sendable {
    private var times: [Int64] = []
    private var statuses: [UInt8] = []

    /// ServerStatus by its position in `allCases` (the byte stored).
    private static let byOrdinal = ServerStatus.allCases

    var count: Int { times.count }

    var last: StatusChange? {
        guard let time = times.last, let status = statuses.last else { return nil }
        return StatusChange(time: SimTime(nanosecondsSinceStart: time), status: Self.byOrdinal[Int(status)])
    }

    /// - Complexity: amortised O(1).
    mutating func append(_ change: StatusChange) {
        times.append(change.time.nanosecondsSinceStart)
        statuses.append(UInt8(change.status.ordinal))
    }

    /// Every change, oldest first. O(count).
    var changes: [StatusChange] {
        zip(times, statuses).map { StatusChange(time: SimTime(nanosecondsSinceStart: $0), status: Self.byOrdinal[Int($1)]) }
    }
}
