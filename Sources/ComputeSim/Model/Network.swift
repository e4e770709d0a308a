/// A tenant network with an IPv4 subnet (a /24 by default, down to a /16) and an IPv6 /64; the
/// default is `private` (10.0.0.0/24 and fd00::/64), shared by every project. A cloud may have
/// several (``CloudConfiguration/networks``), shared or owned by one project.
///
/// Addresses are handed out lowest-first (host numbers 2 to the subnet's size minus 2; 1 is the
/// gateway), and the same host number is used for IPv6 (`fd00::2`), so one index identifies a
/// port. A /24 holds 253 servers; capacity-planning scenarios with more concurrent servers
/// widen it (`"network": {"prefixLength": 16}` holds 65,533).
public struct Network: Hashable, Sendable {
    /// The network's UUID (what `networks: [{"uuid": ...}]` names).
    public var id: String
    public var name: String
    /// The first three octets of the IPv4 /24, e.g. (10, 0, 0).
    public var ipv4Prefix: (UInt8, UInt8, UInt8)
    /// The IPv6 /64 prefix text ending in "::", e.g. "fd00::".
    public var ipv6Prefix: String
    /// The IPv4 prefix length, 16 to 24; the octets of ``ipv4Prefix`` past it are ignored.
    public var ipv4PrefixLength = 24
    /// Whether every project may attach servers to it (Neutron's `shared`); otherwise only
    /// ``project`` (and administrators) may.
    public var isShared = true
    /// The owning project of a network that is not shared.
    public var project: ProjectID? = nil

    public init(
        id: String, name: String, ipv4Prefix: (UInt8, UInt8, UInt8), ipv6Prefix: String, ipv4PrefixLength: Int = 24, isShared: Bool = true,
        project: ProjectID? = nil
    ) {
        self.id = id
        self.name = name
        self.ipv4Prefix = ipv4Prefix
        self.ipv6Prefix = ipv6Prefix
        self.ipv4PrefixLength = ipv4PrefixLength
        self.isShared = isShared
        self.project = project
    }

    /// Whether `project` may see and use the network: shared, its own, or any for an admin.
    public func isVisible(to project: ProjectID, isAdmin: Bool) -> Bool {
        isShared || isAdmin || self.project == project
    }

    /// The IPv4 subnet in CIDR notation (`10.0.0.0/24`).
    public var ipv4CIDR: String {
        "\(base >> 24).\(base >> 16 & 255).\(base >> 8 & 255).\(base & 255)/\(min(24, max(16, ipv4PrefixLength)))"
    }

    /// Checks the fields a network must have: an id, a name, a prefix length from 16 to 24 and
    /// an IPv6 prefix ending in "::" that parses.
    public func validated() throws(ModelError) -> Network {
        guard !id.isEmpty else { throw ModelError(.invalidValue, "network id must not be empty") }
        guard !name.isEmpty else { throw ModelError(.invalidValue, "network \(id): name must not be empty") }
        guard (16...24).contains(ipv4PrefixLength) else {
            throw ModelError(.invalidValue, "network \(id): ipv4PrefixLength must be from 16 to 24, got \(ipv4PrefixLength)")
        }
        guard ipv6Prefix.hasSuffix("::"), IPAddress.parseIPv6(ipv6Prefix) != nil else {
            throw ModelError(.invalidValue, "network \(id): ipv6Prefix must be an IPv6 /64 prefix ending in \"::\", got \(ipv6Prefix)")
        }
        guard isShared || project != nil else { throw ModelError(.invalidValue, "network \(id): a network that is not shared needs a project") }
        return self
    }

    /// The default network `private`.
    public static let `private` = Network(id: "3cb9bc59-5699-4588-a4b1-b87f96708bc6", name: "private", ipv4Prefix: (10, 0, 0), ipv6Prefix: "fd00::")

    /// The host number a fixed address names on this network, or nil when it is not a usable
    /// address of either subnet.
    public func hostNumber(of address: String) -> Int? {
        if let v4 = IPAddress.parseIPv4(address) {
            let value = v4.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard value & ~hostMask == base else { return nil }
            let number = Int(value & hostMask)
            return hostNumbers.contains(number) ? number : nil
        }
        guard let groups = IPAddress.parseIPv6(address), let prefix = IPAddress.parseIPv6(ipv6Prefix) else { return nil }
        guard groups[0..<4] == prefix[0..<4], groups[4..<7].allSatisfy({ $0 == 0 }), hostNumbers.contains(Int(groups[7])) else { return nil }
        return Int(groups[7])
    }

    private var hostMask: UInt32 { (UInt32(1) << UInt32(32 - min(24, max(16, ipv4PrefixLength)))) - 1 }
    private var base: UInt32 { (UInt32(ipv4Prefix.0) << 24 | UInt32(ipv4Prefix.1) << 16 | UInt32(ipv4Prefix.2) << 8) & ~hostMask }

    /// The usable host numbers of the subnet (2...254 for a /24).
    var hostNumbers: ClosedRange<Int> { 2...Int(hostMask) - 1 }

    /// The two addresses of host number `number` (on the port with MAC address `mac`).
    func addresses(_ number: Int, mac: String? = nil) -> [ServerAddress] {
        let value = base | UInt32(number)
        return [
            ServerAddress(network: name, version: 4, address: "\(value >> 24).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)", macAddress: mac),
            ServerAddress(network: name, version: 6, address: ipv6Prefix + String(number, radix: 16), macAddress: mac),
        ]
    }

    public static func == (lhs: Network, rhs: Network) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.ipv4Prefix == rhs.ipv4Prefix && lhs.ipv6Prefix == rhs.ipv6Prefix
            && lhs.ipv4PrefixLength == rhs.ipv4PrefixLength && lhs.isShared == rhs.isShared && lhs.project == rhs.project
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(ipv6Prefix)
    }
}

/// One fixed address of a server.
public struct ServerAddress: Hashable, Sendable {
    public var network: String
    public var version: Int
    public var address: String
    /// The MAC address of the port the address is on.
    public var macAddress: String?

    public init(network: String, version: Int, address: String, macAddress: String? = nil) {
        self.network = network
        self.version = version
        self.address = address
        self.macAddress = macAddress
    }
}
