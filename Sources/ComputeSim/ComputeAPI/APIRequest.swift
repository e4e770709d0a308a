/// A Compute API call: method, path (with query), headers, JSON body and the caller's identity.
public struct APIRequest: Hashable, Sendable {
    public var method: HTTPMethod
    /// Relative to the compute endpoint, with or without `/v2.1` and a project segment,
    /// optionally with a query string: `/servers/detail?status=ACTIVE`.
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]?
    public var project: ProjectID
    public var user: String
    /// ``Role/admin`` makes the caller an administrator.
    public var roles: [Role]

    public init(
        method: HTTPMethod, path: String, headers: [String: String] = [:], body: [UInt8]? = nil, project: ProjectID, user: String = "user", roles: [Role] = []
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.project = project
        self.user = user
        self.roles = roles
    }

    /// A request whose body is `json`.
    public init(
        method: HTTPMethod, path: String, json: JSONValue, headers: [String: String] = [:], project: ProjectID, user: String = "user", roles: [Role] = []
    ) {
        self.init(method: method, path: path, headers: headers, body: Array(json.canonicalText.utf8), project: project, user: user, roles: roles)
    }

    var caller: Caller { Caller(project: project, user: user, isAdmin: roles.contains(.admin), isProjectManager: roles.contains(.manager)) }
}

/// The cloud's answer: status, headers (sorted by name) and an optional JSON body.
public struct APIResponse: Hashable, Sendable {
    public var status: Int
    public var headers: [String: String]
    /// The body as a value; nil without a body, or when the facade wrote the body as bytes
    /// only (``ComputeCloud/handle(_:renderingBody:)``: see ``bodyBytes``).
    public var body: JSONValue?
    /// The body as the facade wrote it straight to canonical bytes, in place of ``body``.
    var rendered: [UInt8]? = nil

    public init(status: Int, headers: [String: String] = [:], body: JSONValue? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the response has a body (as a value or as bytes).
    public var hasBody: Bool { body != nil || rendered != nil }

    /// The body as canonical JSON bytes (empty without a body).
    /// - Complexity: O(1) for a body written as bytes, O(n) to write one held as a value.
    public var bodyBytes: [UInt8] { rendered ?? body?.canonicalBytes ?? [] }

    /// The body as canonical JSON text ("" without a body).
    public var bodyText: String { rendered.map { String(decoding: $0, as: UTF8.self) } ?? body?.canonicalText ?? "" }

    /// Nova's fault body for an error: `{"<faultName>": {"code": N, "message": "..."}}`.
    init(_ error: CloudError) {
        self.init(
            status: error.httpStatus,
            body: .object([(error.code.faultName, .object([("code", .int(Int64(error.httpStatus))), ("message", .string(error.message))]))]))
    }
}

extension APIRequest {
    func versionAtLeast(_ major: Int, _ minor: Int) -> Bool {
        ((try? ComputeCloud.negotiateVersion(headers)) ?? Microversion.minimum) >= Microversion(major, minor)
    }
}
