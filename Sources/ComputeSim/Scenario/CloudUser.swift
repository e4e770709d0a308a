/// A user of the simulated cloud's identity service (`compute-sim serve`): a name and password,
/// the project the user works in, and roles (``Role/admin`` makes the user an administrator).
public struct CloudUser: Hashable, Sendable {
    public var name: String
    public var password: String
    public var project: ProjectID
    public var roles: [Role]

    public init(name: String, password: String, project: ProjectID, roles: [Role] = [.member]) {
        self.name = name
        self.password = password
        self.project = project
        self.roles = roles
    }

    /// `demo`/`secret` in project `demo` (role `member`) and `admin`/`secret` in project
    /// `admin` (roles `admin` and `member`): what a scenario without `users` gets.
    public static let defaults = [
        CloudUser(name: "demo", password: "secret", project: "demo"),
        CloudUser(name: "admin", password: "secret", project: "admin", roles: [.admin, .member]),
    ]
}

extension Scenario {
    /// `"users": [{"name", "password", "project", "roles": ["admin"]}]`: names unique, every
    /// field a non-empty string, roles (default `["member"]`) from `admin`, `manager`,
    /// `member`, `reader`.
    static func parseUsers(_ reader: JSONReader) throws(ScenarioError) -> [CloudUser] {
        var names = Set<String>()
        var users: [CloudUser] = []
        let entries = try reader.array()
        guard entries.count <= 10_000 else { throw reader.fail("at most 10000 users, got \(entries.count)") }
        for entry in entries {
            let fields = try entry.object(allowed: ["name", "password", "project", "roles"])
            func text(_ key: String) throws(ScenarioError) -> String {
                let value = try required(fields, key, entry).string()
                guard !value.isEmpty, value.utf8.count <= 255 else { throw (fields[key] ?? entry).fail("expected 1 to 255 bytes of text") }
                return value
            }
            let name = try text("name")
            guard names.insert(name).inserted else { throw (fields["name"] ?? entry).fail("user name \(name) is used twice") }
            var roles: [Role] = [.member]
            if let list = fields["roles"] {
                roles = []
                for role in try list.array() {
                    let value = try role.string()
                    guard ["admin", "manager", "member", "reader"].contains(value) else {
                        throw role.fail("expected one of admin, manager, member, reader, got \(value)")
                    }
                    roles.append(Role(rawValue: value))
                }
            }
            users.append(CloudUser(name: name, password: try text("password"), project: ProjectID(try text("project")), roles: roles))
        }
        return users
    }
}
