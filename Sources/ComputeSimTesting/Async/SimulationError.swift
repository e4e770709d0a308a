import ComputeSim

/// An error of the async testing surface (``SimulatedCloud``, ``SimulationClock``,
/// ``ComputeClient``'s waiting helpers): a code and a message naming what was waited for.
public struct SimulationError: CodedError {
    public typealias Code = ErrorCode<SimulationError>

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == SimulationError {
    /// A ``SimulatedCloud/run(timeLimit:_:)`` body was still waiting when simulated time reached
    /// its limit (its sleeps were cancelled).
    public static var timeLimitExceeded: Self { Self("timeLimitExceeded") }
    /// ``SimulatedCloud/run(timeLimit:_:)`` was called while another run was active.
    public static var alreadyRunning: Self { Self("alreadyRunning") }
    /// A wait-for-status helper gave up after its timeout.
    public static var waitTimedOut: Self { Self("waitTimedOut") }
}
