import SimulationKernel
import Testing

@testable import ComputeSim

@Suite("Host order")
struct HostOrderTests {
    @Test("distinct host indices come back ascending, by comparison sort or bitmap alike", arguments: [0, 1, 63, 64, 65, 500, 1000])
    func ascendingForEverySize(count: Int) {
        var random = DeterministicRandom(seed: UInt64(count), stream: "host-order")
        let hostCount = 1_000
        let shuffled = random.shuffled((0..<Int32(hostCount)).map { $0 })
        let chosen = Array(shuffled.prefix(count))
        #expect(HostPool.inHostOrder(chosen, hostCount: hostCount) == chosen.sorted())
    }
}
