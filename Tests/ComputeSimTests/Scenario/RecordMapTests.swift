import Testing

@testable import ComputeSim

struct RecordMapTests {
    @Test("A record map answers nil for numbers never written, keeps what is set by number, and forgets what is removed")
    func keepsValuesByNumber() {
        var map = RecordMap<String>()
        #expect(map[0] == nil && map[-1] == nil && map[1_000] == nil)
        map[3] = "three"
        map[0] = "zero"
        map[-2] = "ignored"
        #expect(map[3] == "three" && map[0] == "zero" && map[1] == nil && map[-2] == nil)
        map[3] = "again"
        #expect(map.removeValue(forKey: 3) == "again" && map[3] == nil)
        #expect(map.removeValue(forKey: 3) == nil && map.removeValue(forKey: 99) == nil)
        map[50] = nil  // removing past the end writes nothing
        #expect(map[50] == nil && map[0] == "zero")
    }
}
