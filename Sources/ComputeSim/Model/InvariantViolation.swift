/// One broken invariant of the simulated cloud: what it concerns and what is wrong.
///
/// ``description`` is the sentence the invariant checkers have always printed, such as
/// `server 5b7e…: on host compute-01 but its claim is on no host`.
public struct InvariantViolation: Hashable, Sendable, CustomStringConvertible {
    /// What a violation concerns.
    public enum Subject: Hashable, Sendable {
        case host(HostName)
        case server(ServerID)
        case project(ProjectID)
        case group(ServerGroupID)
        /// The placement index of one account (by its interned number).
        case accountIndex(Int)
        /// The cloud as a whole (address pool, capacity index, two servers at once).
        case cloud
    }

    public var subject: Subject
    /// What is wrong, without the subject.
    public var problem: String

    public init(_ subject: Subject, _ problem: String) {
        self.subject = subject
        self.problem = problem
    }

    public var description: String {
        switch subject {
        case .host(let host): return "host \(host): \(problem)"
        case .server(let id): return "server \(id): \(problem)"
        case .project(let project): return "project \(project): \(problem)"
        case .group(let group): return "group \(group): \(problem)"
        case .accountIndex(let account): return "account index \(account): \(problem)"
        case .cloud: return problem
        }
    }
}
