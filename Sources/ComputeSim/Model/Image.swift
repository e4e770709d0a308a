/// A bootable image.
public struct Image: Hashable, Sendable, Codable {
    public var id: ImageID
    public var name: String
    /// Minimum RAM (MiB) a server booted from this image needs.
    public var minRamMiB: Int
    /// Minimum root disk (GiB) a server booted from this image needs.
    public var minDiskGiB: Int
    /// Image properties, e.g. `hypervisor_type` (matched against the host by the
    /// ImagePropertiesFilter) or `architecture`.
    public var properties: [String: String]
    /// The image's size in GiB (what the physical build model downloads); 0 when unknown.
    public var sizeGiB: Double = 0

    public init(id: ImageID, name: String, minRamMiB: Int = 0, minDiskGiB: Int = 0, properties: [String: String] = [:], sizeGiB: Double = 0) {
        self.sizeGiB = sizeGiB
        self.id = id
        self.name = name
        self.minRamMiB = minRamMiB
        self.minDiskGiB = minDiskGiB
        self.properties = properties
    }

    /// Checks every field; returns the image unchanged.
    public func validated() throws(ModelError) -> Image {
        guard !id.rawValue.isEmpty else { throw ModelError(.invalidValue, "image id must not be empty") }
        guard minRamMiB >= 0, minRamMiB <= 1 << 30 else {
            throw ModelError(.invalidValue, "image \(id): minRamMiB must be between 0 and \(1 << 30), got \(minRamMiB)")
        }
        guard sizeGiB.isFinite, sizeGiB >= 0, sizeGiB <= 1_048_576 else {
            throw ModelError(.invalidValue, "image \(id): sizeGiB must be between 0 and \(1 << 20), got \(sizeGiB)")
        }
        guard minDiskGiB >= 0, minDiskGiB <= 1 << 30 else {
            throw ModelError(.invalidValue, "image \(id): minDiskGiB must be between 0 and \(1 << 30), got \(minDiskGiB)")
        }
        for key in [Self.maxPersonalityProperty, Self.maxPersonalitySizeProperty] {
            if let text = properties[key], Int(text).map({ $0 < 0 || $0 > 1 << 30 }) ?? true {
                throw ModelError(.invalidValue, "image \(id): property \(key) must be an integer from 0 to \(1 << 30), got \(text)")
            }
        }
        return self
    }

    /// The image property that caps how many personality files a server of this image may be
    /// given, on top of the deployment-wide `maxPersonality` (the Compute API's "Providers can
    /// set additional per-image personality limits").
    public static let maxPersonalityProperty = "max_personality"
    /// The image property that caps each personality file's decoded size in bytes, on top of the
    /// deployment-wide `maxPersonalitySize`.
    public static let maxPersonalitySizeProperty = "max_personality_size"

    /// The image's own limit on the number of personality files, if it sets one.
    public var maxPersonality: Int? { properties[Self.maxPersonalityProperty].flatMap { Int($0) } }
    /// The image's own limit on each personality file's decoded bytes, if it sets one.
    public var maxPersonalitySize: Int? { properties[Self.maxPersonalitySizeProperty].flatMap { Int($0) } }

    /// A small default catalog: CirrOS (the test image) and Ubuntu.
    public static let defaultCatalog: [Image] = [
        Image(
            id: "70a599e0-31e7-49b7-b260-868f441e862b", name: "cirros-0.6.2-x86_64-disk", minRamMiB: 0, minDiskGiB: 0, properties: ["architecture": "x86_64"]),
        Image(
            id: "155d900f-4e14-4e4c-a73d-069cbf4541e6", name: "ubuntu-24.04-server", minRamMiB: 512, minDiskGiB: 3,
            properties: ["architecture": "x86_64", "os_distro": "ubuntu"]),
    ]
}
