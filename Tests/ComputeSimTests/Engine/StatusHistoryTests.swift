import SimulationKernel
import Testing

@testable import ComputeSim

struct StatusHistoryTests {
    private func change(_ nanoseconds: Int64, _ status: ServerStatus) -> StatusChange {
        StatusChange(time: SimTime(nanosecondsSinceStart: nanoseconds), status: status)
    }

    @Test("An empty history has no last change and no changes")
    func emptyHistory() {
        let history = StatusHistory()
        #expect(history.isEmpty)
        #expect(history.last == nil)
        #expect(history.changes.isEmpty)
        #expect(history.encodedByteCount == 0)
    }

    @Test("Changes read back exactly, whatever the gaps between them, including none, backwards and the extremes of time")
    func roundTrip() {
        let times: [Int64] = [0, 0, 1, 127, 128, 30_000_000_000, 29_999_999_999, .max, .min, -5, 1 << 35, 3_600_000_000_000]
        let statuses = ServerStatus.allCases
        var history = StatusHistory()
        var expected: [StatusChange] = []
        for (position, time) in times.enumerated() {
            let next = change(time, statuses[position % statuses.count])
            history.append(next)
            expected.append(next)
            #expect(history.last == next)
        }
        #expect(history.changes == expected)
        #expect(!history.isEmpty)
    }

    @Test("A change half a minute after the previous one takes 6 bytes: the status and a 5-byte varint")
    func compactEncoding() {
        var history = StatusHistory()
        history.append(change(0, .build))
        #expect(history.encodedByteCount == 2)
        history.append(change(30_000_000_000, .active))
        #expect(history.encodedByteCount == 2 + 6)
        history.append(change(30_000_000_127, .reboot))
        #expect(history.encodedByteCount == 2 + 6 + 2)
    }

    @Test("Every status survives the one-byte encoding")
    func everyStatus() {
        var history = StatusHistory()
        for (position, status) in ServerStatus.allCases.enumerated() { history.append(change(Int64(position) * 1_000, status)) }
        #expect(history.changes.map(\.status) == ServerStatus.allCases)
    }
}
