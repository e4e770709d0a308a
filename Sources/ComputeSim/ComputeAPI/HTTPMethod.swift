/// An HTTP request method. Any token is representable (the facade answers 405 to methods a path
/// does not take); the common ones are named.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The method as the request spelled it.
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let get: HTTPMethod = "GET"
    public static let post: HTTPMethod = "POST"
    public static let put: HTTPMethod = "PUT"
    public static let delete: HTTPMethod = "DELETE"
    public static let patch: HTTPMethod = "PATCH"
    public static let head: HTTPMethod = "HEAD"

    /// The method in upper case, as routing compares it (HTTP methods are case-sensitive, but
    /// Nova's WSGI stack accepts any case).
    var normalized: String { rawValue.uppercased() }

    public var description: String { rawValue }
}

/// A Keystone role of the caller. `admin` makes the caller an administrator; others are carried
/// along (sessions and clients may send `member`, `reader`).
public struct Role: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The administrator role: sees every project, host names and admin-only fields.
    public static let admin: Role = "admin"
    /// A project's manager role: Nova's default policy lets it migrate the project's servers.
    public static let manager: Role = "manager"
    /// A project's ordinary member.
    public static let member: Role = "member"
    /// A project's read-only role (carried along; the facade's policies do not read it).
    public static let reader: Role = "reader"

    public var description: String { rawValue }
}
