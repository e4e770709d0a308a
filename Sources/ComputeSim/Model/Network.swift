/// A tenant network with an IPv4 /24 and an IPv6 /64 subnet; the default is `private`
/// (10.0.0.0/24 and fd00::/64).
///
/// Addresses are handed out lowest-first (IPv4 .2 to .254; .1 is the gateway), and the same
/// host number is used for IPv6 (`fd00::2`), so one index identifies a port.
public struct Network: Hashable, Sendable {
    /// The network's UUID (what `networks: [{"uuid": ...}]` names).
    public var id: String
    public var name: String
    /// The first three octets of the IPv4 /24, e.g. (10, 0, 0).
    public var ipv4Prefix: (UInt8, UInt8, UInt8)
    /// The IPv6 /64 prefix text ending in "::", e.g. "fd00::".
    public var ipv6Prefix: String

    public init(id: String, name: String, ipv4Prefix: (UInt8, UInt8, UInt8), ipv6Prefix: String) {
        self.id = id
        self.name = name
        self.ipv4Prefix = ipv4Prefix
        self.ipv6Prefix = ipv6Prefix
    }

    /// The default network `private`.
    public static let `private` = Network(id: "3cb9bc59-5699-4588-a4b1-b87f96708bc6", name: "private", ipv4Prefix: (10, 0, 0), ipv6Prefix: "fd00::")

    /// The host number a fixed address names on this network, or nil when it is not a usable
    /// address of either subnet.
    public func hostNumber(of address: String) -> Int? {
        if let v4 = IPAddress.parseIPv4(address) {
            guard v4[0] == ipv4Prefix.0, v4[1] == ipv4Prefix.1, v4[2] == ipv4Prefix.2, Self.hostNumbers.contains(Int(v4[3])) else { return nil }
            return Int(v4[3])
        }
        guard let groups = IPAddress.parseIPv6(address), let prefix = IPAddress.parseIPv6(ipv6Prefix) else { return nil }
        guard groups[0..<4] == prefix[0..<4], groups[4..<7].allSatisfy({ $0 == 0 }), Self.hostNumbers.contains(Int(groups[7])) else { return nil }
        return Int(groups[7])
    }

    /// The usable host numbers of the /24.
    static let hostNumbers = 2...254

    /// The two addresses of host number `number`.
    func addresses(_ number: Int) -> [ServerAddress] {
        [
            ServerAddress(network: name, version: 4, address: "\(ipv4Prefix.0).\(ipv4Prefix.1).\(ipv4Prefix.2).\(number)"),
            ServerAddress(network: name, version: 6, address: ipv6Prefix + String(number, radix: 16)),
        ]
    }

    public static func == (lhs: Network, rhs: Network) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.ipv4Prefix == rhs.ipv4Prefix && lhs.ipv6Prefix == rhs.ipv6Prefix
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

    public init(network: String, version: Int, address: String) {
        self.network = network
        self.version = version
        self.address = address
    }
}
