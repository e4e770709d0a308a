import SimulationKernel
import Testing

@testable import ComputeSim

/// The transfer network recomputes only the connected part of the transfer/link graph that a
/// start, finish or cancel touched; these pin its rates, bit for bit, to progressive filling
/// over every active transfer at once, written plainly.
@Suite("Transfer network")
struct TransferNetworkTests {
    /// Max-min fair rates over all `transfers` (in start order), by progressive filling: the
    /// link with the smallest fair share first (ties: lower link), its unfrozen transfers get
    /// that share, which is taken from their links in order.
    static func referenceRates(capacities: [Double], transfers: [(id: Int32, links: [Int32])]) -> [Int32: Double] {
        var spare = capacities
        var count = [Int](repeating: 0, count: capacities.count)
        for transfer in transfers { for link in transfer.links { count[Int(link)] += 1 } }
        var rates: [Int32: Double] = [:]
        var frozen = Set<Int32>()
        while true {
            var best: (share: Double, link: Int)? = nil
            for link in capacities.indices where count[link] > 0 {
                let share = spare[link] / Double(count[link])
                if best == nil || share < best!.share { best = (share, link) }
            }
            guard let (share, link) = best else { break }
            for transfer in transfers where transfer.links.contains(Int32(link)) && !frozen.contains(transfer.id) {
                frozen.insert(transfer.id)
                rates[transfer.id] = share
                for other in transfer.links {
                    spare[Int(other)] = max(0, spare[Int(other)] - share)
                    count[Int(other)] -= 1
                }
            }
        }
        for transfer in transfers where !frozen.contains(transfer.id) { rates[transfer.id] = 0 }
        return rates
    }

    @Test("rates after every start, finish and cancel equal progressive filling over all transfers", arguments: [1, 2, 3, 4, 5, 6])
    func ratesMatchGlobalFilling(seed: UInt64) {
        var random = DeterministicRandom(seed: seed, stream: "transfer-network")
        var network = TransferNetwork()
        // A shared store, and per host a network link and a disk, as the build model wires them.
        let store = network.addLink(bytesPerSecond: 40e9 / 8)
        var hostLinks: [(network: Int32, disk: Int32)] = []
        for _ in 0..<12 {
            let link = network.addLink(bytesPerSecond: Double(1 + random.nextIndex(below: 10)) * 1e9 / 8)
            let disk = network.addLink(bytesPerSecond: Double(1 + random.nextIndex(below: 4)) * 1e9)
            hostLinks.append((link, disk))
        }
        var live: [(id: Int32, links: [Int32])] = []
        var now = SimTime.zero
        for _ in 0..<300 {
            now = now + .milliseconds(Int64(random.nextIndex(below: 500)))
            let choice = random.nextIndex(below: 10)
            if choice < 6 || live.isEmpty {
                let host = hostLinks[random.nextIndex(below: hostLinks.count)]
                let other = hostLinks[random.nextIndex(below: hostLinks.count)]
                let links: [Int32] = [[host.network, store], [host.disk], [host.network, other.network], []][random.nextIndex(below: 4)]
                let id = network.start(owner: 0, bytes: Double(1 + random.nextIndex(below: 100)) * 1e8, links: links, now: now)
                live.append((id, links))
            } else if choice < 8 {
                let position = random.nextIndex(below: live.count)
                network.cancel(live[position].id, now: now)
                live.remove(at: position)
            } else if let due = network.nextFinish() {
                now = max(now, due.time)
                let done = Set(network.finish(due.ids, now: now).map(\.id))
                live.removeAll { done.contains($0.id) }
            }
            let expected = Self.referenceRates(capacities: network.capacities, transfers: live)
            let actual = network.transfers.mapValues(\.rate)
            #expect(actual == expected, "seed \(seed) at \(now)")
            if actual != expected { return }
        }
    }
}
