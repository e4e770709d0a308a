// Reading a scenario's networks.
extension Scenario {
    /// `"networks": [{"id", "name", "cidr": "10.1.0.0/24", "ipv6Prefix": "fd01::", "shared": true,
    /// "project": "p"}]`: ids and names unique, an IPv4 CIDR with a prefix length from 16 to 24
    /// (default `10.<k>.0.0/24` for the k-th network), an IPv6 /64 prefix (default `fd0<k>::`), and
    /// either shared (the default) or owned by `project`.
    static func parseNetworks(_ reader: JSONReader) throws(ScenarioError) -> [Network] {
        var ids = Set<String>(), names = Set<String>()
        let entries = try reader.array()
        guard entries.count <= 255 else { throw reader.fail("at most 255 networks, got \(entries.count)") }
        var networks: [Network] = []
        for (position, entry) in entries.enumerated() {
            let fields = try entry.object(allowed: ["id", "name", "cidr", "ipv6Prefix", "shared", "project"])
            let id = try required(fields, "id", entry).string()
            guard ids.insert(id).inserted else { throw (fields["id"] ?? entry).fail("network id \(id) is used twice") }
            let name = try fields["name"]?.string() ?? id
            guard !name.isEmpty, names.insert(name).inserted else { throw (fields["name"] ?? entry).fail("network name \(name) is empty or used twice") }
            var octets: (UInt8, UInt8, UInt8) = (10, UInt8(position % 256), 0)
            var length = 24
            if let cidr = fields["cidr"] {
                let text = try cidr.string()
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, let address = IPAddress.parseIPv4(String(parts[0])), let bits = Int(parts[1]), (16...24).contains(bits) else {
                    throw cidr.fail("expected an IPv4 CIDR with a prefix length from 16 to 24, such as 10.1.0.0/24, got \(text)")
                }
                octets = (address[0], address[1], address[2])
                length = bits
            }
            let hex = String(position % 256, radix: 16)
            let ipv6 = try fields["ipv6Prefix"]?.string() ?? "fd\(hex.count == 1 ? "0" + hex : hex)::"
            let shared = try fields["shared"]?.bool() ?? true
            let project = try fields["project"].map { (value: JSONReader) throws(ScenarioError) -> ProjectID in ProjectID(try value.string()) }
            let network = Network(id: id, name: name, ipv4Prefix: octets, ipv6Prefix: ipv6, ipv4PrefixLength: length, isShared: shared, project: project)
            do throws(ModelError) { networks.append(try network.validated()) } catch {
                throw entry.fail(error.message.replacingOccurrences(of: "network \(id): ", with: ""))
            }
        }
        return networks
    }
}
