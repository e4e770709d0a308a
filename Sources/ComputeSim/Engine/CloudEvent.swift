/// The cloud's events: plain values on the scheduler's queue.
enum CloudEvent: TraceableEvent, Hashable, Sendable {
    /// The current phase of the server's operation (or build) is done.
    case phaseDone(server: Int32)
    /// A soft-deleted server's reclaim interval has passed.
    case reclaim(server: Int32)
    /// A shelved server's `shelved_offload_time` has passed.
    case offload(server: Int32)
    /// The power-state sync notices a guest that powered itself off or crashed.
    case powerSync(server: Int32)
    /// Scripted fault number `index` of the cloud's list happens.
    case scripted(index: Int32)
    /// The physical build model's earliest transfer finishes.
    case transfersDone

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .phaseDone(let server):
            line.append("phase-done server=")
            line.append(Int(server))
        case .reclaim(let server):
            line.append("reclaim server=")
            line.append(Int(server))
        case .offload(let server):
            line.append("offload server=")
            line.append(Int(server))
        case .powerSync(let server):
            line.append("power-sync server=")
            line.append(Int(server))
        case .scripted(let index):
            line.append("scripted-fault index=")
            line.append(Int(index))
        case .transfersDone:
            line.append("transfers-done")
        }
    }
}
