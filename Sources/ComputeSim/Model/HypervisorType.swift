/// A host's hypervisor as Nova reports it (`hypervisor_type`: `QEMU`, `KVM`, `Ironic`, ...).
/// Any name is representable; placement and actions compare names without regard to case.
public struct HypervisorType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as reported.
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let qemu: HypervisorType = "QEMU"
    public static let kvm: HypervisorType = "KVM"
    public static let ironic: HypervisorType = "Ironic"

    /// Whether an image whose `hypervisor_type` property is `imageType` (lower case, as Glance
    /// stores it) can run here: the same name ignoring case, where kvm and qemu count as one
    /// libvirt family (the ImagePropertiesFilter's rule).
    /// - Complexity: O(length of the names), without allocating.
    func supports(imageType: String) -> Bool {
        if Self.same(rawValue, imageType) { return true }
        return (Self.same(rawValue, "kvm") || Self.same(rawValue, "qemu")) && (imageType == "kvm" || imageType == "qemu")
    }

    /// Whether the driver can suspend servers (libvirt, Xen and VMware can; Ironic and others
    /// cannot).
    var supportsSuspend: Bool { ["xen", "xenserver", "xcp", "kvm", "qemu", "vmware", "esxi"].contains(rawValue.lowercased()) }

    /// `a` lowercased (ASCII) equals `b`, which is already lower case.
    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { x, y in (x >= 65 && x <= 90 ? x | 0x20 : x) == y }
    }

    public var description: String { rawValue }
}
