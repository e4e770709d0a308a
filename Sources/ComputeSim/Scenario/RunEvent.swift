/// A workload event of a run.
enum RunEvent: TraceableEvent {
    case arrival(workload: Int)
    case expire(workload: Int, server: ServerID)
    case action(workload: Int, server: ServerID)
    case scriptStep(workload: Int, server: ServerID, step: Int)
    case sample

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .arrival(let workload):
            line.append("arrival workload=")
            line.append(workload)
        case .expire(let workload, let server):
            line.append("expire workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
        case .action(let workload, let server):
            line.append("action workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
        case .scriptStep(let workload, let server, let step):
            line.append("script workload=")
            line.append(workload)
            line.append(" server=")
            line.append(string: server.rawValue)
            line.append(" step=")
            line.append(step)
        case .sample:
            line.append("sample")
        }
    }
}
