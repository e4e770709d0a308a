import ComputeSim
import Foundation  // NSCondition, Thread

/// The state shared by a ``SimulatedCloud``, its ``SimulationClock`` and its run loop: the cloud,
/// the tasks sleeping on the clock, and the queue of jobs of the simulation's task executor.
///
/// ## Threading contract
/// Every field is guarded by `condition` (one lock for everything, so a cloud call and a clock
/// advance never interleave). Continuations are resumed and tasks cancelled only after the lock
/// is released, because resuming enqueues a job, which takes the lock again.
final class SimulationCore: TaskExecutor, @unchecked Sendable {
    struct Waiter {
        var deadline: SimTime
        var sequence: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    let condition = NSCondition()
    var cloud: ComputeCloud
    /// Sleeping tasks, ordered by (deadline, sequence): the order they wake in.
    private var waiters: [Waiter] = []
    /// Sleeps cancelled before their continuation was registered.
    private var cancelledEarly = Set<UInt64>()
    private var nextSequence: UInt64 = 0
    /// Jobs of tasks that prefer this executor, first in first out.
    private var jobs: [UnownedJob] = []
    /// Set once a run's simulated time limit is reached: every sleep then throws at once.
    private var limitReached = false
    private var bodyFinished = true

    init(cloud: ComputeCloud) { self.cloud = cloud }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    // MARK: Executor

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        locked {
            jobs.append(job)
            condition.signal()
        }
    }

    // MARK: Sleeping

    func makeSleepID() -> UInt64 {
        locked {
            nextSequence += 1
            return nextSequence
        }
    }

    /// Registers a sleeper, or wakes it at once when it is due, cancelled or past the limit.
    func register(_ id: UInt64, until deadline: SimTime, _ continuation: CheckedContinuation<Void, any Error>) {
        enum Outcome { case wait, wake, cancel }
        let outcome: Outcome = locked {
            if cancelledEarly.remove(id) != nil || limitReached { return .cancel }
            if deadline <= cloud.now { return .wake }
            let waiter = Waiter(deadline: deadline, sequence: id, continuation: continuation)
            let position = waiters.firstIndex { ($0.deadline, $0.sequence) > (deadline, id) } ?? waiters.count
            waiters.insert(waiter, at: position)
            condition.signal()
            return .wait
        }
        switch outcome {
        case .wait: break
        case .wake: continuation.resume()
        case .cancel: continuation.resume(throwing: CancellationError())
        }
    }

    func cancel(_ id: UInt64) {
        let continuation: CheckedContinuation<Void, any Error>? = locked {
            guard let position = waiters.firstIndex(where: { $0.sequence == id }) else {
                cancelledEarly.insert(id)
                return nil
            }
            return waiters.remove(at: position).continuation
        }
        continuation?.resume(throwing: CancellationError())
    }

    /// Moves time to `target`, waking every sleeper due by then in (deadline, sequence) order;
    /// the cloud's events run up to each sleeper's deadline before it wakes.
    func advance(to target: SimTime) {
        let due: [Waiter] = locked {
            var due: [Waiter] = []
            while let first = waiters.first, first.deadline <= target {
                try? cloud.advance(to: max(cloud.now, first.deadline))
                due.append(waiters.removeFirst())
            }
            try? cloud.advance(to: max(cloud.now, target))
            return due
        }
        for waiter in due { waiter.continuation.resume() }
    }

    var now: SimTime { locked { cloud.now } }

    /// Tasks sleeping on the clock now.
    var sleeperCount: Int { locked { waiters.count } }

    // MARK: The run loop

    /// Runs jobs on the calling thread until the body has finished and no job is left. When no
    /// job is ready, time jumps to the earliest sleeper's deadline and wakes it alone; past
    /// `limit` every sleeper (and every later sleep) is cancelled and `cancelBody` is called.
    /// Returns whether the limit was reached.
    func runLoop(limit: SimTime, cancelBody: @Sendable () -> Void) -> Bool {
        var cancelled = false
        while true {
            enum Step {
                case run(UnownedJob)
                case wake(Waiter)
                case cancelAll([Waiter])
                case finish, wait
            }
            let step: Step = locked {
                if !jobs.isEmpty { return .run(jobs.removeFirst()) }
                if bodyFinished { return .finish }
                if let first = waiters.first {
                    if first.deadline > limit {
                        limitReached = true
                        let all = waiters
                        waiters.removeAll()
                        return .cancelAll(all)
                    }
                    try? cloud.advance(to: max(cloud.now, first.deadline))
                    return .wake(waiters.removeFirst())
                }
                return .wait
            }
            switch step {
            case .run(let job): job.runSynchronously(on: asUnownedTaskExecutor())
            case .wake(let waiter): waiter.continuation.resume()
            case .cancelAll(let all):
                if !cancelled { cancelBody() }
                cancelled = true
                for waiter in all { waiter.continuation.resume(throwing: CancellationError()) }
            case .finish: return limitReached
            case .wait:
                // Work is in flight on another executor: sleep until it enqueues a job here,
                // registers a sleeper or finishes.
                locked {
                    if jobs.isEmpty && waiters.isEmpty && !bodyFinished { condition.wait() }
                }
            }
        }
    }

    func startBody() {
        locked {
            bodyFinished = false; limitReached = false
        }
    }

    func finishBody() {
        locked {
            bodyFinished = true
            condition.signal()
        }
    }
}
