import ComputeSim
import SimulationKernel

/// How simulated time moves while the server runs: the one place wall time meets the
/// simulation, outside the engine.
///
/// - ``speed(_:)`` with S > 0: simulated time runs S times as fast as wall time; before each
///   request is answered, every event due by "now" runs. For clients that poll with real sleeps
///   (openstacksdk's `wait_for_server`, `openstack server create --wait`): a 20 s build at speed
///   10 takes 2 s. Results depend on when requests arrive, so they are not reproducible.
/// - ``manual(tickPerRequest:)``: simulated time moves only by `/sim` calls and, when
///   `tickPerRequest` is set, by that much before every compute request. The same sequence of
///   requests gives the same responses, byte for byte, whatever the client's sleeps: for tests
///   that compare outputs or run in CI.
public enum TimeMode: Hashable, Sendable {
    case speed(Double)
    case manual(tickPerRequest: SimDuration?)

    /// The mode `--speed S` and `--tick-per-request D` ask for: speed 0 is manual.
    public init(speed: Double, tickPerRequest: SimDuration?) {
        self = speed > 0 ? .speed(speed) : .manual(tickPerRequest: tickPerRequest)
    }
}

/// Maps wall time to the simulated time the cloud should have reached.
struct VirtualTime {
    var mode: TimeMode
    /// Wall time (monotonic nanoseconds) and simulated time at the last anchor: the start, and
    /// every jump made by `/sim` (which moves the whole timeline, not just the next request).
    private var anchorWall: Int64
    private var anchorSimulated: SimTime

    init(mode: TimeMode, wallNow: Int64, simulatedNow: SimTime) {
        self.mode = mode
        anchorWall = wallNow
        anchorSimulated = simulatedNow
    }

    /// Where the cloud should be before answering a request at `wallNow`, or nil to stay put.
    /// - Parameter compute: whether the request is a compute request (only those tick).
    func target(wallNow: Int64, simulatedNow: SimTime, compute: Bool) -> SimTime? {
        switch mode {
        case .speed(let speed):
            let elapsed = Double(wallNow - anchorWall) * speed
            guard elapsed.isFinite, elapsed < Double(SimDuration.limit.nanoseconds) else { return .limit }
            let target = SimTime(nanosecondsSinceStart: min(SimTime.limit.nanosecondsSinceStart, anchorSimulated.nanosecondsSinceStart &+ Int64(elapsed)))
            return target > simulatedNow ? target : nil
        case .manual(let tick?):
            guard compute, tick > .zero else { return nil }
            return (try? simulatedNow.advanced(by: tick)).map { min($0, .limit) } ?? .limit
        case .manual(nil):
            return nil
        }
    }

    /// Re-anchors after simulated time jumped (an advance, a restore).
    mutating func reanchor(wallNow: Int64, simulatedNow: SimTime) {
        anchorWall = wallNow
        anchorSimulated = simulatedNow
    }

    /// The `speed` `/sim/clock` shows (0 in manual mode).
    var speed: Double {
        if case .speed(let value) = mode { return value }
        return 0
    }
}
