/// An exact amount of the three scheduled resources: vCPUs, RAM in MiB, disk in GiB.
///
/// Arithmetic is integer and exact. `+` and `-` trap on overflow (programmer error); amounts
/// coming from users are validated where they enter (``Host``, ``Flavor``).
public struct Resources: Hashable, Sendable, Codable, CustomStringConvertible {
    public var vcpus: Int
    public var memoryMiB: Int
    public var diskGiB: Int

    public init(vcpus: Int, memoryMiB: Int, diskGiB: Int) {
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
    }

    /// No resources.
    public static let zero = Resources(vcpus: 0, memoryMiB: 0, diskGiB: 0)

    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        Resources(vcpus: lhs.vcpus + rhs.vcpus, memoryMiB: lhs.memoryMiB + rhs.memoryMiB, diskGiB: lhs.diskGiB + rhs.diskGiB)
    }

    public static func - (lhs: Resources, rhs: Resources) -> Resources {
        Resources(vcpus: lhs.vcpus - rhs.vcpus, memoryMiB: lhs.memoryMiB - rhs.memoryMiB, diskGiB: lhs.diskGiB - rhs.diskGiB)
    }

    /// Whether every component is at most `other`'s.
    public func fits(in other: Resources) -> Bool {
        vcpus <= other.vcpus && memoryMiB <= other.memoryMiB && diskGiB <= other.diskGiB
    }

    /// Whether any component is negative.
    public var hasNegativeComponent: Bool { vcpus < 0 || memoryMiB < 0 || diskGiB < 0 }

    /// The component-wise maximum.
    public func componentMax(_ other: Resources) -> Resources {
        Resources(vcpus: max(vcpus, other.vcpus), memoryMiB: max(memoryMiB, other.memoryMiB), diskGiB: max(diskGiB, other.diskGiB))
    }

    public var description: String { "\(vcpus) vCPU, \(memoryMiB) MiB RAM, \(diskGiB) GiB disk" }
}
