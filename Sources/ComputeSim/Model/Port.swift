/// A port on one of the cloud's networks, as Neutron shows it: created by a project (with
/// ``ComputeCloud/createPort(network:fixedIP:name:as:)`` or `POST /v2.0/ports`) and holding its
/// address from then on, bound to a server (`device`) while a server booted with it exists, and
/// unbound, not deleted, when that server goes.
public struct Port: Hashable, Sendable {
    public var id: PortID
    public var name: String
    /// The network's id.
    public var network: String
    public var project: ProjectID
    public var macAddress: String
    /// Its IPv4 and IPv6 addresses (the same host number on both subnets).
    public var addresses: [ServerAddress]
    /// The server it is bound to, if any.
    public var device: ServerID?
}
