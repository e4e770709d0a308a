/// A compute host (a hypervisor node) and its configuration.
///
/// Capacity follows Placement's rule: a resource's effective capacity is
/// `floor((total − reserved) × allocation ratio)`, computed once, exactly, when the host is
/// validated. Nova's defaults: cpu ratio 4.0, ram 1.0, disk 1.0; 512 MiB of RAM reserved
/// (`reserved_host_memory_mb`), nothing else reserved.
public struct Host: Hashable, Sendable, Codable {
    /// The host's name, unique in a cloud.
    public var name: HostName
    /// The availability zone the host belongs to (Nova's default zone `nova`).
    public var availabilityZone: AvailabilityZone
    /// The hypervisor type, e.g. `QEMU`, `KVM`, `VMware`, `Xen`, `Ironic` (matched by the image
    /// property `hypervisor_type`, case-insensitively).
    public var hypervisorType: HypervisorType
    /// Physical totals.
    public var total: Resources
    /// Amounts set aside for the host itself.
    public var reserved: Resources
    /// Overcommit ratio for vCPUs (Nova default 4.0).
    public var cpuAllocationRatio: Double
    /// Overcommit ratio for RAM (Nova default 1.0).
    public var ramAllocationRatio: Double
    /// Overcommit ratio for disk (Nova default 1.0).
    public var diskAllocationRatio: Double

    /// Nova's `reserved_host_memory_mb` default.
    public static let defaultReservedMemoryMiB = 512

    /// Creates a host with Nova's defaults for everything not given.
    public init(
        name: HostName,
        availabilityZone: AvailabilityZone = .nova,
        hypervisorType: HypervisorType = .qemu,
        vcpus: Int,
        memoryMiB: Int,
        diskGiB: Int,
        reserved: Resources = Resources(vcpus: 0, memoryMiB: Host.defaultReservedMemoryMiB, diskGiB: 0),
        cpuAllocationRatio: Double = 4.0,
        ramAllocationRatio: Double = 1.0,
        diskAllocationRatio: Double = 1.0
    ) {
        self.name = name
        self.availabilityZone = availabilityZone
        self.hypervisorType = hypervisorType
        self.total = Resources(vcpus: vcpus, memoryMiB: memoryMiB, diskGiB: diskGiB)
        self.reserved = reserved
        self.cpuAllocationRatio = cpuAllocationRatio
        self.ramAllocationRatio = ramAllocationRatio
        self.diskAllocationRatio = diskAllocationRatio
    }

    /// The largest amount of any one resource a host may have, before and after its allocation
    /// ratio (2^30: over a billion vCPUs, MiB or GiB; keeps the placement index 32-bit and all
    /// sums far from overflow).
    public static let maximumAmount = 1 << 30

    /// The effective capacity, after checking every field.
    ///
    /// - Throws: ``ModelError`` `invalidValue` naming the host and the field.
    public func effectiveCapacity() throws(ModelError) -> Resources {
        func fail(_ message: String) -> ModelError { ModelError(.invalidValue, "host \(name): \(message)") }
        guard !name.rawValue.isEmpty else { throw ModelError(.invalidValue, "host name must not be empty") }
        guard name.rawValue.utf8.count <= 255 else { throw fail("name is longer than 255 bytes") }
        for (label, value) in [("vcpus", total.vcpus), ("memoryMiB", total.memoryMiB), ("diskGiB", total.diskGiB)] {
            guard value >= 0, value <= Self.maximumAmount else { throw fail("\(label) must be between 0 and \(Self.maximumAmount), got \(value)") }
        }
        for (label, value, limit) in [
            ("vcpus", reserved.vcpus, total.vcpus), ("memoryMiB", reserved.memoryMiB, total.memoryMiB), ("diskGiB", reserved.diskGiB, total.diskGiB),
        ] {
            guard value >= 0 else { throw fail("reserved \(label) must not be negative, got \(value)") }
            guard value <= limit else { throw fail("reserved \(label) (\(value)) exceeds the total (\(limit))") }
        }
        for (label, ratio) in [("cpu", cpuAllocationRatio), ("ram", ramAllocationRatio), ("disk", diskAllocationRatio)] {
            guard ratio.isFinite, ratio > 0, ratio <= 1_000 else { throw fail("\(label) allocation ratio must be in (0, 1000], got \(ratio)") }
        }
        func scaled(_ total: Int, _ reserved: Int, _ ratio: Double) -> Int {
            Int((Double(total - reserved) * ratio).rounded(.down))
        }
        let capacity = Resources(
            vcpus: scaled(total.vcpus, reserved.vcpus, cpuAllocationRatio),
            memoryMiB: scaled(total.memoryMiB, reserved.memoryMiB, ramAllocationRatio),
            diskGiB: scaled(total.diskGiB, reserved.diskGiB, diskAllocationRatio)
        )
        for (label, value) in [("vcpus", capacity.vcpus), ("memoryMiB", capacity.memoryMiB), ("diskGiB", capacity.diskGiB)] where value > Self.maximumAmount {
            throw fail("effective \(label) after the allocation ratio is \(value), above the maximum \(Self.maximumAmount)")
        }
        return capacity
    }
}
