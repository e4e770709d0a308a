/// An error raised by the simulation kernel for input a user controls: a duration string,
/// a time target, distribution parameters.
///
/// Programmer errors (scheduling an event in the past from domain code, arithmetic overflow in
/// code paths whose inputs were already validated) are `precondition` failures instead.
public struct KernelError: CodedError {
    /// What kind of failure this is. Extensible: new codes may be added.
    public typealias Code = ErrorCode<KernelError>

    /// The kind of failure.
    public var code: Code
    /// A sentence naming what was wrong, suitable for showing to a user.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == KernelError {
    /// A duration string could not be parsed.
    public static var invalidDuration: Self { Self("invalidDuration") }
    /// A time or duration left the supported range: a duration longer than
    /// ``SimDuration/limit``, a time past ``SimTime/limit``, an epoch outside
    /// ``WallClock/supportedEpochs``, or arithmetic past the 64-bit range (about ±292 years).
    public static var timeOverflow: Self { Self("timeOverflow") }
    /// A timestamp string is not an ISO 8601 time.
    public static var invalidTimestamp: Self { Self("invalidTimestamp") }
    /// A caller asked to move the clock to a time before `now`, or by a negative amount.
    public static var timeInPast: Self { Self("timeInPast") }
    /// A distribution was given parameters it cannot sample from.
    public static var invalidDistribution: Self { Self("invalidDistribution") }
}
