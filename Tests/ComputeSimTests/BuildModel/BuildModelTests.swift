import Testing

@testable import ComputeSim

/// The physical build model with round numbers: 1 GiB/s host links, a 2 GiB image, disks so
/// fast that writing takes 1 s for a 1-GiB-disk flavor, constant delays.
enum Plant {
    static let me = Caller(project: "demo")
    static let image = ImageID("big")
    static let gib = 1_073_741_824.0

    static func cloud(hosts: Int = 1, _ edit: (inout BuildModel) -> Void = { _ in }) throws -> ComputeCloud {
        var configuration = CloudConfiguration()
        configuration.hosts = (1...hosts).map { Host(name: HostName("h\($0)"), vcpus: 64, memoryMiB: 262_144, diskGiB: 4_000) }
        configuration.images.append(Image(id: image, name: "big", sizeGiB: 2))
        configuration.flavors.append(Flavor(id: "d1", name: "d1", vcpus: 1, memoryMiB: 512, diskGiB: 1))
        configuration.defaultQuota = .unlimited
        configuration.placement.accountSpreading = .off
        var model = BuildModel()
        model.hostNetworkBytesPerSecond = gib
        model.imageStoreBytesPerSecond = 100 * gib
        model.diskBytesPerSecond = gib
        model.schedulingDelay = .constant(1)
        model.portSetupDelay = .constant(1)
        model.boot = .constant(10)
        edit(&model)
        configuration.buildModel = model
        return try ComputeCloud(configuration: configuration)
    }

    static func create(_ cloud: inout ComputeCloud, count: Int = 1, image: ImageID = image) throws -> [ServerID] {
        try cloud.createServers(CreateServerRequest(name: "s", image: image, flavor: "d1", minCount: count, maxCount: count), as: me).ids
    }
}

@Suite("Physical build model")
struct BuildModelTests {
    @Test("One build alone: 1 s scheduling, 1 s port, 2 s to fetch 2 GiB at 1 GiB/s, 1 s to write 1 GiB, 10 s boot")
    func oneBuildAlone() throws {
        var cloud = try Plant.cloud()
        let id = try Plant.create(&cloud)[0]
        cloud.runUntilIdle()
        let times = try #require(cloud.buildTimes(of: id))
        #expect(
            times
                == BuildTimes(
                    scheduling: .seconds(1), queued: .zero, networking: .seconds(1), fetch: .seconds(2), disk: .seconds(1), boot: .seconds(10), cacheHit: false)
        )
        #expect(cloud.statusHistory(of: id).map(\.status) == [.build, .active])
        #expect(cloud.statusHistory(of: id).last?.time == .zero + .seconds(15))
        #expect(cloud.buildStatistics?.cacheMisses == 1)
    }

    @Test("Two concurrent downloads on one host link each take exactly twice as long as one alone")
    func fairSharingOnAHostLink() throws {
        var cloud = try Plant.cloud()
        let ids = try Plant.create(&cloud, count: 2)
        cloud.runUntilIdle()
        for id in ids { #expect(cloud.buildTimes(of: id)?.fetch == .seconds(4)) }
        // Both write at once too: 1 GiB each over a shared 1 GiB/s disk.
        for id in ids { #expect(cloud.buildTimes(of: id)?.disk == .seconds(2)) }
        #expect(cloud.buildStatistics?.cacheMisses == 2)
    }

    @Test("The image store's egress is shared fairly across hosts, and a download limited elsewhere leaves its share to others")
    func fairSharingOnTheStore() throws {
        var cloud = try Plant.cloud(hosts: 3) {
            $0.imageStoreBytesPerSecond = Plant.gib; $0.hostNetworkBytesPerSecond = 10 * Plant.gib
        }
        let ids = try Plant.create(&cloud, count: 2)
        cloud.runUntilIdle()
        #expect(Set(ids.compactMap { try? cloud.server($0, as: Plant.me).host }).count == 2)
        for id in ids { #expect(cloud.buildTimes(of: id)?.fetch == .seconds(4)) }

        // Max-min: a slow host link (0.25 GiB/s) caps one download; the other gets the rest of the store.
        var network = TransferNetwork()
        let store = network.addLink(bytesPerSecond: Plant.gib)
        let slow = network.addLink(bytesPerSecond: 0.25 * Plant.gib)
        let fast = network.addLink(bytesPerSecond: 10 * Plant.gib)
        _ = network.start(owner: 0, bytes: Plant.gib, links: [slow, store], now: .zero)
        _ = network.start(owner: 1, bytes: 0.75 * Plant.gib, links: [fast, store], now: .zero)
        #expect(network.transfers.values.map(\.rate).sorted() == [0.25 * Plant.gib, 0.75 * Plant.gib])
        #expect(network.nextFinish()?.time == .zero + .seconds(1))
    }

    @Test("A cached image skips the fetch: prewarmed, or left by an earlier build on the host")
    func cacheHitsSkipTheFetch() throws {
        var warm = try Plant.cloud { $0.prewarmedImages = [Plant.image] }
        let id = try Plant.create(&warm)[0]
        warm.runUntilIdle()
        #expect(warm.buildTimes(of: id)?.fetch == .zero)
        #expect(warm.buildTimes(of: id)?.cacheHit == true)
        #expect(warm.buildStatistics?.cacheHits == 1 && warm.buildStatistics?.cacheMisses == 0)

        var cold = try Plant.cloud()
        let first = try Plant.create(&cold)[0]
        cold.runUntilIdle()
        let second = try Plant.create(&cold)[0]
        cold.runUntilIdle()
        #expect(cold.buildTimes(of: first)?.fetch == .seconds(2))
        #expect(cold.buildTimes(of: second)?.fetch == .zero)
        #expect(cold.buildStatistics?.cacheHitRatio == 0.5)
    }

    @Test("The 11th concurrent build on a host waits in BUILD (task scheduling) until one of the first 10 finishes")
    func eleventhBuildWaits() throws {
        var cloud = try Plant.cloud { $0.prewarmedImages = [Plant.image] }
        let ids = try Plant.create(&cloud, count: 11)
        try cloud.advance(by: .seconds(5))
        let eleventh = try cloud.server(ids[10], as: Plant.me)
        #expect(eleventh.status == .build && eleventh.taskState == .scheduling)
        #expect(try cloud.server(ids[0], as: Plant.me).taskState == .spawning)
        #expect(cloud.buildStatistics?.queuedNow == 1 && cloud.buildStatistics?.peakQueueLength == 1)
        cloud.runUntilIdle()
        // The first ten: 1 s scheduling, 1 s port, 10 GiB over the shared disk (10 s), 10 s boot.
        let first = try #require(cloud.buildTimes(of: ids[0]))
        #expect(first.disk == .seconds(10) && first.total == .seconds(22))
        // The 11th waited from t = 1 s until the first ten were ACTIVE at 22 s.
        let last = try #require(cloud.buildTimes(of: ids[10]))
        #expect(last.queued == .seconds(21))
        #expect(last.disk == .seconds(1))
        #expect(cloud.statusHistory(of: ids[10]).map(\.status) == [.build, .active])
        #expect(cloud.checkInvariants() == [])
    }

    @Test("Progress rises monotonically with the work and reaches 100 exactly at ACTIVE")
    func progressFollowsWork() throws {
        var cloud = try Plant.cloud()
        let id = try Plant.create(&cloud)[0]
        var seen: [Int] = []
        while try cloud.server(id, as: Plant.me).status == .build {
            seen.append(try cloud.server(id, as: Plant.me).progress ?? -1)
            try cloud.advance(by: .milliseconds(250))
        }
        let active = try cloud.server(id, as: Plant.me)
        #expect(active.status == .active && active.progress == 100)
        #expect(seen == seen.sorted())
        #expect(seen.allSatisfy { $0 >= 0 && $0 <= 99 })
        #expect(seen.contains(27))  // half the image fetched (5 + 45 × 0.5)
        #expect(seen.last == 98 || seen.last == 99)
    }

    @Test("The cache evicts the least recently used image first")
    func lruEviction() {
        var cache = ImageCache(capacityBytes: 10)
        cache.insert("a", bytes: 4)
        cache.insert("b", bytes: 4)
        let touched = cache.touch("a")
        #expect(touched)
        let evicted = cache.insert("c", bytes: 4)
        #expect(evicted == ["b"])
        #expect(cache.entries.map(\.image) == ["a", "c"])
        let both = cache.insert("d", bytes: 8)
        #expect(both == ["a", "c"])
        let none = cache.insert("huge", bytes: 11)
        #expect(none == [] && !cache.contains("huge"))
        #expect(cache.usedBytes == 8)
    }

    @Test("Rebuild fetches an image it lacks and rewrites the disk; resize copies the disk over the slower host link")
    func rebuildAndResize() throws {
        var cloud = try Plant.cloud(hosts: 2) { $0.prewarmedImages = [ComputeCloud.cirros] }
        let id = try cloud.createServers(CreateServerRequest(name: "r", image: ComputeCloud.cirros, flavor: "d1"), as: Plant.me).ids[0]
        cloud.runUntilIdle()
        #expect(cloud.buildTimes(of: id)?.fetch == .zero)
        let start = cloud.now
        _ = try cloud.perform(.rebuild(image: Plant.image, adminPass: nil), on: id, as: Plant.me)
        cloud.runUntilIdle()
        #expect(cloud.buildTimes(of: id)?.fetch == .zero)  // build times describe the first build
        #expect(cloud.buildStatistics?.cacheMisses == 1)  // the rebuild fetched the big image
        #expect(try cloud.server(id, as: Plant.me).status == .active)
        let rebuildTime = try #require(cloud.statusHistory(of: id).last?.time) - start
        #expect(rebuildTime >= .seconds(13))  // 2 s fetch + 1 s disk + 10 s boot, plus the rebuild's own phases
        _ = try cloud.perform(.resize(flavor: "1"), on: id, as: Plant.me)
        var sawCopy = false
        while try cloud.server(id, as: Plant.me).status == .resize {
            if cloud.world.plantServers[0]?.work?.stage == .copying { sawCopy = true }
            try cloud.advance(by: .milliseconds(100))
        }
        #expect(sawCopy)
        #expect(try cloud.server(id, as: Plant.me).status == .verifyResize)
        #expect(cloud.checkInvariants() == [])
    }

    @Test("Deleting a build that holds a slot lets the next queued build start at once")
    func deleteFreesSlot() throws {
        var cloud = try Plant.cloud {
            $0.maxConcurrentBuilds = 1; $0.prewarmedImages = [Plant.image]
        }
        let ids = try Plant.create(&cloud, count: 2)
        try cloud.advance(by: .seconds(3))
        #expect(try cloud.server(ids[1], as: Plant.me).taskState == .scheduling)
        try cloud.deleteServer(ids[0], as: Plant.me)
        try cloud.advance(by: .seconds(1))
        #expect(try cloud.server(ids[1], as: Plant.me).taskState != .scheduling)
        cloud.runUntilIdle()
        #expect(cloud.buildTimes(of: ids[1])?.queued == .seconds(2))
        #expect(cloud.checkInvariants() == [])
    }

    @Test("The same seed gives the same trace; another seed another one; the default cloud keeps drawn durations")
    func determinism() throws {
        func digest(_ seed: UInt64) throws -> String {
            var cloud = try Plant.cloud(hosts: 3) {
                $0.boot = .uniform(min: 5, max: 25); $0.portSetupDelay = .uniform(min: 1, max: 3)
            }
            cloud.world.configuration.seed = seed
            _ = try Plant.create(&cloud, count: 25)
            cloud.runUntilIdle()
            return cloud.traceDigest
        }
        #expect(try digest(1) == digest(1))
        var other = try Plant.cloud(hosts: 3) { $0.boot = .uniform(min: 5, max: 25) }
        other.world.timing = DeterministicRandom(seed: 99, stream: "timing")
        _ = try Plant.create(&other, count: 25)
        other.runUntilIdle()
        #expect(other.traceDigest != (try digest(1)))
        #expect(try ComputeCloud().buildStatistics == nil)
    }
}

@Suite("Physical build model: local deletes")
struct BuildModelLocalDeleteTests {
    @Test("Deleting a booting server on a down host (a local delete) frees its slot at once for the queued build")
    func localDeleteFreesSlot() throws {
        var cloud = try Plant.cloud {
            $0.maxConcurrentBuilds = 1; $0.prewarmedImages = [Plant.image]
        }
        let ids = try Plant.create(&cloud, count: 2)
        try cloud.advance(by: .seconds(5))  // the first is booting, the second queued
        #expect(try cloud.server(ids[1], as: Plant.me).taskState == .scheduling)
        try cloud.inject(.hostDown("h1"), at: cloud.now)
        try cloud.advance(by: .seconds(1))
        try cloud.deleteServer(ids[0], as: Plant.me)  // the host is down: deleted at once
        // The queued build took the slot in the same call, not at some later event.
        #expect(try cloud.server(ids[1], as: Plant.me).taskState == .networking)
        #expect(cloud.buildTimes(of: ids[1])?.queued == .seconds(5))
        try cloud.inject(.hostUp("h1"), at: cloud.now + .seconds(30))
        cloud.runUntilIdle()
        #expect(try cloud.server(ids[1], as: Plant.me).status == .active)
        #expect(cloud.checkInvariants() == [])
    }
}
