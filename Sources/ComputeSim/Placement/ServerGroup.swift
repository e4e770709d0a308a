/// A server group's scheduling policy (Nova's policy names).
public enum ServerGroupPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Hard: every member on one host.
    case affinity = "affinity"
    /// Hard: at most `maxServerPerHost` members per host.
    case antiAffinity = "anti-affinity"
    /// Preference for co-location (a weigher).
    case softAffinity = "soft-affinity"
    /// Preference for spreading (a weigher).
    case softAntiAffinity = "soft-anti-affinity"
}

/// A server group: a policy that constrains where its members are placed.
public struct ServerGroup: Hashable, Sendable, Codable {
    public var id: ServerGroupID
    public var name: String
    public var project: ProjectID
    public var policy: ServerGroupPolicy
    /// The `max_server_per_host` rule; only anti-affinity supports it (default 1).
    public var maxServerPerHost: Int?

    public init(id: ServerGroupID, name: String, project: ProjectID, policy: ServerGroupPolicy, maxServerPerHost: Int? = nil) {
        self.id = id
        self.name = name
        self.project = project
        self.policy = policy
        self.maxServerPerHost = maxServerPerHost
    }

    /// The anti-affinity limit in force (1 unless a rule says otherwise).
    public var effectiveMaxServerPerHost: Int { maxServerPerHost ?? 1 }

    /// Checks the group; returns it unchanged.
    /// - Throws: ``ModelError`` `invalidValue` with Nova's message for rules on other policies.
    public func validated() throws(ModelError) -> ServerGroup {
        guard !id.rawValue.isEmpty else { throw ModelError(.invalidValue, "server group id must not be empty") }
        if let limit = maxServerPerHost {
            guard policy == .antiAffinity else { throw ModelError(.invalidValue, "Only anti-affinity policy supports rules.") }
            guard limit >= 1 else { throw ModelError(.invalidValue, "server group \(id): max_server_per_host must be a positive integer, got \(limit)") }
        }
        return self
    }
}
