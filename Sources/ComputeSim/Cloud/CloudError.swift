/// An error the cloud returns to a caller, shaped like a Compute API fault: a code with its
/// HTTP status and Nova's fault name, and a message.
public struct CloudError: CodedError {
    /// The kind of failure (Nova's fault names). Extensible.
    public typealias Code = ErrorCode<CloudError>

    public var code: Code
    public var message: String

    /// The lower layer's error this one was made from, if any (not part of equality).
    public var underlying: (any Error & Sendable)?

    /// Creates an error with a code, a message and, when it wraps one, the lower layer's error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The HTTP status Nova answers with.
    public var httpStatus: Int { code.httpStatus }

    public var description: String { "\(httpStatus) \(code): \(message)" }

    static func notFound(_ id: ServerID) -> CloudError { CloudError(.itemNotFound, "Instance \(id) could not be found.") }

    init(_ refusal: ActionRefusal) {
        self.init(refusal.httpStatus == 503 ? .serviceUnavailable : .conflictingRequest, refusal.message)
    }
}

extension ErrorCode where Domain == CloudError {
    /// 400: the request is malformed or names something invalid.
    public static var badRequest: Self { Self("badRequest") }
    /// 403: not allowed (quotas, policy).
    public static var forbidden: Self { Self("forbidden") }
    /// 404: no such server (or another project's server).
    public static var itemNotFound: Self { Self("itemNotFound") }
    /// 409: the server's state does not allow the action.
    public static var conflictingRequest: Self { Self("conflictingRequest") }
    /// 413/429: over a limit.
    public static var overLimit: Self { Self("overLimit") }
    /// 501: not implemented.
    public static var notImplemented: Self { Self("notImplemented") }
    /// 503: a service the action needs is down.
    public static var serviceUnavailable: Self { Self("serviceUnavailable") }
    /// 500: an injected control-plane failure.
    public static var computeFault: Self { Self("computeFault") }
    /// 405: the path exists but not for this method.
    public static var badMethod: Self { Self("badMethod") }
    /// 406: an unsupported microversion.
    public static var notAcceptable: Self { Self("notAcceptable") }

    /// The key of Nova's fault body (`wsgi.Fault._fault_names`; any other status is
    /// `computeFault`).
    public var faultName: String {
        switch self {
        case .badRequest, .forbidden, .itemNotFound, .conflictingRequest, .overLimit, .notImplemented, .serviceUnavailable, .badMethod: return rawValue
        default: return "computeFault"
        }
    }

    /// The HTTP status Nova answers with.
    public var httpStatus: Int {
        switch self {
        case .badRequest: return 400
        case .forbidden: return 403
        case .itemNotFound: return 404
        case .conflictingRequest: return 409
        case .overLimit: return 413
        case .notImplemented: return 501
        case .serviceUnavailable: return 503
        case .badMethod: return 405
        case .notAcceptable: return 406
        default: return 500
        }
    }
}
