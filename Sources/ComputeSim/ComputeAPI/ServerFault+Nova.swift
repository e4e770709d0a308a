extension ServerFault {
    /// Nova's `fault.code`: 400 for a refused admin password (the request's fault), 500 for
    /// every build and host failure.
    public var code: Int {
        switch kind {
        case .passwordRejected: return 400
        case .noValidHost, .buildAborted, .retriesExhausted, .hostLost: return 500
        }
    }
}
