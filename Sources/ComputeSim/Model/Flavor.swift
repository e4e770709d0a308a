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
    /// Whether every project may use the flavor; a private one is usable by administrators and
    /// the projects on its access list (``ComputeCloud/addFlavorAccess(_:project:as:)``).
    public var isPublic: Bool
    /// Free text shown from microversion 2.55 (nil: none).
    public var description: String?
    /// The network bandwidth factor Nova records (`rxtx_factor`; 1.0 unless given).
    public var rxtxFactor: Double

    public init(
        id: FlavorID, name: String, vcpus: Int, memoryMiB: Int, diskGiB: Int, ephemeralGiB: Int = 0, swapMiB: Int = 0, extraSpecs: [String: String] = [:],
        isPublic: Bool = true, description: String? = nil, rxtxFactor: Double = 1.0
    ) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
        self.ephemeralGiB = ephemeralGiB
        self.swapMiB = swapMiB
        self.extraSpecs = extraSpecs
        self.isPublic = isPublic
        self.description = description
        self.rxtxFactor = rxtxFactor
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, vcpus, memoryMiB, diskGiB, ephemeralGiB, swapMiB, extraSpecs, isPublic, description, rxtxFactor
    }

    /// Decodes a flavor; `isPublic`, `description` and `rxtxFactor` may be absent (flavors
    /// encoded before they existed), as may `ephemeralGiB`, `swapMiB` and `extraSpecs`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(FlavorID.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            vcpus: try container.decode(Int.self, forKey: .vcpus), memoryMiB: try container.decode(Int.self, forKey: .memoryMiB),
            diskGiB: try container.decode(Int.self, forKey: .diskGiB), ephemeralGiB: try container.decodeIfPresent(Int.self, forKey: .ephemeralGiB) ?? 0,
            swapMiB: try container.decodeIfPresent(Int.self, forKey: .swapMiB) ?? 0,
            extraSpecs: try container.decodeIfPresent([String: String].self, forKey: .extraSpecs) ?? [:],
            isPublic: try container.decodeIfPresent(Bool.self, forKey: .isPublic) ?? true,
            description: try container.decodeIfPresent(String.self, forKey: .description),
            rxtxFactor: try container.decodeIfPresent(Double.self, forKey: .rxtxFactor) ?? 1.0)
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
        guard rxtxFactor > 0, rxtxFactor.isFinite else { throw fail("rxtxFactor must be a positive number, got \(rxtxFactor)") }
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
