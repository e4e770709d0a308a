/// A flavor: the size of a server.
///
/// The resources a server of this flavor claims on its host follow Placement: `vcpus` vCPUs,
/// `memoryMiB` of RAM, and root + ephemeral disk plus swap rounded up to whole GiB.
public struct Flavor: Hashable, Sendable, Codable {
    public var id: FlavorID
    public var name: String
    public var vcpus: Int
    public var memoryMiB: Int
    /// Root disk in GiB (0 means "the image's size", claimed as 0 here, as Nova does).
    public var diskGiB: Int
    public var ephemeralGiB: Int
    public var swapMiB: Int
    /// Extra specs, e.g. `hw:cpu_policy`; kept sorted by key wherever they are shown.
    public var extraSpecs: [String: String]

    public init(
        id: FlavorID, name: String, vcpus: Int, memoryMiB: Int, diskGiB: Int, ephemeralGiB: Int = 0, swapMiB: Int = 0, extraSpecs: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
        self.ephemeralGiB = ephemeralGiB
        self.swapMiB = swapMiB
        self.extraSpecs = extraSpecs
    }

    /// What a server of this flavor claims on its host.
    public var claim: Resources {
        Resources(vcpus: vcpus, memoryMiB: memoryMiB, diskGiB: diskGiB + ephemeralGiB + (swapMiB + 1023) / 1024)
    }

    /// Checks every field; returns the flavor unchanged.
    /// - Throws: ``ModelError`` `invalidValue` naming the flavor and the field.
    public func validated() throws(ModelError) -> Flavor {
        func fail(_ message: String) -> ModelError { ModelError(.invalidValue, "flavor \(id): \(message)") }
        guard !id.rawValue.isEmpty else { throw ModelError(.invalidValue, "flavor id must not be empty") }
        guard vcpus >= 1, vcpus <= 1 << 20 else { throw fail("vcpus must be between 1 and \(1 << 20), got \(vcpus)") }
        guard memoryMiB >= 1, memoryMiB <= 1 << 30 else { throw fail("memoryMiB must be between 1 and \(1 << 30), got \(memoryMiB)") }
        for (label, value) in [("diskGiB", diskGiB), ("ephemeralGiB", ephemeralGiB), ("swapMiB", swapMiB)] {
            guard value >= 0, value <= 1 << 30 else { throw fail("\(label) must be between 0 and \(1 << 30), got \(value)") }
        }
        return self
    }

    /// Nova's classic default flavors m1.tiny ... m1.xlarge (ids "1" to "5").
    public static let defaultCatalog: [Flavor] = [
        Flavor(id: "1", name: "m1.tiny", vcpus: 1, memoryMiB: 512, diskGiB: 1),
        Flavor(id: "2", name: "m1.small", vcpus: 1, memoryMiB: 2048, diskGiB: 20),
        Flavor(id: "3", name: "m1.medium", vcpus: 2, memoryMiB: 4096, diskGiB: 40),
        Flavor(id: "4", name: "m1.large", vcpus: 4, memoryMiB: 8192, diskGiB: 80),
        Flavor(id: "5", name: "m1.xlarge", vcpus: 8, memoryMiB: 16384, diskGiB: 160),
    ]
}
