import ComputeSim
import SimulationKernel

/// The Keystone v3 subset clients need to sign in: password (or token) authentication scoped
/// to a project, tokens with a service catalog, and token checks on every other request.
///
/// Tokens are drawn from a seeded stream (not system randomness), so a run's tokens repeat for
/// its seed. At most ``maximumTokens`` are held; issuing one more forgets the oldest, so a
/// client that signs in forever cannot grow the process without bound.
struct Identity {
    /// What a token grants.
    struct Grant: Hashable {
        var user: CloudUser
        var project: ProjectID
        var issued: Int64
        var expires: Int64
        var methods: [String]
    }

    /// Keystone's refusal: status and message, in Keystone's `{"error": {code, message, title}}`.
    struct Failure: Error {
        var status: Int
        var message: String

        static let unauthorized = Failure(status: 401, message: "The request you have made requires authentication.")

        var response: APIResponse {
            let title = status == 401 ? "Unauthorized" : status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed" : "Bad Request"
            return APIResponse(status: status, body: ["error": ["code": .int(Int64(status)), "message": .string(message), "title": .string(title)]])
        }
    }

    static let maximumTokens = 10_000
    /// How long a token lives, on the real clock (clients compare `expires_at` with theirs).
    static let lifetimeSeconds: Int64 = 12 * 3_600

    var users: [CloudUser]
    private var grants: [String: Grant] = [:]
    /// Tokens in the order they were issued, for forgetting the oldest.
    private var issuedOrder: [String] = []
    private var oldest = 0
    private var random: DeterministicRandom

    init(users: [CloudUser], seed: UInt64) {
        self.users = users
        random = DeterministicRandom(seed: seed, stream: "identity-tokens")
    }

    /// The grant of a valid token, or nil.
    func grant(for token: String?, now: Int64) -> Grant? {
        guard let token, let grant = grants[token], grant.expires > now else { return nil }
        return grant
    }

    /// `POST /v3/auth/tokens`: checks the credentials and issues a token.
    /// - Parameter now: Unix seconds on the real clock.
    mutating func issue(_ body: JSONValue, now: Int64) throws(Failure) -> (token: String, grant: Grant) {
        guard let identity = body["auth"]?["identity"], let methods = identity["methods"]?.arrayValue?.compactMap(\.stringValue), !methods.isEmpty else {
            throw Failure(
                status: 400,
                message:
                    "Expecting to find identity in auth. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error."
            )
        }
        var user: CloudUser
        if methods.contains("password") {
            guard let credentials = identity["password"]?["user"], let password = credentials["password"]?.stringValue else {
                throw Failure(status: 400, message: "Expecting to find password in identity.")
            }
            let name = credentials["name"]?.stringValue
            let id = credentials["id"]?.stringValue
            guard let found = users.first(where: { $0.name == name || (id != nil && Self.userID($0.name) == id) }), found.password == password,
                Self.domainIsDefault(credentials["domain"])
            else { throw Failure.unauthorized }
            user = found
        } else if methods.contains("token") {
            guard let existing = grant(for: identity["token"]?["id"]?.stringValue, now: now) else { throw Failure.unauthorized }
            user = existing.user
        } else {
            throw Failure(status: 401, message: "Attempted to authenticate with an unsupported method.")
        }
        var project = user.project
        if let scope = body["auth"]?["scope"]?["project"] {
            let wanted = scope["id"]?.stringValue ?? scope["name"]?.stringValue
            // Every user is a member of its own project only.
            guard wanted == user.project.rawValue, Self.domainIsDefault(scope["domain"]) else { throw Failure.unauthorized }
            project = user.project
        }
        _ = project
        var token = "gAAAAA"
        for _ in 0..<4 { token += Self.hex(random.next()) }
        let grant = Grant(user: user, project: user.project, issued: now, expires: now + Self.lifetimeSeconds, methods: methods)
        grants[token] = grant
        issuedOrder.append(token)
        if issuedOrder.count - oldest > Self.maximumTokens {
            grants[issuedOrder[oldest]] = nil
            oldest += 1
            if oldest > Self.maximumTokens {
                issuedOrder.removeFirst(oldest)
                oldest = 0
            }
        }
        return (token, grant)
    }

    /// Forgets a token (`DELETE /v3/auth/tokens`).
    mutating func revoke(_ token: String) -> Bool { grants.removeValue(forKey: token) != nil }

    /// A missing domain, or the `Default` domain by name or id.
    static func domainIsDefault(_ domain: JSONValue?) -> Bool {
        guard let domain else { return true }
        return domain["name"]?.stringValue == "Default" || domain["id"]?.stringValue == "default"
    }

    /// A user's id: 32 hex digits derived from the name, the same in every run.
    static func userID(_ name: String) -> String { hex(StableHash.fnv1a64(name)) + hex(StableHash.fnv1a64("user:" + name)) }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Keystone's token body.
    /// - Parameter urls: the public endpoints, by service type.
    static func tokenJSON(_ grant: Grant, urls: ServiceURLs) -> JSONValue {
        let domain: JSONValue = ["id": "default", "name": "Default"]
        let roles = grant.user.roles.map { role -> JSONValue in
            ["id": .string(hex(StableHash.fnv1a64("role:" + role.rawValue))), "name": .string(role.rawValue)]
        }
        func service(_ type: String, _ name: String, _ url: String) -> JSONValue {
            [
                "type": .string(type), "name": .string(name), "id": .string(hex(StableHash.fnv1a64("service:" + type))),
                "endpoints": [
                    [
                        "id": .string(hex(StableHash.fnv1a64("endpoint:" + type))), "interface": "public", "region": "RegionOne",
                        "region_id": "RegionOne", "url": .string(url),
                    ]
                ],
            ]
        }
        return [
            "token": [
                "methods": .array(grant.methods.map(JSONValue.string)),
                "user": ["id": .string(userID(grant.user.name)), "name": .string(grant.user.name), "domain": domain, "password_expires_at": .null],
                "project": ["id": .string(grant.project.rawValue), "name": .string(grant.project.rawValue), "domain": domain],
                "is_domain": false, "roles": .array(roles), "audit_ids": [.string(String(userID(grant.user.name).prefix(22)))],
                "issued_at": .string(realTime(grant.issued)), "expires_at": .string(realTime(grant.expires)),
                "catalog": [
                    service("identity", "keystone", urls.identity), service("compute", "nova", urls.compute),
                    service("image", "glance", urls.image), service("network", "neutron", urls.network),
                ],
            ]
        ]
    }

    /// Unix seconds as Keystone writes them: `2026-11-30T20:00:00.000000Z`.
    static func realTime(_ unixSeconds: Int64) -> String {
        WallClock(epochUnixSeconds: unixSeconds).iso8601(at: .zero).replacingOccurrences(of: "Z", with: ".000000Z")
    }
}
