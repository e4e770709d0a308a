/// What one workload did during a run.
public struct WorkloadStats: Hashable, Sendable {
    public var name: String
    public var project: ProjectID
    /// Create requests sent (each asks for one server).
    public var createRequests = 0
    /// Create requests the API refused, by error code (e.g. `forbidden` for quota).
    public var createRefusals: [CloudError.Code: Int] = [:]
    /// Servers that reached ACTIVE at least once.
    public var becameActive = 0
    /// Servers that went to ERROR without ever being ACTIVE (no valid host, build failure).
    public var failedToBuild = 0
    public var actionRequests = 0
    public var actionsAccepted = 0
    /// Actions refused, by error code (`conflictingRequest` for a state that does not allow it).
    public var actionRefusals: [CloudError.Code: Int] = [:]
    /// Deletes accepted.
    public var deletes = 0
    public var deleteRefusals: [CloudError.Code: Int] = [:]
    /// Server groups that could not be created (the servers were created without one).
    public var groupFailures = 0
    /// The first message of each refusal code, create, action and delete alike (why it happened).
    public var firstRefusals: [CloudError.Code: String] = [:]
    /// Servers found in ERROR (when the runner deleted them, or at the end), by fault message.
    public var errorFaults: [String: Int] = [:]
    /// Servers deleted before they were ever ACTIVE or ERROR.
    public var deletedWhileBuilding = 0
    /// Hosts holding the project's servers at the end.
    public var hostsHolding = 0

    public init(name: String, project: ProjectID) {
        self.name = name
        self.project = project
    }

    /// Create requests the API accepted.
    public var created: Int { createRequests - createRefusals.values.reduce(0, +) }

    mutating func refuse(_ error: CloudError) {
        createRefusals[error.code, default: 0] += 1
        note(error)
    }

    mutating func note(_ error: CloudError) {
        if firstRefusals[error.code] == nil { firstRefusals[error.code] = error.message }
    }
}
