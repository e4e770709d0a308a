/// A workload event of a run.
enum RunEvent: TraceableEvent {
    case arrival(workload: Int)
    case expire(workload: Int, server: RunServer)
    case action(workload: Int, server: RunServer)
    case scriptStep(workload: Int, server: RunServer, step: Int)
    case sample
    /// The fault plan's evacuation at this index of ``Scenario/evacuations``.
    case evacuate(plan: Int)

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .arrival(let workload):
            line.append("arrival workload=")
            line.append(workload)
        case .expire(let workload, let server):
            line.append("expire workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.id.rawValue)
        case .action(let workload, let server):
            line.append("action workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.id.rawValue)
        case .scriptStep(let workload, let server, let step):
            line.append("script workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.id.rawValue)
            line.append(" step=")
            line.append(step)
        case .sample:
            line.append("sample")
        case .evacuate(let plan):
            line.append("evacuate plan=")
            line.append(plan)
        }
    }
}

/// A server the run created: its record number in the cloud, which keys the runner's tables
/// (so no id is hashed per event), and its id, which the trace shows.
struct RunServer: Sendable {
    let index: Int32
    let id: ServerID
}
