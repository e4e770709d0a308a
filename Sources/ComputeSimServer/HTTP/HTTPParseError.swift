/// Why a connection's bytes are not an acceptable request: the status to answer (after which
/// the server closes the connection) and a message for the JSON error body.
public struct HTTPParseError: Error, Hashable, Sendable {
    /// 400 malformed, 411 no usable length (chunked bodies), 413 body too large, 431 request
    /// line and headers too large, 505 an HTTP version other than 1.0 and 1.1.
    public var status: Int
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
